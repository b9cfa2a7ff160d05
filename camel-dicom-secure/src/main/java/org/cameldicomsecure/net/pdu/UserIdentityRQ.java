package org.cameldicomsecure.net.pdu;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * PS3.7 §D.3.3.7.1 User Identity sub-item (58H) of an A-ASSOCIATE-RQ.
 *
 * @param type                      the identity type
 * @param positiveResponseRequested whether the requestor asks for a User Identity sub-item (59H) in the AC
 * @param primaryField              username (UTF-8), Kerberos ticket, SAML assertion or JWT
 * @param secondaryField            the passcode for type 2, otherwise empty
 */
public record UserIdentityRQ(UserIdentityType type, boolean positiveResponseRequested, byte[] primaryField,
        byte[] secondaryField) {

    public UserIdentityRQ {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(primaryField, "primaryField");
        secondaryField = secondaryField == null ? new byte[0] : secondaryField;
        if (primaryField.length > 0xFFFF || secondaryField.length > 0xFFFF) {
            throw new IllegalArgumentException("user identity fields are limited to 65535 bytes");
        }
        if (type != UserIdentityType.USERNAME_AND_PASSCODE && secondaryField.length != 0) {
            throw new IllegalArgumentException("only type 2 carries a secondary field (passcode)");
        }
    }

    public static UserIdentityRQ username(String username, boolean positiveResponseRequested) {
        return new UserIdentityRQ(UserIdentityType.USERNAME, positiveResponseRequested,
                username.getBytes(StandardCharsets.UTF_8), null);
    }

    public static UserIdentityRQ usernamePasscode(String username, String passcode, boolean positiveResponseRequested) {
        return new UserIdentityRQ(UserIdentityType.USERNAME_AND_PASSCODE, positiveResponseRequested,
                username.getBytes(StandardCharsets.UTF_8), passcode.getBytes(StandardCharsets.UTF_8));
    }

    /** The primary field as UTF-8 text (the username, or the token for JWT). */
    public String primaryText() {
        return new String(primaryField, StandardCharsets.UTF_8);
    }

    /** Never prints the fields: they are credentials. */
    @Override
    public String toString() {
        return "UserIdentityRQ[type=" + type + ", positiveResponseRequested=" + positiveResponseRequested
                + ", primary=" + primaryField.length + " bytes, secondary=" + secondaryField.length + " bytes]";
    }
}
