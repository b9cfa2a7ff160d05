package org.cameldicomsecure.sign.cms;

import static org.cameldicomsecure.sign.cms.CmsCertificates.describe;
import static org.cameldicomsecure.sign.cms.CmsCertificates.subjectKeyIdentifier;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.math.BigInteger;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1OctetStringParser;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.BEROctetStringGenerator;
import org.bouncycastle.asn1.BERSequenceGenerator;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.PasswordRecipient;
import org.bouncycastle.cms.PasswordRecipientInformation;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcePasswordEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JcePasswordRecipientInfoGenerator;
import org.bouncycastle.crypto.io.InvalidCipherTextIOException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;
import org.bouncycastle.util.io.TeeOutputStream;
import org.cameldicomsecure.dicom.io.TrackingInputStream;
import org.cameldicomsecure.sign.PkixPaths;
import org.cameldicomsecure.sign.cms.SecureFileException.Reason;

/**
 * Secure DICOM Files (PS3.10 §7.4): a DICOM File wrapped in a CMS EnvelopedData (RFC 5652 §6) as the Basic DICOM
 * Media Security Profile (PS3.15 D.1) describes, made and opened as streams.
 *
 * <p>What {@link #encrypt} writes, a DER/BER {@code ContentInfo} of type {@code id-envelopedData}:
 * <ul>
 * <li>Content encryption: AES-128-CBC by default, AES-192-CBC or AES-256-CBC (RFC 3565). D.1 also lets creators use
 *     Triple-DES; this implementation only reads it.</li>
 * <li>Recipients: one KeyTransRecipientInfo per RSA certificate, identified by issuer and serial number, key transport
 *     RSAES-PKCS1-v1_5 ({@code rsaEncryption}, RFC 3370 §4.2.1) or on request RSAES-OAEP with SHA-256 and MGF1-SHA-256
 *     (RFC 3560); one PasswordRecipientInfo per password (RFC 3211): PBKDF2 (RFC 2898, now RFC 8018) with
 *     HMAC-SHA-256, a 16-byte random salt and {@link SecureFileOptions#DEFAULT_PBKDF2_ITERATIONS} iterations, then
 *     {@code id-alg-PWRI-KEK} with the content cipher. D.1 names no key agreement: EC recipient certificates are
 *     refused.</li>
 * <li>Passwords must be ISO-IR 6 graphic characters (printable US-ASCII, 20H-7EH): D.1 limits the password octets to
 *     the Default Character Repertoire, so anything else is refused, never transcoded.</li>
 * <li>Encrypted content ({@link InnerContent}): {@code DATA} (the default) is the DICOM File as {@code id-data}, what
 *     {@code openssl cms -encrypt -binary} makes and {@code openssl cms -decrypt} gives back byte for byte. D.1 itself
 *     asks for one of the other two, which add integrity: {@code SIGNED}, a SignedData (RFC 5652 §5; version 1, the
 *     signer identified by issuer and serial number, SHA-256 by default, the signer certificate and chain included)
 *     encapsulating the DICOM File, signed with RSA PKCS #1 v1.5 (D.1) or ECDSA (beyond D.1); or {@code DIGESTED}, a
 *     DigestedData (RFC 5652 §7; version 0) with the SHA-256 (by default) digest of the DICOM File. As RFC 5652 §6.1
 *     defines it, the encrypted content is then the SignedData or DigestedData value itself, with the content type in
 *     the EncryptedContentInfo; {@link #decrypt} also accepts one wrapped in a ContentInfo, as some toolkits nest
 *     it.</li>
 * </ul>
 *
 * <p>What {@link #decrypt} accepts: a ContentInfo with an EnvelopedData (DER or BER), content encrypted with AES-128/
 * 192/256-CBC or Triple-DES-CBC (D.1: readers must decrypt both); the key transport RecipientInfo of the given
 * certificate (by issuer and serial number or by subject key identifier; RSAES-PKCS1-v1_5 or RSAES-OAEP) or the
 * password RecipientInfos (PBKDF2 with any HMAC-SHA PRF; the RFC 3211 key wrap with AES or Triple-DES); inner id-data,
 * SignedData (every signature verified; with trust anchors, every signer validated with PKIX, without revocation
 * checks unless enabled) or DigestedData (the digest compared), with SHA-1, SHA-256, SHA-384 or SHA-512 (D.1).
 *
 * <p>Streaming: neither operation holds the file in memory; a multi-gigabyte file needs no more heap than a small one.
 * Bouncy Castle cannot parse definite lengths above 2<sup>31</sup>-1 bytes, so DER files of more than 2 GiB made
 * by another program (for example {@code openssl cms -outform DER}) cannot be opened; what {@link #encrypt} writes
 * uses BER indefinite lengths and has no such limit.
 *
 * <p><b>Partial output.</b> Nothing is written when the input is refused up front (no DICOM File to encrypt; not an
 * EnvelopedData, no recipient, wrong key or password, a decrypted content that does not start like a DICOM File).
 * But an inner signature or digest, and the CBC padding, are only known at the end of the stream: when {@link #decrypt}
 * throws after it started writing, what it wrote must be discarded. Callers therefore write to a temporary place and
 * use it only after a normal return (the {@code dicomsign:} component does). The same holds for an I/O error in the
 * middle of {@link #encrypt}.
 *
 * <p>CBC has no integrity protection: with {@code DATA}, a change to the ciphertext is detected only when it breaks
 * the padding, the structure, or the DICOM File header; use {@code SIGNED} or {@code DIGESTED} to detect any change.
 *
 * <p>Errors are {@link SecureFileException}s whose {@link Reason} names the cause; their messages never quote the
 * content, passwords or keys. An {@link IOException} is thrown only when reading the input or writing the output
 * fails. The Bouncy Castle provider is used as an instance, never registered globally, for key transport, PBKDF2 and
 * the RFC 3211 key wrap; bulk AES and SHA-2 use the JDK's providers (hardware instructions), and signing the default
 * JCA provider of the key, so that keys in a token work.
 */
public final class SecureDicomFile {

    /** Key transport for RSA recipients. */
    public enum KeyTransport {
        /** rsaEncryption, RSAES-PKCS1-v1_5 (RFC 3370 §4.2.1): the default. */
        RSAES_PKCS1_V1_5("RSAES-PKCS1-v1_5"),
        /** id-RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 3560, RFC 4055). */
        RSAES_OAEP("RSAES-OAEP");

        private final String displayName;

        KeyTransport(String displayName) {
            this.displayName = displayName;
        }

        @Override
        public String toString() {
            return displayName;
        }
    }

    /** What the EnvelopedData encrypts. */
    public enum InnerContent {
        /** The DICOM File as id-data. */
        DATA(CMSObjectIdentifiers.data, "data"),
        /** A SignedData encapsulating the DICOM File (PS3.15 D.1). */
        SIGNED(CMSObjectIdentifiers.signedData, "SignedData"),
        /** A DigestedData encapsulating the DICOM File (PS3.15 D.1). */
        DIGESTED(CMSObjectIdentifiers.digestedData, "DigestedData");

        private final ASN1ObjectIdentifier oid;
        private final String displayName;

        InnerContent(ASN1ObjectIdentifier oid, String displayName) {
            this.oid = oid;
            this.displayName = displayName;
        }

        /** The content type OID in the EncryptedContentInfo. */
        public String oid() {
            return oid.getId();
        }

