package org.cameldicomsecure.net.auth;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.SSLSocketFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;

import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.cameldicomsecure.net.pdu.UserIdentityType;

/**
 * Checks a JSON Web Token (User-Identity-Type 5, PS3.7 §D.3.3.7.1; RFC 7519) with nimbus-jose-jwt.
 *
 * <ul>
 * <li>Key: one public key from a PEM file ({@code PUBLIC KEY} or {@code CERTIFICATE}; RSA of at least 2048 bits or EC
 * P-256), or a JWK Set from a {@code https:} or {@code file:} URI, cached (default 5 minutes) and refetched at most
 * every 30 seconds for an unknown {@code kid}.</li>
 * <li>Algorithms RS256 and ES256 only: {@code none}, HS*, PS*, ES384 and the rest are rejected, as is JWE.</li>
 * <li>{@code exp} is required; {@code exp} and {@code nbf} are checked with a clock skew (default 60 s). {@code iss}
 * and {@code aud} are checked when {@link Builder#issuer issuer} and {@link Builder#audience audience} are set.</li>
 * <li>The principal is the {@code sub} claim, or the claim named by {@link Builder#principalClaim}.</li>
 * <li>Rejection reasons name the problem ("JWT expired at ...", "JWT signature invalid") and never repeat the
 * token.</li>
 * </ul>
 *
 * <p>The server response of the AC sub-item is empty: PS3.7 defines none for type 5. Thread-safe.
 */
public final class JwtValidator implements UserIdentityValidator {

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final String DEFAULT_PRINCIPAL_CLAIM = "sub";
    public static final Duration DEFAULT_JWKS_CACHE_TIME_TO_LIVE = Duration.ofMinutes(5);

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final int MIN_RSA_BITS = 2048;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String keyDescription;
    private final String issuer;
    private final String audience;
    private final String principalClaim;
    private final Duration clockSkew;
    private final Clock clock;

    private JwtValidator(Builder b, JWSKeySelector<SecurityContext> keys, String keyDescription) {
        this.keyDescription = keyDescription;
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.principalClaim = b.principalClaim;
        this.clockSkew = b.clockSkew;
        this.clock = b.clock;
        processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(keys);
        processor.setJWTClaimsSetVerifier(new ClaimsVerifier());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AuthenticationResult validate(UserIdentityRQ identity, AuthenticationPeer peer) {
        if (identity.type() != UserIdentityType.JWT) {
            return AuthenticationResult.rejected("JWT: identity type " + identity.type() + " not supported");
        }
        Verification v = verify(identity.primaryText());
        return v.accepted() ? AuthenticationResult.accepted(v.principal())
                : AuthenticationResult.rejected(v.rejection());
    }

    /**
     * What {@link #verify} found: the principal and the verified claims of an accepted token, or the reason of a
     * rejection (safe for logs: it never repeats the token).
     */
    public record Verification(String principal, JWTClaimsSet claims, String rejection) {

        static Verification rejected(String reason) {
            return new Verification(null, null, reason);
        }

        public boolean accepted() {
            return rejection == null;
        }
    }

    /**
     * Checks a compact-serialized JWT (signature, algorithm, exp/nbf, iss, aud, principal claim) and returns its
     * verified claims; used by the JWT user identity of associations and by the bearer tokens of DICOMweb.
     */
    public Verification verify(String compactJwt) {
        String token = compactJwt == null ? "" : compactJwt.strip();
        if (token.isEmpty()) {
            return Verification.rejected("JWT empty");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            return Verification.rejected("JWT malformed");
        }
        if (jwt instanceof PlainJWT) {
            return Verification.rejected("JWT algorithm 'none' not accepted (RS256, ES256 only)");
        }
        if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
            return Verification.rejected("encrypted JWT (JWE) not accepted");
        }
        JWSHeader header = signed.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            return Verification.rejected("JWT algorithm " + LogSafe.quote(alg.getName())
                    + " not accepted (RS256, ES256 only)");
        }
        try {
            signed.getJWTClaimsSet(); // parsed, not trusted: the processor checks the signature before the claims
        } catch (ParseException e) {
            return Verification.rejected("JWT malformed (payload is not a JSON claims set)");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (BadJWSException e) {
            return Verification.rejected("JWT signature invalid");
        } catch (ClaimRejected e) {
            return Verification.rejected(e.getMessage());
        } catch (BadJOSEException e) {
            String m = String.valueOf(e.getMessage());
            if (m.toLowerCase(Locale.ROOT).contains("matching key")) {
                return Verification.rejected("no configured key matches the JWT (alg " + alg.getName()
                        + (header.getKeyID() == null ? "" : ", kid " + LogSafe.quote(header.getKeyID())) + ")");
            }
            return Verification.rejected("JWT rejected: " + LogSafe.text(m));
        } catch (KeySourceException e) {
            return Verification.rejected("JWT key source " + keyDescription + " unavailable ("
                    + LogSafe.text(e.getMessage()) + ")");
        } catch (JOSEException e) {
            return Verification.rejected("JWT verification failed (" + e.getClass().getSimpleName() + ")");
        }
        return new Verification(principalOf(claims), claims, null);
    }

