package org.cameldicomsecure.it.sign;

import static org.cameldicomsecure.it.Peers.cmd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.sign.cms.DecryptedFile;
import org.cameldicomsecure.sign.cms.SecureDicomFile;
import org.cameldicomsecure.sign.cms.ContentCipher;
import org.cameldicomsecure.sign.cms.SecureDicomFile.InnerContent;
import org.cameldicomsecure.sign.cms.SecureDicomFile.KeyTransport;
import org.cameldicomsecure.sign.cms.SecureDicomFile.RecipientKind;
import org.cameldicomsecure.sign.cms.SecureFileDecryptOptions;
import org.cameldicomsecure.sign.cms.SecureFileException;
import org.cameldicomsecure.sign.cms.SecureFileOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secure DICOM Files (PS3.10 §7.4, PS3.15 D.1) against OpenSSL 3's CMS implementation, both ways: {@code openssl cms
 * -decrypt} opens ours (the DICOM File as id-data, with AES-128/192/256, PKCS #1 v1.5 or OAEP, or a password) and
 * gives back the original bytes; our inner SignedData and DigestedData pass {@code openssl cms -verify -CAfile} and
 * {@code -digest_verify}; what {@code openssl cms -encrypt -binary} makes (AES-128, AES-256, Triple-DES, by issuer
 * and serial or by subject key identifier, OAEP, with {@code -pwri_password}) opens with ours. Keys and certificates
 * are made by {@code openssl req} in a temporary directory.
 */
class OpenSslSecureFileIT {

    private static final String PASSWORD = "Open Sesame 4 DICOM \\ ~!";

    private static Peers peers;
    private static Path openssl;
    private static Path dir;
    private static Path recipientKeyPem;
    private static Path recipientCertPem;
    private static PrivateKey recipientKey;
    private static X509Certificate recipientCert;
    private static Path caPem;
    private static X509Certificate caCert;
    private static PrivateKey rsaSignerKey;
    private static X509Certificate rsaSignerCert;
    private static PrivateKey ecSignerKey;
    private static X509Certificate ecSignerCert;
    private static byte[] file;
    private static Path filePath;

    @BeforeAll
    static void makeKeysWithOpenSsl() throws Exception {
        peers = Peers.forTest(OpenSslSecureFileIT.class);
        openssl = Peers.require("openssl", "openssl");
        Path work = Paths.get(System.getProperty("it.work.dir", "target/it-work"));
        Files.createDirectories(work);
        dir = Files.createTempDirectory(work, "openssl-secure-file-");

        recipientKeyPem = dir.resolve("recipient.key");
        recipientCertPem = dir.resolve("recipient.pem");
        peers.run("req-recipient", dir, cmd(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                recipientKeyPem, "-out", recipientCertPem, "-subj", "/CN=Archive recipient/O=camel-dicom-secure IT",
                "-days", "2")).assertSuccess();
        recipientKey = readKey(recipientKeyPem);
        recipientCert = readCert(recipientCertPem);

        caPem = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        peers.run("req-ca", dir, cmd(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey,
                "-out", caPem, "-subj", "/CN=IT Root CA/O=camel-dicom-secure IT", "-days", "2",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")).assertSuccess();
        caCert = readCert(caPem);
        Path ext = dir.resolve("signer.ext");
        Files.writeString(ext, "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n"
                + "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        Path[] rsa = issue("rsa-signer", List.of("-newkey", "rsa:2048"), "/CN=Modality RSA/O=camel-dicom-secure IT",
                caKey, ext, 1001);
        rsaSignerKey = readKey(rsa[0]);
        rsaSignerCert = readCert(rsa[1]);
        Path[] ec = issue("ec-signer", List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"),
                "/CN=Modality ECDSA/O=camel-dicom-secure IT", caKey, ext, 1002);
        ecSignerKey = readKey(ec[0]);
        ecSignerCert = readCert(ec[1]);

        file = part10();
        filePath = dir.resolve("original.dcm");
        Files.write(filePath, file);
    }

    private static Path[] issue(String name, List<String> keyOptions, String subject, Path caKey, Path ext,
            int serial) throws Exception {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        peers.run("req-" + name, dir, cmd(openssl, "req", "-new", keyOptions, "-nodes", "-keyout", key, "-out", csr,
                "-subj", subject)).assertSuccess();
        peers.run("x509-" + name, dir, cmd(openssl, "x509", "-req", "-in", csr, "-CA", caPem, "-CAkey", caKey,
                "-set_serial", serial, "-days", "2", "-extfile", ext, "-out", cert)).assertSuccess();
        return new Path[] {key, cert};
    }

    // ---------------------------------------------------------------------------------------------- ours -> openssl

    @ParameterizedTest
    @EnumSource(value = ContentCipher.class, names = {"AES_128_CBC", "AES_192_CBC", "AES_256_CBC"})
    void openSslDecryptsOursToTheOriginalBytes(ContentCipher cipher) throws Exception {
        Path ours = write("ours-" + cipher.name() + ".der", encrypt(SecureFileOptions.builder().cipher(cipher)
                .recipient(recipientCert).build()));
        assertArrayEquals(file, openSslDecrypt(ours, "decrypt-" + cipher.name()));

        String dump = peers.run("print-" + cipher.name(), dir, cmd(openssl, "cms", "-cmsout", "-print", "-inform",
                "DER", "-in", ours)).assertSuccess().out();
        assertTrue(dump.contains("rsaEncryption"), dump);
        String name = switch (cipher) {
            case AES_128_CBC -> "aes-128-cbc";
            case AES_192_CBC -> "aes-192-cbc";
            default -> "aes-256-cbc";
        };
        assertTrue(dump.contains(name), dump);
    }

    @Test
    void openSslDecryptsOursWithOaepKeyTransport() throws Exception {
        Path ours = write("ours-oaep.der", encrypt(SecureFileOptions.builder().keyTransport(KeyTransport.RSAES_OAEP)
                .recipient(recipientCert).build()));
        assertArrayEquals(file, openSslDecrypt(ours, "decrypt-oaep"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ec"})
    void openSslDecryptsOurSignedFileAndVerifiesTheSignatureAgainstTheCa(String signer) throws Exception {
        PrivateKey key = signer.equals("rsa") ? rsaSignerKey : ecSignerKey;
        X509Certificate cert = signer.equals("rsa") ? rsaSignerCert : ecSignerCert;
        Path ours = write("ours-signed-" + signer + ".der", encrypt(SecureFileOptions.builder()
                .recipient(recipientCert).signer(key, cert).build()));
        // RFC 5652 §6.1: the encrypted content is the SignedData itself; openssl cms -verify reads a ContentInfo
        byte[] signedData = openSslDecrypt(ours, "decrypt-signed-" + signer);
        Path wrapped = write("ours-signed-" + signer + ".p7", contentInfo(CMSObjectIdentifiers.signedData,
                signedData));
        Path verified = dir.resolve("ours-signed-" + signer + ".verified");
        Peers.Result r = peers.run("verify-" + signer, dir, cmd(openssl, "cms", "-verify", "-inform", "DER", "-in",
                wrapped, "-CAfile", caPem, "-binary", "-out", verified)).assertSuccess();
        assertTrue(r.err().contains("Verification successful"), r.err());
        assertArrayEquals(file, Files.readAllBytes(verified));

        // and a CA that did not issue the signer: openssl refuses it
        Peers.Result refused = peers.run("verify-other-ca-" + signer, dir, cmd(openssl, "cms", "-verify", "-inform",
                "DER", "-in", wrapped, "-CAfile", recipientCertPem, "-binary", "-out", dir.resolve("refused.out")));
        assertNotEquals(0, refused.exitCode(), refused.err());
    }

    @Test
    void openSslDecryptsOurDigestedFileAndVerifiesTheDigest() throws Exception {
        Path ours = write("ours-digested.der", encrypt(SecureFileOptions.builder().recipient(recipientCert)
                .innerContent(InnerContent.DIGESTED).build()));
        byte[] digestedData = openSslDecrypt(ours, "decrypt-digested");
        Path wrapped = write("ours-digested.p7", contentInfo(CMSObjectIdentifiers.digestedData, digestedData));
        Path verified = dir.resolve("ours-digested.verified");
        peers.run("digest-verify", dir, cmd(openssl, "cms", "-digest_verify", "-inform", "DER", "-in", wrapped,
                "-binary", "-out", verified)).assertSuccess();
        assertArrayEquals(file, Files.readAllBytes(verified));
    }

    @ParameterizedTest
    @EnumSource(value = ContentCipher.class, names = {"AES_128_CBC", "AES_256_CBC"})
    void openSslDecryptsOurPasswordFile(ContentCipher cipher) throws Exception {
        Path ours = write("ours-pwri-" + cipher.name() + ".der", encrypt(SecureFileOptions.builder().cipher(cipher)
                .password(PASSWORD.toCharArray()).build()));
        Path out = dir.resolve("ours-pwri-" + cipher.name() + ".plain");
        peers.run("decrypt-pwri-" + cipher.name(), dir, cmd(openssl, "cms", "-decrypt", "-inform", "DER", "-in", ours,
                "-pwri_password", PASSWORD, "-binary", "-out", out)).assertSuccess();
        assertArrayEquals(file, Files.readAllBytes(out));

        // a wrong password: openssl fails too
        Peers.Result wrong = peers.run("decrypt-pwri-wrong-" + cipher.name(), dir, cmd(openssl, "cms", "-decrypt",
                "-inform", "DER", "-in", ours, "-pwri_password", "not " + PASSWORD, "-binary", "-out",
                dir.resolve("wrong.plain")));
        assertNotEquals(0, wrong.exitCode());
    }

    // ---------------------------------------------------------------------------------------------- openssl -> ours

    @ParameterizedTest
    @ValueSource(strings = {"-aes128", "-aes256", "-des3"})
    void weDecryptWhatOpenSslEncrypts(String cipher) throws Exception {
        DecryptedFile r = decryptTheirs(cipher, List.of(), true);
        assertEquals(switch (cipher) {
            case "-aes128" -> ContentCipher.AES_128_CBC;
            case "-aes256" -> ContentCipher.AES_256_CBC;
            default -> ContentCipher.TRIPLE_DES_CBC;
        }, r.contentCipher());
        assertEquals(InnerContent.DATA, r.innerContent());
        assertEquals("RSAES-PKCS1-v1_5", r.keyEncryption());
    }

    @Test
    void weDecryptOpenSslFilesBySubjectKeyIdentifierAndWithOaep() throws Exception {
        decryptTheirs("-aes128", List.of("-keyid"), true);
        DecryptedFile r = decryptTheirs("-aes256", List.of("-keyopt", "rsa_padding_mode:oaep"), true);
        assertEquals("RSAES-OAEP", r.keyEncryption());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-aes128", "-aes256", "-des3"})
    void weDecryptOpenSslPasswordFiles(String cipher) throws Exception {
        DecryptedFile r = decryptTheirs(cipher, List.of("-pwri_password", PASSWORD), false);
        assertEquals(RecipientKind.PASSWORD, r.recipientKind());
        assertTrue(r.keyEncryption().startsWith("PWRI-KEK"), r.keyEncryption());

        // the wrong password is named as such
        Path der = dir.resolve("theirs-" + cipher.substring(1) + "pwri_password.der");
        SecureFileException e = assertThrows(SecureFileException.class,
                () -> SecureDicomFile.decrypt(Files.newInputStream(der), new ByteArrayOutputStream(),
                        ("x" + PASSWORD).toCharArray()));
        assertEquals(SecureFileException.Reason.WRONG_PASSWORD, e.reason());
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** Encrypts the file with {@code openssl cms -encrypt}, for the RSA recipient or a password, and decrypts it. */
    private DecryptedFile decryptTheirs(String cipher, List<String> options, boolean rsa) throws Exception {
        String name = cipher.substring(1) + String.join("", options.isEmpty() ? List.of() : List.of(options.get(0)))
                .replaceAll("[^A-Za-z0-9_]", "");
        Path der = dir.resolve("theirs-" + name + ".der");
        peers.run("encrypt-" + name, dir, cmd(openssl, "cms", "-encrypt", "-binary", cipher, "-outform", "DER",
                "-in", filePath, "-out", der, rsa ? List.of("-recip", recipientCertPem) : List.of(), options))
                .assertSuccess();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureFileDecryptOptions.Builder o = SecureFileDecryptOptions.builder();
        if (rsa) {
            o.recipient(recipientKey, recipientCert);
        } else {
            o.password(PASSWORD.toCharArray());
        }
        DecryptedFile r;
        try (InputStream in = Files.newInputStream(der)) {
            r = SecureDicomFile.decrypt(in, out, o.build());
        }
        assertArrayEquals(file, out.toByteArray(), name);
        assertEquals(file.length, r.length());
        return r;
    }

    private byte[] openSslDecrypt(Path in, String name) throws Exception {
        Path out = dir.resolve(in.getFileName() + ".plain");
        peers.run(name, dir, cmd(openssl, "cms", "-decrypt", "-inform", "DER", "-in", in, "-recip", recipientCertPem,
                "-inkey", recipientKeyPem, "-binary", "-out", out)).assertSuccess();
        return Files.readAllBytes(out);
    }

    private static byte[] encrypt(SecureFileOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureDicomFile.encrypt(new ByteArrayInputStream(file), out, options);
        return out.toByteArray();
    }

    private static Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** ContentInfo ::= SEQUENCE { contentType, [0] EXPLICIT content } in BER around the exact bytes given. */
    private static byte[] contentInfo(ASN1ObjectIdentifier type, byte[] content) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {0x30, (byte) 0x80});
        b.write(type.getEncoded());
        b.write(new byte[] {(byte) 0xA0, (byte) 0x80});
        b.write(content);
        b.write(new byte[4]);
        return b.toByteArray();
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

    /** A small Part 10 file: 128 zero bytes, "DICM", File Meta Information and a data set with pixel data. */
    private static byte[] part10() throws Exception {
        Dataset ds = new Dataset();
        String sop = uuidUid();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.PatientName, VR.PN, "Doe^Jane");
        ds.setString(Tag.PatientID, VR.LO, "PID-0001");
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setInt(Tag.Rows, VR.US, 256);
        ds.setInt(Tag.Columns, VR.US, 256);
        byte[] pixels = new byte[256 * 256 * 3 + 1]; // odd: the writer pads it
        new Random(11).nextBytes(pixels);
        ds.setBytes(Tag.PixelData, VR.OB, pixels);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sop);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomWriter().toBytes(new DicomFile(new byte[128], meta, ds,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }

    private static String uuidUid() {
        UUID u = UUID.randomUUID();
        byte[] b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                .array();
        return "2.25." + new BigInteger(1, b);
    }
}
