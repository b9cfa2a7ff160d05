package org.cameldicomsecure.net.pdu;

import java.util.Objects;

/**
 * PS3.7 §D.3.3.7.2 User Identity sub-item (59H) of an A-ASSOCIATE-AC.
 *
 * @param serverResponse Kerberos server ticket (type 3), SAML response (type 4), empty otherwise
 */
public record UserIdentityAC(byte[] serverResponse) {

    public UserIdentityAC {
        Objects.requireNonNull(serverResponse, "serverResponse");
        if (serverResponse.length > 0xFFFF) {
            throw new IllegalArgumentException("server response is limited to 65535 bytes");
        }
    }

    @Override
    public String toString() {
        return "UserIdentityAC[" + serverResponse.length + " bytes]";
    }
}
