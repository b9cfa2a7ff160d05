package org.cameldicomsecure.media;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Implementation;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.dict.Dictionary;
import org.cameldicomsecure.dicom.io.DicomWriter;

/**
 * Builds the DICOMDIR of a File-set: a Basic Directory IOD (PS3.3 Annex F) instance of the Media Storage Directory
 * Storage SOP Class (1.2.840.10008.1.3.10), Explicit VR Little Endian, with one PATIENT / STUDY / SERIES record per
 * patient, study and series and one instance-level record per file (IMAGE, or the type PS3.3 Table F.4-1 names for
 * the SOP class: SR DOCUMENT, PRESENTATION, KEY OBJECT DOC, ENCAP DOC, RT DOSE …), records in depth-first order.
 *
 * <p>Offsets (0004,1200), (0004,1202), (0004,1400) and (0004,1420) are the byte position of the record's Item tag
 * counted from the first byte of the file, File Preamble and "DICM" included (PS3.3 F.3.2.2), as DCMTK writes them.
 *
 * <p>Record keys are those of PS3.3 F.5.1–F.5.34 for the record type, taken from the first instance of each patient,
 * study or series. Type 2 keys absent from the instance are written empty. Type 1 keys absent or empty in the
 * instance are made up the way DCMTK's dcmgpdir/dcmmkdir do in their "invent" mode (+I): Patient ID
 * {@code CDSPAT000001}… (unique in the File-set, PS3.3 F.5.1), Study ID {@code CDSSTU000001}…, Series Number and
 * Instance Number counted from 1, Study Date/Time from Series, Acquisition or Content Date/Time, else now. Any other
 * Type 1 key missing (e.g. Modality) is an error, as dcmgpdir reports it without +I.
 */
public final class DicomDirWriter {

    private static final int ITEM_HEADER = 8;
    private static final int SQ_HEADER = 12; // explicit VR SQ: tag, VR, 2 reserved, 32-bit length
    private static final byte[] IN_USE = {(byte) 0xFF, (byte) 0xFF};
    private static final String INVENTED_PATIENT_PREFIX = "CDSPAT";
    private static final String INVENTED_STUDY_PREFIX = "CDSSTU";

    private final DicomWriter writer = new DicomWriter();
    private final Dictionary dictionary = Dictionary.standard();

    /** One record and the records of its lower-level entity. */
    private static final class Node {
        final Dataset item;
        final List<Node> children = new ArrayList<>();

        Node(Dataset item) {
            this.item = item;
        }
    }

