package org.cameldicomsecure.mail.smime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.SharedInputStream;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSCompressedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessable;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.ZlibExpanderProvider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.mail.smime.CMSProcessableBodyPartInbound;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;
import org.cameldicomsecure.mail.smime.SecureMailException.Reason;
import org.cameldicomsecure.sign.PkixPaths;

/**
 * Opens an S/MIME message (RFC 8551, RFC 5751, RFC 3851): removes its layers in whatever order they come until the
 * content is not S/MIME, decrypting and verifying each.
 *
 * <p>Layers: {@code application/pkcs7-mime} or {@code application/x-pkcs7-mime} (or application/octet-stream named
 * *.p7m) holding an EnvelopedData, AuthEnvelopedData, SignedData (opaque signing) or CompressedData (the
 * {@code smime-type} parameter is not trusted: the ContentInfo's content type decides); {@code multipart/signed} with
 * protocol application/pkcs7-signature or application/x-pkcs7-signature (the first part is verified as the
 * canonical MIME entity, RFC 8551 §3.1.1: first over its bytes as received, found by {@link MultipartScanner} and
 * brought to CRLF in big blocks; if that does not verify, over Bouncy Castle's re-serialisation of the parsed part,
 * {@link CMSProcessableBodyPartInbound}, as some signers sign that form). Base64 content is decoded by
 * {@link MimeBase64}.
 *
 * <p>Decryption: the RecipientInfo that names our certificate (issuer and serial number, or subject key identifier),
 * RSA (PKCS #1 v1.5 or OAEP) or ECDH key agreement; only AES content encryption (CBC or GCM) is accepted (PS3.15 B.8).
 *
 * <p>Signatures: every SignerInfo of every signature layer must verify (digest and signature); the signer's
 * certificate must be in the SignedData (or among the trusted certificates), be valid at the signing time, chain to
 * a trusted certificate with PKIX now (a claimed signing time must also lie in the certificate's validity, but does not
 * replace the check at the current time; with revocation checks when CRLs are given), have Key Usage digitalSignature or nonRepudiation if it has a Key Usage, and Extended Key
 * Usage emailProtection or anyExtendedKeyUsage if it has one. SHA-1 only when allowed; MD5 never. With
 * {@code checkFromAddress}, each signer whose certificate names email addresses must be the From address.
 *
 * <p>The message is first copied (in memory up to the threshold, else a temporary file), then every decrypted or
 * opaque-signed content likewise, so nothing needs the whole message in memory; the MIME parts handed back are
 * parsed over these copies. Nothing is returned when anything fails, and every temporary file is deleted then.
 */
public final class SmimeReader {

    private static final Provider BC = new BouncyCastleProvider();
    private static final Provider CBC_PROVIDER = Security.getProvider("SunJCE") != null ? Security.getProvider("SunJCE")
            : BC;
    private static final int BUFFER = 64 * 1024;

    private static final Map<String, String> WEAK_CIPHERS = Map.of(
            "1.2.840.113549.3.7", "DES-EDE3-CBC (Triple-DES)",
            "1.2.840.113549.3.2", "RC2-CBC",
            "1.3.14.3.2.7", "DES-CBC",
            "1.2.840.113549.1.9.16.3.6", "Triple-DES key wrap");
    private static final Set<String> STRONG_DIGESTS = Set.of(
            "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3", "2.16.840.1.101.3.4.2.4",
            "2.16.840.1.101.3.4.2.8", "2.16.840.1.101.3.4.2.9", "2.16.840.1.101.3.4.2.10");
    private static final String SHA1 = "1.3.14.3.2.26";
    private static final Set<String> SHA1_SIGNATURES = Set.of("1.2.840.113549.1.1.5", "1.2.840.10045.4.1",
            "1.2.840.10040.4.3");
    private static final Set<String> MD_SIGNATURES = Set.of("1.2.840.113549.1.1.4", "1.2.840.113549.1.1.2",
            "1.2.840.113549.1.1.3", "1.2.840.113549.2.5", "1.2.840.113549.2.2");
    private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    private static final String ANY_EKU = "2.5.29.37.0";

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final List<X509Certificate> trusted;
    private final SmimeReaderOptions options;

