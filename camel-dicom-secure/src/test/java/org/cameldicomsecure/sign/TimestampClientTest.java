package org.cameldicomsecure.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.tsp.TimeStampResp;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampToken;
import org.cameldicomsecure.sign.TimestampException.Reason;
import org.cameldicomsecure.sign.TimestampVerifierTest.Pki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TimestampClient} against a TSA made here: a JDK {@link HttpServer} on 127.0.0.1 (free port) whose contexts
 * answer with Bouncy Castle's {@link TimeStampResponseGenerator}, correctly or with one fault each (HTTP 500, a
 * redirect, a wrong content type, garbage, a rejection, a wrong nonce, no nonce, another imprint, another policy, no
 * certificate, a certificate that may not sign timestamps, a slow or oversized answer).
 */
class TimestampClientTest {

    private static final byte[] DATA = "a Signature (0400,0120) value".getBytes(StandardCharsets.US_ASCII);

    private static final Pki.Tsa TSA = Pki.tsa("TimestampClientTest TSA");
    private static final Pki.Tsa NOT_TSA = Pki.tsa("TimestampClientTest signer without EKU",
            Pki.Options.defaults().withEku(Pki.Eku.NONE));
    private static final AtomicLong SERIAL = new AtomicLong(1);

    private static HttpServer server;
    private static ExecutorService executor;
    /** The last request each context received, with its Content-Type header. */
    private static final Map<String, TimeStampRequest> REQUESTS = new ConcurrentHashMap<>();
    private static final Map<String, String> CONTENT_TYPES = new ConcurrentHashMap<>();

    /** Builds the reply to a request, or handles the exchange itself and returns null. */
    private interface Answer {
        byte[] reply(TimeStampRequest request, HttpExchange exchange) throws Exception;
    }

