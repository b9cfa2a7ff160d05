package org.cameldicomsecure.sign;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;

/**
 * The references of a Structured Report or Key Object Selection document to its evidence, as the Basic SR Digital
 * Signatures Secure Use Profile wants them (PS3.15 A.4): every instance listed in the Referenced SOP Sequence
 * (0008,1199) items of Current Requested Procedure Evidence Sequence (0040,A375) and Pertinent Other Evidence Sequence
 * (0040,A385) (Hierarchical SOP Instance Reference Macro: study item &gt; Referenced Series Sequence (0008,1115) &gt;
 * Referenced SOP Sequence) carries a Referenced SOP Instance MAC Sequence (0400,0403) and/or a Referenced Digital
 * Signature Sequence (0400,0402) (PS3.3 Table C.17-3a).
 *
 * <ul>
 * <li>Referenced SOP Instance MAC Sequence: one item (PS3.3 C.17-3a: "Only a single Item is permitted") with MAC
 * Calculation Transfer Syntax UID = Explicit VR Little Endian, MAC Algorithm, Data Elements Signed = every signable
 * top-level element of the referenced instance (in data set order; PS3.3 C.12.1.1.3.1.1 excludes File Meta
 * Information, group lengths, VR UN, the Digital Signatures and MAC Parameters Sequences, ...), and MAC (0400,0404) =
 * the plain digest of their byte stream ({@link MacByteStream}): "generated as described in Section C.12.1.1.3, but
 * unencrypted and without inclusion of fields from the Digital Signatures Sequence". MAC Algorithm is one of those
 * PS3.15 C.4 permits; new MACs use SHA256, SHA384 or SHA512 (RIPEMD160, MD5 and SHA1 are only checked).</li>
 * <li>Referenced Digital Signature Sequence: one item per top-level Digital Signatures Sequence (FFFA,FFFA) item of
 * the referenced instance, with its Digital Signature UID (0400,0100) and Signature (0400,0120).</li>
 * </ul>
 * The referenced instances are looked up by Referenced SOP Instance UID (0008,1155). Messages name SOP Instance UIDs
 * and tags, never values.
 */
public final class ReferencedInstanceMacs {

    /** The MAC algorithms PS3.15 C.4 allows in a Referenced SOP Instance MAC Sequence. */
    private static final Set<MacAlgorithm> C4_ALGORITHMS = EnumSet.of(MacAlgorithm.RIPEMD160, MacAlgorithm.MD5,
            MacAlgorithm.SHA1, MacAlgorithm.SHA256, MacAlgorithm.SHA384, MacAlgorithm.SHA512);

    private static final int[] EVIDENCE = {Tag.CurrentRequestedProcedureEvidenceSequence,
        Tag.PertinentOtherEvidenceSequence};

    private ReferencedInstanceMacs() {
    }

    /** What {@link #addTo} did. */
    public static final class Result {

        private final int added;
        private final int upToDate;
        private final List<String> notFound;
        private final List<String> incomplete;
        private final List<Dataset> changed;

        private Result(int upToDate, List<String> notFound, List<String> incomplete, List<Dataset> changed) {
            this.added = changed.size();
            this.upToDate = upToDate;
            this.notFound = List.copyOf(notFound);
            this.incomplete = List.copyOf(incomplete);
            this.changed = changed;
        }

        /**
         * References that received a Referenced SOP Instance MAC Sequence (and a Referenced Digital Signature Sequence
         * when the instance is signed).
         */
        public int added() {
            return added;
        }

        /** References that already had one or both sequences, still matching their instance: left as they were. */
        public int upToDate() {
            return upToDate;
        }

        /** References that meet PS3.15 A.4 after the call (as far as their instance was found): added + upToDate. */
        public int completed() {
            return added + upToDate;
        }

        /** SOP Instance UIDs of the references whose instance was not found (left as they were), in report order. */
        public List<String> notFound() {
            return notFound;
        }

