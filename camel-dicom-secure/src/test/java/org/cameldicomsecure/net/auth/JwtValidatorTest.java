package org.cameldicomsecure.net.auth;

import static org.cameldicomsecure.net.auth.AuthTestSupport.PEER;
import static org.cameldicomsecure.net.auth.AuthTestSupport.jwtIdentity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtValidatorTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String ISSUER = "https://idp.example.org";
    static final String AUDIENCE = "dicom:CDS_SCP";

    static KeyPair rsa;
    static KeyPair otherRsa;
    static KeyPair ec;

    @TempDir
    static Path dir;
    static Path rsaPem;
    static Path ecPem;

    @BeforeAll
    static void keys() throws Exception {
        rsa = AuthTestSupport.rsa(2048);
        otherRsa = AuthTestSupport.rsa(2048);
        ec = AuthTestSupport.ec("secp256r1");
        rsaPem = AuthTestSupport.writePublicKeyPem(dir, "rsa.pem", rsa.getPublic());
        ecPem = AuthTestSupport.writePublicKeyPem(dir, "ec.pem", ec.getPublic());
    }

    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("dr.house").issuer(ISSUER).audience(AUDIENCE)
                .issueTime(Date.from(NOW.minusSeconds(10))).expirationTime(Date.from(NOW.plusSeconds(300)));
    }

    static String sign(JWSAlgorithm alg, JWSSigner signer, String kid, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static String rs256(JWTClaimsSet claims) throws Exception {
        return sign(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()), null, claims);
    }

    static JwtValidator rsaValidator() throws IOException {
        return JwtValidator.builder().publicKey(rsaPem).issuer(ISSUER).audience(AUDIENCE).clock(CLOCK).build();
    }

    static AuthenticationResult check(JwtValidator v, String token) {
        return v.validate(jwtIdentity(token, true), PEER);
    }

    static String reason(AuthenticationResult r) {
        assertFalse(r.isAccepted(), "expected a rejection, got " + r);
        return r.reason().orElseThrow();
    }

    @Test
    void goodRs256TokenIsAcceptedWithSubAsPrincipal() throws Exception {
        AuthenticationResult r = check(rsaValidator(), rs256(claims().build()));
        assertTrue(r.isAccepted(), r::toString);
        assertEquals("dr.house", r.principal().orElseThrow());
        assertEquals(0, r.serverResponse().length);
    }

    @Test
    void goodEs256TokenFromAnEcPemKeyIsAccepted() throws Exception {
        JwtValidator v = JwtValidator.builder().publicKey(ecPem).clock(CLOCK).build();
        String token = sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) ec.getPrivate()), "any-kid",
                claims().build());
        AuthenticationResult r = check(v, token);
        assertTrue(r.isAccepted(), r::toString);
        assertEquals("dr.house", r.principal().orElseThrow());
        // an RS256 token cannot use the EC key
        assertTrue(reason(check(v, rs256(claims().build()))).startsWith("no configured key matches the JWT (alg RS256"));
    }

    @Test
    void keyFromAnX509CertificatePemWorks() throws Exception {
        // keytool (from the running JDK) makes the certificate; nothing is committed
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = dir.resolve("idp.p12");
        Path cert = dir.resolve("idp-cert.pem");
        run(keytool.toString(), "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "idp",
                "-dname", "CN=idp", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit");
        run(keytool.toString(), "-exportcert", "-rfc", "-alias", "idp", "-keystore", store.toString(),
                "-storepass", "changeit", "-file", cert.toString());
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        ECPrivateKey key = (ECPrivateKey) ks.getKey("idp", "changeit".toCharArray());

        JwtValidator v = JwtValidator.builder().publicKey(cert).clock(CLOCK).build();
        assertTrue(v.toString().contains("EC P-256"), v::toString);
        String token = sign(JWSAlgorithm.ES256, new ECDSASigner(key), null, claims().build());
        assertTrue(check(v, token).isAccepted());
    }

    @Test
    void pemWithoutAKeyBlockNamesTheProblem() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        IOException e = assertThrows(IOException.class, () -> JwtValidator.builder().publicKey(empty).build());
        assertTrue(e.getMessage().contains("no PEM 'PUBLIC KEY' or 'CERTIFICATE' block"), e.getMessage());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "keytool hung");
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void tokenSignedByAnotherKeyHasAnInvalidSignature() throws Exception {
        String forged = sign(JWSAlgorithm.RS256, new RSASSASigner(otherRsa.getPrivate()), null, claims().build());
        assertEquals("JWT signature invalid", reason(check(rsaValidator(), forged)));
    }

    @Test
    void tamperedPayloadHasAnInvalidSignature() throws Exception {
        String[] parts = rs256(claims().build()).split("\\.");
        String otherPayload = SignedJWT.parse(rs256(claims().subject("admin").build())).getParsedParts()[1].toString();
        String tampered = parts[0] + "." + otherPayload + "." + parts[2];
        assertEquals("JWT signature invalid", reason(check(rsaValidator(), tampered)));
    }

    @Test
    void expiredTokenIsRejectedButClockSkewIsHonoured() throws Exception {
        Instant exp = NOW.minusSeconds(120);
        String expired = rs256(claims().expirationTime(Date.from(exp)).build());
        assertEquals("JWT expired at " + exp, reason(check(rsaValidator(), expired)));

        String justExpired = rs256(claims().expirationTime(Date.from(NOW.minusSeconds(30))).build());
        assertTrue(check(rsaValidator(), justExpired).isAccepted(), "within the default 60 s skew");

        JwtValidator strict = JwtValidator.builder().publicKey(rsaPem).clockSkew(Duration.ZERO).clock(CLOCK).build();
        assertTrue(reason(check(strict, justExpired)).startsWith("JWT expired at "));
    }

    @Test
    void expIsRequired() throws Exception {
        String noExp = rs256(claims().expirationTime(null).build());
        assertEquals("JWT has no exp claim", reason(check(rsaValidator(), noExp)));
    }

    @Test
    void notBeforeIsHonoured() throws Exception {
        Instant nbf = NOW.plusSeconds(600);
        String early = rs256(claims().notBeforeTime(Date.from(nbf)).expirationTime(Date.from(NOW.plusSeconds(900)))
                .build());
        assertEquals("JWT not valid before " + nbf, reason(check(rsaValidator(), early)));
        String nearlyValid = rs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(30))).build());
        assertTrue(check(rsaValidator(), nearlyValid).isAccepted());
    }

    @Test
    void wrongIssuerIsRejected() throws Exception {
        String token = rs256(claims().issuer("https://evil.example").build());
        assertEquals("JWT issuer 'https://evil.example' not accepted", reason(check(rsaValidator(), token)));
        assertEquals("JWT has no iss claim", reason(check(rsaValidator(), rs256(claims().issuer(null).build()))));
    }

    @Test
    void issuerAndAudienceAreNotCheckedWhenNotConfigured() throws Exception {
        JwtValidator lax = JwtValidator.builder().publicKey(rsaPem).clock(CLOCK).build();
        assertTrue(check(lax, rs256(claims().issuer("anyone").audience("anything").build())).isAccepted());
    }

    @Test
    void wrongAudienceIsRejected() throws Exception {
        String token = rs256(claims().audience("dicomweb").build());
        assertEquals("JWT audience 'dicomweb' not accepted", reason(check(rsaValidator(), token)));
        assertEquals("JWT has no aud claim",
                reason(check(rsaValidator(), rs256(claims().audience((String) null).build()))));
        String several = rs256(claims().audience(List.of("dicomweb", AUDIENCE)).build());
        assertTrue(check(rsaValidator(), several).isAccepted());
    }

    @Test
    void algNoneIsRejected() throws Exception {
        String unsigned = new PlainJWT(claims().build()).serialize();
        assertEquals("JWT algorithm 'none' not accepted (RS256, ES256 only)", reason(check(rsaValidator(), unsigned)));
    }

    @Test
    void hs256IsRejectedEvenWithThePublicKeyAsSecret() throws Exception {
        byte[] secret = new byte[32];
        String hs = sign(JWSAlgorithm.HS256, new MACSigner(secret), null, claims().build());
        assertEquals("JWT algorithm 'HS256' not accepted (RS256, ES256 only)", reason(check(rsaValidator(), hs)));
        // the classic key confusion: HMAC keyed with the verifier's public key
        String confused = sign(JWSAlgorithm.HS256, new MACSigner(rsa.getPublic().getEncoded()), null,
                claims().build());
        assertFalse(check(rsaValidator(), confused).isAccepted());
    }

    @Test
    void otherAsymmetricAlgorithmsAreRejected() throws Exception {
        String rs384 = sign(JWSAlgorithm.RS384, new RSASSASigner(rsa.getPrivate()), null, claims().build());
        assertEquals("JWT algorithm 'RS384' not accepted (RS256, ES256 only)", reason(check(rsaValidator(), rs384)));
        String ps256 = sign(JWSAlgorithm.PS256, new RSASSASigner(rsa.getPrivate()), null, claims().build());
        assertFalse(check(rsaValidator(), ps256).isAccepted());
    }

    @Test
    void jwksFromAFileUriSelectsTheKeyByKid() throws Exception {
        JWKSet set = new JWKSet(List.of(
                new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("rsa-1").build(),
                new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.getPublic()).keyID("ec-1").build()));
        Path jwks = Files.writeString(dir.resolve("jwks.json"), set.toString(true), StandardCharsets.UTF_8);
        JwtValidator v = JwtValidator.builder().jwksUri(jwks.toUri()).issuer(ISSUER).clock(CLOCK).build();

        String byRsa = sign(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()), "rsa-1", claims().build());
        String byEc = sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) ec.getPrivate()), "ec-1",
                claims().subject("nurse.joy").build());
        assertEquals("dr.house", check(v, byRsa).principal().orElseThrow());
        assertEquals("nurse.joy", check(v, byEc).principal().orElseThrow());

        String unknownKid = sign(JWSAlgorithm.RS256, new RSASSASigner(otherRsa.getPrivate()), "rsa-2",
                claims().build());
        assertEquals("no configured key matches the JWT (alg RS256, kid 'rsa-2')", reason(check(v, unknownKid)));
        String wrongKeyForKid = sign(JWSAlgorithm.RS256, new RSASSASigner(otherRsa.getPrivate()), "rsa-1",
                claims().build());
        assertEquals("JWT signature invalid", reason(check(v, wrongKeyForKid)));
    }

    @Test
    void unreachableJwksIsARejectionNotAnException() throws Exception {
        JwtValidator v = JwtValidator.builder().jwksUri(dir.resolve("no-such-jwks.json").toUri()).clock(CLOCK).build();
        String token = sign(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()), "rsa-1", claims().build());
        String reason = reason(check(v, token));
        assertTrue(reason.startsWith("JWT key source JWKS file:"), reason);
    }

    @Test
    void onlyHttpsAndFileJwksUrisAreAccepted() {
        assertThrows(IllegalArgumentException.class,
                () -> JwtValidator.builder().jwksUri(URI.create("http://idp.example.org/jwks")));
        assertThrows(IllegalArgumentException.class,
                () -> JwtValidator.builder().jwksUri(URI.create("ftp://idp.example.org/jwks")));
        JwtValidator.builder().jwksUri(URI.create("https://idp.example.org/.well-known/jwks.json"));
    }

    @Test
    void exactlyOneKeySourceIsRequired() {
        assertThrows(IllegalStateException.class, () -> JwtValidator.builder().build());
        assertThrows(IllegalStateException.class,
                () -> JwtValidator.builder().publicKey(rsaPem).jwksUri(URI.create("https://x/jwks")).build());
    }

    @Test
    void unusablePemKeysFailTheBuild() throws Exception {
        Path weak = AuthTestSupport.writePublicKeyPem(dir, "rsa1024.pem", AuthTestSupport.rsa(1024).getPublic());
        IOException e = assertThrows(IOException.class, () -> JwtValidator.builder().publicKey(weak).build());
        assertTrue(e.getMessage().contains("1024 bits is too short"), e.getMessage());

        Path p384 = AuthTestSupport.writePublicKeyPem(dir, "p384.pem", AuthTestSupport.ec("secp384r1").getPublic());
        e = assertThrows(IOException.class, () -> JwtValidator.builder().publicKey(p384).build());
        assertTrue(e.getMessage().contains("P-256 only"), e.getMessage());

        Path priv = AuthTestSupport.writePem(dir, "priv.pem", "PRIVATE KEY", rsa.getPrivate().getEncoded());
        e = assertThrows(IOException.class, () -> JwtValidator.builder().publicKey(priv).build());
        assertTrue(e.getMessage().contains("holds a private key"), e.getMessage());
    }

    @Test
    void principalClaimIsConfigurable() throws Exception {
        JwtValidator v = JwtValidator.builder().publicKey(rsaPem).principalClaim("preferred_username").clock(CLOCK)
                .build();
        String token = rs256(claims().claim("preferred_username", "house").build());
        assertEquals("house", check(v, token).principal().orElseThrow());
        assertEquals("JWT has no 'preferred_username' claim", reason(check(v, rs256(claims().build()))));
        String notString = rs256(claims().claim("preferred_username", 42).build());
        assertEquals("JWT claim 'preferred_username' is not a string", reason(check(v, notString)));
    }

    @Test
    void malformedEmptyAndWrongTypeIdentitiesAreRejected() throws Exception {
        JwtValidator v = rsaValidator();
        assertEquals("JWT malformed", reason(check(v, "not-a-jwt")));
        assertEquals("JWT malformed (payload is not a JSON claims set)",
                reason(check(v, "eyJhbGciOiJSUzI1NiJ9.%%%.abc")));
        assertEquals("JWT empty", reason(check(v, "  ")));
        assertFalse(v.validate(UserIdentityRQ.usernamePasscode("u", "p", false), PEER).isAccepted());
    }

    @Test
    void unexpectedTypHeaderIsRejected() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("secevent+jwt"))
                .build(), claims().build());
        jwt.sign(new RSASSASigner(rsa.getPrivate()));
        assertTrue(reason(check(rsaValidator(), jwt.serialize())).startsWith("JWT rejected: "));
        SignedJWT access = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt"))
                .build(), claims().build());
        access.sign(new RSASSASigner(rsa.getPrivate()));
        assertTrue(check(rsaValidator(), access.serialize()).isAccepted(), "RFC 9068 access tokens are JWTs too");
    }
}
