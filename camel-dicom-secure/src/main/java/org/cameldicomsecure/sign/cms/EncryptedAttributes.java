package org.cameldicomsecure.sign.cms;

import static org.cameldicomsecure.sign.cms.CmsCertificates.describe;
import static org.cameldicomsecure.sign.cms.CmsCertificates.recipientKind;
import static org.cameldicomsecure.sign.cms.CmsCertificates.subjectKeyIdentifier;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OutputEncryptor;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.sign.cms.EncryptedAttributesException.Reason;

/**
 * Items of Encrypted Attributes Sequence (0400,0500): an Encrypted Attributes Data Set (PS3.3 Table C.12-7, the single
 * item of Modified Attributes Sequence (0400,0550)) encoded in a DICOM transfer syntax and wrapped in a CMS
 * EnvelopedData (PS3.3 C.12.1.1.4.2, RFC 5652 §6).
 *
 * <p>Algorithms, from PS3.15 E.1.1 (item 4, "the encryption shall be done using RSA [RFC 2313] for the key transport
 * of the content-encryption keys ... either AES or Triple-DES for content-encryption ... according to ... RSA Key
 * Transport and Triple DES Content Encryption in [RFC 3370] and ... AES Content Encryption in [RFC 3565]"):
 * <ul>
 * <li>Key transport: one KeyTransRecipientInfo per recipient certificate, identified by issuer and serial number
 *     (RFC 5652 §6.2.1, version 0), key encryption algorithm {@code rsaEncryption} = RSAES-PKCS1-v1_5 (RFC 2313 is
 *     PKCS #1 v1.5; RFC 3370 §4.2.1). Decryption accepts RSAES-PKCS1-v1_5 and RSAES-OAEP (RFC 3560) and finds the
 *     RecipientInfo by issuer and serial number or by subject key identifier.</li>
 * <li>Content encryption: AES-256-CBC by default, AES-128-CBC or AES-192-CBC on request (RFC 3565 §2.2); decryption
 *     also accepts Triple-DES-CBC with a 168-bit key (RFC 3370 §5.1), as E.1.2 requires of a re-identifier.</li>
 * <li>Only RSA keys: the profile names no key agreement, so EC certificates and keys are rejected.</li>
 * <li>Encoding: Explicit VR Little Endian (PS3.3 C.12.1.1.4, (0400,0510): "Only Transfer Syntaxes that explicitly
 *     include the VR and use Little Endian encoding shall be used"). Decryption accepts Explicit VR Little Endian
 *     and Deflated Explicit VR Little Endian.</li>
 * </ul>
 *
 * <p>CBC content encryption has no integrity protection (EnvelopedData has none): a change to the Encrypted Content is
 * detected only when it breaks the DER structure, the CBC padding or the DICOM encoding. Authenticity must come from
 * a digital signature over the instance (PS3.15 Annex C).
 *
 * <p>The content is held in memory while it is encrypted or decrypted. The Bouncy Castle provider is used as an
 * instance, never registered globally. Certificates are not validated (no path building, no revocation check): the
 * caller chooses whom to trust.
 */
public final class EncryptedAttributes {

    /** The default content cipher: the longest AES key the profile allows. */
    public static final ContentCipher DEFAULT_CIPHER = ContentCipher.AES_256_CBC;

    /** Encoding of the Encrypted Attributes Data Set written by {@link #encrypt}: Explicit VR Little Endian. */
    public static final String CONTENT_TRANSFER_SYNTAX_UID = UID.ExplicitVRLittleEndian;

    private static final Provider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Content-encryption algorithms accepted on decryption (PS3.15 E.1.2: AES and Triple-DES, every key length). */
    private static final Map<ASN1ObjectIdentifier, String> CONTENT_ALGORITHMS = Map.of(
            CMSAlgorithm.AES128_CBC, "AES-128-CBC",
            CMSAlgorithm.AES192_CBC, "AES-192-CBC",
            CMSAlgorithm.AES256_CBC, "AES-256-CBC",
            CMSAlgorithm.DES_EDE3_CBC, "Triple-DES-CBC");

    /** Key transport algorithms accepted on decryption. */
    private static final Map<ASN1ObjectIdentifier, String> KEY_TRANSPORT_ALGORITHMS = Map.of(
            PKCSObjectIdentifiers.rsaEncryption, "RSAES-PKCS1-v1_5",
            PKCSObjectIdentifiers.id_RSAES_OAEP, "RSAES-OAEP");

    private EncryptedAttributes() {
    }