    /**
     * @param key         our private key (null: encrypted messages are refused with NOT_FOR_RECIPIENT)
     * @param certificate our certificate, to find our RecipientInfo (null with a null key)
     * @param trusted     the trust anchors for signers (may be empty when no signature is required; then any
     *                    signature found fails with SIGNER_UNTRUSTED)
     * @param options     requirements and limits
     */
    public SmimeReader(PrivateKey key, X509Certificate certificate, Collection<X509Certificate> trusted,
            SmimeReaderOptions options) {
        if ((key == null) != (certificate == null)) {
            throw new IllegalArgumentException("the private key and its certificate go together");
        }
        this.key = key;
        this.certificate = certificate;
        this.trusted = List.copyOf(trusted == null ? List.of() : trusted);
        this.options = Objects.requireNonNull(options, "options");
    }

    /** What one signature layer proved. */
    private record SignerResult(X509Certificate cert, List<X509Certificate> chain, List<String> emails, Instant time) {
    }

    /** The state of one {@link #read} call. */
    private final class Run {
        final List<Spill> spills = new ArrayList<>();
        final List<String> layers = new ArrayList<>();
        boolean encrypted;
        ContentEncryption contentEncryption;
        SignerResult signer;
        String from;

        Spill newSpill() {
            Spill s = new Spill(options.memoryThreshold(), options.maxBytes());
            spills.add(s);
            return s;
        }
    }

