package org.cameldicomsecure.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TlsContextFactory#create} checks the settings up front, with messages that name the problem. */
class TlsSettingsValidationTest {

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir);
    }

    private static TlsConfigurationException fails(TlsSettings s) {
        return assertThrows(TlsConfigurationException.class, () -> TlsContextFactory.create(s));
    }

    private static void assertMentions(TlsConfigurationException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
        assertFalse(e.getMessage().contains(TestPki.PASSWORD), "never the password: " + e.getMessage());
    }

    @Test
    void missingFiles() {
        Path missing = dir.resolve("nope.pem");
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).certificate(missing).build()),
                "certificate file", "nope.pem", "does not exist");
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).privateKey(missing).build()),
                "privateKey file", "does not exist");
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).trustedCertificates(missing)
                .build()), "trustedCertificates file", "does not exist");
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).crlFiles(List.of(missing)).build()),
                "crlFiles file", "does not exist");
        assertMentions(fails(TlsSettings.builder().keyStore(missing).keyStorePassword("x").build()),
                "keyStore file", "does not exist");
    }

    @Test
    void certificateWithoutKeyAndContradictions() throws Exception {
        assertMentions(fails(TlsSettings.builder().certificate(pki.serverRsa.certPem()).build()),
                "certificate is set but privateKey is not");
        Path p12 = TestPki.writePkcs12(dir.resolve("both.p12"), pki.serverRsa, TestPki.PASSWORD);
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).keyStore(p12)
                .keyStorePassword(TestPki.PASSWORD).build()), "either certificate and privateKey, or keyStore");
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).sslContext(ctx).build()),
                "either sslContext");
        assertMentions(fails(TlsSettings.builder().trustedCertificates(pki.ca.certPem()).trustStore(p12).build()),
                "either trustedCertificates or trustStore");
    }

    @Test
    void notPemFiles() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "this is not PEM\n");
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).certificate(junk).build()),
                "certificate file", "junk.pem", "no PEM certificate");
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).privateKey(junk).build()),
                "privateKey file", "no PEM private key");
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).crlFiles(List.of(junk)).build()),
                "crlFiles file", "junk.pem");
        assertMentions(fails(TlsSettings.builder().keyStore(junk).keyStorePassword("x").build()),
                "keyStore file", "junk.pem");
    }

    @Test
    void encryptedKeysAndWrongPasswords() throws Exception {
        Path pkcs8 = TestPki.writePkcs8(dir.resolve("enc-pkcs8.pem"), pki.serverRsa.key(), TestPki.PASSWORD);
        Path trad = TestPki.writeTraditional(dir.resolve("enc-trad.pem"), pki.serverEc.key(), TestPki.PASSWORD);
        assertTrue(Files.readString(pkcs8).contains("BEGIN ENCRYPTED PRIVATE KEY"));
        assertTrue(Files.readString(trad).contains("Proc-Type: 4,ENCRYPTED"));

        TlsContextFactory ok = TlsContextFactory.create(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa)
                .privateKey(pkcs8).privateKeyPassword(TestPki.PASSWORD).build());
        assertTrue(ok.isTls());
        TlsContextFactory.create(Tls.server(pki, TlsProfile.DEFAULT, pki.serverEc).privateKey(trad)
                .privateKeyPassword(TestPki.PASSWORD).build());

        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).privateKey(pkcs8).build()),
                "enc-pkcs8.pem", "is encrypted: set privateKeyPassword");
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).privateKey(pkcs8)
                .privateKeyPassword("wrong").build()), "enc-pkcs8.pem", "wrong privateKeyPassword");
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverEc).privateKey(trad)
                .privateKeyPassword("wrong").build()), "enc-trad.pem", "wrong privateKeyPassword");
    }

    @Test
    void traditionalUnencryptedKeys() throws Exception {
        Path rsa = TestPki.writeTraditional(dir.resolve("rsa-trad.pem"), pki.serverRsa.key(), null);
        Path ec = TestPki.writeTraditional(dir.resolve("ec-trad.pem"), pki.serverEc.key(), null);
        assertTrue(Files.readString(rsa).contains("BEGIN RSA PRIVATE KEY"));
        assertTrue(Files.readString(ec).contains("BEGIN EC PRIVATE KEY"));
        TlsContextFactory.create(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).privateKey(rsa).build());
        TlsContextFactory.create(Tls.server(pki, TlsProfile.DEFAULT, pki.serverEc).privateKey(ec).build());
    }

    @Test
    void pkcs12KeyAndTrustStores() throws Exception {
        Path ks = TestPki.writePkcs12(dir.resolve("server.p12"), pki.serverEc, TestPki.PASSWORD);
        Path ts = TestPki.writeTrustStore(dir.resolve("trust.p12"), TestPki.PASSWORD, pki.ca.cert());
        TlsContextFactory server = TlsContextFactory.create(TlsSettings.builder().keyStore(ks)
                .keyStorePassword(TestPki.PASSWORD).trustStore(ts).trustStorePassword(TestPki.PASSWORD).build());
        TlsContextFactory client = TlsContextFactory.create(Tls.client(pki, TlsProfile.DEFAULT, pki.clientEc)
                .build());
        EnginePair p = Tls.connect(client, "localhost", server);
        assertEquals(pki.serverEc.serial(), p.serverCertificate().getSerialNumber());

        assertMentions(fails(TlsSettings.builder().keyStore(ks).keyStorePassword("wrong").build()),
                "keyStore file", "server.p12", "wrong keyStorePassword");
        assertMentions(fails(TlsSettings.builder().trustStore(ts).trustStorePassword("wrong").build()),
                "trustStore file", "wrong trustStorePassword");
        assertMentions(fails(TlsSettings.builder().trustStore(ks).trustStorePassword(TestPki.PASSWORD).build()),
                "trustStore file", "no trusted certificate entry");
    }

    @Test
    void keyAndCertificateMismatch() {
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).privateKey(pki.clientRsa.keyPem())
                .build()), "do not match", "does not belong");
        assertMentions(fails(Tls.server(pki, TlsProfile.DEFAULT, pki.serverRsa).privateKey(pki.serverEc.keyPem())
                .build()), "do not match", "certificate has an RSA key");
    }

    @Test
    void keyTooSmallForTheProfile() {
        assertMentions(fails(Tls.server(pki, TlsProfile.BCP195_RFC8996, pki.serverRsa1024).build()),
                "RSA key has 1024 bits", "BCP195_RFC8996 (PS3.15 B.12) requires at least 2048");
        assertMentions(fails(Tls.server(pki, TlsProfile.BCP195_RFC8996_MODIFIED, pki.serverRsa1024).build()),
                "B.13");
        // B.3 sets no minimum (the JVM still refuses < 1024)
        TlsContextFactory.create(Tls.server(pki, TlsProfile.AES, pki.serverRsa1024).build());
    }

    @Test
    void retiredProfilesNeedTheOptIn() {
        for (TlsProfile p : new TlsProfile[] {TlsProfile.BASIC, TlsProfile.AES}) {
            assertMentions(fails(Tls.server(pki, p, pki.serverRsa).allowRetiredProfiles(false).build()),
                    p.name(), "retired", "allowRetiredProfiles=true");
        }
        // B.9-B.11 are retired but still usable without the opt-in, as the issue asks
        TlsContextFactory.create(Tls.server(pki, TlsProfile.BCP195, pki.serverRsa).allowRetiredProfiles(false)
                .build());
    }

    @Test
    void profileWithoutSuiteForTheKey() {
        assertMentions(fails(Tls.server(pki, TlsProfile.AES, pki.serverEc).build()),
                "no enabled cipher suite for an EC key");
    }

    @Test
    void noneIsPlainTcp() {
        TlsContextFactory f = TlsContextFactory.create(TlsSettings.builder().profile(TlsProfile.NONE).build());
        assertFalse(f.isTls());
        assertThrows(IllegalStateException.class, f::newServerEngine);
        assertThrows(IllegalStateException.class, () -> f.newClientEngine("localhost", 104));
    }

    @Test
    void serverWithoutKeyMaterial() {
        TlsContextFactory f = TlsContextFactory.create(Tls.client(pki, TlsProfile.DEFAULT, null).build());
        TlsConfigurationException e = assertThrows(TlsConfigurationException.class, f::newServerEngine);
        assertMentions(e, "a TLS server needs key material");
        assertThrows(IllegalArgumentException.class, () -> f.newClientEngine(null, 104));
    }

    @Test
    void defaultsAndToStringHidePasswords() {
        TlsSettings s = TlsSettings.builder().privateKeyPassword(TestPki.PASSWORD)
                .keyStorePassword(TestPki.PASSWORD).trustStorePassword(TestPki.PASSWORD).build();
        assertEquals(TlsProfile.BCP195_RFC8996, s.profile());
        assertEquals(ClientAuth.REQUIRE, s.clientAuth());
        assertTrue(s.verifyHostname());
        assertFalse(s.ocsp());
        assertFalse(s.allowRetiredProfiles());
        assertFalse(s.toString().contains(TestPki.PASSWORD), s.toString());
        assertEquals(s, s.toBuilder().build());
    }
}
