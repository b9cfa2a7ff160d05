package org.cameldicomsecure.web.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import org.cameldicomsecure.tls.HttpClientTls;
import org.cameldicomsecure.tls.TlsConfigurationException;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.tls.TlsEngine;
import org.cameldicomsecure.tls.TlsProfile;
import org.cameldicomsecure.tls.TlsSettings;
import org.cameldicomsecure.web.DicomWebException;
import org.cameldicomsecure.web.QidoLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS through {@link HttpClientTls}: the profile's versions and suites (not the JDK's defaults) on the wire, trust
 * from the settings, host name verification on and off, against the JDK's HTTPS server with a CA made here.
 */
class DicomWebClientTlsTest {

    @TempDir
    static Path dir;

    private static WebTestSupport.Pki pki;
    private static WebTestSupport.Pki otherPki;

    private HttpsServer server;
    private ExecutorService pool;
    private final ConcurrentLinkedQueue<SSLSession> sessions = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void pki() throws Exception {
        pki = new WebTestSupport.Pki(dir, "Test CA");
        otherPki = new WebTestSupport.Pki(dir, "Other CA");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    /** An HTTPS server answering QIDO with an empty array; {@code protocols}/{@code suites} null = JDK defaults. */
    private URI start(SSLContext ctx, String host, String[] protocols, String[] suites) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = ctx.getDefaultSSLParameters();
                if (protocols != null) {
                    p.setProtocols(protocols);
                }
                if (suites != null) {
                    p.setCipherSuites(suites);
                }
                params.setSSLParameters(p);
            }
        });
        pool = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        server.createContext("/dicom-web/", x -> {
            sessions.add(((HttpsExchange) x).getSSLSession());
            WebTestSupport.readAll(x);
            WebTestSupport.respond(x, 200, "application/dicom+json", "[]");
        });
        server.start();
        return URI.create("https://" + host + ":" + server.getAddress().getPort() + "/dicom-web");
    }

    private static TlsContextFactory tls(TlsProfile profile, Path trust, boolean verifyHostname) {
        return HttpClientTls.factory(TlsSettings.builder().profile(profile).trustedCertificates(trust)
                .verifyHostname(verifyHostname).build());
    }

    private static List<?> qido(URI base, TlsContextFactory tls) throws IOException {
        try (DicomWebClient c = DicomWebClient.builder(base).tls(tls).build()) {
            return c.qido(QidoLevel.STUDY, null, null, null);
        }
    }

    @Test
    void httpsWithTheProfileAndTheTrustedCa() throws Exception {
        URI base = start(pki.serverContext("dns:localhost", "ip:127.0.0.1"), "localhost", null, null);
        assertEquals(List.of(), qido(base, tls(TlsProfile.BCP195_RFC8996, pki.caPem, true)));
        assertEquals(List.of(), qido(URI.create(base.toString().replace("localhost", "127.0.0.1")),
                tls(TlsProfile.BCP195_RFC8996, pki.caPem, true)));
        SSLSession s = sessions.poll();
        assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(s.getProtocol()), s.getProtocol());
    }

    @Test
    void theProfilesSuitesAreOfferedNotTheJdkDefaults() throws Exception {
        // a suite the JDK enables by default but B.12 does not list (CBC): the handshake must fail
        String cbc = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256";
        URI base = start(pki.serverContext("dns:localhost"), "localhost", new String[] {"TLSv1.2"},
                new String[] {cbc});
        DicomWebException e = assertThrows(DicomWebException.class,
                () -> qido(base, tls(TlsProfile.BCP195_RFC8996, pki.caPem, true)));
        assertTrue(e.getMessage().contains("TLS failed") || e.getMessage().contains("handshake"), e.getMessage());
        // the same server with the JDK's own default client settings would connect: the profile made the difference
        assertTrue(List.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites()).contains(cbc));
    }

    @Test
    void tls12OnlyServerGetsAProfileSuite() throws Exception {
        URI base = start(pki.serverContext("dns:localhost"), "localhost", new String[] {"TLSv1.2"}, null);
        assertEquals(List.of(), qido(base, tls(TlsProfile.BCP195_RFC8996, pki.caPem, true)));
        SSLSession s = sessions.poll();
        assertEquals("TLSv1.2", s.getProtocol());
        assertTrue(TlsProfile.BCP195_RFC8996.toString() != null
                && List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .contains(s.getCipherSuite()), s.getCipherSuite());
    }

    @Test
    void bouncyCastleProfileEnginesWorkToo() throws Exception {
        URI base = start(pki.serverContext("dns:localhost"), "localhost", null, null);
        TlsContextFactory f = tls(TlsProfile.BCP195_RFC8996_MODIFIED, pki.caPem, true);
        assertEquals("BCJSSE", f.providerName());
        assertEquals(List.of(), qido(base, f));
    }

    @Test
    void aCertificateForAnotherHostIsRefusedUnlessVerificationIsOff() throws Exception {
        URI base = start(pki.serverContext("dns:pacs.other.example"), "127.0.0.1", null, null);
        DicomWebException e = assertThrows(DicomWebException.class,
                () -> qido(base, tls(TlsProfile.BCP195_RFC8996, pki.caPem, true)));
        assertTrue(e.getMessage().contains("TLS failed"), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        assertTrue(sessions.isEmpty());
        assertEquals(List.of(), qido(base, tls(TlsProfile.BCP195_RFC8996, pki.caPem, false)));
    }

    @Test
    void anUntrustedCaIsRefused() throws Exception {
        URI base = start(otherPki.serverContext("dns:localhost"), "localhost", null, null);
        DicomWebException e = assertThrows(DicomWebException.class,
                () -> qido(base, tls(TlsProfile.BCP195_RFC8996, pki.caPem, true)));
        assertTrue(e.getMessage().contains("TLS failed"), e.getMessage());
        assertTrue(sessions.isEmpty());
    }

    @Test
    void tokenEndpointOverHttpsWithTheSameTls() throws Exception {
        URI base = start(pki.serverContext("dns:localhost"), "localhost", null, null);
        server.createContext("/token", x -> {
            WebTestSupport.readAll(x);
            WebTestSupport.respond(x, 200, "application/json",
                    "{\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":60}");
        });
        TlsContextFactory f = tls(TlsProfile.BCP195_RFC8996, pki.caPem, true);
        ClientCredentialsTokenSource tokens = ClientCredentialsTokenSource.builder(
                URI.create(base.toString().replace("/dicom-web", "/token")), "c", "s").tls(f).build();
        try (DicomWebClient c = DicomWebClient.builder(base).tls(f).tokens(tokens).build()) {
            assertEquals(List.of(), c.qido(QidoLevel.STUDY, null, null, null));
        }
        assertEquals(1, tokens.fetchCount());
    }

    @Test
    void factoryRefusesOpenSslNoneAndHttpWithTls() {
        assertThrows(TlsConfigurationException.class, () -> HttpClientTls.factory(TlsSettings.builder()
                .engine(TlsEngine.OPENSSL).trustedCertificates(pki.caPem).build()));
        assertThrows(TlsConfigurationException.class, () -> HttpClientTls.factory(TlsSettings.builder()
                .profile(TlsProfile.NONE).build()));
        TlsContextFactory f = tls(TlsProfile.BCP195_RFC8996, pki.caPem, true);
        assertThrows(IllegalArgumentException.class,
                () -> DicomWebClient.builder(URI.create("http://localhost/x")).tls(f).build());
        SSLParameters p = HttpClientTls.sslParameters(f);
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), List.of(p.getProtocols()));
        assertEquals(f.enabledCipherSuites().size(), p.getCipherSuites().length);
    }
}
