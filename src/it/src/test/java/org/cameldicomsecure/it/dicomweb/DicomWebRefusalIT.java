package org.cameldicomsecure.it.dicomweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.it.dicomtls.ItPki;
import org.cameldicomsecure.it.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal of a STOW-RS consumer over HTTPS with bearer tokens, each asserted on the wire and none reaching the
 * route (the route counts its exchanges): no token, an expired token, a wrong audience, a wrong issuer, a forged
 * signature (401 with {@code WWW-Authenticate: Bearer ... error="invalid_token"}), a missing scope (403,
 * {@code error="insufficient_scope"}), a TLS 1.1 client ({@code openssl s_client -tls1_1} and
 * {@code curl --tls-max 1.1}: no handshake), plain HTTP to the HTTPS port, and a multipart body with a non-DICOM part
 * (415) or an unparseable application/dicom part (400), even when a valid instance precedes it. A valid request is
 * the control: it is stored and routed.
 */
class DicomWebRefusalIT {

    static final String SCOPE = "dicom.write";

    @TempDir
    static Path dir;
    static Peers peers;
    static ItPki pki;
    static Tokens tokens;
    static CamelContext camel;
    static int port;
    static URI studies;
    static HttpClient http;
    static WebData.Study study;
    static final WebSupport.Recorder routed = new WebSupport.Recorder(false);

