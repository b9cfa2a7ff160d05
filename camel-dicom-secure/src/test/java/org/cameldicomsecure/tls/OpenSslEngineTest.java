package org.cameldicomsecure.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import javax.net.ssl.SSLEngine;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TlsEngine}: which profiles AUTO runs on BoringSSL, what OPENSSL leaves out, and that BoringSSL engines and
 * JSSE engines made from the same settings talk to each other and apply the same checks.
 */
class OpenSslEngineTest {

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir);
        // the build runs on linux-x86_64, for which netty-tcnative-boringssl-static ships a native library
        assertTrue(OpenSslBackend.isAvailable(), "BoringSSL did not load: " + OpenSslBackend.unavailabilityCause());
    }

    @Test
    void autoRunsTheDefaultProfileOnBoringSsl() {
        TlsContextFactory f = TlsContextFactory.create(Tls.server(pki, TlsProfile.BCP195_RFC8996, pki.serverRsa)
                .build());
        assertTrue(f.usesOpenSsl());
        assertEquals("OpenSSL", f.providerName());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), f.enabledProtocols());
        assertEquals(TlsProfile.BCP195_RFC8996.cipherSuiteNames(), f.enabledCipherSuites());
        assertTrue(f.notEnabled().isEmpty(), f.notEnabled().toString());
    }

    /** B.9 and B.10 list DHE suites, which BoringSSL lacks: AUTO keeps them on SunJSSE so nothing is lost. */
    @ParameterizedTest
    @EnumSource(value = TlsProfile.class, names = {"BCP195", "BCP195_ND"})
    void autoKeepsProfilesWithDheSuitesOnSunJsse(TlsProfile profile) {
        TlsContextFactory f = TlsContextFactory.create(Tls.server(pki, profile, pki.serverRsa).build());
        assertFalse(f.usesOpenSsl());
        assertEquals("SunJSSE", f.providerName());
        assertTrue(f.enabledCipherSuites().contains("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"));
    }

    @ParameterizedTest
    @EnumSource(value = TlsProfile.class, names = {"BCP195_EX", "BCP195_RFC8996_MODIFIED", "CRYPTREC"})
    void autoKeepsBouncyCastleProfilesOnBcJsse(TlsProfile profile) {
        TlsContextFactory f = TlsContextFactory.create(Tls.server(pki, profile, pki.serverEc).build());
        assertFalse(f.usesOpenSsl());
        assertEquals("BCJSSE", f.providerName());
    }

    @Test
    void openSslOnBcp195NdReportsTheMissingDheSuites() {
        TlsContextFactory f = TlsContextFactory.create(Tls.server(pki, TlsProfile.BCP195_ND, pki.serverRsa)
                .engine(TlsEngine.OPENSSL).build());
        assertTrue(f.usesOpenSsl());
        assertEquals("not implemented by BoringSSL", f.notEnabled().get("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"));
        assertEquals("not implemented by BoringSSL", f.notEnabled().get("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"));
        assertTrue(f.enabledCipherSuites().contains("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), f.enabledProtocols());
    }

    @ParameterizedTest
    @EnumSource(value = TlsProfile.class, names = {"BCP195_EX", "BCP195_RFC8996_MODIFIED", "CRYPTREC"})
    void openSslIsRefusedForProfilesThatNeedBcJsse(TlsProfile profile) {
        TlsConfigurationException e = assertThrows(TlsConfigurationException.class, () -> TlsContextFactory
                .create(Tls.server(pki, profile, pki.serverEc).engine(TlsEngine.OPENSSL).build()));
        assertTrue(e.getMessage().contains("tlsEngine OPENSSL cannot serve tlsProfile " + profile.name()),
                e.getMessage());
    }

    /** A BoringSSL server and a SunJSSE client, and the other way round, with client certificates both ways. */
    @Test
    void boringSslAndSunJsseInteroperate() throws Exception {
        TlsContextFactory openServer = TlsContextFactory.create(
                Tls.server(pki, TlsProfile.BCP195_RFC8996, pki.serverRsa).engine(TlsEngine.OPENSSL).build());
        TlsContextFactory jdkClient = TlsContextFactory.create(
                Tls.client(pki, TlsProfile.BCP195_RFC8996, pki.clientEc).engine(TlsEngine.JDK).build());
        EnginePair p = Tls.connect(jdkClient, "localhost", openServer);
        assertEquals("TLSv1.3", p.protocol());
        assertEquals(pki.clientEc.serial(), p.clientCertificate().getSerialNumber());
        assertEquals("ping", p.clientToServer("ping"));
        assertEquals("pong", p.serverToClient("pong"));

        TlsContextFactory jdkServer = TlsContextFactory.create(
                Tls.server(pki, TlsProfile.BCP195_RFC8996, pki.serverEc).engine(TlsEngine.JDK).build());
        TlsContextFactory openClient = TlsContextFactory.create(
                Tls.client(pki, TlsProfile.BCP195_RFC8996, pki.clientRsa).engine(TlsEngine.OPENSSL).build());
        EnginePair q = Tls.connect(openClient, "localhost", jdkServer);
        assertEquals("TLSv1.3", q.protocol());
        assertEquals(pki.serverEc.serial(), q.serverCertificate().getSerialNumber());
        assertEquals(pki.clientRsa.serial(), q.clientCertificate().getSerialNumber());
    }

    /** Over TLS 1.2 the BoringSSL server picks by the profile's order (server preference): AES-256-GCM first. */
    @Test
    void boringSslServerUsesTheProfilesOrderOverTls12() throws Exception {
        TlsContextFactory openServer = TlsContextFactory.create(
                Tls.server(pki, TlsProfile.BCP195_RFC8996, pki.serverRsa).build());
        TlsContextFactory jdkClient = TlsContextFactory.create(
                Tls.client(pki, TlsProfile.BCP195_RFC8996, pki.clientRsa).engine(TlsEngine.JDK).build());
        SSLEngine c = jdkClient.newClientEngine("localhost", 2762);
        c.setEnabledProtocols(new String[] {"TLSv1.2"});
        c.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"});
        EnginePair p = Tls.pair(c, openServer).handshake();
        assertEquals("TLSv1.2", p.protocol());
        assertEquals("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", p.cipherSuite());
    }

    /** The same trust checks run on BoringSSL: untrusted CA, expired and revoked client certificates. */
    @Test
    void boringSslServerRefusesWhatTheProfileRefuses() throws Exception {
        TlsContextFactory server = TlsContextFactory.create(Tls.server(pki, TlsProfile.BCP195_RFC8996, pki.serverRsa)
                .crlFiles(List.of(pki.crlPem)).build());
        assertTrue(server.usesOpenSsl());
        // (a 1024-bit client key: PeerVerificationTest, whose B.12 server runs on BoringSSL under AUTO)
        for (TestPki.Issued bad : List.of(pki.clientOtherCa, pki.clientExpired, pki.clientRevoked)) {
            TlsContextFactory client = TlsContextFactory.create(Tls.client(pki, TlsProfile.BCP195_RFC8996, bad)
                    .engine(TlsEngine.JDK).build());
            assertThrows(EnginePair.HandshakeFailed.class, () -> Tls.connect(client, "localhost", server),
                    "client certificate " + bad.cert().getSubjectX500Principal() + " was accepted");
        }
        TlsContextFactory good = TlsContextFactory.create(Tls.client(pki, TlsProfile.BCP195_RFC8996, pki.clientRsa)
                .engine(TlsEngine.JDK).build());
        assertEquals("TLSv1.3", Tls.connect(good, "localhost", server).protocol());
    }

    /** Host name verification on a BoringSSL client: a server certificate for another name is refused. */
    @Test
    void boringSslClientVerifiesTheHostName() throws Exception {
        TlsContextFactory server = TlsContextFactory.create(Tls.server(pki, TlsProfile.BCP195_RFC8996, pki.serverRsa)
                .build());
        TlsContextFactory client = TlsContextFactory.create(Tls.client(pki, TlsProfile.BCP195_RFC8996, pki.clientRsa)
                .build());
        assertTrue(client.usesOpenSsl());
        assertEquals("TLSv1.3", Tls.connect(client, "localhost", server).protocol());
        assertThrows(EnginePair.HandshakeFailed.class, () -> Tls.connect(client, "pacs.example.org", server));
    }
}
