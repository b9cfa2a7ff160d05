package org.cameldicomsecure.net.auth;

import static org.cameldicomsecure.net.auth.AuthTestSupport.PEER;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No passcode and no token, nor a part of one, may reach a toString(), an exception message or a log line. */
class CredentialLeakTest {

    private static final String PASSCODE = "Pa55code-7f3a9c-SECRET";

    @TempDir
    Path dir;

    @Test
    void passcodeNeverAppearsInResultsDecisionsMessagesOrLogs() throws Exception {
        Path f = Files.writeString(dir.resolve("htpasswd"), "alice:" + AuthTestSupport.bcrypt("2y", PASSCODE) + "\n");
        HtpasswdValidator v = HtpasswdValidator.load(f);
        UserIdentityPolicy policy = new UserIdentityPolicy(UserIdentityMode.REQUIRED, v);

        List<String> texts = new ArrayList<>();
        String log = captureStderr(() -> {
            for (UserIdentityRQ rq : List.of(UserIdentityRQ.usernamePasscode("alice", PASSCODE, true),
                    UserIdentityRQ.usernamePasscode("alice", PASSCODE + "x", true),
                    // a passcode typed into the username field must not be logged either
                    UserIdentityRQ.usernamePasscode(PASSCODE, PASSCODE, true))) {
                texts.add(rq.toString());
                AuthenticationResult r = v.validate(rq, PEER);
                texts.add(r.toString());
                texts.add(r.reason().orElse(""));
                UserIdentityDecision d = policy.decide(rq, PEER);
                texts.add(d.toString());
                texts.add(d.reason().orElse(""));
            }
        });
        texts.add(v.toString());
        texts.add(policy.toString());
        texts.add(log);

        Files.writeString(f, "alice:" + PASSCODE + "\n");
        HtpasswdFormatException e = assertThrows(HtpasswdFormatException.class, () -> HtpasswdValidator.load(f));
        texts.add(e.getMessage());
        texts.add(e.toString());

        for (String t : texts) {
            assertFalse(t.contains(PASSCODE), "passcode leaked into: " + t);
            assertFalse(t.contains("Pa55code"), "part of the passcode leaked into: " + t);
        }
        assertTrue(log.contains("user identity rejected"), "the rejections were logged: " + log);
    }

    @Test
    void tokenNeverAppearsInResultsDecisionsOrLogs() throws Exception {
        KeyPair rsa = AuthTestSupport.rsa(2048);
        Path pem = AuthTestSupport.writePublicKeyPem(dir, "rsa.pem", rsa.getPublic());
        JwtValidator v = JwtValidator.builder().publicKey(pem).issuer("https://idp").audience("scp").build();
        UserIdentityPolicy policy = new UserIdentityPolicy(UserIdentityMode.REQUIRED, v);

        JWTClaimsSet good = new JWTClaimsSet.Builder().subject("u").issuer("https://idp").audience("scp")
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
        JWTClaimsSet expired = new JWTClaimsSet.Builder(good)
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build();
        JWTClaimsSet wrongIssuer = new JWTClaimsSet.Builder(good).issuer("https://other").build();
        List<String> tokens = List.of(
                signed(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()), good),
                signed(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()), expired),
                signed(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()), wrongIssuer),
                signed(JWSAlgorithm.RS256, new RSASSASigner(AuthTestSupport.rsa(2048).getPrivate()), good),
                signed(JWSAlgorithm.HS256, new MACSigner(new byte[32]), good),
                new PlainJWT(good).serialize(),
                "garbage-token-" + PASSCODE);

        List<String> texts = new ArrayList<>();
        String log = captureStderr(() -> {
            for (String token : tokens) {
                UserIdentityRQ rq = AuthTestSupport.jwtIdentity(token, true);
                texts.add(rq.toString());
                AuthenticationResult r = v.validate(rq, PEER);
                texts.add(r.toString());
                UserIdentityDecision d = policy.decide(rq, PEER);
                texts.add(d.toString());
            }
        });
        texts.add(v.toString());
        texts.add(log);

        for (String token : tokens) {
            for (String part : token.split("\\.")) {
                if (part.length() >= 16) {
                    for (String t : texts) {
                        assertFalse(t.contains(part), "a token part leaked into: " + t);
                    }
                }
            }
        }
        for (String t : texts) {
            assertFalse(t.contains("Pa55code"), "token text leaked into: " + t);
        }
    }

    private static String signed(JWSAlgorithm alg, com.nimbusds.jose.JWSSigner signer, JWTClaimsSet claims)
            throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** slf4j-simple writes to the current System.err. */
    private static String captureStderr(ThrowingRunnable r) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
