package org.cameldicomsecure.it.deid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.cameldicomsecure.deid.DeidentificationOptions;
import org.cameldicomsecure.deid.Deidentifier;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.dict.Dictionary;
import org.cameldicomsecure.dicom.dict.DictionaryEntry;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.peers.OrthancPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our PS3.15 Basic Profile against Orthanc's ({@code POST /instances/{id}/anonymize}, PS3.15-2021b), on the same
 * instances ({@link ComparisonInstances}: CT, Comprehensive SR, US), attribute by attribute, at the top level and
 * inside sequences. Every attribute of the input is classified on each side as KEPT, REMOVED, EMPTIED (zero length,
 * or a sequence without items) or REPLACED (another value; for a sequence: another number of items); attributes of
 * the outputs that the input does not have are ADDED. A sequence's items are compared only while both sides keep it
 * with its items (otherwise the difference is the sequence's).
 *
 * <p>The full table goes to {@code target/it-logs/OrthancComparisonIT/comparison.txt}, the files next to it. The
 * assertions: (a) no attribute that Table E.1-1 (2024b, our resource) marks X survives anywhere in our output; (b)
 * where both sides change an attribute, our value is not the input's (nor contains it); (c) Pixel Data identical to
 * the input on both sides; (d) the differences are exactly {@link #KNOWN_DIFFERENCES} (documented, with the side
 * that follows the standard, in docs/deid-vs-orthanc.md): any change of behaviour of either side fails here; (e) the
 * structural facts of that document (UID schemes, (0012,0064), File Meta Information, referential integrity).
 */
class OrthancComparisonIT {

    /** Our secret for replacement UIDs (>= 16 bytes), fixed so that our output is reproducible. */
    private static final byte[] SECRET = "OrthancComparisonIT-uid-secret-0001".getBytes(StandardCharsets.US_ASCII);

    private static final DicomWriter WRITER = new DicomWriter();
    private static final DicomReader READER = new DicomReader();

    /**
     * Every attribute on which the two sides differ: "instance path" → "ours orthanc" (the classification of each
     * side). The reasons, and which side follows PS3.15, are in docs/deid-vs-orthanc.md and in the comparison file.
     */
    static final Map<String, String> KNOWN_DIFFERENCES = new LinkedHashMap<>();

    /** Why: the verdict printed next to each known difference (same keys). */
    static final Map<String, String> VERDICT = new LinkedHashMap<>();

    private static void known(String key, String ours, String orthanc, String verdict) {
        KNOWN_DIFFERENCES.put(key, ours + " " + orthanc);
        VERDICT.put(key, verdict);
    }

    static {
        KnownDifferences.register(OrthancComparisonIT::known);
    }

    enum Outcome { KEPT, REMOVED, EMPTIED, REPLACED, ADDED, ABSENT }

    /** One attribute of one instance. */
    record Row(String instance, String path, int tag, VR vr, String e2024b, String e2021b, Outcome ours,
            Outcome orthanc, String input, String oursValue, String orthancValue) {

        String key() {
            return instance + " " + path;
        }

        boolean differs() {
            return ours != orthanc;
        }
    }

    /** What each side made of one input instance. */
    record Compared(String name, DicomFile input, DicomFile ours, DicomFile orthanc, DicomFile orthancAgain,
            DicomFile oursAgain) {
    }

    private static OrthancPeer orthanc;
    private static Path logDir;
    private static final Map<String, Compared> RESULTS = new LinkedHashMap<>();
    private static final List<Row> ROWS = new ArrayList<>();
    private static Table2024b table;
    private static long millis;

    @BeforeAll
    static void run() throws Exception {
        long t0 = System.nanoTime();
        table = Table2024b.load();
        orthanc = OrthancPeer.builder().forTest(OrthancComparisonIT.class).start();
        logDir = Paths.get(System.getProperty("it.logs.dir", "target/it-logs")).resolve("OrthancComparisonIT");
        Files.createDirectories(logDir);
        Deidentifier ours = new Deidentifier(DeidentificationOptions.builder().uidSecret(SECRET).build());
        Deidentifier oursAgain = new Deidentifier(DeidentificationOptions.builder().uidSecret(SECRET).build());
        ComparisonInstances gen = new ComparisonInstances();
        Map<String, DicomFile> inputs = new LinkedHashMap<>();
        inputs.put("CT", gen.ct());
        inputs.put("SR", gen.sr());
        inputs.put("US", gen.us());
        for (Map.Entry<String, DicomFile> e : inputs.entrySet()) {
            String name = e.getKey();
            byte[] part10 = WRITER.toBytes(e.getValue());
            Files.write(logDir.resolve(name + "-input.dcm"), part10);
            DicomFile input = READER.read(part10);
            String id = orthanc.upload(part10);
            byte[] anonymized = orthanc.anonymize(id, OrthancPeer.ANONYMIZE_2021B);
            Files.write(logDir.resolve(name + "-orthanc.dcm"), anonymized);
            byte[] again = orthanc.anonymize(id, OrthancPeer.ANONYMIZE_2021B);
            byte[] ourBytes = WRITER.toBytes(ours.deidentify(input).file());
            Files.write(logDir.resolve(name + "-ours.dcm"), ourBytes);
            byte[] ourAgain = WRITER.toBytes(oursAgain.deidentify(READER.read(part10)).file());
            RESULTS.put(name, new Compared(name, input, READER.read(ourBytes), READER.read(anonymized),
                    READER.read(again), READER.read(ourAgain)));
        }
        for (Compared c : RESULTS.values()) {
            walk(c.name(), "", c.input().dataset(), c.ours().dataset(), c.orthanc().dataset());
            walkMeta(c);
        }
        millis = (System.nanoTime() - t0) / 1_000_000;
        Files.writeString(logDir.resolve("comparison.txt"), report());
    }

    @AfterAll
    static void stop() {
        if (orthanc != null) {
            orthanc.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ assertions

    /** (a) Nothing that Table E.1-1 2024b marks X is left in our output, at any depth. */
    @Test
    void everyXAttributeIsAbsentFromOurOutput() {
        List<String> left = new ArrayList<>();
        int checked = 0;
        for (Row r : ROWS) {
            if ("X".equals(r.e2024b()) && r.ours() != Outcome.ADDED && r.ours() != Outcome.ABSENT) {
                checked++;
                if (r.ours() != Outcome.REMOVED) {
                    left.add(r.key() + " " + r.ours());
                }
            }
        }
        for (Compared c : RESULTS.values()) {
            collectX(c.name(), "", c.ours().dataset(), left);
        }
        assertTrue(checked >= 40, "the instances hold too few X attributes to mean anything: " + checked);
        assertEquals(List.of(), left, "attributes with action X in our output");
    }

    private static void collectX(String instance, String prefix, Dataset ds, List<String> left) {
        for (int tag : ds.tags()) {
            if ("X".equals(table.action(tag))) {
                left.add(instance + " " + prefix + Tag.toString(tag) + " present");
            }
            if (ds.vrOf(tag) == VR.SQ && ds.getSequence(tag) != null) {
                Sequence s = ds.getSequence(tag);
                for (int i = 0; i < s.size(); i++) {
                    collectX(instance, prefix + Tag.toString(tag) + "[" + i + "]/", s.get(i), left);
                }
            }
        }
    }

    /** (b) Where both sides change an attribute, ours has another value, and does not quote the input's. */
    @Test
    void whereBothSidesChangeOursDiffersFromTheInput() {
        List<String> bad = new ArrayList<>();
        int checked = 0;
        for (Row r : ROWS) {
            boolean oursChanged = r.ours() == Outcome.EMPTIED || r.ours() == Outcome.REPLACED;
            boolean orthancChanged = r.orthanc() == Outcome.EMPTIED || r.orthanc() == Outcome.REPLACED;
            if (!oursChanged || !orthancChanged || r.vr() == VR.SQ) {
                continue;
            }
            checked++;
            if (r.oursValue().equals(r.input())) {
                bad.add(r.key() + " kept " + r.input());
            } else if (r.input().length() >= 4 && r.oursValue().contains(r.input())) {
                bad.add(r.key() + " quotes the input: " + r.oursValue());
            }
        }
        assertTrue(checked >= 20, "too few attributes changed by both sides: " + checked);
        assertEquals(List.of(), bad);
    }

    /** (c) Neither side touches the pixels (Basic Profile, no Clean Pixel Data). */
    @Test
    void pixelDataIdenticalOnBothSides() {
        int images = 0;
        for (Compared c : RESULTS.values()) {
            byte[] in = c.input().dataset().getBytes(Tag.PixelData);
            if (in == null) {
                assertFalse(c.ours().dataset().contains(Tag.PixelData), c.name());
                assertFalse(c.orthanc().dataset().contains(Tag.PixelData), c.name());
                continue;
            }
            images++;
            assertArrayEquals(in, c.ours().dataset().getBytes(Tag.PixelData), c.name() + " ours");
            assertArrayEquals(in, c.orthanc().dataset().getBytes(Tag.PixelData), c.name() + " Orthanc");
        }
        assertEquals(2, images);
    }

    /** (d) The differences are exactly the documented ones. */
    @Test
    void differencesAreExactlyTheKnownOnes() throws IOException {
        Map<String, String> found = new LinkedHashMap<>();
        for (Row r : ROWS) {
            if (r.differs()) {
                found.put(r.key(), r.ours() + " " + r.orthanc());
            }
        }
        if (!found.equals(KNOWN_DIFFERENCES)) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> e : found.entrySet()) {
                String[] o = e.getValue().split(" ");
                sb.append("        k.add(\"").append(e.getKey()).append("\", \"").append(o[0]).append("\", \"")
                        .append(o[1]).append("\", \"").append(VERDICT.getOrDefault(e.getKey(), "TODO"))
                        .append("\");\n");
            }
            Files.writeString(logDir.resolve("found-differences.txt"), sb.toString());
            Map<String, String> unexpected = new TreeMap<>(found);
            unexpected.entrySet().removeIf(e -> e.getValue().equals(KNOWN_DIFFERENCES.get(e.getKey())));
            Map<String, String> missing = new TreeMap<>(KNOWN_DIFFERENCES);
            missing.entrySet().removeIf(e -> e.getValue().equals(found.get(e.getKey())));
            assertEquals(KNOWN_DIFFERENCES, found, "differences changed; update KnownDifferences and "
                    + "docs/deid-vs-orthanc.md (all found: " + logDir.resolve("found-differences.txt")
                    + ")\nunexpected or changed: " + unexpected + "\nno longer seen: " + missing);
        }
        // and the comparison is not trivially small: most attributes are handled alike
        long same = ROWS.stream().filter(r -> !r.differs()).count();
        assertTrue(same > 100 && ROWS.size() > 150, "compared " + ROWS.size() + ", same " + same);
    }

    /** (e) The structural differences of docs/deid-vs-orthanc.md. */
    @Test
    void structuralDifferences() throws IOException {
        Compared ct = RESULTS.get("CT");
        Compared sr = RESULTS.get("SR");
        for (Compared c : RESULTS.values()) {
            Dataset o = c.ours().dataset();
            Dataset a = c.orthanc().dataset();
            Dataset in = c.input().dataset();
            // UIDs: ours 2.25 (HMAC), deterministic; Orthanc's DCMTK root, new on every call
            for (int tag : new int[] {Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.SOPInstanceUID}) {
                String name = c.name() + " " + Tag.toString(tag);
                assertTrue(o.getString(tag).startsWith("2.25."), name + " ours " + o.getString(tag));
                assertTrue(a.getString(tag).startsWith("1.2.276.0.7230010.3."), name + " Orthanc "
                        + a.getString(tag));
                assertNotEquals(in.getString(tag), o.getString(tag), name);
                assertEquals(o.getString(tag), c.oursAgain().dataset().getString(tag), name + " ours deterministic");
                assertNotEquals(a.getString(tag), c.orthancAgain().dataset().getString(tag),
                        name + " Orthanc random per call");
            }
            assertEquals("YES", o.getString(Tag.PatientIdentityRemoved));
            assertEquals("YES", a.getString(Tag.PatientIdentityRemoved));
            assertTrue(o.getString(Tag.DeidentificationMethod).contains("2024b"), c.name());
            assertEquals("Orthanc " + orthanc.version() + " - PS 3.15-2021b Table E.1-1 Basic Profile",
                    a.getString(Tag.DeidentificationMethod), c.name());
            Sequence codes = o.getSequence(Tag.DeidentificationMethodCodeSequence);
            assertNotNull(codes, c.name() + " ours (0012,0064)");
            assertEquals("113100", codes.get(0).getString(Tag.CodeValue));
            assertFalse(a.contains(Tag.DeidentificationMethodCodeSequence), c.name() + " Orthanc (0012,0064)");
            assertEquals("REMOVED", o.getString(Tag.LongitudinalTemporalInformationModified), c.name());
            assertFalse(a.contains(Tag.LongitudinalTemporalInformationModified), c.name());
            // Patient ID: ours emptied (Z), Orthanc a new random one per call; Patient's Name: ours empty,
            // Orthanc "AnonymizedN"
            assertEquals(null, o.getString(Tag.PatientID), c.name());
            assertNotEquals(a.getString(Tag.PatientID), c.orthancAgain().dataset().getString(Tag.PatientID));
            assertTrue(a.getString(Tag.PatientName).startsWith("Anonymized"), a.getString(Tag.PatientName));
            // File Meta Information: both follow the new SOP Instance UID; ours names camel-dicom-secure
            assertEquals(o.getString(Tag.SOPInstanceUID),
                    c.ours().fileMeta().getString(Tag.MediaStorageSOPInstanceUID), c.name());
            assertEquals(a.getString(Tag.SOPInstanceUID),
                    c.orthanc().fileMeta().getString(Tag.MediaStorageSOPInstanceUID), c.name());
            assertEquals(Deidentifier.IMPLEMENTATION_CLASS_UID,
                    c.ours().fileMeta().getString(Tag.ImplementationClassUID));
            assertNotEquals(c.input().fileMeta().getString(Tag.ImplementationClassUID),
                    c.orthanc().fileMeta().getString(Tag.ImplementationClassUID), "Orthanc writes its own");
        }
        // referential integrity across instances de-identified one by one: the SR's evidence points at the CT
        Dataset oursEvidence = sr.ours().dataset().getSequence(Tag.CurrentRequestedProcedureEvidenceSequence).get(0);
        assertEquals(ct.ours().dataset().getString(Tag.StudyInstanceUID), oursEvidence.getString(Tag.StudyInstanceUID));
        assertEquals(ct.ours().dataset().getString(Tag.StudyInstanceUID),
                sr.ours().dataset().getString(Tag.StudyInstanceUID), "ours: CT and SR stay in one study");
        Dataset oursSop = oursEvidence.getSequence(Tag.ReferencedSeriesSequence).get(0)
                .getSequence(Tag.ReferencedSOPSequence).get(0);
        assertEquals(ct.ours().dataset().getString(Tag.SOPInstanceUID),
                oursSop.getString(Tag.ReferencedSOPInstanceUID));
        // Orthanc, instance by instance, breaks it (POST /studies/{id}/anonymize would keep it)
        assertNotEquals(ct.orthanc().dataset().getString(Tag.StudyInstanceUID),
                sr.orthanc().dataset().getString(Tag.StudyInstanceUID), "Orthanc: one new study per call");
        Dataset orthancSop = sr.orthanc().dataset().getSequence(Tag.CurrentRequestedProcedureEvidenceSequence).get(0)
                .getSequence(Tag.ReferencedSeriesSequence).get(0).getSequence(Tag.ReferencedSOPSequence).get(0);
        assertNotEquals(ct.orthanc().dataset().getString(Tag.SOPInstanceUID),
                orthancSop.getString(Tag.ReferencedSOPInstanceUID));
        // within one instance Orthanc maps a nested Study Instance UID like the top-level one
        assertEquals(sr.orthanc().dataset().getString(Tag.StudyInstanceUID),
                sr.orthanc().dataset().getSequence(Tag.CurrentRequestedProcedureEvidenceSequence).get(0)
                        .getString(Tag.StudyInstanceUID));
    }

    // ------------------------------------------------------------------------------------------------ walking

    private static void walk(String instance, String prefix, Dataset in, Dataset ours, Dataset orth) {
        for (int tag : in.tags()) {
            VR vr = in.vrOf(tag);
            Outcome o = outcome(in, ours, tag);
            Outcome a = outcome(in, orth, tag);
            String path = prefix + Tag.toString(tag);
            ROWS.add(new Row(instance, path, tag, vr, table.action(tag), Table2021b.actionOf(tag), o, a,
                    show(in, tag), show(ours, tag), show(orth, tag)));
            if (vr == VR.SQ && o == Outcome.KEPT && a == Outcome.KEPT) {
                Sequence s = in.getSequence(tag);
                for (int i = 0; i < s.size(); i++) {
                    walk(instance, path + "[" + i + "]/", s.get(i), ours.getSequence(tag).get(i),
                            orth.getSequence(tag).get(i));
                }
            }
        }
        added(instance, prefix, in, ours, orth, true);
        added(instance, prefix, in, orth, ours, false);
    }

    /** Attributes of {@code side} that the input does not have. */
    private static void added(String instance, String prefix, Dataset in, Dataset side, Dataset other, boolean ours) {
        if (side == null) {
            return;
        }
        for (int tag : side.tags()) {
            if (in.contains(tag) || (!ours && other != null && other.contains(tag))) {
                continue; // present in the input, or already listed from our side
            }
            boolean both = other != null && other.contains(tag);
            Outcome mine = Outcome.ADDED;
            Outcome theirs = both ? Outcome.ADDED : Outcome.ABSENT;
            ROWS.add(new Row(instance, prefix + Tag.toString(tag), tag, side.vrOf(tag), table.action(tag),
                    Table2021b.actionOf(tag), ours ? mine : theirs, ours ? theirs : mine, "",
                    ours ? show(side, tag) : show(other, tag), ours ? show(other, tag) : show(side, tag)));
        }
    }

    /** File Meta Information: compared like a data set (both sides are expected to rewrite it). */
    private static void walkMeta(Compared c) {
        Dataset in = c.input().fileMeta();
        for (int tag : in.tags()) {
            ROWS.add(new Row(c.name(), "meta " + Tag.toString(tag), tag, in.vrOf(tag), table.action(tag),
                    Table2021b.actionOf(tag), outcome(in, c.ours().fileMeta(), tag),
                    outcome(in, c.orthanc().fileMeta(), tag), show(in, tag), show(c.ours().fileMeta(), tag),
                    show(c.orthanc().fileMeta(), tag)));
        }
    }

    private static Outcome outcome(Dataset in, Dataset out, int tag) {
        if (out == null || !out.contains(tag)) {
            return Outcome.REMOVED;
        }
        if (in.vrOf(tag) == VR.SQ || out.vrOf(tag) == VR.SQ) {
            Sequence a = in.getSequence(tag);
            Sequence b = out.getSequence(tag);
            int na = a == null ? 0 : a.size();
            int nb = b == null ? 0 : b.size();
            return na == nb ? Outcome.KEPT : nb == 0 ? Outcome.EMPTIED : Outcome.REPLACED;
        }
        String a = show(in, tag);
        String b = show(out, tag);
        if (a.equals(b)) {
            return Outcome.KEPT;
        }
        return b.isEmpty() ? Outcome.EMPTIED : Outcome.REPLACED;
    }

    /** A value as text: strings for text and binary-number VRs, hex (or a hash) for other binary values. */
    static String show(Dataset ds, int tag) {
        if (ds == null || !ds.contains(tag)) {
            return "";
        }
        VR vr = ds.vrOf(tag);
        if (vr == VR.SQ) {
            Sequence s = ds.getSequence(tag);
            return "SQ[" + (s == null ? 0 : s.size()) + " items]";
        }
        Object v = ds.value(tag);
        if (!(v instanceof byte[] raw)) {
            return "(" + v.getClass().getSimpleName() + ")";
        }
        switch (vr) {
            case US, SS, UL, SL, FL, FD, AT -> {
                if (vr == VR.FL || vr == VR.FD) {
                    return "0x" + HexFormat.of().formatHex(raw);
                }
                return String.join("\\", ds.getStrings(tag));
            }
            default -> {
                if (vr.isText()) {
                    return String.join("\\", ds.getStrings(tag));
                }
                if (raw.length <= 16) {
                    return "0x" + HexFormat.of().formatHex(raw);
                }
                return "(" + raw.length + " bytes, hash " + Integer.toHexString(Arrays.hashCode(raw)) + ")";
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ report

    private static String report() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("OrthancComparisonIT: camel-dicom-secure Deidentifier (Basic Profile, Table E.1-1 2024b, fixed "
                + "uidSecret) vs Orthanc ").append(orthanc.version()).append(" POST /instances/{id}/anonymize ")
                .append(OrthancPeer.ANONYMIZE_2021B).append('\n');
        sb.append("Outcomes: KEPT, REMOVED, EMPTIED (zero length / no items), REPLACED (other value / other number of "
                + "items), ADDED (not in the input), ABSENT (not in the input, not added).\n");
        sb.append("2024b = our table resource; 2021b = Table2021b (the edition Orthanc implements); '-' = no row.\n");
        sb.append("Run: ").append(millis).append(" ms (Orthanc start, 3 instances, 2 anonymizations each).\n\n");
        long diffs = ROWS.stream().filter(Row::differs).count();
        sb.append("Attributes compared: ").append(ROWS.size()).append(", same outcome: ").append(ROWS.size() - diffs)
                .append(", different: ").append(diffs).append("\n\n");
        sb.append("== Differences ==\n");
        for (Row r : ROWS) {
            if (r.differs()) {
                line(sb, r);
                sb.append("      verdict: ").append(VERDICT.getOrDefault(r.key(), "(not in KnownDifferences)"))
                        .append('\n');
            }
        }
        sb.append("\n== All attributes ==\n");
        String last = "";
        for (Row r : ROWS) {
            if (!r.instance().equals(last)) {
                sb.append("-- ").append(r.instance()).append('\n');
                last = r.instance();
            }
            line(sb, r);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, Row r) {
        sb.append(r.differs() ? "* " : "  ").append(r.instance()).append(' ').append(r.path()).append(' ')
                .append(r.vr()).append(' ').append(name(r.tag())).append(" | 2024b ").append(dash(r.e2024b()))
                .append(" | 2021b ").append(dash(r.e2021b())).append(" | ours ").append(r.ours())
                .append(" | Orthanc ").append(r.orthanc()).append(" | in [").append(cut(r.input()))
                .append("] ours [").append(cut(r.oursValue())).append("] Orthanc [").append(cut(r.orthancValue()))
                .append("]\n");
    }

    private static String name(int tag) {
        if (Tag.isPrivate(tag)) {
            return Tag.isPrivateCreator(tag) ? "(Private Creator)" : "(private)";
        }
        DictionaryEntry e = Dictionary.standard().entry(tag);
        return e == null ? "?" : e.name();
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    private static String cut(String s) {
        return s.length() > 70 ? s.substring(0, 67) + "..." : s;
    }

    // ------------------------------------------------------------------------------------------------ table

    /**
     * Our Table E.1-1 resource (2024b), read the way the engine reads it: exact row first, then the most specific
     * pattern.
     */
    static final class Table2024b {
        private record Entry(int tag, int mask, String action) {
        }

        private final Map<Integer, String> exact = new LinkedHashMap<>();
        private final List<Entry> patterns = new ArrayList<>();

        static Table2024b load() throws IOException {
            Table2024b t = new Table2024b();
            try (InputStream in = Deidentifier.class.getResourceAsStream("confidentiality-profile.tsv")) {
                assertNotNull(in, "confidentiality-profile.tsv on the class path");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                boolean header = true;
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("#") || line.isEmpty()) {
                        continue;
                    }
                    if (header) {
                        header = false;
                        assertTrue(line.startsWith("tag\tmask\tkeyword\tname\tbasicProfile"), line);
                        continue;
                    }
                    String[] f = line.split("\t", -1);
                    int tag = (int) Long.parseLong(f[0], 16);
                    int mask = (int) Long.parseLong(f[1], 16);
                    if (mask == 0xFFFFFFFF) {
                        t.exact.put(tag, f[4]);
                    } else {
                        t.patterns.add(new Entry(tag, mask, f[4]));
                    }
                }
            }
            t.patterns.sort(Comparator.comparingInt((Entry e) -> -Integer.bitCount(e.mask())));
            assertTrue(t.exact.size() > 600, "rows: " + t.exact.size());
            return t;
        }

        /** The Basic Profile action, or null when the table has no row. */
        String action(int tag) {
            String a = exact.get(tag);
            if (a != null) {
                return a;
            }
            for (Entry e : patterns) {
                if ((tag & e.mask()) == e.tag()) {
                    return e.action();
                }
            }
            return null;
        }
    }
}
