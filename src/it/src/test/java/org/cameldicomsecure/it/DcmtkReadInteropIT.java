package org.cameldicomsecure.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import javax.imageio.ImageIO;

import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.RichDump.CharacterSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our reader and writer against files DCMTK made: {@code dump2dcm} builds a rich data set ({@link RichDump}) and
 * {@code dcmconv} re-encodes it in every native transfer syntax, with defined and undefined sequence and item lengths,
 * with group lengths, with data set and item padding, and as bare data sets; {@code img2dcm} makes JPEG-encapsulated
 * files. For each file:
 * <ol>
 * <li>our reader parses it;</li>
 * <li>our data set, element by element (tag, VR, value length, VM, value; sequences and items recursively), equals
 * {@code dcmdump}'s listing;</li>
 * <li>read and written again in the same transfer syntax, it comes out byte for byte identical (deflated: once
 * inflated), read from a byte array, a file and a stream, with values in the heap and as bulk-data regions;</li>
 * <li>written in every other native transfer syntax, {@code dcmdump} lists it exactly as the file {@code dcmconv}
 * makes from the same input.</li>
 * </ol>
 */
class DcmtkReadInteropIT {

    /** The native transfer syntaxes and the dcmconv option that writes each. */
    enum Native {
        IVRLE("+ti", TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN),
        EVRLE("+te", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
        EVRBE("+tb", TransferSyntax.EXPLICIT_VR_BIG_ENDIAN),
        DEFLATED("+td", TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);

        final String dcmconvOption;
        final TransferSyntax ts;

        Native(String dcmconvOption, TransferSyntax ts) {
            this.dcmconvOption = dcmconvOption;
            this.ts = ts;
        }
    }

