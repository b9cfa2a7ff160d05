package org.cameldicomsecure.it.dicomtls;

import static org.cameldicomsecure.it.dicomtls.ItSupport.GATEWAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.it.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload of a TLS consumer's key material: {@code from("dicomtls:GATEWAY@127.0.0.1:PORT?certificate=server.pem
 * &privateKey=server.key&trustedCertificates=ca.pem")} checks its files at every new connection
 * ({@code TlsContextFactory.reloadIfChanged()}).
 *
 * <p>While an association of our producer stays open (idleTimeout of 10 minutes), the two files are replaced on disk
 * the way a certificate manager does it: written to a temporary file in the same folder, then renamed over the old
 * one (the key first, then the certificate). Then a new connection ({@code openssl s_client -showcerts}, which also
 * verifies the chain and the names localhost and 127.0.0.1) is served the new certificate (another serial number and
 * subject, same CA), {@code storescu} and a fresh producer of ours get in, and the old association still stores
 * (Success, on the same association, whose peer certificate is still the old one).
 *
 * <p>A replacement that cannot be used (not PEM at all, then a certificate cut in half) leaves the current
 * certificate serving, the consumer keeps accepting, and each broken change is logged once as a warning however many
 * connections follow; a usable replacement afterwards is taken at once. Last, the layout of a Kubernetes secret
 * volume, where both files change at once behind a swapped symbolic link.
 */
class KeyReloadIT {

    static final String WARNING = "the changed key or trust files cannot be used, keeping the previous material";
    static final String RELOADED = "key and trust files changed, new connections use them";

    @TempDir
    static Path dir;
    static Peers peers;
    static ItPki pki;
    static List<ItData.Instance> instances;
    static int next;

    @BeforeAll
    static void setUp() throws Exception {
        ItSupport.requireDcmtkAndOpenssl();
        peers = Peers.forTest(KeyReloadIT.class);
        pki = ItPki.create(dir.resolve("pki"));
        instances = ItData.write(dir.resolve("in"), "reload", 0, 16);
    }

    static ItData.Instance nextInstance() {
        return instances.get(next++);
    }

    /** A consumer on its own copies of the server certificate and key, and a producer keeping one association. */
    static final class Setup implements AutoCloseable {
        final int port = ItSupport.freePort();
        final Path certFile;
        final Path keyFile;
        final ItSupport.Recorder recorder = new ItSupport.Recorder();
        final ItSupport.Events consumerEvents = new ItSupport.Events();
        final ItSupport.Events longEvents = new ItSupport.Events();
        final CamelContext camel;

        Setup(String name) throws Exception {
            Path live = Files.createDirectories(dir.resolve("live-" + name));
            certFile = Files.copy(pki.server.certPem(), live.resolve("server.pem"));
            keyFile = Files.copy(pki.server.keyPem(), live.resolve("server.key"));
            String consumer = "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?associationListener=#consumerEvents"
                    + "&certificate=" + certFile + "&privateKey=" + keyFile + "&trustedCertificates="
                    + pki.ca.certPem();
            String longProducer = "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?callingAet=LONGSCU"
                    + "&idleTimeout=600000&associationListener=#longEvents&" + ItSupport.keyOptions(pki, pki.gateway);
            camel = ItSupport.camel(Map.of("consumerEvents", consumerEvents, "longEvents", longEvents),
                    new RouteBuilder() {
                        @Override
                        public void configure() {
                            from(consumer).process(recorder);
                            from("direct:long").to(longProducer);
                        }
                    });
        }

        /** Stores an instance on the long association (opened by the first call) and checks Success. */
        void storeOnLongAssociation(ItData.Instance i) {
            Exchange ex = camel.createProducerTemplate().request("direct:long",
                    e -> e.getIn().setBody(i.file().toFile()));
            assertNull(ex.getException(), () -> "long association: " + ex.getException());
            assertEquals(0, ex.getMessage().getHeader("CamelDicomStatus"));
            Map<String, Object> last = recorder.headers.get(recorder.count() - 1);
            assertEquals(i.sopInstanceUid(), last.get("CamelDicomSopInstanceUid"));
            assertEquals("LONGSCU", last.get("CamelDicomCallingAet"));
            assertEquals(1, longEvents.accepted.size(), "the producer still uses its first association");
        }

        /** The server certificate the long association was established with. */
        X509Certificate longAssociationPeerCertificate() {
            return longEvents.accepted.get(0).tls().peerCertificates()[0];
        }

        /** storescu on a new TLS connection delivers an instance. */
        void storescu(String name, ItData.Instance i) throws Exception {
            peers.run(name, dir, ItSupport.storescu(port, ItSupport.tls(pki, pki.storescu, null), List.of(i.file())))
                    .assertSuccess();
            assertTrue(recorder.sopInstanceUids().contains(i.sopInstanceUid()), i.sopInstanceUid());
        }

        @Override
        public void close() throws Exception {
            camel.close();
        }
    }

