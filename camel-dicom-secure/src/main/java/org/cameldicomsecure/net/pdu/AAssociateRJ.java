package org.cameldicomsecure.net.pdu;

/**
 * PS3.8 §9.3.4 A-ASSOCIATE-RJ PDU (Table 9-21).
 *
 * @param result 1 rejected-permanent, 2 rejected-transient
 * @param source 1 service-user, 2 service-provider (ACSE related function), 3 service-provider (Presentation related)
 * @param reason the Reason/Diag. value, whose meaning depends on the source
 */
public record AAssociateRJ(int result, int source, int reason) implements Pdu {

    public static final int REJECTED_PERMANENT = 1;
    public static final int REJECTED_TRANSIENT = 2;

    public static final int SOURCE_SERVICE_USER = 1;
    public static final int SOURCE_SERVICE_PROVIDER_ACSE = 2;
    public static final int SOURCE_SERVICE_PROVIDER_PRESENTATION = 3;

    /** Source 1 reasons. */
    public static final int USER_NO_REASON_GIVEN = 1;
    public static final int USER_APPLICATION_CONTEXT_NAME_NOT_SUPPORTED = 2;
    public static final int USER_CALLING_AE_TITLE_NOT_RECOGNIZED = 3;
    public static final int USER_CALLED_AE_TITLE_NOT_RECOGNIZED = 7;
    /** Source 2 reasons. */
    public static final int ACSE_NO_REASON_GIVEN = 1;
    public static final int ACSE_PROTOCOL_VERSION_NOT_SUPPORTED = 2;
    /** Source 3 reasons. */
    public static final int PRESENTATION_TEMPORARY_CONGESTION = 1;
    public static final int PRESENTATION_LOCAL_LIMIT_EXCEEDED = 2;

    @Override
    public PduType type() {
        return PduType.A_ASSOCIATE_RJ;
    }

    @Override
    public String toString() {
        return "A-ASSOCIATE-RJ[result=" + result + " (" + (result == 1 ? "rejected-permanent" : "rejected-transient")
                + "), source=" + source + ", reason=" + reason + "]";
    }
}
