package org.cameldicomsecure.deid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.UidSyntax;
import org.cameldicomsecure.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every attribute of Table E.1-1, at top level and nested in a sequence, under the Basic Profile and under each
 * Option: the action the table gives (worked out here from the table's columns, independently of the engine's
 * resolution code) must show in the result.
 */
class TableDrivenTest {

    static final byte[] SECRET = "table-driven-test-secret-32bytes".getBytes(StandardCharsets.US_ASCII);

    /** The configurations, each a set of Options on top of the Basic Profile. */
    static final Map<String, UnaryOperator<DeidentificationOptions.Builder>> CONFIGS = new LinkedHashMap<>();

    static {
        CONFIGS.put("basic", b -> b);
        CONFIGS.put("retainSafePrivate", b -> b.retainSafePrivate(true));
        CONFIGS.put("retainUids", b -> b.retainUids(true));
        CONFIGS.put("retainDeviceIdentity", b -> b.retainDeviceIdentity(true));
        CONFIGS.put("retainInstitutionIdentity", b -> b.retainInstitutionIdentity(true));
        CONFIGS.put("retainPatientCharacteristics", b -> b.retainPatientCharacteristics(true));
        CONFIGS.put("cleanDescriptors", b -> b.cleanDescriptors(true));
        CONFIGS.put("cleanStructuredContent", b -> b.cleanStructuredContent(true));
        CONFIGS.put("cleanGraphics", b -> b.cleanGraphics(true));
        CONFIGS.put("fullDates", b -> b.retainLongitudinalTemporal(LongitudinalTemporal.FULL));
        CONFIGS.put("modifiedDates", b -> b.retainLongitudinalTemporal(LongitudinalTemporal.MODIFIED));
    }

    /** Option of each config, for the oracle. */
    static final Map<String, ProfileOption> OPTION = Map.of(
            "retainSafePrivate", ProfileOption.RETAIN_SAFE_PRIVATE,
            "retainUids", ProfileOption.RETAIN_UIDS,
            "retainDeviceIdentity", ProfileOption.RETAIN_DEVICE_IDENTITY,
            "retainInstitutionIdentity", ProfileOption.RETAIN_INSTITUTION_IDENTITY,
            "retainPatientCharacteristics", ProfileOption.RETAIN_PATIENT_CHARACTERISTICS,
            "cleanDescriptors", ProfileOption.CLEAN_DESCRIPTORS,
            "cleanStructuredContent", ProfileOption.CLEAN_STRUCTURED_CONTENT,
            "cleanGraphics", ProfileOption.CLEAN_GRAPHICS,
            "fullDates", ProfileOption.RETAIN_LONGITUDINAL_FULL_DATES,
            "modifiedDates", ProfileOption.RETAIN_LONGITUDINAL_MODIFIED_DATES);

    /**
     * Types in the CT Image IOD of the attributes with combined actions (PS3.3 C.7.1.1, C.7.6.1, C.7.6.4). Patient's
     * Sex Neutered (C.7.2.2, 2C: required for a non-human organism) is Type 3 here: the test instance has no Patient
     * Species attributes, so the patient is human.
     */
    static final Map<Integer, Integer> CT_TYPES = Map.of(Tag.PatientID, 2,
            Tag.ContentDate, 2, Tag.ContentTime, 2, Tag.ContrastBolusAgent, 2);

    private static final Map<String, Dataset> RESULTS = new ConcurrentHashMap<>();

