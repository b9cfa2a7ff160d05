package org.cameldicomsecure.media;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.io.DicomWriter;

/**
 * A parsed DICOMDIR (PS3.3 Annex F). The directory is read by following its offsets, as a File-set Reader does: the
 * first record of the root entity (0004,1200), each record's next record (0004,1400) and lower-level entity
 * (0004,1420). An offset is the position of a record's Item tag from the first byte of the file (PS3.3 F.3.2.2); the
 * positions are those of the DICOMDIR as it was read (its values are kept as encoded, so re-encoding gives the same
 * bytes). An offset that points at no record, a loop, or a record that no offset reaches is a BAD_DICOMDIR.
 */
public final class DicomDir {

    private static final int NOT_IN_USE = 0x0000;

    private final List<DirectoryRecord> records;
    private final List<DirectoryRecord> referenced;
    private final String fileSetId;

    private DicomDir(List<DirectoryRecord> records, List<DirectoryRecord> referenced, String fileSetId) {
        this.records = List.copyOf(records);
        this.referenced = List.copyOf(referenced);
        this.fileSetId = fileSetId;
    }

    /** Every record, in the order the offsets reach them (depth first: a record, then its lower-level entity). */
    public List<DirectoryRecord> records() {
        return records;
    }

    /** The in-use records that reference a file, in directory order. */
    public List<DirectoryRecord> referencedFiles() {
        return referenced;
    }

    /** File-set ID (0004,1130), or null. */
    public String fileSetId() {
        return fileSetId;
    }

    public static DicomDir parse(DicomFile dicomdir) throws MediaException {
        if (!dicomdir.isPart10()) {
            throw bad("it is not a PS3.10 file (no File Meta Information)");
        }
        String sopClass = dicomdir.fileMeta().getString(Tag.MediaStorageSOPClassUID);
        if (!UID.MediaStorageDirectoryStorage.equals(sopClass)) {
            throw bad("its Media Storage SOP Class UID is " + sopClass + ", not Media Storage Directory Storage "
                    + UID.MediaStorageDirectoryStorage);
        }
        TransferSyntax ts = dicomdir.transferSyntax();
        if (ts.deflated() || ts.bigEndian() || !ts.explicitVr()) {
            throw bad("it is encoded in " + ts.uid() + ", not Explicit VR Little Endian");
        }
        Dataset ds = dicomdir.dataset();
        Object seqValue = ds.value(Tag.DirectoryRecordSequence);
        if (seqValue != null && !(seqValue instanceof Sequence)) {
            throw bad("Directory Record Sequence (0004,1220) is not a sequence");
        }
        Sequence seq = (Sequence) seqValue;
        Map<Dataset, Long> offsets = DicomDirWriter.itemOffsets(dicomdir.fileMeta(), ds, new DicomWriter());
        Map<Long, Dataset> byOffset = new HashMap<>();
        Map<Dataset, Integer> index = new IdentityHashMap<>();
        int n = 0;
        if (seq != null) {
            for (Dataset item : seq) {
                byOffset.put(offsets.get(item), item);
                index.put(item, ++n);
            }
        }
        long first = ul(ds, Tag.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, "the directory");
        List<DirectoryRecord> records = new ArrayList<>();
        List<DirectoryRecord> referenced = new ArrayList<>();
        Set<Dataset> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Set<String> fileIds = new HashSet<>();
        // iterative depth-first walk: a stack of "next record of this entity" offsets
        ArrayList<Long> stack = new ArrayList<>();
        if (first != 0) {
            stack.add(first);
        }
        while (!stack.isEmpty()) {
            long off = stack.remove(stack.size() - 1);
            Dataset item = byOffset.get(off);
            if (item == null) {
                throw bad("offset " + off + " points at no Directory Record");
            }
            if (!seen.add(item)) {
                throw bad("the offsets loop back to record " + index.get(item));
            }
            String what = "record " + index.get(item);
            DirectoryRecord r = record(item, what);
            records.add(r);
            int inUse = item.getInt(Tag.RecordInUseFlag, 0xFFFF);
            if (r.referencesFile() && inUse != NOT_IN_USE) {
                if (!fileIds.add(String.join("/", r.referencedFileId()))) {
                    throw bad(what + " references File ID " + String.join("/", r.referencedFileId())
                            + ", which another record references too");
                }
                referenced.add(r);
            }
            long next = ul(item, Tag.OffsetOfTheNextDirectoryRecord, what);
            long lower = ul(item, Tag.OffsetOfReferencedLowerLevelDirectoryEntity, what);
            if (next != 0) {
                stack.add(next);
            }
            if (lower != 0) {
                stack.add(lower);
            }
        }
        if (seen.size() != n) {
            throw bad((n - seen.size()) + " of its " + n + " Directory Records are reached by no offset");
        }
        return new DicomDir(records, referenced, ds.getString(Tag.FileSetID));
    }

    private static DirectoryRecord record(Dataset item, String what) throws MediaException {
        String type = item.getString(Tag.DirectoryRecordType);
        if (type == null) {
            throw bad(what + " has no Directory Record Type (0004,1430)");
        }
        List<String> fileId = List.of();
        if (item.contains(Tag.ReferencedFileID)) {
            String[] parts = item.getStrings(Tag.ReferencedFileID);
            fileId = Arrays.asList(parts);
            String problem = FileIds.problem(fileId);
            if (problem != null) {
                throw bad(what + " (" + safe(type) + ") has an invalid Referenced File ID: " + problem);
            }
            if (fileId.size() == 1 && FileIds.DICOMDIR.equals(fileId.get(0))) {
                throw bad(what + " references the DICOMDIR itself");
            }
        }
        String sopClass = item.getString(Tag.ReferencedSOPClassUIDInFile);
        String sopInstance = item.getString(Tag.ReferencedSOPInstanceUIDInFile);
        String ts = item.getString(Tag.ReferencedTransferSyntaxUIDInFile);
        if (!fileId.isEmpty() && sopInstance == null && !"PRIVATE".equals(type)) {
            throw bad(what + " (" + safe(type) + ") references a file but has no Referenced SOP Instance UID in"
                    + " File (0004,1511)");
        }
        return new DirectoryRecord(type, fileId, sopClass, sopInstance, ts);
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Z0-9 _]", "?");
    }

    private static long ul(Dataset ds, int tag, String what) throws MediaException {
        if (!(ds.value(tag) instanceof byte[] b) || b.length != 4) {
            throw bad(what + " has no valid " + Tag.toString(tag) + " offset");
        }
        return Integer.toUnsignedLong(ds.getInt(tag, 0));
    }

    private static MediaException bad(String problem) {
        return new MediaException(MediaException.Reason.BAD_DICOMDIR, "DICOMDIR: " + problem);
    }
}
