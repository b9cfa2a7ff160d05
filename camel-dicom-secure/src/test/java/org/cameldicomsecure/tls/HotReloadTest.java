package org.cameldicomsecure.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Changed key, certificate, trust and CRL files are picked up by the next new connection, established connections
 * carry on, and broken files keep the previous material.
 */
class HotReloadTest {

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProfile.class, names = {"BCP195_RFC8996", "BCP195_RFC8996_MODIFIED"})
    void newCertificateServesNewHandshakesWithoutTouchingOpenOnes(TlsProfile profile, @TempDir Path work)
            throws Exception {
        Path cert = work.resolve("server.crt");
        Path key = work.resolve("server.key");
        TestPki.replace(cert, pki.serverRsa.certPem());
        TestPki.replace(key, pki.serverRsa.keyPem());
        TlsContextFactory server = TlsContextFactory.create(TlsSettings.builder().profile(profile).certificate(cert)
                .privateKey(key).trustedCertificates(pki.ca.certPem()).build());
        TlsContextFactory client = TlsContextFactory.create(Tls.client(pki, profile, pki.clientRsa).build());

        EnginePair open = Tls.connect(client, "localhost", server);
        assertEquals(pki.serverRsa.serial(), open.serverCertificate().getSerialNumber());
        assertFalse(server.reloadIfChanged(), "nothing changed");

        // renewal: an EC certificate and key replace the RSA ones (certificate first, as a tool might)
        TestPki.Issued renewed = pki.newServer("renewed-" + profile.name(), TestPki.ec());
        TestPki.replace(cert, renewed.certPem());
        // in between, the pair does not match: the old material stays
        EnginePair between = Tls.connect(client, "localhost", server);
        assertEquals(pki.serverRsa.serial(), between.serverCertificate().getSerialNumber());
        assertNotNull(server.lastReloadProblem());
        assertTrue(server.lastReloadProblem().contains("do not match"), server.lastReloadProblem());
        TestPki.replace(key, renewed.keyPem());

        EnginePair fresh = Tls.connect(client, "localhost", server);
        assertEquals(renewed.serial(), fresh.serverCertificate().getSerialNumber());
        assertNull(server.lastReloadProblem());

        // the connection opened before the renewal is unaffected, in both directions
        assertEquals("C-STORE-RQ", open.clientToServer("C-STORE-RQ"));
        assertEquals("C-STORE-RSP", open.serverToClient("C-STORE-RSP"));
        assertEquals(pki.serverRsa.serial(), open.serverCertificate().getSerialNumber());

        // a broken file keeps the last good material
        TestPki.atomicWrite(cert, "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n"
                .getBytes(StandardCharsets.US_ASCII));
        EnginePair stillRenewed = Tls.connect(client, "localhost", server);
        assertEquals(renewed.serial(), stillRenewed.serverCertificate().getSerialNumber());
        assertTrue(server.lastReloadProblem().contains("certificate file"), server.lastReloadProblem());

        // a deleted file too
        TestPki.replace(cert, renewed.certPem());
        Files.delete(key);
        assertEquals(renewed.serial(), Tls.connect(client, "localhost", server).serverCertificate()
                .getSerialNumber());
        assertTrue(server.lastReloadProblem().contains("does not exist"), server.lastReloadProblem());

        // and the next good pair is taken
        TestPki.Issued third = pki.newServer("third-" + profile.name(), TestPki.rsa(2048));
        TestPki.replace(cert, third.certPem());
        TestPki.replace(key, third.keyPem());
        assertEquals(third.serial(), Tls.connect(client, "localhost", server).serverCertificate()
                .getSerialNumber());
    }

    @Test
    void trustAndCrlFilesAreReloaded(@TempDir Path work) throws Exception {
        Path trust = work.resolve("trust.pem");
        Path crl = work.resolve("ca.crl");
        TestPki.replace(trust, pki.ca.certPem());
        TestPki.replace(crl, pki.emptyCrlPem);
        TlsContextFactory server = TlsContextFactory.create(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa)
                .trustedCertificates(trust).crlFiles(List.of(crl)).build());

        // the revoked certificate is not on the CRL yet
        Tls.connect(TlsContextFactory.create(Tls.client(pki, TlsProfile.DEFAULT, pki.clientRevoked).build()),
                "localhost", server);
        TestPki.replace(crl, pki.crlPem);
        assertThrows(EnginePair.HandshakeFailed.class, () -> Tls.connect(TlsContextFactory.create(
                Tls.client(pki, TlsProfile.DEFAULT, pki.clientRevoked).build()), "localhost", server));

        // the unrelated CA becomes trusted; revocation checking is strict, so its CRL joins the CRL file
        TlsContextFactory other = TlsContextFactory.create(Tls.client(pki, TlsProfile.DEFAULT, pki.clientOtherCa)
                .build());
        assertThrows(EnginePair.HandshakeFailed.class, () -> Tls.connect(other, "localhost", server));
        TestPki.atomicWrite(trust, (Files.readString(pki.ca.certPem()) + Files.readString(pki.otherCa.certPem()))
                .getBytes(StandardCharsets.US_ASCII));
        TestPki.writePem(crl, pki.crl(pki.ca, List.of(pki.clientRevoked.serial())), pki.crl(pki.otherCa, List.of()));
        Tls.connect(other, "localhost", server);
        assertThrows(EnginePair.HandshakeFailed.class, () -> Tls.connect(TlsContextFactory.create(
                Tls.client(pki, TlsProfile.DEFAULT, pki.clientRevoked).build()), "localhost", server));
    }

    @Test
    void pkcs12KeyStoreIsReloaded(@TempDir Path work) throws Exception {
        Path ks = TestPki.writePkcs12(work.resolve("server.p12"), pki.serverRsa, TestPki.PASSWORD);
        TlsContextFactory server = TlsContextFactory.create(TlsSettings.builder().keyStore(ks)
                .keyStorePassword(TestPki.PASSWORD).trustedCertificates(pki.ca.certPem()).build());
        TlsContextFactory client = TlsContextFactory.create(Tls.client(pki, TlsProfile.DEFAULT, pki.clientRsa)
                .build());
        assertEquals(pki.serverRsa.serial(), Tls.connect(client, "localhost", server).serverCertificate()
                .getSerialNumber());
        Path next = TestPki.writePkcs12(work.resolve("next.p12"), pki.serverEc, TestPki.PASSWORD);
        TestPki.replace(ks, next);
        assertTrue(server.reloadIfChanged());
        assertEquals(pki.serverEc.serial(), Tls.connect(client, "localhost", server).serverCertificate()
                .getSerialNumber());
        // a key store written with another password is refused and the EC key stays
        Path wrong = TestPki.writePkcs12(work.resolve("wrong.p12"), pki.serverRsa, "another-password");
        TestPki.replace(ks, wrong);
        assertFalse(server.reloadIfChanged());
        assertTrue(server.lastReloadProblem().contains("wrong keyStorePassword"), server.lastReloadProblem());
        assertFalse(server.lastReloadProblem().contains(TestPki.PASSWORD));
        assertEquals(pki.serverEc.serial(), Tls.connect(client, "localhost", server).serverCertificate()
                .getSerialNumber());
    }
}