    /**
     * Decrypts and verifies {@code message}.
     *
     * @throws SecureMailException with the {@link Reason} of the first problem; then nothing is returned and every
     *                             temporary file is deleted
     */
    public UnwrappedMail read(MimeMessage message) throws SecureMailException {
        Objects.requireNonNull(message, "message");
        Run run = new Run();
        boolean ok = false;
        try {
            Spill raw = run.newSpill();
            try (OutputStream out = raw.output()) {
                message.writeTo(out);
            } catch (Spill.TooLargeException e) {
                throw new SecureMailException(Reason.TOO_LARGE, "the message is larger than "
                        + options.maxBytes() + " bytes");
            } catch (IOException | MessagingException e) {
                throw new SecureMailException(Reason.MALFORMED, "cannot read the message: " + e.getMessage(), e);
            }
            MimeMessage copy;
            try (InputStream in = raw.open()) {
                copy = new MimeMessage(Session.getInstance(new java.util.Properties()), in);
            }
            run.from = fromAddress(copy);
            MimePart part = copy;
            while (true) {
                MimePart next = unwrap(part, run);
                if (next == null) {
                    break;
                }
                part = next;
            }
            if (options.requireEncryption() && !run.encrypted) {
                throw new SecureMailException(Reason.NOT_ENCRYPTED, "the message is not encrypted "
                        + describeLayers(run));
            }
            if (options.requireSignature() && run.signer == null) {
                throw new SecureMailException(Reason.UNSIGNED, "the message is not signed " + describeLayers(run));
            }
            SignerResult s = run.signer;
            UnwrappedMail result = new UnwrappedMail(part, run.encrypted, run.contentEncryption,
                    s == null ? null : s.cert, s == null ? List.of() : s.chain, s == null ? List.of() : s.emails,
                    s == null ? null : s.time, run.layers, run.from, run.spills, List.of());
            ok = true;
            return result;
        } catch (SecureMailException e) {
            throw e;
        } catch (IOException | MessagingException | RuntimeException e) {
            throw new SecureMailException(Reason.MALFORMED, "cannot parse the message: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        } finally {
            if (!ok) {
                for (Spill s : run.spills) {
                    s.close();
                }
            }
        }
    }

    private static String describeLayers(Run run) {
        return run.layers.isEmpty() ? "(no S/MIME layer)" : "(layers " + run.layers + ")";
    }

    // --------------------------------------------------------------------------------------------------- layers

    /** Removes the layer {@code part} is, or returns null when it is not S/MIME. */
    private MimePart unwrap(MimePart part, Run run) throws SecureMailException, MessagingException, IOException {
        ContentType type;
        try {
            type = new ContentType(part.getContentType() == null ? "text/plain" : part.getContentType());
        } catch (jakarta.mail.internet.ParseException e) {
            throw new SecureMailException(Reason.MALFORMED, "unparsable Content-Type", e);
        }
        String base = type.getBaseType().toLowerCase(Locale.ROOT);
        boolean pkcs7 = base.equals("application/pkcs7-mime") || base.equals("application/x-pkcs7-mime")
                || base.equals("application/octet-stream") && isP7m(part, type);
        if (base.equals("multipart/signed")) {
            String protocol = type.getParameter("protocol");
            if (protocol == null || !(protocol.equalsIgnoreCase("application/pkcs7-signature")
                    || protocol.equalsIgnoreCase("application/x-pkcs7-signature"))) {
                throw new SecureMailException(Reason.MALFORMED, "multipart/signed with protocol " + protocol
                        + " is not S/MIME");
            }
            enterLayer(run, "multipart/signed");
            return detachedSigned(part, run);
        }
        if (!pkcs7) {
            return null;
        }
        ASN1ObjectIdentifier contentType = sniff(part);
        if (CMSObjectIdentifiers.envelopedData.equals(contentType)) {
            enterLayer(run, "enveloped-data");
            return enveloped(part, run, false);
        } else if (CMSObjectIdentifiers.authEnvelopedData.equals(contentType)) {
            enterLayer(run, "authEnveloped-data");
            return enveloped(part, run, true);
        } else if (CMSObjectIdentifiers.signedData.equals(contentType)) {
            enterLayer(run, "signed-data");
            return opaqueSigned(part, run);
        } else if (CMSObjectIdentifiers.compressedData.equals(contentType)) {
            enterLayer(run, "compressed-data");
            return compressed(part, run);
        }
        throw new SecureMailException(Reason.MALFORMED, "application/pkcs7-mime with CMS content type " + contentType
                + " is not supported");
    }

    private void enterLayer(Run run, String name) throws SecureMailException {
        if (run.layers.size() >= options.maxLayers()) {
            throw new SecureMailException(Reason.TOO_MANY_LAYERS, "more than " + options.maxLayers()
                    + " S/MIME layers (" + run.layers + " then " + name + ")");
        }
        run.layers.add(name);
    }

    private static boolean isP7m(MimePart part, ContentType type) throws MessagingException {
        String name = type.getParameter("name");
        if (name == null) {
            try {
                name = part.getFileName();
            } catch (MessagingException e) {
                name = null;
            }
        }
        return name != null && name.toLowerCase(Locale.ROOT).endsWith(".p7m");
    }

    private static ASN1ObjectIdentifier sniff(MimePart part) throws SecureMailException {
        try (InputStream in = part.getInputStream()) {
            Object o = new ASN1StreamParser(in).readObject();
            if (!(o instanceof ASN1SequenceParser seq)) {
                throw new SecureMailException(Reason.MALFORMED, "application/pkcs7-mime that is not a CMS ContentInfo");
            }
            return new ContentInfoParser(seq).getContentType();
        } catch (SecureMailException e) {
            throw e;
        } catch (IOException | MessagingException | RuntimeException e) {
            throw new SecureMailException(Reason.MALFORMED, "application/pkcs7-mime that is not a CMS ContentInfo", e);
        }
    }

    /** Copies {@code in} into a new spill; read failures are {@code readFailure}, a size above the limit TOO_LARGE. */
    private Spill copy(InputStream in, Run run, Reason readFailure, String what) throws SecureMailException {
        Spill spill = run.newSpill();
        byte[] buf = new byte[BUFFER];
        try (OutputStream out = spill.output()) {
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException | RuntimeException e) {
                    throw new SecureMailException(readFailure, what + " failed: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
                }
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            }
        } catch (Spill.TooLargeException e) {
            throw new SecureMailException(Reason.TOO_LARGE, what + ": the content is larger than "
                    + options.maxBytes() + " bytes");
        } catch (SecureMailException e) {
            throw e;
        } catch (IOException e) {
            throw new SecureMailException(Reason.INTERNAL, "cannot write a temporary file", e);
        }
        return spill;
    }

