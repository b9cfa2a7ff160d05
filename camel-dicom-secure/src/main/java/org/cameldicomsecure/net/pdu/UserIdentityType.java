package org.cameldicomsecure.net.pdu;

/** PS3.7 §D.3.3.7.1 User-Identity-Type of the User Identity sub-item (58H). */
public enum UserIdentityType {
    /** 1: username as a UTF-8 string. */
    USERNAME(1),
    /** 2: username (UTF-8) and passcode. */
    USERNAME_AND_PASSCODE(2),
    /** 3: Kerberos service ticket (RFC 1510). */
    KERBEROS(3),
    /** 4: SAML assertion. */
    SAML(4),
    /** 5: JSON Web Token (RFC 7519). */
    JWT(5);

    private static final UserIdentityType[] BY_VALUE = new UserIdentityType[6];

    static {
        for (UserIdentityType t : values()) {
            if (BY_VALUE[t.value] != null) {
                throw new IllegalStateException("duplicate user identity type " + t.value);
            }
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;

    UserIdentityType(int value) {
        this.value = value;
    }

    /** The wire value. */
    public int value() {
        return value;
    }

    /** The type for a wire value, or {@code null} for a reserved value. */
    public static UserIdentityType valueOf(int value) {
        return value > 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }
}
