package org.cameldicomsecure.audit;

/** The ParticipantObjectTypeCodeRole of the audit message schema (PS3.15 A.5.1.2.2). */
public enum ParticipantObjectTypeCodeRole {
    PATIENT(1), LOCATION(2), REPORT(3), /** deprecated. */ RESOURCE(4), MASTER_FILE(5), USER(6),
    /** deprecated. */ LIST(7), DOCTOR(8), SUBSCRIBER(9), GUARANTOR(10), SECURITY_USER_ENTITY(11),
    /** deprecated. */ SECURITY_USER_GROUP(12), SECURITY_RESOURCE(13),
    /** deprecated. */ SECURITY_GRANULARITY_DEFINITION(14), PROVIDER(15), DATA_DESTINATION(16), DATA_ARCHIVE(17),
    SCHEDULE(18), CUSTOMER(19), JOB(20), JOB_STREAM(21), /** deprecated. */ TABLE(22), ROUTING_CRITERIA(23), QUERY(24),
    DATA_SOURCE(25), PROCESSING_ELEMENT(26);

    private final int code;

    ParticipantObjectTypeCodeRole(int code) {
        this.code = code;
    }

    /** 1 to 26. */
    public int code() {
        return code;
    }

    /** The role of the code 1 to 26. */
    public static ParticipantObjectTypeCodeRole ofCode(int code) {
        for (ParticipantObjectTypeCodeRole r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("ParticipantObjectTypeCodeRole must be 1 to 26, not " + code);
    }
}
