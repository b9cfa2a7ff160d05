package org.cameldicomsecure.net.pdu;

import java.util.List;
import java.util.Objects;

/** PS3.8 §9.3.3 A-ASSOCIATE-AC PDU. The AE titles echo those of the RQ. */
public record AAssociateAC(int protocolVersion, String calledAet, String callingAet, String applicationContext,
        List<PresentationContextAC> presentationContexts, UserInformation userInformation) implements Pdu {

    public AAssociateAC {
        AeTitles.check(calledAet, "called");
        AeTitles.check(callingAet, "calling");
        Objects.requireNonNull(applicationContext, "applicationContext");
        presentationContexts = List.copyOf(presentationContexts);
        Objects.requireNonNull(userInformation, "userInformation");
    }

    @Override
    public PduType type() {
        return PduType.A_ASSOCIATE_AC;
    }

    public PresentationContextAC presentationContext(int id) {
        for (PresentationContextAC pc : presentationContexts) {
            if (pc.id() == id) {
                return pc;
            }
        }
        return null;
    }
}