    /** Called after the claims verifier passed, so the claim is a non-blank string. */
    private String principalOf(JWTClaimsSet claims) {
        try {
            return claims.getStringClaim(principalClaim);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "JwtValidator[key=" + keyDescription + (issuer == null ? "" : ", issuer=" + LogSafe.quote(issuer))
                + (audience == null ? "" : ", audience=" + LogSafe.quote(audience)) + ", clockSkew=" + clockSkew
                + ", principalClaim=" + principalClaim + "]";
    }

    /** A claim check failed; the message is ours and safe for logs. */
    private static final class ClaimRejected extends BadJWTException {
        private static final long serialVersionUID = 1L;

        ClaimRejected(String message) {
            super(message);
        }
    }

    /** exp (required), nbf, iss, aud and the principal claim, with our own wording. */
    private final class ClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            Instant now = clock.instant();
            Date exp = claims.getExpirationTime();
            if (exp == null) {
                throw new ClaimRejected("JWT has no exp claim");
            }
            if (now.isAfter(exp.toInstant().plus(clockSkew))) {
                throw new ClaimRejected("JWT expired at " + exp.toInstant());
            }
            Date nbf = claims.getNotBeforeTime();
            if (nbf != null && now.plus(clockSkew).isBefore(nbf.toInstant())) {
                throw new ClaimRejected("JWT not valid before " + nbf.toInstant());
            }
            if (issuer != null) {
                String iss = claims.getIssuer();
                if (iss == null) {
                    throw new ClaimRejected("JWT has no iss claim");
                }
                if (!issuer.equals(iss)) {
                    throw new ClaimRejected("JWT issuer " + LogSafe.quote(iss) + " not accepted");
                }
            }
            if (audience != null) {
                List<String> aud = claims.getAudience();
                if (aud == null || aud.isEmpty()) {
                    throw new ClaimRejected("JWT has no aud claim");
                }
                if (!aud.contains(audience)) {
                    throw new ClaimRejected("JWT audience " + LogSafe.quote(String.join(",", aud))
                            + " not accepted");
                }
            }
            String principal;
            try {
                principal = claims.getStringClaim(principalClaim);
            } catch (ParseException e) {
                throw new ClaimRejected("JWT claim " + LogSafe.quote(principalClaim) + " is not a string");
            }
            if (principal == null || principal.isBlank()) {
                throw new ClaimRejected("JWT has no " + LogSafe.quote(principalClaim) + " claim");
            }
        }
    }

    /** Configures a {@link JwtValidator}; set exactly one of {@link #publicKey} and {@link #jwksUri}. */
    public static final class Builder {
        private Path publicKeyFile;
        private URI jwksUri;
        private String issuer;
        private String audience;
        private String principalClaim = DEFAULT_PRINCIPAL_CLAIM;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Duration jwksCacheTimeToLive = DEFAULT_JWKS_CACHE_TIME_TO_LIVE;
        private Duration jwksTimeout = Duration.ofSeconds(5);
        private SSLSocketFactory jwksSslSocketFactory;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** A PEM file with one {@code PUBLIC KEY} or {@code CERTIFICATE}: RSA (RS256) or EC P-256 (ES256). */
        public Builder publicKey(Path pemFile) {
            this.publicKeyFile = Objects.requireNonNull(pemFile, "pemFile");
            return this;
        }

        /** A JWK Set document at a {@code https:} or {@code file:} URI. */
        public Builder jwksUri(URI uri) {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("file")) {
                throw new IllegalArgumentException("JWKS URI must be https: or file:, not " + uri);
            }
            this.jwksUri = uri;
            return this;
        }

        /** The required {@code iss} value ({@code jwtIssuer}); not checked when {@code null}. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** A value the {@code aud} claim must contain ({@code jwtAudience}); not checked when {@code null}. */
        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** The claim that names the principal; default {@code sub}. */
        public Builder principalClaim(String claim) {
            Objects.requireNonNull(claim, "claim");
            if (claim.isBlank()) {
                throw new IllegalArgumentException("principal claim must not be blank");
            }
            this.principalClaim = claim;
            return this;
        }

        /** Tolerance for {@code exp} and {@code nbf}; default 60 seconds, at most 10 minutes. */
        public Builder clockSkew(Duration skew) {
            Objects.requireNonNull(skew, "skew");
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("clock skew must be between 0 and 10 minutes, not " + skew);
            }
            this.clockSkew = skew;
            return this;
        }

        /** How long a fetched JWK Set is used; default 5 minutes. */
        public Builder jwksCacheTimeToLive(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("JWKS cache time to live must be positive");
            }
            this.jwksCacheTimeToLive = ttl;
            return this;
        }

        /** Connect and read timeout of a JWKS fetch; default 5 seconds. */
        public Builder jwksTimeout(Duration timeout) {
            this.jwksTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** TLS for a {@code https:} JWKS URI; the JVM default when {@code null}. */
        public Builder jwksSslSocketFactory(SSLSocketFactory factory) {
            this.jwksSslSocketFactory = factory;
            return this;
        }

        /** The clock {@code exp} and {@code nbf} are compared with (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IOException if the PEM file cannot be read or holds an unusable key
         */
        public JwtValidator build() throws IOException {
            if ((publicKeyFile == null) == (jwksUri == null)) {
                throw new IllegalStateException("set exactly one of publicKey and jwksUri");
            }
            if (publicKeyFile != null) {
                PublicKey key = PemPublicKeys.read(publicKeyFile);
                String description = "PEM " + publicKeyFile + " (" + checkPemKey(key, publicKeyFile) + ")";
                return new JwtValidator(this, pemSelector(key), description);
            }
            int timeoutMs = (int) Math.min(Integer.MAX_VALUE, jwksTimeout.toMillis());
            DefaultResourceRetriever retriever = new DefaultResourceRetriever(timeoutMs, timeoutMs,
                    JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT, true, jwksSslSocketFactory);
            JWKSource<SecurityContext> source;
            try {
                source = JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL(), retriever)
                        .cache(jwksCacheTimeToLive.toMillis(), JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                        .refreshAheadCache(false)
                        .build();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("bad JWKS URI " + jwksUri, e);
            }
            JWSKeySelector<SecurityContext> jwks = new JWSVerificationKeySelector<>(ALGORITHMS, source);
            JWSKeySelector<SecurityContext> strongOnly = (header, ctx) -> jwks.selectJWSKeys(header, ctx).stream()
                    .filter(k -> !(k instanceof RSAPublicKey r) || r.getModulus().bitLength() >= MIN_RSA_BITS)
                    .toList();
            return new JwtValidator(this, strongOnly, "JWKS " + jwksUri);
        }

        private static String checkPemKey(PublicKey key, Path file) throws IOException {
            if (key instanceof RSAPublicKey rsa) {
                int bits = rsa.getModulus().bitLength();
                if (bits < MIN_RSA_BITS) {
                    throw new IOException(file + ": RSA key of " + bits + " bits is too short (at least "
                            + MIN_RSA_BITS + ")");
                }
                return "RSA " + bits + ", RS256";
            }
            if (key instanceof ECPublicKey ec) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (!Curve.P_256.equals(curve)) {
                    throw new IOException(file + ": EC key on " + (curve == null ? "an unknown curve" : curve)
                            + " cannot verify ES256 (P-256 only)");
                }
                return "EC P-256, ES256";
            }
            throw new IOException(file + ": " + key.getAlgorithm() + " key is not supported (RSA or EC P-256)");
        }

        private static JWSKeySelector<SecurityContext> pemSelector(PublicKey key) {
            List<Key> one = List.of(key);
            JWSAlgorithm alg = key instanceof RSAPublicKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
            return (header, ctx) -> alg.equals(header.getAlgorithm()) ? one : List.of();
        }
    }
}
