package org.cameldicomsecure.net.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link UserIdentityValidator} decided.
 *
 * <p>Accepted results carry the authenticated principal name (used for the {@code CamelDicomUsername} header and the
 * audit UserID) and the optional Server-response of the User Identity sub-item (59H) of the A-ASSOCIATE-AC (PS3.7
 * §D.3.3.7.2): empty for types 1, 2 and 5; a Kerberos server ticket (type 3) or a SAML response (type 4) from a
 * validator that makes one. Rejected results carry a reason for logs that never contains the passcode or the token.
 */
public final class AuthenticationResult {

    private static final byte[] NONE = new byte[0];

    private final boolean accepted;
    private final String principal;
    private final String reason;
    private final byte[] serverResponse;

    private AuthenticationResult(boolean accepted, String principal, String reason, byte[] serverResponse) {
        this.accepted = accepted;
        this.principal = principal;
        this.reason = reason;
        this.serverResponse = serverResponse;
    }

    /** Accepted, with no server response. */
    public static AuthenticationResult accepted(String principal) {
        return accepted(principal, NONE);
    }

    /**
     * Accepted with a Server-response for the AC sub-item.
     *
     * @param serverResponse at most 65535 bytes; copied
     */
    public static AuthenticationResult accepted(String principal, byte[] serverResponse) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(serverResponse, "serverResponse");
        if (principal.isBlank()) {
            throw new IllegalArgumentException("an accepted identity needs a principal name");
        }
        if (serverResponse.length > 0xFFFF) {
            throw new IllegalArgumentException("server response is limited to 65535 bytes");
        }
        return new AuthenticationResult(true, principal, null,
                serverResponse.length == 0 ? NONE : serverResponse.clone());
    }

    /**
     * Rejected.
     *
     * @param reason why, for logs: name the problem, never the passcode or the token
     */
    public static AuthenticationResult rejected(String reason) {
        Objects.requireNonNull(reason, "reason");
        return new AuthenticationResult(false, null, reason, NONE);
    }

    public boolean isAccepted() {
        return accepted;
    }

    /** The authenticated principal name; empty when rejected. */
    public Optional<String> principal() {
        return Optional.ofNullable(principal);
    }

    /** Why the identity was rejected; empty when accepted. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** The Server-response for the 59H sub-item (a copy; empty for types 1, 2 and 5). */
    public byte[] serverResponse() {
        return serverResponse.length == 0 ? NONE : serverResponse.clone();
    }

    /** Never prints the server response: it may be a ticket. */
    @Override
    public String toString() {
        return accepted
                ? "AuthenticationResult[accepted, principal=" + LogSafe.quote(principal) + ", serverResponse="
                        + serverResponse.length + " bytes]"
                : "AuthenticationResult[rejected: " + reason + "]";
    }
}
