package org.cameldicomsecure.sign;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;

/**
 * Verifies every digital signature of an instance, at the top level and inside sequence items (PS3.3 C.12.1.1.3,
 * PS3.15 Annex C): the MAC is recomputed from the values as they were read (the codec keeps them bit for bit), the
 * signature checked with the Certificate of Signer, that certificate validated against the trusted certificates at
 * the signing time (the certified time when a timestamp is present, else Digital Signature DateTime), and a Certified
 * Timestamp checked against the Signature value.
 */
public final class SignatureVerifier {

    private static final int TRUSTED_CACHE_SIZE = 256;

    private final VerificationOptions options;
    /**
     * Certificates of signer already validated against the trust anchors (without CRLs only): the path of one
     * certificate to an anchor depends on the date only through that certificate's validity, so later signatures by
     * the same signer need only that check. Bounded, least recently used first out.
     */
    private final Map<X509Certificate, Boolean> trusted = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<X509Certificate, Boolean> eldest) {
                    return size() > TRUSTED_CACHE_SIZE;
                }
            });

    /** A verifier; it is thread-safe and meant to be reused, as it remembers signers it has validated. */
    public SignatureVerifier(VerificationOptions options) {
        this.options = options;
    }

    public VerificationResult verify(Dataset root) {
        List<SignatureCheck> checks = new ArrayList<>();
        List<Dataset> levels = new ArrayList<>();
        walk(root, "", checks, levels);
        SignatureRequirement req = options.requirement();
        if (checks.isEmpty()) {
            return new VerificationResult(SignatureStatus.ABSENT, checks,
                    req == null ? null : "the instance has no digital signature; " + req + " signature required");
        }
        for (SignatureCheck c : checks) {
            if (!c.valid()) {
                return new VerificationResult(SignatureStatus.INVALID, checks, "signature " + c.info().uid()
                        + (c.info().location().isEmpty() ? "" : " in item " + c.info().location()) + ": " + c.reason());
            }
        }
        if (req != null) {
            String unmet = unmet(req, checks, levels);
            if (unmet != null) {
                return new VerificationResult(SignatureStatus.INVALID, checks, unmet);
            }
        }
        return new VerificationResult(SignatureStatus.VALID, checks, null);
    }

    private static String unmet(SignatureRequirement req, List<SignatureCheck> checks, List<Dataset> levels) {
        SignatureProfile p = req.profile();
        if (p == null) {
            return null;
        }
        boolean found = false;
        for (SignatureCheck c : checks) {
            found |= c.profiles().contains(p);
        }
        if (!found) {
            StringBuilder missing = new StringBuilder();
            for (int i = 0; i < checks.size() && missing.length() == 0; i++) {
                SignatureCheck c = checks.get(i);
                if (c.info().location().isEmpty() && "RSA".equals(c.info().keyAlgorithm())) {
                    missing.append(missingTags(levels.get(i), c.info().signedTags(), p));
                }
            }
            return "no valid " + p + " signature: none at the top level covers all the attributes PS3.15 requires for "
                    + "that profile" + (missing.length() == 0 ? "" : " (e.g. unsigned: " + missing + ")");
        }
        if (p == SignatureProfile.SR) {
            for (int i = 0; i < checks.size(); i++) {
                Dataset ds = levels.get(i);
                if (!SignatureProfile.verifiedReport(ds) || !checks.get(i).info().location().isEmpty()) {
                    continue;
                }
                boolean verification = false;
                for (int j = 0; j < checks.size(); j++) {
                    SignatureCheck c = checks.get(j);
                    verification |= levels.get(j) == ds && SignaturePurpose.VERIFICATION.codeValue().equals(c.info().purpose())
                            && covers(ds, c.info().signedTags(), SignatureProfile.SR, true);
                }
                if (!verification) {
                    return "the report is VERIFIED but no valid signature has purpose VERIFICATION (5) and covers SOP "
                            + "Instance UID, Verification Flag, Verifying Observer Sequence and Verification DateTime "
                            + "(PS3.15 C.4)";
                }
            }
        }
        return null;
    }

    private void walk(Dataset ds, String location, List<SignatureCheck> checks, List<Dataset> levels) {
        Sequence sigs = ds.getSequence(Tag.DigitalSignaturesSequence);
        if (sigs != null) {
            for (int i = 0; i < sigs.size(); i++) {
                checks.add(check(ds, location, sigs.get(i), i + 1));
                levels.add(ds);
            }
        }
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            if (tag == Tag.DigitalSignaturesSequence || tag == Tag.MACParametersSequence) {
                continue;
            }
            if (ds.valueAt(i) instanceof Sequence s) {
                for (int k = 0; k < s.size(); k++) {
                    walk(s.get(k), ItemPath.child(location, tag, k), checks, levels);
                }
            }
        }
    }

    private SignatureCheck check(Dataset ds, String location, Dataset item, int number) {
        String uid = text(item, Tag.DigitalSignatureUID);
        int macId = DicomSigner.macIdOf(item);
        String dateTime = text(item, Tag.DigitalSignatureDateTime);
        String purpose = purposeOf(item);
        boolean timestamped = item.contains(Tag.CertifiedTimestamp);
        X509Certificate cert = null;
        String certProblem = null;
        try {
            cert = certificate(item);
        } catch (SignatureException e) {
            certProblem = e.getMessage();
        }
        Dataset mac = macParameters(ds, macId);
        String macTerm = mac == null ? null : text(mac, Tag.MACAlgorithm);
        List<Integer> signed = mac == null ? List.of() : MacByteStream.dataElementsSigned(mac);
        SignatureInfo info = new SignatureInfo(location, uid == null ? "(item " + number + ", no UID)" : uid, macId,
                dateTime, cert == null ? null : cert.getSubjectX500Principal().getName(),
                cert == null ? null : cert.getPublicKey().getAlgorithm(), macTerm, signed, purpose, timestamped);
        try {
            if (macId < 0) {
                throw new SignatureException("the Digital Signatures item has no MAC ID Number (0400,0005)");
            }
            if (mac == null) {
                throw new SignatureException("no MAC Parameters Sequence (4FFE,0001) item with MAC ID Number " + macId
                        + " at the level of the signature");
            }
            if (certProblem != null) {
                throw new SignatureException(certProblem);
            }
            String type = text(item, Tag.CertificateType);
            if (!DicomSigner.CERTIFICATE_TYPE.equals(type)) {
                throw new SignatureException("Certificate Type (0400,0110) is " + (type == null ? "absent" : "\"" + type
                        + "\"") + ", not " + DicomSigner.CERTIFICATE_TYPE);
            }
            MacAlgorithm algorithm = MacAlgorithm.of(macTerm);
            String ts = text(mac, Tag.MACCalculationTransferSyntaxUID);
            TransferSyntax macTs = ts == null ? null : TransferSyntax.of(ts);
            if (macTs == null || !macTs.explicitVr() || macTs.bigEndian()) {
                throw new SignatureException("MAC Calculation Transfer Syntax UID " + ts
                        + " is not an explicit VR little endian transfer syntax (PS3.3 C.12-6)");
            }
            int[] tags = orderedTags(ds, signed);
            byte[] signature = item.getBytes(Tag.Signature);
            if (signature == null || signature.length == 0) {
                throw new SignatureException("the Digital Signatures item has no Signature (0400,0120)");
            }
            signature = withoutPad(signature);
            if (!macMatches(ds, tags, item, cert, algorithm, signature)) {
                throw new SignatureException("the signature does not match: the signed elements or the signature itself "
                        + "were changed since signing");
            }
            boolean[] usage = cert.getKeyUsage();
            if (usage != null && !usage[0] && !(usage.length > 1 && usage[1])) {
                throw new SignatureException("the certificate of signer may not sign: its key usage allows neither "
                        + "digitalSignature nor nonRepudiation");
            }
            Instant certified = null;
            if (timestamped) {
                String tt = text(item, Tag.CertifiedTimestampType);
                if (!DicomSigner.TIMESTAMP_TYPE.equals(tt)) {
                    throw new SignatureException("Certified Timestamp Type (0400,0305) is " + (tt == null ? "absent" : "\""
                            + tt + "\"") + ", not " + DicomSigner.TIMESTAMP_TYPE);
                }
                if (options.timestampValidator() == null) {
                    throw new SignatureException("the signature has a certified timestamp but no timestamp checker is "
                            + "configured");
                }
                certified = options.timestampValidator().validate(withoutPad(item.getBytes(Tag.CertifiedTimestamp)),
                        signature);
            }
            Instant signingTime = certified != null ? certified : parseDateTime(dateTime);
            validateChain(cert, signingTime);
            Set<SignatureProfile> profiles = profiles(ds, info);
            return new SignatureCheck(info, true, null, profiles, certified);
        } catch (SignatureException e) {
            return new SignatureCheck(info, false, e.getMessage(), Set.of(), null);
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            return new SignatureCheck(info, false, e.getMessage(), Set.of(), null);
        }
    }

    /**
     * The profiles a valid signature satisfies. Creator, Authorization and SR signatures sign the SOP Instance: they
     * are at the top level of the data set (PS3.15 C.4 says so; C.2 and C.3 demand the SOP Class and Instance UIDs
     * and the Study and Series Instance UIDs, C.4 the SOP Class UID and the Study and Series Instance UIDs, which only
     * the top level has), so a signature in a sequence item is a BASE signature only, whatever it covers.
     */
    private static Set<SignatureProfile> profiles(Dataset ds, SignatureInfo info) {
        Set<SignatureProfile> profiles = EnumSet.noneOf(SignatureProfile.class);
        if (!"RSA".equals(info.keyAlgorithm())) {
            return profiles;
        }
        profiles.add(SignatureProfile.BASE);
        List<Integer> signed = info.signedTags();
        boolean uids = info.location().isEmpty()
                && signed.containsAll(List.of(Tag.SOPClassUID, Tag.StudyInstanceUID, Tag.SeriesInstanceUID));
        if (!uids) {
            return profiles;
        }
        for (SignatureProfile p : List.of(SignatureProfile.CREATOR, SignatureProfile.AUTHORIZATION)) {
            if (signed.contains(Tag.SOPInstanceUID) && covers(ds, signed, p, false)) {
                profiles.add(p);
            }
        }
        if (info.purpose() != null && ds.contains(Tag.ValueType) && ds.contains(Tag.ContentSequence)
                && covers(ds, signed, SignatureProfile.SR, false)) {
            profiles.add(SignatureProfile.SR);
        }
        return profiles;
    }

    /** Up to five required elements of {@code ds} that {@code signed} leaves out, as "(gggg,eeee)" joined by ", ". */
    private static String missingTags(Dataset ds, List<Integer> signed, SignatureProfile profile) {
        Set<Integer> s = new HashSet<>(signed);
        List<String> out = new ArrayList<>();
        for (int tag : List.of(Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.StudyInstanceUID, Tag.SeriesInstanceUID)) {
            if (profile != SignatureProfile.SR && !s.contains(tag) && out.size() < 5) {
                out.add(Tag.toString(tag));
            }
        }
        for (int i = 0; i < ds.size() && out.size() < 5; i++) {
            int tag = ds.tagAt(i);
            if (profile.requires(tag, false) && !s.contains(tag) && !out.contains(Tag.toString(tag))) {
                out.add(Tag.toString(tag));
            }
        }
        return String.join(", ", out);
    }

    /** Whether every element of {@code ds} that {@code profile} requires is among {@code signed}. */
    static boolean covers(Dataset ds, List<Integer> signed, SignatureProfile profile, boolean verified) {
        Set<Integer> s = new HashSet<>(signed);
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            if (profile.requires(tag, verified) && !s.contains(tag)) {
                return false;
            }
        }
        return true;
    }

    private static int[] orderedTags(Dataset ds, List<Integer> signed) throws SignatureException {
        if (signed.isEmpty()) {
            throw new SignatureException("Data Elements Signed (0400,0020) is empty");
        }
        int[] tags = new int[signed.size()];
        for (int i = 0; i < tags.length; i++) {
            int tag = signed.get(i);
            Object value = ds.value(tag);
            if (value == null) {
                throw new SignatureException("signed element " + Tag.toString(tag) + " is missing from the data set");
            }
            String why = MacByteStream.whyUnsignable(tag, ds.vrOf(tag), value);
            if (why != null) {
                throw new SignatureException("Data Elements Signed lists " + Tag.toString(tag) + ", but " + why);
            }
            tags[i] = tag;
        }
        return MacByteStream.inDataSetOrder(tags);
    }

    private static boolean macMatches(Dataset ds, int[] tags, Dataset item, X509Certificate cert, MacAlgorithm mac,
            byte[] signature) throws SignatureException, IOException {
        try {
            MacSignature s = MacSignature.verifying(mac, cert.getPublicKey());
            s.update(ds, tags, item);
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            // a malformed signature value (e.g. not DER for ECDSA) is a signature that does not match
            return false;
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new SignatureException("cannot verify with " + mac.term() + " and a "
                    + cert.getPublicKey().getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    private void validateChain(X509Certificate cert, Instant signingTime) throws SignatureException {
        if (options.trustedCertificates().isEmpty()) {
            throw new SignatureException("the certificate of signer " + cert.getSubjectX500Principal().getName()
                    + " cannot be checked: no trusted certificates are configured");
        }
        boolean cacheable = options.crls().isEmpty();
        if (cacheable && trusted.containsKey(cert)) {
            if (!cert.getNotBefore().toInstant().isAfter(signingTime) && !cert.getNotAfter().toInstant().isBefore(signingTime)) {
                return;
            }
            // outside the validity: let PKIX say so below
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate c : options.trustedCertificates()) {
                anchors.add(new TrustAnchor(c, null));
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setDate(Date.from(signingTime));
            if (options.crls().isEmpty()) {
                params.setRevocationEnabled(false);
            } else {
                params.setRevocationEnabled(true);
                params.addCertStore(CertStore.getInstance("Collection",
                        new CollectionCertStoreParameters(options.crls())));
            }
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert));
            CertPathValidator.getInstance("PKIX").validate(path, params);
            if (cacheable) {
                trusted.put(cert, Boolean.TRUE);
            }
        } catch (CertPathValidatorException e) {
            String why = e.getReason() != null ? e.getReason().toString() : "";
            throw new SignatureException("the certificate of signer " + cert.getSubjectX500Principal().getName()
                    + " is not trusted at the signing time " + signingTime + ": " + e.getMessage()
                    + (why.isEmpty() || "UNSPECIFIED".equals(why) ? "" : " (" + why + ")"));
        } catch (GeneralSecurityException e) {
            throw new SignatureException("cannot validate the certificate of signer: " + e.getMessage(), e);
        }
    }

    private static X509Certificate certificate(Dataset item) throws SignatureException {
        byte[] der = item.getBytes(Tag.CertificateOfSigner);
        if (der == null || der.length == 0) {
            throw new SignatureException("the Digital Signatures item has no Certificate of Signer (0400,0115)");
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(withoutPad(der)));
        } catch (CertificateException e) {
            throw new SignatureException("Certificate of Signer (0400,0115) is not an X.509 certificate");
        }
    }

    /**
     * A DER value without the pad byte DICOM adds to odd lengths: when the value is one DER element whose encoded
     * length is one byte shorter than the value, and that byte is zero.
     */
    static byte[] withoutPad(byte[] v) {
        if (v == null || v.length < 3 || v[v.length - 1] != 0) {
            return v;
        }
        int len = v[1] & 0xFF;
        int header = 2;
        if (len > 0x80) {
            int n = len & 0x7F;
            if (n > 4 || v.length < 2 + n) {
                return v;
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (v[2 + i] & 0xFF);
            }
            header = 2 + n;
        } else if (len == 0x80) {
            return v;
        }
        return (long) header + len == v.length - 1L ? Arrays.copyOf(v, v.length - 1) : v;
    }

    private static Dataset macParameters(Dataset ds, int macId) {
        Sequence s = ds.getSequence(Tag.MACParametersSequence);
        if (s == null || macId < 0) {
            return null;
        }
        for (Dataset item : s) {
            if (DicomSigner.macIdOf(item) == macId) {
                return item;
            }
        }
        return null;
    }

    private static String purposeOf(Dataset item) {
        Sequence s = item.getSequence(Tag.DigitalSignaturePurposeCodeSequence);
        if (s == null || s.isEmpty()) {
            return null;
        }
        return text(s.get(0), Tag.CodeValue);
    }

    private static String text(Dataset ds, int tag) {
        try {
            String s = ds.getString(tag);
            return s == null ? null : s.trim();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static final DateTimeFormatter DT_SECONDS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    /** Digital Signature DateTime as an instant; "now" when it is absent or cannot be read. */
    static Instant parseDateTime(String dt) {
        if (dt == null || dt.length() < 14) {
            return Instant.now();
        }
        try {
            String s = dt.trim();
            ZoneOffset offset = ZoneOffset.UTC;
            int sign = Math.max(s.indexOf('+'), s.indexOf('-'));
            if (sign > 0) {
                offset = ZoneOffset.of(s.substring(sign, sign + 3) + ":" + s.substring(sign + 3, sign + 5));
                s = s.substring(0, sign);
            }
            LocalDateTime t = LocalDateTime.parse(s.substring(0, 14), DT_SECONDS);
            int dot = s.indexOf('.');
            if (dot == 14 && s.length() > 15) {
                String frac = (s.substring(15) + "000000").substring(0, 6);
                t = t.plusNanos(Long.parseLong(frac) * 1000);
            }
            return t.toInstant(offset);
        } catch (RuntimeException e) {
            return Instant.now();
        }
    }
}
