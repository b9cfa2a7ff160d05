package org.cameldicomsecure.net.pdu;

/** PS3.8 §9.3.6 A-RELEASE-RQ PDU. */
public record AReleaseRQ() implements Pdu {

    public static final AReleaseRQ INSTANCE = new AReleaseRQ();

    @Override
    public PduType type() {
        return PduType.A_RELEASE_RQ;
    }
}