        static InnerContent of(ASN1ObjectIdentifier oid) {
            for (InnerContent c : values()) {
                if (c.oid.equals(oid)) {
                    return c;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return displayName;
        }
    }

    /** Digest algorithms of an inner SignedData or DigestedData (PS3.15 D.1). */
    public enum DigestAlgorithm {
        /** Accepted when decrypting only (D.1 still lists it). */
        SHA_1(OIWObjectIdentifiers.idSHA1, "SHA-1", "SHA1", false),
        /** The default. */
        SHA_256(NISTObjectIdentifiers.id_sha256, "SHA-256", "SHA256", true),
        SHA_384(NISTObjectIdentifiers.id_sha384, "SHA-384", "SHA384", true),
        SHA_512(NISTObjectIdentifiers.id_sha512, "SHA-512", "SHA512", true);

        private final ASN1ObjectIdentifier oid;
        private final String jcaName;
        private final String signaturePrefix;
        private final boolean creates;

        DigestAlgorithm(ASN1ObjectIdentifier oid, String jcaName, String signaturePrefix, boolean creates) {
            this.oid = oid;
            this.jcaName = jcaName;
            this.signaturePrefix = signaturePrefix;
            this.creates = creates;
        }

        public String oid() {
            return oid.getId();
        }

        /** Whether {@link SecureDicomFile#encrypt} uses it (SHA-1 is only read). */
        public boolean usableForCreation() {
            return creates;
        }

        static DigestAlgorithm of(ASN1ObjectIdentifier oid) {
            for (DigestAlgorithm d : values()) {
                if (d.oid.equals(oid)) {
                    return d;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return jcaName;
        }
    }

    /** The kind of RecipientInfo that opened a file. */
    public enum RecipientKind {
        /** KeyTransRecipientInfo: RSA. */
        KEY_TRANSPORT,
        /** PasswordRecipientInfo: RFC 3211. */
        PASSWORD
    }

    /** The content cipher unless one is chosen. */
    public static final ContentCipher DEFAULT_CIPHER = ContentCipher.AES_128_CBC;

    private static final Provider BC = new BouncyCastleProvider();
    /**
     * Bulk content encryption: the JDK's SunJCE where present (AES-NI: several times faster than Bouncy Castle's Java
     * AES), else Bouncy Castle. Key transport, the RFC 3211 key wrap and PBKDF2 stay with Bouncy Castle.
     */
    private static final Provider CONTENT = Security.getProvider("SunJCE") != null ? Security.getProvider("SunJCE")
            : BC;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DigestCalculatorProvider DIGESTS;
    private static final AlgorithmIdentifier OAEP_SHA256;

    static {
        try {
            // the default JCA providers: the JDK's SHA-2 uses the CPU's SHA instructions
            DIGESTS = new JcaDigestCalculatorProviderBuilder().build();
            OAEP_SHA256 = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                    PKCSObjectIdentifiers.id_RSAES_OAEP, new OAEPParameterSpec("SHA-256", "MGF1",
                            MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Preamble, "DICM" and the group number 0002 of the first File Meta element (PS3.10 §7.1). */
    private static final int HEADER_LENGTH = 134;
    private static final int PREAMBLE_LENGTH = 128;
    private static final int COPY_BUFFER = 64 * 1024;
    /** Length of the BER octet string chunks written. */
    private static final int CHUNK = 32 * 1024;
    private static final int SALT_LENGTH = 16;
    /** Bytes looked at to tell what the input is: a ContentInfo header, or a DICOM File's preamble and "DICM". */
    private static final int PEEK = 136;

    private static final Map<ASN1ObjectIdentifier, String> CONTENT_TYPE_NAMES = Map.of(
            CMSObjectIdentifiers.data, "data",
            CMSObjectIdentifiers.signedData, "SignedData",
            CMSObjectIdentifiers.envelopedData, "EnvelopedData",
            CMSObjectIdentifiers.digestedData, "DigestedData",
            CMSObjectIdentifiers.encryptedData, "EncryptedData",
            CMSObjectIdentifiers.authenticatedData, "AuthenticatedData",
            CMSObjectIdentifiers.authEnvelopedData, "AuthEnvelopedData",
            CMSObjectIdentifiers.compressedData, "CompressedData");

    private static final Map<ASN1ObjectIdentifier, String> PRF_NAMES = Map.of(
            PKCSObjectIdentifiers.id_hmacWithSHA1, "HMAC-SHA-1",
            PKCSObjectIdentifiers.id_hmacWithSHA224, "HMAC-SHA-224",
            PKCSObjectIdentifiers.id_hmacWithSHA256, "HMAC-SHA-256",
            PKCSObjectIdentifiers.id_hmacWithSHA384, "HMAC-SHA-384",
            PKCSObjectIdentifiers.id_hmacWithSHA512, "HMAC-SHA-512");

    private SecureDicomFile() {
    }

    // ------------------------------------------------------------------------------------------------ encryption

    /**
     * Reads a DICOM File from {@code in} and writes a Secure DICOM File (a CMS EnvelopedData ContentInfo) to
     * {@code out}. Everything is checked, and the first 134 bytes of {@code in} read, before anything is written.
     * Neither stream is closed.
     *
     * @return the number of bytes of the DICOM File that were encrypted
     * @throws SecureFileException {@link Reason#NOT_DICOM_FILE} if {@code in} does not start with a 128-byte preamble,
     *                             "DICM" and a group 0002 element; {@link Reason#INVALID_ARGUMENT} for no recipient,
     *                             Triple-DES, SHA-1, too few PBKDF2 iterations, a signer without SIGNED or the
     *                             reverse; {@link Reason#UNSUPPORTED_KEY} for an EC (or other non-RSA) recipient
     *                             certificate, a recipient certificate whose Key Usage lacks keyEncipherment, or a
     *                             signer key of neither RSA nor EC; {@link Reason#INVALID_PASSWORD} for a password
     *                             outside ISO-IR 6; {@link Reason#KEY_MISMATCH} for a signer key that is not its
     *                             certificate's; {@link Reason#INTERNAL} if encryption or signing fails
     * @throws IOException         if reading {@code in} or writing {@code out} fails
     */
    public static long encrypt(InputStream in, OutputStream out, SecureFileOptions options)
            throws SecureFileException, IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        ContentCipher cipher = options.cipher();
        if (!cipher.usableForEncryption()) {
            throw new SecureFileException(Reason.INVALID_ARGUMENT, cipher + " is accepted only when decrypting (PS3.15 "
                    + "D.1 readers must decrypt it); new Secure DICOM Files use AES-128-CBC, AES-192-CBC or "
                    + "AES-256-CBC");
        }
        List<RecipientInfoGenerator> recipients = recipientGenerators(options);
        InnerContent inner = options.innerContent();
        SignerInfoGenerator signer = null;
        if (inner == InnerContent.SIGNED) {
            signer = signerGenerator(options);
        } else if (options.signerCertificate() != null) {
            throw new SecureFileException(Reason.INVALID_ARGUMENT, "a signer is given but the inner content is "
                    + inner + "; a signer needs " + InnerContent.SIGNED);
        }
        if (inner != InnerContent.DATA && !options.digestAlgorithm().usableForCreation()) {
            throw new SecureFileException(Reason.INVALID_ARGUMENT, options.digestAlgorithm() + " is accepted only "
                    + "when decrypting; new files use SHA-256, SHA-384 or SHA-512");
        }
        OutputEncryptor encryptor;
        try {
            encryptor = new JceCMSContentEncryptorBuilder(cipher.asn1()).setProvider(CONTENT).setSecureRandom(RANDOM)
                    .build();
        } catch (CMSException e) {
            throw new SecureFileException(Reason.INTERNAL, "cannot set up " + cipher + " content encryption", e);
        }

        byte[] head = in.readNBytes(HEADER_LENGTH);
        checkDicomFile(head, "the input");

        CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
        generator.setBufferSize(CHUNK);
        for (RecipientInfoGenerator r : recipients) {
            generator.addRecipientInfoGenerator(r);
        }
        OutputStream sink = new NonClosingOutputStream(out);
        long length;
        try {
            // the RecipientInfos (RSA encryption, PBKDF2) are made before the first byte is written
            OutputStream envelope = generator.open(inner.oid, sink, encryptor);
            length = switch (inner) {
                case DATA -> {
                    envelope.write(head);
                    yield head.length + in.transferTo(envelope);
                }
                case DIGESTED -> writeDigestedData(head, in, envelope, options.digestAlgorithm());
                case SIGNED -> writeSignedData(head, in, envelope, signer, options);
            };
            envelope.close();
        } catch (CMSException e) {
            throw new SecureFileException(Reason.INTERNAL, "cannot build the CMS EnvelopedData (" + cipher + ", "
                    + options.recipients().size() + " RSA and " + options.passwordCount() + " password recipient(s), "
                    + inner + ")", e);
        }
        out.flush();
        return length;
    }

    /** DigestedData (RFC 5652 §7): version 0, the digest algorithm, the DICOM File as id-data, its digest. */
    private static long writeDigestedData(byte[] head, InputStream in, OutputStream envelope, DigestAlgorithm alg)
            throws IOException, SecureFileException {
        MessageDigest md = messageDigest(alg);
        BERSequenceGenerator digested = new BERSequenceGenerator(envelope);
        digested.addObject(new ASN1Integer(0));
        digested.addObject(new AlgorithmIdentifier(alg.oid)); // RFC 5754 §2: parameters absent
        BERSequenceGenerator encap = new BERSequenceGenerator(digested.getRawOutputStream());
        encap.addObject(CMSObjectIdentifiers.data);
        BEROctetStringGenerator octets = new BEROctetStringGenerator(encap.getRawOutputStream(), 0, true);
        long length;
        try (OutputStream content = new DigestOutputStream(octets.getOctetOutputStream(new byte[CHUNK]), md)) {
            content.write(head);
            length = head.length + in.transferTo(content);
        }
        encap.close();
        digested.addObject(new DEROctetString(md.digest()));
        digested.close();
        return length;
    }

    /**
     * SignedData (RFC 5652 §5.1): version 1 (id-data, a signer identified by issuer and serial number), the digest
     * algorithm, the DICOM File as id-data, the certificates, one SignerInfo with the default signed attributes
     * (content type, message digest, signing time, CMS algorithm protection).
     */
    private static long writeSignedData(byte[] head, InputStream in, OutputStream envelope, SignerInfoGenerator signer,
            SecureFileOptions options) throws IOException, CMSException, SecureFileException {
        BERSequenceGenerator signed = new BERSequenceGenerator(envelope);
        signed.addObject(new ASN1Integer(signer.getGeneratedVersion() == 3 ? 3 : 1));
        signed.addObject(new DERSet(signer.getDigestAlgorithm()));
        BERSequenceGenerator encap = new BERSequenceGenerator(signed.getRawOutputStream());
        encap.addObject(CMSObjectIdentifiers.data);
        BEROctetStringGenerator octets = new BEROctetStringGenerator(encap.getRawOutputStream(), 0, true);
        long length;
        OutputStream digest = signer.getCalculatingOutputStream();
        try (OutputStream content = new TeeOutputStream(octets.getOctetOutputStream(new byte[CHUNK]), digest)) {
            content.write(head);
            length = head.length + in.transferTo(content);
        }
        encap.close();
        List<ASN1Encodable> certs = new ArrayList<>();
        certs.add(certificateStructure(options.signerCertificate()));
        for (X509Certificate c : options.signerChain()) {
            certs.add(certificateStructure(c));
        }
        signed.addObject(new DERTaggedObject(false, 0, new DERSet(certs.toArray(new ASN1Encodable[0]))));
        signed.addObject(new DERSet(signer.generate(CMSObjectIdentifiers.data)));
        signed.close();
        return length;
    }

    private static Certificate certificateStructure(X509Certificate cert) throws SecureFileException {
        try {
            return Certificate.getInstance(cert.getEncoded());
        } catch (CertificateEncodingException | RuntimeException e) {
            throw new SecureFileException(Reason.INVALID_ARGUMENT, "certificate " + describe(cert)
                    + " cannot be encoded", e);
        }
    }

    private static List<RecipientInfoGenerator> recipientGenerators(SecureFileOptions options)
            throws SecureFileException {
        List<RecipientInfoGenerator> generators = new ArrayList<>();
        List<X509Certificate> certs = options.recipients();
        for (int i = 0; i < certs.size(); i++) {
            X509Certificate cert = certs.get(i);
            checkRecipientCertificate(cert, i);
            try {
                JceKeyTransRecipientInfoGenerator g = options.keyTransport() == KeyTransport.RSAES_OAEP
                        ? new JceKeyTransRecipientInfoGenerator(cert, OAEP_SHA256)
                        : new JceKeyTransRecipientInfoGenerator(cert);
                generators.add(g.setProvider(BC));
            } catch (CertificateEncodingException | RuntimeException e) {
                throw new SecureFileException(Reason.INVALID_ARGUMENT, "recipient certificate #" + i + " ("
                        + describe(cert) + ") cannot be encoded", e);
            }
        }
        List<char[]> passwords = options.passwords();
        if (!passwords.isEmpty() && options.pbkdf2Iterations() < SecureFileOptions.MIN_PBKDF2_ITERATIONS) {
            throw new SecureFileException(Reason.INVALID_ARGUMENT, options.pbkdf2Iterations() + " PBKDF2 iterations "
                    + "are too few; use at least " + SecureFileOptions.MIN_PBKDF2_ITERATIONS + " (RFC 8018 §4.2)");
        }
        for (char[] password : passwords) {
            checkPassword(password);
            byte[] salt = new byte[SALT_LENGTH];
            RANDOM.nextBytes(salt);
            // ISO-IR 6 characters are the same octets in UTF-8; Bouncy Castle's 8-bit conversion would ignore the
            // PRF (checked against OpenSSL 3), so the UTF-8 scheme is the one that derives the RFC 8018 key
            generators.add(new JcePasswordRecipientInfoGenerator(options.cipher().asn1(), password).setProvider(BC)
                    .setPasswordConversionScheme(PasswordRecipient.PKCS5_SCHEME2_UTF8)
                    .setPRF(PasswordRecipient.PRF.HMacSHA256)
                    .setSaltAndIterationCount(salt, options.pbkdf2Iterations())
                    .setSecureRandom(RANDOM));
        }
        if (generators.isEmpty()) {
            throw new SecureFileException(Reason.INVALID_ARGUMENT, "no recipient: give at least one RSA recipient "
                    + "certificate or a password (PS3.15 D.1)");
        }
        return generators;
    }

    /** PS3.15 D.1: RSA key transport or password-based key encryption; nothing else. */
    private static void checkRecipientCertificate(X509Certificate cert, int index) throws SecureFileException {
        PublicKey pk = cert.getPublicKey();
        if (!(pk instanceof RSAPublicKey) || !"RSA".equals(pk.getAlgorithm())) {
            throw new SecureFileException(Reason.UNSUPPORTED_KEY, "recipient certificate #" + index + " ("
                    + describe(cert) + ") has " + (pk instanceof ECPublicKey ? "an EC" : "a " + pk.getAlgorithm())
                    + " public key; PS3.15 D.1 allows only RSA key transport or password-based key encryption "
                    + "(PBKDF2 and a key wrap) of the content-encryption key, no key agreement");
        }
        String usage = CmsCertificates.keyEnciphermentProblem(cert, index);
        if (usage != null) {
            throw new SecureFileException(Reason.UNSUPPORTED_KEY, usage);
        }
    }

    private static SignerInfoGenerator signerGenerator(SecureFileOptions options) throws SecureFileException {
        PrivateKey key = options.signerKey();
        X509Certificate cert = options.signerCertificate();
        if (key == null || cert == null) {
            throw new SecureFileException(Reason.INVALID_ARGUMENT, "the inner content is SignedData but no signer key "
                    + "and certificate are given");
        }
        DigestAlgorithm digest = options.digestAlgorithm();
        String keyAlgorithm = key.getAlgorithm();
        String certAlgorithm = cert.getPublicKey().getAlgorithm();
        String signatureAlgorithm;
        if ("RSA".equals(keyAlgorithm)) {
            signatureAlgorithm = digest.signaturePrefix + "withRSA";
        } else if ("EC".equals(keyAlgorithm) || "ECDSA".equals(keyAlgorithm)) {
            signatureAlgorithm = digest.signaturePrefix + "withECDSA";
        } else {
            throw new SecureFileException(Reason.UNSUPPORTED_KEY, "the signer key is " + keyAlgorithm + "; an inner "
                    + "SignedData is signed with RSA (PS3.15 D.1) or ECDSA");
        }
        boolean sameFamily = "RSA".equals(keyAlgorithm) ? "RSA".equals(certAlgorithm)
                : "EC".equals(certAlgorithm) || "ECDSA".equals(certAlgorithm);
        if (!sameFamily) {
            throw new SecureFileException(Reason.KEY_MISMATCH, "the signer key is " + keyAlgorithm + " but certificate "
                    + describe(cert) + " holds a " + certAlgorithm + " public key");
        }
        boolean[] usage = cert.getKeyUsage();
        if (usage != null && !(usage.length > 0 && usage[0]) && !(usage.length > 1 && usage[1])) {
            throw new SecureFileException(Reason.UNSUPPORTED_KEY, "signer certificate " + describe(cert) + " has a Key "
                    + "Usage extension without digitalSignature or nonRepudiation (RFC 5280 §4.2.1.3)");
        }
        checkSignerKeyPair(key, cert, signatureAlgorithm);
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder(signatureAlgorithm).build(key);
            return new JcaSignerInfoGeneratorBuilder(DIGESTS).build(contentSigner, cert);
        } catch (OperatorCreationException | CertificateEncodingException | RuntimeException e) {
            throw new SecureFileException(Reason.INTERNAL, "cannot set up " + signatureAlgorithm + " signing with "
                    + "certificate " + describe(cert), e);
        }
    }

    /** Signs a random challenge and verifies it with the certificate: works for any key, also one in a token. */
    private static void checkSignerKeyPair(PrivateKey key, X509Certificate cert, String algorithm)
            throws SecureFileException {
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        boolean ok;
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(challenge);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(cert.getPublicKey());
            v.update(challenge);
            ok = v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SecureFileException(Reason.UNSUPPORTED_KEY, "cannot sign with the signer key (" + algorithm
                    + ") for certificate " + describe(cert), e);
        }
        if (!ok) {
            throw new SecureFileException(Reason.KEY_MISMATCH, "the signer key does not belong to certificate "
                    + describe(cert));
        }
    }

    /**
     * Checks a password against PS3.15 D.1: its octets are limited to the Default Character Repertoire (ISO-IR 6), so
     * only the graphic characters 20H-7EH (printable US-ASCII, space included) are allowed. The message never
     * names the characters.
     *
     * @throws SecureFileException {@link Reason#INVALID_PASSWORD} for an empty password or one with other characters
     */
    public static void checkPassword(char[] password) throws SecureFileException {
        Objects.requireNonNull(password, "password");
        if (password.length == 0) {
            throw new SecureFileException(Reason.INVALID_PASSWORD, "the password is empty");
        }
        int bad = 0;
        for (char c : password) {
            if (c < 0x20 || c > 0x7E) {
                bad++;
            }
        }
        if (bad > 0) {
            throw new SecureFileException(Reason.INVALID_PASSWORD, "the password has " + bad + " character(s) outside "
                    + "ISO-IR 6: PS3.15 D.1 limits passwords to the Default Character Repertoire, i.e. printable "
                    + "US-ASCII (20H-7EH); accented letters, other scripts and control characters cannot be used");
        }
    }

    // ------------------------------------------------------------------------------------------------ decryption

    /**
     * Decrypts with a private key and its certificate; see
     * {@link #decrypt(InputStream, OutputStream, SecureFileDecryptOptions)}.
     */
    public static DecryptedFile decrypt(InputStream in, OutputStream out, PrivateKey key, X509Certificate certificate)
            throws SecureFileException, IOException {
        return decrypt(in, out, SecureFileDecryptOptions.builder().recipient(key, certificate).build());
    }

    /** Decrypts with a password; see {@link #decrypt(InputStream, OutputStream, SecureFileDecryptOptions)}. */
    public static DecryptedFile decrypt(InputStream in, OutputStream out, char[] password)
            throws SecureFileException, IOException {
        return decrypt(in, out, SecureFileDecryptOptions.builder().password(password).build());
    }

    /**
     * Reads a Secure DICOM File from {@code in} and writes the DICOM File it holds to {@code out}. The key transport
     * RecipientInfo of the options' certificate is tried first, then the password RecipientInfos. Neither stream is
     * closed.
     *
     * <p>Nothing is written until the first 134 bytes of the DICOM File were decrypted and look like a DICOM File; with
     * an inner SignedData or DigestedData, and for the CBC padding, the verdict comes at the end: on an exception,
     * discard whatever was written (see the class documentation).
     *
     * @throws SecureFileException {@link Reason#NOT_CMS}, {@link Reason#NOT_ENVELOPED_DATA},
     *                             {@link Reason#UNSUPPORTED_ALGORITHM}, {@link Reason#UNSUPPORTED_CONTENT_TYPE},
     *                             {@link Reason#NO_MATCHING_RECIPIENT}, {@link Reason#KEY_MISMATCH},
     *                             {@link Reason#WRONG_PASSWORD}, {@link Reason#INVALID_PASSWORD},
     *                             {@link Reason#TAMPERED}, {@link Reason#UNTRUSTED_SIGNER},
     *                             {@link Reason#NOT_DICOM_FILE}, {@link Reason#INVALID_ARGUMENT} (neither key nor
     *                             password)
     * @throws IOException         if reading {@code in} or writing {@code out} fails
     */
    public static DecryptedFile decrypt(InputStream in, OutputStream out, SecureFileDecryptOptions options)
            throws SecureFileException, IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        if (options.privateKey() == null && options.password() == null) {
            throw new SecureFileException(Reason.INVALID_ARGUMENT, "give a private key and its certificate, or a "
                    + "password, to decrypt a Secure DICOM File");
        }
        if (options.password() != null) {
            checkPassword(options.password());
        }
        TrackingInputStream source = new TrackingInputStream(in);
        TrackingOutputStream sink = new TrackingOutputStream(out);
        BufferedInputStream buffered = new BufferedInputStream(source, COPY_BUFFER);
        checkEnvelopedDataHeader(buffered);

        CMSEnvelopedDataParser parser;
        try {
            // an ASN1InputStream with the largest limit: otherwise Bouncy Castle caps definite lengths at the heap size
            parser = new CMSEnvelopedDataParser(new ASN1InputStream(buffered, Integer.MAX_VALUE));
        } catch (CMSException | IOException | RuntimeException e) {
            source.rethrowFailure();
            throw new SecureFileException(Reason.NOT_ENVELOPED_DATA, "the input is not a well-formed CMS "
                    + "EnvelopedData (RFC 5652 §6.1): its header or RecipientInfos cannot be parsed", e);
        }
        try {
            ContentCipher cipher = ContentCipher.of(parser.getContentEncryptionAlgorithm().getAlgorithm());
            if (cipher == null) {
                throw new SecureFileException(Reason.UNSUPPORTED_ALGORITHM, "content-encryption algorithm "
                        + parser.getEncryptionAlgOID() + " is not supported: PS3.15 D.1 uses AES-CBC (RFC 3565) or "
                        + "Triple-DES-CBC (RFC 3370), and this implementation decrypts AES-128/192/256-CBC and "
                        + "Triple-DES-CBC");
            }
            Collection<RecipientInformation> infos = parser.getRecipientInfos().getRecipients();
            if (infos.isEmpty()) {
                throw new SecureFileException(Reason.NO_MATCHING_RECIPIENT, "the EnvelopedData has no RecipientInfo");
            }
            ASN1ObjectIdentifier contentType = infos.iterator().next().getContentType();
            InnerContent inner = InnerContent.of(contentType);
            if (inner == null) {
                throw new SecureFileException(Reason.UNSUPPORTED_CONTENT_TYPE, "the EnvelopedData encrypts content of "
                        + "type " + contentName(contentType) + "; PS3.15 D.1 allows SignedData or DigestedData, and "
                        + "this implementation also reads data (the DICOM File itself)");
            }
            if (!options.allowedInnerContent().contains(inner)) {
                throw new SecureFileException(Reason.UNSUPPORTED_CONTENT_TYPE, "the EnvelopedData encrypts " + inner
                        + ", but only " + options.allowedInnerContent() + " is accepted");
            }
            Opened opened = open(infos, options);
            InputStream plain = opened.content.getContentStream();
            // the inner parsers close what they read; the rest must still be drained for the CBC padding check
            InputStream shielded = new NonClosingInputStream(plain);
            DecryptedFile result;
            switch (inner) {
                case DATA -> {
                    long length = copyDicomFile(shielded, sink, "the decrypted content");
                    result = new DecryptedFile(cipher, inner, opened.kind, opened.keyEncryption, null, List.of(),
                            false, length);
                }
                case DIGESTED -> {
                    Digested d = readDigestedData(shielded, sink);
                    result = new DecryptedFile(cipher, inner, opened.kind, opened.keyEncryption, d.algorithm,
                            List.of(), false, d.length);
                }
                case SIGNED -> {
                    Signed s = readSignedData(shielded, sink, options);
                    result = new DecryptedFile(cipher, inner, opened.kind, opened.keyEncryption, s.algorithm,
                            s.signers, s.trusted, s.length);
                }
                default -> throw new IllegalStateException(inner.name());
            }
            // read to the end of the encrypted content: only then is the CBC padding checked
            plain.transferTo(OutputStream.nullOutputStream());
            sink.flush();
            return result;
        } catch (IOException e) {
            source.rethrowFailure();
            sink.rethrowFailure();
            if (e instanceof InvalidCipherTextIOException) {
                throw new SecureFileException(Reason.TAMPERED, "the CBC padding of the encrypted content is wrong: "
                        + "the ciphertext was changed or truncated", e);
            }
            throw new SecureFileException(Reason.TAMPERED, "the Secure DICOM File is truncated or malformed: the "
                    + "encrypted content or the structure around it cannot be read", e);
        } catch (RuntimeException e) {
            source.rethrowFailure();
            sink.rethrowFailure();
            throw new SecureFileException(Reason.TAMPERED, "the Secure DICOM File is malformed", e);
        }
    }

    private record Opened(CMSTypedStream content, RecipientKind kind, String keyEncryption) {
    }

    private static Opened open(Collection<RecipientInformation> infos, SecureFileDecryptOptions options)
            throws SecureFileException, IOException {
        SecureFileException keyFailure = null;
        SecureFileException passwordFailure = null;
        if (options.privateKey() != null) {
            try {
                return openKeyTransport(infos, options.privateKey(), options.certificate());
            } catch (SecureFileException e) {
                keyFailure = e;
            }
        }
        if (options.password() != null) {
            try {
                return openPassword(infos, options.password(), options.maxPbkdf2Iterations());
            } catch (SecureFileException e) {
                passwordFailure = e;
            }
        }
        if (keyFailure == null) {
            throw passwordFailure;
        }
        if (passwordFailure == null || passwordFailure.reason() == Reason.NO_MATCHING_RECIPIENT) {
            if (keyFailure.reason() == Reason.NO_MATCHING_RECIPIENT && passwordFailure != null) {
                throw new SecureFileException(Reason.NO_MATCHING_RECIPIENT, keyFailure.getMessage() + "; and "
                        + passwordFailure.getMessage());
            }
            throw keyFailure;
        }
        if (keyFailure.reason() == Reason.NO_MATCHING_RECIPIENT) {
            throw passwordFailure;
        }
        keyFailure.addSuppressed(passwordFailure);
        throw keyFailure;
    }

    private static Opened openKeyTransport(Collection<RecipientInformation> infos, PrivateKey key,
            X509Certificate cert) throws SecureFileException, IOException {
        X500Name issuer = X500Name.getInstance(cert.getIssuerX500Principal().getEncoded());
        BigInteger serial = cert.getSerialNumber();
        byte[] ski = subjectKeyIdentifier(cert);
        KeyTransRecipientInformation match = null;
        for (RecipientInformation info : infos) {
            if (info instanceof KeyTransRecipientInformation keyTrans
                    && info.getRID() instanceof KeyTransRecipientId id) {
                boolean byIssuer = id.getIssuer() != null && id.getSerialNumber() != null
                        && issuer.equals(id.getIssuer()) && serial.equals(id.getSerialNumber());
                boolean byKeyId = ski != null && id.getSubjectKeyIdentifier() != null
                        && Arrays.equals(ski, id.getSubjectKeyIdentifier());
                if (byIssuer || byKeyId) {
                    match = keyTrans;
                    break;
                }
            }
        }
        if (match == null) {
            throw new SecureFileException(Reason.NO_MATCHING_RECIPIENT, "no RecipientInfo of the EnvelopedData matches "
                    + "certificate " + describe(cert) + (ski != null ? " or its subject key identifier "
                            + HexFormat.of().formatHex(ski) : "") + "; it has " + infos.size() + " RecipientInfo(s): "
                    + describeRecipients(infos));
        }
        ASN1ObjectIdentifier keyAlgorithm = match.getKeyEncryptionAlgorithm().getAlgorithm();
        String keyTransport;
        if (PKCSObjectIdentifiers.rsaEncryption.equals(keyAlgorithm)) {
            keyTransport = KeyTransport.RSAES_PKCS1_V1_5.toString();
        } else if (PKCSObjectIdentifiers.id_RSAES_OAEP.equals(keyAlgorithm)) {
            keyTransport = KeyTransport.RSAES_OAEP.toString();
        } else {
            throw new SecureFileException(Reason.UNSUPPORTED_ALGORITHM, "the RecipientInfo of " + describe(cert)
                    + " uses key transport algorithm " + keyAlgorithm + "; PS3.15 D.1 requires RSA (RFC 3447)");
        }
        checkRecipientKey(key, cert);
        try {
            JceKeyTransEnvelopedRecipient recipient = new JceKeyTransEnvelopedRecipient(key);
            recipient.setProvider(BC);
            recipient.setContentProvider(CONTENT);
            recipient.setKeySizeValidation(true);
            return new Opened(match.getContentStream(recipient), RecipientKind.KEY_TRANSPORT, keyTransport);
        } catch (CMSException | RuntimeException e) {
            throw new SecureFileException(Reason.KEY_MISMATCH, "the private key cannot recover the content-encryption "
                    + "key from the " + keyTransport + " RecipientInfo of " + describe(cert) + ": the key is not the "
                    + "one the file was encrypted for, or the encrypted key is damaged", e);
        }
    }

    private static void checkRecipientKey(PrivateKey key, X509Certificate cert) throws SecureFileException {
        if (!"RSA".equals(key.getAlgorithm())) {
            throw new SecureFileException(Reason.UNSUPPORTED_KEY, "the private key is " + key.getAlgorithm()
                    + "; PS3.15 D.1 uses RSA key transport, so only an RSA key can decrypt");
        }
        if (!(cert.getPublicKey() instanceof RSAPublicKey rsaPublic)) {
            throw new SecureFileException(Reason.UNSUPPORTED_KEY, "certificate " + describe(cert) + " has a "
                    + cert.getPublicKey().getAlgorithm() + " public key; PS3.15 D.1 uses RSA key transport");
        }
        // a key in a token may not reveal its modulus; then a wrong key shows up when unwrapping
        if (key instanceof RSAKey rsaKey && rsaKey.getModulus() != null
                && !rsaKey.getModulus().equals(rsaPublic.getModulus())) {
            throw new SecureFileException(Reason.KEY_MISMATCH, "the private key does not belong to certificate "
                    + describe(cert));
        }
    }

    private static Opened openPassword(Collection<RecipientInformation> infos, char[] password, int maxIterations)
            throws SecureFileException, IOException {
        List<PasswordRecipientInformation> candidates = new ArrayList<>();
        for (RecipientInformation info : infos) {
            if (info instanceof PasswordRecipientInformation pwri) {
                candidates.add(pwri);
            }
        }
        if (candidates.isEmpty()) {
            throw new SecureFileException(Reason.NO_MATCHING_RECIPIENT, "the EnvelopedData has no password "
                    + "RecipientInfo (RFC 3211) for a password; its " + infos.size() + " RecipientInfo(s): "
                    + describeRecipients(infos));
        }
        CMSException last = null;
        for (PasswordRecipientInformation pwri : candidates) {
            String keyEncryption = checkPasswordRecipient(pwri, maxIterations);
            try {
                JcePasswordEnvelopedRecipient recipient = new JcePasswordEnvelopedRecipient(password);
                recipient.setProvider(BC);
                recipient.setPasswordConversionScheme(PasswordRecipient.PKCS5_SCHEME2_UTF8); // see recipientGenerators
                return new Opened(pwri.getContentStream(recipient), RecipientKind.PASSWORD, keyEncryption);
            } catch (CMSException e) {
                last = e;
            }
        }
        throw new SecureFileException(Reason.WRONG_PASSWORD, "the password does not unwrap the content-encryption key "
                + "of the " + candidates.size() + " password RecipientInfo(s): wrong password (RFC 3211 key check "
                + "failed)", last);
    }

    /** PBKDF2 (RFC 2898, PS3.15 D.1) and the RFC 3211 key wrap with AES or Triple-DES; returns a description. */
    private static String checkPasswordRecipient(PasswordRecipientInformation pwri, int maxIterations)
            throws SecureFileException {
        AlgorithmIdentifier kdf = pwri.getKeyDerivationAlgorithm();
        if (kdf == null || !PKCSObjectIdentifiers.id_PBKDF2.equals(kdf.getAlgorithm())) {
            throw new SecureFileException(Reason.UNSUPPORTED_ALGORITHM, "the password RecipientInfo uses key "
                    + "derivation " + (kdf == null ? "(none)" : kdf.getAlgorithm().getId())
                    + "; PS3.15 D.1 requires PBKDF2 " + PKCSObjectIdentifiers.id_PBKDF2);
        }
        PBKDF2Params params;
        try {
            params = PBKDF2Params.getInstance(kdf.getParameters());
        } catch (RuntimeException e) {
            throw new SecureFileException(Reason.TAMPERED, "the PBKDF2 parameters of the password RecipientInfo are "
                    + "malformed", e);
        }
        BigInteger iterations = params.getIterationCount();
        if (iterations.signum() <= 0 || iterations.compareTo(BigInteger.valueOf(maxIterations)) > 0) {
            throw new SecureFileException(Reason.UNSUPPORTED_ALGORITHM, "the password RecipientInfo asks for "
                    + iterations + " PBKDF2 iterations; at most " + maxIterations + " are accepted");
        }
        String prf = PRF_NAMES.get(params.getPrf().getAlgorithm());
        if (prf == null) {
            throw new SecureFileException(Reason.UNSUPPORTED_ALGORITHM, "the password RecipientInfo uses PBKDF2 PRF "
                    + params.getPrf().getAlgorithm() + "; supported are HMAC-SHA-1/224/256/384/512");
        }
        AlgorithmIdentifier kek = pwri.getKeyEncryptionAlgorithm();
        ContentCipher wrap = null;
        if (PKCSObjectIdentifiers.id_alg_PWRI_KEK.equals(kek.getAlgorithm()) && kek.getParameters() != null) {
            try {
                wrap = ContentCipher.of(AlgorithmIdentifier.getInstance(kek.getParameters()).getAlgorithm());
            } catch (RuntimeException e) {
                wrap = null;
            }
        }
        if (wrap == null) {
            throw new SecureFileException(Reason.UNSUPPORTED_ALGORITHM, "the password RecipientInfo uses key "
                    + "encryption " + kek.getAlgorithm() + "; PS3.15 D.1 requires the RFC 3211 key wrap "
                    + PKCSObjectIdentifiers.id_alg_PWRI_KEK + " with AES-CBC or Triple-DES-CBC");
        }
        return "PWRI-KEK " + wrap + ", PBKDF2 " + prf;
    }

    // ------------------------------------------------------------------------------------------------ inner content

    private record Digested(DigestAlgorithm algorithm, long length) {
    }

    private static Digested readDigestedData(InputStream plain, OutputStream sink)
            throws IOException, SecureFileException {
        InputStream contentInfo = asContentInfo(plain, CMSObjectIdentifiers.digestedData);
        ASN1StreamParser parser = new ASN1StreamParser(contentInfo, Integer.MAX_VALUE);
        ASN1SequenceParser digested;
        DigestAlgorithm algorithm;
        ASN1OctetStringParser octets;
        try {
            ContentInfoParser info = new ContentInfoParser((ASN1SequenceParser) parser.readObject());
            digested = (ASN1SequenceParser) info.getContent(BERTags.SEQUENCE);
            ASN1Integer.getInstance(digested.readObject()); // version: 0 for id-data, 2 otherwise (RFC 5652 §7)
            AlgorithmIdentifier alg = AlgorithmIdentifier.getInstance(digested.readObject().toASN1Primitive());
            algorithm = DigestAlgorithm.of(alg.getAlgorithm());
            if (algorithm == null) {
                throw new SecureFileException(Reason.UNSUPPORTED_ALGORITHM, "the inner DigestedData uses digest "
                        + "algorithm " + alg.getAlgorithm() + "; PS3.15 D.1 allows SHA-1, SHA-256, SHA-384 or SHA-512");
            }
            ContentInfoParser encap = new ContentInfoParser((ASN1SequenceParser) digested.readObject());
            if (!CMSObjectIdentifiers.data.equals(encap.getContentType())) {
                throw new SecureFileException(Reason.UNSUPPORTED_CONTENT_TYPE, "the inner DigestedData encapsulates "
                        + contentName(encap.getContentType()) + ", not data (a DICOM File)");
            }
            octets = (ASN1OctetStringParser) encap.getContent(BERTags.OCTET_STRING);
            if (octets == null) {
                throw new SecureFileException(Reason.TAMPERED, "the inner DigestedData has no encapsulated content");
            }
        } catch (ClassCastException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new SecureFileException(Reason.TAMPERED, "the inner DigestedData is malformed (RFC 5652 §7)", e);
        }
        MessageDigest md = messageDigest(algorithm);
        long length = copyDicomFile(new DigestInputStream(octets.getOctetStream(), md), sink,
                "the DigestedData's content");
        byte[] expected;
        try {
            expected = ASN1OctetString.getInstance(digested.readObject().toASN1Primitive()).getOctets();
        } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
            throw new SecureFileException(Reason.TAMPERED, "the inner DigestedData has no well-formed digest", e);
        }
        if (!MessageDigest.isEqual(expected, md.digest())) {
            throw new SecureFileException(Reason.TAMPERED, "the " + algorithm + " digest of the DICOM File does not "
                    + "match the one in the DigestedData: the content was changed");
        }
        return new Digested(algorithm, length);
    }

    private record Signed(DigestAlgorithm algorithm, List<X509Certificate> signers, boolean trusted, long length) {
    }

    private static Signed readSignedData(InputStream plain, OutputStream sink, SecureFileDecryptOptions options)
            throws IOException, SecureFileException {
        InputStream contentInfo = asContentInfo(plain, CMSObjectIdentifiers.signedData);
        CMSSignedDataParser parser;
        try {
            parser = new CMSSignedDataParser(DIGESTS, new ASN1InputStream(contentInfo, Integer.MAX_VALUE));
        } catch (CMSException | RuntimeException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new SecureFileException(Reason.TAMPERED, "the inner SignedData is malformed (RFC 5652 §5)", e);
        }
        ASN1ObjectIdentifier eContentType = new ASN1ObjectIdentifier(parser.getSignedContentTypeOID());
        if (!CMSObjectIdentifiers.data.equals(eContentType)) {
            throw new SecureFileException(Reason.UNSUPPORTED_CONTENT_TYPE, "the inner SignedData encapsulates "
                    + contentName(eContentType) + ", not data (a DICOM File)");
        }
        DigestAlgorithm first = null;
        for (AlgorithmIdentifier alg : parser.getDigestAlgorithmIDs()) {
            DigestAlgorithm d = DigestAlgorithm.of(alg.getAlgorithm());
            if (d == null) {
                throw new SecureFileException(Reason.UNSUPPORTED_ALGORITHM, "the inner SignedData uses digest "
                        + "algorithm " + alg.getAlgorithm() + "; PS3.15 D.1 allows SHA-1, SHA-256, SHA-384 or SHA-512");
            }
        }
        CMSTypedStream content = parser.getSignedContent();
        if (content == null) {
            throw new SecureFileException(Reason.TAMPERED, "the inner SignedData has no encapsulated content (a "
                    + "detached signature): there is no DICOM File in it");
        }
        long length = copyDicomFile(content.getContentStream(), sink, "the SignedData's content");

        List<X509Certificate> signers = new ArrayList<>();
        Collection<X509Certificate> bag = new ArrayList<>();
        Collection<X509CRL> crls = new ArrayList<>();
        try {
            Store<X509CertificateHolder> certs = parser.getCertificates();
            for (X509CertificateHolder h : certs.getMatches(null)) {
                bag.add(toX509(h));
            }
            Store<X509CRLHolder> crlStore = parser.getCRLs();
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (X509CRLHolder h : crlStore.getMatches(null)) {
                crls.add((X509CRL) factory.generateCRL(new ByteArrayInputStream(h.getEncoded())));
            }
            Collection<SignerInformation> infos = parser.getSignerInfos().getSigners();
            if (infos.isEmpty()) {
                throw new SecureFileException(Reason.TAMPERED, "the inner SignedData has no SignerInfo: nothing "
                        + "vouches for the DICOM File");
            }
            for (SignerInformation signer : infos) {
                DigestAlgorithm d = DigestAlgorithm.of(signer.getDigestAlgorithmID().getAlgorithm());
                if (d == null) {
                    throw new SecureFileException(Reason.UNSUPPORTED_ALGORITHM, "a SignerInfo uses digest algorithm "
                            + signer.getDigestAlgOID() + "; PS3.15 D.1 allows SHA-1, SHA-256, SHA-384 or SHA-512");
                }
                if (first == null) {
                    first = d;
                }
                signers.add(verifySigner(signer, certs));
            }
        } catch (CMSException | GeneralSecurityException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new SecureFileException(Reason.TAMPERED, "the certificates or SignerInfos of the inner SignedData "
                    + "are malformed", e);
        }
        boolean trusted = validateSigners(signers, bag, crls, options);
        return new Signed(first, signers, trusted, length);
    }

    private static X509Certificate verifySigner(SignerInformation signer, Store<X509CertificateHolder> certs)
            throws SecureFileException, CMSException, CertificateException {
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = certs.getMatches(signer.getSID());
        String who = describeSignerInfo(signer);
        if (matches.isEmpty()) {
            throw new SecureFileException(Reason.UNTRUSTED_SIGNER, "the inner SignedData does not carry the "
                    + "certificate of its signer " + who);
        }
        X509CertificateHolder holder = matches.iterator().next();
        boolean ok;
        try {
            ok = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(holder));
        } catch (CMSSignerDigestMismatchException e) {
            throw new SecureFileException(Reason.TAMPERED, "the message digest of the signed DICOM File does not match "
                    + "the one signed by " + who + ": the content was changed", e);
        } catch (CMSVerifierCertificateNotValidException e) {
            throw new SecureFileException(Reason.UNTRUSTED_SIGNER, "the certificate of signer " + who + " was not "
                    + "valid at the signing time", e);
        } catch (OperatorCreationException e) {
            throw new SecureFileException(Reason.UNSUPPORTED_ALGORITHM, "the signature algorithm of signer " + who
                    + " (" + signer.getEncryptionAlgOID() + ") is not supported", e);
        } catch (CMSException | RuntimeException e) {
            throw new SecureFileException(Reason.TAMPERED, "the signature of " + who + " cannot be verified: the "
                    + "SignerInfo is malformed", e);
        }
        if (!ok) {
            throw new SecureFileException(Reason.TAMPERED, "the signature of " + who + " does not verify: the signed "
                    + "DICOM File or its signed attributes were changed");
        }
        X509Certificate cert = toX509(holder);
        boolean[] usage = cert.getKeyUsage();
        if (usage != null && !(usage.length > 0 && usage[0]) && !(usage.length > 1 && usage[1])) {
            throw new SecureFileException(Reason.UNTRUSTED_SIGNER, "signer certificate " + describeSigner(cert)
                    + " has a Key Usage extension without digitalSignature or nonRepudiation (RFC 5280 §4.2.1.3)");
        }
        return cert;
    }

