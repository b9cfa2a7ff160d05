package org.cameldicomsecure.it.dicomweb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * An OAuth 2.0 authorization server's signing key for the ITs: an RSA 2048 key generated in the test, its public JWKS
 * written to a file (the consumer's {@code jwksUri=file:...}), and RS256 JWT access tokens (RFC 9068 shape:
 * {@code iss}, {@code sub}, {@code aud}, {@code exp}, {@code iat}, {@code jti}, {@code scope}) minted on demand.
 */
public final class Tokens {

    public static final String ISSUER = "https://idp.test.invalid/";
    public static final String AUDIENCE = "dicomweb-gateway";

    private final RSAKey key;
    public final Path jwks;

    private Tokens(RSAKey key, Path jwks) {
        this.key = key;
        this.jwks = jwks;
    }

    /** A new key; its public JWKS is written to {@code dir/name.jwks.json}. */
    public static Tokens create(Path dir, String name) throws Exception {
        RSAKey k = new RSAKeyGenerator(2048).keyID(name + "-" + UUID.randomUUID()).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).generate();
        Files.createDirectories(dir);
        Path f = dir.resolve(name + ".jwks.json");
        Files.writeString(f, new JWKSet(k.toPublicJWK()).toString(true));
        return new Tokens(k, f);
    }

    /** {@code jwksUri=file:...&jwtIssuer=...&jwtAudience=...} */
    public String consumerOptions() {
        return "jwksUri=" + jwks.toUri() + "&jwtIssuer=" + ISSUER + "&jwtAudience=" + AUDIENCE;
    }

    /** A valid token for {@code subject} with {@code scopes}, valid for 10 minutes. */
    public String token(String subject, String... scopes) throws Exception {
        return token(subject, ISSUER, AUDIENCE, Duration.ofMinutes(10), scopes);
    }

    /** A token with the given claims; a negative {@code lifetime} gives a token that has already expired. */
    public String token(String subject, String issuer, String audience, Duration lifetime, String... scopes)
            throws Exception {
        Instant now = Instant.now();
        Instant iat = lifetime.isNegative() ? now.plus(lifetime).minus(Duration.ofMinutes(5)) : now;
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(issuer).subject(subject)
                .audience(List.of(audience)).issueTime(Date.from(iat)).notBeforeTime(Date.from(iat))
                .expirationTime(Date.from(now.plus(lifetime))).jwtID(UUID.randomUUID().toString());
        if (scopes.length > 0) {
            c.claim("scope", String.join(" ", scopes));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), c.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** A token signed by another key that has the same key id (so only the signature is wrong). */
    public String forgedToken(String subject, String... scopes) throws Exception {
        RSAKey other = new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();
        Instant now = Instant.now();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(ISSUER).subject(subject)
                .audience(List.of(AUDIENCE)).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
        if (scopes.length > 0) {
            c.claim("scope", String.join(" ", scopes));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                c.build());
        jwt.sign(new RSASSASigner(other));
        return jwt.serialize();
    }
}
