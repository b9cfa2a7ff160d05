package org.cameldicomsecure.it.dicomtls;

import static org.cameldicomsecure.it.dicomtls.ItSupport.GATEWAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.tls.TlsProfile;
import org.cameldicomsecure.tls.TlsSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ocsp=true} against a real OCSP responder, {@code openssl ocsp} in server mode answering from an
 * {@code openssl ca} index file, on two consumer endpoints: the default profile BCP195_RFC8996 (B.12, BoringSSL under
 * tlsEngine AUTO) and BCP195_ND (B.10, SunJSSE). The client certificates carry an Authority Information Access
 * extension naming the responder and no CRL distribution point, and the endpoints have no crlFiles: OCSP is the only
 * source of revocation status, and every handshake must be answered by the responder (its {@code -text} log is
 * checked for a response about the client's serial number per handshake).
 *
 * <ol>
 * <li>The "good" client's instance arrives; the responder answered "good" for it.</li>
 * <li>The "revoked" client is refused during the handshake, nothing reaches the route, the TLS failure event names
 * the revocation; the responder answered "revoked".</li>
 * <li>With the responder stopped (its port closed), the "good" client is refused too: hard fail, the status cannot be
 * determined. With the responder started again on the same port, the same client is accepted again (so the refusal
 * was the responder's absence and nothing else).</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OcspIT {

    @TempDir
    static Path dir;
    static Peers peers;
    static OcspPki pki;
    static int responderPort;
    static Peers.Daemon responder;
    static List<ItData.Instance> instances;
    static CamelContext camel;
    static final List<String> timings = new CopyOnWriteArrayList<>();

    /** One consumer endpoint: its port, recorder, events, output folder and storescu's TLS profile option. */
    record Endpoint(String name, int port, ItSupport.Recorder recorder, ItSupport.Events events, Path out,
            String storescuProfile) {

        String uri(String options) {
            return "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?associationListener=#" + name + "&" + options;
        }
    }

    static Endpoint byDefault;
    static Endpoint nd;

    @BeforeAll
    static void setUp() throws Exception {
        ItSupport.requireDcmtkAndOpenssl();
        peers = Peers.forTest(OcspIT.class);
        responderPort = ItSupport.freePort();
        pki = OcspPki.create(dir.resolve("pki"), responderPort);
        pki.writeIndex();
        startResponder();
        instances = ItData.write(dir.resolve("in"), "ocsp", 0, 8);

        byDefault = new Endpoint("default", ItSupport.freePort(), new ItSupport.Recorder(), new ItSupport.Events(),
                dir.resolve("out-default"), null);
        nd = new Endpoint("nd", ItSupport.freePort(), new ItSupport.Recorder(), new ItSupport.Events(),
                dir.resolve("out-nd"), "--profile-bcp195-nd");
        String options = "certificate=" + pki.server.certPem() + "&privateKey=" + pki.server.keyPem()
                + "&trustedCertificates=" + pki.ca.certPem() + "&ocsp=true";
        camel = ItSupport.camel(Map.of(byDefault.name(), byDefault.events(), nd.name(), nd.events()),
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        route(this, byDefault, byDefault.uri(options));
                        route(this, nd, nd.uri("tlsProfile=BCP195_ND&" + options));
                    }
                });
    }

    private static void route(RouteBuilder b, Endpoint e, String uri) {
        b.from(uri).process(e.recorder()).to("file:" + e.out() + "?fileName=${header.CamelDicomSopInstanceUid}.dcm");
    }

    /**
     * {@code openssl ocsp} as a responder on {@link #responderPort}, signing with the delegated responder
     * certificate, printing every request and response ({@code -text}); then waits until it answers "good" for the
     * good client and "revoked" (keyCompromise) for the revoked one, asked by {@code openssl ocsp} as a client.
     */
    private static void startResponder() throws Exception {
        Path p = pki.dir;
        responder = peers.start("openssl-ocsp-responder", p, Peers.cmd("openssl", "ocsp",
                "-index", p.resolve("index.txt"), "-port", responderPort,
                "-rsigner", pki.responder.certPem(), "-rkey", pki.responder.keyPem(), "-CA", pki.ca.certPem(),
                "-text", "-ignore_err", "-timeout", 10));
        ItSupport.awaitListening(responderPort, responder, 10_000);
        assertEquals(": good", probe("good", pki.good));
        assertEquals(": revoked", probe("revoked", pki.revoked));
    }

    /** The responder's answer about {@code c}, asked and verified (against our CA) by {@code openssl ocsp}. */
    private static String probe(String name, ItPki.Issued c) throws Exception {
        Peers.Result r = peers.run("openssl-ocsp-probe-" + name, pki.dir, Peers.cmd("openssl", "ocsp",
                "-issuer", pki.ca.certPem(), "-cert", c.certPem(), "-CAfile", pki.ca.certPem(),
                "-url", pki.responderUrl, "-resp_text"), 30);
        r.assertSuccess();
        String out = r.out();
        assertTrue(out.contains("Response verify OK") || r.err().contains("Response verify OK"), out + r.err());
        Matcher m = Pattern.compile(Pattern.quote(c.certPem().toString()) + "(: \\w+)").matcher(out);
        assertTrue(m.find(), out);
        if (m.group(1).equals(": revoked")) {
            assertTrue(out.contains("Reason: keyCompromise"), out);
        }
        return m.group(1);
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (camel != null) {
                camel.close();
            }
        } finally {
            if (responder != null) {
                responder.close();
            }
            timings.forEach(t -> System.out.println("OcspIT timing: " + t));
        }
    }

    @BeforeEach
    void clear() {
        for (Endpoint e : List.of(byDefault, nd)) {
            e.recorder().clear();
            e.events().clear();
        }
    }

    private static int next;

    private static Endpoint endpoint(String name) {
        return name.equals("nd") ? nd : byDefault;
    }

    private static Peers.Result storescu(String name, Endpoint e, ItPki.Issued client) throws Exception {
        List<String> tls = new ArrayList<>(List.of("+tls", client.keyPem().toString(), client.certPem().toString(),
                "+cf", pki.ca.certPem().toString()));
        if (e.storescuProfile() != null) {
            tls.add(e.storescuProfile());
        }
        ItData.Instance i = instances.get(next++);
        long t0 = System.nanoTime();
        Peers.Result r = peers.run(name + "-" + e.name(), dir,
                ItSupport.storescu(e.port(), tls, List.of(i.file())));
        timings.add(String.format(Locale.ROOT, "%-28s %-8s exit %d in %4d ms (storescu process, TLS handshake "
                + "with OCSP, C-STORE)", name, e.name(), r.exitCode(), (System.nanoTime() - t0) / 1_000_000));
        lastInstance = i;
        return r;
    }

    private static ItData.Instance lastInstance;

    private static void assertArrived(Peers.Result r, Endpoint e, ItPki.Issued client) throws Exception {
        r.assertSuccess();
        ItData.Instance i = lastInstance;
        assertEquals(List.of(i.sopInstanceUid()), e.recorder().sopInstanceUids());
        assertEquals(List.of(e.out().resolve(i.sopInstanceUid() + ".dcm")), ItSupport.list(e.out()));
        assertEquals(1, e.events().accepted.size());
        assertEquals(client.subject(), e.events().accepted.get(0).tls().peerSubject(),
                "the association was made with this client certificate");
        assertEquals(List.of(), e.events().tlsFailures);
        ItSupport.list(e.out()).forEach(p -> p.toFile().delete());
    }

    /** The peer failed during the TLS handshake and nothing reached the route or its output folder. */
    private static void assertRefused(Peers.Result r, Endpoint e) throws Exception {
        assertNotEquals(0, r.exitCode(), () -> "the peer should have failed:\n" + r.out() + r.err());
        assertTrue((r.out() + r.err()).contains("Association Request Failed"), r.out() + r.err());
        Thread.sleep(200);
        assertEquals(0, e.recorder().count(), "nothing reaches the route");
        assertEquals(List.of(), ItSupport.list(e.out()));
        assertTrue(e.events().accepted.isEmpty(), "no association was established");
    }

    /** Our TLS failure event (the only one), which must contain every one of {@code parts}. */
    private static String assertTlsFailure(Endpoint e, String... parts) throws Exception {
        ItSupport.await(() -> !e.events().tlsFailures.isEmpty(), 2000, "a TLS failure event on " + e.name());
        assertEquals(1, e.events().tlsFailures.size(), e.events().tlsFailures.toString());
        String why = e.events().tlsFailures.get(0);
        for (String s : parts) {
            assertTrue(why.toLowerCase(Locale.ROOT).contains(s.toLowerCase(Locale.ROOT)),
                    "TLS failure '" + why + "' names '" + s + "'");
        }
        timings.add("TLS failure event on " + e.name() + ": " + why);
        return why;
    }

    // ------------------------------------------------------------------ the responder's log

    private static final Pattern RESPONSE = Pattern.compile("Serial Number: ([0-9A-F]+)\\s+Cert Status: (\\w+)");

    /** The statuses the running responder sent about {@code c}, in order, read from its {@code -text} output. */
    private static List<String> answered(ItPki.Issued c) throws IOException {
        String log = Files.readString(responder.stdoutLog(), StandardCharsets.ISO_8859_1);
        List<String> statuses = new ArrayList<>();
        Matcher m = RESPONSE.matcher(log);
        while (m.find()) {
            if (m.group(1).equals(OcspPki.indexSerial(c))) {
                statuses.add(m.group(2));
            }
        }
        return statuses;
    }

    /** The request lines the running responder logged ("GET /MEM... HTTP/1.1" or "POST / HTTP/1.0"). */
    private static List<String> requestLines() throws IOException {
        String log = Files.readString(responder.stderrLog(), StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        for (String l : log.split("\n")) {
            int at = l.indexOf("Received request, 1st line: ");
            if (at >= 0) {
                lines.add(l.substring(at + "Received request, 1st line: ".length()).trim());
            }
        }
        return lines;
    }

    /** Waits until the responder has sent one more answer about {@code c} than {@code before}, and returns it. */
    private static String awaitOneMoreAnswer(ItPki.Issued c, int before) throws Exception {
        ItSupport.await(() -> {
            try {
                return answered(c).size() > before;
            } catch (IOException ex) {
                return false;
            }
        }, 5000, "the OCSP responder's answer about " + c.subject());
        Thread.sleep(100);
        List<String> now = answered(c);
        assertEquals(before + 1, now.size(), "exactly one OCSP request per handshake: " + now);
        return now.get(now.size() - 1);
    }

    // ------------------------------------------------------------------ tests

    /** The premise of covering both engines: B.12 under AUTO runs on BoringSSL, B.10 on SunJSSE. */
    @Test
    @Order(0)
    void endpointsRunOnBothEngines() {
        TlsSettings.Builder b = TlsSettings.builder().certificate(pki.server.certPem())
                .privateKey(pki.server.keyPem()).trustedCertificates(pki.ca.certPem()).ocsp(true);
        TlsContextFactory b12 = TlsContextFactory.create(b.profile(TlsProfile.DEFAULT).build());
        assertEquals(TlsProfile.BCP195_RFC8996, b12.profile());
        assertTrue(b12.usesOpenSsl(), "B.12 under tlsEngine AUTO runs on " + b12.providerName());
        TlsContextFactory b10 = TlsContextFactory.create(b.profile(TlsProfile.BCP195_ND).build());
        assertFalse(b10.usesOpenSsl());
        assertEquals("SunJSSE", b10.providerName());
    }

    @ParameterizedTest(name = "good client accepted on {0}")
    @ValueSource(strings = {"default", "nd"})
    @Order(1)
    void goodClientAccepted(String which) throws Exception {
        Endpoint e = endpoint(which);
        int before = answered(pki.good).size();
        Peers.Result r = storescu("good", e, pki.good);
        assertArrived(r, e, pki.good);
        assertEquals("good", awaitOneMoreAnswer(pki.good, before), "the responder was asked and said good");
    }

    @ParameterizedTest(name = "revoked client refused on {0}")
    @ValueSource(strings = {"default", "nd"})
    @Order(2)
    void revokedClientRefused(String which) throws Exception {
        Endpoint e = endpoint(which);
        int before = answered(pki.revoked).size();
        Peers.Result r = storescu("revoked", e, pki.revoked);
        assertRefused(r, e);
        assertEquals("revoked", awaitOneMoreAnswer(pki.revoked, before), "the responder was asked and said revoked");
        // the JDK's CertificateRevokedException: "Certificate has been revoked, reason: KEY_COMPROMISE, ..."
        assertTlsFailure(e, "CertificateRevokedException", "has been revoked", "KEY_COMPROMISE");
    }

    /**
     * Hard fail: with the responder gone (connection refused) and no CRL to fall back on, the status of the good
     * client cannot be determined and the handshake fails; then the responder comes back and the client is accepted.
     */
    @Test
    @Order(3)
    void responderUnreachableRefusesGoodClientThenRecovers() throws Exception {
        List<String> requests = requestLines();
        timings.add("requests the responder logged: " + requests);
        // two probes, then one per handshake of the tests above
        assertEquals(2 + 4, requests.size(), requests.toString());
        responder.close();
        assertFalse(responder.isAlive());
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", responderPort), 2000);
            }
        }, "the responder's port is closed");

        for (Endpoint e : List.of(byDefault, nd)) {
            clear();
            Peers.Result r = storescu("good-responder-down", e, pki.good);
            assertRefused(r, e);
            // the JDK fails with CertPathValidatorException "Unable to determine revocation status due to network
            // error" (reason UNDETERMINED_REVOCATION_STATUS) caused by the ConnectException; the event names both
            assertTlsFailure(e, "revocation status", "UNDETERMINED_REVOCATION_STATUS", "Connection refused");
        }

        startResponder();
        for (Endpoint e : List.of(byDefault, nd)) {
            clear();
            int before = answered(pki.good).size();
            Peers.Result r = storescu("good-responder-back", e, pki.good);
            assertArrived(r, e, pki.good);
            assertEquals("good", awaitOneMoreAnswer(pki.good, before));
        }
    }
}