    /** PKIX up to a trust anchor for every signer; false without trust anchors. */
    private static boolean validateSigners(List<X509Certificate> signers, Collection<X509Certificate> bag,
            Collection<X509CRL> crls, SecureFileDecryptOptions options) throws SecureFileException {
        List<X509Certificate> anchorCerts = options.trustAnchors();
        if (anchorCerts.isEmpty()) {
            return false;
        }
        for (X509Certificate signer : signers) {
            try {
                if (anchorCerts.contains(signer)) {
                    signer.checkValidity(); // trusted directly
                    continue;
                }
                List<Object> pool = new ArrayList<>(bag);
                pool.addAll(crls);
                PkixPaths.build(signer, anchorCerts, pool, null, options.revocationEnabled());
            } catch (CertPathBuilderException | CertificateException e) {
                throw new SecureFileException(Reason.UNTRUSTED_SIGNER, "signer certificate " + describeSigner(signer)
                        + " is not trusted: " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new SecureFileException(Reason.INTERNAL, "cannot validate signer certificate "
                        + describeSigner(signer), e);
            }
        }
        return true;
    }

    /**
     * The inner SignedData or DigestedData as a ContentInfo stream for Bouncy Castle's parsers: a bare value (RFC 5652
     * §6.1, what {@link #encrypt} writes) is wrapped in an indefinite-length ContentInfo of {@code type}; one already
     * wrapped must be of that type.
     */
    private static InputStream asContentInfo(InputStream plain, ASN1ObjectIdentifier type)
            throws IOException, SecureFileException {
        BufferedInputStream in = new BufferedInputStream(plain, COPY_BUFFER);
        Head head = peek(in);
        String what = CONTENT_TYPE_NAMES.get(type);
        if (head == null || head.tag != 0x30) {
            throw new SecureFileException(Reason.TAMPERED, "the decrypted content is not a DER/BER " + what + ": the "
                    + "ciphertext was changed or the file was made with another key");
        }
        if (head.innerTag == 0x06) {
            if (!type.equals(head.contentType)) {
                throw new SecureFileException(Reason.UNSUPPORTED_CONTENT_TYPE, "the EnvelopedData says it encrypts "
                        + what + " but holds a ContentInfo of type " + contentName(head.contentType));
            }
            return in;
        }
        if (head.innerTag != 0x02) {
            throw new SecureFileException(Reason.TAMPERED, "the decrypted content is not a DER/BER " + what
                    + " (no version number where it should start)");
        }
        byte[] oid = type.getEncoded();
        byte[] prefix = new byte[oid.length + 4];
        prefix[0] = 0x30;
        prefix[1] = (byte) 0x80;
        System.arraycopy(oid, 0, prefix, 2, oid.length);
        prefix[oid.length + 2] = (byte) 0xA0;
        prefix[oid.length + 3] = (byte) 0x80;
        return new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(prefix), in,
                new ByteArrayInputStream(new byte[4]))));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * The first bytes of a BER value: its tag, the tag of its first component and, if that is an OID (a ContentInfo),
     * the OID; {@code dicm} tells whether the bytes look like a DICOM File instead.
     */
    private record Head(int tag, int innerTag, ASN1ObjectIdentifier contentType, boolean dicm) {
    }