        /** Those of {@link #notFound} that carry neither sequence: the report does not meet PS3.15 A.4 for them. */
        public List<String> incomplete() {
            return incomplete;
        }

        /** Removes what the call added, leaving the report as it was before (for a caller whose signing then fails). */
        public void undo() {
            for (Dataset item : changed) {
                item.remove(Tag.ReferencedSOPInstanceMACSequence);
                item.remove(Tag.ReferencedDigitalSignatureSequence);
            }
            changed.clear();
        }

        @Override
        public String toString() {
            return "added " + added + ", up to date " + upToDate + ", not found " + notFound;
        }
    }

    /** One Referenced SOP Sequence item of the evidence, and where it is. */
    private record Reference(Dataset item, String location, int evidence, Dataset study, Dataset series, String uid) {
    }

    /** A Digital Signatures Sequence item of a referenced instance, as a Referenced Digital Signature item holds it. */
    private record HeldSignature(String uid, byte[] signature) {
    }

    /**
     * Adds a Referenced SOP Instance MAC Sequence (and, for a signed instance, a Referenced Digital Signature
     * Sequence) to every evidence reference that has neither and whose instance {@code referenced} finds (by SOP
     * Instance UID; it returns null for an unknown one). A reference that already has one of them is checked
     * against the instance, and left as it is if it matches. Call it before the report is signed: the SR signature
     * covers both evidence sequences (PS3.15 C.4).
     *
     * @param mac SHA256, SHA384 or SHA512
     * @throws SignatureException naming the reference, when the algorithm is not one for new MACs, a reference has no
     *                            Referenced SOP Instance UID, a found instance has another SOP Class UID than the
     *                            reference, an existing reference no longer matches its instance (the instance
     *                            changed: remove that reference's sequences to reference it anew), or a signature of
     *                            the report covers an element that would change; the report is then unchanged
     * @throws IOException        if a value of a referenced instance cannot be read; the report is then unchanged
     */
    public static Result addTo(Dataset report, Function<String, Dataset> referenced, MacAlgorithm mac)
            throws SignatureException, IOException {
        if (!mac.signingAllowed() || !C4_ALGORITHMS.contains(mac)) {
            throw new SignatureException("MAC Algorithm " + mac.term() + " cannot make a Referenced SOP Instance MAC: "
                    + "PS3.15 C.4 permits RIPEMD160, MD5, SHA1, SHA256, SHA384 and SHA512, and new MACs use SHA256, "
                    + "SHA384 or SHA512");
        }
        List<Reference> refs = references(report);
        List<Runnable> changes = new ArrayList<>();
        List<Dataset> changed = new ArrayList<>();
        List<String> notFound = new ArrayList<>();
        List<String> incomplete = new ArrayList<>();
        int upToDate = 0;
        for (Reference ref : refs) {
            if (ref.uid == null) {
                throw new SignatureException("Referenced SOP Sequence item " + ref.location
                        + " has no Referenced SOP Instance UID (0008,1155)");
            }
            boolean hasMac = ref.item.contains(Tag.ReferencedSOPInstanceMACSequence);
            boolean hasSignatures = ref.item.contains(Tag.ReferencedDigitalSignatureSequence);
            Dataset instance = referenced.apply(ref.uid);
            if (instance == null) {
                notFound.add(ref.uid);
                if (!hasMac && !hasSignatures) {
                    incomplete.add(ref.uid);
                }
                continue;
            }
            String classProblem = classMismatch(ref, instance);
            if (classProblem != null) {
                throw new SignatureException(name(ref) + classProblem);
            }
            if (hasMac || hasSignatures) {
                List<String> problems = new ArrayList<>();
                checkReference(ref, instance, problems);
                if (!problems.isEmpty()) {
                    throw new SignatureException(problems.get(0) + ": the reference is left as it is (remove its "
                            + "Referenced SOP Instance MAC and Referenced Digital Signature Sequences to reference the "
                            + "instance as it is now)");
                }
                upToDate++;
                continue;
            }
            String covering = coveringSignature(report, ref);
            if (covering != null) {
                throw new SignatureException(name(ref) + "cannot add its Referenced SOP Instance MAC: " + covering
                        + "; add the references before signing the report");
            }
            changes.add(prepare(ref, instance, mac));
            changed.add(ref.item);
        }
        // everything read and computed: only now is the report changed
        changes.forEach(Runnable::run);
        return new Result(upToDate, notFound, incomplete, changed);
    }

