package org.cameldicomsecure.dicom.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;
import org.junit.jupiter.api.Test;

class DictionaryTest {

    /** Rows of innolitics attributes.json for PS3.6 2024b. */
    private static final int JSON_ROWS = 5129;
    /** Rows of tools/dictionary/supplement-0000-0002.tsv: PS3.7 Table E.1-1 (24) and E.2-1 (22). */
    private static final int SUPPLEMENT_ROWS = 46;
    /** JSON rows without a keyword (unnamed retired rows such as (0008,0202)). */
    private static final int ROWS_WITHOUT_KEYWORD = 6;

    private final Dictionary dict = Dictionary.standard();

    private static List<String> resourceLines() throws IOException {
        try (InputStream in = Dictionary.class.getResourceAsStream(Dictionary.RESOURCE)) {
            assertNotNull(in, "dictionary.tsv on the class path");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String l; (l = r.readLine()) != null;) {
                lines.add(l);
            }
            return lines;
        }
    }

    // ---------------------------------------------------------------------------------------------- known entries

    @Test
    void patientName() {
        DictionaryEntry e = dict.entry(0x00100010);
        assertNotNull(e);
        assertEquals("PatientName", e.keyword());
        assertEquals("Patient's Name", e.name());
        assertEquals(List.of(VR.PN), e.vrs());
        assertEquals(VR.PN, e.vr());
        assertEquals("1", e.vm());
        assertFalse(e.retired());
        assertFalse(e.isPattern());
        assertEquals("(0010,0010)", e.pattern());
        assertSame(e, dict.entry("PatientName"));
        assertEquals(VR.PN, dict.vrOf(Tag.PatientName));
    }

    @Test
    void pixelDataHasTwoVrs() {
        DictionaryEntry e = dict.entry(0x7FE00010);
        assertEquals("PixelData", e.keyword());
        assertEquals(List.of(VR.OB, VR.OW), e.vrs());
        assertEquals(VR.OB, e.vr());
        assertEquals(VR.OB, dict.vrOf(0x7FE00010));
    }

    @Test
    void overlayDataInAnyEvenOverlayGroup() {
        for (int group = 0x6000; group <= 0x601E; group += 2) {
            DictionaryEntry e = dict.entry(group << 16 | 0x3000);
            assertNotNull(e, Tag.toString(group << 16 | 0x3000));
            assertEquals("OverlayData", e.keyword());
        }
        DictionaryEntry e = dict.entry(0x60023000);
        assertEquals(List.of(VR.OB, VR.OW), e.vrs());
        assertEquals("1", e.vm());
        assertFalse(e.retired());
        assertTrue(e.isPattern());
        assertEquals(0x60003000, e.tag());
        assertEquals("(60xx,3000)", e.pattern());
        assertEquals(VR.US, dict.vrOf(0x60020010)); // OverlayRows
        // PS3.5 §7.6: only even groups 6000-601E repeat; 6020 is not an overlay group, odd groups are private
        assertNull(dict.entry(0x60203000));
        assertNull(dict.entry(0x60013000));
        assertEquals(VR.UN, dict.vrOf(0x60203000));
    }

    @Test
    void curveRepeatingGroup() {
        DictionaryEntry e = dict.entry(0x50040005);
        assertNotNull(e);
        assertEquals("CurveDimensions", e.keyword());
        assertEquals(VR.US, e.vr());
        assertTrue(e.retired());
        assertEquals("(50xx,0005)", e.pattern());
        assertEquals(Tag.CurveDimensions, e.tag());
        assertEquals(0x50000005, Tag.CurveDimensions);
        assertEquals(List.of(VR.OB, VR.OW), dict.entry(0x501E3000).vrs()); // CurveData
        assertNull(dict.entry(0x50200005));
    }

    @Test
    void elementWildcards() {
        DictionaryEntry e = dict.entry(0x00280410);
        assertEquals("RowsForNthOrderCoefficients", e.keyword());
        assertEquals(VR.US, e.vr());
        assertTrue(e.retired());
        assertEquals("(0028,04x0)", e.pattern());
        assertEquals("RowsForNthOrderCoefficients", dict.entry(0x002804F0).keyword());
        assertEquals("ColumnsForNthOrderCoefficients", dict.entry(0x00280411).keyword());
        assertEquals("EscapeTriplet", dict.entry(0x10001230).keyword());
        assertEquals("ShiftTableTriplet", dict.entry(0x10001235).keyword());
        assertEquals("ZonalMap", dict.entry(0x1010ABCD).keyword());
        assertEquals("SourceImageIDs", dict.entry(0x002031FF).keyword());
    }

    @Test
    void itemAndDelimitersHaveNoVr() {
        DictionaryEntry item = dict.entry(0xFFFEE000);
        assertEquals("Item", item.keyword());
        assertTrue(item.vrs().isEmpty());
        assertEquals(VR.UN, item.vr());
        assertEquals("1", item.vm());
        assertEquals("ItemDelimitationItem", dict.entry(0xFFFEE00D).keyword());
        assertEquals("SequenceDelimitationItem", dict.entry(0xFFFEE0DD).keyword());
        assertEquals(Tag.Item, dict.parseTag("Item"));
    }

    @Test
    void fileMetaElements() {
        DictionaryEntry e = dict.entry(0x00020010);
        assertEquals("TransferSyntaxUID", e.keyword());
        assertEquals(VR.UI, e.vr());
        assertEquals("1", e.vm());
        assertEquals(VR.UL, dict.entry(0x00020000).vr());
        assertEquals("FileMetaInformationGroupLength", dict.entry(0x00020000).keyword());
        assertEquals(VR.OB, dict.vrOf(Tag.FileMetaInformationVersion));
        assertEquals(VR.UR, dict.vrOf(Tag.SourcePresentationAddress));
        long group2 = dict.entries().stream().filter(x -> Tag.group(x.tag()) == 0x0002).count();
        assertEquals(22, group2, "PS3.6 Table 7-1 rows");
    }

    @Test
    void commandElements() {
        DictionaryEntry e = dict.entry(0x00000100);
        assertEquals("CommandField", e.keyword());
        assertEquals(VR.US, e.vr());
        assertFalse(e.retired());
        assertEquals("CommandGroupLength", dict.entry(0x00000000).keyword());
        assertFalse(dict.entry(0x00000000).retired());
        assertEquals(VR.AT, dict.vrOf(Tag.OffendingElement));
        assertEquals("1-n", dict.entry(Tag.AttributeIdentifierList).vm());
        assertEquals(VR.AE, dict.vrOf(Tag.MoveOriginatorApplicationEntityTitle));
        DictionaryEntry retired = dict.entry(0x000051B0);
        assertEquals("Overlays", retired.keyword());
        assertTrue(retired.retired());
        assertEquals("1-n", retired.vm());
        long group0 = dict.entries().stream().filter(x -> Tag.group(x.tag()) == 0x0000).count();
        assertEquals(SUPPLEMENT_ROWS, group0);
    }

    @Test
    void implicitGroupLength() {
        DictionaryEntry e = dict.entry(0x00090000);
        assertNotNull(e);
        assertEquals(VR.UL, e.vr());
        assertEquals("1", e.vm());
        assertEquals(Dictionary.GENERIC_GROUP_LENGTH, e.keyword());
        assertTrue(e.retired());
        assertEquals(0x00090000, e.tag());
        assertEquals(VR.UL, dict.vrOf(0x00090000));
        assertEquals(VR.UL, dict.vrOf(0x00100000));
        assertEquals(VR.UL, dict.vrOf(0x60020000));
        assertEquals(Dictionary.GENERIC_GROUP_LENGTH, dict.entry(0x00080000).keyword());
    }

    @Test
    void privateCreatorAndPrivateElements() {
        DictionaryEntry e = dict.entry(0x00090010);
        assertNotNull(e);
        assertEquals(VR.LO, e.vr());
        assertEquals("1", e.vm());
        assertEquals(Dictionary.PRIVATE_CREATOR, e.keyword());
        assertEquals(0x00090010, e.tag());
        assertEquals(VR.LO, dict.vrOf(0x002900FF));
        assertNull(dict.entry(0x00091001));
        assertEquals(VR.UN, dict.vrOf(0x00091001));
        assertNull(dict.entry(0x0009000F)); // (gggg,0001-000F) not usable
        assertNull(dict.entry(0x00090100)); // (gggg,0100-0FFF) not usable
        // PS3.5 §7.8.1 d: groups 0001, 0003, 0005, 0007 and FFFF are not private groups
        assertNull(dict.entry(0x00010010));
        assertNull(dict.entry(0x00070010));
        assertNull(dict.entry(0xFFFF0010));
        assertEquals(VR.UN, dict.vrOf(0x00030010));
        assertNull(dict.entry(0x00100011)); // an unassigned even tag
    }

    @Test
    void tagHelpers() {
        assertEquals(0x7FE0, Tag.group(Tag.PixelData));
        assertEquals(0x0010, Tag.element(Tag.PixelData));
        assertEquals("(7FE0,0010)", Tag.toString(Tag.PixelData));
        assertEquals("(0000,0000)", Tag.toString(0));
        assertEquals("(FFFE,E0DD)", Tag.toString(0xFFFEE0DD));
        assertTrue(Tag.isPrivate(0x00091001));
        assertTrue(Tag.isPrivate(0xFFFD0010));
        assertFalse(Tag.isPrivate(0x00100010));
        for (int g : new int[] {0x0001, 0x0003, 0x0005, 0x0007, 0xFFFF}) {
            assertFalse(Tag.isPrivate(g << 16 | 0x1000), Integer.toHexString(g));
            assertFalse(Tag.isPrivateCreator(g << 16 | 0x0010), Integer.toHexString(g));
        }
        assertTrue(Tag.isPrivateCreator(0x00090010));
        assertTrue(Tag.isPrivateCreator(0x000900FF));
        assertFalse(Tag.isPrivateCreator(0x0009000F));
        assertFalse(Tag.isPrivateCreator(0x00090100));
        assertFalse(Tag.isPrivateCreator(0x00100010));
        assertTrue(Tag.isGroupLength(0x00080000));
        assertTrue(Tag.isGroupLength(0x00000000));
        assertFalse(Tag.isGroupLength(0x00080001));
    }

    // ---------------------------------------------------------------------------------------------- parseTag

    @Test
    void parseTagForms() {
        assertEquals(0x00100010, dict.parseTag("PatientName"));
        assertEquals(0x00100010, dict.parseTag("00100010"));
        assertEquals(0x00100010, dict.parseTag("(0010,0010)"));
        assertEquals(0x7FE00010, dict.parseTag("7fe00010"));
        assertEquals(0x7FE00010, dict.parseTag("(7fe0,0010)"));
        assertEquals(0xFFFFFFFF, dict.parseTag("FFFFFFFF"));
        assertEquals(0x00091001, dict.parseTag("(0009,1001)")); // any tag, known or not
        assertEquals(0x60003000, dict.parseTag("OverlayData"));
        assertEquals(0x00000100, dict.parseTag("CommandField"));
        assertEquals(0x00020010, dict.parseTag("TransferSyntaxUID"));
    }

    @Test
    void parseTagErrors() {
        for (String bad : new String[] {"", "patientname", "PatientNam", "0010001", "001000100", "(0010,001)",
                "(0010 0010)", "0010,0010", "(0010,0010", " 00100010", "0x100010", "+0100010", "0010001G",
                "(001G,0010)", "\uFF10\uFF10\uFF11\uFF10\uFF10\uFF10\uFF11\uFF10", "GenericGroupLength",
                "PrivateCreator"}) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> dict.parseTag(bad),
                    bad);
            assertTrue(ex.getMessage().contains("\"" + bad + "\""), ex.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> dict.parseTag(null));
        String longText = "X".repeat(10_000);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> dict.parseTag(longText));
        assertTrue(ex.getMessage().length() < 200, "message is capped");
        assertNull(dict.entry("NoSuchKeyword"));
        assertNull(dict.entry((String) null));
    }

    // ---------------------------------------------------------------------------------------------- resource

    @Test
    void everyResourceLineParses() throws IOException {
        Pattern line = Pattern.compile("[0-9A-Fx]{8}\t(-|[A-Z]{2}(\\|[A-Z]{2})*)\t[^\t]+\t[YN]\t[A-Za-z0-9]*\t[^\t]*");
        int count = 0;
        Set<String> patterns = new HashSet<>();
        for (String l : resourceLines()) {
            if (l.startsWith("#")) {
                continue;
            }
            assertTrue(line.matcher(l).matches(), l);
            DictionaryEntry e = Dictionary.parseLine(l);
            assertTrue(patterns.add(l.substring(0, 8)), "duplicate " + l);
            assertEquals(l.substring(0, 8).replace('x', '0'), String.format("%08X", e.tag()), l);
            count++;
        }
        assertEquals(count, dict.size());
    }

    @Test
    void countsMatchSources() throws IOException {
        assertEquals(JSON_ROWS + SUPPLEMENT_ROWS, dict.size());
        Matcher m = null;
        for (String l : resourceLines()) {
            Matcher mm = Pattern.compile("# entries: (\\d+) \\(attributes.json (\\d+), supplement (\\d+)\\)").matcher(l);
            if (mm.matches()) {
                m = mm;
            }
        }
        assertNotNull(m, "header line with the counts");
        assertEquals(dict.size(), Integer.parseInt(m.group(1)));
        assertEquals(JSON_ROWS, Integer.parseInt(m.group(2)));
        assertEquals(SUPPLEMENT_ROWS, Integer.parseInt(m.group(3)));
        assertEquals(88, dict.entries().stream().filter(DictionaryEntry::isPattern).count());
    }

    @Test
    void resourceHeaderNamesSourceAndEdition() throws IOException {
        String header = String.join("\n", resourceLines().subList(0, 6));
        assertTrue(header.contains("do not edit"), header);
        assertTrue(header.contains("attributes.json"), header);
        assertTrue(header.contains("2024b"), header);
    }

    @Test
    void noDuplicateKeywords() {
        Set<String> seen = new HashSet<>();
        int withoutKeyword = 0;
        for (DictionaryEntry e : dict.entries()) {
            if (e.keyword().isEmpty()) {
                withoutKeyword++;
                assertTrue(e.retired(), e.toString());
                continue;
            }
            assertTrue(seen.add(e.keyword()), "duplicate keyword " + e.keyword());
            assertSame(e, dict.entry(e.keyword()));
            assertFalse(e.keyword().matches("[0-9A-Fa-f]{8}"), "keyword looks like a tag: " + e.keyword());
        }
        assertEquals(ROWS_WITHOUT_KEYWORD, withoutKeyword);
    }

    @Test
    void everyEntryIsFoundByItsTag() {
        Set<String> shadowed = new HashSet<>();
        for (DictionaryEntry e : dict.entries()) {
            if (!e.keyword().isEmpty()) {
                assertEquals(e.tag(), dict.parseTag(e.keyword()));
            }
            DictionaryEntry found = dict.entry(e.tag());
            if (e.isPattern() && found != e) {
                // the x=0 value of a few patterns is another element; the exact element wins
                assertNotNull(found, e.toString());
                assertFalse(found.isPattern(), e.toString());
                shadowed.add(e.keyword() + "->" + found.keyword());
                continue;
            }
            assertSame(e, found, e.toString());
            assertEquals(e.vr(), dict.vrOf(e.tag()), e.toString());
        }
        assertEquals(Set.of("RowsForNthOrderCoefficients->TransformLabel",
                "ColumnsForNthOrderCoefficients->TransformVersionNumber",
                "CoefficientCoding->NumberOfTransformSteps",
                "CoefficientCodingPointers->SequenceOfCompressedData",
                "EscapeTriplet->GenericGroupLength",
                "ZonalMap->GenericGroupLength"), shadowed);
        // every pattern still matches its other members
        assertEquals("RowsForNthOrderCoefficients", dict.entry(0x00280410).keyword());
        assertEquals("EscapeTriplet", dict.entry(0x10000010).keyword());
        assertEquals("ZonalMap", dict.entry(0x10100001).keyword());
    }

    // ---------------------------------------------------------------------------------------------- Tag.java

    @Test
    void tagConstantsAgreeWithDictionary() throws IllegalAccessException {
        Map<String, Integer> constants = new HashMap<>();
        for (Field f : Tag.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod) && f.getType() == int.class) {
                constants.put(f.getName(), f.getInt(null));
            }
        }
        assertEquals(JSON_ROWS + SUPPLEMENT_ROWS - ROWS_WITHOUT_KEYWORD, constants.size());
        for (Map.Entry<String, Integer> c : constants.entrySet()) {
            DictionaryEntry e = dict.entry(c.getKey());
            assertNotNull(e, c.getKey());
            assertEquals(e.tag(), c.getValue().intValue(), c.getKey());
        }
        // a sample, spelled out
        assertEquals(0x00100010, Tag.PatientName);
        assertEquals(0x00100020, Tag.PatientID);
        assertEquals(0x0020000D, Tag.StudyInstanceUID);
        assertEquals(0x00080018, Tag.SOPInstanceUID);
        assertEquals(0x7FE00010, Tag.PixelData);
        assertEquals(0x60003000, Tag.OverlayData);
        assertEquals(0x00280400, Tag.RowsForNthOrderCoefficients);
        assertEquals(0xFFFEE000, Tag.Item);
        assertEquals(0x00020010, Tag.TransferSyntaxUID);
        assertEquals(0x00000100, Tag.CommandField);
        assertEquals(0x00000900, Tag.Status);
        assertEquals(0xFFFAFFFA, Tag.DigitalSignaturesSequence);
        assertEquals(0x04000561, Tag.OriginalAttributesSequence);
    }

    @Test
    void standardIsOneSharedInstance() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Dictionary>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(Dictionary::standard);
            }
            for (Future<Dictionary> f : pool.invokeAll(tasks)) {
                assertSame(dict, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void entryIsImmutable() {
        DictionaryEntry e = dict.entry(Tag.PixelData);
        assertThrows(UnsupportedOperationException.class, () -> e.vrs().add(VR.UN));
        assertThrows(UnsupportedOperationException.class, () -> dict.entries().clear());
        assertThrows(IllegalArgumentException.class,
                () -> new DictionaryEntry(0x60003000, 0xFFFF0000, "X", "X", List.of(), "1", false));
    }
}
