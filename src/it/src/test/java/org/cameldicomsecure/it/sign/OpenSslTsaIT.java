package org.cameldicomsecure.it.sign;

import static org.cameldicomsecure.it.Peers.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.it.peers.OpenSslTsa;
import org.cameldicomsecure.sign.TimestampClient;
import org.cameldicomsecure.sign.TimestampException;
import org.cameldicomsecure.sign.TimestampException.Reason;
import org.cameldicomsecure.sign.TimestampInfo;
import org.cameldicomsecure.sign.TimestampVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Certified timestamps (PS3.3 C.12.1.1.3.1.3, Certified Timestamp Type {@code CMS_TSP}) with a real TSA,
 * OpenSSL 3's {@code openssl ts -reply} ({@link OpenSslTsa}): our {@link TimestampClient} gets tokens over HTTP and
 * our {@link TimestampVerifier} accepts them; the very bytes we would store in Certified Timestamp (0400,0310) pass
 * {@code openssl ts -verify -token_in}; a token for other data, a changed token and a token judged against another CA
 * are refused by both; tokens made by {@code openssl ts -query}/{@code -reply} run by hand (ESSCertIDv2 and ESSCertID,
 * with and without certificates and nonce) pass our verifier; OpenSSL's rejections reach our client's message.
 */
class OpenSslTsaIT {

    private static Peers peers;
    private static Path openssl;
    private static OpenSslTsa tsa;
    private static Path work;
    private static Path otherCaPem;
    private static X509Certificate otherCa;
    private static final AtomicInteger FILES = new AtomicInteger();

