package org.cameldicomsecure.net.pdu;

import java.util.List;
import java.util.Objects;

/** PS3.7 §D.3.3.6 SOP Class Common Extended Negotiation Sub-Item (57H): kept as received. */
public record CommonExtendedNegotiation(String sopClassUid, String serviceClassUid, List<String> relatedGeneralSopClasses) {

    public CommonExtendedNegotiation {
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        Objects.requireNonNull(serviceClassUid, "serviceClassUid");
        relatedGeneralSopClasses = List.copyOf(relatedGeneralSopClasses);
    }
}