    @BeforeAll
    static void startTsa() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        context("/tsa", (req, x) -> granted(req));
        context("/http500", (req, x) -> {
            x.sendResponseHeaders(500, -1);
            return null;
        });
        context("/redirect", (req, x) -> {
            x.getResponseHeaders().add("Location", "/tsa");
            x.sendResponseHeaders(302, -1);
            return null;
        });
        context("/html", (req, x) -> {
            byte[] page = "<html>TSA</html>".getBytes(StandardCharsets.US_ASCII);
            x.getResponseHeaders().add("Content-Type", "text/html");
            x.sendResponseHeaders(200, page.length);
            x.getResponseBody().write(page);
            return null;
        });
        context("/no-type", (req, x) -> {
            byte[] reply = granted(req);
            x.sendResponseHeaders(200, reply.length);
            x.getResponseBody().write(reply);
            return null;
        });
        context("/garbage", (req, x) -> "not a TimeStampResp".getBytes(StandardCharsets.US_ASCII));
        context("/reject", (req, x) -> responder().generateFailResponse(PKIStatus.REJECTION,
                PKIFailureInfo.badAlg | PKIFailureInfo.unacceptedPolicy, "we do not like this request").getEncoded());
        context("/waiting", (req, x) -> responder().generateFailResponse(PKIStatus.WAITING, 0, null).getEncoded());
        context("/wrong-nonce", (req, x) -> granted(rebuild(req, req.getMessageImprintDigest(),
                req.getNonce().add(BigInteger.ONE), req.getReqPolicy(), true)));
        context("/no-nonce", (req, x) -> granted(rebuild(req, req.getMessageImprintDigest(), null,
                req.getReqPolicy(), true)));
        context("/other-imprint", (req, x) -> {
            byte[] other = req.getMessageImprintDigest().clone();
            other[0] ^= 1;
            return granted(rebuild(req, other, req.getNonce(), req.getReqPolicy(), true));
        });
        context("/default-policy", (req, x) -> granted(rebuild(req, req.getMessageImprintDigest(), req.getNonce(),
                null, true)));
        context("/no-cert", (req, x) -> granted(rebuild(req, req.getMessageImprintDigest(), req.getNonce(),
                req.getReqPolicy(), false)));
        context("/not-tsa", (req, x) -> {
            byte[] token = Pki.manualToken(NOT_TSA.key(), NOT_TSA.cert(), List.of(NOT_TSA.cert()), DATA,
                    Instant.now(), req.getNonce());
            return grantedWithToken(token);
        });
        context("/slow", (req, x) -> {
            Thread.sleep(3000);
            return granted(req);
        });
        context("/big", (req, x) -> new byte[TimestampClient.MAX_RESPONSE_BYTES + 10]);
        server.start();
    }

    @AfterAll
    static void stopTsa() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void context(String path, Answer answer) {
        server.createContext(path, x -> {
            try (x) {
                byte[] body = x.getRequestBody().readAllBytes();
                CONTENT_TYPES.put(path, String.valueOf(x.getRequestHeaders().getFirst("Content-Type")));
                TimeStampRequest req = new TimeStampRequest(body);
                REQUESTS.put(path, req);
                byte[] reply = answer.reply(req, x);
                if (reply != null) {
                    x.getResponseHeaders().add("Content-Type", "application/timestamp-reply");
                    x.sendResponseHeaders(200, reply.length);
                    try (OutputStream out = x.getResponseBody()) {
                        out.write(reply);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away (it does on /big and /slow), or the server is stopping
            } catch (Exception e) {
                // the client sees a dropped connection; the test then fails on its own assertion
                e.printStackTrace();
            }
        });
    }

    private static TimeStampResponseGenerator responder() throws Exception {
        return new TimeStampResponseGenerator(TSA.generator(), TSPAlgorithms.ALLOWED);
    }

    private static byte[] granted(TimeStampRequest req) throws Exception {
        return responder().generate(req, BigInteger.valueOf(SERIAL.incrementAndGet()), new Date()).getEncoded();
    }

    /** A granted TimeStampResp around a token made elsewhere. */
    private static byte[] grantedWithToken(byte[] token) throws Exception {
        return new TimeStampResp(new PKIStatusInfo(PKIStatus.granted), ContentInfo.getInstance(token)).getEncoded();
    }

    private static TimeStampRequest rebuild(TimeStampRequest req, byte[] digest, BigInteger nonce,
            ASN1ObjectIdentifier policy, boolean certReq) {
        TimeStampRequestGenerator g = new TimeStampRequestGenerator();
        g.setCertReq(certReq);
        if (policy != null) {
            g.setReqPolicy(policy);
        }
        return nonce == null ? g.generate(req.getMessageImprintAlgOID(), digest)
                : g.generate(req.getMessageImprintAlgOID(), digest, nonce);
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static TimestampClient client(String path) {
        return new TimestampClient(url(path));
    }

    private static TimestampException refused(TimestampClient client, Reason reason, String fragment) {
        TimestampException e = assertThrows(TimestampException.class, () -> client.timestamp(DATA));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        return e;
    }

    // ---- good ----

    @Test
    void getsVerifiableTokenAndSendsAProperRequest() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        byte[] token = client("/tsa").timestamp(DATA);
        TimestampInfo info = TimestampVerifier.verify(token, DATA, List.of(TSA.ca()));
        assertFalse(info.genTime().isBefore(before.truncatedTo(ChronoUnit.SECONDS)));
        assertFalse(info.genTime().isAfter(Instant.now()));
        assertEquals("SHA-256", info.hashAlgorithm());
        assertEquals(Pki.POLICY, info.policyOid());

        // the stored bytes are the DER token, a ContentInfo of SignedData
        TimeStampToken parsed = TimestampVerifier.parse(token);
        assertEquals(CMSObjectIdentifiers.signedData,
                parsed.toCMSSignedData().toASN1Structure().getContentType());

        TimeStampRequest sent = REQUESTS.get("/tsa");
        assertEquals("application/timestamp-query", CONTENT_TYPES.get("/tsa"));
        assertTrue(sent.getCertReq());
        assertNotNull(sent.getNonce());
        assertTrue(sent.getNonce().bitLength() > 32, "a 64-bit random nonce");
        assertEquals(TSPAlgorithms.SHA256, sent.getMessageImprintAlgOID());
        assertEquals(null, sent.getReqPolicy());
    }

    @Test
    void noncesDiffer() throws Exception {
        TimestampClient c = client("/tsa");
        c.timestamp(DATA);
        BigInteger first = REQUESTS.get("/tsa").getNonce();
        c.timestamp(DATA);
        assertFalse(first.equals(REQUESTS.get("/tsa").getNonce()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA-384", "sha512", "SHA3-256"})
    void usesConfiguredDigest(String digest) throws Exception {
        TimestampClient c = new TimestampClient(url("/tsa"), digest, null, Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        byte[] token = c.timestamp(DATA);
        TimestampInfo info = TimestampVerifier.verify(token, DATA, List.of(TSA.ca()));
        assertEquals(c.digestAlgorithm(), info.hashAlgorithm());
        assertEquals(TimestampVerifier.hashOid(digest), REQUESTS.get("/tsa").getMessageImprintAlgOID());
    }

    @Test
    void requestsPolicy() throws Exception {
        TimestampClient c = new TimestampClient(url("/tsa"), "SHA-256", Pki.OTHER_POLICY, Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        byte[] token = c.timestamp(DATA);
        assertEquals(new ASN1ObjectIdentifier(Pki.OTHER_POLICY), REQUESTS.get("/tsa").getReqPolicy());
        assertEquals(Pki.OTHER_POLICY, TimestampVerifier.verify(token, DATA, List.of(TSA.ca())).policyOid());
    }

    // ---- faults ----

    @Test
    void refusesHttpErrors() {
        refused(client("/http500"), Reason.BAD_RESPONSE, "answered HTTP 500");
        refused(client("/redirect"), Reason.BAD_RESPONSE, "answered HTTP 302");
    }

    @Test
    void refusesWrongContentType() {
        refused(client("/html"), Reason.BAD_RESPONSE, "content type 'text/html' instead of application/timestamp-reply");
        refused(client("/no-type"), Reason.BAD_RESPONSE, "content type (none)");
    }

    @Test
    void refusesWhatIsNotATimeStampResp() {
        refused(client("/garbage"), Reason.BAD_RESPONSE, "did not answer with an RFC 3161 TimeStampResp");
        refused(client("/big"), Reason.BAD_RESPONSE, "sent more than " + TimestampClient.MAX_RESPONSE_BYTES);
    }

    @Test
    void namesStatusAndFailureInfoOfRejection() {
        TimestampException e = refused(client("/reject"), Reason.REJECTED, "status rejection (2)");
        assertTrue(e.getMessage().contains("failure info badAlg, unacceptedPolicy"), e.getMessage());
        assertTrue(e.getMessage().contains("we do not like this request"), e.getMessage());
        refused(client("/waiting"), Reason.REJECTED, "status waiting (3)");
    }

    @Test
    void refusesTokenThatDoesNotAnswerTheRequest() {
        refused(client("/wrong-nonce"), Reason.RESPONSE_MISMATCH, "another nonce");
        refused(client("/no-nonce"), Reason.RESPONSE_MISMATCH, "without the nonce");
        refused(client("/other-imprint"), Reason.RESPONSE_MISMATCH, "other data");
        TimestampClient withPolicy = new TimestampClient(url("/default-policy"), "SHA-256", Pki.OTHER_POLICY,
                Duration.ofSeconds(5), Duration.ofSeconds(10));
        refused(withPolicy, Reason.RESPONSE_MISMATCH, "under policy " + Pki.POLICY + " instead of the requested "
                + Pki.OTHER_POLICY);
    }

    @Test
    void refusesTokenWithoutCertificateOrFromNonTsaCertificate() {
        refused(client("/no-cert"), Reason.SIGNER_CERTIFICATE_MISSING, "certReq=true");
        refused(client("/not-tsa"), Reason.NOT_A_TSA_CERTIFICATE, "no extended key usage");
    }

    @Test
    void timesOut() {
        TimestampClient c = new TimestampClient(url("/slow"), "SHA-256", null, Duration.ofSeconds(5),
                Duration.ofMillis(300));
        long start = System.nanoTime();
        refused(c, Reason.CONNECTION, "did not answer within 300 ms");
        assertTrue(System.nanoTime() - start < 2_500_000_000L, "gave up before the TSA answered");
    }

    @Test
    void reportsRefusedConnection() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TimestampClient c = new TimestampClient(URI.create("http://127.0.0.1:" + port + "/tsa"));
        refused(c, Reason.CONNECTION, "cannot connect to the TSA http://127.0.0.1:" + port + "/tsa");
    }

    @Test
    void messagesHideCredentialsInTheUrl() {
        URI secret = URI.create("http://user:s3cret@127.0.0.1:" + server.getAddress().getPort()
                + "/http500?apikey=t0ken#frag");
        TimestampClient c = new TimestampClient(secret);
        TimestampException e = refused(c, Reason.BAD_RESPONSE, "HTTP 500");
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertFalse(e.getMessage().contains("t0ken"), e.getMessage());
        assertFalse(c.toString().contains("s3cret") || c.toString().contains("t0ken"), c.toString());
    }

    @Test
    void refusesBadConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TimestampClient(URI.create("ftp://tsa.example/")));
        assertTrue(e.getMessage().contains("http or https, not 'ftp'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TimestampClient(URI.create("file:/tmp/tsa")));
        assertThrows(IllegalArgumentException.class, () -> new TimestampClient(URI.create("/relative")));
        e = assertThrows(IllegalArgumentException.class, () -> new TimestampClient(url("/tsa"), "MD5", null,
                Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("'MD5'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TimestampClient(url("/tsa"), "SHA-1", null,
                Duration.ofSeconds(1), Duration.ofSeconds(1)));
        e = assertThrows(IllegalArgumentException.class, () -> new TimestampClient(url("/tsa"), "SHA-256",
                "not-an-oid", Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("not-an-oid"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TimestampClient(url("/tsa"), "SHA-256", null,
                Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new TimestampClient(url("/tsa"), "SHA-256", null,
                Duration.ofSeconds(1), Duration.ofSeconds(-1)));
    }
}
