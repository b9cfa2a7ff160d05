package org.cameldicomsecure.audit;

/** The EventOutcomeIndicator of the audit message schema. */
public enum EventOutcome {
    /** 0: nominal success (also when the status is otherwise unknown or ambiguous). */
    SUCCESS(0),
    /** 4: minor failure. */
    MINOR_FAILURE(4),
    /** 8: serious failure. */
    SERIOUS_FAILURE(8),
    /** 12: major failure, the reporting application is now unavailable. */
    MAJOR_FAILURE(12);

    private final int code;

    EventOutcome(int code) {
        this.code = code;
    }

    /** 0, 4, 8 or 12. */
    public int code() {
        return code;
    }

    /** The outcome of the indicator 0, 4, 8 or 12. */
    public static EventOutcome ofCode(int code) {
        for (EventOutcome o : values()) {
            if (o.code == code) {
                return o;
            }
        }
        throw new IllegalArgumentException("EventOutcomeIndicator must be 0, 4, 8 or 12, not " + code);
    }
}
