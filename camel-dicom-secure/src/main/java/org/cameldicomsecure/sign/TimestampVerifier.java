package org.cameldicomsecure.sign;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Store;
import org.cameldicomsecure.sign.TimestampException.Reason;

/**
 * Verifies an RFC 3161 timestamp token as stored in Certified Timestamp (0400,0310) with Certified Timestamp Type
 * (0400,0305) {@value #CERTIFIED_TIMESTAMP_TYPE} (PS3.3 C.12.1.1.3.1.3: "a certified timestamp of the Digital Signature
 * (0400,0120) Attribute Value"; the data passed here is therefore the Signature value).
 *
 * <p>Checks, in this order, each failure naming its {@link Reason}:
 * <ol>
 * <li>the bytes are one DER/BER TimeStampToken, a CMS ContentInfo of SignedData whose content is a TSTInfo with
 *     exactly one signer (RFC 3161 §2.4.2); one trailing 00H byte is allowed, the padding of an odd-length OB value
 *     (PS3.5 §6.2, VR OB) &rarr; {@link Reason#NOT_A_TOKEN};</li>
 * <li>the message imprint is the hash of {@code data} with the token's hash algorithm (SHA-1, SHA-224, SHA-256,
 *     SHA-384, SHA-512, SHA3-224/256/384/512) &rarr; {@link Reason#UNSUPPORTED_ALGORITHM},
 *     {@link Reason#IMPRINT_MISMATCH};</li>
 * <li>the signer's certificate is in the token (or among the trust anchors) &rarr;
 *     {@link Reason#SIGNER_CERTIFICATE_MISSING}; the CMS signature verifies with it &rarr;
 *     {@link Reason#SIGNATURE_INVALID};</li>
 * <li>the certificate has exactly one extended key usage, {@code id-kp-timeStamping}, and the extension is critical
 *     (RFC 3161 §2.3) &rarr; {@link Reason#NOT_A_TSA_CERTIFICATE};</li>
 * <li>genTime lies within the certificate's validity &rarr; {@link Reason#OUTSIDE_CERTIFICATE_VALIDITY};</li>
 * <li>the token's signing-certificate attribute (ESSCertIDv2 or ESSCertID) identifies that certificate &rarr;
 *     {@link Reason#SIGNATURE_INVALID};</li>
 * <li>a PKIX certification path leads from the TSA certificate to one of {@code trustAnchors}, built with the
 *     certificates the token carries, evaluated at genTime, without revocation checking &rarr;
 *     {@link Reason#UNTRUSTED}. A TSA certificate that is itself one of the trust anchors is trusted as it is.</li>
 * </ol>
 *
 * <p>The TSA certificate and its path are judged at the token's time, not now: the token keeps proving when the
 * signature existed after the TSA certificate expires.
 */
public final class TimestampVerifier {

    /** The Defined Term of Certified Timestamp Type (0400,0305) for RFC 3161 tokens (PS3.3 Table C.12-6). */
    public static final String CERTIFIED_TIMESTAMP_TYPE = "CMS_TSP";

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    /** Message imprint hash algorithms accepted when verifying: OID to JCA name. */
    private static final Map<ASN1ObjectIdentifier, String> HASHES = new LinkedHashMap<>();

    static {
        HASHES.put(TSPAlgorithms.SHA1, "SHA-1");
        HASHES.put(TSPAlgorithms.SHA224, "SHA-224");
        HASHES.put(TSPAlgorithms.SHA256, "SHA-256");
        HASHES.put(TSPAlgorithms.SHA384, "SHA-384");
        HASHES.put(TSPAlgorithms.SHA512, "SHA-512");
        HASHES.put(TSPAlgorithms.SHA3_224, "SHA3-224");
        HASHES.put(TSPAlgorithms.SHA3_256, "SHA3-256");
        HASHES.put(TSPAlgorithms.SHA3_384, "SHA3-384");
        HASHES.put(TSPAlgorithms.SHA3_512, "SHA3-512");
    }

    private TimestampVerifier() {
    }