    /**
     * Checks every evidence reference of {@code report} (PS3.15 A.4): that it carries a Referenced SOP Instance MAC
     * Sequence or a Referenced Digital Signature Sequence, and, for the instances {@code referenced} finds, that the
     * MAC recomputed over the listed elements of the instance equals MAC (0400,0404) and that each referenced Digital
     * Signature UID is held in the instance with the same Signature value. (Whether those signatures are themselves
     * valid is for {@link SignatureVerifier} on the referenced instance.)
     *
     * @return the problems, each naming the Referenced SOP Instance UID and where the reference is; empty if none. A
     *         reference whose instance is not found is a problem: it cannot be checked
     */
    public static List<String> check(Dataset report, Function<String, Dataset> referenced) {
        List<String> problems = new ArrayList<>();
        for (Reference ref : references(report)) {
            if (ref.uid == null) {
                problems.add("Referenced SOP Sequence item " + ref.location
                        + " has no Referenced SOP Instance UID (0008,1155)");
                continue;
            }
            if (!ref.item.contains(Tag.ReferencedSOPInstanceMACSequence)
                    && !ref.item.contains(Tag.ReferencedDigitalSignatureSequence)) {
                problems.add(name(ref) + "has neither a Referenced SOP Instance MAC Sequence (0400,0403) nor a "
                        + "Referenced Digital Signature Sequence (0400,0402) (PS3.15 A.4)");
                continue;
            }
            Dataset instance = referenced.apply(ref.uid);
            if (instance == null) {
                problems.add(name(ref) + "the referenced instance was not found, so its reference cannot be checked");
                continue;
            }
            String classProblem = classMismatch(ref, instance);
            if (classProblem != null) {
                problems.add(name(ref) + classProblem);
                continue;
            }
            checkReference(ref, instance, problems);
        }
        return problems;
    }

    /** The Referenced SOP Sequence items of both evidence sequences, in report order. */
    private static List<Reference> references(Dataset report) {
        List<Reference> refs = new ArrayList<>();
        for (int evidence : EVIDENCE) {
            Sequence studies = report.getSequence(evidence);
            if (studies == null) {
                continue;
            }
            for (int s = 0; s < studies.size(); s++) {
                Dataset study = studies.get(s);
                String studyAt = ItemPath.child("", evidence, s);
                Sequence seriesSeq = study.getSequence(Tag.ReferencedSeriesSequence);
                if (seriesSeq == null) {
                    continue;
                }
                for (int r = 0; r < seriesSeq.size(); r++) {
                    Dataset series = seriesSeq.get(r);
                    String seriesAt = ItemPath.child(studyAt, Tag.ReferencedSeriesSequence, r);
                    Sequence sops = series.getSequence(Tag.ReferencedSOPSequence);
                    if (sops == null) {
                        continue;
                    }
                    for (int i = 0; i < sops.size(); i++) {
                        Dataset item = sops.get(i);
                        refs.add(new Reference(item, ItemPath.child(seriesAt, Tag.ReferencedSOPSequence, i), evidence, study,
                                series, text(item, Tag.ReferencedSOPInstanceUID)));
                    }
                }
            }
        }
        return refs;
    }

    private static String name(Reference ref) {
        return "referenced instance " + ref.uid + " (" + ref.location + "): ";
    }

