package org.cameldicomsecure.dicom.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzz tests of {@link DicomReader} and, for whatever it accepts, {@link DicomWriter}.
 *
 * <p>The contract checked: malformed input raises {@link DicomParseException} and nothing else. No other exception
 * is legitimate while parsing from memory: there is no I/O that can fail, and text (hence the Specific Character Set,
 * whose unknown terms raise {@code IllegalArgumentException}) is decoded lazily, never by the reader. Every other
 * throwable — a {@code RuntimeException}, an {@code EOFException}, an {@code OutOfMemoryError}, a
 * {@code StackOverflowError} — and a hang (see {@link Timeout}) is a finding. For an accepted input:
 * <ul>
 * <li>reading the same bytes from a stream, or with a bulk-data threshold of 0 (every non-empty value becomes a
 * {@link BulkData} region of the input), gives the same result: equal element listings, or a
 * {@link DicomParseException} as well;</li>
 * <li>the {@link DicomWriter} can write it, the output re-parses to an equal element listing (VRs, lengths, value
 * bytes, sequence and item encodings, fragments; group lengths are recomputed by the writer, so only their presence
 * is compared), writing the re-parsed object gives the same bytes, and {@link DicomWriter#encodedLength} is the length
 * actually written.</li>
 * </ul>
 *
 * <p>A plain {@code mvn test} runs both methods in Jazzer's regression mode, on the seeds and earlier findings in
 * {@code src/test/resources/org/cameldicomsecure/dicom/io/DicomReaderFuzzTestInputs/<method>/} (seeds come from
 * {@link DicomReaderFuzzSeeds}); the surefire executions {@code fuzz-readFile} and {@code fuzz-readDataset} of this
 * module's pom then fuzz each method for {@code maxDuration}, with JUnit's own timeout enforcement off (Jazzer makes
 * {@code @Timeout} libFuzzer's per-input limit; JUnit would apply it to the whole run). How to fuzz for longer:
 * {@code docs/FUZZING.md}.
 */
class DicomReaderFuzzTest {

    private static final DicomReaderOptions OPTIONS = new DicomReaderOptions(4 * 1024, 16, spillDirectory());
    private static final DicomReader READER = new DicomReader(OPTIONS);
    /**
     * Every non-empty value becomes a region of the input instead of a copy, also those the reader itself decodes
     * (Transfer Syntax UID, Pixel Representation): the result must not depend on it.
     */
    private static final DicomReader BULK_READER = new DicomReader(OPTIONS.withBulkDataThreshold(0));
    private static final DicomWriter WRITER = new DicomWriter();

    private static final List<TransferSyntax> NATIVE = List.of(
            TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);

    /** {@link DicomReader#read(byte[])}: a PS3.10 file, File Meta Information without preamble, or a bare data set. */
    @org.junit.jupiter.api.Tag("fuzz-readFile")
    @Timeout(10)
    @DictionaryFile(resourcePath = "DicomReaderFuzzTest.dict")
    @FuzzTest(maxDuration = "30s")
    void readFile(byte[] input) throws IOException {
        DicomFile file = parse(() -> READER.read(input));
        assertSameOutcome("read(InputStream)", file, parse(() -> READER.read(new ByteArrayInputStream(input))));
        assertSameOutcome("read(byte[]) with bulk-data threshold 0", file, parse(() -> BULK_READER.read(input)));
        if (file == null) {
            return;
        }
        byte[] written = WRITER.toBytes(file);
        DicomFile again = READER.read(written);
        List<String> expected = listing(file);
        boolean addsGroupLength = file.isPart10() && !file.fileMeta().contains(0x00020000);
        if (addsGroupLength) {
            // the writer adds File Meta Information Group Length (Type 1) when it is missing
            int at = 0;
            while (at < expected.size() && !expected.get(at).startsWith("meta ")) {
                at++;
            }
            expected.add(at, "meta (0002,0000) UL group length");
        }
        assertEquals(expected, listing(again), "the written file re-parses differently");
        assertArrayEquals(written, WRITER.toBytes(again), "writing the re-parsed file gives other bytes");
        if (!file.transferSyntax().deflated()) {
            long length = WRITER.encodedLength(file.dataset(), file.transferSyntax());
            if (file.isPart10()) {
                length += DicomFile.PREAMBLE_LENGTH + 4
                        + WRITER.encodedLength(file.fileMeta(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                        + (addsGroupLength ? 12 : 0);
            }
            assertEquals(length, written.length, "encodedLength differs from the bytes written");
        }
    }

    /** {@link DicomReader#readDataset(byte[], TransferSyntax)}: the bytes as a bare data set in each native syntax. */
    @org.junit.jupiter.api.Tag("fuzz-readDataset")
    @Timeout(10)
    @DictionaryFile(resourcePath = "DicomReaderFuzzTest.dict")
    @FuzzTest(maxDuration = "30s")
    void readDataset(byte[] input) throws IOException {
        for (TransferSyntax ts : NATIVE) {
            Dataset ds = parse(() -> READER.readDataset(input, ts));
            assertSameOutcome(ts.uid() + " from a stream", ds,
                    parse(() -> READER.readDataset(new ByteArrayInputStream(input), ts)));
            assertSameOutcome(ts.uid() + " with bulk-data threshold 0", ds,
                    parse(() -> BULK_READER.readDataset(input, ts)));
            if (ds == null) {
                continue;
            }
            byte[] written = write(ds, ts);
            Dataset again = READER.readDataset(written, ts);
            assertEquals(listing(ds), listing(again), "the written data set re-parses differently in " + ts.uid());
            assertArrayEquals(written, write(again, ts), "writing the re-parsed data set gives other bytes in "
                    + ts.uid());
            if (!ts.deflated()) {
                assertEquals(WRITER.encodedLength(ds, ts), written.length, "encodedLength in " + ts.uid());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Parse<T> {
        T run() throws IOException;
    }

    /** The parsed object, or {@code null} if the input was rejected with a {@link DicomParseException}. */
    private static <T> T parse(Parse<T> p) throws IOException {
        try {
            return p.run();
        } catch (DicomParseException rejected) {
            return null;
        }
    }

    private static void assertSameOutcome(String how, Object expected, Object actual) {
        if (expected == null || actual == null) {
            assertEquals(expected == null ? "rejected" : "accepted", actual == null ? "rejected" : "accepted",
                    "the input is " + (expected == null ? "rejected" : "accepted") + " from byte[] but not by " + how);
            return;
        }
        assertEquals(listing(expected), listing(actual), how + " parses differently");
    }

    private static byte[] write(Dataset ds, TransferSyntax ts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WRITER.writeDataset(ds, ts, out);
        return out.toByteArray();
    }

    /** A value-free-of-patient-data description of a parsed object: one line per element, item and fragment. */
    static List<String> listing(Object parsed) {
        List<String> out = new ArrayList<>();
        if (parsed instanceof DicomFile f) {
            out.add("transfer syntax " + f.transferSyntax());
            out.add(f.isPart10() ? "preamble " + digest(f.preamble()) : "bare data set");
            if (f.isPart10()) {
                list(f.fileMeta(), "meta ", out);
            }
            out.add("data set " + (f.dataset().bigEndian() ? "BE" : "LE"));
            list(f.dataset(), "", out);
        } else {
            Dataset ds = (Dataset) parsed;
            out.add("data set " + (ds.bigEndian() ? "BE" : "LE"));
            list(ds, "", out);
        }
        return out;
    }

    private static void list(Dataset ds, String indent, List<String> out) {
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            VR vr = ds.vrAt(i);
            Object value = ds.valueAt(i);
            String head = indent + Tag.toString(tag) + " " + vr;
            if (value instanceof Sequence s) {
                out.add(head + (s.undefinedLength() ? " undefined" : " defined")
                        + (s.encodedAsUnknown() ? " as UN" : "") + ", " + s.size() + " items");
                int n = 0;
                for (Dataset item : s) {
                    out.add(indent + "  item " + n++ + (item.undefinedLength() ? " undefined" : " defined")
                            + (item.bigEndian() ? " BE" : " LE"));
                    list(item, indent + "    ", out);
                }
            } else if (value instanceof Fragments f) {
                out.add(head + " " + f.size() + " fragments");
                for (int k = 0; k < f.size(); k++) {
                    out.add(indent + "  fragment " + k + " " + digest(bytes(f.get(k))));
                }
            } else {
                byte[] b = bytes(value);
                // the writer recomputes group lengths, just as it detects them
                boolean groupLength = Tag.element(tag) == 0 && vr == VR.UL && b.length == 4;
                out.add(head + " " + (groupLength ? "group length" : digest(b)));
            }
        }
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        try {
            return ((BulkData) value).toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b);
        return "#" + b.length + " crc " + Long.toHexString(crc.getValue());
    }

    private static Path spillDirectory() {
        try {
            Path dir = Files.createTempDirectory("dicom-fuzz-spill-");
            dir.toFile().deleteOnExit(); // runs after the spill files' own deleteOnExit (reverse order)
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