    static Dataset result(String config, boolean nested) {
        return RESULTS.computeIfAbsent(config + nested, k -> {
            DeidentificationOptions o = CONFIGS.get(config).apply(DeidentificationOptions.builder().uidSecret(SECRET))
                    .build();
            try {
                return new Deidentifier(o, null).deidentify(
                        nested ? TestInstances.everyAttributeNested() : TestInstances.everyAttribute()).file().dataset();
            } catch (DeidentificationException e) {
                throw new AssertionError(e);
            }
        });
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String config : CONFIGS.keySet()) {
            for (ProfileTable.Row r : TestInstances.dataSetRows()) {
                out.add(Arguments.of(config, String.format("%08X %s", r.tag(), r.name()), r));
            }
        }
        return out.stream();
    }

    /** The action the table gives, with this test's own reading of E.1-1a and the documented combined rule. */
    static Action expected(String config, ProfileTable.Row r, boolean topLevel) {
        ProfileOption o = OPTION.get(config);
        Action a = o == null ? null : r.options().get(o);
        if (a == null) {
            a = r.basic();
        }
        int type = topLevel ? CT_TYPES.getOrDefault(r.tag(), 3) : 3;
        return switch (a) {
            case Z_D -> Action.Z; // no Type 1 Z/D attribute in the CT Image IOD
            case X_Z -> type == 3 ? Action.X : Action.Z;
            case X_D -> Action.X;
            case X_Z_D -> type == 2 ? Action.Z : Action.X;
            case X_Z_U -> Action.X;
            default -> a;
        };
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void topLevel(String config, String label, ProfileTable.Row row) {
        check(config, row, true);
    }

    @ParameterizedTest(name = "{0}: {1} (nested)")
    @MethodSource("cases")
    void nested(String config, String label, ProfileTable.Row row) {
        check(config, row, false);
    }

    private void check(String config, ProfileTable.Row row, boolean topLevel) {
        int tag = row.tag();
        VR vr = TestInstances.vrOf(tag);
        Dataset original = topLevel ? TestInstances.everyAttribute().dataset()
                : TestInstances.everyAttributeNested().dataset().getSequence(TestInstances.CONTAINER).get(0);
        Dataset out = topLevel ? result(config, false)
                : result(config, true).getSequence(TestInstances.CONTAINER).get(0);
        Action a = expected(config, row, topLevel);
        if (tag == Tag.SOPInstanceUID && topLevel && a == Action.U) {
            assertNotEquals(TestInstances.SOP, out.getString(tag));
            return;
        }
        switch (a) {
            case X -> assertFalse(out.contains(tag), "removed");
            case Z -> {
                assertTrue(out.contains(tag), "kept with zero length");
                if (vr == VR.SQ) {
                    assertEquals(0, out.getSequence(tag).size(), "empty sequence");
                } else {
                    assertEquals(0, out.getBytes(tag).length, "zero length");
                }
            }
            case D -> checkDummy(original, out, tag, vr);
            case K -> checkKept(config, original, out, tag, vr);
            case U -> {
                String uid = out.getString(tag);
                assertTrue(UidSyntax.isValid(uid) && uid.startsWith("2.25."), "replacement UID " + uid);
                assertNotEquals(original.getString(tag), uid);
            }
            case C -> checkCleaned(config, row, original, out, tag, vr, topLevel);
            default -> fail("unexpected action " + a);
        }
    }

    private static void checkDummy(Dataset original, Dataset out, int tag, VR vr) {
        assertTrue(out.contains(tag), "replaced, not removed");
        switch (vr) {
            case SQ -> {
                Sequence s = out.getSequence(tag);
                assertEquals(1, s.size(), "one stand-in item");
                assertFalse(s.get(0).contains(Tag.CodeValue), "unlisted attributes dropped from the stand-in item");
                assertEquals(0, s.get(0).getBytes(Tag.PatientName).length, "listed attributes de-identified");
            }
            case UI -> {
                assertTrue(UidSyntax.isValid(out.getString(tag)));
                assertNotEquals(original.getString(tag), out.getString(tag));
            }
            default -> {
                if (vr.isText()) {
                    assertEquals(DummyValues.text(vr), out.getString(tag));
                } else {
                    byte[] b = out.getBytes(tag);
                    assertTrue(b.length > 0, "non-zero length");
                    for (byte x : b) {
                        assertEquals(0, x, "zero dummy");
                    }
                }
            }
        }
    }

    private static void checkKept(String config, Dataset original, Dataset out, int tag, VR vr) {
        assertTrue(out.contains(tag), "kept");
        if (vr == VR.SQ) {
            Dataset item = out.getSequence(tag).get(0);
            assertEquals(0, item.getBytes(Tag.PatientName).length, "nested Patient's Name de-identified");
            String ref = item.getString(Tag.ReferencedSOPInstanceUID);
            String orig = original.getSequence(tag).get(0).getString(Tag.ReferencedSOPInstanceUID);
            if (config.equals("retainUids")) {
                assertEquals(orig, ref);
            } else {
                assertNotEquals(orig, ref, "nested reference remapped");
            }
        } else {
            assertArrayEquals(original.getBytes(tag), out.getBytes(tag), "unchanged");
        }
    }

    private static void checkCleaned(String config, ProfileTable.Row row, Dataset original, Dataset out, int tag,
            VR vr, boolean topLevel) {
        ProfileOption by = OPTION.get(config);
        assertEquals(Action.C, row.options().get(by));
        if (vr == VR.SQ) {
            assertTrue(out.contains(tag), "cleaned sequence kept");
            assertEquals(0, out.getSequence(tag).get(0).getBytes(Tag.PatientName).length);
            return;
        }
        switch (by) {
            case RETAIN_LONGITUDINAL_MODIFIED_DATES -> {
                switch (vr) {
                    case DA -> assertShift(topLevel, original.getString(tag), out.getString(tag), "");
                    case DT -> assertShift(topLevel, original.getString(tag).substring(0, 8), out.getString(tag).substring(0, 8),
                            out.getString(tag).substring(8));
                    case TM, SH -> assertArrayEquals(original.getBytes(tag), out.getBytes(tag), "unchanged by whole days");
                    default -> assertFalse(out.contains(tag), "cannot be shifted: removed");
                }
            }
            case RETAIN_DEVICE_IDENTITY -> {
                assertEquals(VR.AE, vr);
                assertTrue(out.getString(tag).matches("AE[0-9A-F]{14}"), out.getString(tag));
            }
            case RETAIN_SAFE_PRIVATE -> fail("no public attribute has C under Retain Safe Private");
            default -> {
                if (!vr.isText()) {
                    assertFalse(out.contains(tag), "binary value has no clean form: removed");
                } else if (vr == VR.CS) {
                    assertEquals(TextCleaner.CLEANED, out.getString(tag));
                } else if (vr == VR.PN) {
                    assertEquals(DummyValues.TEXT, out.getString(tag));
                } else if (vr == VR.SH) {
                    assertEquals("HEAD", out.getString(tag));
                } else {
                    assertEquals("CT HEAD", out.getString(tag));
                }
            }
        }
    }

    /** Shifts seen per instance (the two instances differ in Issuer of Patient ID, so in their shift). */
    private static final Map<Boolean, Set<Long>> SHIFTS = new ConcurrentHashMap<>();

    private static void assertShift(boolean topLevel, String before, String after, String suffix) {
        DateTimeFormatter f = DateTimeFormatter.BASIC_ISO_DATE;
        long days = ChronoUnit.DAYS.between(LocalDate.parse(after, f), LocalDate.parse(before, f));
        assertTrue(days >= 1 && days <= DateShifter.MAX_DAYS, "shift of " + days + " days");
        Set<Long> seen = SHIFTS.computeIfAbsent(topLevel, k -> ConcurrentHashMap.newKeySet());
        seen.add(days);
        assertEquals(1, seen.size(), "one shift per patient: " + seen);
        if (!suffix.isEmpty()) {
            assertEquals(TestInstances.DATE_TIME.substring(8), suffix, "time and UTC offset kept");
        }
    }

    // ------------------------------------------------------------------------------------------------ patterns

    @Test
    void overlaysCurvesAndPrivateAttributesAreRemovedByTheBasicProfile() {
        Dataset out = result("basic", false);
        assertFalse(out.contains(Tag.OverlayData));
        assertFalse(out.contains(0x60004000));
        assertFalse(out.contains(0x60000010), "the rest of the overlay plane goes with its data");
        assertFalse(out.contains(0x50003000));
        assertFalse(out.contains(0x50002500));
        assertFalse(out.contains(0x00090010));
        assertFalse(out.contains(0x00091001));
    }

    @Test
    void cleanGraphicsClearsOverlayBitsAndCleansTheirText() {
        Dataset out = result("cleanGraphics", false);
        assertArrayEquals(new byte[2], out.getBytes(Tag.OverlayData));
        assertEquals(4, out.getInt(0x60000010, -1), "overlay plane kept");
        assertEquals("CT HEAD", out.getString(0x60004000));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, out.getBytes(0x50003000), "curve values kept");
        assertEquals("CT HEAD", out.getString(0x50002500), "curve text cleaned");
    }

    @Test
    void publicAttributesTheTableDoesNotListAreKept() {
        for (String config : CONFIGS.keySet()) {
            Dataset out = result(config, false);
            Dataset in = TestInstances.everyAttribute().dataset();
            for (int tag : new int[] {Tag.Rows, Tag.Columns, Tag.PixelData, Tag.Manufacturer, Tag.Modality,
                Tag.SOPClassUID, Tag.BitsAllocated, Tag.SpecificCharacterSet}) {
                assertArrayEquals(in.getBytes(tag), out.getBytes(tag), config + " " + Tag.toString(tag));
            }
        }
    }

    @Test
    void theGeneratedTableHasEveryRowOfTheStandard() {
        ProfileTable t = ProfileTable.standard();
        assertEquals(621, t.rows().size());
        assertEquals(Action.Z, t.lookup(Tag.PatientName).basic());
        assertEquals(Action.Z_D, t.lookup(Tag.PatientID).basic());
        assertEquals(Action.U, t.lookup(Tag.StudyInstanceUID).basic());
        assertEquals(Action.K, t.lookup(Tag.StudyInstanceUID).options().get(ProfileOption.RETAIN_UIDS));
        assertEquals(Action.X_Z_D, t.lookup(Tag.InstitutionName).basic());
        assertEquals(Action.K, t.lookup(Tag.InstitutionName).options().get(ProfileOption.RETAIN_INSTITUTION_IDENTITY));
        assertEquals(Action.X_Z_U, t.lookup(Tag.ReferencedImageSequence).basic());
        assertEquals(Action.X, t.lookup(0x60223000).basic(), "Overlay Data in any even 60xx group");
        assertEquals(Action.C, t.lookup(0x60223000).options().get(ProfileOption.CLEAN_GRAPHICS));
        assertEquals("Curve Data", t.lookup(0x501E0010).name());
        assertEquals("Private Attributes", t.lookup(0x00291010).name());
        assertEquals(null, t.lookup(Tag.Rows));
        Set<Integer> distinct = new HashSet<>();
        t.rows().forEach(r -> distinct.add(r.tag()));
        assertEquals(621, distinct.size());
        assertEquals(479, SafePrivateTable.standard().entries().size());
        assertEquals(209, StructuredContentTable.standard().entries().size());
        assertNotNull(StructuredContentTable.standard().lookup("DCM", "121022"), "Accession Number content item");
    }
}
