package org.cameldicomsecure.it.dicomtls;

import static org.cameldicomsecure.it.dicomtls.ItSupport.GATEWAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.net.assoc.AssociationInfo;
import org.cameldicomsecure.net.assoc.AssociationRejectedException;
import org.cameldicomsecure.net.assoc.DicomNetworkException;
import org.cameldicomsecure.net.pdu.AAssociateRJ;
import org.cameldicomsecure.tls.TlsProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two current profiles DCMTK 3.6.7 does not offer, BCP195_RFC8996_MODIFIED (PS3.15 B.13) and CRYPTREC
 * (Supplement 206), both on BCJSSE, through the {@code dicomtls} component, against OpenSSL 3:
 *
 * <ul>
 * <li>Our consumer, with an RSA 2048 and with an EC P-256 server key, against {@code openssl s_client} restricted to
 * one suite (and version, or key exchange group): a suite the profile lists is negotiated; one it does not list (RSA
 * key transport with SHA-1, CBC with SHA-256, ChaCha20 or CCM for CRYPTREC, TLS 1.1, the X25519 group) is refused,
 * and our TLS failure event reports it.</li>
 * <li>Our producer against {@code openssl s_server} restricted to one suite: when the profile lists it the session is
 * established (s_server prints the suite and the A-ASSOCIATE-RQ it received, then answers, through its standard
 * input, with an A-ASSOCIATE-RJ, which the exchange reports); when not, the handshake fails.</li>
 * <li>C-ECHO from our producer to our consumer under each profile and key type, in this JVM.</li>
 * </ul>
 */
class ProfilesWithOpenSslIT {

    /** The A-ASSOCIATE-RJ s_server answers with: rejected-permanent, service-user, called AE title not recognized. */
    static final byte[] RJ = {0x03, 0, 0, 0, 0, 4, 0, 1, 1, 7};
    static final String B13 = "BCP195_RFC8996_MODIFIED";
    static final String CRYPTREC = "CRYPTREC";

    @TempDir
    static Path dir;
    static Peers peers;
    static ItPki pki;
    static ItPki.Issued ecServer;
    static CamelContext camel;
    static final Map<String, Endpoint> ENDPOINTS = new LinkedHashMap<>();

    /** One consumer: profile and server key. */
    record Endpoint(String name, String profile, ItPki.Issued key, int port, ItSupport.Events events) {
    }

