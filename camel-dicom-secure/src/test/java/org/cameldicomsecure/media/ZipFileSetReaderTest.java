package org.cameldicomsecure.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.TempFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZipFileSetReaderTest {

    private int liveAtStart;

    @BeforeEach
    void countTempFiles() {
        liveAtStart = TempFiles.liveCount();
    }

    private static List<DicomFile> study(int n) {
        List<DicomFile> in = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            in.add(MediaTestData.instance(i % 3 == 0 ? "P2" : "P1", 1 + i % 2, 1 + i % 4, i));
        }
        return in;
    }

    private static byte[] fileSet(List<DicomFile> in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZipFileSetWriter.write("TESTSET", in, out);
        return out.toByteArray();
    }

    /** The entries of a ZIP we wrote, in order, as name to bytes (null for a directory). */
    private static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                m.put(e.getName(), e.isDirectory() ? null : z.readAllBytes());
            }
        }
        return m;
    }

    private MediaException refused(byte[] zip, MediaLimits limits, MediaException.Reason reason) {
        MediaException e = assertThrows(MediaException.class,
                () -> new ZipFileSetReader(limits).read(new ByteArrayInputStream(zip)));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(liveAtStart, TempFiles.liveCount(), "every temporary file is deleted");
        assertFalse(e.getMessage().contains("Müller"), "no patient data in " + e.getMessage());
        return e;
    }

    @Test
    void aFileSetRoundTripsByteIdentical() throws IOException {
        List<DicomFile> in = study(7);
        byte[] zip = fileSet(in);
        Map<String, byte[]> entries = entries(zip);
        assertEquals("DICOMDIR", entries.keySet().iterator().next(), "DICOMDIR first, at the root");
        assertTrue(entries.containsKey("PAT00001/") && entries.containsKey("PAT00001/STU00001/SER00001/"),
                "directory entries are preserved (PS3.12 V.2): " + entries.keySet());
        List<MediaInstance> out = new ZipFileSetReader(MediaLimits.DEFAULT).read(new ByteArrayInputStream(zip));
        try {
            assertEquals(in.size(), out.size());
            List<FileSetEntry> layout = FileSetLayout.assign(in);
            for (int i = 0; i < out.size(); i++) {
                MediaInstance mi = out.get(i);
                FileSetEntry expected = layout.get(i);
                assertEquals(expected.fileId(), mi.fileId());
                assertEquals(expected.file().dataset().getString(Tag.SOPInstanceUID), mi.sopInstanceUid());
                assertArrayEquals(MediaTestData.datasetBytes(expected.file()), MediaTestData.datasetBytes(mi.file()));
                assertArrayEquals(entries.get(String.join("/", mi.fileId())), mi.bytes(), "bytes as received");
                assertTrue(mi.inMemory());
                assertEquals(MediaTestData.CT, mi.sopClassUid());
                assertEquals(expected.file().dataset().getString(Tag.StudyInstanceUID), mi.studyInstanceUid());
                assertEquals(expected.file().dataset().getString(Tag.SeriesInstanceUID), mi.seriesInstanceUid());
                assertEquals("1.2.840.10008.1.2.1", mi.transferSyntaxUid());
            }
        } finally {
            out.forEach(MediaInstance::close);
        }
    }

    @Test
    void manyInstances() throws IOException {
        List<DicomFile> in = study(600);
        byte[] zip = fileSet(in);
        List<MediaInstance> out = new ZipFileSetReader(MediaLimits.DEFAULT).read(new ByteArrayInputStream(zip));
        assertEquals(600, out.size());
        assertEquals(600, out.stream().map(MediaInstance::sopInstanceUid).distinct().count());
        out.forEach(MediaInstance::close);
        refused(zip, MediaLimits.DEFAULT.withMaxInstances(599), MediaException.Reason.LIMIT_EXCEEDED);
        refused(zip, MediaLimits.DEFAULT.withMaxEntries(100), MediaException.Reason.LIMIT_EXCEEDED);
    }

    @Test
    void aLargeInstanceGoesToATemporaryFileThatCloseDeletes() throws IOException {
        DicomFile big = MediaTestData.part10(MediaTestData.dataset("P", 1, 1, 1, 3 << 20));
        DicomFile small = MediaTestData.instance("P", 1, 1, 2);
        byte[] zip = fileSet(List.of(big, small));
        MediaLimits limits = MediaLimits.DEFAULT.withMemoryThreshold(1 << 20);
        List<MediaInstance> out = new ZipFileSetReader(limits).read(new ByteArrayInputStream(zip));
        MediaInstance b = out.get(0);
        assertFalse(b.inMemory());
        Path p = b.path();
        assertTrue(Files.exists(p));
        assertEquals(Files.size(p), b.length());
        assertTrue(b.length() > 3 << 20);
        assertArrayEquals(MediaTestData.datasetBytes(big), MediaTestData.datasetBytes(b.file()));
        assertTrue(out.get(1).inMemory());
        assertEquals(liveAtStart + 1, TempFiles.liveCount());
        out.forEach(MediaInstance::close);
        assertFalse(Files.exists(p));
        assertEquals(liveAtStart, TempFiles.liveCount());
        assertThrows(IllegalStateException.class, b::file);
    }

    @Test
    void detachKeepsTheFile() throws IOException {
        byte[] zip = fileSet(List.of(MediaTestData.part10(MediaTestData.dataset("P", 1, 1, 1, 300_000))));
        List<MediaInstance> out = new ZipFileSetReader(MediaLimits.DEFAULT.withMemoryThreshold(100_000))
                .read(new ByteArrayInputStream(zip));
        Path p = out.get(0).detach();
        out.get(0).close();
        assertTrue(Files.exists(p));
        Files.delete(p);
    }

    @Test
    void theMemoryBudgetOfAllEntriesSpillsTheRest() throws IOException {
        List<DicomFile> in = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            in.add(MediaTestData.part10(MediaTestData.dataset("P", 1, 1, i, 200_000)));
        }
        byte[] zip = fileSet(in);
        List<MediaInstance> out = new ZipFileSetReader(MediaLimits.DEFAULT.withMaxMemoryBytes(450_000))
                .read(new ByteArrayInputStream(zip));
        assertEquals(List.of(true, true, false, false, false), out.stream().map(MediaInstance::inMemory).toList());
        out.forEach(MediaInstance::close);
        assertEquals(liveAtStart, TempFiles.liveCount());
    }

    @Test
    void unsafeEntryNamesAreRefusedNamingTheEntry() throws IOException {
        byte[] good = fileSet(List.of(MediaTestData.instance("P", 1, 1, 1)));
        Map<String, byte[]> base = entries(good);
        for (String bad : new String[] {"../x", "/etc/x", "C:\\x", "a\\..\\b", "A/../../x", "c:x", "a\u0000b",
                "./x", "A//B"}) {
            Map<String, byte[]> m = new LinkedHashMap<>(base);
            m.put(bad, new byte[] {1, 2, 3});
            MediaException e = refused(MediaTestData.zip(m), MediaLimits.DEFAULT,
                    MediaException.Reason.UNSAFE_ENTRY_NAME);
            assertTrue(e.getMessage().contains(ZipFileSetReader.printable(bad)), e.getMessage());
        }
    }

    @Test
    void unreferencedFilesAreIgnoredButCounted() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>(entries(fileSet(List.of(MediaTestData.instance("P", 1, 1, 1)))));
        m.put("README", "not DICOM".getBytes());
        m.put("EXTRA/IMG", MediaTestData.bytes(MediaTestData.instance("P", 1, 1, 9)));
        List<MediaInstance> out = new ZipFileSetReader(MediaLimits.DEFAULT)
                .read(new ByteArrayInputStream(MediaTestData.zip(m)));
        assertEquals(1, out.size());
        out.forEach(MediaInstance::close);
        refused(MediaTestData.zip(m), MediaLimits.DEFAULT.withMaxEntries(m.size() - 1),
                MediaException.Reason.LIMIT_EXCEEDED);
    }

    @Test
    void aZipBombStopsAtTheRatioCheck() throws IOException {
        // a real ZipOutputStream bomb: 256 MiB of zeros deflate to about 256 KiB
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            z.putNextEntry(new ZipEntry("BOMB"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        MediaException e = refused(bos.toByteArray(), MediaLimits.DEFAULT, MediaException.Reason.LIMIT_EXCEEDED);
        assertTrue(e.getMessage().contains("'BOMB'") && e.getMessage().contains("ZIP bomb"), e.getMessage());
    }

    @Test
    void aTenGibBombFailsFastWithLittleMemory() {
        long tenGib = 10L << 30;
        MediaTestData.CountingBomb bomb = MediaTestData.bomb("PAT00001/BOMB", tenGib);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long alloc0 = mx.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        MediaException e = assertThrows(MediaException.class,
                () -> new ZipFileSetReader(MediaLimits.DEFAULT).read(bomb));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long allocated = mx.getThreadAllocatedBytes(tid) - alloc0;
        assertEquals(MediaException.Reason.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("ZIP bomb"), e.getMessage());
        // stopped just past the 1 MiB floor: a few KiB of the ~10 MiB of compressed input were read
        assertTrue(bomb.served < 64 * 1024, "compressed bytes read: " + bomb.served);
        assertTrue(allocated < 32L << 20, "allocated " + allocated);
        assertTrue(ms < 5000, ms + " ms");
        assertEquals(liveAtStart, TempFiles.liveCount());
    }

    @Test
    void withoutTheRatioCheckTheEntryLimitStopsTheBombAfterAboutLimitBytes() {
        long tenGib = 10L << 30;
        MediaTestData.CountingBomb bomb = MediaTestData.bomb("BOMB", tenGib);
        long limit = 64L << 20;
        MediaLimits limits = MediaLimits.DEFAULT.withMaxCompressionRatio(1e12).withMaxEntryBytes(limit);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long alloc0 = mx.getThreadAllocatedBytes(tid);
        MediaException e = assertThrows(MediaException.class, () -> new ZipFileSetReader(limits).read(bomb));
        long allocated = mx.getThreadAllocatedBytes(tid) - alloc0;
        assertEquals(MediaException.Reason.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("'BOMB'") && e.getMessage().contains("inflates to more than"),
                e.getMessage());
        // inflated bytes read ~ limit: compressed bytes read ~ limit / (1 MiB per chunk) chunks
        long chunksRead = bomb.served / bomb.chunkLength();
        assertTrue(chunksRead <= (limit >> 20) + 2, "chunks read " + chunksRead);
        assertTrue(allocated < 64L << 20, "allocated " + allocated);
        assertEquals(liveAtStart, TempFiles.liveCount(), "the spilled part is deleted");
        MediaLimits total = MediaLimits.DEFAULT.withMaxCompressionRatio(1e12).withMaxTotalBytes(limit);
        MediaException t = assertThrows(MediaException.class,
                () -> new ZipFileSetReader(total).read(MediaTestData.bomb("BOMB", tenGib)));
        assertEquals(MediaException.Reason.LIMIT_EXCEEDED, t.reason());
        assertEquals(liveAtStart, TempFiles.liveCount());
    }

    @Test
    void dicomdirProblems() throws IOException {
        Map<String, byte[]> base = entries(fileSet(study(3)));
        Map<String, byte[]> none = new LinkedHashMap<>(base);
        none.remove("DICOMDIR");
        refused(MediaTestData.zip(none), MediaLimits.DEFAULT, MediaException.Reason.NO_DICOMDIR);

        Map<String, byte[]> lower = new LinkedHashMap<>(none);
        lower.put("dicomdir", base.get("DICOMDIR"));
        refused(MediaTestData.zip(lower), MediaLimits.DEFAULT, MediaException.Reason.BAD_DICOMDIR);

        Map<String, byte[]> nested = new LinkedHashMap<>(none);
        nested.put("SUB/DICOMDIR", base.get("DICOMDIR"));
        refused(MediaTestData.zip(nested), MediaLimits.DEFAULT, MediaException.Reason.NO_DICOMDIR);

        Map<String, byte[]> garbage = new LinkedHashMap<>(base);
        garbage.put("DICOMDIR", "garbage".getBytes());
        refused(MediaTestData.zip(garbage), MediaLimits.DEFAULT, MediaException.Reason.BAD_DICOMDIR);

        Map<String, byte[]> notDir = new LinkedHashMap<>(base);
        notDir.put("DICOMDIR", MediaTestData.bytes(MediaTestData.instance("P", 1, 1, 1)));
        refused(MediaTestData.zip(notDir), MediaLimits.DEFAULT, MediaException.Reason.BAD_DICOMDIR);

        // a corrupted offset: the first root record offset moved by 2 bytes
        byte[] dir = base.get("DICOMDIR").clone();
        DicomFile parsed = new org.cameldicomsecure.dicom.io.DicomReader().read(dir);
        int first = parsed.dataset().getInt(Tag.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, 0);
        int at = indexOfUl(dir, first);
        dir[at] += 2;
        Map<String, byte[]> badOffset = new LinkedHashMap<>(base);
        badOffset.put("DICOMDIR", dir);
        MediaException e = refused(MediaTestData.zip(badOffset), MediaLimits.DEFAULT, MediaException.Reason.BAD_DICOMDIR);
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
    }

    @Test
    void invalidReferencedFileIdsAndEmptyDirectoriesAreBadDicomdirs() throws IOException {
        List<FileSetEntry> entries = FileSetLayout.assign(List.of(MediaTestData.instance("P", 1, 1, 1)));
        for (String[] badId : new String[][] {{"..", "X"}, {"a", "b"}, {"A.DCM"}, {"ABCDEFGHI"}}) {
            DicomFile dir = new DicomDirWriter().build("X", entries);
            org.cameldicomsecure.dicom.Dataset image = dir.dataset().getSequence(Tag.DirectoryRecordSequence).get(3);
            image.setString(Tag.ReferencedFileID, org.cameldicomsecure.dicom.VR.CS, badId);
            Map<String, byte[]> m = new LinkedHashMap<>();
            m.put("DICOMDIR", MediaTestData.bytes(dir));
            m.put("X", MediaTestData.bytes(entries.get(0).file()));
            MediaException e = refused(MediaTestData.zip(m), MediaLimits.DEFAULT, MediaException.Reason.BAD_DICOMDIR);
            assertTrue(e.getMessage().contains("Referenced File ID"), e.getMessage());
        }
        Map<String, byte[]> empty = new LinkedHashMap<>();
        empty.put("DICOMDIR", MediaTestData.bytes(new DicomDirWriter().build("X", List.of())));
        refused(MediaTestData.zip(empty), MediaLimits.DEFAULT, MediaException.Reason.BAD_DICOMDIR);
        assertThrows(IllegalArgumentException.class,
                () -> ZipFileSetWriter.write("X", List.of(), new ByteArrayOutputStream()));
    }

    @Test
    void definedLengthRecordsParseToo() throws IOException {
        // DCMTK writes the Directory Record Sequence and its items with explicit lengths
        List<FileSetEntry> entries = FileSetLayout.assign(study(5));
        DicomFile dir = new DicomDirWriter().build("X", entries);
        org.cameldicomsecure.dicom.Sequence seq = dir.dataset().getSequence(Tag.DirectoryRecordSequence);
        seq.setUndefinedLength(false);
        for (org.cameldicomsecure.dicom.Dataset item : seq) {
            item.setUndefinedLength(false);
        }
        // the offsets were computed for undefined lengths: they must now be refused ...
        byte[] stale = MediaTestData.bytes(dir);
        MediaException e = assertThrows(MediaException.class, () -> DicomDir.parse(
                new org.cameldicomsecure.dicom.io.DicomReader().read(stale)));
        assertEquals(MediaException.Reason.BAD_DICOMDIR, e.reason());
        // ... and once recomputed for the explicit lengths, followed
        java.util.Map<org.cameldicomsecure.dicom.Dataset, Long> offsets = DicomDirWriter.itemOffsets(dir.fileMeta(),
                dir.dataset(), new org.cameldicomsecure.dicom.io.DicomWriter());
        java.util.Map<Long, Long> moved = new java.util.HashMap<>();
        java.util.Map<org.cameldicomsecure.dicom.Dataset, Long> old = DicomDirWriter.itemOffsets(dir.fileMeta(),
                undefinedCopy(dir.dataset()), new org.cameldicomsecure.dicom.io.DicomWriter());
        List<org.cameldicomsecure.dicom.Dataset> newItems = seq.items();
        List<org.cameldicomsecure.dicom.Dataset> oldItems = new ArrayList<>(old.keySet());
        oldItems.sort(java.util.Comparator.comparing(old::get));
        for (int i = 0; i < newItems.size(); i++) {
            moved.put(old.get(oldItems.get(i)), offsets.get(newItems.get(i)));
        }
        moved.put(0L, 0L);
        org.cameldicomsecure.dicom.Dataset ds = dir.dataset();
        for (int tag : new int[] {Tag.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity,
                Tag.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity}) {
            ds.setInt(tag, org.cameldicomsecure.dicom.VR.UL, (int) (long) moved.get(
                    Integer.toUnsignedLong(ds.getInt(tag, 0))));
        }
        for (org.cameldicomsecure.dicom.Dataset item : seq) {
            for (int tag : new int[] {Tag.OffsetOfTheNextDirectoryRecord, Tag.OffsetOfReferencedLowerLevelDirectoryEntity}) {
                item.setInt(tag, org.cameldicomsecure.dicom.VR.UL, (int) (long) moved.get(
                        Integer.toUnsignedLong(item.getInt(tag, 0))));
            }
        }
        DicomDir dd = DicomDir.parse(new org.cameldicomsecure.dicom.io.DicomReader().read(MediaTestData.bytes(dir)));
        assertEquals(entries.stream().map(FileSetEntry::fileId).toList(),
                dd.referencedFiles().stream().map(DirectoryRecord::referencedFileId).toList());
    }

    /** A copy of the DICOMDIR data set whose sequence and items have undefined length (as DicomDirWriter writes). */
    private static org.cameldicomsecure.dicom.Dataset undefinedCopy(org.cameldicomsecure.dicom.Dataset ds) {
        org.cameldicomsecure.dicom.Dataset c = new org.cameldicomsecure.dicom.Dataset();
        for (int i = 0; i < ds.size(); i++) {
            if (ds.tagAt(i) != Tag.DirectoryRecordSequence) {
                c.add(ds.tagAt(i), ds.vrAt(i), ds.valueAt(i));
            }
        }
        org.cameldicomsecure.dicom.Sequence s = c.newSequence(Tag.DirectoryRecordSequence);
        for (org.cameldicomsecure.dicom.Dataset item : ds.getSequence(Tag.DirectoryRecordSequence)) {
            org.cameldicomsecure.dicom.Dataset n = s.addItem(false, true);
            n.putAll(item);
        }
        return c;
    }

    private static int indexOfUl(byte[] b, int v) {
        for (int i = 0; i + 4 <= b.length; i++) {
            if ((b[i] & 0xff | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24) == v) {
                return i;
            }
        }
        throw new AssertionError("offset not found");
    }

    @Test
    void referencedFilesMustExistBeDicomAndMatch() throws IOException {
        List<DicomFile> in = study(3);
        Map<String, byte[]> base = entries(fileSet(in));
        String first = "PAT00001/STU00001/SER00001/IMG00001";
        assertTrue(base.containsKey(first), base.keySet().toString());
        MediaLimits spill = MediaLimits.DEFAULT.withMemoryThreshold(100); // every entry in a temp file

        Map<String, byte[]> missing = new LinkedHashMap<>(base);
        missing.remove(first);
        MediaException e = refused(MediaTestData.zip(missing), spill, MediaException.Reason.MISSING_FILE);
        assertTrue(e.getMessage().contains(first), e.getMessage());

        Map<String, byte[]> png = new LinkedHashMap<>(base);
        png.put(first, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
        e = refused(MediaTestData.zip(png), spill, MediaException.Reason.NOT_DICOM);
        assertTrue(e.getMessage().contains(first), e.getMessage());

        Map<String, byte[]> swapped = new LinkedHashMap<>(base);
        swapped.put(first, MediaTestData.bytes(MediaTestData.instance("P", 9, 9, 9)));
        e = refused(MediaTestData.zip(swapped), spill, MediaException.Reason.MISMATCH);
        assertTrue(e.getMessage().contains(first), e.getMessage());

        Map<String, byte[]> truncated = new LinkedHashMap<>(base);
        byte[] whole = base.get(first);
        truncated.put(first, java.util.Arrays.copyOf(whole, whole.length - 7));
        refused(MediaTestData.zip(truncated), spill, MediaException.Reason.NOT_DICOM);
    }

    @Test
    void malformedZips() throws IOException {
        refused("this is not a zip".getBytes(), MediaLimits.DEFAULT, MediaException.Reason.MALFORMED_ZIP);
        byte[] good = fileSet(study(2));
        refused(java.util.Arrays.copyOf(good, good.length / 2), MediaLimits.DEFAULT,
                MediaException.Reason.MALFORMED_ZIP);
        byte[] flipped = good.clone();
        // corrupt deflated data in the middle of the DICOMDIR entry
        flipped[200] ^= 0x55;
        flipped[201] ^= 0x55;
        MediaException e = assertThrows(MediaException.class,
                () -> new ZipFileSetReader(MediaLimits.DEFAULT).read(new ByteArrayInputStream(flipped)));
        assertTrue(e.reason() == MediaException.Reason.MALFORMED_ZIP || e.reason() == MediaException.Reason.BAD_DICOMDIR,
                e.reason() + " " + e.getMessage());
        assertEquals(liveAtStart, TempFiles.liveCount());
        // the same name twice
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        Map<String, byte[]> base = entries(fileSet(List.of(MediaTestData.instance("P", 1, 1, 1),
                MediaTestData.instance("P", 1, 1, 2))));
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            for (Map.Entry<String, byte[]> en : base.entrySet()) {
                z.putNextEntry(new ZipEntry(en.getKey()));
                if (en.getValue() != null) {
                    z.write(en.getValue());
                }
                z.closeEntry();
            }
        }
        byte[] twice = bos.toByteArray();
        // rename the second file entry to the name of the first (same length) in the local header
        String a = "PAT00001/STU00001/SER00001/IMG00001";
        String b = base.keySet().stream().filter(k -> k.endsWith("IMG00002")).findFirst().orElseThrow();
        replaceFirst(twice, b, a);
        refused(twice, MediaLimits.DEFAULT, MediaException.Reason.MALFORMED_ZIP);
    }

    private static void replaceFirst(byte[] hay, String from, String to) {
        byte[] f = from.getBytes();
        byte[] t = to.getBytes();
        outer:
        for (int i = 0; i + f.length <= hay.length; i++) {
            for (int j = 0; j < f.length; j++) {
                if (hay[i + j] != f[j]) {
                    continue outer;
                }
            }
            System.arraycopy(t, 0, hay, i, t.length);
            return;
        }
        throw new AssertionError(from + " not found");
    }
}
