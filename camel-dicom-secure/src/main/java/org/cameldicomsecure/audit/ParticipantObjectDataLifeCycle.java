package org.cameldicomsecure.audit;

/** The ParticipantObjectDataLifeCycle of the audit message schema. */
public enum ParticipantObjectDataLifeCycle {
    ORIGINATION(1), IMPORT_COPY(2), AMENDMENT(3), VERIFICATION(4), TRANSLATION(5), ACCESS_USE(6),
    DE_IDENTIFICATION(7), AGGREGATION(8), REPORT(9), EXPORT(10), DISCLOSURE(11), RECEIPT_OF_DISCLOSURE(12),
    ARCHIVING(13), LOGICAL_DELETION(14), PERMANENT_ERASURE(15);

    private final int code;

    ParticipantObjectDataLifeCycle(int code) {
        this.code = code;
    }

    /** 1 to 15. */
    public int code() {
        return code;
    }

    /** The stage of the code 1 to 15. */
    public static ParticipantObjectDataLifeCycle ofCode(int code) {
        for (ParticipantObjectDataLifeCycle s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("ParticipantObjectDataLifeCycle must be 1 to 15, not " + code);
    }
}