    @BeforeAll
    static void startTsa() throws Exception {
        peers = Peers.forTest(OpenSslTsaIT.class);
        openssl = Peers.require("openssl", "openssl");
        tsa = OpenSslTsa.start(peers);
        work = Files.createDirectories(tsa.dir().resolve("it"));
        // an unrelated CA, for the refusal of an untrusted TSA
        otherCaPem = work.resolve("other-ca.pem");
        peers.run("other-ca", work, cmd(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                work.resolve("other-ca.key"), "-out", otherCaPem, "-subj", "/CN=OpenSslTsaIT unrelated CA",
                "-days", "2")).assertSuccess();
        try (InputStream in = Files.newInputStream(otherCaPem)) {
            otherCa = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @AfterAll
    static void stopTsa() {
        if (tsa != null) {
            tsa.close();
        }
    }

    /** A stand-in for a Signature (0400,0120) value: 256 random bytes, like an RSA-2048 signature. */
    private static byte[] signatureValue() {
        byte[] b = new byte[256];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        Path p = work.resolve(String.format("%03d-%s", FILES.incrementAndGet(), name));
        Files.write(p, bytes);
        return p;
    }

    /** {@code openssl ts -verify -data DATA -in TOKEN -token_in -CAfile CA -untrusted tsa.pem}. */
    private static Peers.Result opensslVerify(Path data, Path token, Path caFile)
            throws IOException, InterruptedException {
        return peers.run("ts-verify", work, cmd(openssl, "ts", "-verify", "-data", data, "-in", token, "-token_in",
                "-CAfile", caFile, "-untrusted", tsa.tsaCertificatePem()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA-256", "SHA-384", "SHA-512"})
    void ourTokenFromOpenSslTsaPassesOursAndOpenSsl(String digest) throws Exception {
        byte[] signature = signatureValue();
        int before = tsa.requestCount();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TimestampClient client = new TimestampClient(tsa.url(), digest, null, Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        byte[] token = client.timestamp(signature);
        assertEquals(before + 1, tsa.requestCount(), "the token came over HTTP from the OpenSSL TSA");

        TimestampInfo info = TimestampVerifier.verify(token, signature, List.of(tsa.caCertificate()));
        assertEquals(tsa.tsaCertificate().getSubjectX500Principal().getName(), info.tsaSubject());
        assertEquals(tsa.defaultPolicyOid(), info.policyOid());
        assertEquals(digest, info.hashAlgorithm());
        assertFalse(info.genTime().isBefore(start), info.genTime() + " before " + start);
        assertFalse(info.genTime().isAfter(Instant.now()), info.genTime().toString());

        Path data = write("signature.bin", signature);
        Path stored = write("token-" + digest + ".der", token);
        Peers.Result r = opensslVerify(data, stored, tsa.caCertificatePem()).assertSuccess();
        assertTrue(r.out().contains("Verification: OK"), r.out() + r.err());

        // OpenSSL reads the same token: the imprint algorithm, the policy and our nonce
        String text = peers.run("ts-text", work, cmd(openssl, "ts", "-reply", "-in", stored, "-token_in", "-text",
                "-token_out")).assertSuccess().out();
        assertTrue(text.contains("Policy OID: " + tsa.defaultPolicyOid()), text);
        assertTrue(text.toLowerCase().contains(digest.toLowerCase().replace("-", "")), text);
        assertTrue(text.contains("Nonce: 0x"), text);
    }

    @Test
    void tokenForOtherDataIsRefusedByBoth() throws Exception {
        byte[] signature = signatureValue();
        byte[] token = new TimestampClient(tsa.url()).timestamp(signature);
        byte[] other = signature.clone();
        other[17] ^= 0x40;

        TimestampException e = assertThrows(TimestampException.class,
                () -> TimestampVerifier.verify(token, other, List.of(tsa.caCertificate())));
        assertEquals(Reason.IMPRINT_MISMATCH, e.reason(), e.getMessage());

        Path stored = write("token.der", token);
        Peers.Result r = opensslVerify(write("other.bin", other), stored, tsa.caCertificatePem());
        assertNotEquals(0, r.exitCode(), r.out());
        assertTrue((r.out() + r.err()).contains("message imprint mismatch"), r.out() + r.err());
        // and both accept the right data
        opensslVerify(write("signature.bin", signature), stored, tsa.caCertificatePem()).assertSuccess();
        TimestampVerifier.verify(token, signature, List.of(tsa.caCertificate()));
    }

    @Test
    void changedTokenIsRefusedByBoth() throws Exception {
        byte[] signature = signatureValue();
        byte[] token = new TimestampClient(tsa.url()).timestamp(signature);
        byte[] changed = token.clone();
        changed[changed.length - 1] ^= 0x01; // the last byte of the SignerInfo's signature
        TimestampException e = assertThrows(TimestampException.class,
                () -> TimestampVerifier.verify(changed, signature, List.of(tsa.caCertificate())));
        assertEquals(Reason.SIGNATURE_INVALID, e.reason(), e.getMessage());
        Peers.Result r = opensslVerify(write("signature.bin", signature), write("changed.der", changed),
                tsa.caCertificatePem());
        assertNotEquals(0, r.exitCode(), r.out());
    }

    @Test
    void tokenJudgedAgainstAnotherCaIsRefusedByBoth() throws Exception {
        byte[] signature = signatureValue();
        byte[] token = new TimestampClient(tsa.url()).timestamp(signature);
        TimestampException e = assertThrows(TimestampException.class,
                () -> TimestampVerifier.verify(token, signature, List.of(otherCa)));
        assertEquals(Reason.UNTRUSTED, e.reason(), e.getMessage());
        Peers.Result r = opensslVerify(write("signature.bin", signature), write("token.der", token), otherCaPem);
        assertNotEquals(0, r.exitCode(), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {OpenSslTsa.DEFAULT_SECTION, OpenSslTsa.SHA1_SECTION})
    void tokenMadeByOpenSslByHandPassesOurVerifier(String section) throws Exception {
        byte[] signature = signatureValue();
        Path data = write("signature.bin", signature);
        Path query = work.resolve(FILES.incrementAndGet() + "-query.tsq");
        peers.run("ts-query", work, cmd(openssl, "ts", "-query", "-data", data, "-sha512", "-cert", "-out", query))
                .assertSuccess();
        Path token = work.resolve(FILES.incrementAndGet() + "-" + section + ".der");
        tsa.reply(section, query, token, List.of("-token_out")).assertSuccess();

        TimestampInfo info = TimestampVerifier.verify(Files.readAllBytes(token), signature,
                List.of(tsa.caCertificate()));
        assertEquals("SHA-512", info.hashAlgorithm());
        assertEquals(tsa.defaultPolicyOid(), info.policyOid());
        assertEquals(tsa.tsaCertificate().getSubjectX500Principal().getName(), info.tsaSubject());
        // OpenSSL agrees
        opensslVerify(data, token, tsa.caCertificatePem()).assertSuccess();

        byte[] other = signature.clone();
        other[0] ^= 1;
        TimestampException e = assertThrows(TimestampException.class,
                () -> TimestampVerifier.verify(Files.readAllBytes(token), other, List.of(tsa.caCertificate())));
        assertEquals(Reason.IMPRINT_MISMATCH, e.reason(), e.getMessage());
    }

    @Test
    void handMadeTokenWithoutCertificateOrNonce() throws Exception {
        byte[] signature = signatureValue();
        Path data = write("signature.bin", signature);
        Path query = work.resolve(FILES.incrementAndGet() + "-query.tsq");
        // no -cert: the token carries no certificate; -no_nonce; another accepted policy
        peers.run("ts-query", work, cmd(openssl, "ts", "-query", "-data", data, "-sha256", "-no_nonce",
                "-tspolicy", tsa.otherPolicyOid(), "-out", query)).assertSuccess();
        Path token = work.resolve(FILES.incrementAndGet() + "-nocert.der");
        tsa.reply(OpenSslTsa.DEFAULT_SECTION, query, token, List.of("-token_out")).assertSuccess();
        byte[] der = Files.readAllBytes(token);

        TimestampException e = assertThrows(TimestampException.class,
                () -> TimestampVerifier.verify(der, signature, List.of(tsa.caCertificate())));
        assertEquals(Reason.SIGNER_CERTIFICATE_MISSING, e.reason(), e.getMessage());
        // with the TSA certificate among the trusted ones, it is found there
        TimestampInfo info = TimestampVerifier.verify(der, signature,
                List.of(tsa.caCertificate(), tsa.tsaCertificate()));
        assertEquals(tsa.otherPolicyOid(), info.policyOid());
        // OpenSSL needs the TSA certificate from -untrusted for this one
        opensslVerify(data, token, tsa.caCertificatePem()).assertSuccess();
    }

    @Test
    void ourClientRequestsAnAcceptedPolicy() throws Exception {
        byte[] signature = signatureValue();
        TimestampClient client = new TimestampClient(tsa.url(), "SHA-256", tsa.otherPolicyOid(),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
        byte[] token = client.timestamp(signature);
        assertEquals(tsa.otherPolicyOid(),
                TimestampVerifier.verify(token, signature, List.of(tsa.caCertificate())).policyOid());
    }

    @Test
    void openSslRejectionsNameTheFailure() throws Exception {
        byte[] signature = signatureValue();
        // SHA3-256 is not in the TSA's digests list
        TimestampClient sha3 = new TimestampClient(tsa.url(), "SHA3-256", null, Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        TimestampException e = assertThrows(TimestampException.class, () -> sha3.timestamp(signature));
        assertEquals(Reason.REJECTED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("status rejection (2)"), e.getMessage());
        assertTrue(e.getMessage().contains("badAlg"), e.getMessage());

        // a policy the TSA does not have
        TimestampClient unknownPolicy = new TimestampClient(tsa.url(), "SHA-256",
                tsa.otherPolicyOid() + ".1", Duration.ofSeconds(5), Duration.ofSeconds(30));
        e = assertThrows(TimestampException.class, () -> unknownPolicy.timestamp(signature));
        assertEquals(Reason.REJECTED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("unacceptedPolicy"), e.getMessage());
    }
}
