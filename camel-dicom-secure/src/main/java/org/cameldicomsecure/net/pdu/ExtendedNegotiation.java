package org.cameldicomsecure.net.pdu;

import java.util.Objects;

/** PS3.7 §D.3.3.5 SOP Class Extended Negotiation Sub-Item (56H): kept as received. */
public record ExtendedNegotiation(String sopClassUid, byte[] serviceClassApplicationInformation) {

    public ExtendedNegotiation {
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        Objects.requireNonNull(serviceClassApplicationInformation, "serviceClassApplicationInformation");
    }
}
