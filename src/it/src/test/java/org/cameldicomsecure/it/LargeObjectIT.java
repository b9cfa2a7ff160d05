package org.cameldicomsecure.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.FileRegion;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 2 GiB multi-frame instance (Pixel Data OW of exactly 2^31 bytes, past {@code Integer.MAX_VALUE}, followed by Data
 * Set Trailing Padding) is read, its Patient ID changed and written to a new file by a child JVM with
 * {@code -Xmx256m} ({@link LargeObjectRewrite}), once reading the file by path (pixel data stays a region of the
 * input) and once as a stream (pixel data is spilled to disk).
 *
 * <p>The input is a sparse file: our writer writes the header, the pixel data element header is appended by hand,
 * {@code setLength} makes the 2 GiB value, and a few random marker blocks are written into it so that the copy can be
 * checked for more than zeros. The output must be the input's size plus the longer Patient ID, read back with the new
 * value, and have identical pixel data and trailer: sampled windows (markers, start, tail) compared in Java, and the
 * whole region by {@code cmp}. DCMTK's {@code dcmdump} reads the output too (without loading the pixel data).
 */
class LargeObjectIT {

    static final long PIXEL_LENGTH = 1L << 31;               // 2 GiB, > Integer.MAX_VALUE
    static final int ROWS = 1024;
    static final int COLUMNS = 1024;
    static final int FRAMES = (int) (PIXEL_LENGTH / (2L * ROWS * COLUMNS)); // 16-bit samples: 1024 frames
    static final String OLD_PATIENT_ID = "LARGE-1";              // 7 chars, padded to 8
    static final String NEW_PATIENT_ID = "LARGE-OBJECT-REWRITTEN"; // 22 chars
    static final long SIZE_CHANGE = 22 - 8;
    static final int TRAILER_LENGTH = 16;
    static final int WINDOW = 64 * 1024;
    /** Offsets in the pixel data where random marker blocks are written. */
    static final long[] MARKERS = {0, 4096 * 3 + 17, (1L << 30) - 5, (1L << 31) - WINDOW};

    static Path work;
    static Path source;
    static long sourcePixelOffset;
    static Peers peers;

