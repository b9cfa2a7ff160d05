package org.cameldicomsecure.it.cms;

import static org.cameldicomsecure.it.Peers.cmd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.UUID;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.cameldicomsecure.dicom.ByteRegion;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.sign.cms.EncryptedAttributes;
import org.cameldicomsecure.sign.cms.ContentCipher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interoperability of the Encrypted Attributes Sequence items (PS3.3 C.12.1.1.4, PS3.15 E.1.1) with OpenSSL's CMS
 * implementation: the key and self-signed certificate are made by {@code openssl req -x509 -newkey rsa:2048 -nodes};
 * what we encrypt, {@code openssl cms -decrypt} opens, and what {@code openssl cms -encrypt} makes (AES-256, Triple-DES,
 * by issuer and serial or by subject key identifier, PKCS #1 v1.5 or OAEP), we decrypt. Equality is checked on the
 * DicomWriter encoding of the Encrypted Attributes Data Set, byte for byte.
 */
class OpenSslCmsIT {

    private static Peers peers;
    private static Path openssl;
    private static Path dir;
    private static Path keyPem;
    private static Path certPem;
    private static PrivateKey key;
    private static X509Certificate cert;

    @BeforeAll
    static void makeKeyAndCertificateWithOpenSsl() throws Exception {
        peers = Peers.forTest(OpenSslCmsIT.class);
        openssl = Peers.require("openssl", "openssl");
        Path work = Paths.get(System.getProperty("it.work.dir", "target/it-work"));
        Files.createDirectories(work);
        dir = Files.createTempDirectory(work, "openssl-cms-");
        keyPem = dir.resolve("key.pem");
        certPem = dir.resolve("cert.pem");
        peers.run("req", dir, cmd(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPem,
                "-out", certPem, "-subj", "/CN=camel-dicom-secure OpenSslCmsIT", "-days", "2")).assertSuccess();
        try (InputStream in = Files.newInputStream(certPem)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        try (Reader r = Files.newBufferedReader(keyPem); PEMParser parser = new PEMParser(r)) {
            key = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
        }
    }

    @ParameterizedTest
    @EnumSource(value = ContentCipher.class, names = {"AES_128_CBC", "AES_192_CBC", "AES_256_CBC"})
    void openSslDecryptsWhatWeEncrypt(ContentCipher cipher) throws Exception {
        Dataset eads = encryptedAttributesDataSet();
        Dataset item = EncryptedAttributes.encrypt(eads, List.of(cert), cipher);
        // the value exactly as stored in (0400,0520), with the 00H padding byte if the DER length is odd
        Path in = dir.resolve("ours-" + cipher.name() + ".der");
        Files.write(in, item.getBytes(Tag.EncryptedContent));
        Path out = dir.resolve("ours-" + cipher.name() + ".plain");
        peers.run("decrypt-" + cipher.name(), dir, cmd(openssl, "cms", "-decrypt", "-inform", "DER", "-in", in,
                "-inkey", keyPem, "-recip", certPem, "-binary", "-out", out)).assertSuccess();
        assertArrayEquals(encode(eads), Files.readAllBytes(out));

        // and openssl names the algorithms PS3.15 E.1.1 asks for
        String dump = peers.run("print-" + cipher.name(), dir, cmd(openssl, "cms", "-cmsout", "-print", "-inform",
                "DER", "-in", in)).assertSuccess().out();
        assertTrue(dump.contains("rsaEncryption"), dump);
        String aes = switch (cipher) {
            case AES_128_CBC -> "aes-128-cbc";
            case AES_192_CBC -> "aes-192-cbc";
            case AES_256_CBC -> "aes-256-cbc";
            case TRIPLE_DES_CBC -> throw new AssertionError("Triple-DES is only decrypted");
        };
        assertTrue(dump.contains(aes), dump);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-aes256", "-des3"})
    void weDecryptWhatOpenSslEncrypts(String cipher) throws Exception {
        assertArrayEquals(encode(encryptedAttributesDataSet()), decryptOpenSslEnvelope(cipher, List.of()));
    }

    @Test
    void weDecryptOpenSslRecipientInfoBySubjectKeyIdentifier() throws Exception {
        assertArrayEquals(encode(encryptedAttributesDataSet()), decryptOpenSslEnvelope("-aes128", List.of("-keyid")));
    }

    @Test
    void weDecryptOpenSslRsaesOaepKeyTransport() throws Exception {
        assertArrayEquals(encode(encryptedAttributesDataSet()),
                decryptOpenSslEnvelope("-aes256", List.of("-keyopt", "rsa_padding_mode:oaep")));
    }

    private byte[] decryptOpenSslEnvelope(String cipher, List<String> options) throws Exception {
        Dataset eads = encryptedAttributesDataSet();
        String name = cipher.substring(1) + String.join("", options).replaceAll("[^A-Za-z0-9]", "");
        Path plain = dir.resolve("theirs-" + name + ".plain");
        Files.write(plain, encode(eads));
        Path der = dir.resolve("theirs-" + name + ".der");
        peers.run("encrypt-" + name, dir, cmd(openssl, "cms", "-encrypt", cipher, "-binary", "-outform", "DER",
                "-in", plain, "-out", der, "-recip", certPem, options)).assertSuccess();
        Dataset item = new Dataset();
        item.setString(Tag.EncryptedContentTransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        item.setBytes(Tag.EncryptedContent, VR.OB, Files.readAllBytes(der));
        Dataset decrypted = EncryptedAttributes.decrypt(item, key, cert);
        assertEquals(1, decrypted.getSequence(Tag.ModifiedAttributesSequence).size());
        return encode(decrypted);
    }

    /** Original values with nested sequences, a private block, 8-bit text and a value above the bulk threshold. */
    private static Dataset encryptedAttributesDataSet() {
        Dataset eads = new Dataset();
        Sequence modified = eads.newSequence(Tag.ModifiedAttributesSequence);
        Dataset item = modified.addItem();
        item.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        item.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        item.setString(Tag.SOPInstanceUID, VR.UI, FIXED_UIDS[0]);
        item.setString(Tag.PatientName, VR.PN, "Müller^Jürgen");
        item.setString(Tag.PatientID, VR.LO, "PID-0001");
        Dataset series = item.newSequence(Tag.ReferencedSeriesSequence).addItem();
        series.setString(Tag.SeriesInstanceUID, VR.UI, FIXED_UIDS[1]);
        Dataset image = series.newSequence(Tag.ReferencedImageSequence).addItem();
        image.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
        image.setString(Tag.ReferencedSOPInstanceUID, VR.UI, FIXED_UIDS[2]);
        item.setString(0x00090010, VR.LO, "CDS IT CREATOR");
        item.setBytes(0x00091001, VR.OB, new byte[] {1, 2, 3});
        byte[] big = new byte[3 << 19];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i ^ (i >> 9));
        }
        item.setBulkData(Tag.PixelData, VR.OW, new ByteRegion(big, 0, big.length));
        return eads;
    }

    /** UUID-derived UIDs (PS3.5 §B.2), fixed for the run so that every test encodes the same data set. */
    private static final String[] FIXED_UIDS = {uuidUid(), uuidUid(), uuidUid()};

    private static String uuidUid() {
        UUID u = UUID.randomUUID();
        byte[] b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                .array();
        return "2.25." + new BigInteger(1, b);
    }

    private static byte[] encode(Dataset ds) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DicomWriter().writeDataset(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, out);
        return out.toByteArray();
    }
}