    private static Head peek(BufferedInputStream in) throws IOException {
        in.mark(PEEK);
        byte[] b = in.readNBytes(PEEK);
        in.reset();
        if (b.length < 2) {
            return null;
        }
        boolean dicm = b.length >= PREAMBLE_LENGTH + 4 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C'
                && b[131] == 'M';
        int tag = b[0] & 0xFF;
        int p = 1;
        int first = b[p++] & 0xFF;
        if (first > 0x84) {
            return new Head(tag, -1, null, dicm);
        }
        if (first > 0x80) {
            p += first & 0x7F;
        }
        if (p + 1 >= b.length) {
            return new Head(tag, -1, null, dicm);
        }
        int innerTag = b[p] & 0xFF;
        ASN1ObjectIdentifier oid = null;
        int len = b[p + 1] & 0xFF;
        if (innerTag == 0x06 && len < 0x80 && p + 2 + len <= b.length) {
            try {
                oid = ASN1ObjectIdentifier.getInstance(Arrays.copyOfRange(b, p, p + 2 + len));
            } catch (RuntimeException e) {
                oid = null;
            }
        }
        return new Head(tag, innerTag, oid, dicm);
    }

    private static void checkEnvelopedDataHeader(BufferedInputStream in) throws IOException, SecureFileException {
        Head head = peek(in);
        if (head == null) {
            throw new SecureFileException(Reason.NOT_CMS, "the input is empty or too short to be a CMS ContentInfo");
        }
        if (head.dicm) {
            throw new SecureFileException(Reason.NOT_CMS, "the input is a plain DICOM File (\"DICM\" at offset 128), "
                    + "not a Secure DICOM File (a CMS EnvelopedData, PS3.10 §7.4)");
        }
        if (head.tag != 0x30 || head.innerTag != 0x06 || head.contentType == null) {
            throw new SecureFileException(Reason.NOT_CMS, "the input is not a CMS ContentInfo (RFC 5652 §3: a DER/BER "
                    + "SEQUENCE starting with a content type OID), so not a Secure DICOM File (PS3.10 §7.4)");
        }
        if (!CMSObjectIdentifiers.envelopedData.equals(head.contentType)) {
            throw new SecureFileException(Reason.NOT_ENVELOPED_DATA, "the input is a CMS ContentInfo of type "
                    + contentName(head.contentType) + ", not EnvelopedData " + CMSObjectIdentifiers.envelopedData
                    + " (PS3.15 D.1.1)");
        }
    }

