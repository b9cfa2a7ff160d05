package org.cameldicomsecure.sign.cms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.BEROctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.DigestedData;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.PasswordRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.PasswordRecipient;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcePasswordRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.sign.cms.SecureDicomFile.DigestAlgorithm;
import org.cameldicomsecure.sign.cms.SecureDicomFile.InnerContent;
import org.cameldicomsecure.sign.cms.SecureDicomFile.KeyTransport;
import org.cameldicomsecure.sign.cms.SecureDicomFile.RecipientKind;
import org.cameldicomsecure.sign.cms.SecureFileException.Reason;
import org.cameldicomsecure.sign.cms.TestRecipients.Recipient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecureDicomFileTest {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final Recipient ALICE = TestRecipients.rsa("alice", 2048);
    private static final Recipient BOB = TestRecipients.rsa("bob", 2048);
    private static final Recipient CAROL = TestRecipients.rsa("carol", 3072);
    private static final Recipient EVE_EC = TestRecipients.ec("eve");
    /** Enough for the tests, fast enough for many of them; the default is checked once. */
    private static final int FAST_ITERATIONS = 2_000;
    private static final String PASSWORD = "correct horse battery staple \\$";
    /** Patient name in the test files: must never appear in a message. */
    private static final String PATIENT = "Doe^Jane-Secret";
    private static final byte[] FILE = part10(300_000);

    // ---------------------------------------------------------------------------------------------- round trips

    @Test
    void defaultIsAes128DataForRsaPkcs1v15ToIssuerAndSerial() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert()).build());

        ContentInfo ci = ContentInfo.getInstance(ASN1Primitive.fromByteArray(cms));
        assertEquals(CMSObjectIdentifiers.envelopedData, ci.getContentType());
        EnvelopedData ed = EnvelopedData.getInstance(ci.getContent());
        assertEquals(0, ed.getVersion().intValueExact()); // RFC 5652 §6.1: only issuer/serial KTRI, no attributes
        EncryptedContentInfo eci = ed.getEncryptedContentInfo();
        assertEquals(CMSObjectIdentifiers.data, eci.getContentType());
        assertEquals(NISTObjectIdentifiers.id_aes128_CBC, eci.getContentEncryptionAlgorithm().getAlgorithm());
        assertEquals(1, ed.getRecipientInfos().size());
        KeyTransRecipientInfo ktri = KeyTransRecipientInfo.getInstance(
                RecipientInfo.getInstance(ed.getRecipientInfos().getObjectAt(0)).getInfo());
        assertEquals(0, ktri.getVersion().intValueExact());
        assertEquals(PKCSObjectIdentifiers.rsaEncryption, ktri.getKeyEncryptionAlgorithm().getAlgorithm());
        assertEquals(ALICE.cert().getSerialNumber(),
                IssuerAndSerialNumber.getInstance(ktri.getRecipientIdentifier().getId())
                        .getSerialNumber().getValue());

        // an independent reader (Bouncy Castle's own non-streaming API) gets the file back byte for byte
        assertArrayEquals(FILE, bcDecrypt(cms, ALICE));

        Outcome o = decrypt(cms, ALICE);
        assertArrayEquals(FILE, o.bytes);
        assertEquals(ContentCipher.AES_128_CBC, o.result.contentCipher());
        assertEquals(InnerContent.DATA, o.result.innerContent());
        assertEquals(RecipientKind.KEY_TRANSPORT, o.result.recipientKind());
        assertEquals("RSAES-PKCS1-v1_5", o.result.keyEncryption());
        assertNull(o.result.digestAlgorithm());
        assertTrue(o.result.signers().isEmpty());
        assertNull(o.result.signerSubject());
        assertFalse(o.result.signersTrusted());
        assertEquals(FILE.length, o.result.length());
    }

    @ParameterizedTest
    @EnumSource(value = ContentCipher.class, names = {"AES_128_CBC", "AES_192_CBC", "AES_256_CBC"})
    void everyAesKeyLengthRoundTrips(ContentCipher cipher) throws Exception {
        for (InnerContent inner : InnerContent.values()) {
            SecureFileOptions.Builder b = SecureFileOptions.builder().cipher(cipher).recipient(BOB.cert())
                    .innerContent(inner);
            if (inner == InnerContent.SIGNED) {
                b.signer(ALICE.key(), ALICE.cert());
            }
            byte[] cms = encrypt(FILE, b.build());
            assertEquals(cipher.oid(), new CMSEnvelopedData(cms).getEncryptionAlgOID());
            Outcome o = decrypt(cms, BOB);
            assertArrayEquals(FILE, o.bytes, cipher + " " + inner);
            assertEquals(cipher, o.result.contentCipher());
            assertEquals(inner, o.result.innerContent());
        }
    }

    @Test
    void signedWithRsaIsABareSignedDataWithTheSignerCertificate() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(BOB.cert())
                .signer(ALICE.key(), ALICE.cert()).build());
        CMSEnvelopedData enveloped = new CMSEnvelopedData(cms);
        RecipientInformation ri = enveloped.getRecipientInfos().getRecipients().iterator().next();
        assertEquals(CMSObjectIdentifiers.signedData, ri.getContentType());

        // RFC 5652 §6.1: the encrypted content is the SignedData value itself
        byte[] inner = bcDecrypt(cms, BOB);
        SignedData sd = SignedData.getInstance(ASN1Primitive.fromByteArray(inner));
        assertEquals(1, sd.getVersion().intValueExact());
        assertEquals(CMSObjectIdentifiers.data, sd.getEncapContentInfo().getContentType());
        assertArrayEquals(FILE, ((ASN1OctetString) sd.getEncapContentInfo().getContent())
                .getOctets());
        assertEquals(1, sd.getCertificates().size());
        SignerInfo si = SignerInfo.getInstance(sd.getSignerInfos().getObjectAt(0));
        assertEquals(NISTObjectIdentifiers.id_sha256, si.getDigestAlgorithm().getAlgorithm());
        // RFC 5754 §3.2 / RFC 4055: sha256WithRSAEncryption, i.e. RSASSA-PKCS1-v1_5 (PS3.15 D.1: RSA, RFC 2313)
        assertEquals(PKCSObjectIdentifiers.sha256WithRSAEncryption, si.getDigestEncryptionAlgorithm().getAlgorithm());

        Outcome o = decrypt(cms, BOB);
        assertArrayEquals(FILE, o.bytes);
        assertEquals(InnerContent.SIGNED, o.result.innerContent());
        assertEquals(DigestAlgorithm.SHA_256, o.result.digestAlgorithm());
        assertEquals(List.of(ALICE.cert()), o.result.signers());
        assertEquals(ALICE.cert().getSubjectX500Principal().getName(), o.result.signerSubject());
        assertFalse(o.result.signersTrusted());
    }

    @ParameterizedTest
    @EnumSource(value = DigestAlgorithm.class, names = {"SHA_256", "SHA_384", "SHA_512"})
    void signedWithEcdsaAndEveryDigestRoundTrips(DigestAlgorithm digest) throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert()).digestAlgorithm(digest)
                .signer(EVE_EC.key(), EVE_EC.cert()).build());
        Outcome o = decrypt(cms, ALICE);
        assertArrayEquals(FILE, o.bytes);
        assertEquals(digest, o.result.digestAlgorithm());
        assertEquals(EVE_EC.cert(), o.result.signers().get(0));
    }

    @ParameterizedTest
    @EnumSource(value = DigestAlgorithm.class, names = {"SHA_256", "SHA_384", "SHA_512"})
    void digestedRoundTripsAsABareDigestedData(DigestAlgorithm digest) throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert())
                .innerContent(InnerContent.DIGESTED).digestAlgorithm(digest).build());
        DigestedData dd = DigestedData.getInstance(ASN1Primitive.fromByteArray(bcDecrypt(cms, ALICE)));
        assertEquals(0, dd.getVersion().intValueExact());
        assertEquals(new ASN1ObjectIdentifier(digest.oid()), dd.getDigestAlgorithm().getAlgorithm());
        assertNull(dd.getDigestAlgorithm().getParameters()); // RFC 5754 §2: absent
        assertArrayEquals(MessageDigest.getInstance(digest.toString()).digest(FILE), dd.getDigest());

        Outcome o = decrypt(cms, ALICE);
        assertArrayEquals(FILE, o.bytes);
        assertEquals(InnerContent.DIGESTED, o.result.innerContent());
        assertEquals(digest, o.result.digestAlgorithm());
    }

    @Test
    void oaepKeyTransportRoundTrips() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(CAROL.cert())
                .keyTransport(KeyTransport.RSAES_OAEP).cipher(ContentCipher.AES_256_CBC).build());
        RecipientInformation ri = new CMSEnvelopedData(cms).getRecipientInfos().getRecipients().iterator().next();
        assertEquals(PKCSObjectIdentifiers.id_RSAES_OAEP.getId(), ri.getKeyEncryptionAlgOID());
        Outcome o = decrypt(cms, CAROL);
        assertArrayEquals(FILE, o.bytes);
        assertEquals("RSAES-OAEP", o.result.keyEncryption());
    }

    @Test
    void severalRecipientsAndAPasswordEachOpenTheFile() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipients(List.of(ALICE.cert(), BOB.cert()))
                .recipient(CAROL.cert()).password(PASSWORD.toCharArray()).pbkdf2Iterations(FAST_ITERATIONS)
                .innerContent(InnerContent.DIGESTED).build());
        EnvelopedData ed = EnvelopedData.getInstance(ContentInfo.getInstance(ASN1Primitive.fromByteArray(cms))
                .getContent());
        assertEquals(4, ed.getRecipientInfos().size());
        assertEquals(3, ed.getVersion().intValueExact()); // RFC 5652 §6.1: a PWRI makes it version 3
        for (Recipient r : List.of(ALICE, BOB, CAROL)) {
            assertArrayEquals(FILE, decrypt(cms, r).bytes);
        }
        Outcome o = decrypt(cms, SecureFileDecryptOptions.builder().password(PASSWORD.toCharArray()).build());
        assertArrayEquals(FILE, o.bytes);
        assertEquals(RecipientKind.PASSWORD, o.result.recipientKind());
    }

    @Test
    void passwordRecipientIsPbkdf2WithHmacSha256AndTheRfc3211KeyWrap() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().password(PASSWORD.toCharArray())
                .cipher(ContentCipher.AES_256_CBC).signer(EVE_EC.key(), EVE_EC.cert()).build()); // default iterations
        EnvelopedData ed = EnvelopedData.getInstance(ContentInfo.getInstance(ASN1Primitive.fromByteArray(cms))
                .getContent());
        PasswordRecipientInfo pwri = PasswordRecipientInfo.getInstance(
                RecipientInfo.getInstance(ed.getRecipientInfos().getObjectAt(0)).getInfo());
        assertEquals(PKCSObjectIdentifiers.id_PBKDF2, pwri.getKeyDerivationAlgorithm().getAlgorithm());
        PBKDF2Params params = PBKDF2Params.getInstance(pwri.getKeyDerivationAlgorithm().getParameters());
        assertEquals(SecureFileOptions.DEFAULT_PBKDF2_ITERATIONS, params.getIterationCount().intValueExact());
        assertEquals(16, params.getSalt().length);
        assertEquals(PKCSObjectIdentifiers.id_hmacWithSHA256, params.getPrf().getAlgorithm());
        assertEquals(PKCSObjectIdentifiers.id_alg_PWRI_KEK, pwri.getKeyEncryptionAlgorithm().getAlgorithm());
        assertEquals(NISTObjectIdentifiers.id_aes256_CBC, AlgorithmIdentifier.getInstance(
                pwri.getKeyEncryptionAlgorithm().getParameters()).getAlgorithm());

        Outcome o = decrypt(cms, PASSWORD.toCharArray());
        assertArrayEquals(FILE, o.bytes);
        assertEquals(RecipientKind.PASSWORD, o.result.recipientKind());
        assertEquals("PWRI-KEK AES-256-CBC, PBKDF2 HMAC-SHA-256", o.result.keyEncryption());
        assertEquals(InnerContent.SIGNED, o.result.innerContent());
    }

    @Test
    void aFileOfSeveralMegabytesStreamsBothWays() throws Exception {
        // the output must grow while the input is read: neither side may collect the file first
        long size = 24L << 20;
        CountingOutputStream encrypted = new CountingOutputStream(new ByteArrayOutputStream());
        GeneratedDicomStream source = new GeneratedDicomStream(size, () -> encrypted.count);
        SecureDicomFile.encrypt(source, encrypted, SecureFileOptions.builder().recipient(ALICE.cert())
                .innerContent(InnerContent.SIGNED).signer(EVE_EC.key(), EVE_EC.cert()).build());
        assertTrue(source.outputWhenHalfRead > size / 4, "encrypt wrote only " + source.outputWhenHalfRead
                + " bytes by the time it had read half of the input");
        byte[] cms = ((ByteArrayOutputStream) encrypted.out).toByteArray();

        CountingOutputStream plain = new CountingOutputStream(OutputStream.nullOutputStream());
        GeneratedBytesStream cipherSource = new GeneratedBytesStream(cms, () -> plain.count);
        DecryptedFile r = SecureDicomFile.decrypt(cipherSource, plain, ALICE.key(), ALICE.cert());
        assertEquals(size, r.length());
        assertEquals(size, plain.count);
        assertTrue(cipherSource.outputWhenHalfRead > size / 4, "decrypt wrote only "
                + cipherSource.outputWhenHalfRead + " bytes by the time it had read half of the input");
    }

    @Test
    void decryptsTripleDesAndSubjectKeyIdentifierRecipientsMadeByOthers() throws Exception {
        byte[] ski = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(BOB.cert().getPublicKey())
                .getKeyIdentifier();
        byte[] cms = envelope(CMSObjectIdentifiers.data, FILE, CMSAlgorithm.DES_EDE3_CBC,
                new JceKeyTransRecipientInfoGenerator(ski, BOB.cert().getPublicKey()).setProvider(BC));
        Outcome o = decrypt(cms, BOB);
        assertArrayEquals(FILE, o.bytes);
        assertEquals(ContentCipher.TRIPLE_DES_CBC, o.result.contentCipher());
    }

    @Test
    void decryptsPasswordRecipientsWithTripleDesAndHmacSha1MadeByOthers() throws Exception {
        RecipientInfoGenerator pwri = new JcePasswordRecipientInfoGenerator(CMSAlgorithm.DES_EDE3_CBC,
                PASSWORD.toCharArray()).setProvider(BC).setPRF(PasswordRecipient.PRF.HMacSHA1)
                .setSaltAndIterationCount(new byte[8], 2048);
        byte[] cms = envelope(CMSObjectIdentifiers.data, FILE, CMSAlgorithm.DES_EDE3_CBC, pwri);
        Outcome o = decrypt(cms, PASSWORD.toCharArray());
        assertArrayEquals(FILE, o.bytes);
        assertEquals("PWRI-KEK Triple-DES-CBC, PBKDF2 HMAC-SHA-1", o.result.keyEncryption());
    }

    @Test
    void decryptsASignedDataWrappedInAContentInfoAsBouncyCastleNestsIt() throws Exception {
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider(BC)
                .build("SHA256withRSA", ALICE.key(), ALICE.cert()));
        g.addCertificates(new JcaCertStore(List.of(ALICE.cert())));
        byte[] signedContentInfo = g.generate(new CMSProcessableByteArray(FILE), true).getEncoded(); // DER
        byte[] cms = envelope(CMSObjectIdentifiers.signedData, signedContentInfo, CMSAlgorithm.AES256_CBC,
                keyTrans(BOB));
        Outcome o = decrypt(cms, BOB);
        assertArrayEquals(FILE, o.bytes);
        assertEquals(InnerContent.SIGNED, o.result.innerContent());
        assertEquals(ALICE.cert(), o.result.signers().get(0));
    }

    @Test
    void decryptsADerDigestedDataWithSha1AsTheProfileStillAllows() throws Exception {
        byte[] digested = new DigestedData(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1),
                new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(FILE)),
                MessageDigest.getInstance("SHA-1").digest(FILE)).getEncoded(ASN1Encoding.DER);
        byte[] cms = envelope(CMSObjectIdentifiers.digestedData, digested, CMSAlgorithm.AES128_CBC, keyTrans(ALICE));
        Outcome o = decrypt(cms, ALICE);
        assertArrayEquals(FILE, o.bytes);
        assertEquals(DigestAlgorithm.SHA_1, o.result.digestAlgorithm());
    }

    // ---------------------------------------------------------------------------------------------- trust

    @Test
    void signerIssuedByATrustAnchorIsValidatedWithPkix() throws Exception {
        Pki pki = new Pki("CN=Test Root CA,O=camel-dicom-secure test");
        Recipient modality = pki.issue("CN=Modality,O=camel-dicom-secure test");
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert())
                .signer(modality.key(), modality.cert(), pki.ca).build());

        Outcome o = decrypt(cms, SecureFileDecryptOptions.builder().recipient(ALICE.key(), ALICE.cert())
                .trustAnchors(List.of(pki.ca)).build());
        assertArrayEquals(FILE, o.bytes);
        assertTrue(o.result.signersTrusted());
        assertEquals(modality.cert().getSubjectX500Principal().getName(), o.result.signerSubject());

        Pki other = new Pki("CN=Other Root CA,O=camel-dicom-secure test");
        SecureFileException e = assertThrows(SecureFileException.class, () -> decrypt(cms, SecureFileDecryptOptions
                .builder().recipient(ALICE.key(), ALICE.cert()).trustAnchors(List.of(other.ca)).build()));
        assertEquals(Reason.UNTRUSTED_SIGNER, e.reason());
        assertTrue(e.getMessage().contains("CN=Modality"), e.getMessage());
    }

    @Test
    void allowedInnerContentIsCheckedBeforeAnythingIsWritten() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert()).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureFileException e = assertThrows(SecureFileException.class, () -> SecureDicomFile.decrypt(
                new ByteArrayInputStream(cms), out, SecureFileDecryptOptions.builder()
                        .recipient(ALICE.key(), ALICE.cert())
                        .allowedInnerContent(EnumSet.of(InnerContent.SIGNED, InnerContent.DIGESTED)).build()));
        assertEquals(Reason.UNSUPPORTED_CONTENT_TYPE, e.reason());
        assertTrue(e.getMessage().contains("data"), e.getMessage());
        assertEquals(0, out.size());
    }

    // ---------------------------------------------------------------------------------------------- wrong keys

    @Test
    void aKeyThatIsNotAmongTheRecipientsMatchesNoRecipientInfo() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert()).recipient(BOB.cert()).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureFileException e = assertThrows(SecureFileException.class, () -> SecureDicomFile.decrypt(
                new ByteArrayInputStream(cms), out, CAROL.key(), CAROL.cert()));
        assertEquals(Reason.NO_MATCHING_RECIPIENT, e.reason());
        assertTrue(e.getMessage().contains("CN=carol"), e.getMessage());
        assertTrue(e.getMessage().contains("2 RecipientInfo(s)"), e.getMessage());
        assertEquals(0, out.size());
    }

    @Test
    void theWrongPrivateKeyForTheRightCertificateIsAKeyMismatch() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert()).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureFileException e = assertThrows(SecureFileException.class, () -> SecureDicomFile.decrypt(
                new ByteArrayInputStream(cms), out, BOB.key(), ALICE.cert()));
        assertEquals(Reason.KEY_MISMATCH, e.reason());
        assertEquals(0, out.size());
    }

    @Test
    void aWrongPasswordIsReportedAsSuchAndWritesNothing() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().password(PASSWORD.toCharArray())
                .pbkdf2Iterations(FAST_ITERATIONS).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureFileException e = assertThrows(SecureFileException.class, () -> SecureDicomFile.decrypt(
                new ByteArrayInputStream(cms), out, "Correct horse battery staple \\$".toCharArray()));
        assertEquals(Reason.WRONG_PASSWORD, e.reason());
        assertFalse(e.getMessage().contains("horse"), e.getMessage());
        assertEquals(0, out.size());

        // a password for a file without password RecipientInfo
        byte[] rsaOnly = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert()).build());
        SecureFileException none = assertThrows(SecureFileException.class,
                () -> decrypt(rsaOnly, PASSWORD.toCharArray()));
        assertEquals(Reason.NO_MATCHING_RECIPIENT, none.reason());
        assertTrue(none.getMessage().contains("no password RecipientInfo"), none.getMessage());
    }

    @Test
    void aKeyAndAPasswordAreBothTried() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().password(PASSWORD.toCharArray())
                .pbkdf2Iterations(FAST_ITERATIONS).build());
        Outcome o = decrypt(cms, SecureFileDecryptOptions.builder().recipient(ALICE.key(), ALICE.cert())
                .password(PASSWORD.toCharArray()).build());
        assertArrayEquals(FILE, o.bytes);
        assertEquals(RecipientKind.PASSWORD, o.result.recipientKind());
    }

    // ---------------------------------------------------------------------------------------------- tampering

    @ParameterizedTest
    @EnumSource(InnerContent.class)
    void aChangedByteInTheLastCiphertextBlocksBreaksThePadding(InnerContent inner) throws Exception {
        SecureFileOptions.Builder b = SecureFileOptions.builder().recipient(ALICE.cert()).innerContent(inner);
        if (inner == InnerContent.SIGNED) {
            b.signer(EVE_EC.key(), EVE_EC.cert());
        }
        byte[] cms = encrypt(FILE, b.build());
        // XOR FFH on the last byte of the second-to-last block turns the padding length byte into EFH..FEH; with an
        // inner SignedData or DigestedData this is after their last byte, so only the padding check can see it
        byte[] tampered = changeCiphertext(cms, ct -> ct.length - 17);
        SecureFileException e = assertThrows(SecureFileException.class, () -> decrypt(tampered, ALICE));
        assertEquals(Reason.TAMPERED, e.reason());
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
    }

    @Test
    void aChangedByteBeforeDicmIsCaughtBeforeAnythingIsWritten() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert()).build());
        // CBC: a change in ciphertext block 7 flips the same bits of plaintext block 8, whose first byte is the "D"
        // of "DICM" (the IV is in the algorithm parameters, not in the ciphertext)
        byte[] tampered = changeCiphertext(cms, ct -> 7 * 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureFileException e = assertThrows(SecureFileException.class, () -> SecureDicomFile.decrypt(
                new ByteArrayInputStream(tampered), out, ALICE.key(), ALICE.cert()));
        assertEquals(Reason.NOT_DICOM_FILE, e.reason());
        assertTrue(e.getMessage().contains("DICM"), e.getMessage());
        assertTrue(e.getMessage().contains("ciphertext was changed"), e.getMessage());
        assertEquals(0, out.size());
    }

    @ParameterizedTest
    @EnumSource(value = InnerContent.class, names = {"SIGNED", "DIGESTED"})
    void oneChangedByteAnywhereInTheCiphertextIsDetectedWithIntegrity(InnerContent inner) throws Exception {
        SecureFileOptions.Builder b = SecureFileOptions.builder().recipient(ALICE.cert()).innerContent(inner);
        if (inner == InnerContent.SIGNED) {
            b.signer(BOB.key(), BOB.cert());
        }
        byte[] cms = encrypt(FILE, b.build());
        Random random = new Random(42);
        for (int i = 0; i < 6; i++) {
            int where = i == 0 ? 0 : random.nextInt(1 << 30);
            byte[] tampered = changeCiphertext(cms, ct -> where % ct.length);
            SecureFileException e = assertThrows(SecureFileException.class, () -> decrypt(tampered, ALICE),
                    inner + " change at " + where);
            assertTrue(e.reason() == Reason.TAMPERED || e.reason() == Reason.NOT_DICOM_FILE, e.getMessage());
            assertFalse(e.getMessage().contains(PATIENT), e.getMessage());
        }
        // and the raw BER file with one byte changed in the middle
        byte[] raw = cms.clone();
        raw[raw.length / 2] ^= 0x01;
        SecureFileException e = assertThrows(SecureFileException.class, () -> decrypt(raw, ALICE));
        assertTrue(e.reason() == Reason.TAMPERED || e.reason() == Reason.NOT_DICOM_FILE, e.getMessage());
    }

    @Test
    void oneChangedByteInTheSignedContentFailsTheSignature() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert())
                .signer(BOB.key(), BOB.cert()).build());
        byte[] signedData = bcDecrypt(cms, ALICE);
        int at = indexOf(signedData, PATIENT.getBytes(StandardCharsets.US_ASCII));
        assertTrue(at > 0);
        signedData[at] ^= 0x20; // "Doe" -> "dOe": the signed DICOM File differs by one byte
        byte[] tampered = envelope(CMSObjectIdentifiers.signedData, signedData, CMSAlgorithm.AES128_CBC,
                keyTrans(ALICE));
        SecureFileException e = assertThrows(SecureFileException.class, () -> decrypt(tampered, ALICE));
        assertEquals(Reason.TAMPERED, e.reason());
        assertTrue(e.getMessage().contains("digest"), e.getMessage());
        assertFalse(e.getMessage().contains("Jane"), e.getMessage());

        // a changed signature value
        byte[] signedData2 = bcDecrypt(cms, ALICE);
        signedData2[signedData2.length - 10] ^= 0x01; // inside the RSA signature, the last element
        byte[] tampered2 = envelope(CMSObjectIdentifiers.signedData, signedData2, CMSAlgorithm.AES128_CBC,
                keyTrans(ALICE));
        SecureFileException e2 = assertThrows(SecureFileException.class, () -> decrypt(tampered2, ALICE));
        assertEquals(Reason.TAMPERED, e2.reason());
        assertTrue(e2.getMessage().contains("does not verify"), e2.getMessage());
    }

    @Test
    void oneChangedByteInTheDigestedContentFailsTheDigest() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert())
                .innerContent(InnerContent.DIGESTED).build());
        byte[] digested = bcDecrypt(cms, ALICE);
        digested[indexOf(digested, PATIENT.getBytes(StandardCharsets.US_ASCII))] ^= 0x20;
        byte[] tampered = envelope(CMSObjectIdentifiers.digestedData, digested, CMSAlgorithm.AES128_CBC,
                keyTrans(ALICE));
        SecureFileException e = assertThrows(SecureFileException.class, () -> decrypt(tampered, ALICE));
        assertEquals(Reason.TAMPERED, e.reason());
        assertTrue(e.getMessage().contains("digest"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsTampered() throws Exception {
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert())
                .innerContent(InnerContent.DIGESTED).build());
        for (int keep : new int[] {cms.length - 1, cms.length - 12, cms.length / 2}) {
            byte[] truncated = Arrays.copyOf(cms, keep);
            SecureFileException e = assertThrows(SecureFileException.class, () -> decrypt(truncated, ALICE));
            assertEquals(Reason.TAMPERED, e.reason(), e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------- bad input

    @Test
    void encryptRefusesWhatIsNotADicomFileAndWritesNothing() {
        byte[] noPreamble = Arrays.copyOfRange(FILE, 128, FILE.length);
        byte[] noMeta = FILE.clone();
        noMeta[132] = 0x08;
        for (byte[] input : List.of(new byte[0], new byte[100], noPreamble, noMeta,
                "not a DICOM file at all, just text".repeat(10).getBytes(StandardCharsets.US_ASCII))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SecureFileException e = assertThrows(SecureFileException.class, () -> SecureDicomFile.encrypt(
                    new ByteArrayInputStream(input), out, SecureFileOptions.builder().recipient(ALICE.cert()).build()));
            assertEquals(Reason.NOT_DICOM_FILE, e.reason());
            assertTrue(e.getMessage().contains("not a DICOM File"), e.getMessage());
            assertEquals(0, out.size());
        }
    }

    @Test
    void decryptNamesWhatTheInputIsInstead() throws Exception {
        assertDecryptFails(new byte[0], Reason.NOT_CMS, "empty");
        assertDecryptFails(FILE, Reason.NOT_CMS, "plain DICOM File");
        assertDecryptFails("hello world, this is not CMS".getBytes(StandardCharsets.US_ASCII), Reason.NOT_CMS,
                "not a CMS ContentInfo");
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider(BC)
                .build("SHA256withRSA", ALICE.key(), ALICE.cert()));
        byte[] signed = g.generate(new CMSProcessableByteArray(FILE), true).getEncoded();
        assertDecryptFails(signed, Reason.NOT_ENVELOPED_DATA, "SignedData");
        // a ContentInfo that says EnvelopedData but holds something else
        byte[] fake = new ContentInfo(CMSObjectIdentifiers.envelopedData, new DEROctetString(new byte[40]))
                .getEncoded(ASN1Encoding.DER);
        assertDecryptFails(fake, Reason.NOT_ENVELOPED_DATA, "well-formed");
    }

    @Test
    void anUnsupportedContentCipherIsNamed() throws Exception {
        byte[] cms = envelope(CMSObjectIdentifiers.data, FILE, CMSAlgorithm.CAMELLIA128_CBC, keyTrans(ALICE));
        SecureFileException e = assertThrows(SecureFileException.class, () -> decrypt(cms, ALICE));
        assertEquals(Reason.UNSUPPORTED_ALGORITHM, e.reason());
        assertTrue(e.getMessage().contains(CMSAlgorithm.CAMELLIA128_CBC.getId()), e.getMessage());
    }

    @Test
    void anEcRecipientIsRefusedBecauseD1AllowsOnlyRsaOrPasswords() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureFileException e = assertThrows(SecureFileException.class, () -> SecureDicomFile.encrypt(
                new ByteArrayInputStream(FILE), out, SecureFileOptions.builder().recipient(ALICE.cert())
                        .recipient(EVE_EC.cert()).build()));
        assertEquals(Reason.UNSUPPORTED_KEY, e.reason());
        assertTrue(e.getMessage().contains("recipient certificate #1"), e.getMessage());
        assertTrue(e.getMessage().contains("EC public key"), e.getMessage());
        assertTrue(e.getMessage().contains("D.1 allows only RSA key transport or password-based"), e.getMessage());
        assertEquals(0, out.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pässwort-lang-genug", "パスワード", "Zqx\tpass", "Zqy\nbreak", "euro€", ""})
    void aPasswordOutsideIsoIr6IsRefusedBothWays(String password) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureFileException e = assertThrows(SecureFileException.class, () -> SecureDicomFile.encrypt(
                new ByteArrayInputStream(FILE), out, SecureFileOptions.builder().password(password.toCharArray())
                        .build()));
        assertEquals(Reason.INVALID_PASSWORD, e.reason());
        assertEquals(0, out.size());
        if (!password.isEmpty()) {
            assertTrue(e.getMessage().contains("ISO-IR 6"), e.getMessage());
            assertFalse(e.getMessage().contains(password.substring(0, 3)), e.getMessage());
        }
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().password(PASSWORD.toCharArray())
                .pbkdf2Iterations(FAST_ITERATIONS).build());
        SecureFileException d = assertThrows(SecureFileException.class, () -> decrypt(cms, password.toCharArray()));
        assertEquals(Reason.INVALID_PASSWORD, d.reason());
    }

    @Test
    void everyPrintableAsciiCharacterIsAllowedInAPassword() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (char c = 0x20; c <= 0x7E; c++) {
            sb.append(c);
        }
        char[] password = sb.toString().toCharArray();
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().password(password).pbkdf2Iterations(FAST_ITERATIONS)
                .build());
        assertArrayEquals(FILE, decrypt(cms, password).bytes);
    }

    @Test
    void optionsThatContradictTheProfileAreRefused() throws Exception {
        assertEncryptFails(SecureFileOptions.builder().build(), Reason.INVALID_ARGUMENT, "no recipient");
        assertEncryptFails(SecureFileOptions.builder().recipient(ALICE.cert()).cipher(ContentCipher.TRIPLE_DES_CBC)
                .build(), Reason.INVALID_ARGUMENT, "only when decrypting");
        assertEncryptFails(SecureFileOptions.builder().recipient(ALICE.cert()).innerContent(InnerContent.DIGESTED)
                .digestAlgorithm(DigestAlgorithm.SHA_1).build(), Reason.INVALID_ARGUMENT, "SHA-1");
        assertEncryptFails(SecureFileOptions.builder().recipient(ALICE.cert()).innerContent(InnerContent.SIGNED)
                .build(), Reason.INVALID_ARGUMENT, "no signer");
        assertEncryptFails(SecureFileOptions.builder().recipient(ALICE.cert()).signer(ALICE.key(), ALICE.cert())
                .innerContent(InnerContent.DATA).build(), Reason.INVALID_ARGUMENT, "signer");
        assertEncryptFails(SecureFileOptions.builder().password(PASSWORD.toCharArray()).pbkdf2Iterations(10).build(),
                Reason.INVALID_ARGUMENT, "iterations");
        assertEncryptFails(SecureFileOptions.builder().recipient(ALICE.cert()).signer(BOB.key(), ALICE.cert())
                .build(), Reason.KEY_MISMATCH, "does not belong");
        assertEncryptFails(SecureFileOptions.builder().recipient(ALICE.cert()).signer(EVE_EC.key(), ALICE.cert())
                .build(), Reason.KEY_MISMATCH, "RSA public key");
        Recipient noEncipherment = TestRecipients.rsa("alice", 2048, "CN=alice-sign-only", BigInteger.valueOf(77),
                false);
        assertEncryptFails(SecureFileOptions.builder().recipient(noEncipherment.cert()).build(),
                Reason.UNSUPPORTED_KEY, "keyEncipherment");
        SecureFileException none = assertThrows(SecureFileException.class, () -> SecureDicomFile.decrypt(
                new ByteArrayInputStream(new byte[10]), new ByteArrayOutputStream(),
                SecureFileDecryptOptions.builder().build()));
        assertEquals(Reason.INVALID_ARGUMENT, none.reason());
    }

    @Test
    void failuresOfTheCallersStreamsAreIoExceptions() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        IOException e = assertThrows(IOException.class, () -> SecureDicomFile.encrypt(new ByteArrayInputStream(FILE),
                broken, SecureFileOptions.builder().recipient(ALICE.cert()).build()));
        assertEquals("disk full", e.getMessage());
        byte[] cms = encrypt(FILE, SecureFileOptions.builder().recipient(ALICE.cert()).build());
        IOException d = assertThrows(IOException.class, () -> SecureDicomFile.decrypt(new ByteArrayInputStream(cms),
                broken, ALICE.key(), ALICE.cert()));
        assertEquals("disk full", d.getMessage());
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n < 5000) {
                    return cms[n++] & 0xFF;
                }
                throw new IOException("connection reset");
            }
        };
        IOException r = assertThrows(IOException.class, () -> SecureDicomFile.decrypt(failing,
                new ByteArrayOutputStream(), ALICE.key(), ALICE.cert()));
        assertEquals("connection reset", r.getMessage());
    }

    @Test
    void optionsNeverShowSecrets() {
        SecureFileOptions o = SecureFileOptions.builder().password("s3cret-Pa55".toCharArray())
                .signer(ALICE.key(), ALICE.cert()).build();
        assertFalse(o.toString().contains("s3cret"), o.toString());
        SecureFileDecryptOptions d = SecureFileDecryptOptions.builder().password("s3cret-Pa55".toCharArray()).build();
        assertFalse(d.toString().contains("s3cret"), d.toString());
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private record Outcome(DecryptedFile result, byte[] bytes) {
    }

    private static byte[] encrypt(byte[] file, SecureFileOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = SecureDicomFile.encrypt(new ByteArrayInputStream(file), out, options);
        assertEquals(file.length, n);
        return out.toByteArray();
    }

    private static Outcome decrypt(byte[] cms, Recipient r) throws Exception {
        return decrypt(cms, SecureFileDecryptOptions.builder().recipient(r.key(), r.cert()).build());
    }

    private static Outcome decrypt(byte[] cms, char[] password) throws Exception {
        return decrypt(cms, SecureFileDecryptOptions.builder().password(password).build());
    }

    private static Outcome decrypt(byte[] cms, SecureFileDecryptOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DecryptedFile r = SecureDicomFile.decrypt(new ByteArrayInputStream(cms), out, options);
        assertEquals(out.size(), r.length());
        return new Outcome(r, out.toByteArray());
    }

    private static void assertDecryptFails(byte[] input, Reason reason, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureFileException e = assertThrows(SecureFileException.class, () -> SecureDicomFile.decrypt(
                new ByteArrayInputStream(input), out, ALICE.key(), ALICE.cert()));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertEquals(0, out.size());
    }

    private static void assertEncryptFails(SecureFileOptions options, Reason reason, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SecureFileException e = assertThrows(SecureFileException.class, () -> SecureDicomFile.encrypt(
                new ByteArrayInputStream(FILE), out, options));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertEquals(0, out.size());
    }

    /** What the EnvelopedData encrypts, decrypted with Bouncy Castle's non-streaming API. */
    private static byte[] bcDecrypt(byte[] cms, Recipient r) throws Exception {
        CMSEnvelopedData ed = new CMSEnvelopedData(cms);
        for (RecipientInformation ri : ed.getRecipientInfos().getRecipients()) {
            if (ri.getRID().match(new X509CertificateHolder(r.cert().getEncoded()))) {
                return ri.getContent(new JceKeyTransEnvelopedRecipient(r.key()).setProvider(BC));
            }
        }
        throw new AssertionError("no RecipientInfo for " + r.cert().getSubjectX500Principal());
    }

    /** An EnvelopedData made directly with Bouncy Castle. */
    private static byte[] envelope(ASN1ObjectIdentifier type, byte[] content, ASN1ObjectIdentifier cipher,
            RecipientInfoGenerator... recipients) throws Exception {
        CMSEnvelopedDataGenerator g = new CMSEnvelopedDataGenerator();
        for (RecipientInfoGenerator r : recipients) {
            g.addRecipientInfoGenerator(r);
        }
        return g.generate(new CMSProcessableByteArray(type, content),
                new JceCMSContentEncryptorBuilder(cipher).setProvider(BC).build()).getEncoded();
    }

    private static RecipientInfoGenerator keyTrans(Recipient r) throws Exception {
        return new JceKeyTransRecipientInfoGenerator(r.cert()).setProvider(BC);
    }

    /** Re-encodes the EnvelopedData (DER) with one ciphertext byte XORed with FFH. */
    private static byte[] changeCiphertext(byte[] cms, ToIntFunction<byte[]> position)
            throws Exception {
        ContentInfo ci = ContentInfo.getInstance(ASN1Primitive.fromByteArray(cms));
        EnvelopedData ed = EnvelopedData.getInstance(ci.getContent());
        EncryptedContentInfo eci = ed.getEncryptedContentInfo();
        byte[] ct = eci.getEncryptedContent().getOctets();
        ct[position.applyAsInt(ct)] ^= (byte) 0xFF;
        EncryptedContentInfo changed = new EncryptedContentInfo(eci.getContentType(),
                eci.getContentEncryptionAlgorithm(), new BEROctetString(ct));
        EnvelopedData ed2 = new EnvelopedData(ed.getOriginatorInfo(), ed.getRecipientInfos(), changed,
                ed.getUnprotectedAttrs());
        return new ContentInfo(CMSObjectIdentifiers.envelopedData, ed2).getEncoded(ASN1Encoding.DER);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A Part 10 file: 128 zero bytes, "DICM", File Meta Information and a small data set with pixel data. */
    static byte[] part10(int pixelBytes) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, CmsTestData.uid());
        ds.setString(Tag.PatientName, VR.PN, PATIENT);
        ds.setString(Tag.PatientID, VR.LO, "PID-4711");
        ds.setString(Tag.Modality, VR.CS, "OT");
        byte[] pixels = new byte[pixelBytes];
        new Random(7).nextBytes(pixels);
        ds.setBytes(Tag.PixelData, VR.OB, pixels);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        try {
            return new DicomWriter().toBytes(new DicomFile(new byte[128], meta, ds,
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class CountingOutputStream extends OutputStream {

        final OutputStream out;
        long count;

        CountingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** A DICOM File header followed by generated bytes; notes how much output there was at half the input. */
    private static final class GeneratedDicomStream extends InputStream {

        private final long size;
        private final LongSupplier output;
        private final byte[] head = Arrays.copyOf(FILE, 134);
        private long pos;
        long outputWhenHalfRead = -1;

        GeneratedDicomStream(long size, LongSupplier output) {
            this.size = size;
            this.output = output;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                long p = pos + i;
                b[off + i] = p < head.length ? head[(int) p] : (byte) (p * 31 + (p >> 13));
            }
            pos += n;
            if (outputWhenHalfRead < 0 && pos >= size / 2) {
                outputWhenHalfRead = output.getAsLong();
            }
            return n;
        }
    }

    /** Serves {@code data}; notes how much output there was at half of it. */
    private static final class GeneratedBytesStream extends InputStream {

        private final byte[] data;
        private final LongSupplier output;
        private int pos;
        long outputWhenHalfRead = -1;

        GeneratedBytesStream(byte[] data, LongSupplier output) {
            this.data = data;
            this.output = output;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, data.length - pos), 8192);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            if (outputWhenHalfRead < 0 && pos >= data.length / 2) {
                outputWhenHalfRead = output.getAsLong();
            }
            return n;
        }
    }

    /** A throw-away CA (EC P-256) that issues EC signer certificates. */
    private static final class Pki {

        private static final AtomicLong SERIAL = new AtomicLong(5000);
        final KeyPair caPair;
        final X509Certificate ca;

        Pki(String subject) throws Exception {
            caPair = ecPair();
            X500Name name = new X500Name(subject);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIAL
                    .incrementAndGet()), Date.from(Instant.now().minus(Duration.ofHours(1))),
                    Date.from(Instant.now().plus(Duration.ofDays(30))), name, caPair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caPair.getPublic()));
            ca = sign(b, caPair.getPrivate());
        }

        Recipient issue(String subject) throws Exception {
            KeyPair pair = ecPair();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(SERIAL
                    .incrementAndGet()), Date.from(Instant.now().minus(Duration.ofHours(1))),
                    Date.from(Instant.now().plus(Duration.ofDays(30))), new X500Name(subject), pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
            return new Recipient(pair.getPrivate(), sign(b, caPair.getPrivate()));
        }

        private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
            return new JcaX509CertificateConverter().setProvider(BC).getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(key)));
        }

        private static KeyPair ecPair() throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        }
    }
}
