package org.cameldicomsecure.it.mail.smime;

import static org.cameldicomsecure.it.Peers.cmd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

import jakarta.activation.DataHandler;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.util.ByteArrayDataSource;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.mail.smime.ContentEncryption;
import org.cameldicomsecure.mail.smime.KeyEncryption;
import org.cameldicomsecure.mail.smime.SecureMailException;
import org.cameldicomsecure.mail.smime.SignatureOrder;
import org.cameldicomsecure.mail.smime.SmimeOptions;
import org.cameldicomsecure.mail.smime.SmimeReader;
import org.cameldicomsecure.mail.smime.SmimeReaderOptions;
import org.cameldicomsecure.mail.smime.SmimeWriter;
import org.cameldicomsecure.mail.smime.UnwrappedMail;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * S/MIME against OpenSSL 3, both ways. Keys and certificates are made by {@code openssl req} / {@code openssl x509}
 * in a temporary directory: a CA, and for alice (sender) and bob (recipient) an RSA and an EC P-256 certificate with
 * an rfc822Name subject alternative name and extended key usage emailProtection.
 *
 * <p>Ours to OpenSSL: a message {@link SmimeWriter} makes, saved as RFC 5322 bytes with {@code MimeMessage.writeTo},
 * is decrypted by {@code openssl cms -decrypt} and its signature verified by {@code openssl smime -verify -CAfile}
 * (or the other way round for encrypt-then-sign); the innermost entity equals what we put in.
 *
 * <p>OpenSSL to ours: {@code openssl smime -sign} / {@code openssl cms -sign} (detached and {@code -nodetach}), then
 * {@code openssl smime -encrypt} / {@code openssl cms -encrypt} (AES-CBC, AES-GCM, OAEP, ECDH), and encrypt-then-sign,
 * are read by {@link SmimeReader} with the right signer and content; {@code -des3} is refused as weak.
 */
class SmimeOpenSslIT {

    private static final Session SESSION = Session.getInstance(new Properties());
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    private static final String TEXT = "Dear colleague,\r\nthe study is attached.\r\n";

    private static Peers peers;
    private static Path openssl;
    private static Path dir;
    private static Path caPem;
    private static X509Certificate caCert;
    private static final Identity[] ALICES = new Identity[2];
    private static final Identity[] BOBS = new Identity[2];
    private static byte[] payload;
    private static Path payloadEml;
    private static int counter;

    /** A key and certificate as PEM files and as Java objects. */
    record Identity(String alg, Path keyPem, Path certPem, PrivateKey key, X509Certificate cert) {
    }

