package org.cameldicomsecure.web.auth;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import javax.net.ssl.SSLSocketFactory;

import com.nimbusds.jwt.JWTClaimsSet;

import org.cameldicomsecure.net.auth.JwtValidator;

/**
 * The resource-server side of RFC 6750: reads the {@code Authorization: Bearer} header field (§2.1; the form and
 * query parameter methods of §2.2 and §2.3 are not accepted), validates the JWT access token with
 * {@link JwtValidator} (RS256 or ES256 signature from a PEM public key or a JWK Set, {@code exp}/{@code nbf},
 * {@code iss}, {@code aud}) and reads its scopes from {@code scope} (space separated) or {@code scp} (string or array).
 *
 * <p>A {@link Result} says what to answer: {@link Status#MISSING} (401 with a bare challenge: §3.1 says a request
 * without credentials gets no error code), {@link Status#INVALID_REQUEST} (400, {@code error="invalid_request"}),
 * {@link Status#INVALID_TOKEN} (401, {@code error="invalid_token"}); {@link #challenge} builds the
 * {@code WWW-Authenticate} value, and {@link #insufficientScope} the one of a 403. Reasons never contain the token.
 * Thread-safe.
 */
public final class BearerAuthenticator {

    public static final String DEFAULT_REALM = "dicomweb";

    /** RFC 6750 §2.1 b64token. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    /** RFC 6749 §3.3 scope-token. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private final JwtValidator validator;
    private final String realm;

    private BearerAuthenticator(JwtValidator validator, String realm) {
        this.validator = validator;
        this.realm = realm;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The realm of the challenges. */
    public String realm() {
        return realm;
    }

    /** What the check of a request's credentials found. */
    public enum Status {
        /** A valid token: {@link Result#token()} holds it. */
        OK,
        /** No {@code Authorization} header field, or one of another scheme: 401 without an error code. */
        MISSING,
        /** More than one {@code Authorization} header field, or a malformed one: 400 {@code invalid_request}. */
        INVALID_REQUEST,
        /** A bearer token that is malformed, expired, badly signed or otherwise not accepted: 401. */
        INVALID_TOKEN
    }

    /**
     * The outcome of {@link #authenticate}.
     *
     * @param reason why it was not OK (safe for logs and for {@code error_description}); null when OK
     */
    public record Result(Status status, VerifiedToken token, String reason) {

        public boolean ok() {
            return status == Status.OK;
        }

        /** The HTTP status to answer with when not OK (401 or 400). */
        public int httpStatus() {
            return switch (status) {
                case OK -> 200;
                case INVALID_REQUEST -> 400;
                default -> 401;
            };
        }
    }

    /**
     * Checks the {@code Authorization} header fields of a request.
     *
     * @param authorizationFields every value of the {@code Authorization} header field (empty or null when absent)
     */
    public Result authenticate(List<String> authorizationFields) {
        if (authorizationFields == null || authorizationFields.isEmpty()) {
            return new Result(Status.MISSING, null, "no Authorization header field");
        }
        if (authorizationFields.size() > 1) {
            return new Result(Status.INVALID_REQUEST, null, "more than one Authorization header field");
        }
        String field = authorizationFields.get(0).strip();
        int sp = field.indexOf(' ');
        String scheme = sp < 0 ? field : field.substring(0, sp);
        if (!scheme.equalsIgnoreCase("Bearer")) {
            return new Result(Status.MISSING, null, "Authorization scheme is not Bearer");
        }
        String token = sp < 0 ? "" : field.substring(sp + 1).strip();
        if (token.isEmpty()) {
            return new Result(Status.INVALID_REQUEST, null, "Bearer credentials are empty");
        }
        if (!B64TOKEN.matcher(token).matches()) {
            return new Result(Status.INVALID_TOKEN, null, "Bearer token is not a b64token (RFC 6750 2.1)");
        }
        return authenticateToken(token);
    }

    /** Validates one access token (the value after {@code Bearer }). */
    public Result authenticateToken(String token) {
        JwtValidator.Verification v = validator.verify(token);
        if (!v.accepted()) {
            return new Result(Status.INVALID_TOKEN, null, v.rejection());
        }
        JWTClaimsSet claims = v.claims();
        Set<String> scopes;
        try {
            scopes = scopesOf(claims);
        } catch (IllegalArgumentException e) {
            return new Result(Status.INVALID_TOKEN, null, e.getMessage());
        }
        return new Result(Status.OK, new VerifiedToken(v.principal(), scopes, claims.getExpirationTime().toInstant()),
                null);
    }