    @BeforeAll
    static void setUp() throws Exception {
        Peers.require("openssl", "openssl");
        Peers.require("curl", "curl");
        peers = Peers.forTest(DicomWebRefusalIT.class);
        pki = ItPki.create(dir.resolve("pki"));
        tokens = Tokens.create(dir.resolve("idp"), "refusal");
        study = WebData.study(dir.resolve("data"), "refusal", 1, 2, 16);
        port = WebSupport.freePort();
        studies = URI.create("https://127.0.0.1:" + port + "/dicom-web/studies");
        String uri = "dicomweb:https://127.0.0.1:" + port + "/dicom-web?operation=stow&tlsProfile=BCP195_RFC8996&"
                + pki.serverOptions() + "&" + tokens.consumerOptions() + "&requiredScopes=" + SCOPE;
        camel = WebSupport.camel(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(routed);
            }
        });
        http = WebSupport.httpClient(pki.clientContext());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    @BeforeEach
    void clear() {
        routed.clear();
    }

    static WebSupport.Multipart oneInstance() {
        return WebSupport.dicomMultipart(List.of(study.instances().get(0).bytes()));
    }

    static void assertBearerChallenge(HttpResponse<?> r, int status, String error) {
        assertEquals(status, r.statusCode(), "HTTP status; body: " + r.body());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.startsWith("Bearer"), "WWW-Authenticate: " + challenge);
        if (error != null) {
            assertTrue(challenge.contains("error=\"" + error + "\""), "WWW-Authenticate: " + challenge);
        }
    }

    void assertNothingRouted() throws InterruptedException {
        Thread.sleep(100);
        assertEquals(0, routed.count(), "no exchange reached the route");
    }

    @Test
    void aValidRequestIsStoredAndRouted() throws Exception {
        HttpResponse<String> r = WebSupport.post(http, studies,
                WebSupport.dicomMultipart(List.of(study.instances().get(0).bytes(), study.instances().get(1).bytes())),
                tokens.token("control", SCOPE));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(2, routed.count());
    }

    /** Our producer over TLS with a configured token: stored and routed; without the token it fails, naming 401. */
    @Test
    void ourProducerWithAndWithoutToken() throws Exception {
        String producer = "dicomweb:https://127.0.0.1:" + port + "/dicom-web?operation=stow&trustedCertificates="
                + pki.ca.certPem();
        org.apache.camel.ProducerTemplate template = camel.createProducerTemplate();
        org.apache.camel.Exchange ok = template.request(producer + "&accessToken=" + tokens.token("producer", SCOPE),
                e -> e.getIn().setBody(study.files()));
        assertEquals(null, ok.getException(), "STOW-RS with a token");
        assertEquals(200, ok.getMessage().getHeader(
                org.cameldicomsecure.component.dicomweb.DicomWebConstants.HTTP_STATUS, Integer.class));
        assertEquals(study.instances().size(), routed.count());
        routed.clear();
        org.apache.camel.Exchange refused = template.request(producer, e -> e.getIn().setBody(study.files()));
        assertTrue(refused.getException() != null, "STOW-RS without a token fails");
        assertTrue(String.valueOf(refused.getException().getMessage()).contains("401"),
                "the failure names the status: " + refused.getException());
        assertNothingRouted();
    }

    @Test
    void noToken() throws Exception {
        HttpResponse<String> r = WebSupport.post(http, studies, oneInstance(), null);
        assertBearerChallenge(r, 401, null);
        assertNothingRouted();
    }

    @Test
    void expiredToken() throws Exception {
        String t = tokens.token("expired", Tokens.ISSUER, Tokens.AUDIENCE, Duration.ofMinutes(-10), SCOPE);
        HttpResponse<String> r = WebSupport.post(http, studies, oneInstance(), t);
        assertBearerChallenge(r, 401, "invalid_token");
        assertTrue(!r.body().contains(t) && !r.headers().map().toString().contains(t), "the token is not echoed");
        assertNothingRouted();
    }

    @Test
    void wrongAudience() throws Exception {
        String t = tokens.token("aud", Tokens.ISSUER, "some-other-service", Duration.ofMinutes(10), SCOPE);
        assertBearerChallenge(WebSupport.post(http, studies, oneInstance(), t), 401, "invalid_token");
        assertNothingRouted();
    }

    @Test
    void wrongIssuer() throws Exception {
        String t = tokens.token("iss", "https://rogue.test.invalid/", Tokens.AUDIENCE, Duration.ofMinutes(10), SCOPE);
        assertBearerChallenge(WebSupport.post(http, studies, oneInstance(), t), 401, "invalid_token");
        assertNothingRouted();
    }

    @Test
    void forgedSignature() throws Exception {
        assertBearerChallenge(WebSupport.post(http, studies, oneInstance(), tokens.forgedToken("forger", SCOPE)), 401,
                "invalid_token");
        assertNothingRouted();
    }

    @Test
    void missingScope() throws Exception {
        HttpResponse<String> r = WebSupport.post(http, studies, oneInstance(), tokens.token("reader", "dicom.read"));
        assertBearerChallenge(r, 403, "insufficient_scope");
        assertNothingRouted();
    }

    @Test
    void tls11ClientIsRefused() throws Exception {
        // control: the same client at TLS 1.2 completes a handshake
        Peers.Result ok = peers.run("s_client-tls1_2", dir, Peers.cmd("openssl", "s_client", "-connect",
                "127.0.0.1:" + port, "-tls1_2", "-CAfile", pki.ca.certPem(), "-verify_return_error", "-brief"), 30);
        assertEquals(0, ok.exitCode(), "TLS 1.2 handshake: " + ok.err());
        // PEERS.md: without SECLEVEL=0 OpenSSL 3 itself refuses TLS 1.1 before the server can
        Peers.Result old = peers.run("s_client-tls1_1", dir, Peers.cmd("openssl", "s_client", "-connect",
                "127.0.0.1:" + port, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", "-CAfile", pki.ca.certPem(),
                "-brief"), 30);
        assertNotEquals(0, old.exitCode(), "TLS 1.1 handshake must fail: " + old.out() + old.err());
        assertTrue(!old.err().contains("Protocol version: TLSv1.1"), old.err());
        Peers.Result c = peers.run("curl-tls-max-1.1", dir, Peers.cmd("curl", "-sS", "-o", "/dev/null",
                "--cacert", pki.ca.certPem(), "--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT:@SECLEVEL=0",
                "-X", "POST", "-H", "Content-Type: " + WebSupport.STOW_TYPE + "x", "--data-binary", "x",
                studies.toString()), 30);
        // curl exit 35: SSL connect error
        assertEquals(35, c.exitCode(), "curl --tls-max 1.1: " + c.err());
        assertNothingRouted();
    }

    @Test
    void plainHttpToTheHttpsPort() throws Exception {
        Peers.Result c = peers.run("curl-plain", dir, Peers.cmd("curl", "-sS", "-o", "/dev/null", "-w",
                "%{http_code}", "-X", "POST", "-H", "Authorization: Bearer " + tokens.token("plain", SCOPE), "-H",
                "Content-Type: " + WebSupport.STOW_TYPE + "x", "--data-binary", "x",
                "http://127.0.0.1:" + port + "/dicom-web/studies"), 30);
        assertTrue(c.exitCode() != 0 || !c.out().startsWith("2"), "plain HTTP is not served: " + c.out() + c.err());
        assertNothingRouted();
    }

    @Test
    void nonDicomPartRefusesTheWholeRequest() throws Exception {
        WebSupport.Multipart body = WebSupport.multipart(List.of(
                new WebSupport.Part("application/dicom", study.instances().get(0).bytes()),
                new WebSupport.Part("text/plain", "not a DICOM instance".getBytes(StandardCharsets.US_ASCII))));
        HttpResponse<String> r = WebSupport.post(http, studies, body, tokens.token("mixed", SCOPE));
        assertEquals(415, r.statusCode(), r.body());
        assertNothingRouted();
    }

    @Test
    void unparseableDicomPartRefusesTheWholeRequest() throws Exception {
        byte[] truncated = java.util.Arrays.copyOf(study.instances().get(1).bytes(), 200);
        WebSupport.Multipart body = WebSupport.multipart(List.of(
                new WebSupport.Part("application/dicom", study.instances().get(0).bytes()),
                new WebSupport.Part("application/dicom", truncated)));
        HttpResponse<String> r = WebSupport.post(http, studies, body, tokens.token("garbage", SCOPE));
        assertEquals(400, r.statusCode(), r.body());
        assertNothingRouted();
    }
}