    /**
     * Copies a DICOM File: the first 134 bytes are checked (preamble, "DICM", a group 0002 element) before any byte
     * is written.
     */
    private static long copyDicomFile(InputStream content, OutputStream sink, String what)
            throws IOException, SecureFileException {
        byte[] head = content.readNBytes(HEADER_LENGTH);
        try {
            checkDicomFile(head, what);
        } catch (SecureFileException e) {
            throw new SecureFileException(e.reason(), e.getMessage() + "; the file was not made from a DICOM File, "
                    + "or the ciphertext was changed");
        }
        sink.write(head);
        return head.length + content.transferTo(sink);
    }

    private static void checkDicomFile(byte[] head, String what) throws SecureFileException {
        if (head.length < HEADER_LENGTH) {
            throw new SecureFileException(Reason.NOT_DICOM_FILE, what + " is not a DICOM File (PS3.10 §7.1): it is "
                    + "only " + head.length + " bytes long, shorter than the 128-byte preamble, \"DICM\" and File Meta "
                    + "Information");
        }
        if (head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M') {
            throw new SecureFileException(Reason.NOT_DICOM_FILE, what + " is not a DICOM File (PS3.10 §7.1): bytes "
                    + "128-131 after the preamble are not \"DICM\"");
        }
        if (head[132] != 0x02 || head[133] != 0x00) {
            throw new SecureFileException(Reason.NOT_DICOM_FILE, what + " is not a DICOM File (PS3.10 §7.1): \"DICM\" "
                    + "is not followed by a File Meta Information element (group 0002)");
        }
    }

