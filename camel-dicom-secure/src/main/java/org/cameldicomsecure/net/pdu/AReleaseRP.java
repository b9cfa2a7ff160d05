package org.cameldicomsecure.net.pdu;

/** PS3.8 §9.3.7 A-RELEASE-RP PDU. */
public record AReleaseRP() implements Pdu {

    public static final AReleaseRP INSTANCE = new AReleaseRP();

    @Override
    public PduType type() {
        return PduType.A_RELEASE_RP;
    }
}
