package org.cameldicomsecure.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerAuthenticatorTest {

    @TempDir
    static Path dir;
    static KeyPair keys;
    static KeyPair otherKeys;
    static BearerAuthenticator auth;

    @BeforeAll
    static void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
        otherKeys = g.generateKeyPair();
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(keys.getPublic());
        }
        Path pem = Files.writeString(dir.resolve("pub.pem"), sw.toString());
        auth = BearerAuthenticator.builder().publicKey(pem).issuer("https://idp").audience("pacs").realm("PACS")
                .build();
    }

    static String token(KeyPair kp, String aud, Instant exp, JWTClaimsSet.Builder extra) throws Exception {
        JWTClaimsSet.Builder c = extra == null ? new JWTClaimsSet.Builder() : extra;
        c.subject("alice").issuer("https://idp").audience(aud).expirationTime(Date.from(exp));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt"))
                .build(), c.build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) kp.getPrivate()));
        return jwt.serialize();
    }

    static String valid(JWTClaimsSet.Builder extra) throws Exception {
        return token(keys, "pacs", Instant.now().plusSeconds(300), extra);
    }

    @Test
    void acceptsAValidTokenAndReadsItsScopes() throws Exception {
        BearerAuthenticator.Result r = auth.authenticate(List.of("Bearer " + valid(
                new JWTClaimsSet.Builder().claim("scope", "dicom.read  dicom.write"))));
        assertTrue(r.ok(), String.valueOf(r.reason()));
        assertEquals("alice", r.token().principal());
        assertEquals(Set.of("dicom.read", "dicom.write"), r.token().scopes());
        assertTrue(r.token().hasScopes(Set.of("dicom.write")));
        assertFalse(r.token().hasScopes(Set.of("dicom.delete")));
        // scheme is case-insensitive (RFC 7235 2.1); scp as an array
        r = auth.authenticate(List.of("bearer " + valid(new JWTClaimsSet.Builder().claim("scp",
                List.of("a", "b")))));
        assertTrue(r.ok(), String.valueOf(r.reason()));
        assertEquals(Set.of("a", "b"), r.token().scopes());
        assertFalse(r.token().toString().contains("eyJ"));
    }

    @Test
    void challengesFollowRfc6750() throws Exception {
        BearerAuthenticator.Result missing = auth.authenticate(List.of());
        assertEquals(BearerAuthenticator.Status.MISSING, missing.status());
        assertEquals(401, missing.httpStatus());
        assertEquals("Bearer realm=\"PACS\"", auth.challenge(missing));
        assertEquals(BearerAuthenticator.Status.MISSING,
                auth.authenticate(List.of("Basic YWxhZGRpbjpvcGVuc2VzYW1l")).status());

        BearerAuthenticator.Result two = auth.authenticate(List.of("Bearer a", "Bearer b"));
        assertEquals(400, two.httpStatus());
        assertTrue(auth.challenge(two).startsWith("Bearer realm=\"PACS\", error=\"invalid_request\""));

        String expired = token(keys, "pacs", Instant.now().minusSeconds(3600), null);
        BearerAuthenticator.Result r = auth.authenticate(List.of("Bearer " + expired));
        assertEquals(BearerAuthenticator.Status.INVALID_TOKEN, r.status());
        assertTrue(r.reason().startsWith("JWT expired at"), r.reason());
        String ch = auth.challenge(r);
        assertTrue(ch.startsWith("Bearer realm=\"PACS\", error=\"invalid_token\", error_description=\"JWT expired"),
                ch);
        assertFalse(ch.contains(expired));

        r = auth.authenticate(List.of("Bearer " + token(keys, "other", Instant.now().plusSeconds(300), null)));
        assertEquals(BearerAuthenticator.Status.INVALID_TOKEN, r.status());
        assertTrue(r.reason().contains("audience"), r.reason());
        // error_description may hold only %x20-21 / %x23-5B / %x5D-7E: the quotes of the reason are replaced
        assertFalse(auth.challenge(r).substring(auth.challenge(r).indexOf("error_description=\"") + 19)
                .replaceFirst("\"$", "").contains("\""));

        r = auth.authenticate(List.of("Bearer " + token(otherKeys, "pacs", Instant.now().plusSeconds(300), null)));
        assertEquals("JWT signature invalid", r.reason());
        r = auth.authenticate(List.of("Bearer not a token"));
        assertEquals(BearerAuthenticator.Status.INVALID_TOKEN, r.status());
        assertNull(r.token());

        assertEquals("Bearer realm=\"PACS\", error=\"insufficient_scope\", error_description=\"the access token lacks"
                + " a required scope\", scope=\"dicom.write\"", auth.insufficientScope(Set.of("dicom.write")));
    }

    @Test
    void realmMustBeQuotable() {
        assertThrows(IllegalArgumentException.class, () -> BearerAuthenticator.builder().realm("a\"b"));
    }
}