    @BeforeAll
    static void makeSparseSource() throws Exception {
        Peers.require("dcmdump", "dcmtk");
        Peers.require("cmp", "diffutils");
        peers = Peers.forTest(LargeObjectIT.class);
        work = Paths.get(System.getProperty("it.work.dir", "target/it-work")).toAbsolutePath().resolve("LargeObjectIT");
        Files.createDirectories(work);
        source = work.resolve("large-source.dcm");
        Dataset ds = header();
        String iuid = ds.getString(Tag.SOPInstanceUID);
        DicomFile header = new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH],
                DcmtkWriteInteropIT.fileMeta(UID.MultiFrameGrayscaleWordSecondaryCaptureImageStorage, iuid,
                        TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] head = new DicomWriter().toBytes(header);
        // (7FE0,0010) OW, 2 reserved bytes, 32-bit length: PS3.5 §7.1.2
        byte[] pixelHeader = new byte[12];
        ByteOrderUtil.putUint16(pixelHeader, 0, 0x7FE0, false);
        ByteOrderUtil.putUint16(pixelHeader, 2, 0x0010, false);
        pixelHeader[4] = 'O';
        pixelHeader[5] = 'W';
        ByteOrderUtil.putInt32(pixelHeader, 8, (int) PIXEL_LENGTH, false);
        // (FFFC,FFFC) OB Data Set Trailing Padding after the pixel data
        byte[] trailer = new byte[12 + TRAILER_LENGTH];
        ByteOrderUtil.putUint16(trailer, 0, 0xFFFC, false);
        ByteOrderUtil.putUint16(trailer, 2, 0xFFFC, false);
        trailer[4] = 'O';
        trailer[5] = 'B';
        ByteOrderUtil.putInt32(trailer, 8, TRAILER_LENGTH, false);
        sourcePixelOffset = head.length + pixelHeader.length;
        try (RandomAccessFile f = new RandomAccessFile(source.toFile(), "rw")) {
            f.setLength(0);
            f.write(head);
            f.write(pixelHeader);
            f.setLength(sourcePixelOffset + PIXEL_LENGTH); // a hole: no disk blocks
            Random random = new Random(20240229);
            for (long m : MARKERS) {
                byte[] block = new byte[4096];
                random.nextBytes(block);
                f.seek(sourcePixelOffset + m);
                f.write(block);
            }
            f.seek(sourcePixelOffset + PIXEL_LENGTH);
            f.write(trailer);
        }
        assertEquals(sourcePixelOffset + PIXEL_LENGTH + trailer.length, Files.size(source));
    }

    private static Dataset header() {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.MultiFrameGrayscaleWordSecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, ItUids.fromName("LargeObjectIT/source"));
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.PatientName, VR.PN, "Large^Object");
        ds.setString(Tag.PatientID, VR.LO, OLD_PATIENT_ID);
        ds.setInt(Tag.NumberOfFrames, VR.IS, FRAMES);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, ROWS);
        ds.setInt(Tag.Columns, VR.US, COLUMNS);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 16);
        ds.setInt(Tag.HighBit, VR.US, 15);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        return ds;
    }

    @AfterAll
    static void deleteBigFiles() throws IOException {
        if (work != null && Files.isDirectory(work)) {
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @ParameterizedTest(name = "read from {0}")
    @ValueSource(strings = {"path", "stream"})
    void rewritesInSmallHeap(String mode) throws Exception {
        Path out = work.resolve("large-" + mode + "-out.dcm");
        Path spill = Files.createDirectories(work.resolve("spill-" + mode));
        try {
            List<String> cmd = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"),
                    LargeObjectRewrite.class.getName(),
                    mode, source.toString(), out.toString(), NEW_PATIENT_ID, spill.toString()));
            Peers.Result r = peers.run("child-jvm-" + mode, work, cmd, 300).assertSuccess();
            assertTrue(r.out().contains("pixelDataValue=FileRegion"), "pixel data stayed on disk:\n" + r.out());
            try (Stream<Path> left = Files.list(spill)) {
                assertEquals(List.of(), left.toList(), "spill files are deleted when the child JVM exits");
            }

            assertEquals(Files.size(source) + SIZE_CHANGE, Files.size(out), "output size = input size + "
                    + SIZE_CHANGE + " (Patient ID " + OLD_PATIENT_ID.length() + "+1 -> " + NEW_PATIENT_ID.length()
                    + " bytes)");
            DicomFile back = new DicomReader().read(out);
            assertEquals(NEW_PATIENT_ID, back.dataset().getString(Tag.PatientID));
            assertEquals("Large^Object", back.dataset().getString(Tag.PatientName));
            assertEquals(FRAMES, back.dataset().getInt(Tag.NumberOfFrames, -1));
            FileRegion pixels = assertInstanceOf(FileRegion.class, back.dataset().value(Tag.PixelData));
            assertEquals(VR.OW, back.dataset().vrOf(Tag.PixelData));
            assertEquals(PIXEL_LENGTH, pixels.length());
            assertEquals(sourcePixelOffset + SIZE_CHANGE, pixels.offset(), "pixel data offset in the output");
            assertEquals(TRAILER_LENGTH, back.dataset().getBytes(Tag.DataSetTrailingPadding).length);

            compareWindows(out, pixels.offset());
            // the whole pixel data and the trailer, byte for byte
            Peers.Result cmp = peers.run("cmp-" + mode, work,
                    Peers.cmd("cmp", "-i", sourcePixelOffset + ":" + pixels.offset(), source, out), 300);
            assertEquals(0, cmp.exitCode(), "cmp of pixel data and trailer: " + cmp.out() + cmp.err());

            Peers.Result dump = peers.run("dcmdump-" + mode, work, Peers.cmd("dcmdump", "-M", "-Un", out))
                    .assertSuccess();
            assertEquals(List.of(), dump.dcmtkWarningsAndErrors(), "dcmdump of the 2 GiB output");
            assertTrue(dump.out().contains("[" + NEW_PATIENT_ID + "]"), "dcmdump shows the new Patient ID");
            assertTrue(dump.out().contains("(7fe0,0010) OW (not loaded)"), "dcmdump: " + dump.out());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The marker blocks, the first and the last window of the pixel data are identical in both files. */
    private static void compareWindows(Path out, long outPixelOffset) throws IOException {
        List<Long> offsets = new ArrayList<>();
        for (long m : MARKERS) {
            offsets.add(m);
        }
        offsets.add(PIXEL_LENGTH - WINDOW); // the tail
        offsets.add(PIXEL_LENGTH / 2 - WINDOW / 2); // zeros from the hole, in the middle
        try (FileChannel a = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel b = FileChannel.open(out, StandardOpenOption.READ)) {
            for (long o : offsets) {
                byte[] x = read(a, sourcePixelOffset + o);
                byte[] y = read(b, outPixelOffset + o);
                assertArrayEquals(x, y, "pixel data window at offset " + o);
            }
            byte[] marker = read(a, sourcePixelOffset + MARKERS[2]);
            boolean nonZero = false;
            for (byte v : marker) {
                nonZero |= v != 0;
            }
            assertTrue(nonZero, "marker block is not zeros");
        }
    }

    private static byte[] read(FileChannel ch, long position) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(WINDOW);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                break;
            }
        }
        return buf.array();
    }
}
