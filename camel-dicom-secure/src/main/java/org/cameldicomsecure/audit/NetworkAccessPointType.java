package org.cameldicomsecure.audit;

/** The NetworkAccessPointTypeCode of an ActiveParticipant. */
public enum NetworkAccessPointType {
    /** 1: machine name, including DNS name. */
    MACHINE_NAME(1),
    /** 2: IP address. */
    IP_ADDRESS(2),
    /** 3: telephone number. */
    TELEPHONE_NUMBER(3),
    /** 4: e-mail address. */
    EMAIL_ADDRESS(4),
    /** 5: URI (user directory, HTTP-PUT, ftp, etc.). */
    URI(5);

    private final int code;

    NetworkAccessPointType(int code) {
        this.code = code;
    }

    /** 1 to 5. */
    public int code() {
        return code;
    }

    /** The type of the code 1 to 5. */
    public static NetworkAccessPointType ofCode(int code) {
        for (NetworkAccessPointType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("NetworkAccessPointTypeCode must be 1 to 5, not " + code);
    }
}
