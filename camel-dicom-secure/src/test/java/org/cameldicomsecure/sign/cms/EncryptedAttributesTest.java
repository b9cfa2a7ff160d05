package org.cameldicomsecure.sign.cms;

import static org.cameldicomsecure.sign.cms.CmsTestData.BC;
import static org.cameldicomsecure.sign.cms.CmsTestData.concat;
import static org.cameldicomsecure.sign.cms.CmsTestData.contentInfo;
import static org.cameldicomsecure.sign.cms.CmsTestData.der;
import static org.cameldicomsecure.sign.cms.CmsTestData.encode;
import static org.cameldicomsecure.sign.cms.CmsTestData.envelope;
import static org.cameldicomsecure.sign.cms.CmsTestData.item;
import static org.cameldicomsecure.sign.cms.CmsTestData.keyTrans;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.List;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.sign.cms.EncryptedAttributesException.Reason;
import org.cameldicomsecure.sign.cms.TestRecipients.Recipient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EncryptedAttributesTest {

    private static final Recipient ALICE = TestRecipients.rsa("alice", 2048);
    private static final Recipient BOB = TestRecipients.rsa("bob", 2048);
    private static final Recipient CAROL = TestRecipients.rsa("carol", 3072);

    // ---------------------------------------------------------------------------------------------- the structure

    @Test
    void defaultIsAes256CbcWithRsaPkcs1v15KeyTransportToIssuerAndSerial() throws Exception {
        Dataset eads = CmsTestData.simpleEncryptedAttributesDataSet();
        Dataset item = EncryptedAttributes.encrypt(eads, List.of(ALICE.cert()));

        assertEquals(List.of(Tag.EncryptedContentTransferSyntaxUID, Tag.EncryptedContent),
                Arrays.stream(item.tags()).boxed().toList());
        assertEquals(UID.ExplicitVRLittleEndian, item.getString(Tag.EncryptedContentTransferSyntaxUID));
        assertEquals(VR.UI, item.vrOf(Tag.EncryptedContentTransferSyntaxUID));
        assertEquals(VR.OB, item.vrOf(Tag.EncryptedContent));
        assertEquals(0, item.getBytes(Tag.EncryptedContent).length % 2);

        ContentInfo ci = contentInfo(item);
        assertEquals(CMSObjectIdentifiers.envelopedData, ci.getContentType());
        EnvelopedData ed = EnvelopedData.getInstance(ci.getContent());
        EncryptedContentInfo eci = ed.getEncryptedContentInfo();
        assertEquals(CMSObjectIdentifiers.data, eci.getContentType());
        assertEquals(CMSAlgorithm.AES256_CBC, eci.getContentEncryptionAlgorithm().getAlgorithm());
        assertEquals(1, ed.getRecipientInfos().size());
        KeyTransRecipientInfo ktri = (KeyTransRecipientInfo) RecipientInfo.getInstance(
                ed.getRecipientInfos().getObjectAt(0)).getInfo();
        assertEquals(PKCSObjectIdentifiers.rsaEncryption, ktri.getKeyEncryptionAlgorithm().getAlgorithm());
        IssuerAndSerialNumber ias = IssuerAndSerialNumber.getInstance(ktri.getRecipientIdentifier().getId());
        assertEquals(X500Name.getInstance(ALICE.cert().getIssuerX500Principal().getEncoded()), ias.getName());
        assertEquals(ALICE.cert().getSerialNumber(), ias.getSerialNumber().getValue());
        // DER, as RFC 5652 §6 content of an OB value is expected to be (and as openssl reads it)
        assertArrayEquals(ci.getEncoded(ASN1Encoding.DER), Arrays.copyOf(item.getBytes(Tag.EncryptedContent),
                ci.getEncoded(ASN1Encoding.DER).length));

        Dataset decrypted = EncryptedAttributes.decrypt(item, ALICE.key(), ALICE.cert());
        assertArrayEquals(encode(eads), encode(decrypted));
    }

    @ParameterizedTest
    @EnumSource(value = ContentCipher.class, names = {"AES_128_CBC", "AES_192_CBC", "AES_256_CBC"})
    void everyAesKeyLengthRoundTripsWithRsa3072(ContentCipher cipher) throws Exception {
        Dataset eads = CmsTestData.simpleEncryptedAttributesDataSet();
        Dataset item = EncryptedAttributes.encrypt(eads, List.of(CAROL.cert()), cipher);
        EnvelopedData ed = EnvelopedData.getInstance(contentInfo(item).getContent());
        assertEquals(cipher.oid(), ed.getEncryptedContentInfo().getContentEncryptionAlgorithm().getAlgorithm().getId());
        assertArrayEquals(encode(eads), encode(EncryptedAttributes.decrypt(item, CAROL.key(), CAROL.cert())));
    }

    @Test
    void everyRecipientCanDecrypt() throws Exception {
        Dataset eads = CmsTestData.simpleEncryptedAttributesDataSet();
        Dataset item = EncryptedAttributes.encrypt(eads, List.of(ALICE.cert(), BOB.cert(), CAROL.cert()));
        assertEquals(3, EnvelopedData.getInstance(contentInfo(item).getContent()).getRecipientInfos().size());
        for (Recipient r : List.of(ALICE, BOB, CAROL)) {
            assertArrayEquals(encode(eads), encode(EncryptedAttributes.decrypt(item, r.key(), r.cert())),
                    r.cert().getSubjectX500Principal().getName());
        }
    }

    @Test
    void nestedSequencesPrivateAttributesAndBulkValuesRoundTripByteForByte() throws Exception {
        Dataset built = CmsTestData.richEncryptedAttributesDataSet();
        byte[] expected = encode(built);
        // also as the reader returns it: values above the bulk-data threshold become regions of the input
        Dataset read = new DicomReader().readDataset(expected, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertArrayEquals(expected, encode(read));
        for (Dataset eads : List.of(built, read)) {
            Dataset item = EncryptedAttributes.encrypt(eads, List.of(ALICE.cert()), ContentCipher.AES_128_CBC);
            Dataset decrypted = EncryptedAttributes.decrypt(item, ALICE.key(), ALICE.cert());
            assertArrayEquals(expected, encode(decrypted));
            Dataset original = decrypted.getSequence(Tag.ModifiedAttributesSequence).get(0);
            assertEquals("Müller^Jürgen", original.getString(Tag.PatientName));
            assertEquals("private text", original.getString(0x00091002));
            assertNotNull(original.getSequence(Tag.IconImageSequence).get(0).getFragments(Tag.PixelData));
        }
        assertArrayEquals(expected, encode(built), "encrypt must not change its input");
    }

    @Test
    void oddLengthCmsIsPaddedToEvenLengthAndStillDecrypts() throws Exception {
        boolean sawOdd = false;
        boolean sawEven = false;
        for (int n = 1; n <= 12 && !(sawOdd && sawEven); n++) {
            Recipient r = TestRecipients.rsa("alice", 2048, "CN=" + "x".repeat(n), BigInteger.valueOf(4242), true);
            Dataset item = EncryptedAttributes.encrypt(CmsTestData.simpleEncryptedAttributesDataSet(), List.of(r.cert()));
            byte[] value = item.getBytes(Tag.EncryptedContent);
            byte[] der = der(item);
            assertEquals(0, value.length % 2);
            if (der.length % 2 == 1) {
                sawOdd = true;
                assertEquals(der.length + 1, value.length);
                assertEquals(0, value[value.length - 1]);
            } else {
                sawEven = true;
                assertEquals(der.length, value.length);
            }
            assertNotNull(EncryptedAttributes.decrypt(item, r.key(), r.cert()));
        }
        assertTrue(sawOdd && sawEven, "subject lengths 1..12 give both parities of the DER length");
    }

    // ------------------------------------------------------------------------------ what other producers write

    @Test
    void tripleDesContentFromBouncyCastleDecrypts() throws Exception {
        Dataset eads = CmsTestData.simpleEncryptedAttributesDataSet();
        byte[] cms = envelope(encode(eads), CMSAlgorithm.DES_EDE3_CBC, keyTrans(BOB.cert()));
        Dataset decrypted = EncryptedAttributes.decrypt(item(cms, UID.ExplicitVRLittleEndian), BOB.key(), BOB.cert());
        assertArrayEquals(encode(eads), encode(decrypted));
    }

    @Test
    void rsaesOaepKeyTransportDecrypts() throws Exception {
        Dataset eads = CmsTestData.simpleEncryptedAttributesDataSet();
        OAEPParameterSpec sha256 = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                PSource.PSpecified.DEFAULT);
        JceKeyTransRecipientInfoGenerator oaep = new JceKeyTransRecipientInfoGenerator(CAROL.cert(),
                new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, sha256))
                .setProvider(BC);
        byte[] cms = envelope(encode(eads), CMSAlgorithm.AES192_CBC, oaep);
        Dataset decrypted = EncryptedAttributes.decrypt(item(cms, UID.ExplicitVRLittleEndian), CAROL.key(), CAROL.cert());
        assertArrayEquals(encode(eads), encode(decrypted));
    }

    @Test
    void recipientNamedBySubjectKeyIdentifierDecrypts() throws Exception {
        Dataset eads = CmsTestData.simpleEncryptedAttributesDataSet();
        byte[] ski = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(BOB.cert().getPublicKey()).getKeyIdentifier();
        byte[] cms = envelope(encode(eads), CMSAlgorithm.AES256_CBC, keyTrans(ALICE.cert()),
                new JceKeyTransRecipientInfoGenerator(ski, BOB.cert().getPublicKey()).setProvider(BC));
        Dataset decrypted = EncryptedAttributes.decrypt(item(cms, UID.ExplicitVRLittleEndian), BOB.key(), BOB.cert());
        assertArrayEquals(encode(eads), encode(decrypted));
    }

    @Test
    void deflatedExplicitVrLittleEndianContentDecodes() throws Exception {
        Dataset eads = CmsTestData.richEncryptedAttributesDataSet();
        byte[] cms = envelope(encode(eads, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN), CMSAlgorithm.AES128_CBC,
                keyTrans(ALICE.cert()));
        Dataset decrypted = EncryptedAttributes.decrypt(item(cms, UID.DeflatedExplicitVRLittleEndian), ALICE.key(),
                ALICE.cert());
        assertArrayEquals(encode(eads), encode(decrypted));
    }

    // ---------------------------------------------------------------------------------------------- key errors

    @Test
    void certificateNotAmongTheRecipientsIsAClearError() throws Exception {
        Dataset item = EncryptedAttributes.encrypt(CmsTestData.simpleEncryptedAttributesDataSet(),
                List.of(ALICE.cert(), BOB.cert()));
        EncryptedAttributesException e = assertThrows(EncryptedAttributesException.class,
                () -> EncryptedAttributes.decrypt(item, CAROL.key(), CAROL.cert()));
        assertEquals(Reason.NO_MATCHING_RECIPIENT, e.reason());
        assertTrue(e.getMessage().contains("CN=carol"), e.getMessage());
        assertTrue(e.getMessage().contains(CAROL.cert().getSerialNumber().toString(16)), e.getMessage());
        assertTrue(e.getMessage().contains("2 RecipientInfo"), e.getMessage());
    }

    @Test
    void privateKeyOfAnotherCertificateIsAClearError() throws Exception {
        Dataset item = EncryptedAttributes.encrypt(CmsTestData.simpleEncryptedAttributesDataSet(), List.of(ALICE.cert()));
        EncryptedAttributesException e = assertThrows(EncryptedAttributesException.class,
                () -> EncryptedAttributes.decrypt(item, BOB.key(), ALICE.cert()));
        assertEquals(Reason.KEY_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void ecRecipientsAreRejectedBecausePs315NamesOnlyRsaKeyTransport() throws Exception {
        Recipient ec = TestRecipients.ec("dave");
        EncryptedAttributesException e = assertThrows(EncryptedAttributesException.class,
                () -> EncryptedAttributes.encrypt(CmsTestData.simpleEncryptedAttributesDataSet(),
                        List.of(ALICE.cert(), ec.cert())));
        assertEquals(Reason.UNSUPPORTED_KEY, e.reason());
        assertTrue(e.getMessage().contains("#1") && e.getMessage().contains("EC")
                && e.getMessage().contains("PS3.15 E.1.1") && e.getMessage().contains("RSA"), e.getMessage());

        Dataset item = EncryptedAttributes.encrypt(CmsTestData.simpleEncryptedAttributesDataSet(), List.of(ALICE.cert()));
        EncryptedAttributesException d = assertThrows(EncryptedAttributesException.class,
                () -> EncryptedAttributes.decrypt(item, ec.key(), ec.cert()));
        assertEquals(Reason.UNSUPPORTED_KEY, d.reason());
        assertTrue(d.getMessage().contains("EC"), d.getMessage());
    }

    @Test
    void certificateWhoseKeyUsageForbidsKeyEnciphermentIsRejected() {
        Recipient signOnly = TestRecipients.rsa("alice", 2048, "CN=sign only", BigInteger.valueOf(77), false);
        EncryptedAttributesException e = assertThrows(EncryptedAttributesException.class,
                () -> EncryptedAttributes.encrypt(CmsTestData.simpleEncryptedAttributesDataSet(),
                        List.of(signOnly.cert())));
        assertEquals(Reason.UNSUPPORTED_KEY, e.reason());
        assertTrue(e.getMessage().contains("keyEncipherment"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------- damaged input

    @Test
    void changedCiphertextBreaksThePaddingAndIsDetected() throws Exception {
        Dataset item = EncryptedAttributes.encrypt(CmsTestData.richEncryptedAttributesDataSet(), List.of(ALICE.cert()));
        // CBC: P[n] = D(C[n]) xor C[n-1]. Flipping every bit of the last byte of C[n-1] turns the last padding byte
        // p (1..16) into p xor FFH (EFH..FEH), which is never valid padding: detection is certain, not probable.
        byte[] tampered = rewriteCiphertext(der(item), c -> c[c.length - 17] ^= (byte) 0xFF);
        EncryptedAttributesException e = assertThrows(EncryptedAttributesException.class,
                () -> EncryptedAttributes.decrypt(item(tampered, UID.ExplicitVRLittleEndian), ALICE.key(),
                        ALICE.cert()));
        assertEquals(Reason.CORRUPT_CONTENT, e.reason());
        assertFalse(e.getMessage().contains("Müller"), e.getMessage());
    }

    @Test
    void changedEncryptedKeyIsDetected() throws Exception {
        Dataset item = EncryptedAttributes.encrypt(CmsTestData.simpleEncryptedAttributesDataSet(), List.of(ALICE.cert()));
        ContentInfo ci = contentInfo(item);
        EnvelopedData ed = EnvelopedData.getInstance(ci.getContent());
        KeyTransRecipientInfo k = (KeyTransRecipientInfo) RecipientInfo.getInstance(
                ed.getRecipientInfos().getObjectAt(0)).getInfo();
        byte[] key = k.getEncryptedKey().getOctets().clone();
        key[key.length / 2] ^= 0x01;
        RecipientInfo changed = new RecipientInfo(new KeyTransRecipientInfo(k.getRecipientIdentifier(),
                k.getKeyEncryptionAlgorithm(), new DEROctetString(key)));
        EnvelopedData ed2 = new EnvelopedData(ed.getOriginatorInfo(), new DERSet(changed), ed.getEncryptedContentInfo(),
                (ASN1Set) ed.getUnprotectedAttrs());
        byte[] tampered = new ContentInfo(CMSObjectIdentifiers.envelopedData, ed2).getEncoded(ASN1Encoding.DER);
        EncryptedAttributesException e = assertThrows(EncryptedAttributesException.class,
                () -> EncryptedAttributes.decrypt(item(tampered, UID.ExplicitVRLittleEndian), ALICE.key(),
                        ALICE.cert()));
        assertEquals(Reason.CORRUPT_CONTENT, e.reason());
    }

    @Test
    void truncatedTrailingOrForeignBytesAreCorruptContent() throws Exception {
        Dataset item = EncryptedAttributes.encrypt(CmsTestData.simpleEncryptedAttributesDataSet(), List.of(ALICE.cert()));
        byte[] der = der(item);
        List<byte[]> bad = List.of(
                Arrays.copyOf(der, der.length - 20),
                concat(der, new byte[] {1, 2}),
                concat(der, new byte[] {0, 0}),
                "this is not CMS at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(new byte[8])).getEncoded(ASN1Encoding.DER));
        for (byte[] b : bad) {
            Dataset it = new Dataset();
            it.setString(Tag.EncryptedContentTransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
            it.setBytes(Tag.EncryptedContent, VR.OB, b);
            EncryptedAttributesException e = assertThrows(EncryptedAttributesException.class,
                    () -> EncryptedAttributes.decrypt(it, ALICE.key(), ALICE.cert()));
            assertEquals(Reason.CORRUPT_CONTENT, e.reason(), e.getMessage());
        }
    }

    @Test
    void contentThatIsNotAnEncryptedAttributesDataSetIsCorruptContent() throws Exception {
        Dataset noModifiedAttributes = new Dataset();
        noModifiedAttributes.setString(Tag.PatientName, VR.PN, "Doe^John");
        Dataset twoItems = new Dataset();
        twoItems.newSequence(Tag.ModifiedAttributesSequence).addItem();
        twoItems.getSequence(Tag.ModifiedAttributesSequence).addItem();
        for (byte[] content : List.of(encode(noModifiedAttributes), encode(twoItems),
                new byte[] {0x10, 0x00, 0x10, 0x00, 'X', 'X', 2, 0, 'a', 'b'})) {
            byte[] cms = envelope(content, CMSAlgorithm.AES256_CBC, keyTrans(ALICE.cert()));
            EncryptedAttributesException e = assertThrows(EncryptedAttributesException.class,
                    () -> EncryptedAttributes.decrypt(item(cms, UID.ExplicitVRLittleEndian), ALICE.key(), ALICE.cert()));
            assertEquals(Reason.CORRUPT_CONTENT, e.reason(), e.getMessage());
        }
    }

    @Test
    void transferSyntaxesOtherThanExplicitVrLittleEndianAreRejected() throws Exception {
        Dataset item = EncryptedAttributes.encrypt(CmsTestData.simpleEncryptedAttributesDataSet(), List.of(ALICE.cert()));
        for (String ts : List.of(UID.ImplicitVRLittleEndian, UID.ExplicitVRBigEndian, "1.2.840.10008.1.2.4.50")) {
            Dataset changed = item(der(item), ts);
            EncryptedAttributesException e = assertThrows(EncryptedAttributesException.class,
                    () -> EncryptedAttributes.decrypt(changed, ALICE.key(), ALICE.cert()));
            assertEquals(Reason.UNSUPPORTED_TRANSFER_SYNTAX, e.reason());
            assertTrue(e.getMessage().contains(ts), e.getMessage());
        }
        Dataset noTs = new Dataset();
        noTs.setBytes(Tag.EncryptedContent, VR.OB, der(item));
        assertEquals(Reason.INVALID_INPUT, assertThrows(EncryptedAttributesException.class,
                () -> EncryptedAttributes.decrypt(noTs, ALICE.key(), ALICE.cert())).reason());
        Dataset noContent = new Dataset();
        noContent.setString(Tag.EncryptedContentTransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        assertEquals(Reason.INVALID_INPUT, assertThrows(EncryptedAttributesException.class,
                () -> EncryptedAttributes.decrypt(noContent, ALICE.key(), ALICE.cert())).reason());
    }

    @Test
    void contentCiphersOutsideTheProfileAreRejected() {
        byte[] cms = envelope(encode(CmsTestData.simpleEncryptedAttributesDataSet()), CMSAlgorithm.CAMELLIA128_CBC,
                keyTrans(ALICE.cert()));
        EncryptedAttributesException e = assertThrows(EncryptedAttributesException.class,
                () -> EncryptedAttributes.decrypt(item(cms, UID.ExplicitVRLittleEndian), ALICE.key(), ALICE.cert()));
        assertEquals(Reason.UNSUPPORTED_ALGORITHM, e.reason());
        assertTrue(e.getMessage().contains(CMSAlgorithm.CAMELLIA128_CBC.getId()), e.getMessage());
    }

    @Test
    void encryptAcceptsOnlyAnEncryptedAttributesDataSet() throws Exception {
        Dataset none = new Dataset();
        none.setString(Tag.PatientName, VR.PN, "Doe^John");
        Dataset two = new Dataset();
        two.newSequence(Tag.ModifiedAttributesSequence).addItem();
        two.getSequence(Tag.ModifiedAttributesSequence).addItem();
        Dataset extra = CmsTestData.simpleEncryptedAttributesDataSet();
        extra.setString(Tag.PatientID, VR.LO, "outside the item");
        for (Dataset ds : List.of(none, two, extra)) {
            EncryptedAttributesException e = assertThrows(EncryptedAttributesException.class,
                    () -> EncryptedAttributes.encrypt(ds, List.of(ALICE.cert())));
            assertEquals(Reason.INVALID_INPUT, e.reason());
            assertTrue(e.getMessage().contains("(0400,0550)"), e.getMessage());
            assertFalse(e.getMessage().contains("outside the item"), e.getMessage());
        }
        assertEquals(Reason.INVALID_INPUT, assertThrows(EncryptedAttributesException.class,
                () -> EncryptedAttributes.encrypt(CmsTestData.simpleEncryptedAttributesDataSet(), List.of())).reason());

        Dataset withCharset = CmsTestData.simpleEncryptedAttributesDataSet();
        withCharset.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        Dataset item = EncryptedAttributes.encrypt(withCharset, List.of(ALICE.cert()));
        assertArrayEquals(encode(withCharset), encode(EncryptedAttributes.decrypt(item, ALICE.key(), ALICE.cert())));
    }

    @Test
    void aBigEndianDataSetIsEncryptedInExplicitVrLittleEndian() throws Exception {
        Dataset le = CmsTestData.richEncryptedAttributesDataSet();
        ByteArrayOutputStream be = new ByteArrayOutputStream();
        new DicomWriter().writeDataset(le, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, be);
        Dataset bigEndian = new DicomReader().readDataset(be.toByteArray(), TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        Dataset item = EncryptedAttributes.encrypt(bigEndian, List.of(BOB.cert()));
        Dataset decrypted = EncryptedAttributes.decrypt(item, BOB.key(), BOB.cert());
        assertFalse(decrypted.bigEndian());
        assertArrayEquals(encode(le), encode(decrypted));
        assertInstanceOf(byte[].class, decrypted.getSequence(Tag.ModifiedAttributesSequence).get(0).value(Tag.Rows));
    }

    /** Replaces the encrypted content octets of a DER EnvelopedData ContentInfo. */
    private static byte[] rewriteCiphertext(byte[] der, java.util.function.Consumer<byte[]> change) throws Exception {
        ContentInfo ci = ContentInfo.getInstance(der);
        EnvelopedData ed = EnvelopedData.getInstance(ci.getContent());
        EncryptedContentInfo eci = ed.getEncryptedContentInfo();
        byte[] c = eci.getEncryptedContent().getOctets().clone();
        change.accept(c);
        EncryptedContentInfo changed = new EncryptedContentInfo(eci.getContentType(),
                eci.getContentEncryptionAlgorithm(), new DEROctetString(c));
        EnvelopedData ed2 = new EnvelopedData(ed.getOriginatorInfo(), ed.getRecipientInfos(), changed,
                (ASN1Set) ed.getUnprotectedAttrs());
        return new ContentInfo(CMSObjectIdentifiers.envelopedData, ed2).getEncoded(ASN1Encoding.DER);
    }
}