    /**
     * Encrypts an Encrypted Attributes Data Set for {@code recipients} with AES-256-CBC.
     *
     * @see #encrypt(Dataset, List, ContentCipher)
     */
    public static Dataset encrypt(Dataset modifiedAttributesItem, List<X509Certificate> recipients)
            throws EncryptedAttributesException {
        return encrypt(modifiedAttributesItem, recipients, DEFAULT_CIPHER);
    }

    /**
     * Encrypts an Encrypted Attributes Data Set and returns one item for Encrypted Attributes Sequence (0400,0500).
     *
     * @param modifiedAttributesItem the Encrypted Attributes Data Set: Modified Attributes Sequence (0400,0550) with
     *                               exactly one item of original values, and optionally Specific Character Set
     *                               (0008,0005); nothing else (PS3.3 Table C.12-7). It is not modified.
     * @param recipients             RSA certificates; each recipient can decrypt with its private key
     * @param cipher                 the content-encryption algorithm
     * @return a new little endian data set with Encrypted Content Transfer Syntax UID (0400,0510) = Explicit VR Little
     *         Endian and Encrypted Content (0400,0520) = the DER EnvelopedData ContentInfo (padded with one 00H byte
     *         when its length is odd, PS3.5 §6.2 OB)
     * @throws EncryptedAttributesException {@link Reason#INVALID_INPUT} for a data set of another shape or no
     *                                      recipients, {@link Reason#UNSUPPORTED_KEY} for a certificate that is not an
     *                                      RSA encryption certificate
     */
    public static Dataset encrypt(Dataset modifiedAttributesItem, List<X509Certificate> recipients,
            ContentCipher cipher) throws EncryptedAttributesException {
        Objects.requireNonNull(modifiedAttributesItem, "modifiedAttributesItem");
        Objects.requireNonNull(recipients, "recipients");
        Objects.requireNonNull(cipher, "cipher");
        if (!cipher.usableForEncryption()) {
            throw new EncryptedAttributesException(Reason.INVALID_INPUT,
                    cipher + " is only decrypted; encrypt with AES (PS3.15 E.1.1)");
        }
        checkEncryptedAttributesDataSet(modifiedAttributesItem, "the data set to encrypt");
        if (recipients.isEmpty()) {
            throw new EncryptedAttributesException(Reason.INVALID_INPUT, "no recipient certificate given");
        }
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        for (int i = 0; i < recipients.size(); i++) {
            X509Certificate cert = Objects.requireNonNull(recipients.get(i), "recipients[" + i + "]");
            checkRecipientCertificate(cert, i);
            try {
                generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(cert).setProvider(BC));
            } catch (CertificateEncodingException e) {
                throw new EncryptedAttributesException(Reason.INVALID_INPUT,
                        "recipient certificate #" + i + " (" + describe(cert) + ") cannot be encoded", e);
            }
        }
        byte[] content = encode(modifiedAttributesItem);
        byte[] der;
        try {
            OutputEncryptor encryptor = new JceCMSContentEncryptorBuilder(cipher.asn1())
                    .setProvider(BC).setSecureRandom(RANDOM).build();
            CMSEnvelopedData enveloped = generator.generate(new CMSProcessableByteArray(content), encryptor);
            der = enveloped.toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (CMSException | IOException e) {
            throw new EncryptedAttributesException(Reason.INTERNAL, "cannot build the CMS EnvelopedData ("
                    + cipher + ", " + recipients.size() + " RSA recipient(s))", e);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        Dataset item = new Dataset();
        item.setString(Tag.EncryptedContentTransferSyntaxUID, VR.UI, CONTENT_TRANSFER_SYNTAX_UID);
        item.setBytes(Tag.EncryptedContent, VR.OB, der);
        return item;
    }

    /**
     * Decrypts one item of Encrypted Attributes Sequence (0400,0500) (PS3.15 E.1.2): finds the KeyTransRecipientInfo
     * of {@code certificate} (issuer and serial number, or subject key identifier), recovers the content-encryption
     * key with {@code key}, decrypts, and decodes the result in Encrypted Content Transfer Syntax UID (0400,0510).
     *
     * @return the decoded Encrypted Attributes Data Set; it holds Modified Attributes Sequence (0400,0550) with exactly
     *         one item
     * @throws EncryptedAttributesException with {@link Reason#NO_MATCHING_RECIPIENT} if no RecipientInfo names the
     *                                      certificate, {@link Reason#UNSUPPORTED_TRANSFER_SYNTAX},
     *                                      {@link Reason#UNSUPPORTED_ALGORITHM} or {@link Reason#UNSUPPORTED_KEY} for
     *                                      what the profile does not allow, {@link Reason#KEY_MISMATCH} if the key is
     *                                      not the certificate's, {@link Reason#CORRUPT_CONTENT} if the content is
     *                                      damaged, and {@link Reason#INVALID_INPUT} for an item without its two
     *                                      attributes
     */
    public static Dataset decrypt(Dataset encryptedAttributesItem, PrivateKey key, X509Certificate certificate)
            throws EncryptedAttributesException {
        Objects.requireNonNull(encryptedAttributesItem, "encryptedAttributesItem");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
        TransferSyntax ts = contentTransferSyntax(encryptedAttributesItem);
        checkRecipientKey(key, certificate);
        byte[] value = encryptedContent(encryptedAttributesItem);
        CMSEnvelopedData enveloped = parseEnvelopedData(value);

        String contentAlgorithm = CONTENT_ALGORITHMS.get(enveloped.getContentEncryptionAlgorithm().getAlgorithm());
        if (contentAlgorithm == null) {
            throw new EncryptedAttributesException(Reason.UNSUPPORTED_ALGORITHM, "content-encryption algorithm "
                    + enveloped.getEncryptionAlgOID() + " is not allowed: PS3.15 E.1.1 allows AES-CBC (RFC 3565) and "
                    + "Triple-DES-CBC (RFC 3370)");
        }
        KeyTransRecipientInformation recipient = findRecipient(enveloped, certificate);
        String keyTransport = KEY_TRANSPORT_ALGORITHMS.get(recipient.getKeyEncryptionAlgorithm().getAlgorithm());
        if (keyTransport == null) {
            throw new EncryptedAttributesException(Reason.UNSUPPORTED_ALGORITHM, "key transport algorithm "
                    + recipient.getKeyEncryptionAlgOID() + " is not RSA: PS3.15 E.1.1 requires RSA key transport");
        }
        if (!CMSObjectIdentifiers.data.equals(recipient.getContentType())) {
            throw new EncryptedAttributesException(Reason.CORRUPT_CONTENT, "the EnvelopedData encrypts content of type "
                    + recipient.getContentType() + ", not id-data (an encoded Encrypted Attributes Data Set)");
        }

        byte[] plain;
        try {
            JceKeyTransEnvelopedRecipient operator = new JceKeyTransEnvelopedRecipient(key);
            operator.setProvider(BC);
            operator.setKeySizeValidation(true);
            plain = recipient.getContent(operator);
        } catch (CMSException | RuntimeException e) {
            throw new EncryptedAttributesException(Reason.CORRUPT_CONTENT, "cannot decrypt the Encrypted Content ("
                    + keyTransport + ", " + contentAlgorithm + ") for " + describe(certificate)
                    + ": the encrypted key or the content is damaged", e);
        }
        Dataset decoded;
        try {
            decoded = new DicomReader().readDataset(plain, ts);
        } catch (IOException | RuntimeException e) {
            throw new EncryptedAttributesException(Reason.CORRUPT_CONTENT, "the decrypted content is not a data set in "
                    + ts.uid() + " (" + e.getMessage() + ")", e);
        }
        try {
            checkEncryptedAttributesDataSet(decoded, "the decrypted data set");
        } catch (EncryptedAttributesException e) {
            throw new EncryptedAttributesException(Reason.CORRUPT_CONTENT, e.getMessage());
        }
        return decoded;
    }

    /** PS3.3 Table C.12-7: (0400,0550) with exactly one item, and at most a Specific Character Set besides. */
    private static void checkEncryptedAttributesDataSet(Dataset ds, String what) throws EncryptedAttributesException {
        if (!ds.contains(Tag.ModifiedAttributesSequence)) {
            throw new EncryptedAttributesException(Reason.INVALID_INPUT, what + " has no Modified Attributes Sequence "
                    + Tag.toString(Tag.ModifiedAttributesSequence) + " (PS3.3 Table C.12-7)");
        }
        Sequence modified = ds.getSequence(Tag.ModifiedAttributesSequence);
        if (modified == null) {
            throw new EncryptedAttributesException(Reason.INVALID_INPUT, what + ": "
                    + Tag.toString(Tag.ModifiedAttributesSequence) + " is " + ds.vrOf(Tag.ModifiedAttributesSequence)
                    + ", not a sequence");
        }
        if (modified.size() != 1) {
            throw new EncryptedAttributesException(Reason.INVALID_INPUT, what + ": Modified Attributes Sequence "
                    + Tag.toString(Tag.ModifiedAttributesSequence) + " has " + modified.size()
                    + " items; PS3.3 Table C.12-7 requires exactly one");
        }
        List<String> others = new ArrayList<>();
        for (int tag : ds.tags()) {
            if (tag != Tag.ModifiedAttributesSequence && tag != Tag.SpecificCharacterSet) {
                others.add(Tag.toString(tag));
            }
        }
        if (!others.isEmpty()) {
            throw new EncryptedAttributesException(Reason.INVALID_INPUT, what + " holds " + others
                    + " besides Modified Attributes Sequence " + Tag.toString(Tag.ModifiedAttributesSequence)
                    + "; put original values inside its item (PS3.3 Table C.12-7)");
        }
    }

    private static byte[] encode(Dataset ds) throws EncryptedAttributesException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new DicomWriter().writeDataset(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, out);
        } catch (IOException | RuntimeException e) {
            throw new EncryptedAttributesException(Reason.INVALID_INPUT,
                    "cannot encode the data set in Explicit VR Little Endian (" + e.getMessage() + ")", e);
        }
        return out.toByteArray();
    }

    /** Only an RSA encryption key: PS3.15 E.1.1 names RSA key transport [RFC 2313] and nothing else. */
    private static void checkRecipientCertificate(X509Certificate cert, int index) throws EncryptedAttributesException {
        PublicKey pk = cert.getPublicKey();
        if (!(pk instanceof RSAPublicKey) || !"RSA".equals(pk.getAlgorithm())) {
            throw new EncryptedAttributesException(Reason.UNSUPPORTED_KEY, "recipient certificate #" + index + " ("
                    + describe(cert) + ") has a " + pk.getAlgorithm() + " public key; PS3.15 E.1.1 requires RSA key "
                    + "transport [RFC 2313] of the content-encryption key, and names no EC key agreement");
        }
        String usage = CmsCertificates.keyEnciphermentProblem(cert, index);
        if (usage != null) {
            throw new EncryptedAttributesException(Reason.UNSUPPORTED_KEY, usage);
        }
    }

    private static void checkRecipientKey(PrivateKey key, X509Certificate cert) throws EncryptedAttributesException {
        if (!"RSA".equals(key.getAlgorithm())) {
            throw new EncryptedAttributesException(Reason.UNSUPPORTED_KEY, "the private key is " + key.getAlgorithm()
                    + "; PS3.15 E.1.1 requires RSA key transport, so only an RSA key can decrypt");
        }
        PublicKey pk = cert.getPublicKey();
        if (!(pk instanceof RSAPublicKey rsaPublic)) {
            throw new EncryptedAttributesException(Reason.UNSUPPORTED_KEY, "certificate " + describe(cert) + " has a "
                    + pk.getAlgorithm() + " public key; PS3.15 E.1.1 requires RSA key transport");
        }
        // a key in a token may not reveal its modulus; then a wrong key shows up as a decryption failure
        if (key instanceof RSAKey rsaKey && rsaKey.getModulus() != null
                && !rsaKey.getModulus().equals(rsaPublic.getModulus())) {
            throw new EncryptedAttributesException(Reason.KEY_MISMATCH,
                    "the private key does not belong to certificate " + describe(cert));
        }
    }

    private static TransferSyntax contentTransferSyntax(Dataset item) throws EncryptedAttributesException {
        String uid = item.getString(Tag.EncryptedContentTransferSyntaxUID);
        if (uid == null) {
            throw new EncryptedAttributesException(Reason.INVALID_INPUT, "the item has no Encrypted Content Transfer "
                    + "Syntax UID " + Tag.toString(Tag.EncryptedContentTransferSyntaxUID));
        }
        if (uid.equals(UID.ExplicitVRLittleEndian)) {
            return TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        }
        if (uid.equals(UID.DeflatedExplicitVRLittleEndian)) {
            return TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN;
        }
        String why = uid.equals(UID.ImplicitVRLittleEndian) || uid.equals(UID.ExplicitVRBigEndian)
                ? " is not allowed: PS3.3 C.12.1.1.4 allows only transfer syntaxes with explicit VR and little endian"
                : " is not supported";
        throw new EncryptedAttributesException(Reason.UNSUPPORTED_TRANSFER_SYNTAX, "Encrypted Content Transfer Syntax "
                + "UID " + Tag.toString(Tag.EncryptedContentTransferSyntaxUID) + " '" + uid + "'" + why
                + "; this implementation decodes " + UID.ExplicitVRLittleEndian + " (Explicit VR Little Endian) and "
                + UID.DeflatedExplicitVRLittleEndian + " (Deflated Explicit VR Little Endian)");
    }

    private static byte[] encryptedContent(Dataset item) throws EncryptedAttributesException {
        Object raw = item.value(Tag.EncryptedContent);
        if (raw == null) {
            throw new EncryptedAttributesException(Reason.INVALID_INPUT, "the item has no Encrypted Content "
                    + Tag.toString(Tag.EncryptedContent));
        }
        byte[] value;
        try {
            value = item.getBytes(Tag.EncryptedContent);
        } catch (RuntimeException e) {
            throw new EncryptedAttributesException(Reason.INVALID_INPUT, "Encrypted Content "
                    + Tag.toString(Tag.EncryptedContent) + " is not a plain OB value (" + e.getMessage() + ")", e);
        }
        if (value.length == 0) {
            throw new EncryptedAttributesException(Reason.INVALID_INPUT, "Encrypted Content "
                    + Tag.toString(Tag.EncryptedContent) + " is empty");
        }
        return value;
    }

    /**
     * The ContentInfo in {@code value}: DER or BER, followed by nothing or by the single 00H that pads an odd-length
     * encoding to the even length of an OB value.
     */
    private static CMSEnvelopedData parseEnvelopedData(byte[] value) throws EncryptedAttributesException {
        ByteArrayInputStream bytes = new ByteArrayInputStream(value);
        ASN1Primitive object;
        try (ASN1InputStream in = new ASN1InputStream(bytes, value.length)) {
            object = in.readObject();
        } catch (IOException | RuntimeException e) {
            throw new EncryptedAttributesException(Reason.CORRUPT_CONTENT, "Encrypted Content "
                    + Tag.toString(Tag.EncryptedContent) + " is not a DER/BER encoded CMS ContentInfo", e);
        }
        int rest = bytes.available();
        boolean padding = rest == 1 && (value.length & 1) == 0 && value[value.length - 1] == 0;
        if (object == null || (rest != 0 && !padding)) {
            throw new EncryptedAttributesException(Reason.CORRUPT_CONTENT, "Encrypted Content "
                    + Tag.toString(Tag.EncryptedContent) + (object == null ? " holds no ASN.1 object"
                            : " has " + rest + " bytes after the CMS ContentInfo"));
        }
        try {
            ContentInfo info = ContentInfo.getInstance(object);
            if (!CMSObjectIdentifiers.envelopedData.equals(info.getContentType())) {
                throw new EncryptedAttributesException(Reason.CORRUPT_CONTENT, "Encrypted Content "
                        + Tag.toString(Tag.EncryptedContent) + " is CMS content type " + info.getContentType()
                        + ", not EnvelopedData " + CMSObjectIdentifiers.envelopedData + " (PS3.3 C.12.1.1.4.2)");
            }
            return new CMSEnvelopedData(info);
        } catch (CMSException | RuntimeException e) {
            throw new EncryptedAttributesException(Reason.CORRUPT_CONTENT, "Encrypted Content "
                    + Tag.toString(Tag.EncryptedContent) + " is not a well-formed CMS EnvelopedData", e);
        }
    }

    private static KeyTransRecipientInformation findRecipient(CMSEnvelopedData enveloped, X509Certificate cert)
            throws EncryptedAttributesException {
        X500Name issuer = X500Name.getInstance(cert.getIssuerX500Principal().getEncoded());
        BigInteger serial = cert.getSerialNumber();
        byte[] ski = subjectKeyIdentifier(cert);
        List<String> seen = new ArrayList<>();
        for (RecipientInformation info : enveloped.getRecipientInfos().getRecipients()) {
            RecipientId rid = info.getRID();
            if (info instanceof KeyTransRecipientInformation keyTrans && rid instanceof KeyTransRecipientId id) {
                boolean byIssuer = id.getIssuer() != null && id.getSerialNumber() != null
                        && issuer.equals(id.getIssuer()) && serial.equals(id.getSerialNumber());
                boolean byKeyId = ski != null && id.getSubjectKeyIdentifier() != null
                        && Arrays.equals(ski, id.getSubjectKeyIdentifier());
                if (byIssuer || byKeyId) {
                    return keyTrans;
                }
                seen.add("key transport");
            } else {
                seen.add(recipientKind(rid));
            }
        }
        throw new EncryptedAttributesException(Reason.NO_MATCHING_RECIPIENT, "no RecipientInfo of the Encrypted "
                + "Content matches certificate " + describe(cert)
                + (ski != null ? " or its subject key identifier " + HexFormat.of().formatHex(ski) : "")
                + "; the EnvelopedData has " + seen.size() + " RecipientInfo(s): " + seen);
    }

}