    /**
     * @param fileSetId File-set ID (0004,1130): up to 16 characters of A-Z 0-9 _, or null/empty for none
     * @param entries   the files, each with its File ID
     * @throws IllegalArgumentException for an invalid File-set ID, duplicate File IDs or SOP Instance UIDs, an
     *                                  instance lacking a UID or a Type 1 key that cannot be made up
     */
    public DicomFile build(String fileSetId, List<FileSetEntry> entries) {
        Objects.requireNonNull(entries, "entries");
        checkFileSetId(fileSetId);
        Set<String> fileIds = new HashSet<>();
        Set<String> sopInstances = new HashSet<>();
        Map<FileSetEntry, String> names = new IdentityHashMap<>();
        for (FileSetEntry e : entries) {
            String id = String.join("/", e.fileId());
            if (id.equals(FileIds.DICOMDIR)) {
                throw new IllegalArgumentException("File ID DICOMDIR is reserved for the directory (PS3.10 8.6)");
            }
            if (!fileIds.add(id)) {
                throw new IllegalArgumentException("File ID " + id + " is used twice");
            }
            names.put(e, "File ID " + id);
        }
        Hierarchy<FileSetEntry> h = Hierarchy.of(entries, e -> e.file().dataset(), names::get);
        for (FileSetEntry e : entries) {
            if (!sopInstances.add(e.file().dataset().getString(Tag.SOPInstanceUID))) {
                throw new IllegalArgumentException(names.get(e) + " holds a SOP Instance UID that another file of"
                        + " the File-set holds too");
            }
        }

        Dataset ds = new Dataset();
        ds.setString(Tag.FileSetID, VR.CS, fileSetId == null ? "" : fileSetId);
        ds.setInt(Tag.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, VR.UL, 0);
        ds.setInt(Tag.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity, VR.UL, 0);
        ds.setInt(Tag.FileSetConsistencyFlag, VR.US, 0);
        Sequence seq = ds.newSequence(Tag.DirectoryRecordSequence);

        Set<String> realPatientIds = new HashSet<>();
        for (Hierarchy.Patient<FileSetEntry> p : h.patients) {
            if (p.patientId != null) {
                realPatientIds.add(p.patientId);
            }
        }
        int inventedPatient = 0;
        int inventedStudy = 0;
        List<Node> roots = new ArrayList<>();
        for (Hierarchy.Patient<FileSetEntry> p : h.patients) {
            FileSetEntry first = p.studies.get(0).series.get(0).instances.get(0);
            Node pn = new Node(newRecord(seq, RecordTypes.PATIENT));
            String pid = null;
            if (p.patientId == null) {
                do {
                    pid = INVENTED_PATIENT_PREFIX + String.format("%06d", ++inventedPatient);
                } while (realPatientIds.contains(pid));
            }
            copyKeys(first, RecordTypes.PATIENT, pn.item, Map.of(Tag.PatientID, pid == null ? "" : pid), names);
            roots.add(pn);
            for (Hierarchy.Study<FileSetEntry> s : p.studies) {
                FileSetEntry fs = s.series.get(0).instances.get(0);
                Dataset src = fs.file().dataset();
                Node sn = new Node(newRecord(seq, RecordTypes.STUDY));
                String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
                copyKeys(fs, RecordTypes.STUDY, sn.item, Map.of(
                        Tag.StudyDate, firstOf(src, now.substring(0, 8), Tag.SeriesDate, Tag.AcquisitionDate,
                                Tag.ContentDate),
                        Tag.StudyTime, firstOf(src, now.substring(8), Tag.SeriesTime, Tag.AcquisitionTime,
                                Tag.ContentTime),
                        Tag.StudyID, INVENTED_STUDY_PREFIX + String.format("%06d", ++inventedStudy)), names);
                pn.children.add(sn);
                int seriesNumber = 0;
                for (Hierarchy.Series<FileSetEntry> r : s.series) {
                    Node rn = new Node(newRecord(seq, RecordTypes.SERIES));
                    copyKeys(r.instances.get(0), RecordTypes.SERIES, rn.item,
                            Map.of(Tag.SeriesNumber, Integer.toString(++seriesNumber)), names);
                    sn.children.add(rn);
                    int instanceNumber = 0;
                    for (FileSetEntry e : r.instances) {
                        rn.children.add(new Node(instanceRecord(seq, e, ++instanceNumber, names)));
                    }
                }
            }
        }

        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.MediaStorageDirectoryStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, newUid());
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, Implementation.CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, Implementation.VERSION_NAME);

        Map<Dataset, Long> offsets = itemOffsets(meta, ds, writer);
        linkEntity(roots, offsets);
        if (!roots.isEmpty()) {
            setUl(ds, Tag.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, offsets.get(roots.get(0).item));
            setUl(ds, Tag.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity,
                    offsets.get(roots.get(roots.size() - 1).item));
        }
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /**
     * The position of every item of the Directory Record Sequence in the encoded file, from the first byte of the
     * preamble: 128 + 4 + File Meta Information + the elements before (0004,1220) + the SQ header + the items before.
     * Every value these positions depend on has a fixed size, so filling in the offsets later changes none of them.
     */
    static Map<Dataset, Long> itemOffsets(Dataset meta, Dataset ds, DicomWriter writer) {
        TransferSyntax ts = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        long pos = DicomFile.PREAMBLE_LENGTH + 4L + writer.encodedLength(meta, ts);
        Dataset before = new Dataset();
        for (int i = 0; i < ds.size() && Integer.compareUnsigned(ds.tagAt(i), Tag.DirectoryRecordSequence) < 0; i++) {
            before.add(ds.tagAt(i), ds.vrAt(i), ds.valueAt(i));
        }
        pos += writer.encodedLength(before, ts) + SQ_HEADER;
        Map<Dataset, Long> out = new IdentityHashMap<>();
        Sequence seq = ds.getSequence(Tag.DirectoryRecordSequence);
        if (seq == null) {
            return out;
        }
        for (Dataset item : seq) {
            out.put(item, pos);
            pos += ITEM_HEADER + writer.encodedLength(item, ts) + (item.undefinedLength() ? ITEM_HEADER : 0);
        }
        return out;
    }

    private static void linkEntity(List<Node> records, Map<Dataset, Long> offsets) {
        for (int i = 0; i < records.size(); i++) {
            Node n = records.get(i);
            setUl(n.item, Tag.OffsetOfTheNextDirectoryRecord,
                    i + 1 < records.size() ? offsets.get(records.get(i + 1).item) : 0);
            setUl(n.item, Tag.OffsetOfReferencedLowerLevelDirectoryEntity,
                    n.children.isEmpty() ? 0 : offsets.get(n.children.get(0).item));
            linkEntity(n.children, offsets);
        }
    }

    private static void setUl(Dataset ds, int tag, long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("DICOMDIR offset " + value + " does not fit 32 bits");
        }
        ds.setInt(tag, VR.UL, (int) value);
    }

    private static Dataset newRecord(Sequence seq, String type) {
        Dataset item = seq.addItem();
        item.setInt(Tag.OffsetOfTheNextDirectoryRecord, VR.UL, 0);
        item.setBytes(Tag.RecordInUseFlag, VR.US, IN_USE.clone());
        item.setInt(Tag.OffsetOfReferencedLowerLevelDirectoryEntity, VR.UL, 0);
        item.setString(Tag.DirectoryRecordType, VR.CS, type);
        return item;
    }

    private Dataset instanceRecord(Sequence seq, FileSetEntry e, int instanceNumber, Map<FileSetEntry, String> names) {
        DicomFile f = e.file();
        Dataset src = f.dataset();
        String sopClass = src.getString(Tag.SOPClassUID);
        String type = RecordTypes.forSopClass(sopClass);
        Dataset item = newRecord(seq, type);
        item.setString(Tag.ReferencedFileID, VR.CS, e.fileId().toArray(String[]::new));
        item.setString(Tag.ReferencedSOPClassUIDInFile, VR.UI, sopClass);
        item.setString(Tag.ReferencedSOPInstanceUIDInFile, VR.UI, src.getString(Tag.SOPInstanceUID));
        item.setString(Tag.ReferencedTransferSyntaxUIDInFile, VR.UI, f.transferSyntax().uid());
        copyKeys(e, type, item, Map.of(Tag.InstanceNumber, Integer.toString(instanceNumber)), names);
        if (type.equals("SR DOCUMENT") && "VERIFIED".equals(src.getString(Tag.VerificationFlag))) {
            String latest = null;
            Sequence observers = src.getSequence(Tag.VerifyingObserverSequence);
            if (observers != null) {
                for (Dataset o : observers) {
                    String dt = o.getString(Tag.VerificationDateTime);
                    if (dt != null && (latest == null || dt.compareTo(latest) > 0)) {
                        latest = dt;
                    }
                }
            }
            if (latest == null) {
                throw missing(names.get(e), type, "Verification DateTime (0040,A030)");
            }
            item.setString(Tag.VerificationDateTime, VR.DT, latest);
        }
        if (type.equals("SR DOCUMENT") || type.equals("KEY OBJECT DOC")) {
            Sequence content = src.getSequence(Tag.ContentSequence);
            List<Dataset> mods = new ArrayList<>();
            if (content != null) {
                for (Dataset c : content) {
                    if ("HAS CONCEPT MOD".equals(c.getString(Tag.RelationshipType))) {
                        mods.add(c);
                    }
                }
            }
            if (!mods.isEmpty()) {
                Sequence dst = item.newSequence(Tag.ContentSequence);
                for (Dataset c : mods) {
                    copyDataset(c, dst.addItem(false, true));
                }
            }
        }
        return item;
    }

    /** Copies the keys of {@code type} from the entry's data set; {@code inventions} fill absent Type 1 keys. */
    private void copyKeys(FileSetEntry e, String type, Dataset dst, Map<Integer, String> inventions,
            Map<FileSetEntry, String> names) {
        Dataset src = e.file().dataset();
        for (RecordTypes.Key k : RecordTypes.keys(type)) {
            if (present(src, k.tag())) {
                copyElement(src, k.tag(), dst);
                continue;
            }
            VR vr = dictionary.vrOf(k.tag());
            if (k.type() == 1) {
                String invented = inventions.get(k.tag());
                if (invented == null || invented.isEmpty()) {
                    throw missing(names.get(e), type, k.name() + " " + Tag.toString(k.tag()));
                }
                dst.setString(k.tag(), vr, invented);
            } else if (k.type() == 2) {
                if (vr == VR.SQ) {
                    dst.newSequence(k.tag());
                } else {
                    dst.setBytes(k.tag(), vr, new byte[0]);
                }
            }
        }
    }

    private static IllegalArgumentException missing(String what, String type, String key) {
        return new IllegalArgumentException(what + " lacks " + key + ", a Type 1 key of its " + type
                + " record (PS3.3 F.5): it cannot be put in a DICOMDIR");
    }

    private static boolean present(Dataset src, int tag) {
        Object v = src.value(tag);
        if (v == null) {
            return false;
        }
        if (v instanceof Sequence s) {
            return !s.isEmpty();
        }
        if (v instanceof byte[] b) {
            return b.length > 0 && !blank(b);
        }
        return v instanceof BulkData bd && bd.length() > 0;
    }

    private static boolean blank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String firstOf(Dataset src, String fallback, int... tags) {
        for (int t : tags) {
            String v = src.getString(t);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return fallback;
    }

    /** Deep copy of one element into a little endian data set (binary values swapped from a big endian source). */
    static void copyElement(Dataset src, int tag, Dataset dst) {
        VR vr = src.vrOf(tag);
        Object v = src.value(tag);
        if (v instanceof Sequence s) {
            Sequence d = dst.newSequence(tag);
            for (Dataset item : s) {
                copyDataset(item, d.addItem(false, true));
            }
            return;
        }
        byte[] b = v instanceof byte[] bytes ? bytes : src.getBytes(tag);
        if (src.bigEndian() && vr.kind() == VR.Kind.BINARY && vr.unitSize() > 1) {
            b = b.clone();
            ByteOrderUtil.swap(b, 0, b.length - b.length % vr.unitSize(), vr.unitSize());
        }
        dst.setBytes(tag, vr, b);
    }

    private static void copyDataset(Dataset src, Dataset dst) {
        for (int i = 0; i < src.size(); i++) {
            Object v = src.valueAt(i);
            if (v instanceof Sequence || v instanceof byte[] || v instanceof BulkData) {
                copyElement(src, src.tagAt(i), dst);
            }
        }
    }

    private static void checkFileSetId(String id) {
        if (id == null || id.isEmpty()) {
            return;
        }
        if (id.length() > 16) {
            throw new IllegalArgumentException("a File-set ID has at most 16 characters, not " + id.length());
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                throw new IllegalArgumentException("a File-set ID has only A-Z 0-9 _ (PS3.10 8.5)");
            }
        }
    }

    /** A UUID-derived UID (PS3.5 B.2). */
    static String newUid() {
        UUID u = UUID.randomUUID();
        ByteBuffer bb = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, bb.array());
    }
}