    @BeforeAll
    static void setUp() throws Exception {
        ItSupport.requireDcmtkAndOpenssl();
        peers = Peers.forTest(ProfilesWithOpenSslIT.class);
        pki = ItPki.create(dir.resolve("pki"));
        ecServer = pki.issueServer("server-ec", "CN=localhost,O=dicomtls IT EC server", "EC");
        for (String profile : List.of(B13, CRYPTREC)) {
            for (ItPki.Issued key : List.of(pki.server, ecServer)) {
                String name = (profile.equals(B13) ? "b13" : "cryptrec") + (key == ecServer ? "-ec" : "-rsa");
                ENDPOINTS.put(name, new Endpoint(name, profile, key, ItSupport.freePort(), new ItSupport.Events()));
            }
        }
        Map<String, Object> beans = new LinkedHashMap<>();
        ENDPOINTS.values().forEach(e -> beans.put(e.name(), e.events()));
        camel = ItSupport.camel(beans, new RouteBuilder() {
            @Override
            public void configure() {
                for (Endpoint e : ENDPOINTS.values()) {
                    from("dicomtls:" + GATEWAY + "@127.0.0.1:" + e.port() + "?tlsProfile=" + e.profile()
                            + "&associationListener=#" + e.name() + "&" + ItSupport.keyOptions(pki, e.key()))
                            .routeId(e.name()).log("unexpected: ${body}");
                }
            }
        });
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    @BeforeEach
    void clear() {
        ENDPOINTS.values().forEach(e -> e.events().clear());
    }

    // ------------------------------------------------------------------ openssl s_client -> our consumer

    static Arguments accepts(String endpoint, String cipher, String protocol, String... options) {
        return Arguments.of(endpoint, List.of(options), cipher, protocol);
    }

    static Arguments refuses(String endpoint, String... options) {
        return Arguments.of(endpoint, List.of(options), null, null);
    }

    static Stream<Arguments> clientProbes() {
        return Stream.of(
                accepts("b13-rsa", "ECDHE-RSA-AES256-GCM-SHA384", "TLSv1.2", "-tls1_2", "-cipher",
                        "ECDHE-RSA-AES256-GCM-SHA384"),
                accepts("b13-rsa", "ECDHE-RSA-CHACHA20-POLY1305", "TLSv1.2", "-tls1_2", "-cipher",
                        "ECDHE-RSA-CHACHA20-POLY1305"),
                accepts("b13-rsa", "TLS_AES_128_CCM_SHA256", "TLSv1.3", "-tls1_3", "-ciphersuites",
                        "TLS_AES_128_CCM_SHA256"),
                accepts("b13-rsa", "TLS_AES_256_GCM_SHA384", "TLSv1.3", "-tls1_3", "-groups", "P-256"),
                refuses("b13-rsa", "-tls1_2", "-cipher", "AES128-SHA:@SECLEVEL=0"),
                refuses("b13-rsa", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256"),
                refuses("b13-rsa", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"),
                refuses("b13-rsa", "-tls1_3", "-groups", "X25519"),
                accepts("b13-ec", "ECDHE-ECDSA-AES128-CCM8", "TLSv1.2", "-tls1_2", "-cipher",
                        "ECDHE-ECDSA-AES128-CCM8"),
                refuses("b13-ec", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256"),
                accepts("cryptrec-rsa", "ECDHE-RSA-AES256-GCM-SHA384", "TLSv1.2", "-tls1_2", "-cipher",
                        "ECDHE-RSA-AES256-GCM-SHA384"),
                accepts("cryptrec-rsa", "TLS_AES_128_GCM_SHA256", "TLSv1.3", "-tls1_3", "-ciphersuites",
                        "TLS_AES_128_GCM_SHA256"),
                refuses("cryptrec-rsa", "-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305"),
                refuses("cryptrec-rsa", "-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"),
                refuses("cryptrec-rsa", "-tls1_2", "-cipher", "AES128-SHA:@SECLEVEL=0"),
                refuses("cryptrec-rsa", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256"),
                refuses("cryptrec-rsa", "-tls1_3", "-groups", "X25519"),
                accepts("cryptrec-ec", "ECDHE-ECDSA-AES256-GCM-SHA384", "TLSv1.2", "-tls1_2", "-cipher",
                        "ECDHE-ECDSA-AES256-GCM-SHA384"),
                refuses("cryptrec-ec", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-CCM8"));
    }

    @ParameterizedTest(name = "s_client {1} -> {0}: {2}")
    @MethodSource("clientProbes")
    void opensslClientToOurConsumer(String endpoint, List<String> options, String cipher, String protocol)
            throws Exception {
        Endpoint e = ENDPOINTS.get(endpoint);
        List<String> command = Peers.cmd("openssl", "s_client", "-connect", "127.0.0.1:" + e.port(), "-CAfile",
                pki.ca.certPem(), "-verify_return_error", "-cert", pki.storescu.certPem(), "-key",
                pki.storescu.keyPem(), options);
        Peers.Result r = peers.run("s_client-" + endpoint + "-" + String.join("_", options), dir, command, 30);
        String log = r.out() + r.err();
        if (cipher != null) {
            assertEquals(0, r.exitCode(), log);
            assertTrue(r.out().contains("New, " + protocol + ", Cipher is " + cipher), log);
            assertTrue(r.out().contains("Verify return code: 0 (ok)"), log);
            assertEquals(List.of(), e.events().tlsFailures);
        } else {
            assertNotEquals(0, r.exitCode(), log);
            assertTrue(r.out().contains("Cipher is (NONE)") || log.contains("alert"), log);
            ItSupport.await(() -> !e.events().tlsFailures.isEmpty(), 2000, "a TLS failure event on " + endpoint);
        }
        assertTrue(e.events().accepted.isEmpty(), "s_client sends no A-ASSOCIATE-RQ");
    }

    // ------------------------------------------------------------------ our producer -> openssl s_server

    static Stream<Arguments> serverProbes() {
        List<String> ccm8 = List.of("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-CCM8");
        List<String> gcm = List.of("-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384");
        List<String> cbc = List.of("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256");
        List<String> chacha13 = List.of("-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256");
        return Stream.of(
                Arguments.of(B13, "ec", ccm8, "ECDHE-ECDSA-AES128-CCM8"),
                Arguments.of(CRYPTREC, "ec", ccm8, null),
                Arguments.of(B13, "rsa", gcm, "ECDHE-RSA-AES256-GCM-SHA384"),
                Arguments.of(CRYPTREC, "rsa", gcm, "ECDHE-RSA-AES256-GCM-SHA384"),
                Arguments.of(B13, "rsa", cbc, null),
                Arguments.of(CRYPTREC, "rsa", cbc, null),
                Arguments.of(B13, "rsa", chacha13, "TLS_CHACHA20_POLY1305_SHA256"),
                Arguments.of(CRYPTREC, "rsa", chacha13, null));
    }

    @ParameterizedTest(name = "dicomtls tlsProfile={0} -> s_server ({1}) {2}: {3}")
    @MethodSource("serverProbes")
    void ourProducerToOpensslServer(String profile, String keyType, List<String> options, String cipher)
            throws Exception {
        ItPki.Issued key = keyType.equals("ec") ? ecServer : pki.server;
        String name = profile + "-" + keyType + "-" + String.join("_", options);
        try (SServer server = new SServer(name, key, options)) {
            String uri = "dicomtls:OPENSSL@127.0.0.1:" + server.port + "?callingAet=" + GATEWAY
                    + "&operation=echo&tlsProfile=" + profile + "&responseTimeout=10000&"
                    + ItSupport.keyOptions(pki, pki.gateway);
            CamelContext producer = ItSupport.camel(Map.of(), new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:echo").to(uri);
                }
            });
            try {
                CompletableFuture<Exchange> echo = CompletableFuture.supplyAsync(
                        () -> producer.createProducerTemplate().request("direct:echo", e -> { }));
                if (cipher != null) {
                    server.awaitLog("CIPHER is " + cipher, 10_000);
                    // the A-ASSOCIATE-RQ came through the session: s_server prints what it reads
                    server.awaitLog(String.format("%-16s%-16s", "OPENSSL", GATEWAY), 5_000);
                    server.send(RJ);
                    Exchange ex = echo.get(15, TimeUnit.SECONDS);
                    AssociationRejectedException rj = assertInstanceOf(AssociationRejectedException.class,
                            ex.getException(), () -> String.valueOf(ex.getException()) + "\n" + server.log());
                    assertEquals(new AAssociateRJ(AAssociateRJ.REJECTED_PERMANENT, AAssociateRJ.SOURCE_SERVICE_USER,
                            AAssociateRJ.USER_CALLED_AE_TITLE_NOT_RECOGNIZED), rj.reject());
                } else {
                    Exchange ex = echo.get(15, TimeUnit.SECONDS);
                    DicomNetworkException failure = assertInstanceOf(DicomNetworkException.class,
                            ex.getException(), () -> String.valueOf(ex.getException()) + "\n" + server.log());
                    assertTrue(String.valueOf(failure.getMessage()).contains("TLS handshake failed"),
                            failure.getMessage());
                    assertFalse(server.log().contains("CIPHER is"), server.log());
                }
            } finally {
                producer.close();
            }
        }
    }

    // ------------------------------------------------------------------ our producer -> our consumer

    static Stream<String> endpoints() {
        return Stream.of("b13-rsa", "b13-ec", "cryptrec-rsa", "cryptrec-ec");
    }

    @ParameterizedTest(name = "C-ECHO under {0}")
    @MethodSource("endpoints")
    void echoFromOurProducerToOurConsumer(String endpoint) throws Exception {
        Endpoint e = ENDPOINTS.get(endpoint);
        ItSupport.Events producerEvents = new ItSupport.Events();
        String uri = "dicomtls:" + GATEWAY + "@127.0.0.1:" + e.port() + "?callingAet=ECHOSCU&operation=echo"
                + "&tlsProfile=" + e.profile() + "&associationListener=#events&"
                + ItSupport.keyOptions(pki, pki.gateway);
        CamelContext producer = ItSupport.camel(Map.of("events", producerEvents), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:echo").to(uri);
            }
        });
        try {
            Exchange ex = producer.createProducerTemplate().request("direct:echo", x -> { });
            assertNull(ex.getException(), () -> String.valueOf(ex.getException()));
            assertEquals(0, ex.getMessage().getHeader("CamelDicomStatus"));
        } finally {
            producer.close();
        }
        assertEquals(1, e.events().accepted.size());
        AssociationInfo.TlsInfo tls = e.events().accepted.get(0).tls();
        TlsProfile profile = TlsProfile.valueOf(e.profile());
        assertTrue(profile.protocols().contains(tls.protocol()), tls.protocol());
        assertTrue(profile.cipherSuiteNames().contains(tls.cipherSuite()), tls.cipherSuite() + " of " + profile);
        assertEquals(pki.gateway.subject(), tls.peerSubject());
        assertEquals(e.key().cert(), producerEvents.accepted.get(0).tls().peerCertificates()[0]);
    }

    // ------------------------------------------------------------------ openssl s_server

    private static final AtomicInteger SERVERS = new AtomicInteger();

    /**
     * {@code openssl s_server} for one connection ({@code -naccept 1}), requiring a client certificate of our CA. Its
     * standard input is a pipe the test writes to (what s_server reads there it sends to the client), not
     * /dev/null: at the end of its input s_server would close the connection. Stopped by PID.
     */
    static final class SServer implements AutoCloseable {
        final int port = ItSupport.freePort();
        final Process process;
        final Path out;

        SServer(String name, ItPki.Issued key, List<String> options) throws Exception {
            List<String> command = Peers.cmd("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-naccept", "1",
                    "-cert", key.certPem(), "-key", key.keyPem(), "-CAfile", pki.ca.certPem(), "-Verify", "1",
                    "-verify_return_error", options);
            String base = String.format("s_server-%02d-%s", SERVERS.incrementAndGet(),
                    name.replaceAll("[^A-Za-z0-9._-]", "_"));
            Path logs = peers.logDir();
            Files.writeString(logs.resolve(base + ".cmd"), String.join(" ", command) + "\n");
            out = logs.resolve(base + ".out");
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(logs.resolve(base + ".err").toFile()).start();
            awaitLog("ACCEPT", 10_000);
        }

        String log() {
            try {
                return Files.readString(out, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return "(cannot read " + out + ": " + e + ")";
            }
        }

        void awaitLog(String text, long timeoutMillis) throws InterruptedException {
            long end = System.nanoTime() + timeoutMillis * 1_000_000;
            while (!log().contains(text)) {
                if (!process.isAlive() && !log().contains(text)) {
                    fail("s_server ended (" + process.exitValue() + ") without printing '" + text + "':\n" + log());
                }
                if (System.nanoTime() > end) {
                    fail("s_server did not print '" + text + "' within " + timeoutMillis + " ms:\n" + log());
                }
                Thread.sleep(20);
            }
        }

        void send(byte[] bytes) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(bytes);
            in.flush();
        }

        @Override
        public void close() throws Exception {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