    /**
     * One DCMTK-made file: the rich data set in one character set, converted by {@code dcmconv options} (none: the
     * file as dump2dcm wrote it, Explicit VR Little Endian with defined lengths).
     */
    record Variant(String name, CharacterSet cs, Native ts, boolean undefinedLengths, boolean bare,
            List<String> dcmconvOptions) {

        Path file() {
            return dir.resolve(name + ".dcm");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @TempDir
    static Path dir;
    static Peers peers;
    static final DicomReader READER = new DicomReader();
    static final DicomWriter WRITER = new DicomWriter();
    static final int BULK_THRESHOLD = 32;

    static final List<Variant> VARIANTS = variantList();

    private static List<Variant> variantList() {
        List<Variant> l = new ArrayList<>();
        for (CharacterSet cs : CharacterSet.values()) {
            String p = cs.name().toLowerCase() + "-";
            l.add(new Variant(p + "evrle-deflen", cs, Native.EVRLE, false, false, null));
            l.add(new Variant(p + "evrle-undeflen", cs, Native.EVRLE, true, false, List.of("+te", "-e")));
            l.add(new Variant(p + "ivrle-deflen", cs, Native.IVRLE, false, false, List.of("+ti", "+e")));
            l.add(new Variant(p + "ivrle-undeflen", cs, Native.IVRLE, true, false, List.of("+ti", "-e")));
            l.add(new Variant(p + "evrbe-deflen", cs, Native.EVRBE, false, false, List.of("+tb", "+e")));
            l.add(new Variant(p + "evrbe-undeflen", cs, Native.EVRBE, true, false, List.of("+tb", "-e")));
            l.add(new Variant(p + "deflated-deflen", cs, Native.DEFLATED, false, false, List.of("+td", "+e")));
            l.add(new Variant(p + "deflated-undeflen", cs, Native.DEFLATED, true, false, List.of("+td", "-e")));
            // group length elements in every group (recomputed by our writer)
            l.add(new Variant(p + "evrle-deflen-grouplen", cs, Native.EVRLE, false, false, List.of("+te", "+e", "+g")));
            l.add(new Variant(p + "ivrle-undeflen-grouplen", cs, Native.IVRLE, true, false,
                    List.of("+ti", "-e", "+g")));
            l.add(new Variant(p + "evrbe-deflen-grouplen", cs, Native.EVRBE, false, false, List.of("+tb", "+e", "+g")));
            // Data Set Trailing Padding (FFFC,FFFC): file aligned to 512 bytes, items to 16
            l.add(new Variant(p + "evrle-deflen-padded", cs, Native.EVRLE, false, false,
                    List.of("+te", "+e", "+p", "512", "16")));
            // bare data sets (no preamble, no File Meta Information), as a DIMSE peer sends them
            l.add(new Variant(p + "ivrle-bare", cs, Native.IVRLE, false, true, List.of("+ti", "+e", "-F")));
            l.add(new Variant(p + "evrle-bare", cs, Native.EVRLE, true, true, List.of("+te", "-e", "-F")));
        }
        return List.copyOf(l);
    }

    static Stream<Variant> variants() {
        return VARIANTS.stream();
    }

    /** Every Part 10 variant into every other native transfer syntax. */
    static Stream<Arguments> transcodings() {
        return VARIANTS.stream().filter(v -> !v.bare()).flatMap(v -> Arrays.stream(Native.values())
                .filter(t -> t != v.ts())
                .map(t -> Arguments.of(v, t)));
    }

    @BeforeAll
    static void makeFilesWithDcmtk() throws Exception {
        for (String tool : List.of("dump2dcm", "dcmconv", "dcmdump", "img2dcm")) {
            Peers.require(tool, "dcmtk");
        }
        peers = Peers.forTest(DcmtkReadInteropIT.class);
        for (CharacterSet cs : CharacterSet.values()) {
            Path dump = dir.resolve(cs.name().toLowerCase() + ".dump");
            Files.write(dump, RichDump.bytes(cs));
            Files.copy(dump, peers.logDir().resolve(dump.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            Path base = VARIANTS.stream().filter(v -> v.cs() == cs && v.dcmconvOptions() == null).findFirst()
                    .orElseThrow().file();
            Peers.Result r = peers.run("dump2dcm-" + cs, dir, Peers.cmd("dump2dcm", dump, base)).assertSuccess();
            assertEquals(List.of(), r.dcmtkWarningsAndErrors(), "dump2dcm " + dump);
        }
        for (Variant v : VARIANTS) {
            if (v.dcmconvOptions() == null) {
                continue;
            }
            Path base = dir.resolve(v.cs().name().toLowerCase() + "-evrle-deflen.dcm");
            Peers.Result r = peers.run("dcmconv-" + v.name(), dir,
                    Peers.cmd("dcmconv", v.dcmconvOptions(), base, v.file())).assertSuccess();
            assertEquals(List.of(), r.dcmtkWarningsAndErrors(), "dcmconv " + v.dcmconvOptions());
        }
        makeJpegFiles();
    }

    // ------------------------------------------------------------------------------------------- (a) and (b)

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void readsWhatDcmdumpLists(Variant v) throws Exception {
        DicomFile f = READER.read(v.file());
        assertEquals(v.ts().ts, f.transferSyntax(), "transfer syntax");
        assertEquals(!v.bare(), f.isPart10(), "Part 10 file");
        Dcmdump.Listing dump = Dcmdump.dump(peers, "dcmdump-" + v.name(), v.file());
        if (f.isPart10()) {
            assertLines(Canonical.of(dump.meta()), Canonical.of(f.fileMeta(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                    v + " File Meta Information");
        }
        assertLines(Canonical.of(dump.dataset()), Canonical.of(f.dataset(), f.transferSyntax()), v + " data set");
        // sanity: the comparison covered the structure we built
        Dataset ds = f.dataset();
        Sequence ras = ds.getSequence(Tag.RequestAttributesSequence);
        assertNotNull(ras, "RequestAttributesSequence");
        assertEquals(2, ras.size());
        assertTrue(ras.get(1).isEmpty(), "second item is empty");
        Dataset level3 = ras.get(0).getSequence(Tag.ScheduledProtocolCodeSequence).get(0)
                .getSequence(Tag.ProtocolContextSequence).get(0);
        assertEquals("TEXT", level3.getString(Tag.ValueType));
        assertTrue(level3.getSequence(Tag.ConceptNameCodeSequence).isEmpty(), "empty sequence at level 4");
        assertTrue(ds.getSequence(Tag.ReferencedSeriesSequence).isEmpty(), "empty top-level sequence");
        assertEquals(v.undefinedLengths(), ras.undefinedLength(), "sequence length encoding kept");
        assertEquals(RichDump.PRIVATE_CREATOR, ds.getString(0x00090010));
        assertEquals(RichDump.PRIVATE_CREATOR,
                ds.getSequence(Tag.ReferencedImageSequence).get(0).getString(0x00090010), "private creator in an item");
    }

    /** Values decoded with the Specific Character Set equal DCMTK's conversion to UTF-8 ({@code dcmdump +U8}). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(CharacterSet.class)
    void decodesTextLikeDcmtk(CharacterSet cs) throws Exception {
        Variant v = VARIANTS.stream().filter(x -> x.cs() == cs && x.dcmconvOptions() == null).findFirst().orElseThrow();
        DicomFile f = READER.read(v.file());
        assertEquals(cs.personName, f.dataset().getString(Tag.PatientName));
        assertArrayEquals(cs.otherNames.split("\\\\"), f.dataset().getStrings(Tag.OtherPatientNames));
        assertEquals(cs.longText, f.dataset().getString(Tag.PatientComments), "LT keeps leading spaces");
        Dcmdump.Listing utf8 = Dcmdump.dump(peers, "dcmdump-U8-" + v.name(), v.file(), "+U8");
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        compareDecoded(utf8.dataset(), f.dataset(), "", expected, actual);
        assertTrue(expected.size() >= 12, "compared " + expected.size() + " text values");
        assertLines(expected, actual, cs + " decoded text");
    }

    private static void compareDecoded(List<Dcmdump.Node> nodes, Dataset ds, String path, List<String> expected,
            List<String> actual) {
        for (Dcmdump.Node n : nodes) {
            String p = path + Dcmdump.tagText(n.tag);
            if (n.kind == Dcmdump.Kind.SEQUENCE) {
                Sequence s = ds.getSequence(n.tag);
                assertNotNull(s, p);
                for (int i = 0; i < n.children.size(); i++) {
                    compareDecoded(n.children.get(i).children, s.get(i), p + "[" + i + "]/", expected, actual);
                }
                continue;
            }
            VR vr = ds.vrOf(n.tag);
            if (n.kind != Dcmdump.Kind.ELEMENT || vr == null || !vr.usesSpecificCharacterSet()) {
                continue;
            }
            String dcmtk = new String(n.value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            expected.add(p + " " + vr + " " + String.join("\\", splitAndTrim(vr, dcmtk)));
            actual.add(p + " " + vr + " " + String.join("\\", ds.getStrings(n.tag)));
        }
    }

    /** PS3.5 Table 6.2-1: values split at backslashes (not LT/ST/UT); leading spaces insignificant except LT/ST/UT. */
    private static List<String> splitAndTrim(VR vr, String s) {
        List<String> out = new ArrayList<>();
        for (String part : vr.multiValued() ? s.split("\\\\", -1) : new String[] {s}) {
            String t = part.replaceAll(" +$", "");
            if (vr != VR.LT && vr != VR.ST && vr != VR.UT) {
                t = t.replaceAll("^ +", "");
            }
            out.add(t);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- (c)

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void writesBackBitForBit(Variant v) throws Exception {
        byte[] original = Files.readAllBytes(v.file());
        // 32 bytes: the longer UIDs, texts and binary values become regions of the array, the file or a spill file.
        // (A threshold below the length of the File Meta Information values fails: see CodecFindingsIT.)
        DicomReader bulk = new DicomReader(DicomReaderOptions.DEFAULT.withBulkDataThreshold(BULK_THRESHOLD)
                .withSpillDirectory(dir));
        assertAll(
                () -> assertSameEncoding(v, original, WRITER.toBytes(READER.read(original)), "from byte[]"),
                () -> assertSameEncoding(v, original, WRITER.toBytes(READER.read(v.file())), "from Path"),
                () -> {
                    try (InputStream in = Files.newInputStream(v.file())) {
                        assertSameEncoding(v, original, WRITER.toBytes(READER.read(in)), "from InputStream");
                    }
                },
                () -> assertSameEncoding(v, original, WRITER.toBytes(bulk.read(original)), "from byte[], bulk data"),
                () -> assertSameEncoding(v, original, WRITER.toBytes(bulk.read(v.file())), "from Path, bulk data"),
                () -> {
                    try (InputStream in = Files.newInputStream(v.file())) {
                        assertSameEncoding(v, original, WRITER.toBytes(bulk.read(in)), "from InputStream, spilled");
                    }
                },
                () -> {
                    Path out = dir.resolve(v.name() + "-rewritten.dcm");
                    WRITER.write(bulk.read(v.file()), out);
                    assertSameEncoding(v, original, Files.readAllBytes(out), "Path to Path, bulk data");
                });
    }

    /**
     * Byte for byte, except that for Deflated Explicit VR Little Endian the deflated bytes are compared after
     * inflating them: the same data set deflated by another zlib build may differ (PS3.5 §A.5 defines the inflated
     * stream). With the JDK and DCMTK of Debian 12 they are identical anyway.
     */
    private static void assertSameEncoding(Variant v, byte[] expected, byte[] actual, String how) throws IOException {
        if (v.ts() == Native.DEFLATED) {
            assertSameBytes(inflatedForm(expected), inflatedForm(actual), v + " " + how + " (inflated)");
        } else {
            assertSameBytes(expected, actual, v + " " + how);
        }
    }

    /** Preamble, "DICM" and File Meta Information as they are, then the inflated data set. */
    private static byte[] inflatedForm(byte[] file) throws IOException {
        int metaStart = DicomFile.PREAMBLE_LENGTH + 4;
        int metaEnd = metaStart + 12 + ByteOrderUtil.int32(file, metaStart + 8, false); // after (0002,0000) UL
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(file, 0, metaEnd);
        Inflater inflater = new Inflater(true);
        try (InflaterInputStream in = new InflaterInputStream(
                new ByteArrayInputStream(file, metaEnd, file.length - metaEnd), inflater)) {
            in.transferTo(out);
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }

    private static void assertSameBytes(byte[] expected, byte[] actual, String what) {
        if (!Arrays.equals(expected, actual)) {
            int at = Arrays.mismatch(expected, actual);
            fail(what + ": output differs from the input at byte " + at + " (input " + expected.length
                    + " bytes, output " + actual.length + ")\n input:  " + window(expected, at) + "\n output: "
                    + window(actual, at));
        }
    }

    private static String window(byte[] b, int at) {
        int from = Math.max(0, at - 16);
        int to = Math.min(b.length, at + 16);
        return "@" + from + " " + Canonical.hexBytes(Arrays.copyOfRange(b, from, to));
    }

    // ------------------------------------------------------------------------------------------- (d)

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("transcodings")
    void transcodesLikeDcmconv(Variant v, Native target) throws Exception {
        Path ours = dir.resolve(v.name() + "-ours-" + target + ".dcm");
        Path theirs = dir.resolve(v.name() + "-dcmconv-" + target + ".dcm");
        DicomFile f = READER.read(v.file());
        f.fileMeta().setString(Tag.TransferSyntaxUID, VR.UI, target.ts.uid());
        WRITER.write(new DicomFile(f.preamble(), f.fileMeta(), f.dataset(), target.ts), ours);
        peers.run("dcmconv-" + v.name() + "-" + target, dir,
                Peers.cmd("dcmconv", v.undefinedLengths() ? "-e" : "+e", target.dcmconvOption, v.file(), theirs))
                .assertSuccess();
        Dcmdump.Listing expected = Dcmdump.dump(peers, "dcmdump-dcmconv-" + v.name() + "-" + target, theirs);
        Dcmdump.Listing actual = Dcmdump.dump(peers, "dcmdump-ours-" + v.name() + "-" + target, ours);
        assertLines(List.of(expected.text().split("\n")), List.of(actual.text().split("\n")),
                v + " written as " + target + ": dcmdump of ours vs dcmdump of dcmconv's");
        // and our reader reads back what it wrote
        assertLines(Canonical.of(expected.dataset()), Canonical.of(READER.read(ours).dataset(), target.ts),
                v + " written as " + target + ", read back");
    }

    // ------------------------------------------------------------------------------------------- encapsulated

    static final int JPEG_FRAMES = 3;
    static final List<byte[]> JPEGS = new ArrayList<>();

    private static void makeJpegFiles() throws Exception {
        List<Path> jpegs = new ArrayList<>();
        for (int k = 0; k < JPEG_FRAMES; k++) {
            BufferedImage im = new BufferedImage(24, 16, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < im.getHeight(); y++) {
                for (int x = 0; x < im.getWidth(); x++) {
                    im.setRGB(x, y, (x * 10) << 16 | (y * 15) << 8 | (k * 80 + (x ^ y) * 3));
                }
            }
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            assertTrue(ImageIO.write(im, "jpg", bos), "no JPEG writer in javax.imageio");
            Path p = dir.resolve("frame" + k + ".jpg");
            Files.write(p, bos.toByteArray());
            JPEGS.add(bos.toByteArray());
            jpegs.add(p);
        }
        peers.run("img2dcm-single", dir, Peers.cmd("img2dcm", jpegs.get(0), dir.resolve("jpeg-single.dcm")))
                .assertSuccess();
        // -nsc: a multi-frame SC SOP class (Multi-frame True Color SC), so several JPEGs make one multi-frame image
        peers.run("img2dcm-multi", dir, Peers.cmd("img2dcm", "-nsc", jpegs, dir.resolve("jpeg-multi.dcm")))
                .assertSuccess();
    }

    @Test
    void keepsSingleFrameJpegFragments() throws Exception {
        checkEncapsulated(dir.resolve("jpeg-single.dcm"), 1);
    }

    @Test
    void keepsMultiFrameJpegFragments() throws Exception {
        checkEncapsulated(dir.resolve("jpeg-multi.dcm"), JPEG_FRAMES);
    }

    /** The JPEG stream without its JFIF APP0 marker segment (SOI, then FFE0 and a 2-byte length). */
    private static byte[] withoutJfifSegment(byte[] jpeg) {
        assertEquals(0xFFD8, ByteOrderUtil.uint16(jpeg, 0, true), "SOI");
        if (ByteOrderUtil.uint16(jpeg, 2, true) != 0xFFE0) {
            return jpeg;
        }
        int segment = 2 + ByteOrderUtil.uint16(jpeg, 4, true);
        byte[] out = new byte[jpeg.length - segment];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(jpeg, 2 + segment, out, 2, jpeg.length - 2 - segment);
        return out;
    }

    private static void checkEncapsulated(Path file, int frames) throws Exception {
        DicomFile f = READER.read(file);
        assertEquals(UID.JPEGBaseline8Bit, f.transferSyntax().uid());
        assertTrue(f.transferSyntax().encapsulated(), "encapsulated transfer syntax");
        Fragments frags = f.dataset().getFragments(Tag.PixelData);
        assertNotNull(frags, "Pixel Data kept as fragments");
        assertEquals(VR.OB, frags.vr());
        assertEquals(1 + frames, frags.size(), "Basic Offset Table + one fragment per frame");
        // PS3.5 §A.4: the Basic Offset Table holds the offset of each frame's first fragment item, from the first
        byte[] bot = frags.bytes(0);
        assertEquals(4 * frames, bot.length, "Basic Offset Table length");
        long offset = 0;
        for (int i = 0; i < frames; i++) {
            assertEquals(offset, ByteOrderUtil.int32(bot, 4 * i, false) & 0xFFFFFFFFL, "offset of frame " + i);
            // img2dcm drops the JFIF APP0 segment and pads an odd-length stream with one byte
            byte[] jpeg = withoutJfifSegment(JPEGS.get(i));
            byte[] frag = frags.bytes(1 + i);
            assertTrue(frag.length == jpeg.length || frag.length == jpeg.length + 1,
                    "fragment " + i + " length " + frag.length + ", JPEG without APP0 " + jpeg.length);
            assertArrayEquals(jpeg, Arrays.copyOf(frag, jpeg.length), "fragment " + i + " is the JPEG stream");
            offset += 8 + frag.length;
        }
        Dcmdump.Listing dump = Dcmdump.dump(peers, "dcmdump-" + file.getFileName(), file);
        assertLines(Canonical.of(dump.dataset()), Canonical.of(f.dataset(), f.transferSyntax()), file + " data set");
        byte[] original = Files.readAllBytes(file);
        DicomReader bulk = new DicomReader(DicomReaderOptions.DEFAULT.withBulkDataThreshold(BULK_THRESHOLD));
        assertAll(
                () -> assertSameBytes(original, WRITER.toBytes(READER.read(original)), file + " from byte[]"),
                () -> assertSameBytes(original, WRITER.toBytes(READER.read(file)), file + " from Path"),
                () -> assertSameBytes(original, WRITER.toBytes(bulk.read(file)), file + " from Path, bulk fragments"),
                () -> {
                    Path out = dir.resolve(file.getFileName() + "-rewritten.dcm");
                    WRITER.write(bulk.read(file), out);
                    assertEquals(-1L, Files.mismatch(file, out), file + " Path to Path: first difference");
                });
        assertFalse(f.dataset().contains(0xFFFEE000), "no item tags among the elements");
    }

    // -------------------------------------------------------------------------------------------

    static void assertLines(List<String> expected, List<String> actual, String what) {
        if (!expected.equals(actual)) {
            // assertEquals on the joined text makes IDEs and the failsafe report show a diff
            assertEquals(String.join("\n", expected), String.join("\n", actual), what + ": first difference at line "
                    + firstDifference(expected, actual));
        }
    }

    private static int firstDifference(List<String> a, List<String> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            if (!a.get(i).equals(b.get(i))) {
                return i + 1;
            }
        }
        return n + 1;
    }
}