    private static String classMismatch(Reference ref, Dataset instance) {
        String expected = text(ref.item, Tag.ReferencedSOPClassUID);
        String actual = text(instance, Tag.SOPClassUID);
        if (expected != null && actual != null && !expected.equals(actual)) {
            return "the instance found has SOP Class UID " + actual + ", the reference says " + expected;
        }
        return null;
    }

    /** Computes the new sequences now (reading the instance), and returns what adds them to the reference. */
    private static Runnable prepare(Reference ref, Dataset instance, MacAlgorithm mac)
            throws SignatureException, IOException {
        int[] tags = signableTags(instance);
        if (tags.length == 0) {
            throw new SignatureException(name(ref) + "the instance has no element a MAC can cover");
        }
        byte[] digest = digest(instance, tags, mac);
        List<HeldSignature> signatures = new ArrayList<>();
        Sequence sigs = instance.getSequence(Tag.DigitalSignaturesSequence);
        if (sigs != null) {
            for (Dataset sig : sigs) {
                String uid = text(sig, Tag.DigitalSignatureUID);
                byte[] value = bytes(sig, Tag.Signature);
                if (uid != null && value != null && value.length > 0) {
                    signatures.add(new HeldSignature(uid, value));
                }
            }
        }
        return () -> {
            Dataset item = ref.item.newSequence(Tag.ReferencedSOPInstanceMACSequence).addItem();
            item.setString(Tag.MACCalculationTransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
            item.setString(Tag.MACAlgorithm, VR.CS, mac.term());
            item.setBytes(Tag.DataElementsSigned, VR.AT, DicomSigner.attributeTags(tags, item.bigEndian()));
            item.setBytes(Tag.MAC, VR.OB, digest);
            if (!signatures.isEmpty()) {
                Sequence seq = ref.item.newSequence(Tag.ReferencedDigitalSignatureSequence);
                for (HeldSignature s : signatures) {
                    Dataset r = seq.addItem();
                    r.setString(Tag.DigitalSignatureUID, VR.UI, s.uid());
                    r.setBytes(Tag.Signature, VR.OB, s.signature());
                }
            }
        };
    }

    /** Every signable top-level element of {@code ds}, in data set order. */
    static int[] signableTags(Dataset ds) {
        int[] tags = new int[ds.size()];
        int n = 0;
        for (int i = 0; i < ds.size(); i++) {
            if (MacByteStream.signable(ds.tagAt(i), ds.vrAt(i), ds.valueAt(i))) {
                tags[n++] = ds.tagAt(i);
            }
        }
        return Arrays.copyOf(tags, n);
    }

    /** The MAC of a Referenced SOP Instance MAC Sequence item: the digest of the byte stream, unencrypted. */
    private static byte[] digest(Dataset instance, int[] tags, MacAlgorithm mac) throws IOException {
        MessageDigest md;
        try {
            md = Jca.digest(mac.digestName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no " + mac.digestName() + " digest available", e);
        }
        OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), md);
        OutputStream out = new BufferedOutputStream(sink, 64 * 1024);
        new MacByteStream(out).elements(instance, tags);
        out.flush();
        return md.digest();
    }

    /** Checks the sequences a reference carries against its instance, adding the problems. */
    private static void checkReference(Reference ref, Dataset instance, List<String> problems) {
        Sequence macs = ref.item.getSequence(Tag.ReferencedSOPInstanceMACSequence);
        if (ref.item.contains(Tag.ReferencedSOPInstanceMACSequence) && macs == null) {
            problems.add(name(ref) + "Referenced SOP Instance MAC Sequence (0400,0403) is not a sequence");
        } else if (macs != null) {
            if (macs.size() != 1) {
                problems.add(name(ref) + "Referenced SOP Instance MAC Sequence (0400,0403) has " + macs.size()
                        + " items; exactly one is permitted (PS3.3 Table C.17-3a)");
            } else {
                String why = checkMac(macs.get(0), instance);
                if (why != null) {
                    problems.add(name(ref) + why);
                }
            }
        }
        Sequence sigs = ref.item.getSequence(Tag.ReferencedDigitalSignatureSequence);
        if (ref.item.contains(Tag.ReferencedDigitalSignatureSequence) && sigs == null) {
            problems.add(name(ref) + "Referenced Digital Signature Sequence (0400,0402) is not a sequence");
        } else if (sigs != null) {
            if (sigs.isEmpty()) {
                problems.add(name(ref) + "Referenced Digital Signature Sequence (0400,0402) has no item");
            }
            for (int i = 0; i < sigs.size(); i++) {
                String why = checkSignatureReference(sigs.get(i), instance);
                if (why != null) {
                    problems.add(name(ref) + "Referenced Digital Signature Sequence item " + i + ": " + why);
                }
            }
        }
    }