    @BeforeAll
    static void makePkiWithOpenSsl() throws Exception {
        peers = Peers.forTest(SmimeOpenSslIT.class);
        openssl = Peers.require("openssl", "openssl");
        Path work = Paths.get(System.getProperty("it.work.dir", "target/it-work"));
        Files.createDirectories(work);
        dir = Files.createTempDirectory(work, "openssl-smime-");
        caPem = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        peers.run("req-ca", dir, cmd(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey,
                "-out", caPem, "-subj", "/CN=S-MIME IT CA/O=camel-dicom-secure IT", "-days", "2",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")).assertSuccess();
        caCert = readCert(caPem);
        int serial = 2000;
        for (int i = 0; i < 2; i++) {
            String alg = i == 0 ? "rsa" : "ec";
            ALICES[i] = issue("alice-" + alg, alg, ALICE, caKey, ++serial);
            BOBS[i] = issue("bob-" + alg, alg, BOB, caKey, ++serial);
        }
        payload = new byte[40_000];
        new Random(8).nextBytes(payload);
        payloadEml = dir.resolve("payload.eml");
        try (OutputStream out = Files.newOutputStream(payloadEml)) {
            content().writeTo(out);
        }
    }

    private static Identity issue(String name, String alg, String email, Path caKey, int serial) throws Exception {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, "basicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature," + (alg.equals("rsa") ? "keyEncipherment" : "keyAgreement") + "\n"
                + "extendedKeyUsage=emailProtection\nsubjectAltName=email:" + email + "\n"
                + "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        List<String> keyOptions = alg.equals("rsa") ? List.of("-newkey", "rsa:2048")
                : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        peers.run("req-" + name, dir, cmd(openssl, "req", "-new", keyOptions, "-nodes", "-keyout", key, "-out", csr,
                "-subj", "/CN=" + name + "/O=camel-dicom-secure IT")).assertSuccess();
        peers.run("x509-" + name, dir, cmd(openssl, "x509", "-req", "-in", csr, "-CA", caPem, "-CAkey", caKey,
                "-set_serial", serial, "-days", "2", "-extfile", ext, "-out", cert)).assertSuccess();
        return new Identity(alg, key, cert, readKey(key), readCert(cert));
    }

    /** multipart/mixed: a text part and an application/zip part with the payload, as a MIME entity. */
    private static MimeBodyPart content() throws Exception {
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(TEXT, "US-ASCII");
        mixed.addBodyPart(text);
        MimeBodyPart zip = new MimeBodyPart();
        zip.setDataHandler(new DataHandler(new ByteArrayDataSource(payload, "application/zip")));
        zip.setFileName("DICOM.ZIP");
        mixed.addBodyPart(zip);
        MimeMessage holder = new MimeMessage(SESSION);
        holder.setContent(mixed);
        holder.saveChanges();
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(mixed);
        body.setHeader("Content-Type", holder.getContentType());
        return body;
    }

    private static void assertContent(MimePart part) throws Exception {
        MimeMultipart mp = (MimeMultipart) part.getContent();
        assertEquals(2, mp.getCount());
        assertEquals(TEXT.replace("\r\n", "\n"), ((String) mp.getBodyPart(0).getContent()).replace("\r\n", "\n"));
        try (InputStream in = mp.getBodyPart(1).getInputStream()) {
            assertArrayEquals(payload, in.readAllBytes());
        }
        assertEquals("DICOM.ZIP", mp.getBodyPart(1).getFileName());
    }

    private static Path file(String name) {
        return dir.resolve(++counter + "-" + name);
    }

    // ---------------------------------------------------------------------------------------------- ours -> openssl

    static Stream<Arguments> oursToOpenSsl() {
        List<Arguments> out = new ArrayList<>();
        for (int signer = 0; signer < 2; signer++) {
            for (int recipient = 0; recipient < 2; recipient++) {
                for (ContentEncryption ce : List.of(ContentEncryption.AES256_CBC, ContentEncryption.AES128_CBC,
                        ContentEncryption.AES256_GCM, ContentEncryption.AES128_GCM)) {
                    out.add(Arguments.of(signer == 0 ? "rsa" : "ec", recipient == 0 ? "rsa" : "ec", ce));
                }
            }
        }
        return out.stream();
    }

    private static Path writeOurs(Identity signer, List<Identity> recipients, SmimeOptions options, String name)
            throws Exception {
        MimeMessage m = new MimeMessage(SESSION);
        m.setFrom(new InternetAddress(ALICE));
        m.setRecipients(MimeMessage.RecipientType.TO, BOB);
        m.setSubject("DICOM study");
        new SmimeWriter(signer == null ? null : signer.key(), signer == null ? null : List.of(signer.cert()),
                recipients.stream().map(Identity::cert).toList(), options).writeTo(content(), m);
        Path p = file(name + ".eml");
        try (OutputStream out = Files.newOutputStream(p)) {
            m.writeTo(out);
        }
        return p;
    }

    private static Path openSslDecrypt(Path in, Identity recipient, String name) throws Exception {
        Path out = file(name + ".decrypted.eml");
        peers.run("decrypt-" + name, dir, cmd(openssl, "cms", "-decrypt", "-in", in, "-recip", recipient.certPem(),
                "-inkey", recipient.keyPem(), "-out", out)).assertSuccess();
        return out;
    }

    private static Path openSslVerify(Path in, String tool, String name) throws Exception {
        Path out = file(name + ".verified.eml");
        Peers.Result r = peers.run("verify-" + name, dir, cmd(openssl, tool, "-verify", "-in", in, "-CAfile", caPem,
                "-out", out)).assertSuccess();
        assertTrue(r.err().contains("Verification successful"), r.err());
        return out;
    }

    private static MimeBodyPart entity(Path p) throws Exception {
        try (InputStream in = Files.newInputStream(p)) {
            return new MimeBodyPart(new java.io.ByteArrayInputStream(in.readAllBytes()));
        }
    }

    @ParameterizedTest(name = "{0} signer, {1} recipient, {2}")
    @MethodSource
    void oursToOpenSsl(String signerAlg, String recipientAlg, ContentEncryption ce) throws Exception {
        Identity alice = ALICES[signerAlg.equals("rsa") ? 0 : 1];
        Identity bob = BOBS[recipientAlg.equals("rsa") ? 0 : 1];
        String name = "ours-" + signerAlg + "-" + recipientAlg + "-" + ce.name();
        Path ours = writeOurs(alice, List.of(bob), SmimeOptions.DEFAULT.withContentEncryption(ce), name);
        Path decrypted = openSslDecrypt(ours, bob, name);
        MimeBodyPart signed = entity(decrypted);
        assertTrue(signed.isMimeType("multipart/signed"), signed.getContentType());
        Path verified = openSslVerify(decrypted, "smime", name);
        assertContent(entity(verified));
        // openssl cms -verify agrees
        assertContent(entity(openSslVerify(decrypted, "cms", name + "-cms")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ec"})
    void oursEncryptThenSignToOpenSsl(String alg) throws Exception {
        Identity alice = ALICES[alg.equals("rsa") ? 0 : 1];
        Identity bob = BOBS[alg.equals("rsa") ? 0 : 1];
        String name = "ours-ets-" + alg;
        Path ours = writeOurs(alice, List.of(bob), SmimeOptions.DEFAULT.withOrder(SignatureOrder.ENCRYPT_THEN_SIGN),
                name);
        Path inner = openSslVerify(ours, "smime", name);
        assertContent(entity(openSslDecrypt(inner, bob, name)));
    }

    @Test
    void oursWithOaepAndSeveralRecipientsToOpenSsl() throws Exception {
        Path ours = writeOurs(ALICES[0], List.of(BOBS[0], BOBS[1]),
                SmimeOptions.DEFAULT.withKeyEncryption(KeyEncryption.RSA_OAEP), "ours-oaep");
        for (Identity bob : BOBS) {
            Path decrypted = openSslDecrypt(ours, bob, "ours-oaep-" + bob.alg());
            assertContent(entity(openSslVerify(decrypted, "smime", "ours-oaep-" + bob.alg())));
        }
        String dump = peers.run("print-oaep", dir, cmd(openssl, "cms", "-cmsout", "-print", "-in", ours))
                .assertSuccess().out();
        assertTrue(dump.contains("rsaesOaep"), dump);
        assertTrue(dump.contains("dhSinglePass-stdDH-sha256kdf-scheme"), dump);
    }

    @Test
    void oursSignedOnlyVerifiesAndATamperedCopyDoesNot() throws Exception {
        Path ours = writeOurs(ALICES[1], List.of(), SmimeOptions.DEFAULT, "ours-signed");
        assertContent(entity(openSslVerify(ours, "smime", "ours-signed")));
        String s = Files.readString(ours, java.nio.charset.StandardCharsets.ISO_8859_1);
        Path tampered = file("ours-signed-tampered.eml");
        Files.writeString(tampered, s.replace("the study is attached", "the Study is attached"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        Peers.Result r = peers.run("verify-tampered", dir, cmd(openssl, "smime", "-verify", "-in", tampered,
                "-CAfile", caPem, "-out", file("tampered.out")));
        assertNotEquals(0, r.exitCode(), r.err());
    }

    // ---------------------------------------------------------------------------------------------- openssl -> ours

    private static UnwrappedMail readOurs(Path eml, Identity bob, SmimeReaderOptions options) throws Exception {
        byte[] bytes = Files.readAllBytes(eml);
        MimeMessage m = new MimeMessage(SESSION, new java.io.ByteArrayInputStream(bytes));
        return new SmimeReader(bob.key(), bob.cert(), List.of(caCert), options).read(m);
    }

    private static Path openSslSign(String tool, Identity alice, Path in, List<String> extra, String name)
            throws Exception {
        Path out = file(name + ".signed.eml");
        peers.run("sign-" + name, dir, cmd(openssl, tool, "-sign", "-signer", alice.certPem(), "-inkey",
                alice.keyPem(), "-in", in, "-out", out, extra)).assertSuccess();
        return out;
    }

    private static Path openSslEncrypt(String tool, List<String> cipher, Path in, Identity bob, String name)
            throws Exception {
        return openSslEncrypt(tool, cipher, in, bob, List.of(), name);
    }

    /** {@code openssl smime|cms -encrypt}; {@code recipientOptions} (cms -keyopt) follow the -recip. */
    private static Path openSslEncrypt(String tool, List<String> cipher, Path in, Identity bob,
            List<String> recipientOptions, String name) throws Exception {
        Path out = file(name + ".encrypted.eml");
        List<String> headers = List.of("-from", ALICE, "-to", BOB, "-subject", "DICOM study");
        List<Object> c = new ArrayList<>(List.of(openssl, tool, "-encrypt", "-in", in, "-out", out));
        c.addAll(cipher);
        c.addAll(headers);
        if (tool.equals("cms")) {
            c.add("-recip");
        }
        c.add(bob.certPem());
        c.addAll(recipientOptions);
        peers.run("encrypt-" + name, dir, cmd(c.toArray())).assertSuccess();
        return out;
    }

    static Stream<Arguments> openSslToOurs() {
        List<Arguments> out = new ArrayList<>();
        for (String tool : List.of("smime", "cms")) {
            for (String signer : List.of("rsa", "ec")) {
                // openssl smime -encrypt (PKCS #7) has no key agreement: "encryption not supported for this key type"
                for (String recipient : tool.equals("smime") ? List.of("rsa") : List.of("rsa", "ec")) {
                    out.add(Arguments.of(tool, signer, recipient, "-aes256", ContentEncryption.AES256_CBC));
                }
            }
            out.add(Arguments.of(tool, "rsa", "rsa", "-aes128", ContentEncryption.AES128_CBC));
            out.add(Arguments.of(tool, "rsa", "rsa", "-aes192", ContentEncryption.AES192_CBC));
        }
        for (String recipient : List.of("rsa", "ec")) {
            out.add(Arguments.of("cms", "rsa", recipient, "-aes-256-gcm", ContentEncryption.AES256_GCM));
            out.add(Arguments.of("cms", "ec", recipient, "-aes-128-gcm", ContentEncryption.AES128_GCM));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "openssl {0}: {1} signer, {2} recipient, {3}")
    @MethodSource
    void openSslToOurs(String tool, String signerAlg, String recipientAlg, String cipher, ContentEncryption expected)
            throws Exception {
        Identity alice = ALICES[signerAlg.equals("rsa") ? 0 : 1];
        Identity bob = BOBS[recipientAlg.equals("rsa") ? 0 : 1];
        String name = "openssl-" + tool + "-" + signerAlg + "-" + recipientAlg + cipher;
        Path signed = openSslSign(tool, alice, payloadEml, List.of(), name);
        Path encrypted = openSslEncrypt(tool, List.of(cipher), signed, bob, name);
        try (UnwrappedMail u = readOurs(encrypted, bob, SmimeReaderOptions.DEFAULT)) {
            assertContent(u.content());
            assertEquals(alice.cert(), u.signer());
            assertEquals(List.of(ALICE), u.signerEmails());
            assertEquals(expected, u.contentEncryption());
            assertEquals(List.of(expected.smimeType(), "multipart/signed"), u.layers());
            assertEquals(ALICE, u.from());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"smime", "cms"})
    void openSslOpaqueSignedThenEncrypted(String tool) throws Exception {
        Path signed = openSslSign(tool, ALICES[0], payloadEml, List.of("-nodetach"), "opaque-" + tool);
        assertTrue(Files.readString(signed).contains("signed-data"));
        Identity bob = BOBS[tool.equals("smime") ? 0 : 1];
        Path encrypted = openSslEncrypt(tool, List.of("-aes256"), signed, bob, "opaque-" + tool);
        try (UnwrappedMail u = readOurs(encrypted, bob, SmimeReaderOptions.DEFAULT)) {
            assertContent(u.content());
            assertEquals(ALICES[0].cert(), u.signer());
            assertEquals(List.of("enveloped-data", "signed-data"), u.layers());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"smime", "cms"})
    void openSslEncryptThenSign(String tool) throws Exception {
        Path encrypted = openSslEncrypt(tool, List.of("-aes256"), payloadEml, BOBS[0], "ets-" + tool);
        Path signed = openSslSign(tool, ALICES[1], encrypted, List.of("-from", ALICE, "-to", BOB), "ets-" + tool);
        try (UnwrappedMail u = readOurs(signed, BOBS[0], SmimeReaderOptions.DEFAULT)) {
            assertContent(u.content());
            assertEquals(ALICES[1].cert(), u.signer());
            assertEquals(List.of("multipart/signed", "enveloped-data"), u.layers());
        }
    }

    @Test
    void openSslOaep() throws Exception {
        Path signed = openSslSign("cms", ALICES[0], payloadEml, List.of(), "oaep");
        Path encrypted = openSslEncrypt("cms", List.of("-aes256"), signed, BOBS[0], List.of("-keyopt",
                "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"), "oaep");
        String dump = peers.run("print-openssl-oaep", dir, cmd(openssl, "cms", "-cmsout", "-print", "-in",
                encrypted)).assertSuccess().out();
        assertTrue(dump.contains("rsaesOaep"), dump);
        try (UnwrappedMail u = readOurs(encrypted, BOBS[0], SmimeReaderOptions.DEFAULT)) {
            assertContent(u.content());
        }
    }

    @Test
    void openSslTripleDesIsRefused() throws Exception {
        Path signed = openSslSign("smime", ALICES[0], payloadEml, List.of(), "des3");
        Path encrypted = openSslEncrypt("smime", List.of("-des3"), signed, BOBS[0], "des3");
        SecureMailException e = assertThrows(SecureMailException.class,
                () -> readOurs(encrypted, BOBS[0], SmimeReaderOptions.DEFAULT).close());
        assertEquals(SecureMailException.Reason.WEAK_ALGORITHM, e.reason());
    }

    @Test
    void openSslSignedForAnotherFromIsRefused() throws Exception {
        Path signed = openSslSign("smime", ALICES[0], payloadEml, List.of("-from", "mallory@example.org"), "from");
        SecureMailException e = assertThrows(SecureMailException.class, () -> readOurs(signed, BOBS[0],
                SmimeReaderOptions.DEFAULT.withRequireEncryption(false)).close());
        assertEquals(SecureMailException.Reason.SENDER_MISMATCH, e.reason());
        try (UnwrappedMail u = readOurs(signed, BOBS[0], SmimeReaderOptions.DEFAULT.withRequireEncryption(false)
                .withCheckFromAddress(false))) {
            assertContent(u.content());
        }
    }

    private static X509Certificate readCert(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey readKey(Path pem) throws Exception {
        try (Reader r = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(r)) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
        }
    }
}
