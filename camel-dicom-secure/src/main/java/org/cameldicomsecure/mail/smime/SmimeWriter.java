package org.cameldicomsecure.mail.smime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import jakarta.activation.DataHandler;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.asn1.smime.SMIMEEncryptionKeyPreferenceAttribute;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.mail.smime.SMIMEUtil;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cameldicomsecure.mail.smime.SecureMailException.Reason;

/**
 * Signs and encrypts a MIME entity into an S/MIME message (RFC 8551) with Bouncy Castle's CMS generators (the
 * multipart/signed and the enveloped entity are composed here, so that the content is digested, encrypted and copied
 * in big blocks).
 *
 * <ul>
 * <li>Signature: a detached {@code multipart/signed} (RFC 1847, RFC 8551 §3.5.3; protocol
 *     application/pkcs7-signature, micalg sha-256) whose SignedData has one SignerInfo (issuer and serial number),
 *     SHA-256 (or SHA-384/512) with RSA PKCS #1 v1.5 or ECDSA per the key, the signed attributes content type,
 *     message digest, signing time, CMS algorithm protection, S/MIME capabilities (AES-256/192/128-CBC and -GCM) and
 *     the S/MIME encryption key preference, and the signer's certificate chain.</li>
 * <li>Encryption: {@code application/pkcs7-mime; smime-type=enveloped-data} (AES-CBC) or
 *     {@code smime-type=authEnveloped-data} (AES-GCM, RFC 5083/5084), {@code name=smime.p7m}, base64. One
 *     RecipientInfo per certificate: RSA key transport (PKCS #1 v1.5 or OAEP SHA-256), or for EC certificates
 *     ECDH ephemeral-static key agreement dhSinglePass-stdDH-sha256kdf-scheme with AES key wrap (RFC 5753; AES-256
 *     wrap for 256-bit content keys, else AES-128 wrap).</li>
 * </ul>
 *
 * <p>Either part may be left out: no signing key gives an encrypted-only message, no recipient a signed-only one.
 *
 * <p>The content is brought to canonical form before it is signed (RFC 8551 §3.1.1): a leaf part with
 * Content-Transfer-Encoding 8bit or binary is re-encoded base64, and line ends become CRLF.
 *
 * <p>Everything is computed in {@link #writeTo}: the message then holds the finished bytes, in memory up to
 * {@link SmimeOptions#memoryThreshold()} else in a temporary file, and can be written any number of times with the
 * same result. The temporary file is deleted by {@link #discard(MimeMessage)} or once the message is garbage.
 */
public final class SmimeWriter {

    private static final Provider BC = new BouncyCastleProvider();
    /** Bulk AES-CBC with the JDK (AES-NI) where present; GCM with Bouncy Castle (the JDK's buffers the whole input). */
    private static final Provider CBC_PROVIDER = Security.getProvider("SunJCE") != null ? Security.getProvider("SunJCE")
            : BC;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String[] IGNORED_HEADERS = {"Message-ID", "MIME-Version"};

    private final PrivateKey signingKey;
    private final List<X509Certificate> signerChain;
    private final List<X509Certificate> recipients;
    private final SmimeOptions options;

