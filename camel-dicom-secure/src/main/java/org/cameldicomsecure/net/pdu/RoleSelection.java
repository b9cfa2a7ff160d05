package org.cameldicomsecure.net.pdu;

import java.util.Objects;

/** PS3.7 §D.3.3.4 SCP/SCU Role Selection Sub-Item (54H). */
public record RoleSelection(String sopClassUid, boolean scu, boolean scp) {

    public RoleSelection {
        Objects.requireNonNull(sopClassUid, "sopClassUid");
    }
}