    @Test
    void newConnectionsGetTheReplacedCertificateWhileTheOpenAssociationGoesOn() throws Exception {
        ItPki.Issued renewed = pki.issueServer("server-renewed", "CN=localhost,O=dicomtls IT server renewed", "RSA");
        try (Setup s = new Setup("renew")) {
            assertSameCertificate(pki.server.cert(), servedCertificate("s_client-before", s.port));
            s.storeOnLongAssociation(nextInstance());
            assertSameCertificate(pki.server.cert(), s.longAssociationPeerCertificate());

            replace(s.keyFile, Files.readAllBytes(renewed.keyPem()));
            replace(s.certFile, Files.readAllBytes(renewed.certPem()));

            X509Certificate served = servedCertificate("s_client-after", s.port);
            assertSameCertificate(renewed.cert(), served);
            assertTrue(!served.getSerialNumber().equals(pki.server.cert().getSerialNumber())
                    && !served.getSubjectX500Principal().equals(pki.server.cert().getSubjectX500Principal()),
                    "another serial number and subject");
            s.storescu("storescu-after", nextInstance());
            assertSameCertificate(renewed.cert(), freshProducerPeerCertificate(s.port, nextInstance()));

            // the association opened before the change goes on, with the certificate it started with
            s.storeOnLongAssociation(nextInstance());
            s.storeOnLongAssociation(nextInstance());
            assertSameCertificate(pki.server.cert(), s.longAssociationPeerCertificate());
            assertEquals(List.of(), s.consumerEvents.tlsFailures);
            assertEquals(1, s.consumerEvents.accepted.stream().filter(a -> a.callingAet().equals("LONGSCU")).count());
        }
    }

    @Test
    void unusableReplacementKeepsTheCurrentCertificateAndWarnsOncePerChange() throws Exception {
        ItPki.Issued third = pki.issueServer("server-third", "CN=localhost,O=dicomtls IT server third", "RSA");
        try (Setup s = new Setup("broken"); StderrCapture log = new StderrCapture()) {
            s.storeOnLongAssociation(nextInstance());

            // not PEM at all
            replace(s.certFile, "this is not a certificate\n".repeat(20).getBytes(StandardCharsets.US_ASCII));
            assertSameCertificate(pki.server.cert(), servedCertificate("s_client-garbage-1", s.port));
            s.storescu("storescu-garbage", nextInstance());
            assertSameCertificate(pki.server.cert(), servedCertificate("s_client-garbage-2", s.port));
            assertEquals(1, log.lines(WARNING).size(), () -> "one warning for this change:\n" + log.text());
            assertTrue(log.lines(WARNING).get(0).contains("WARN"), log.lines(WARNING).get(0));

            // a certificate cut in half (what a writer that does not rename leaves for a while), its key in place
            replace(s.keyFile, Files.readAllBytes(third.keyPem()));
            byte[] pem = Files.readAllBytes(third.certPem());
            replace(s.certFile, Arrays.copyOf(pem, pem.length / 2));
            assertSameCertificate(pki.server.cert(), servedCertificate("s_client-truncated-1", s.port));
            s.storescu("storescu-truncated", nextInstance());
            assertSameCertificate(pki.server.cert(), servedCertificate("s_client-truncated-2", s.port));
            assertEquals(2, log.lines(WARNING).size(), () -> "one more warning for the second change:\n" + log.text());
            s.storeOnLongAssociation(nextInstance());

            // the whole certificate: taken at the next connection, without waiting for the retry interval
            replace(s.certFile, pem);
            assertSameCertificate(third.cert(), servedCertificate("s_client-repaired", s.port));
            s.storescu("storescu-repaired", nextInstance());
            assertEquals(2, log.lines(WARNING).size(), log.text());
            assertEquals(1, log.lines(RELOADED).size(), log.text());
            s.storeOnLongAssociation(nextInstance());
            assertSameCertificate(pki.server.cert(), s.longAssociationPeerCertificate());
        }
    }