    /**
     * @param signingKey  the signer's private key, or null for an unsigned (encrypted-only) message
     * @param signerChain the signer's certificate first, then its issuers (included in the SignedData); empty if no key
     * @param recipients  the recipients' certificates (RSA or EC), or empty for a signed-only message
     * @param options     algorithms and limits
     * @throws IllegalArgumentException when there is neither a signer nor a recipient, a key without certificate, or a
     *                                  recipient certificate whose key type or key usage forbids encryption to it
     */
    public SmimeWriter(PrivateKey signingKey, List<X509Certificate> signerChain, List<X509Certificate> recipients,
            SmimeOptions options) {
        this.signingKey = signingKey;
        this.signerChain = List.copyOf(signerChain == null ? List.of() : signerChain);
        this.recipients = List.copyOf(recipients == null ? List.of() : recipients);
        this.options = Objects.requireNonNull(options, "options");
        if (signingKey == null && this.recipients.isEmpty()) {
            throw new IllegalArgumentException("neither a signing key nor a recipient: nothing to do");
        }
        if (signingKey != null && this.signerChain.isEmpty()) {
            throw new IllegalArgumentException("a signing key needs its certificate (signerChain is empty)");
        }
        if (signingKey != null && !"RSA".equals(signingKey.getAlgorithm()) && !"EC".equals(signingKey.getAlgorithm())
                && !"ECDSA".equals(signingKey.getAlgorithm())) {
            throw new IllegalArgumentException("signing key type " + signingKey.getAlgorithm()
                    + " is not supported (RSA or EC)");
        }
        for (int i = 0; i < this.recipients.size(); i++) {
            X509Certificate c = this.recipients.get(i);
            boolean[] usage = c.getKeyUsage();
            if (c.getPublicKey() instanceof RSAPublicKey) {
                if (usage != null && (usage.length < 3 || !usage[2])) {
                    throw new IllegalArgumentException("recipient certificate #" + i + " ("
                            + c.getSubjectX500Principal().getName() + ") has a Key Usage without keyEncipherment");
                }
            } else if (c.getPublicKey() instanceof ECPublicKey) {
                if (usage != null && (usage.length < 5 || !usage[4])) {
                    throw new IllegalArgumentException("recipient certificate #" + i + " ("
                            + c.getSubjectX500Principal().getName() + ") has a Key Usage without keyAgreement");
                }
            } else {
                throw new IllegalArgumentException("recipient certificate #" + i + " ("
                        + c.getSubjectX500Principal().getName() + ") has a " + c.getPublicKey().getAlgorithm()
                        + " key; only RSA and EC recipients are supported");
            }
        }
    }

