package org.cameldicomsecure.audit;

/** The EventActionCode of the audit message schema. */
public enum EventActionCode {
    /** Create. */
    CREATE("C"),
    /** Read, view, print, query. */
    READ("R"),
    /** Update. */
    UPDATE("U"),
    /** Delete. */
    DELETE("D"),
    /** Execute: an application action such as a system or application start or stop, or a login. */
    EXECUTE("E");

    private final String code;

    EventActionCode(String code) {
        this.code = code;
    }

    /** The code in the message: C, R, U, D or E. */
    public String code() {
        return code;
    }

    /** The action of a code C, R, U, D or E. */
    public static EventActionCode ofCode(String code) {
        for (EventActionCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        throw new IllegalArgumentException("EventActionCode must be one of C, R, U, D, E, not '" + code + "'");
    }
}
