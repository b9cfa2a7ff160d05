package org.cameldicomsecure.net.pdu;

/** PS3.8 §9.3.1 PDU types. */
public enum PduType {
    A_ASSOCIATE_RQ(0x01),
    A_ASSOCIATE_AC(0x02),
    A_ASSOCIATE_RJ(0x03),
    P_DATA_TF(0x04),
    A_RELEASE_RQ(0x05),
    A_RELEASE_RP(0x06),
    A_ABORT(0x07);

    private static final PduType[] BY_VALUE = new PduType[8];

    static {
        for (PduType t : values()) {
            if (BY_VALUE[t.value] != null) {
                throw new IllegalStateException("duplicate PDU type " + t.value);
            }
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;

    PduType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The PDU type for a wire value, or {@code null} if unrecognized. */
    public static PduType valueOf(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }
}
