package org.cameldicomsecure.net.assoc;

import org.cameldicomsecure.net.pdu.AAssociateRJ;

/** The peer answered the A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ. */
public class AssociationRejectedException extends DicomNetworkException {

    private static final long serialVersionUID = 1L;

    private final transient AAssociateRJ reject;

    public AssociationRejectedException(AAssociateRJ reject) {
        super("association rejected: result " + reject.result() + ", source " + reject.source() + ", reason "
                + reject.reason());
        this.reject = reject;
    }

    public AAssociateRJ reject() {
        return reject;
    }
}