    private static Set<String> scopesOf(JWTClaimsSet claims) {
        Set<String> scopes = new LinkedHashSet<>();
        Object scope = claims.getClaim("scope");
        Object scp = claims.getClaim("scp");
        if (scope != null) {
            if (!(scope instanceof String s)) {
                throw new IllegalArgumentException("JWT scope claim is not a string");
            }
            addAll(scopes, s.split(" "));
        } else if (scp instanceof String s) {
            addAll(scopes, s.split(" "));
        } else if (scp != null) {
            try {
                List<String> list = claims.getStringListClaim("scp");
                addAll(scopes, list.toArray(new String[0]));
            } catch (ParseException e) {
                throw new IllegalArgumentException("JWT scp claim is neither a string nor an array of strings");
            }
        }
        return scopes;
    }

    private static void addAll(Set<String> scopes, String[] tokens) {
        for (String t : tokens) {
            if (t.isEmpty()) {
                continue;
            }
            if (!SCOPE_TOKEN.matcher(t).matches()) {
                throw new IllegalArgumentException("JWT scope value has characters RFC 6749 3.3 does not allow");
            }
            scopes.add(t);
        }
    }

    /** The value of the {@code WWW-Authenticate} header field for a refused {@link Result} (RFC 6750 §3). */
    public String challenge(Result refused) {
        return switch (refused.status()) {
            case OK -> throw new IllegalArgumentException("an accepted result needs no challenge");
            case MISSING -> "Bearer realm=\"" + quotable(realm) + "\"";
            case INVALID_REQUEST -> challenge("invalid_request", refused.reason(), null);
            case INVALID_TOKEN -> challenge("invalid_token", refused.reason(), null);
        };
    }

    /** The {@code WWW-Authenticate} value of a 403 for a token that lacks {@code required} scopes (§3.1). */
    public String insufficientScope(Set<String> required) {
        return challenge("insufficient_scope", "the access token lacks a required scope", String.join(" ", required));
    }

    private String challenge(String error, String description, String scope) {
        StringBuilder b = new StringBuilder("Bearer realm=\"").append(quotable(realm)).append('"');
        b.append(", error=\"").append(error).append('"');
        if (description != null) {
            b.append(", error_description=\"").append(quotable(description)).append('"');
        }
        if (scope != null) {
            b.append(", scope=\"").append(quotable(scope)).append('"');
        }
        return b.toString();
    }

    /**
     * Only %x20-21 / %x23-5B / %x5D-7E (the characters RFC 6750 §3 allows in error_description and scope): others
     * become {@code ?}.
     */
    static String quotable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : c == '"' ? '\'' : '?');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "BearerAuthenticator[realm=" + realm + ", " + validator + "]";
    }

    /** Configures a {@link BearerAuthenticator}; set exactly one of {@link #publicKey} and {@link #jwksUri}. */
    public static final class Builder {
        private final JwtValidator.Builder jwt = JwtValidator.builder();
        private String realm = DEFAULT_REALM;

        private Builder() {
        }

        /** A PEM file with one {@code PUBLIC KEY} or {@code CERTIFICATE} ({@code jwtPublicKey}). */
        public Builder publicKey(Path pemFile) {
            jwt.publicKey(pemFile);
            return this;
        }

        /** A JWK Set at a {@code https:} or {@code file:} URI ({@code jwksUri}). */
        public Builder jwksUri(URI uri) {
            jwt.jwksUri(uri);
            return this;
        }

        /** The required {@code iss} ({@code jwtIssuer}); not checked when null. */
        public Builder issuer(String issuer) {
            jwt.issuer(issuer);
            return this;
        }

        /** A value {@code aud} must contain ({@code jwtAudience}); not checked when null. */
        public Builder audience(String audience) {
            jwt.audience(audience);
            return this;
        }

        /** The claim naming the principal; default {@code sub}. */
        public Builder principalClaim(String claim) {
            jwt.principalClaim(claim);
            return this;
        }

        public Builder clockSkew(Duration skew) {
            jwt.clockSkew(skew);
            return this;
        }

        public Builder clock(Clock clock) {
            jwt.clock(clock);
            return this;
        }

        public Builder jwksCacheTimeToLive(Duration ttl) {
            jwt.jwksCacheTimeToLive(ttl);
            return this;
        }

        public Builder jwksTimeout(Duration timeout) {
            jwt.jwksTimeout(timeout);
            return this;
        }

        public Builder jwksSslSocketFactory(SSLSocketFactory factory) {
            jwt.jwksSslSocketFactory(factory);
            return this;
        }

        /** The realm of the challenges; default {@value #DEFAULT_REALM}. */
        public Builder realm(String realm) {
            Objects.requireNonNull(realm, "realm");
            if (realm.isBlank() || !quotable(realm).equals(realm)) {
                throw new IllegalArgumentException("realm must be printable ASCII without quotes or backslashes");
            }
            this.realm = realm;
            return this;
        }

        /** @throws IOException if the PEM key cannot be read or is unusable */
        public BearerAuthenticator build() throws IOException {
            return new BearerAuthenticator(jwt.build(), realm);
        }
    }
}