    /**
     * Signs and/or encrypts {@code content} and makes it {@code message}'s content (Content-Type and the other
     * Content-* headers, MIME-Version). From, To, Subject and Date are left to the caller. {@code content} itself is
     * read, never changed.
     *
     * @throws SecureMailException {@link Reason#INTERNAL} when signing, encryption or the temporary files fail
     */
    public void writeTo(MimeBodyPart content, MimeMessage message) throws SecureMailException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(message, "message");
        List<Spill> intermediate = new ArrayList<>();
        Spill result = null;
        try {
            Spill entity = canonical(content);
            intermediate.add(entity);
            boolean sign = signingKey != null;
            boolean encrypt = !recipients.isEmpty();
            String contentType;
            String transferEncoding;
            if (sign && encrypt && options.order() == SignatureOrder.SIGN_THEN_ENCRYPT) {
                Signed s = sign(entity);
                intermediate.add(s.body);
                Spill signedEntity = entity(s.body, s.contentType, null);
                intermediate.add(signedEntity);
                result = encrypt(signedEntity);
                contentType = envelopedContentType();
                transferEncoding = "base64";
            } else if (sign && encrypt) {
                Spill der = encrypt(entity);
                intermediate.add(der);
                Spill encryptedEntity = entity(der, envelopedContentType(), "base64");
                intermediate.add(encryptedEntity);
                Signed s = sign(encryptedEntity);
                result = s.body;
                contentType = s.contentType;
                transferEncoding = "7bit";
            } else if (sign) {
                Signed s = sign(entity);
                result = s.body;
                contentType = s.contentType;
                transferEncoding = "7bit";
            } else {
                result = encrypt(entity);
                contentType = envelopedContentType();
                transferEncoding = "base64";
            }
            discard(message);
            for (Enumeration<Header> e = message.getAllHeaders(); e.hasMoreElements();) {
                String name = e.nextElement().getName();
                if (name.regionMatches(true, 0, "Content-", 0, 8)) {
                    message.removeHeader(name);
                }
            }
            message.setDataHandler(new DataHandler(new SpillDataSource(result, contentType,
                    result == null ? null : "smime.p7m")));
            message.setHeader("MIME-Version", "1.0");
            message.setHeader("Content-Type", MimeUtility.fold(14, contentType));
            message.setHeader("Content-Transfer-Encoding", transferEncoding);
            if ("base64".equals(transferEncoding)) {
                message.setHeader("Content-Disposition", "attachment; filename=\"smime.p7m\"");
                message.setHeader("Content-Description", "S/MIME Encrypted Message");
            }
            result = null;
        } catch (SecureMailException e) {
            throw e;
        } catch (IOException | MessagingException | GeneralSecurityException
                | OperatorCreationException | CMSException | RuntimeException e) {
            throw new SecureMailException(Reason.INTERNAL, "cannot make the S/MIME message: "
                    + e.getClass().getSimpleName(), e);
        } finally {
            for (Spill s : intermediate) {
                s.close();
            }
            if (result != null) {
                result.close();
            }
        }
    }

    /** Deletes the temporary file behind a message {@link #writeTo} made (the message cannot be written after). */
    public static void discard(MimeMessage message) {
        try {
            DataHandler dh = message.getDataHandler();
            if (dh != null && dh.getDataSource() instanceof SpillDataSource s) {
                s.spill().close();
            }
        } catch (MessagingException ignored) {
            // not ours
        }
    }

    /** Whether the content of a message {@link #writeTo} made is held in a temporary file (for tests and metrics). */
    public static boolean inTemporaryFile(MimeMessage message) throws MessagingException {
        DataHandler dh = message.getDataHandler();
        return dh != null && dh.getDataSource() instanceof SpillDataSource s && !s.spill().inMemory();
    }

    /** The temporary file behind a message {@link #writeTo} made, or null (for tests). */
    static java.nio.file.Path temporaryFile(MimeMessage message) throws MessagingException {
        DataHandler dh = message.getDataHandler();
        return dh != null && dh.getDataSource() instanceof SpillDataSource s ? s.spill().path() : null;
    }

    // ------------------------------------------------------------------------------------------------------ steps

    private Spill newSpill() {
        return new Spill(options.memoryThreshold(), Long.MAX_VALUE);
    }

    /** The content as a canonical MIME entity: its Content-* headers and body, CRLF line ends, no 8bit/binary. */
    private Spill canonical(MimeBodyPart content) throws MessagingException, IOException {
        MimeMessage tmp = new MimeMessage((Session) null);
        tmp.setDataHandler(content.getDataHandler());
        for (Enumeration<Header> e = content.getAllHeaders(); e.hasMoreElements();) {
            Header h = e.nextElement();
            tmp.addHeader(h.getName(), h.getValue());
        }
        tmp.saveChanges();
        forceSevenBit(tmp);
        Spill spill = newSpill();
        try (OutputStream out = new CrlfOutputStream(spill.output())) {
            tmp.writeTo(out, IGNORED_HEADERS);
        } catch (IOException | MessagingException | RuntimeException e) {
            spill.close();
            throw e;
        }
        return spill;
    }

    private static void forceSevenBit(Part part) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Object o = part.getContent();
            if (o instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    forceSevenBit(mp.getBodyPart(i));
                }
            }
            return;
        }
        if (part instanceof MimeBodyPart || part instanceof MimeMessage) {
            String enc = ((jakarta.mail.internet.MimePart) part).getEncoding();
            if (enc != null && (enc.equalsIgnoreCase("8bit") || enc.equalsIgnoreCase("binary"))) {
                part.setHeader("Content-Transfer-Encoding", "base64");
            }
        }
    }

    private record Signed(Spill body, String contentType) {
    }

    /** A detached multipart/signed over {@code entity}: the multipart body and its Content-Type. */
    private Signed sign(Spill entity) throws IOException, MessagingException, CMSException, GeneralSecurityException,
            OperatorCreationException {
        X509Certificate cert = signerChain.get(0);
        String sigAlg = signatureDigest(options.digest()) + "with"
                + ("RSA".equals(signingKey.getAlgorithm()) ? "RSA" : "ECDSA");
        ContentSigner signer = new JcaContentSignerBuilder(sigAlg).build(signingKey);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        SMIMECapabilityVector caps = new SMIMECapabilityVector();
        caps.addCapability(SMIMECapability.aES256_CBC);
        caps.addCapability(SMIMECapability.aES192_CBC);
        caps.addCapability(SMIMECapability.aES128_CBC);
        caps.addCapability(NISTObjectIdentifiers.id_aes256_GCM);
        caps.addCapability(NISTObjectIdentifiers.id_aes128_GCM);
        attributes.add(new SMIMECapabilitiesAttribute(caps));
        attributes.add(new SMIMEEncryptionKeyPreferenceAttribute(SMIMEUtil.createIssuerAndSerialNumberFor(cert)));
        SignerInfoGenerator sig = new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                .build(signer, cert);
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addSignerInfoGenerator(sig);
        gen.addCertificates(new JcaCertStore(signerChain));
        // the digest is computed over the canonical entity as it is, in big blocks (Bouncy Castle's S/MIME generator
        // re-serialises the parsed part and canonicalises it one byte at a time)
        byte[] signature = gen.generate(new SpillContent(entity), false).getEncoded();
        String boundary = boundary();
        String contentType = "multipart/signed; protocol=\"application/pkcs7-signature\"; micalg="
                + micalg(options.digest()) + "; boundary=\"" + boundary + "\"";
        Spill body = newSpill();
        try (OutputStream out = body.output()) {
            out.write(ascii("--" + boundary + "\r\n"));
            try (InputStream in = entity.open()) {
                in.transferTo(out);
            }
            out.write(ascii("\r\n--" + boundary + "\r\n"
                    + "Content-Type: application/pkcs7-signature; name=smime.p7s; smime-type=signed-data\r\n"
                    + "Content-Transfer-Encoding: base64\r\n"
                    + "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n"
                    + "Content-Description: S/MIME Cryptographic Signature\r\n\r\n"));
            out.write(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encode(signature));
            // the base64 ends with a line break, then the close delimiter (its own CRLF first)
            out.write(ascii("\r\n\r\n--" + boundary + "--\r\n"));
        } catch (IOException | RuntimeException e) {
            body.close();
            throw e;
        }
        return new Signed(body, contentType);
    }

    /** The micalg parameter of multipart/signed (RFC 8551 §3.5.3.2). */
    static String micalg(String digest) {
        return switch (signatureDigest(digest)) {
            case "SHA384" -> "sha-384";
            case "SHA512" -> "sha-512";
            default -> "sha-256";
        };
    }

    /** A boundary that cannot occur in base64 or in our headers ("=_" is not base64; 128 random bits). */
    private static String boundary() {
        byte[] r = new byte[16];
        RANDOM.nextBytes(r);
        return "----=_cds_signed_" + java.util.HexFormat.of().formatHex(r);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The bytes of a spill as CMS content of type data, written in big blocks. */
    private record SpillContent(Spill spill) implements CMSTypedData {
        @Override
        public ASN1ObjectIdentifier getContentType() {
            return CMSObjectIdentifiers.data;
        }

        @Override
        public void write(OutputStream out) throws IOException {
            try (InputStream in = spill.open()) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0;) {
                    out.write(buf, 0, n);
                }
            }
        }

        @Override
        public Object getContent() {
            return spill;
        }
    }

    private String envelopedContentType() {
        return "application/pkcs7-mime; name=\"smime.p7m\"; smime-type=" + options.contentEncryption().smimeType();
    }

    /** The DER ContentInfo (EnvelopedData or AuthEnvelopedData) of {@code entity}. */
    private Spill encrypt(Spill entity) throws IOException, MessagingException, CMSException,
            GeneralSecurityException {
        ContentEncryption ce = options.contentEncryption();
        RecipientInfoGenerator[] infos = new RecipientInfoGenerator[recipients.size()];
        for (int i = 0; i < infos.length; i++) {
            infos[i] = recipientInfo(recipients.get(i), ce);
        }
        OutputEncryptor encryptor = new JceCMSContentEncryptorBuilder(ce.asn1())
                .setProvider(ce.authenticated() ? BC : CBC_PROVIDER).setSecureRandom(RANDOM).build();
        Spill der = newSpill();
        // the entity is canonical already: streamed into the (auth)enveloped-data in big blocks
        try (OutputStream out = der.output()) {
            OutputStream enc;
            if (ce.authenticated()) {
                CMSAuthEnvelopedDataStreamGenerator gen = new CMSAuthEnvelopedDataStreamGenerator();
                for (RecipientInfoGenerator r : infos) {
                    gen.addRecipientInfoGenerator(r);
                }
                enc = gen.open(out, (OutputAEADEncryptor) encryptor);
            } else {
                CMSEnvelopedDataStreamGenerator gen = new CMSEnvelopedDataStreamGenerator();
                for (RecipientInfoGenerator r : infos) {
                    gen.addRecipientInfoGenerator(r);
                }
                enc = gen.open(out, encryptor);
            }
            try (OutputStream e = enc; InputStream in = entity.open()) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0;) {
                    e.write(buf, 0, n);
                }
            }
        } catch (IOException | RuntimeException e) {
            der.close();
            throw e;
        }
        return der;
    }

    private RecipientInfoGenerator recipientInfo(X509Certificate cert, ContentEncryption ce)
            throws GeneralSecurityException {
        if (cert.getPublicKey() instanceof ECPublicKey ec) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(ec.getParams(), RANDOM);
            KeyPair ephemeral = g.generateKeyPair();
            ASN1ObjectIdentifier wrap = ce == ContentEncryption.AES128_CBC || ce == ContentEncryption.AES128_GCM
                    ? CMSAlgorithm.AES128_WRAP : ce == ContentEncryption.AES192_CBC
                            || ce == ContentEncryption.AES192_GCM ? CMSAlgorithm.AES192_WRAP : CMSAlgorithm.AES256_WRAP;
            return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(),
                    ephemeral.getPublic(), wrap).setProvider(BC).setSecureRandom(RANDOM).addRecipient(cert);
        }
        if (options.keyEncryption() == KeyEncryption.RSA_OAEP) {
            AlgorithmIdentifier oaep = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                    PKCSObjectIdentifiers.id_RSAES_OAEP, new OAEPParameterSpec("SHA-256", "MGF1",
                            MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
            return new JceKeyTransRecipientInfoGenerator(cert, oaep).setProvider(BC);
        }
        try {
            return new JceKeyTransRecipientInfoGenerator(cert).setProvider(BC);
        } catch (CertificateEncodingException e) {
            throw e;
        }
    }

    /** A MIME entity: Content-Type (and Content-Transfer-Encoding) headers, then the body (base64-encoded if asked). */
    private Spill entity(Spill body, String contentType, String transferEncoding) throws IOException,
            MessagingException {
        Spill spill = newSpill();
        try (OutputStream out = spill.output()) {
            StringBuilder h = new StringBuilder();
            h.append(MimeUtility.fold(14, "Content-Type: " + contentType)).append("\r\n");
            if (transferEncoding != null) {
                h.append("Content-Transfer-Encoding: ").append(transferEncoding).append("\r\n");
                h.append("Content-Disposition: attachment; filename=\"smime.p7m\"\r\n");
            }
            h.append("\r\n");
            out.write(h.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            try (InputStream in = body.open()) {
                if (transferEncoding != null) {
                    OutputStream enc = MimeUtility.encode(new NonClosing(out), transferEncoding);
                    in.transferTo(enc);
                    enc.flush();
                    enc.close();
                } else {
                    in.transferTo(out);
                }
            }
        } catch (IOException | MessagingException | RuntimeException e) {
            spill.close();
            throw e;
        }
        return spill;
    }

    /** The JCA digest name prefix of a signature algorithm ("SHA256") for a digest name, or null if not allowed. */
    static String signatureDigest(String digest) {
        return switch (digest.toUpperCase(java.util.Locale.ROOT).replace("-", "")) {
            case "SHA256" -> "SHA256";
            case "SHA384" -> "SHA384";
            case "SHA512" -> "SHA512";
            default -> null;
        };
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
