package org.cameldicomsecure.web.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An accepted bearer token: who it names and what it grants. Never holds the token itself.
 *
 * @param principal the {@code sub} claim (or the configured principal claim)
 * @param scopes    the scopes of the {@code scope} claim (space separated, RFC 8693 §4.2 / RFC 9068 §2.2.3) or of the
 *                  {@code scp} claim (a string or an array of strings); empty when the token has neither
 * @param expiresAt the {@code exp} claim
 */
public record VerifiedToken(String principal, Set<String> scopes, Instant expiresAt) {

    public VerifiedToken {
        Objects.requireNonNull(principal, "principal");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** True when every scope of {@code required} was granted. */
    public boolean hasScopes(Set<String> required) {
        return scopes.containsAll(required);
    }

    @Override
    public String toString() {
        return "VerifiedToken[principal=" + principal + ", scopes=" + scopes + ", expiresAt=" + expiresAt + "]";
    }
}
