package org.cameldicomsecure.net.pdu;

/**
 * PS3.8 §9.3.8 A-ABORT PDU (Table 9-26).
 *
 * @param source 0 service-user, 2 service-provider
 * @param reason for source 2: 0 reason-not-specified, 1 unrecognized-PDU, 2 unexpected-PDU, 4 unrecognized-PDU
 *               parameter, 5 unexpected-PDU parameter, 6 invalid-PDU-parameter value; 0 for source 0
 */
public record AAbort(int source, int reason) implements Pdu {

    public static final int SOURCE_SERVICE_USER = 0;
    public static final int SOURCE_SERVICE_PROVIDER = 2;

    public static final int REASON_NOT_SPECIFIED = 0;
    public static final int UNRECOGNIZED_PDU = 1;
    public static final int UNEXPECTED_PDU = 2;
    public static final int UNRECOGNIZED_PDU_PARAMETER = 4;
    public static final int UNEXPECTED_PDU_PARAMETER = 5;
    public static final int INVALID_PDU_PARAMETER_VALUE = 6;

    public static AAbort user() {
        return new AAbort(SOURCE_SERVICE_USER, 0);
    }

    public static AAbort provider(int reason) {
        return new AAbort(SOURCE_SERVICE_PROVIDER, reason);
    }

    @Override
    public PduType type() {
        return PduType.A_ABORT;
    }
}