    private static MimeBodyPart entity(Spill spill) throws SecureMailException {
        try (InputStream in = spill.open()) {
            return new MimeBodyPart(in);
        } catch (IOException | MessagingException e) {
            throw new SecureMailException(Reason.MALFORMED, "the inner content is not a MIME entity", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ decryption

    private MimePart enveloped(MimePart part, Run run, boolean authenticated) throws SecureMailException,
            MessagingException, IOException {
        try (InputStream raw = MimeBase64.decodedContent(part); InputStream in = new BufferedInputStream(raw, BUFFER)) {
            AlgorithmIdentifier alg;
            RecipientInformationStore store;
            try {
                if (authenticated) {
                    CMSAuthEnvelopedDataParser p = new CMSAuthEnvelopedDataParser(in);
                    alg = p.getEncryptionAlgOID();
                    store = p.getRecipientInfos();
                } else {
                    CMSEnvelopedDataParser p = new CMSEnvelopedDataParser(in);
                    alg = p.getContentEncryptionAlgorithm();
                    store = p.getRecipientInfos();
                }
            } catch (CMSException | IOException | RuntimeException e) {
                throw new SecureMailException(Reason.MALFORMED, "malformed " + (authenticated ? "AuthEnvelopedData"
                        : "EnvelopedData"), e);
            }
            String oid = alg.getAlgorithm().getId();
            ContentEncryption ce = ContentEncryption.ofOid(oid);
            if (ce == null || ce.authenticated() != authenticated) {
                String name = WEAK_CIPHERS.getOrDefault(oid, "content encryption " + oid);
                throw new SecureMailException(Reason.WEAK_ALGORITHM, name + " is not accepted: PS3.15 B.8 asks for "
                        + "AES (CBC in EnvelopedData, GCM in AuthEnvelopedData)");
            }
            if (key == null) {
                throw new SecureMailException(Reason.NOT_FOR_RECIPIENT, "the message is encrypted and no private key "
                        + "is configured");
            }
            RecipientInformation ri = ourRecipient(store);
            Recipient recipient = recipient(ri, authenticated);
            CMSTypedStream decrypted;
            try {
                decrypted = ri.getContentStream(recipient);
            } catch (CMSException | RuntimeException e) {
                throw new SecureMailException(Reason.DECRYPTION_FAILED, "cannot recover the content-encryption key "
                        + "with our private key (" + describe(certificate) + ")", e);
            }
            Spill plain;
            try (InputStream content = decrypted.getContentStream()) {
                plain = copy(content, run, Reason.DECRYPTION_FAILED, "decryption (" + ce + ")");
            }
            run.encrypted = true;
            run.contentEncryption = ce;
            return entity(plain);
        }
    }

    private RecipientInformation ourRecipient(RecipientInformationStore store) throws SecureMailException {
        X509CertificateHolder holder;
        try {
            holder = new JcaX509CertificateHolder(certificate);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new SecureMailException(Reason.INTERNAL, "cannot encode our certificate", e);
        }
        for (RecipientInformation ri : store.getRecipients()) {
            if (ri.getRID().match(holder)) {
                return ri;
            }
        }
        throw new SecureMailException(Reason.NOT_FOR_RECIPIENT, "the message is not encrypted for our certificate ("
                + describe(certificate) + "); it has " + store.size() + " RecipientInfo(s)");
    }

    private Recipient recipient(RecipientInformation ri, boolean authenticated) throws SecureMailException {
        if (ri instanceof KeyTransRecipientInformation) {
            return authenticated ? new JceKeyTransAuthEnvelopedRecipient(key).setProvider(BC)
                    : new JceKeyTransEnvelopedRecipient(key).setProvider(BC).setContentProvider(CBC_PROVIDER);
        }
        if (ri instanceof KeyAgreeRecipientInformation) {
            return authenticated ? new JceKeyAgreeAuthEnvelopedRecipient(key).setProvider(BC)
                    : new JceKeyAgreeEnvelopedRecipient(key).setProvider(BC).setContentProvider(CBC_PROVIDER);
        }
        throw new SecureMailException(Reason.NOT_FOR_RECIPIENT, "the RecipientInfo for our certificate is of an "
                + "unsupported kind (type " + ri.getRID().getType() + ")");
    }

    private MimePart compressed(MimePart part, Run run) throws SecureMailException, MessagingException, IOException {
        try (InputStream raw = MimeBase64.decodedContent(part); InputStream in = new BufferedInputStream(raw, BUFFER)) {
            CMSTypedStream content;
            try {
                content = new CMSCompressedDataParser(in).getContent(new ZlibExpanderProvider());
            } catch (CMSException | RuntimeException e) {
                throw new SecureMailException(Reason.MALFORMED, "malformed CompressedData", e);
            }
            try (InputStream c = content.getContentStream()) {
                return entity(copy(c, run, Reason.MALFORMED, "decompression"));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ signatures

    private MimePart detachedSigned(MimePart part, Run run) throws SecureMailException, MessagingException,
            IOException {
        MimePart fast = detachedSignedRaw(part, run);
        return fast != null ? fast : detachedSignedParsed(part, run);
    }

    /**
     * The fast path for a multipart/signed parsed over a shared stream (ours always are): its two parts are found in
     * the raw bytes, and the signature is verified over the first part's bytes as received, canonicalised (CRLF) in
     * big blocks — what RFC 1847 and RFC 8551 §3.1.1 say is signed. Returns null (then the parsed path decides) when
     * the body is not in a shared stream, does not have exactly two parts, or the signature does not verify over the
     * raw bytes (the parsed path then tries Bouncy Castle's re-serialisation of the part, as before).
     */
    private MimePart detachedSignedRaw(MimePart part, Run run) throws SecureMailException, MessagingException,
            IOException {
        InputStream raw;
        if (part instanceof MimeBodyPart mbp) {
            raw = mbp.getRawInputStream();
        } else if (part instanceof MimeMessage mm) {
            raw = mm.getRawInputStream();
        } else {
            return null;
        }
        if (!(raw instanceof SharedInputStream shared)) {
            raw.close();
            return null;
        }
        // raw stays open until the parts are made: closing a shared stream ends its newStream()
        try (InputStream keep = raw) {
            String boundary = new ContentType(part.getContentType()).getParameter("boundary");
            if (boundary == null || boundary.isEmpty()) {
                return null;
            }
            MultipartScanner.Result scan;
            try (InputStream in = shared.newStream(0, -1)) {
                scan = MultipartScanner.scan(in, boundary, 2);
            }
            if (scan.parts().size() != 2) {
                return null;
            }
            MultipartScanner.Range c = scan.parts().get(0);
            MultipartScanner.Range s = scan.parts().get(1);
            MimeBodyPart signature = new MimeBodyPart(shared.newStream(s.start(), s.end()));
            byte[] sig;
            try (InputStream in = signature.getInputStream()) {
                sig = in.readNBytes(MAX_SIGNATURE_BYTES + 1);
            }
            if (sig.length > MAX_SIGNATURE_BYTES) {
                throw new SecureMailException(Reason.MALFORMED, "the signature part of the multipart/signed is larger "
                        + "than " + MAX_SIGNATURE_BYTES + " bytes");
            }
            CMSSignedData signed;
            try {
                signed = new CMSSignedData(new RawPart(shared, c), sig);
            } catch (CMSException | RuntimeException e) {
                throw new SecureMailException(Reason.MALFORMED, "the signature part of the multipart/signed is not a "
                        + "CMS SignedData", e);
            }
            try {
                verify(signed.getCertificates(), signed.getSignerInfos(), run);
            } catch (SecureMailException e) {
                if (e.reason() == Reason.SIGNATURE_INVALID) {
                    return null; // perhaps signed over a re-serialised form: the parsed path decides
                }
                throw e;
            }
            return new MimeBodyPart(shared.newStream(c.start(), c.end()));
        }
    }

    /** A signature of more than this (certificates included) is refused. */
    private static final int MAX_SIGNATURE_BYTES = 16 << 20;

    /** The first part of a multipart/signed as received, canonicalised to CRLF line ends, as the signed content. */
    private record RawPart(SharedInputStream body, MultipartScanner.Range range) implements CMSProcessable {
        @Override
        public void write(OutputStream out) throws IOException {
            try (InputStream in = body.newStream(range.start(), range.end())) {
                OutputStream crlf = new CrlfOutputStream(out);
                byte[] buf = new byte[BUFFER];
                for (int n; (n = in.read(buf)) > 0;) {
                    crlf.write(buf, 0, n);
                }
                crlf.flush();
            }
        }

        @Override
        public Object getContent() {
            return range;
        }
    }

    private MimePart detachedSignedParsed(MimePart part, Run run) throws SecureMailException, MessagingException,
            IOException {
        Object o = part.getContent();
        if (!(o instanceof MimeMultipart mm) || mm.getCount() != 2) {
            throw new SecureMailException(Reason.MALFORMED, "multipart/signed without exactly two parts");
        }
        BodyPart content = mm.getBodyPart(0);
        BodyPart signature = mm.getBodyPart(1);
        CMSSignedData signed;
        try (InputStream sig = signature.getInputStream()) {
            signed = new CMSSignedData(new CMSProcessableBodyPartInbound(content, "7bit"), sig);
        } catch (CMSException | RuntimeException e) {
            throw new SecureMailException(Reason.MALFORMED, "the signature part of the multipart/signed is not a CMS "
                    + "SignedData", e);
        }
        verify(signed.getCertificates(), signed.getSignerInfos(), run);
        if (!(content instanceof MimeBodyPart mbp)) {
            throw new SecureMailException(Reason.MALFORMED, "signed content is not a MIME part");
        }
        return mbp;
    }

    private MimePart opaqueSigned(MimePart part, Run run) throws SecureMailException, MessagingException,
            IOException {
        try (InputStream raw = MimeBase64.decodedContent(part); InputStream in = new BufferedInputStream(raw, BUFFER)) {
            CMSSignedDataParser parser;
            CMSTypedStream content;
            try {
                parser = new CMSSignedDataParser(digests(), in);
                content = parser.getSignedContent();
            } catch (CMSException | RuntimeException e) {
                throw new SecureMailException(Reason.MALFORMED, "malformed SignedData", e);
            }
            if (content == null) {
                throw new SecureMailException(Reason.MALFORMED, "a signed-data without content (certs-only or "
                        + "detached) where a signed message was expected");
            }
            Spill spill;
            try (InputStream c = content.getContentStream()) {
                spill = copy(c, run, Reason.MALFORMED, "reading the signed content");
            }
            Store<X509CertificateHolder> certs;
            SignerInformationStore signers;
            try {
                certs = parser.getCertificates();
                signers = parser.getSignerInfos();
            } catch (CMSException | RuntimeException e) {
                throw new SecureMailException(Reason.MALFORMED, "malformed SignedData", e);
            }
            verify(certs, signers, run);
            return entity(spill);
        }
    }

    private static DigestCalculatorProvider digests() throws SecureMailException {
        try {
            return new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new SecureMailException(Reason.INTERNAL, "no digest provider", e);
        }
    }

    private void verify(Store<X509CertificateHolder> certs, SignerInformationStore signers, Run run)
            throws SecureMailException {
        if (signers.size() == 0) {
            throw new SecureMailException(Reason.MALFORMED, "a SignedData without SignerInfo (certs-only)");
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> pool = new ArrayList<>();
        try {
            for (X509CertificateHolder h : certs.getMatches(null)) {
                pool.add(converter.getCertificate(h));
            }
        } catch (java.security.cert.CertificateException e) {
            throw new SecureMailException(Reason.MALFORMED, "a certificate of the SignedData cannot be parsed", e);
        }
        SignerResult first = null;
        for (SignerInformation si : signers.getSigners()) {
            checkAlgorithms(si);
            X509Certificate cert = signerCertificate(si, certs, converter);
            String subject = cert.getSubjectX500Principal().getName();
            Instant time = signingTime(si);
            boolean ok;
            try {
                ok = si.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert));
            } catch (CMSSignerDigestMismatchException e) {
                throw new SecureMailException(Reason.SIGNATURE_INVALID, "the signed content does not match the "
                        + "signature of " + subject + " (message digest mismatch)");
            } catch (CMSVerifierCertificateNotValidException e) {
                throw new SecureMailException(Reason.SIGNER_UNTRUSTED, "the signer certificate " + subject
                        + " was not valid at the signing time " + time);
            } catch (CMSException | OperatorCreationException | RuntimeException e) {
                throw new SecureMailException(Reason.SIGNATURE_INVALID, "the signature of " + subject
                        + " cannot be verified: " + e.getMessage(), e);
            }
            if (!ok) {
                throw new SecureMailException(Reason.SIGNATURE_INVALID, "the signature of " + subject
                        + " does not verify");
            }
            checkUsage(cert);
            if (trusted.isEmpty()) {
                throw new SecureMailException(Reason.SIGNER_UNTRUSTED, "no trusted certificates are configured to "
                        + "validate the signer " + subject);
            }
            List<Object> pkixPool = new ArrayList<>(pool);
            pkixPool.addAll(options.crls());
            // the path is validated now, not at the signing time the signer claims: a signature made (or backdated)
            // with a key whose certificate has expired is not accepted; the claimed time was checked above as well
            try {
                PkixPaths.build(cert, trusted, pkixPool, null, !options.crls().isEmpty());
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new SecureMailException(Reason.SIGNER_UNTRUSTED, "the signer certificate " + subject
                        + " does not validate against the trusted certificates now: " + e.getMessage(), e);
            }
            List<String> emails = emails(cert);
            if (options.checkFromAddress() && !emails.isEmpty()) {
                boolean match = run.from != null && emails.stream().anyMatch(m -> m.equalsIgnoreCase(run.from));
                if (!match) {
                    throw new SecureMailException(Reason.SENDER_MISMATCH, "the From address "
                            + (run.from == null ? "(none)" : "<" + run.from + ">") + " is not an address of the "
                            + "signer certificate " + subject + " " + emails);
                }
            }
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            for (X509Certificate c : pool) {
                if (!c.equals(cert)) {
                    chain.add(c);
                }
            }
            if (first == null) {
                first = new SignerResult(cert, chain, emails, time);
            }
        }
        run.signer = first;
    }

    private void checkAlgorithms(SignerInformation si) throws SecureMailException {
        String digest = si.getDigestAlgOID();
        String sig = si.getEncryptionAlgOID();
        if (MD_SIGNATURES.contains(digest) || MD_SIGNATURES.contains(sig)) {
            throw new SecureMailException(Reason.WEAK_ALGORITHM, "an MD5 (or MD2) signature is never accepted");
        }
        boolean sha1 = SHA1.equals(digest) || SHA1_SIGNATURES.contains(sig);
        if (sha1 && !options.allowSha1()) {
            throw new SecureMailException(Reason.WEAK_ALGORITHM, "a SHA-1 signature is not accepted (allowSha1 is "
                    + "false)");
        }
        if (!sha1 && !STRONG_DIGESTS.contains(digest)) {
            throw new SecureMailException(Reason.WEAK_ALGORITHM, "signature digest algorithm " + digest
                    + " is not supported (SHA-2 or SHA-3)");
        }
    }

    private X509Certificate signerCertificate(SignerInformation si, Store<X509CertificateHolder> certs,
            JcaX509CertificateConverter converter) throws SecureMailException {
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = certs.getMatches(si.getSID());
        try {
            if (!matches.isEmpty()) {
                return converter.getCertificate(matches.iterator().next());
            }
            for (X509Certificate t : trusted) {
                if (si.getSID().match(new JcaX509CertificateHolder(t))) {
                    return t;
                }
            }
        } catch (java.security.cert.CertificateException e) {
            throw new SecureMailException(Reason.MALFORMED, "the signer certificate cannot be parsed", e);
        }
        throw new SecureMailException(Reason.SIGNER_UNTRUSTED, "the signer's certificate (" + si.getSID().getIssuer()
                + " serial " + (si.getSID().getSerialNumber() == null ? "?" : si.getSID().getSerialNumber().toString(16))
                + ") is neither in the SignedData nor trusted");
    }

    private static Instant signingTime(SignerInformation si) {
        AttributeTable attrs = si.getSignedAttributes();
        if (attrs == null) {
            return null;
        }
        Attribute a = attrs.get(CMSAttributes.signingTime);
        if (a == null || a.getAttrValues().size() != 1) {
            return null;
        }
        try {
            return Time.getInstance(a.getAttrValues().getObjectAt(0)).getDate().toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void checkUsage(X509Certificate cert) throws SecureMailException {
        boolean[] ku = cert.getKeyUsage();
        String subject = cert.getSubjectX500Principal().getName();
        if (ku != null && !(ku.length > 0 && ku[0]) && !(ku.length > 1 && ku[1])) {
            throw new SecureMailException(Reason.SIGNER_UNTRUSTED, "the signer certificate " + subject
                    + " has a Key Usage without digitalSignature or nonRepudiation");
        }
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            if (eku != null && !eku.contains(EMAIL_PROTECTION) && !eku.contains(ANY_EKU)) {
                throw new SecureMailException(Reason.SIGNER_UNTRUSTED, "the signer certificate " + subject
                        + " has an Extended Key Usage without emailProtection");
            }
        } catch (CertificateParsingException e) {
            throw new SecureMailException(Reason.SIGNER_UNTRUSTED, "the signer certificate " + subject
                    + " has an unparsable Extended Key Usage", e);
        }
    }

    /** The rfc822Name subject alternative names, else the emailAddress attributes of the subject (lower case). */
    static List<String> emails(X509Certificate cert) {
        return CertificateEmails.of(cert);
    }

    private static String fromAddress(MimeMessage m) {
        try {
            Address[] from = m.getFrom();
            if (from != null && from.length > 0 && from[0] instanceof InternetAddress ia) {
                return ia.getAddress();
            }
        } catch (MessagingException | RuntimeException e) {
            // malformed From: treated as none
        }
        return null;
    }

    private static String describe(X509Certificate cert) {
        return "subject '" + cert.getSubjectX500Principal().getName() + "', issuer '"
                + cert.getIssuerX500Principal().getName() + "' serial " + cert.getSerialNumber().toString(16);
    }
}
