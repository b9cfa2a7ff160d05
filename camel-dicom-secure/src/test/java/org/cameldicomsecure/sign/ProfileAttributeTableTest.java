package org.cameldicomsecure.sign;

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
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.dict.Dictionary;
import org.cameldicomsecure.dicom.dict.DictionaryEntry;
import org.junit.jupiter.api.Test;

class ProfileAttributeTableTest {

    private static final ProfileAttributeTable T = ProfileAttributeTable.standard();

    private static final String CREATOR = "CREATOR";
    private static final String AUTHORIZATION = "AUTHORIZATION";
    private static final String SR = "SR";
    private static final String SR_VERIFIED = "SR_VERIFIED";

    private static final int OVERLAY_DATA_6000 = 0x60003000;
    private static final int OVERLAY_DATA_6002 = 0x60023000;
    private static final int OVERLAY_DATA_601E = 0x601E3000;
    private static final int CURVE_DATA_5000 = 0x50003000;
    private static final int CURRENT_REQUESTED_PROCEDURE_EVIDENCE_SEQUENCE = 0x0040A375;
    private static final int CONTENT_SEQUENCE = 0x0040A730;

    @Test
    void loadsOnceAndKnowsTheFourProfiles() {
        assertSame(T, ProfileAttributeTable.standard());
        assertEquals(List.of(CREATOR, AUTHORIZATION, SR, SR_VERIFIED), new ArrayList<>(T.profiles()));
        assertThrows(UnsupportedOperationException.class, () -> T.profiles().add("X"));
    }

    @Test
    void creatorCoversPixelsEquipmentAndIdentity() {
        for (int tag : new int[] {Tag.PixelData, Tag.Rows, Tag.Columns, Tag.BitsAllocated, Tag.Manufacturer,
            Tag.DeviceSerialNumber, Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.StudyInstanceUID,
            Tag.SeriesInstanceUID, Tag.InstanceCreationDate, Tag.InstanceCreationTime, Tag.ImageType,
            Tag.NumberOfFrames, Tag.PerFrameFunctionalGroupsSequence, Tag.EncapsulatedDocument,
            Tag.GraphicAnnotationSequence, Tag.WaveformSequence, CONTENT_SEQUENCE}) {
            assertTrue(T.requires(CREATOR, tag), () -> Tag.toString(tag));
        }
        assertEquals("Image Pixel Module", T.source(CREATOR, Tag.Rows));
        assertEquals("General Equipment Module", T.source(CREATOR, Tag.Manufacturer));
        assertEquals(ProfileAttributeTable.FIXED, T.source(CREATOR, Tag.SOPClassUID));
        assertEquals(ProfileAttributeTable.FIXED, T.source(CREATOR, Tag.InstanceCreationDate));
        // not named by C.2: patient identity, and sequence items (covered by their sequence)
        assertFalse(T.requires(CREATOR, Tag.PatientName));
        assertFalse(T.requires(CREATOR, Tag.PatientID));
        assertNull(T.source(CREATOR, Tag.PatientName));
        assertFalse(T.requires(CREATOR, Tag.CodeValue));
    }

    @Test
    void repeatingGroupsMatchTheEvenGroupsOnly() {
        assertTrue(T.requires(CREATOR, OVERLAY_DATA_6000));
        assertTrue(T.requires(CREATOR, OVERLAY_DATA_6002));
        assertTrue(T.requires(CREATOR, OVERLAY_DATA_601E));
        assertEquals("Overlay Plane Module", T.source(CREATOR, OVERLAY_DATA_6002));
        assertFalse(T.requires(CREATOR, 0x60013000), "odd group 6001 is private");
        assertFalse(T.requires(CREATOR, 0x60203000), "6020 is past the repeating range 6000-601E");
        assertFalse(T.requires(CREATOR, 0x61003000));
        assertTrue(T.requires(CREATOR, 0x60040010), "Overlay Rows (6004,0010)");
        assertFalse(T.requires(CREATOR, 0x60000000), "group length");
        assertTrue(T.requires(CREATOR, CURVE_DATA_5000));
        assertTrue(T.requires(AUTHORIZATION, 0x50123000));
        assertEquals("Curve Module", T.source(CREATOR, CURVE_DATA_5000));
        assertFalse(T.requires(CREATOR, 0x50033000));
        assertFalse(T.requires(SR, OVERLAY_DATA_6000), "C.4 names no overlay");
        // requiredTags lists concrete tags only
        for (String p : T.profiles()) {
            for (int tag : T.requiredTags(p)) {
                int group = tag >>> 16;
                assertFalse(group >= 0x5000 && group <= 0x50FF || group >= 0x6000 && group <= 0x60FF,
                        () -> p + " " + Tag.toString(tag));
            }
        }
    }

