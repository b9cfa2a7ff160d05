package org.cameldicomsecure.sign;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;

/**
 * Adds a DICOM digital signature to a data set or to one of its sequence items (PS3.3 C.12.1.1.3, PS3.15 Annex C): a
 * MAC Parameters Sequence (4FFE,0001) item and a Digital Signatures Sequence (FFFA,FFFA) item at the level of the
 * signed elements.
 *
 * <p>The MAC is computed over the Explicit VR Little Endian byte stream of {@link MacByteStream} and signed with RSA
 * PKCS #1 v1.5 (PS3.15 C.1) or ECDSA; bulk data is streamed from its file. Nothing else in the data set changes, so
 * signatures already present stay valid. If signing fails the data set is left as it was.
 */
public final class DicomSigner {

    /** Certificate Type (0400,0110) of an X.509 signature certificate, PS3.15 C.1. */
    public static final String CERTIFICATE_TYPE = "X509_1993_SIG";
    /** Certified Timestamp Type (0400,0305) of an RFC 3161 token. */
    public static final String TIMESTAMP_TYPE = "CMS_TSP";

    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSSSSxx");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Signs {@code ds} itself. */
    public SignatureInfo sign(Dataset ds, SignerCredentials signer, SigningOptions options)
            throws SignatureException, IOException {
        return sign(ds, ItemPath.parse(""), signer, options);
    }