    private static MessageDigest messageDigest(DigestAlgorithm alg) throws SecureFileException {
        try {
            return MessageDigest.getInstance(alg.jcaName);
        } catch (GeneralSecurityException e) {
            throw new SecureFileException(Reason.INTERNAL, alg + " is not available", e);
        }
    }

    private static X509Certificate toX509(X509CertificateHolder holder) throws CertificateException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        } catch (IOException e) {
            throw new CertificateException("cannot encode certificate", e);
        }
    }

    private static String contentName(ASN1ObjectIdentifier oid) {
        if (oid == null) {
            return "(unreadable)";
        }
        String name = CONTENT_TYPE_NAMES.get(oid);
        return name == null ? oid.getId() : name + " " + oid.getId();
    }

    private static String describeRecipients(Collection<RecipientInformation> infos) {
        List<String> seen = new ArrayList<>();
        for (RecipientInformation info : infos) {
            RecipientId rid = info.getRID();
            if (rid instanceof KeyTransRecipientId id) {
                seen.add(id.getIssuer() != null ? "key transport to issuer '" + id.getIssuer() + "' serial "
                        + id.getSerialNumber().toString(16)
                        : "key transport to subject key identifier "
                                + HexFormat.of().formatHex(id.getSubjectKeyIdentifier()));
            } else {
                seen.add(switch (rid.getType()) {
                    case RecipientId.keyAgree -> "key agreement";
                    case RecipientId.kek -> "KEK";
                    case RecipientId.password -> "password";
                    default -> "type " + rid.getType();
                });
            }
        }
        return seen.toString();
    }

    private static String describeSigner(X509Certificate cert) {
        return "'" + cert.getSubjectX500Principal().getName() + "' (" + describe(cert) + ")";
    }

    private static String describeSignerInfo(SignerInformation signer) {
        if (signer.getSID().getIssuer() != null) {
            return "issuer '" + signer.getSID().getIssuer() + "' serial "
                    + signer.getSID().getSerialNumber().toString(16);
        }
        byte[] ski = signer.getSID().getSubjectKeyIdentifier();
        return "subject key identifier " + (ski == null ? "(none)" : HexFormat.of().formatHex(ski));
    }

    /** Remembers an I/O failure of the caller's output; never closes it. */
    private static final class TrackingOutputStream extends OutputStream {

        private final OutputStream out;
        private IOException failure;

        TrackingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        void rethrowFailure() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Keeps Bouncy Castle's parsers from closing the decrypted stream before it was read to its end. */
    private static final class NonClosingInputStream extends FilterInputStream {

        NonClosingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the decrypted stream is drained and left to the garbage collector
        }
    }

    /** Keeps Bouncy Castle's generators from closing the caller's stream. */
    private static final class NonClosingOutputStream extends OutputStream {

        private final OutputStream out;

        NonClosingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
