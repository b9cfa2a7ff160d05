package org.cameldicomsecure.audit;

/** The ParticipantObjectTypeCode of the audit message schema. */
public enum ParticipantObjectTypeCode {
    /** 1. */
    PERSON(1),
    /** 2. */
    SYSTEM_OBJECT(2),
    /** 3. */
    ORGANIZATION(3),
    /** 4. */
    OTHER(4);

    private final int code;

    ParticipantObjectTypeCode(int code) {
        this.code = code;
    }

    /** 1 to 4. */
    public int code() {
        return code;
    }

    /** The type of the code 1 to 4. */
    public static ParticipantObjectTypeCode ofCode(int code) {
        for (ParticipantObjectTypeCode t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("ParticipantObjectTypeCode must be 1 to 4, not " + code);
    }
}
