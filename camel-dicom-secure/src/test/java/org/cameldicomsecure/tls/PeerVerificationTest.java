package org.cameldicomsecure.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server checks client certificates (trust, validity, revocation, the profile's key sizes) according to
 * clientAuth; the client checks the server's host name.
 */
class PeerVerificationTest {

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir);
    }

    private static TlsContextFactory server(TlsProfile profile, ClientAuth auth, List<Path> crls, boolean ocsp) {
        return TlsContextFactory.create(Tls.server(pki, profile, pki.serverRsa).clientAuth(auth).crlFiles(crls)
                .ocsp(ocsp).build());
    }

    private static TlsContextFactory client(TlsProfile profile, TestPki.Issued cert) {
        return TlsContextFactory.create(Tls.client(pki, profile, cert).build());
    }

    private static EnginePair.HandshakeFailed refused(TlsContextFactory client, TlsContextFactory server) {
        EnginePair.HandshakeFailed f = assertThrows(EnginePair.HandshakeFailed.class,
                () -> Tls.connect(client, "localhost", server));
        assertNotNull(f.server, "the server refuses: " + f.messages());
        return f;
    }

    /** SunJSSE (B.12) and BCJSSE (B.13) servers refuse the same bad client certificates under REQUIRE. */
    @ParameterizedTest
    @EnumSource(value = TlsProfile.class, names = {"BCP195_RFC8996", "BCP195_RFC8996_MODIFIED"})
    void requireRefusesBadClientCertificates(TlsProfile profile) throws Exception {
        TlsContextFactory server = server(profile, ClientAuth.REQUIRE, List.of(pki.crlPem), false);
        EnginePair ok = Tls.connect(client(profile, pki.clientRsa), "localhost", server);
        assertEquals(pki.clientRsa.serial(), ok.clientCertificate().getSerialNumber());
        Tls.connect(client(profile, pki.clientEc), "localhost", server);

        String untrusted = refused(client(profile, pki.clientOtherCa), server).messages();
        String expired = refused(client(profile, pki.clientExpired), server).messages();
        assertTrue(expired.toLowerCase().contains("expired") || expired.contains("NotAfter")
                || expired.contains("validity"), expired);
        String revoked = refused(client(profile, pki.clientRevoked), server).messages();
        assertTrue(revoked.toLowerCase().contains("revoked"), revoked);
        refused(client(profile, null), server);
        assertFalse(untrusted.isEmpty());
    }

    @Test
    void derCrlWorksToo() throws Exception {
        TlsContextFactory server = server(TlsProfile.DEFAULT, ClientAuth.REQUIRE, List.of(pki.crlDer), false);
        refused(client(TlsProfile.DEFAULT, pki.clientRevoked), server);
        Tls.connect(client(TlsProfile.DEFAULT, pki.clientRsa), "localhost", server);
    }

    /** Without CRL files there is no revocation check: the revoked certificate passes. */
    @Test
    void noCrlNoRevocationCheck() throws Exception {
        TlsContextFactory server = server(TlsProfile.DEFAULT, ClientAuth.REQUIRE, List.of(), false);
        Tls.connect(client(TlsProfile.DEFAULT, pki.clientRevoked), "localhost", server);
    }

    /** With OCSP on, a certificate without a responder falls back to the CRL files. */
    @Test
    void ocspFallsBackToCrls() throws Exception {
        TlsContextFactory server = server(TlsProfile.DEFAULT, ClientAuth.REQUIRE, List.of(pki.crlPem), true);
        refused(client(TlsProfile.DEFAULT, pki.clientRevoked), server);
        Tls.connect(client(TlsProfile.DEFAULT, pki.clientRsa), "localhost", server);
    }

    @Test
    void wantAcceptsClientsWithoutCertificateButNotBadOnes() throws Exception {
        TlsContextFactory server = server(TlsProfile.DEFAULT, ClientAuth.WANT, List.of(pki.crlPem), false);
        EnginePair anonymous = Tls.connect(client(TlsProfile.DEFAULT, null), "localhost", server);
        assertNull(anonymous.clientCertificate());
        EnginePair withCert = Tls.connect(client(TlsProfile.DEFAULT, pki.clientRsa), "localhost", server);
        assertEquals(pki.clientRsa.serial(), withCert.clientCertificate().getSerialNumber());
        refused(client(TlsProfile.DEFAULT, pki.clientRevoked), server);
    }

    @Test
    void noneDoesNotAskForACertificate() throws Exception {
        TlsContextFactory server = server(TlsProfile.DEFAULT, ClientAuth.NONE, List.of(), false);
        EnginePair p = Tls.connect(client(TlsProfile.DEFAULT, pki.clientOtherCa), "localhost", server);
        assertNull(p.clientCertificate());
    }

    /** A client key below the profile's minimum is refused by the server's profile check. */
    @Test
    void clientKeyTooSmallForTheProfile() throws Exception {
        TlsContextFactory server = server(TlsProfile.BCP195_RFC8996, ClientAuth.REQUIRE, List.of(), false);
        EnginePair.HandshakeFailed f = assertThrows(EnginePair.HandshakeFailed.class,
                () -> Tls.pair(jdkClient(pki.clientRsa1024), server).handshake());
        assertTrue(f.messages().contains("1024 bits") && f.messages().contains("requires at least 2048"),
                f.messages());
        // the retired AES profile sets no minimum
        TlsContextFactory aes = server(TlsProfile.AES, ClientAuth.REQUIRE, List.of(), false);
        SSLEngine c = jdkClient(pki.clientRsa1024);
        c.setEnabledProtocols(new String[] {"TLSv1.2"});
        c.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA"});
        Tls.pair(c, aes).handshake();
    }

    /** B.13 permits certificate signatures with SHA-256/SHA-384 only; B.12 leaves that to BCP 195 and the JVM. */
    @Test
    void sha1SignedCertificateRefusedByB13() throws Exception {
        TlsContextFactory b13 = server(TlsProfile.BCP195_RFC8996_MODIFIED, ClientAuth.REQUIRE, List.of(), false);
        // a B.13 client does not even offer it (signature_algorithms_cert has no SHA-1), so the server gets none
        EnginePair.HandshakeFailed f = refused(client(TlsProfile.BCP195_RFC8996_MODIFIED, pki.clientSha1), b13);
        assertTrue(f.messages().contains("certificate_required"), f.messages());
        // and the profile check itself refuses such a chain, whoever presents it
        ProfileTrustManager tm = new ProfileTrustManager(trustingCa(), TlsProfile.BCP195_RFC8996_MODIFIED, false);
        java.security.cert.CertificateException e = assertThrows(java.security.cert.CertificateException.class,
                () -> tm.checkClientTrusted(new X509Certificate[] {pki.clientSha1.cert()}, "RSA"));
        assertTrue(e.getMessage().contains("SHA1withRSA") && e.getMessage().contains("SHA-256 and SHA-384"),
                e.getMessage());
        tm.checkClientTrusted(new X509Certificate[] {pki.clientRsa.cert()}, "RSA");
        // B.12 leaves it to BCP 195 and the JVM, which accept SHA-1 from a private CA
        Tls.connect(client(TlsProfile.BCP195_RFC8996, pki.clientSha1), "localhost",
                server(TlsProfile.BCP195_RFC8996, ClientAuth.REQUIRE, List.of(), false));
    }

    private static javax.net.ssl.X509TrustManager trustingCa() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", pki.ca.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        return (javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0];
    }

    @ParameterizedTest
    @EnumSource(value = TlsProfile.class, names = {"BCP195_RFC8996", "BCP195_RFC8996_MODIFIED"})
    void hostnameVerification(TlsProfile profile) throws Exception {
        TlsContextFactory server = server(profile, ClientAuth.REQUIRE, List.of(), false);
        TlsContextFactory client = client(profile, pki.clientRsa);
        Tls.connect(client, "localhost", server);
        Tls.connect(client, "127.0.0.1", server);
        Tls.connect(client, "pacs.dicom.example", server);
        for (String wrong : new String[] {"wrong.example", "127.0.0.2", "a.b.dicom.example", "dicom.example"}) {
            EnginePair.HandshakeFailed f = assertThrows(EnginePair.HandshakeFailed.class,
                    () -> Tls.connect(client, wrong, server), wrong);
            assertNotNull(f.client, "the client refuses " + wrong);
            assertTrue(f.messages().contains("does not match the host name '" + wrong + "'"), f.messages());
        }
        TlsContextFactory lax = TlsContextFactory.create(Tls.client(pki, profile, pki.clientRsa)
                .verifyHostname(false).build());
        Tls.connect(lax, "wrong.example", server);
    }

    @Test
    void clientRefusesUntrustedOrTooSmallServers() throws Exception {
        TlsContextFactory client = client(TlsProfile.DEFAULT, pki.clientRsa);
        TlsContextFactory otherServer = TlsContextFactory.create(TlsSettings.builder()
                .certificate(pki.clientOtherCa.certPem()).privateKey(pki.clientOtherCa.keyPem())
                .clientAuth(ClientAuth.NONE).build());
        EnginePair.HandshakeFailed f = assertThrows(EnginePair.HandshakeFailed.class,
                () -> Tls.connect(client, "localhost", otherServer));
        assertNotNull(f.client);
        TlsContextFactory smallServer = TlsContextFactory.create(Tls.server(pki, TlsProfile.AES,
                pki.serverRsa1024).clientAuth(ClientAuth.NONE).build());
        SSLEngine c = client.newClientEngine("localhost", 2762);
        c.setEnabledProtocols(new String[] {"TLSv1.2"});
        c.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_RSA_WITH_AES_128_CBC_SHA"});
        SSLEngine s = smallServer.newServerEngine();
        s.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
        EnginePair.HandshakeFailed small = assertThrows(EnginePair.HandshakeFailed.class,
                () -> new EnginePair(c, s).handshake());
        assertTrue(small.messages().contains("requires at least 2048"), small.messages());
    }

    @Test
    void hostnameMatcherRules() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued c = pki.issue("names", "CN=ignored.example", TestPki.ec(), pki.ca,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)),
                List.of(new GeneralName(GeneralName.dNSName, "*.Example.COM"),
                        new GeneralName(GeneralName.dNSName, "exact.dicom.example."),
                        new GeneralName(GeneralName.iPAddress, "::1"),
                        new GeneralName(GeneralName.iPAddress, "10.0.0.1")), "SHA256withRSA");
        X509Certificate cert = c.cert();
        assertTrue(HostnameMatcher.matches(cert, "pacs.example.com"));
        assertTrue(HostnameMatcher.matches(cert, "PACS.example.com."));
        assertFalse(HostnameMatcher.matches(cert, "a.pacs.example.com"));
        assertFalse(HostnameMatcher.matches(cert, "example.com"));
        assertTrue(HostnameMatcher.matches(cert, "exact.dicom.example"));
        assertFalse(HostnameMatcher.matches(cert, "ignored.example"), "the CN is not used");
        assertTrue(HostnameMatcher.matches(cert, "::1"));
        assertTrue(HostnameMatcher.matches(cert, "[0:0:0:0:0:0:0:1]"));
        assertTrue(HostnameMatcher.matches(cert, "10.0.0.1"));
        assertFalse(HostnameMatcher.matches(cert, "10.0.0.10"));
        assertFalse(HostnameMatcher.matches(cert, "10.0.0.256"));
        assertFalse(HostnameMatcher.matches(cert, ""));
        assertEquals("DNS:*.Example.COM, DNS:exact.dicom.example., IP:0:0:0:0:0:0:0:1, IP:10.0.0.1",
                HostnameMatcher.describe(cert));
    }

    /** A plain JDK client with the given key (to present keys our own factory would refuse to load). */
    private static SSLEngine jdkClient(TestPki.Issued cert) throws Exception {
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
        SSLEngine e = ctx.createSSLEngine("localhost", 2762);
        e.setUseClientMode(true);
        return e;
    }
}
