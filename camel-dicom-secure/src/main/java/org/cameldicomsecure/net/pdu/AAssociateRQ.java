package org.cameldicomsecure.net.pdu;

import java.util.List;
import java.util.Objects;

/** PS3.8 §9.3.2 A-ASSOCIATE-RQ PDU. AE titles are given without padding. */
public record AAssociateRQ(int protocolVersion, String calledAet, String callingAet, String applicationContext,
        List<PresentationContextRQ> presentationContexts, UserInformation userInformation) implements Pdu {

    /** PS3.7 Annex A: the DICOM Application Context Name. */
    public static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    public AAssociateRQ {
        AeTitles.check(calledAet, "called");
        AeTitles.check(callingAet, "calling");
        Objects.requireNonNull(applicationContext, "applicationContext");
        presentationContexts = List.copyOf(presentationContexts);
        Objects.requireNonNull(userInformation, "userInformation");
    }

    @Override
    public PduType type() {
        return PduType.A_ASSOCIATE_RQ;
    }

    public PresentationContextRQ presentationContext(int id) {
        for (PresentationContextRQ pc : presentationContexts) {
            if (pc.id() == id) {
                return pc;
            }
        }
        return null;
    }
}
