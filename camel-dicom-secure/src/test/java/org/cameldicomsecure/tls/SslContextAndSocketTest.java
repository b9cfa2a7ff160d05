package org.cameldicomsecure.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A ready-made SSLContext (Camel's SSLContextParameters) gets the profile applied; sockets work like engines. */
class SslContextAndSocketTest {

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir);
    }

    static SSLContext jdkContext(TestPki.Issued cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", cert.key(), "x".toCharArray(), new java.security.cert.Certificate[] {cert.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("NewSunX509");
        kmf.init(ks, "x".toCharArray());
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", pki.ca.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS", "SunJSSE");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void profileIsAppliedOnTopOfAGivenContext() throws Exception {
        TlsContextFactory server = TlsContextFactory.create(TlsSettings.builder().sslContext(jdkContext(
                pki.serverRsa)).clientAuth(ClientAuth.REQUIRE).build());
        SSLEngine e = server.newServerEngine();
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), Arrays.asList(e.getEnabledProtocols()));
        assertEquals(TlsProfile.DEFAULT.cipherSuiteNames(), Arrays.asList(e.getEnabledCipherSuites()));
        assertTrue(e.getNeedClientAuth());

        TlsContextFactory client = TlsContextFactory.create(TlsSettings.builder().sslContext(jdkContext(
                pki.clientRsa)).build());
        assertEquals("HTTPS", client.newClientEngine("localhost", 1).getSSLParameters()
                .getEndpointIdentificationAlgorithm());
        EnginePair p = Tls.connect(client, "localhost", server);
        assertTrue(TlsProfile.DEFAULT.cipherSuiteNames().contains(p.cipherSuite()));
        assertEquals(pki.clientRsa.serial(), p.clientCertificate().getSerialNumber());
        EnginePair.HandshakeFailed f = assertThrows(EnginePair.HandshakeFailed.class,
                () -> Tls.connect(client, "wrong.example", server));
        assertTrue(f.client != null, f.messages());
    }

    /** A SunJSSE context cannot run the CCM and Camellia suites of B.13: the factory says so and uses the rest. */
    @Test
    void givenContextLackingSuitesReportsThem() throws Exception {
        TlsContextFactory f = TlsContextFactory.create(TlsSettings.builder()
                .profile(TlsProfile.BCP195_RFC8996_MODIFIED).sslContext(jdkContext(pki.serverEc)).build());
        assertFalse(f.enabledCipherSuites().contains("TLS_AES_128_CCM_SHA256"));
        assertEquals("not implemented by SunJSSE", f.notEnabled().get("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"));
        assertEquals("not implemented by SunJSSE", f.notEnabled().get("TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256"));
        assertTrue(f.enabledCipherSuites().contains("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
        assertTrue(f.enabledCipherSuites().contains("TLS_AES_256_GCM_SHA384"));
        assertThrows(TlsConfigurationException.class, () -> TlsContextFactory.create(TlsSettings.builder()
                .profile(TlsProfile.BASIC).allowRetiredProfiles(true).sslContext(jdkContext(pki.serverRsa)).build()));
    }

    /** Blocking sockets (for the syslog-TLS client and simple servers), on both providers. */
    @ParameterizedTest
    @EnumSource(value = TlsProfile.class, names = {"BCP195_RFC8996", "BCP195_RFC8996_MODIFIED", "CRYPTREC"})
    void sockets(TlsProfile profile) throws Exception {
        TlsContextFactory server = TlsContextFactory.create(Tls.server(pki, profile, pki.serverEc).build());
        TlsContextFactory client = TlsContextFactory.create(Tls.client(pki, profile, pki.clientRsa).build());
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = server.wrapServerSocket(ss.accept())) {
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    OutputStream out = s.getOutputStream();
                    out.write((line + " " + s.getSession().getCipherSuite() + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return s.getSession().getPeerCertificates().length + " " + line;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress("127.0.0.1", ss.getLocalPort()), 5000);
            try (SSLSocket s = client.wrapClientSocket(plain, "localhost", ss.getLocalPort())) {
                s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertTrue(reply.startsWith("hello TLS_"), reply);
                assertTrue(profile.cipherSuiteNames().contains(reply.substring(6)), reply);
                assertEquals(profile.protocols().get(0), s.getSession().getProtocol());
            }
            assertEquals("1 hello", served.get(20, TimeUnit.SECONDS));
        }
    }
}