    /**
     * Signs the item at {@code path} inside {@code root} (the data set itself for an empty path).
     *
     * @throws SignatureException naming the cause; the data set is then unchanged
     */
    public SignatureInfo sign(Dataset root, ItemPath path, SignerCredentials signer, SigningOptions options)
            throws SignatureException, IOException {
        SignatureProfile profile = options.profile();
        if (profile.rsaOnly() && !"RSA".equals(signer.keyAlgorithm())) {
            throw new SignatureException("profile " + profile + " is an RSA profile (PS3.15 C.1); an " + signer.keyAlgorithm()
                    + " key signs only with profile NONE");
        }
        ZonedDateTime now = ZonedDateTime.now(options.clock());
        signer.checkValidAt(Date.from(now.toInstant()));
        Dataset target = path.resolve(root);
        if (profile.listsAttributes() && !path.isEmpty()) {
            throw new SignatureException("profile " + profile + " signs the SOP Instance at the top level of the data "
                    + "set (PS3.15 C.2-C.4), not sequence item " + path + ": sign the item with profile BASE or NONE");
        }
        boolean verified = false;
        if (profile == SignatureProfile.SR) {
            if (options.purpose() == null) {
                throw new SignatureException("profile SR requires a signature purpose (PS3.15 C.4): set one, e.g. AUTHOR "
                        + "or VERIFICATION");
            }
            if (!target.contains(Tag.ValueType) || !target.contains(Tag.ContentSequence)) {
                throw new SignatureException("profile SR signs Structured Reports and Key Object Selection documents: "
                        + "the data set has no SR Document Content (Value Type (0040,A040) and Content Sequence (0040,A730))");
            }
            verified = options.purpose() == SignaturePurpose.VERIFICATION && SignatureProfile.verifiedReport(target);
        }
        int[] tags = select(target, profile, options.tags(), verified);
        int macId = nextMacId(top(root));

        byte[] certificate;
        try {
            certificate = signer.certificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new SignatureException("the certificate of signer cannot be encoded", e);
        }
        Sequence signatures = target.getSequence(Tag.DigitalSignaturesSequence);
        boolean newSignatures = signatures == null;
        Sequence macParameters = target.getSequence(Tag.MACParametersSequence);
        boolean newMacParameters = macParameters == null;
        if (newSignatures) {
            signatures = target.newSequence(Tag.DigitalSignaturesSequence);
        }
        Dataset item = signatures.addItem();
        try {
            String uid = "2.25." + new BigInteger(1, random128());
            String dateTime = DT.format(now);
            item.setInt(Tag.MACIDNumber, VR.US, macId);
            item.setString(Tag.DigitalSignatureUID, VR.UI, uid);
            item.setString(Tag.DigitalSignatureDateTime, VR.DT, dateTime);
            item.setString(Tag.CertificateType, VR.CS, CERTIFICATE_TYPE);
            item.setBytes(Tag.CertificateOfSigner, VR.OB, certificate);
            if (options.purpose() != null) {
                Dataset code = item.newSequence(Tag.DigitalSignaturePurposeCodeSequence).addItem();
                code.setString(Tag.CodeValue, VR.SH, options.purpose().codeValue());
                code.setString(Tag.CodingSchemeDesignator, VR.SH, SignaturePurpose.CODING_SCHEME);
                code.setString(Tag.CodeMeaning, VR.LO, options.purpose().codeMeaning());
            }
            byte[] signature = signMac(target, tags, item, signer, options.macAlgorithm());
            item.setBytes(Tag.Signature, VR.OB, signature);
            if (options.timestamper() != null) {
                byte[] token = options.timestamper().timestamp(signature);
                item.setString(Tag.CertifiedTimestampType, VR.CS, TIMESTAMP_TYPE);
                item.setBytes(Tag.CertifiedTimestamp, VR.OB, token);
            }
            if (newMacParameters) {
                macParameters = target.newSequence(Tag.MACParametersSequence);
            }
            Dataset mac = macParameters.addItem();
            mac.setInt(Tag.MACIDNumber, VR.US, macId);
            mac.setString(Tag.MACCalculationTransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
            mac.setString(Tag.MACAlgorithm, VR.CS, options.macAlgorithm().term());
            mac.setBytes(Tag.DataElementsSigned, VR.AT, attributeTags(tags, mac.bigEndian()));
            List<Integer> signed = new ArrayList<>(tags.length);
            for (int t : tags) {
                signed.add(t);
            }
            return new SignatureInfo(path.toString(), uid, macId, dateTime,
                    signer.certificate().getSubjectX500Principal().getName(), signer.keyAlgorithm(),
                    options.macAlgorithm().term(), signed,
                    options.purpose() == null ? null : options.purpose().codeValue(), options.timestamper() != null);
        } catch (SignatureException | IOException | RuntimeException e) {
            rollBack(target, signatures, newSignatures, Tag.DigitalSignaturesSequence);
            if (!newMacParameters && macParameters.size() > 0 && hasMacId(macParameters.get(macParameters.size() - 1), macId)) {
                macParameters.remove(macParameters.size() - 1);
            } else if (newMacParameters) {
                target.remove(Tag.MACParametersSequence);
            }
            throw e;
        }
    }

    private static boolean hasMacId(Dataset item, int macId) {
        return macIdOf(item) == macId;
    }

    private static void rollBack(Dataset target, Sequence seq, boolean created, int tag) {
        if (created) {
            target.remove(tag);
        } else {
            seq.remove(seq.size() - 1);
        }
    }

    private static byte[] signMac(Dataset target, int[] tags, Dataset item, SignerCredentials signer, MacAlgorithm mac)
            throws SignatureException, IOException {
        try {
            MacSignature s = MacSignature.signing(mac, signer.key());
            s.update(target, tags, item);
            return s.sign();
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new SignatureException("cannot sign with " + mac.signatureName(signer.keyAlgorithm()) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The elements a new signature covers, in data set order. */
    static int[] select(Dataset ds, SignatureProfile profile, List<Integer> asked, boolean verified)
            throws SignatureException {
        Set<Integer> wanted = new HashSet<>();
        for (int tag : asked) {
            Object value = ds.value(tag);
            if (!MacByteStream.signableTag(tag)) {
                throw new SignatureException("cannot sign element " + Tag.toString(tag) + ": "
                        + MacByteStream.whyUnsignable(tag, VR.UN, null));
            }
            if (value == null) {
                throw new SignatureException("element " + Tag.toString(tag) + " to be signed is not in the data set");
            }
            String why = MacByteStream.whyUnsignable(tag, ds.vrOf(tag), value);
            if (why != null) {
                throw new SignatureException("cannot sign element " + Tag.toString(tag) + ": " + why);
            }
            wanted.add(tag);
        }
        boolean all = !profile.listsAttributes() && asked.isEmpty();
        int[] tags = new int[ds.size()];
        int n = 0;
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            boolean signable = MacByteStream.signable(tag, ds.vrAt(i), ds.valueAt(i));
            if (all || !wanted.contains(tag) && !profile.requires(tag, verified)) {
                // everything signable, or what DCMTK's profile checks want beyond the standard's minimum
                if (!signable || !all && !profile.signs(ds, tag, verified)) {
                    continue;
                }
            } else if (!signable) {
                throw new SignatureException("profile " + profile + " requires element " + Tag.toString(tag)
                        + " to be signed, but " + MacByteStream.whyUnsignable(tag, ds.vrAt(i), ds.valueAt(i)));
            }
            tags[n++] = tag;
        }
        if (n == 0) {
            throw new SignatureException("nothing to sign: the data set has no element that profile " + profile
                    + (asked.isEmpty() ? "" : " and the tags asked for") + " would cover");
        }
        return java.util.Arrays.copyOf(tags, n);
    }

    private static Dataset top(Dataset ds) {
        Dataset d = ds;
        while (d.parent() != null) {
            d = d.parent();
        }
        return d;
    }

    /** One more than the largest MAC ID Number anywhere in the instance (unique within the SOP Instance, PS3.3 C.12-6). */
    static int nextMacId(Dataset root) throws SignatureException {
        int max = maxMacId(root, 0);
        if (max >= 0xFFFF) {
            throw new SignatureException("no MAC ID Number left: the instance already uses 65535");
        }
        return max + 1;
    }

    private static int maxMacId(Dataset ds, int max) {
        for (int i = 0; i < ds.size(); i++) {
            if (ds.valueAt(i) instanceof Sequence s) {
                boolean holdsIds = ds.tagAt(i) == Tag.MACParametersSequence || ds.tagAt(i) == Tag.DigitalSignaturesSequence;
                for (Dataset item : s) {
                    if (holdsIds) {
                        max = Math.max(max, macIdOf(item));
                    } else {
                        max = maxMacId(item, max);
                    }
                }
            }
        }
        return max;
    }

    /** MAC ID Number (0400,0005) of an item, or -1 if absent or not a readable US value. */
    static int macIdOf(Dataset item) {
        if (item.vrOf(Tag.MACIDNumber) != VR.US) {
            return -1;
        }
        return item.getInt(Tag.MACIDNumber, -1);
    }

    static byte[] attributeTags(int[] tags, boolean bigEndian) {
        byte[] b = new byte[tags.length * 4];
        for (int i = 0; i < tags.length; i++) {
            ByteOrderUtil.putUint16(b, 4 * i, Tag.group(tags[i]), bigEndian);
            ByteOrderUtil.putUint16(b, 4 * i + 2, Tag.element(tags[i]), bigEndian);
        }
        return b;
    }

    private static byte[] random128() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }
}