    /**
     * Verifies {@code tokenDer} as a timestamp of {@code data} by a TSA that chains to {@code trustAnchors}.
     *
     * @param tokenDer     the value of Certified Timestamp (0400,0310): the DER TimeStampToken, possibly followed by
     *                     one 00H padding byte
     * @param data         the timestamped bytes (for DICOM, the value of Signature (0400,0120))
     * @param trustAnchors trusted CA (or TSA) certificates
     * @return what the token states
     * @throws TimestampException naming the first check that failed (see the class description)
     */
    public static TimestampInfo verify(byte[] tokenDer, byte[] data, Collection<X509Certificate> trustAnchors)
            throws TimestampException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(trustAnchors, "trustAnchors");
        TimeStampToken token = parse(tokenDer);
        String hash = checkImprint(token, data);
        X509Certificate tsa = checkSignedByTsa(token, trustAnchors);
        Date genTime = token.getTimeStampInfo().getGenTime();
        checkTrusted(tsa, token, trustAnchors, genTime);
        return new TimestampInfo(genTime.toInstant(), tsa.getSubjectX500Principal().getName(),
                token.getTimeStampInfo().getPolicy().getId(), hash);
    }

    // ---- the checks, shared with TimestampClient ----

    /** Parses one TimeStampToken; allows one trailing 00H (OB padding). */
    static TimeStampToken parse(byte[] der) throws TimestampException {
        if (der == null || der.length == 0) {
            throw new TimestampException(Reason.NOT_A_TOKEN, "not an RFC 3161 timestamp token: no bytes");
        }
        ASN1Primitive obj;
        try (ASN1InputStream in = new ASN1InputStream(der)) {
            obj = in.readObject();
            int rest = in.available();
            if (obj == null) {
                throw new IOException("no ASN.1 object");
            }
            if (rest > 1 || (rest == 1 && in.read() != 0)) {
                throw new TimestampException(Reason.NOT_A_TOKEN, "not an RFC 3161 timestamp token: " + rest
                        + " byte(s) follow the ASN.1 structure (only one 00H padding byte may)");
            }
        } catch (IOException | RuntimeException e) {
            throw new TimestampException(Reason.NOT_A_TOKEN,
                    "not an RFC 3161 timestamp token: not a DER/BER encoded ASN.1 structure (" + e.getMessage() + ")",
                    e);
        }
        ContentInfo contentInfo;
        try {
            contentInfo = ContentInfo.getInstance(obj);
        } catch (RuntimeException e) {
            String hint = "";
            if (obj instanceof ASN1Sequence seq && seq.size() >= 1 && seq.getObjectAt(0) instanceof ASN1Sequence) {
                hint = " (it looks like a TimeStampResp; store the timeStampToken it contains)";
            }
            throw new TimestampException(Reason.NOT_A_TOKEN,
                    "not an RFC 3161 timestamp token: not a CMS ContentInfo" + hint, e);
        }
        if (!CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
            throw new TimestampException(Reason.NOT_A_TOKEN, "not an RFC 3161 timestamp token: the ContentInfo has "
                    + "content type " + contentInfo.getContentType().getId() + ", not signedData ("
                    + CMSObjectIdentifiers.signedData.getId() + ")");
        }
        try {
            return new TimeStampToken(contentInfo);
        } catch (TSPException | IOException | RuntimeException e) {
            throw new TimestampException(Reason.NOT_A_TOKEN, "not an RFC 3161 timestamp token: " + e.getMessage(), e);
        }
    }

    /** The JCA name of an accepted message imprint hash, or null. */
    static String hashName(ASN1ObjectIdentifier oid) {
        return HASHES.get(oid);
    }

    /** The OID of an accepted message imprint hash given by JCA name (case and '-' ignored), or null. */
    static ASN1ObjectIdentifier hashOid(String name) {
        String n = normalise(name);
        for (Map.Entry<ASN1ObjectIdentifier, String> e : HASHES.entrySet()) {
            if (normalise(e.getValue()).equals(n)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static String normalise(String name) {
        return name.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Checks the message imprint against {@code data}; returns the hash's JCA name. */
    static String checkImprint(TimeStampToken token, byte[] data) throws TimestampException {
        ASN1ObjectIdentifier oid = token.getTimeStampInfo().getMessageImprintAlgOID();
        String name = HASHES.get(oid);
        if (name == null) {
            throw new TimestampException(Reason.UNSUPPORTED_ALGORITHM, "the timestamp token's message imprint uses "
                    + "hash algorithm " + oid.getId() + ", which is not accepted (accepted: "
                    + String.join(", ", HASHES.values()) + ")");
        }
        byte[] expected;
        try {
            expected = MessageDigest.getInstance(name).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new TimestampException(Reason.UNSUPPORTED_ALGORITHM, "no JCA implementation of " + name, e);
        }
        if (!MessageDigest.isEqual(expected, token.getTimeStampInfo().getMessageImprintDigest())) {
            throw new TimestampException(Reason.IMPRINT_MISMATCH, "the timestamp token's message imprint (" + name
                    + ") is not the hash of the data: the token timestamps other data");
        }
        return name;
    }

    /**
     * Finds the signer's certificate (in the token, else in {@code extra}) and checks the signature, the certificate's
     * extended key usage, its validity at genTime and the signing-certificate attribute.
     */
    static X509Certificate checkSignedByTsa(TimeStampToken token, Collection<X509Certificate> extra)
            throws TimestampException {
        X509Certificate cert = signerCertificate(token, extra);
        String who = describe(cert);
        SignerInformationVerifier byKey;
        SignerInformationVerifier byCertificate;
        try {
            // the key alone first: Bouncy Castle's certificate verifier also judges the signingTime attribute, which
            // would hide a bad signature behind a validity complaint (and validity is judged at genTime below)
            byKey = new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(cert.getPublicKey());
            byCertificate = new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(cert);
        } catch (OperatorCreationException e) {
            throw new TimestampException(Reason.SIGNATURE_INVALID, "cannot verify signatures with the key of the TSA "
                    + "certificate " + who + ": " + e.getMessage(), e);
        }
        boolean valid;
        try {
            valid = token.isSignatureValid(byKey);
        } catch (TSPException | RuntimeException e) {
            throw new TimestampException(Reason.SIGNATURE_INVALID, "the timestamp token's signature is invalid ("
                    + e.getMessage() + "); signer " + who, e);
        }
        if (!valid) {
            throw new TimestampException(Reason.SIGNATURE_INVALID,
                    "the timestamp token's signature does not verify with the TSA certificate " + who);
        }
        checkTimeStampingUsage(cert, who);
        Date genTime = token.getTimeStampInfo().getGenTime();
        if (genTime.before(cert.getNotBefore()) || genTime.after(cert.getNotAfter())) {
            throw new TimestampException(Reason.OUTSIDE_CERTIFICATE_VALIDITY, "the timestamp token was made at "
                    + genTime.toInstant() + ", outside the validity of the TSA certificate " + who + " ("
                    + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant() + ")");
        }
        try {
            // what is left: the ESS signing-certificate binding, and a signingTime attribute, if any, within validity
            token.validate(byCertificate);
        } catch (TSPValidationException e) {
            throw new TimestampException(Reason.SIGNATURE_INVALID, "the timestamp token's signing-certificate "
                    + "attribute does not identify the TSA certificate " + who + ": " + e.getMessage(), e);
        } catch (TSPException | RuntimeException e) {
            if (e.getCause() instanceof CMSVerifierCertificateNotValidException) {
                throw new TimestampException(Reason.OUTSIDE_CERTIFICATE_VALIDITY, "the timestamp token's signingTime "
                        + "attribute lies outside the validity of the TSA certificate " + who + " ("
                        + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant() + ")", e);
            }
            throw new TimestampException(Reason.SIGNATURE_INVALID, "the timestamp token cannot be validated with the "
                    + "TSA certificate " + who + ": " + e.getMessage(), e);
        }
        return cert;
    }

    private static X509Certificate signerCertificate(TimeStampToken token, Collection<X509Certificate> extra)
            throws TimestampException {
        SignerId sid = token.getSID();
        Store<X509CertificateHolder> store = token.getCertificates();
        Collection<X509CertificateHolder> matches = store.getMatches(sid);
        try {
            if (!matches.isEmpty()) {
                return new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
            }
            for (X509Certificate c : extra) {
                if (sid.match(new JcaX509CertificateHolder(c))) {
                    return c;
                }
            }
        } catch (CertificateException e) {
            throw new TimestampException(Reason.NOT_A_TOKEN, "the timestamp token carries a malformed certificate: "
                    + e.getMessage(), e);
        }
        String id = sid.getIssuer() != null
                ? "issuer " + sid.getIssuer() + ", serial number " + sid.getSerialNumber()
                : "subject key identifier " + (sid.getSubjectKeyIdentifier() == null ? "(none)"
                        : new BigInteger(1, sid.getSubjectKeyIdentifier()).toString(16));
        throw new TimestampException(Reason.SIGNER_CERTIFICATE_MISSING, "the timestamp token does not carry the TSA "
                + "certificate (" + id + ") and no trusted certificate is that certificate; request tokens with "
                + "certReq=true");
    }

    /** RFC 3161 §2.3: exactly one instance of extended key usage, solely id-kp-timeStamping, critical. */
    private static void checkTimeStampingUsage(X509Certificate cert, String who) throws TimestampException {
        List<String> usages;
        try {
            usages = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new TimestampException(Reason.NOT_A_TSA_CERTIFICATE, "the TSA certificate " + who
                    + " has a malformed extended key usage extension", e);
        }
        String eku = Extension.extendedKeyUsage.getId();
        String timeStamping = KeyPurposeId.id_kp_timeStamping.getId();
        if (usages == null) {
            throw new TimestampException(Reason.NOT_A_TSA_CERTIFICATE, "the TSA certificate " + who + " has no "
                    + "extended key usage extension; RFC 3161 §2.3 requires a critical one with only id-kp-timeStamping ("
                    + timeStamping + ")");
        }
        if (usages.size() != 1 || !timeStamping.equals(usages.get(0))) {
            throw new TimestampException(Reason.NOT_A_TSA_CERTIFICATE, "the TSA certificate " + who + " has extended "
                    + "key usage " + usages + "; RFC 3161 §2.3 requires only id-kp-timeStamping (" + timeStamping + ")");
        }
        Set<String> critical = cert.getCriticalExtensionOIDs();
        if (critical == null || !critical.contains(eku)) {
            throw new TimestampException(Reason.NOT_A_TSA_CERTIFICATE, "the TSA certificate " + who + " has its "
                    + "extended key usage extension not marked critical, as RFC 3161 §2.3 requires");
        }
    }

    /** PKIX at {@code at}, revocation off, the token's certificates as intermediates. */
    private static void checkTrusted(X509Certificate tsa, TimeStampToken token, Collection<X509Certificate> anchors,
            Date at) throws TimestampException {
        String who = describe(tsa);
        if (anchors.isEmpty()) {
            throw new TimestampException(Reason.UNTRUSTED, "the TSA certificate " + who
                    + " cannot be trusted: no trusted certificates were given");
        }
        for (X509Certificate a : anchors) {
            if (a.equals(tsa)) {
                return;
            }
        }
        List<X509Certificate> pool = new ArrayList<>();
        pool.add(tsa);
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try {
            for (X509CertificateHolder h : token.getCertificates().getMatches(null)) {
                pool.add(converter.getCertificate(h));
            }
        } catch (CertificateException e) {
            throw new TimestampException(Reason.NOT_A_TOKEN, "the timestamp token carries a malformed certificate: "
                    + e.getMessage(), e);
        }
        try {
            PkixPaths.build(tsa, anchors, pool, at, false);
        } catch (CertPathBuilderException e) {
            throw new TimestampException(Reason.UNTRUSTED, "the TSA certificate " + who + " is not trusted: no "
                    + "certification path to a trusted certificate at " + at.toInstant() + " (" + e.getMessage() + ")",
                    e);
        } catch (GeneralSecurityException e) {
            throw new TimestampException(Reason.UNTRUSTED, "the TSA certificate " + who + " cannot be checked: "
                    + e.getMessage(), e);
        }
    }

    static String describe(X509Certificate cert) {
        return "'" + cert.getSubjectX500Principal().getName() + "' (issuer '" + cert.getIssuerX500Principal().getName()
                + "', serial number " + cert.getSerialNumber() + ")";
    }
}