    /**
     * The layout of a Kubernetes secret volume: {@code server.pem -> ..data/server.pem}, {@code ..data -> ..v1}; an
     * update writes {@code ..v2} and swaps the {@code ..data} link in one rename, so that certificate and key change
     * together while the configured paths stay the same.
     */
    @Test
    void certificateAndKeyBehindASwappedSymlinkAreReloaded() throws Exception {
        ItPki.Issued renewed = pki.issueServer("server-swapped", "CN=localhost,O=dicomtls IT server swapped", "RSA");
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Path v1 = Files.createDirectories(volume.resolve("..v1"));
        Files.copy(pki.server.certPem(), v1.resolve("server.pem"));
        Files.copy(pki.server.keyPem(), v1.resolve("server.key"));
        Files.createSymbolicLink(volume.resolve("..data"), v1.getFileName());
        Path certFile = Files.createSymbolicLink(volume.resolve("server.pem"), Path.of("..data", "server.pem"));
        Path keyFile = Files.createSymbolicLink(volume.resolve("server.key"), Path.of("..data", "server.key"));
        int port = ItSupport.freePort();
        ItSupport.Recorder recorder = new ItSupport.Recorder();
        String uri = "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?certificate=" + certFile + "&privateKey="
                + keyFile + "&trustedCertificates=" + pki.ca.certPem();
        try (CamelContext camel = ItSupport.camel(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(recorder);
            }
        })) {
            assertSameCertificate(pki.server.cert(), servedCertificate("s_client-symlink-v1", port));

            Path v2 = Files.createDirectories(volume.resolve("..v2"));
            Files.copy(renewed.certPem(), v2.resolve("server.pem"));
            Files.copy(renewed.keyPem(), v2.resolve("server.key"));
            Path link = Files.createSymbolicLink(volume.resolve("..data_tmp"), v2.getFileName());
            Files.move(link, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

            assertSameCertificate(renewed.cert(), servedCertificate("s_client-symlink-v2", port));
            ItData.Instance i = nextInstance();
            peers.run("storescu-symlink-v2", dir, ItSupport.storescu(port, ItSupport.tls(pki, pki.storescu, null),
                    List.of(i.file()))).assertSuccess();
            assertEquals(List.of(i.sopInstanceUid()), recorder.sopInstanceUids());
        }
    }

    // ------------------------------------------------------------------ helpers

    static void assertSameCertificate(X509Certificate expected, X509Certificate actual) {
        assertEquals(expected.getSerialNumber(), actual.getSerialNumber(), "serial number");
        assertEquals(expected.getSubjectX500Principal(), actual.getSubjectX500Principal(), "subject");
        assertTrue(Arrays.equals(getEncoded(expected), getEncoded(actual)), "the same certificate");
    }

    private static byte[] getEncoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code content} to a temporary file next to {@code target} and renames it over {@code target}. */
    static void replace(Path target, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The certificate a new connection is served: the first one {@code openssl s_client -showcerts} prints. s_client
     * verifies the chain against our CA and the names localhost and 127.0.0.1 ({@code -verify_return_error}), and
     * presents the storescu client certificate (the consumer requires one).
     */
    static X509Certificate servedCertificate(String name, int port) throws Exception {
        Peers.Result r = peers.run(name, dir, Peers.cmd("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-showcerts", "-CAfile", pki.ca.certPem(), "-verify_return_error", "-verify_hostname", "localhost",
                "-verify_ip", "127.0.0.1", "-cert", pki.storescu.certPem(), "-key", pki.storescu.keyPem()), 30);
        String out = r.out();
        assertEquals(0, r.exitCode(), () -> out + r.err());
        assertTrue(out.contains("Verify return code: 0 (ok)"), out);
        int begin = out.indexOf("-----BEGIN CERTIFICATE-----");
        String endMarker = "-----END CERTIFICATE-----";
        int end = out.indexOf(endMarker, begin);
        assertTrue(begin >= 0 && end > begin, out);
        byte[] pem = out.substring(begin, end + endMarker.length()).getBytes(StandardCharsets.US_ASCII);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
    }

    /** The server certificate a producer started now sees when it stores {@code i}. */
    static X509Certificate freshProducerPeerCertificate(int port, ItData.Instance i) throws Exception {
        ItSupport.Events events = new ItSupport.Events();
        String uri = "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?callingAet=FRESHSCU&associationListener=#events&"
                + ItSupport.keyOptions(pki, pki.gateway);
        CamelContext camel = ItSupport.camel(Map.of("events", events), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fresh").to(uri);
            }
        });
        try {
            Exchange ex = camel.createProducerTemplate().request("direct:fresh",
                    e -> e.getIn().setBody(i.file().toFile()));
            assertNull(ex.getException(), () -> "fresh producer: " + ex.getException());
            assertEquals(0, ex.getMessage().getHeader("CamelDicomStatus"));
            assertEquals(1, events.accepted.size());
            return events.accepted.get(0).tls().peerCertificates()[0];
        } finally {
            camel.close();
        }
    }

    /**
     * A copy of what is written to {@code System.err} while open, where slf4j-simple writes the log (it looks the
     * stream up at every line); the original stream still gets everything.
     */
    static final class StderrCapture implements AutoCloseable {
        private final PrintStream original = System.err;
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        StderrCapture() {
            System.setErr(new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    original.write(b);
                    synchronized (copy) {
                        copy.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    original.write(b, off, len);
                    synchronized (copy) {
                        copy.write(b, off, len);
                    }
                }

                @Override
                public void flush() {
                    original.flush();
                }
            }, true, StandardCharsets.UTF_8));
        }

        String text() {
            synchronized (copy) {
                return copy.toString(StandardCharsets.UTF_8);
            }
        }

        List<String> lines(String containing) {
            return text().lines().filter(l -> l.contains(containing)).toList();
        }

        @Override
        public void close() {
            System.setErr(original);
        }
    }
}
