package org.cameldicomsecure.it.dicomtls;

import static org.cameldicomsecure.it.dicomtls.ItSupport.GATEWAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.net.pdu.AAssociateRJ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What our consumer refuses, each refusal asserted on both sides (the peer fails, our listener saw why) and none
 * reaching the route (its first step records every exchange, its output folder stays empty). Each refusal has a
 * positive control on the same endpoint, so that a refusal is not a broken endpoint.
 *
 * <ul>
 * <li>TLS 1.1 ({@code openssl s_client -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'}) against BCP195_ND and against the
 * default profile (BCP195_RFC8996): the handshake fails; TLS 1.2 with the same command succeeds.</li>
 * <li>Client certificates from an untrusted CA, expired, revoked (crlFiles), or none at all ({@code storescu +tla}).
 * </li>
 * <li>A plaintext storescu on a TLS port.</li>
 * <li>A calling AE title not in allowedCallingAets; with aetCertificateBinding, a certificate whose CN is not the
 * calling AE title: A-ASSOCIATE-RJ rejected-permanent, service-user, calling AE title not recognised.</li>
 * </ul>
 */
class RefusalIT {

    @TempDir
    static Path dir;
    static Peers peers;
    static ItPki pki;
    static List<ItData.Instance> instances;
    static CamelContext camel;

    /** One consumer endpoint: its port, recorder, events and output folder. */
    record Endpoint(String name, int port, ItSupport.Recorder recorder, ItSupport.Events events, Path out) {

        String uri(String options) {
            return "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?associationListener=#" + name + "&" + options;
        }
    }

    static Endpoint nd;
    static Endpoint byDefault;
    static Endpoint aets;
    static Endpoint binding;
    static final List<Endpoint> ALL = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        ItSupport.requireDcmtkAndOpenssl();
        peers = Peers.forTest(RefusalIT.class);
        pki = ItPki.create(dir.resolve("pki"));
        instances = ItData.write(dir.resolve("in"), "refusal", 0, 16);
        nd = endpoint("nd");
        byDefault = endpoint("default");
        aets = endpoint("aets");
        binding = endpoint("binding");
        String keys = ItSupport.keyOptions(pki, pki.server);
        Map<String, Object> beans = Map.of(nd.name(), nd.events(), byDefault.name(), byDefault.events(),
                aets.name(), aets.events(), binding.name(), binding.events());
        camel = ItSupport.camel(beans, new RouteBuilder() {
            @Override
            public void configure() {
                route(this, nd, nd.uri("tlsProfile=BCP195_ND&" + keys + "&crlFiles=" + pki.crl));
                route(this, byDefault, byDefault.uri(keys));
                route(this, aets, aets.uri(keys + "&allowedCallingAets=MODALITY"));
                route(this, binding, binding.uri(keys + "&aetCertificateBinding=true"));
            }
        });
    }

    private static Endpoint endpoint(String name) {
        Endpoint e = new Endpoint(name, ItSupport.freePort(), new ItSupport.Recorder(), new ItSupport.Events(),
                dir.resolve("out-" + name));
        ALL.add(e);
        return e;
    }

    private static void route(RouteBuilder b, Endpoint e, String uri) {
        b.from(uri).process(e.recorder()).to("file:" + e.out() + "?fileName=${header.CamelDicomSopInstanceUid}.dcm");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    @BeforeEach
    void clear() {
        for (Endpoint e : ALL) {
            e.recorder().clear();
            e.events().clear();
        }
    }

    private static int next;

    private static ItData.Instance nextInstance() {
        return instances.get(next++);
    }

    private static Peers.Result storescu(String name, Endpoint e, ItData.Instance i, List<String> options)
            throws Exception {
        return peers.run(name, dir, ItSupport.storescu(e.port(), options, List.of(i.file())));
    }

    private static void assertArrived(Peers.Result r, Endpoint e, ItData.Instance i) throws Exception {
        r.assertSuccess();
        assertEquals(List.of(i.sopInstanceUid()), e.recorder().sopInstanceUids());
        assertEquals(List.of(e.out().resolve(i.sopInstanceUid() + ".dcm")), ItSupport.list(e.out()));
        e.recorder().clear();
        e.events().clear();
        ItSupport.list(e.out()).forEach(p -> p.toFile().delete());
    }

    /** The peer failed and nothing reached the route or its output folder. */
    private static void assertRefused(Peers.Result r, Endpoint e) throws Exception {
        assertNotEquals(0, r.exitCode(), () -> "the peer should have failed:\n" + r.out() + r.err());
        Thread.sleep(200);
        assertEquals(0, e.recorder().count(), "nothing reaches the route");
        assertEquals(List.of(), ItSupport.list(e.out()));
        assertTrue(e.events().accepted.isEmpty(), "no association was established");
    }

    /** storescu's report of a connection that ended during the TLS handshake. */
    private static void assertStorescuHandshakeFailed(Peers.Result r) {
        assertTrue((r.out() + r.err()).contains("Association Request Failed"), r.out() + r.err());
    }

    private static void assertTlsFailure(Endpoint e, String... anyOf) throws Exception {
        ItSupport.await(() -> !e.events().tlsFailures.isEmpty(), 2000, "a TLS failure event on " + e.name());
        String why = e.events().tlsFailures.get(0);
        boolean match = false;
        for (String s : anyOf) {
            match |= why.toLowerCase(Locale.ROOT).contains(s.toLowerCase(Locale.ROOT));
        }
        assertTrue(match, "TLS failure '" + why + "' names one of " + List.of(anyOf));
    }

    // ------------------------------------------------------------------ TLS versions

    @ParameterizedTest(name = "TLS 1.1 client against {0}")
    @ValueSource(strings = {"nd", "default"})
    void tls11HandshakeFails(String which) throws Exception {
        Endpoint e = which.equals("nd") ? nd : byDefault;
        List<String> client = Peers.cmd("openssl", "s_client", "-connect", "127.0.0.1:" + e.port(),
                "-cert", pki.storescu.certPem(), "-key", pki.storescu.keyPem(), "-CAfile", pki.ca.certPem());
        Peers.Result old = peers.run("s_client-tls1_1-" + which, dir,
                Peers.cmd(client, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"), 30);
        String log = old.out() + old.err();
        assertNotEquals(0, old.exitCode(), log);
        assertTrue(log.contains("alert protocol version"), "the server refused the protocol version:\n" + log);
        assertTrue(log.contains("Cipher is (NONE)"), "no session was established:\n" + log);
        // SunJSSE (B.10) and BoringSSL (B.12 under tlsEngine AUTO) word it differently
        assertTlsFailure(e, "TLSv1.1 is not enabled or supported", "UNSUPPORTED_PROTOCOL");
        assertEquals(0, e.recorder().count());

        // the same client in TLS 1.2 completes the handshake (it then sends nothing and leaves)
        Peers.Result tls12 = peers.run("s_client-tls1_2-" + which, dir, Peers.cmd(client, "-tls1_2"), 30);
        assertEquals(0, tls12.exitCode(), tls12.out() + tls12.err());
        assertTrue(tls12.out().contains("Protocol  : TLSv1.2"), tls12.out());
        assertEquals(0, e.recorder().count());
    }

    // ------------------------------------------------------------------ client certificates

    @Test
    void validClientCertificateAcceptedWithCrlInForce() throws Exception {
        ItData.Instance i = nextInstance();
        assertArrived(storescu("storescu-valid", nd, i, ItSupport.tls(pki, pki.storescu, "--profile-bcp195-nd")), nd,
                i);
    }

    @Test
    void clientCertificateFromUntrustedCaRefused() throws Exception {
        Peers.Result r = storescu("storescu-untrusted-ca", nd, nextInstance(),
                ItSupport.tls(pki, pki.untrusted, "--profile-bcp195-nd"));
        assertRefused(r, nd);
        assertStorescuHandshakeFailed(r);
        assertTlsFailure(nd, "unable to find valid certification path");
    }

    @Test
    void expiredClientCertificateRefused() throws Exception {
        Peers.Result r = storescu("storescu-expired", nd, nextInstance(),
                ItSupport.tls(pki, pki.expired, "--profile-bcp195-nd"));
        assertRefused(r, nd);
        assertStorescuHandshakeFailed(r);
        assertTlsFailure(nd, "CertificateExpiredException");
    }

    @Test
    void revokedClientCertificateRefused() throws Exception {
        Peers.Result r = storescu("storescu-revoked", nd, nextInstance(),
                ItSupport.tls(pki, pki.revoked, "--profile-bcp195-nd"));
        assertRefused(r, nd);
        assertStorescuHandshakeFailed(r);
        assertTlsFailure(nd, "CertificateRevokedException");
    }

    @Test
    void missingClientCertificateRefused() throws Exception {
        List<String> anonymous = List.of("+tla", "+cf", pki.ca.certPem().toString(), "--profile-bcp195-nd");
        Peers.Result r = storescu("storescu-anonymous-tls", nd, nextInstance(), anonymous);
        assertRefused(r, nd);
        assertStorescuHandshakeFailed(r);
        assertTlsFailure(nd, "Empty client certificate chain");
    }

    @Test
    void plaintextOnTlsPortRefused() throws Exception {
        Peers.Result r = storescu("storescu-plaintext", nd, nextInstance(), List.of());
        assertRefused(r, nd);
        assertStorescuHandshakeFailed(r);
        assertTlsFailure(nd, "not a TLS record");
    }

    /**
     * A plaintext peer's first bytes must not be copied into the TLS failure report (logged at INFO and handed to the
     * listener, i.e. the audit trail): with {@code storescu --user --password} on a TLS port they hold the password.
     */
    @Test
    void plaintextPasswordNotCopiedIntoTlsFailureReport() throws Exception {
        String password = "Leak-Me-Not-123";
        Peers.Result r = storescu("storescu-plaintext-password", nd, nextInstance(),
                // -R: only the context needed, so that the whole A-ASSOCIATE-RQ is in the first read
                List.of("-R", "--user", "alice", "--password", password));
        assertRefused(r, nd);
        assertStorescuHandshakeFailed(r);
        assertTlsFailure(nd, "not a TLS record");
        String why = nd.events().tlsFailures.get(0);
        String hex = HexFormat.of().formatHex(password.getBytes(StandardCharsets.US_ASCII));
        assertFalse(why.contains(password) || why.toLowerCase(Locale.ROOT).contains(hex),
                "the TLS failure report holds the password the plaintext peer sent (" + why.length() + " chars): "
                        + (why.length() > 300 ? why.substring(0, 300) + "..." : why));
    }

    // ------------------------------------------------------------------ AE titles

    @Test
    void callingAeTitleNotAllowedRejected() throws Exception {
        List<String> tls = ItSupport.tls(pki, pki.storescu, null);
        List<String> intruder = new ArrayList<>(List.of("-aet", "INTRUDER"));
        intruder.addAll(tls);
        Peers.Result r = storescu("storescu-intruder", aets, nextInstance(), intruder);
        assertRefused(r, aets);
        assertCallingAeRejected(r, aets);

        List<String> allowed = new ArrayList<>(List.of("-aet", "MODALITY"));
        allowed.addAll(tls);
        ItData.Instance i = nextInstance();
        assertArrived(storescu("storescu-allowed", aets, i, allowed), aets, i);
    }

    @Test
    void certificateNotBoundToCallingAeTitleRejected() throws Exception {
        // CN=STORESCU calling as MODALITY
        List<String> wrong = new ArrayList<>(List.of("-aet", "MODALITY"));
        wrong.addAll(ItSupport.tls(pki, pki.storescu, null));
        Peers.Result r = storescu("storescu-unbound", binding, nextInstance(), wrong);
        assertRefused(r, binding);
        assertCallingAeRejected(r, binding);
        assertEquals(1, binding.events().authFailures.size(), "reported as an authentication failure");

        // CN=MODALITY calling as MODALITY, and CN=STORESCU as STORESCU (storescu's default calling AE title)
        List<String> right = new ArrayList<>(List.of("-aet", "MODALITY"));
        right.addAll(ItSupport.tls(pki, pki.modality, null));
        ItData.Instance i = nextInstance();
        assertArrived(storescu("storescu-bound", binding, i, right), binding, i);
        ItData.Instance j = nextInstance();
        assertArrived(storescu("storescu-bound-default", binding, j, ItSupport.tls(pki, pki.storescu, null)),
                binding, j);
    }

    @Test
    void calledAeTitleNotRecognizedRejected() throws Exception {
        List<String> command = Peers.cmd("storescu", "-v", "-aec", "SOMEONE_ELSE",
                ItSupport.tls(pki, pki.storescu, null),
                "127.0.0.1", byDefault.port(), nextInstance().file());
        Peers.Result r = peers.run("storescu-wrong-called-aet", dir, command);
        assertRefused(r, byDefault);
        String log = r.out() + r.err();
        assertTrue(log.contains("Reason: Called AE Title Not Recognized"), log);
        assertEquals(List.of(new AAssociateRJ(AAssociateRJ.REJECTED_PERMANENT, AAssociateRJ.SOURCE_SERVICE_USER,
                AAssociateRJ.USER_CALLED_AE_TITLE_NOT_RECOGNIZED)), byDefault.events().rejected);
    }

    private static void assertCallingAeRejected(Peers.Result r, Endpoint e) {
        String log = r.out() + r.err();
        assertTrue(log.contains("Association Rejected"), log);
        assertTrue(log.contains("Result: Rejected Permanent, Source: Service User"), log);
        assertTrue(log.contains("Reason: Calling AE Title Not Recognized"), log);
        assertEquals(List.of(new AAssociateRJ(AAssociateRJ.REJECTED_PERMANENT, AAssociateRJ.SOURCE_SERVICE_USER,
                AAssociateRJ.USER_CALLING_AE_TITLE_NOT_RECOGNIZED)), e.events().rejected);
    }
}