    @Test
    void authorizationHasNoEquipmentButImagePixelsAndUids() {
        // General Equipment is not in C.3 ...
        for (int tag : new int[] {Tag.StationName, Tag.InstitutionName, Tag.DeviceSerialNumber,
            Tag.SoftwareVersions, Tag.ManufacturerModelName, Tag.PixelPaddingValue}) {
            assertFalse(T.requires(AUTHORIZATION, tag), () -> Tag.toString(tag));
            assertEquals("General Equipment Module", T.source(CREATOR, tag));
        }
        // ... but Manufacturer is also a top-level attribute of the Implant Template (Description) Module, which is
        assertEquals("Implant Template Module", T.source(AUTHORIZATION, Tag.Manufacturer));
        assertFalse(T.requires(AUTHORIZATION, Tag.InstanceCreationDate), "only C.2 names SOP creation");
        assertTrue(T.requires(AUTHORIZATION, Tag.Rows));
        assertTrue(T.requires(AUTHORIZATION, Tag.PixelData));
        assertTrue(T.requires(AUTHORIZATION, Tag.SOPInstanceUID));
        assertTrue(T.requires(AUTHORIZATION, Tag.StudyInstanceUID));
        assertTrue(T.requires(AUTHORIZATION, OVERLAY_DATA_6002));
        assertTrue(T.requires(AUTHORIZATION, Tag.SpectroscopyData), "C.3 says MR Spectroscopy modules");
    }

    @Test
    void structuredReportCoversTheContentTreeNotTheInstanceUid() {
        assertTrue(T.requires(SR, CONTENT_SEQUENCE));
        assertTrue(T.requires(SR, CURRENT_REQUESTED_PROCEDURE_EVIDENCE_SEQUENCE));
        assertTrue(T.requires(SR, Tag.PertinentOtherEvidenceSequence));
        assertTrue(T.requires(SR, Tag.PredecessorDocumentsSequence));
        assertTrue(T.requires(SR, Tag.ObservationDateTime));
        assertTrue(T.requires(SR, Tag.ValueType));
        assertTrue(T.requires(SR, Tag.ConceptNameCodeSequence));
        assertTrue(T.requires(SR, Tag.SOPClassUID));
        assertTrue(T.requires(SR, Tag.Manufacturer), "C.4 names General Equipment");
        assertEquals("SR Document Content Module", T.source(SR, CONTENT_SEQUENCE));
        assertEquals(ProfileAttributeTable.FIXED, T.source(SR, CURRENT_REQUESTED_PROCEDURE_EVIDENCE_SEQUENCE));
        assertFalse(T.requires(SR, Tag.SOPInstanceUID), "only a verification signature covers it");
        assertFalse(T.requires(SR, Tag.VerificationFlag));
        assertFalse(T.requires(SR, Tag.PixelData));
    }

    @Test
    void srVerifiedHasExactlyTheFourAttributes() {
        assertEquals(List.of(Tag.SOPInstanceUID, Tag.VerificationDateTime, Tag.VerifyingObserverSequence,
                Tag.VerificationFlag), T.requiredTags(SR_VERIFIED));
        for (int tag : T.requiredTags(SR_VERIFIED)) {
            assertEquals(ProfileAttributeTable.FIXED, T.source(SR_VERIFIED, tag));
            assertFalse(T.requires(SR, tag));
        }
    }

    @Test
    void noForbiddenTagAnywhere() {
        int[] forbidden = {0x00080001, 0x00080000, 0x00280000, 0x00020010, 0x00020000, 0x00041220, 0xFFFAFFFA,
            0x4FFE0001, 0xFFFCFFFC, 0x00000000};
        for (String p : T.profiles()) {
            for (int tag : forbidden) {
                assertFalse(T.requires(p, tag), () -> p + " " + Tag.toString(tag));
            }
            for (int tag : T.requiredTags(p)) {
                int group = tag >>> 16;
                assertTrue(group >= 0x0008, () -> p + " " + Tag.toString(tag));
                assertTrue((tag & 0xFFFF) != 0, () -> p + " " + Tag.toString(tag));
                assertTrue(group != 0xFFFA && tag != 0x4FFE0001 && tag != 0xFFFCFFFC && tag != 0x00080001,
                        () -> p + " " + Tag.toString(tag));
                assertTrue((group & 1) == 0, () -> "no private tag: " + p + " " + Tag.toString(tag));
            }
        }
    }

