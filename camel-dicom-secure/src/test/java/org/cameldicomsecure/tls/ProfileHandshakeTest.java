package org.cameldicomsecure.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real handshakes between engines of our factory, for every profile: the negotiated version and suite belong to the
 * profile, every suite the profile enables really negotiates, and clients offering only weak suites are refused.
 */
class ProfileHandshakeTest {

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir);
    }

    /** Default negotiation with an RSA server key: the newest version and the server's first choice. */
    @ParameterizedTest
    @EnumSource(value = TlsProfile.class, names = {"NONE", "BASIC"}, mode = EnumSource.Mode.EXCLUDE)
    void negotiatesWithinTheProfileRsa(TlsProfile profile) throws Exception {
        EnginePair p = handshake(profile, pki.serverRsa);
        assertTrue(profile.protocols().contains(p.protocol()), profile + " negotiated " + p.protocol());
        assertTrue(profile.cipherSuiteNames().contains(p.cipherSuite()), profile + " negotiated " + p.cipherSuite());
        assertEquals(profile.protocols().get(0).equals("TLSv1.3") ? "TLSv1.3" : "TLSv1.2", p.protocol());
        assertEquals(pki.clientRsa.serial(), p.clientCertificate().getSerialNumber());
        assertEquals("ping", p.clientToServer("ping"));
        assertEquals("pong", p.serverToClient("pong"));
    }

    @ParameterizedTest
    @EnumSource(value = TlsProfile.class, names = {"NONE", "BASIC", "AES"}, mode = EnumSource.Mode.EXCLUDE)
    void negotiatesWithinTheProfileEc(TlsProfile profile) throws Exception {
        EnginePair p = handshake(profile, pki.serverEc);
        assertTrue(profile.protocols().contains(p.protocol()));
        assertTrue(profile.cipherSuiteNames().contains(p.cipherSuite()), profile + " negotiated " + p.cipherSuite());
        assertEquals(pki.serverEc.serial(), p.serverCertificate().getSerialNumber());
    }

    static Stream<Arguments> everyEnabledSuite() {
        List<Arguments> list = new ArrayList<>();
        for (TlsProfile profile : TlsProfile.values()) {
            if (!profile.isTls() || profile == TlsProfile.BASIC) {
                continue;
            }
            TlsContextFactory f = TlsContextFactory.create(Tls.server(pki, profile, pki.serverRsa).build());
            for (String suite : f.enabledCipherSuites()) {
                list.add(Arguments.of(profile, suite));
            }
        }
        return list.stream();
    }

    /**
     * Each suite the factory enables negotiates end to end when the client offers only that suite: what
     * {@link TlsContextFactory#enabledCipherSuites()} reports is what the provider really runs.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyEnabledSuite")
    void everyEnabledSuiteNegotiates(TlsProfile profile, String suite) throws Exception {
        CipherSuite cs = CipherSuite.forName(suite);
        TestPki.Issued serverCert = "ECDSA".equals(cs.authentication()) ? pki.serverEc : pki.serverRsa;
        TlsContextFactory server = TlsContextFactory.create(Tls.server(pki, profile, serverCert).build());
        // a JSSE client, which can offer a single TLS 1.3 suite (BoringSSL's TLS 1.3 suites are fixed)
        TlsContextFactory client = TlsContextFactory.create(Tls.client(pki, profile, pki.clientRsa)
                .engine(TlsEngine.JDK).build());
        SSLEngine c = client.newClientEngine("localhost", 2762);
        c.setEnabledProtocols(new String[] {cs.isTls13() ? "TLSv1.3" : "TLSv1.2"});
        c.setEnabledCipherSuites(new String[] {suite});
        EnginePair p = Tls.pair(c, server).handshake();
        assertEquals(suite, p.cipherSuite());
        assertEquals(cs.isTls13() ? "TLSv1.3" : "TLSv1.2", p.protocol());
        assertEquals("data", p.clientToServer("data"));
    }

    @Test
    void profilesNeedingCamelliaOrCcmRunOnBouncyCastle() {
        TlsContextFactory b13 = TlsContextFactory.create(
                Tls.server(pki, TlsProfile.BCP195_RFC8996_MODIFIED, pki.serverRsa).build());
        assertEquals("BCJSSE", b13.providerName());
        assertEquals(TlsProfile.BCP195_RFC8996_MODIFIED.cipherSuites().size(), b13.enabledCipherSuites().size(),
                "BCJSSE enables every B.13 suite: " + b13.notEnabled());
        TlsContextFactory b12 = TlsContextFactory.create(Tls.server(pki, TlsProfile.BCP195_RFC8996, pki.serverRsa)
                .engine(TlsEngine.JDK).build());
        assertEquals("SunJSSE", b12.providerName());
        assertEquals(TlsProfile.BCP195_RFC8996.cipherSuites().size(), b12.enabledCipherSuites().size());
    }

    /** The JDK disables TLS 1.0/1.1 and 3DES: the retired profiles report what remains. */
    @Test
    void retiredProfilesReportWhatTheJvmDisables() {
        TlsContextFactory aes = TlsContextFactory.create(Tls.server(pki, TlsProfile.AES, pki.serverRsa).build());
        assertEquals(List.of("TLSv1.2"), aes.enabledProtocols());
        assertEquals(List.of("TLS_RSA_WITH_AES_128_CBC_SHA"), aes.enabledCipherSuites());
        assertTrue(aes.notEnabled().get("TLS_RSA_WITH_3DES_EDE_CBC_SHA").contains("3DES_EDE_CBC"),
                aes.notEnabled().toString());
        assertTrue(aes.notEnabled().get("TLSv1.1").contains("jdk.tls.disabledAlgorithms"));
        TlsConfigurationException e = assertThrows(TlsConfigurationException.class,
                () -> TlsContextFactory.create(Tls.server(pki, TlsProfile.BASIC, pki.serverRsa).build()));
        assertTrue(e.getMessage().contains("cannot run on this JVM"), e.getMessage());
        assertTrue(e.getMessage().contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA"), e.getMessage());
    }

    /** Non-downgrading: a client that offers only RSA key transport with CBC/SHA-1 is refused at the handshake. */
    @ParameterizedTest
    @EnumSource(value = TlsProfile.class, names = {"BCP195_ND", "BCP195_EX", "BCP195_RFC8996",
            "BCP195_RFC8996_MODIFIED", "CRYPTREC"})
    void clientOfferingOnlyWeakSuitesIsRefused(TlsProfile profile) throws Exception {
        TlsContextFactory server = TlsContextFactory.create(Tls.server(pki, profile, pki.serverRsa).build());
        EnginePair.HandshakeFailed f = assertThrows(EnginePair.HandshakeFailed.class,
                () -> Tls.pair(weakClient(), server).handshake());
        assertTrue(f.server != null, "the server refuses: " + f.messages());
    }

    /** ...while the same client is accepted by the retired AES profile, so it really offered something. */
    @Test
    void theWeakClientIsAcceptedByTheAesProfile() throws Exception {
        TlsContextFactory server = TlsContextFactory.create(Tls.server(pki, TlsProfile.AES, pki.serverRsa).build());
        EnginePair p = Tls.pair(weakClient(), server).handshake();
        assertEquals("TLS_RSA_WITH_AES_128_CBC_SHA", p.cipherSuite());
    }

    @Test
    void clientsAndServersOfDifferentProvidersInteroperate() throws Exception {
        TlsContextFactory b13Server = TlsContextFactory.create(
                Tls.server(pki, TlsProfile.BCP195_RFC8996_MODIFIED, pki.serverRsa).build());
        TlsContextFactory b12Client = TlsContextFactory.create(
                Tls.client(pki, TlsProfile.BCP195_RFC8996, pki.clientEc).build());
        EnginePair p = Tls.connect(b12Client, "localhost", b13Server);
        assertEquals("TLSv1.3", p.protocol());
        assertEquals("TLS_AES_256_GCM_SHA384", p.cipherSuite());
        TlsContextFactory b12Server = TlsContextFactory.create(
                Tls.server(pki, TlsProfile.BCP195_RFC8996, pki.serverEc).build());
        TlsContextFactory cryptrecClient = TlsContextFactory.create(
                Tls.client(pki, TlsProfile.CRYPTREC, pki.clientRsa).build());
        SSLEngine c = cryptrecClient.newClientEngine("localhost", 2762);
        c.setEnabledProtocols(new String[] {"TLSv1.2"});
        EnginePair p2 = Tls.pair(c, b12Server).handshake();
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", p2.cipherSuite());
    }

    @Test
    void extendedProfileNeverNegotiatesTls13() throws Exception {
        EnginePair p = handshake(TlsProfile.BCP195_EX, pki.serverEc);
        assertEquals("TLSv1.2", p.protocol());
        assertFalse(TlsProfile.BCP195_EX.protocols().contains("TLSv1.3"));
    }

    private static EnginePair handshake(TlsProfile profile, TestPki.Issued serverCert) throws Exception {
        TlsContextFactory server = TlsContextFactory.create(Tls.server(pki, profile, serverCert).build());
        TlsContextFactory client = TlsContextFactory.create(Tls.client(pki, profile, pki.clientRsa).build());
        return Tls.connect(client, "localhost", server);
    }

    /** A plain JDK client, TLS 1.2, offering TLS_RSA_WITH_AES_128_CBC_SHA only (RSA key transport, CBC, SHA-1). */
    private static SSLEngine weakClient() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", pki.clientRsa.key(), "x".toCharArray(),
                new java.security.cert.Certificate[] {pki.clientRsa.cert()});
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
        e.setEnabledProtocols(new String[] {"TLSv1.2"});
        e.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA"});
        return e;
    }
}