    /** Why a Referenced SOP Instance MAC Sequence item does not match {@code instance}, or null if it does. */
    private static String checkMac(Dataset item, Dataset instance) {
        String ts = text(item, Tag.MACCalculationTransferSyntaxUID);
        TransferSyntax macTs = ts == null ? null : TransferSyntax.of(ts);
        if (macTs == null || !macTs.explicitVr() || macTs.bigEndian()) {
            return "MAC Calculation Transfer Syntax UID " + (ts == null ? "is absent" : ts + " is not an explicit VR "
                    + "little endian transfer syntax") + " (PS3.3 Table C.17-3a)";
        }
        String term = text(item, Tag.MACAlgorithm);
        MacAlgorithm algorithm;
        try {
            algorithm = MacAlgorithm.of(term);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!C4_ALGORITHMS.contains(algorithm)) {
            return "MAC Algorithm " + algorithm.term() + " is not one PS3.15 C.4 permits in a Referenced SOP Instance "
                    + "MAC Sequence (RIPEMD160, MD5, SHA1, SHA256, SHA384, SHA512)";
        }
        byte[] expected = bytes(item, Tag.MAC);
        if (expected == null || expected.length == 0) {
            return "the Referenced SOP Instance MAC Sequence item has no MAC (0400,0404)";
        }
        int[] tags;
        try {
            tags = listedTags(item, instance);
        } catch (SignatureException e) {
            return e.getMessage();
        }
        byte[] actual;
        try {
            actual = digest(instance, tags, algorithm);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return "cannot read the listed elements of the instance: " + e.getMessage();
        }
        // an odd digest length (RIPEMD160 and SHA1 are 20 bytes, all even) would carry an OB pad byte
        if (!MessageDigest.isEqual(actual, expected)
                && !(expected.length == actual.length + 1 && expected[actual.length] == 0
                        && MessageDigest.isEqual(actual, Arrays.copyOf(expected, actual.length)))) {
            return "the Referenced SOP Instance MAC does not match: the instance was changed since the report "
                    + "referenced it";
        }
        return null;
    }

    /** Data Elements Signed (0400,0020) of a MAC item, each present and signable in {@code instance}, sorted. */
    private static int[] listedTags(Dataset item, Dataset instance) throws SignatureException {
        List<Integer> listed = MacByteStream.dataElementsSigned(item);
        if (listed.isEmpty()) {
            throw new SignatureException("the Referenced SOP Instance MAC Sequence item has no Data Elements Signed "
                    + "(0400,0020)");
        }
        int[] tags = new int[listed.size()];
        for (int i = 0; i < tags.length; i++) {
            int tag = listed.get(i);
            Object value = instance.value(tag);
            if (value == null) {
                throw new SignatureException("Data Elements Signed lists " + Tag.toString(tag)
                        + ", which is missing from the instance");
            }
            String why = MacByteStream.whyUnsignable(tag, instance.vrOf(tag), value);
            if (why != null) {
                throw new SignatureException("Data Elements Signed lists " + Tag.toString(tag) + ", but " + why);
            }
            tags[i] = tag;
        }
        return MacByteStream.inDataSetOrder(tags);
    }