    @Test
    void requiredTagsAreSortedUniqueAndUnmodifiable() {
        for (String p : T.profiles()) {
            List<Integer> tags = T.requiredTags(p);
            for (int i = 1; i < tags.size(); i++) {
                assertTrue(Integer.compareUnsigned(tags.get(i - 1), tags.get(i)) < 0, p);
            }
            for (int tag : tags) {
                assertTrue(T.requires(p, tag));
                assertNotNull(T.source(p, tag));
            }
            assertThrows(UnsupportedOperationException.class, () -> tags.add(0));
        }
        assertTrue(T.requiredTags(CREATOR).size() > 300, "CREATOR names dozens of modules");
        assertTrue(T.requiredTags(SR).size() > 40);
    }

    @Test
    void everyRowAgreesWithTheDictionary() throws IOException {
        // the generator takes the keyword from dictionary.tsv; check tag and keyword still agree, so a hand edit
        // or a dictionary change cannot slip a wrong tag in
        Dictionary dict = Dictionary.standard();
        int rows = 0;
        for (String[] row : rows()) {
            rows++;
            String t = row[1].replace("xx", "00");
            int tag = Integer.parseUnsignedInt(t, 16);
            assertTrue(T.requires(row[0], tag), row[0] + " " + row[1]);
            assertEquals(row[3], T.source(row[0], tag));
            if (!row[2].equals("-")) {
                DictionaryEntry e = dict.entry(tag);
                assertNotNull(e, row[1]);
                assertEquals(row[2], e.keyword(), row[1]);
            }
        }
        int concrete = 0;
        for (String p : T.profiles()) {
            concrete += T.requiredTags(p).size();
        }
        assertTrue(rows > concrete, "repeating-group rows are in the file but not in requiredTags");
    }

    @Test
    void unknownProfileIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> T.requires("BASE", Tag.Rows));
        assertTrue(e.getMessage().contains("'BASE'"), e.getMessage());
        assertTrue(e.getMessage().contains("CREATOR, AUTHORIZATION, SR, SR_VERIFIED"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> T.requiredTags("creator"));
        assertThrows(IllegalArgumentException.class, () -> T.source(null, Tag.Rows));
    }

    @Test
    void malformedTablesFailWithTheLine() {
        String head = "# comment\nprofile\ttag\tkeyword\tsource\n";
        assertParseError(head + "CREATOR\t0028001\tRows\tImage Pixel Module\n", "line 3");
        assertParseError(head + "CREATOR\t00280010\tRows\n", "line 3");
        assertParseError(head + "CREATOR\t00280010\tRows\tx\nCREATOR\t00280010\tRows\ty\n", "line 4: duplicate");
        assertParseError(head + "CREATOR\t70xx0010\tX\tx\n", "line 3");
        assertParseError(head + "CREATOR\t0028001a\tX\tx\n", "line 3");
        assertParseError("CREATOR\t00280010\tRows\tx\n", "line 1: expected the header");
        assertParseError(head, "no rows");
    }

    @Test
    void parsesAMinimalTable() throws IOException {
        ProfileAttributeTable t = ProfileAttributeTable.parse(new StringReader(
                "profile\ttag\tkeyword\tsource\nP\t7FE00010\tPixelData\tM\nP\t60xx3000\tOverlayData\tO\n"
                        + "P\t00280010\tRows\tM\nQ\t00080016\tSOPClassUID\tfixed\n"), "test");
        assertEquals(Set.of("P", "Q"), t.profiles());
        assertEquals(List.of(0x00280010, 0x7FE00010), t.requiredTags("P"));
        assertEquals("O", t.source("P", 0x60163000));
        assertFalse(t.requires("Q", 0x7FE00010));
    }

    private static void assertParseError(String text, String expected) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProfileAttributeTable.parse(new StringReader(text), "t.tsv"));
        assertTrue(e.getMessage().startsWith("t.tsv"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static List<String[]> rows() throws IOException {
        List<String[]> out = new ArrayList<>();
        try (InputStream in = ProfileAttributeTable.class.getResourceAsStream(ProfileAttributeTable.RESOURCE);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            boolean header = false;
            for (String line; (line = r.readLine()) != null;) {
                if (line.startsWith("#")) {
                    continue;
                }
                if (!header) {
                    header = true;
                    continue;
                }
                out.add(line.split("\t", -1));
            }
        }
        return out;
    }
}