    /** Why a Referenced Digital Signature Sequence item does not match {@code instance}, or null if it does. */
    private static String checkSignatureReference(Dataset ref, Dataset instance) {
        String uid = text(ref, Tag.DigitalSignatureUID);
        byte[] value = bytes(ref, Tag.Signature);
        if (uid == null) {
            return "no Digital Signature UID (0400,0100)";
        }
        if (value == null || value.length == 0) {
            return "no Signature (0400,0120)";
        }
        Dataset sig = findSignature(instance, uid);
        if (sig == null) {
            return "the instance holds no Digital Signature UID " + uid + " (removed since the report referenced it)";
        }
        byte[] held = bytes(sig, Tag.Signature);
        if (held == null || !MessageDigest.isEqual(SignatureVerifier.withoutPad(held), SignatureVerifier.withoutPad(value))
                && !MessageDigest.isEqual(held, value)) {
            return "the Signature of Digital Signature UID " + uid + " in the instance differs from the one referenced";
        }
        return null;
    }

    /** The Digital Signatures Sequence item with Digital Signature UID {@code uid} anywhere in {@code ds}, or null. */
    private static Dataset findSignature(Dataset ds, String uid) {
        for (int i = 0; i < ds.size(); i++) {
            if (!(ds.valueAt(i) instanceof Sequence s)) {
                continue;
            }
            boolean signatures = ds.tagAt(i) == Tag.DigitalSignaturesSequence;
            for (Dataset item : s) {
                if (signatures && uid.equals(text(item, Tag.DigitalSignatureUID))) {
                    return item;
                }
                Dataset inner = signatures ? null : findSignature(item, uid);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    /**
     * Which signature of the report would break if the reference's sequences were added: one whose Data Elements
     * Signed lists the element that changes at its level (the evidence sequence at the top, Referenced Series
     * Sequence in the study item, Referenced SOP Sequence in the series item, the two reference sequences in the
     * reference item). Null if none.
     */
    private static String coveringSignature(Dataset report, Reference ref) {
        Dataset sopItem = ref.item;
        Dataset series = ref.series;
        Dataset study = ref.study;
        int evidence = ref.evidence;
        if (lists(report, evidence)) {
            return "a signature at the top level of the report covers " + Tag.toString(evidence);
        }
        if (lists(study, Tag.ReferencedSeriesSequence)) {
            return "a signature in its study item covers " + Tag.toString(Tag.ReferencedSeriesSequence);
        }
        if (lists(series, Tag.ReferencedSOPSequence)) {
            return "a signature in its series item covers " + Tag.toString(Tag.ReferencedSOPSequence);
        }
        if (lists(sopItem, Tag.ReferencedSOPInstanceMACSequence) || lists(sopItem, Tag.ReferencedDigitalSignatureSequence)) {
            return "a signature in its Referenced SOP Sequence item covers the reference sequences";
        }
        return null;
    }

    /** Whether a MAC Parameters Sequence item of {@code level} lists {@code tag} in Data Elements Signed. */
    private static boolean lists(Dataset level, int tag) {
        Sequence macs = level.getSequence(Tag.MACParametersSequence);
        if (macs == null) {
            return false;
        }
        for (Dataset mac : macs) {
            byte[] b = mac.vrOf(Tag.DataElementsSigned) == VR.AT ? bytes(mac, Tag.DataElementsSigned) : null;
            for (int i = 0; b != null && i + 4 <= b.length; i += 4) {
                int t = ByteOrderUtil.uint16(b, i, mac.bigEndian()) << 16 | ByteOrderUtil.uint16(b, i + 2, mac.bigEndian());
                if (t == tag) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String text(Dataset ds, int tag) {
        try {
            String s = ds.getString(tag);
            return s == null || s.isBlank() ? null : s.trim();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] bytes(Dataset ds, int tag) {
        try {
            return ds.getBytes(tag);
        } catch (IllegalStateException e) {
            return null;
        }
    }
}
