package org.cameldicomsecure.dicom;

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
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Tests of the generated {@link UID} registry. The expected values below are from DICOM PS3.6 2024c Table A-1 and
 * were also checked against DCMTK 3.6.7 (dcmdump) and pydicom's UID dictionary (tools/README-uids.md).
 */
class UIDTest {

    private static final Pattern UID_SYNTAX = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    @Test
    void constantsHaveTheValuesOfTheStandard() {
        assertEquals("1.2.840.10008.1.1", UID.Verification);
        assertEquals("1.2.840.10008.1.2", UID.ImplicitVRLittleEndian);
        assertEquals("1.2.840.10008.1.2.1", UID.ExplicitVRLittleEndian);
        assertEquals("1.2.840.10008.1.2.1.99", UID.DeflatedExplicitVRLittleEndian);
        assertEquals("1.2.840.10008.1.2.2", UID.ExplicitVRBigEndian);
        assertEquals("1.2.840.10008.1.2.4.50", UID.JPEGBaseline8Bit);
        assertEquals("1.2.840.10008.1.2.4.70", UID.JPEGLosslessSV1);
        assertEquals("1.2.840.10008.1.2.4.90", UID.JPEG2000Lossless);
        assertEquals("1.2.840.10008.1.2.4.201", UID.HTJ2KLossless);
        assertEquals("1.2.840.10008.1.2.5", UID.RLELossless);
        assertEquals("1.2.840.10008.3.1.1.1", UID.DICOMApplicationContext);
        assertEquals("1.2.840.10008.1.20.1", UID.StorageCommitmentPushModel);
        assertEquals("1.2.840.10008.1.20.1.1", UID.StorageCommitmentPushModelInstance);
        assertEquals("1.2.840.10008.5.1.4.1.1.2", UID.CTImageStorage);
        assertEquals("1.2.840.10008.5.1.4.1.1.4", UID.MRImageStorage);
        assertEquals("1.2.840.10008.5.1.4.1.1.7", UID.SecondaryCaptureImageStorage);
        assertEquals("1.2.840.10008.5.1.4.1.1.1.1", UID.DigitalXRayImageStorageForPresentation);
        assertEquals("1.2.840.10008.5.1.4.1.2.1.1", UID.PatientRootQueryRetrieveInformationModelFind);
        assertEquals("1.2.840.10008.1.3.10", UID.MediaStorageDirectoryStorage);
        assertEquals("1.2.840.10008.2.16.4", UID.DCM);
    }

    @Test
    void lookupsReturnTheTableEntry() {
        assertEquals("Verification SOP Class", UID.nameOf(UID.Verification));
        assertEquals("Verification", UID.keywordOf("1.2.840.10008.1.1"));
        assertEquals("SOP Class", UID.typeOf(UID.Verification));
        assertFalse(UID.isRetired(UID.Verification));

        assertEquals("Implicit VR Little Endian: Default Transfer Syntax for DICOM",
                UID.nameOf(UID.ImplicitVRLittleEndian));
        assertEquals("Transfer Syntax", UID.typeOf(UID.ImplicitVRLittleEndian));
        assertEquals("CT Image Storage", UID.nameOf(UID.CTImageStorage));
        assertEquals("CTImageStorage", UID.keywordOf("1.2.840.10008.5.1.4.1.1.2"));
        assertEquals("DICOM Application Context Name", UID.nameOf(UID.DICOMApplicationContext));
        assertEquals("Application Context Name", UID.typeOf(UID.DICOMApplicationContext));
        assertEquals("Well-known SOP Instance", UID.typeOf(UID.StorageCommitmentPushModelInstance));
        assertEquals("Meta SOP Class", UID.typeOf(UID.BasicGrayscalePrintManagementMeta));
        assertEquals("Coding Scheme", UID.typeOf(UID.DCM));
        assertEquals("DICOM Controlled Terminology", UID.nameOf(UID.DCM));
    }

    @Test
    void retiredEntriesAreMarkedAndTheirNamesCarryNoMark() {
        assertTrue(UID.isRetired(UID.ExplicitVRBigEndian));
        assertEquals("Explicit VR Big Endian", UID.nameOf(UID.ExplicitVRBigEndian));
        assertTrue(UID.isRetired("1.2.840.10008.5.1.4.1.1.5")); // Nuclear Medicine Image Storage (Retired)
        assertFalse(UID.isRetired(UID.NuclearMedicineImageStorage));
        assertEquals("1.2.840.10008.5.1.4.1.1.20", UID.NuclearMedicineImageStorage);
        // retired, and the standard gives it neither name nor keyword: known, no constant
        assertTrue(UID.isRetired("1.2.840.10008.5.1.4.1.1.40"));
        assertEquals("", UID.nameOf("1.2.840.10008.5.1.4.1.1.40"));
        assertEquals("", UID.keywordOf("1.2.840.10008.5.1.4.1.1.40"));
        assertEquals("SOP Class", UID.typeOf("1.2.840.10008.5.1.4.1.1.40"));
    }

    @Test
    void unknownPaddedAndNullUids() {
        assertNull(UID.nameOf("1.2.3.4"));
        assertNull(UID.keywordOf("1.2.3.4"));
        assertNull(UID.typeOf("1.2.3.4"));
        assertFalse(UID.isRetired("1.2.3.4"));
        assertNull(UID.nameOf(null));
        assertNull(UID.typeOf(""));
        assertFalse(UID.isRetired(null));
        // a prefix or an extension of a registered UID is not that UID
        assertNull(UID.nameOf("1.2.840.10008.1"));
        assertNull(UID.nameOf("1.2.840.10008.1.1.1"));
        // UI values are padded to even length with a NUL (PS3.5 section 9.1)
        assertEquals("Verification SOP Class", UID.nameOf("1.2.840.10008.1.1\0"));
        assertEquals("CTImageStorage", UID.keywordOf("1.2.840.10008.5.1.4.1.1.2 "));
    }

    @Test
    void storageSopClasses() {
        Set<String> storage = UID.storageSopClasses();
        assertEquals(UID.STORAGE_SOP_CLASS_COUNT, storage.size());
        assertSame(storage, UID.storageSopClasses());
        assertThrows(UnsupportedOperationException.class, () -> storage.add("1.2.3"));

        assertTrue(storage.contains(UID.CTImageStorage));
        assertTrue(storage.contains(UID.MRImageStorage));
        assertTrue(storage.contains(UID.SecondaryCaptureImageStorage));
        assertTrue(storage.contains(UID.EnhancedCTImageStorage));
        assertTrue(storage.contains(UID.DigitalXRayImageStorageForPresentation));
        assertTrue(storage.contains(UID.DigitalXRayImageStorageForProcessing));
        assertTrue(storage.contains(UID.BasicTextSRStorage));
        assertTrue(storage.contains(UID.EncapsulatedPDFStorage));
        assertTrue(storage.contains(UID.RTPlanStorage));
        assertTrue(storage.contains(UID.HangingProtocolStorage)); // PS3.4 Table GG.3-1
        assertTrue(storage.contains("1.2.840.10008.5.1.4.1.1.5")); // retired Nuclear Medicine Image Storage
        assertTrue(storage.contains(UID.WaveformStorageTrial)); // "Waveform Storage - Trial (Retired)"
        assertTrue(storage.contains(UID.HardcopyGrayscaleImageStorage)); // "... Storage SOP Class (Retired)"
        assertTrue(storage.contains(UID.StoredPrintStorage));

        assertFalse(storage.contains(UID.Verification));
        assertFalse(storage.contains(UID.MediaStorageDirectoryStorage));
        assertFalse(storage.contains(UID.StorageCommitmentPushModel));
        assertFalse(storage.contains(UID.StorageCommitmentPushModelInstance));
        assertFalse(storage.contains(UID.Storage)); // Storage Service Class
        assertFalse(storage.contains(UID.PatientRootQueryRetrieveInformationModelFind));
        assertFalse(storage.contains(UID.DICOMApplicationContext));
        for (String uid : storage) {
            assertEquals("SOP Class", UID.typeOf(uid), uid);
            assertTrue(UID.nameOf(uid).contains("Storage"), uid);
        }
        for (Row row : resourceRows()) {
            if (row.type.equals("Transfer Syntax")) {
                assertFalse(storage.contains(row.uid), row.uid);
            }
        }
    }

    @Test
    void resourceIsWellFormedWithoutDuplicates() {
        List<String> lines = resourceLines();
        assertEquals("uid\tkeyword\tname\ttype\tretired", lines.get(0));
        assertTrue(lines.get(1).startsWith("# generated by tools/generate-uids.py from "), lines.get(1));
        assertTrue(lines.get(1).contains(", edition 2024c"), lines.get(1));
        assertTrue(lines.get(1).endsWith("do not edit"), lines.get(1));

        List<Row> rows = resourceRows();
        assertEquals(UID.ENTRY_COUNT, rows.size());
        assertTrue(rows.size() > 400, "Table A-1 has more than 400 entries");
        Set<String> uids = new HashSet<>();
        Set<String> keywords = new HashSet<>();
        int transferSyntaxes = 0;
        for (Row row : rows) {
            assertTrue(UID_SYNTAX.matcher(row.uid).matches() && row.uid.length() <= 64, row.uid);
            assertTrue(uids.add(row.uid), "duplicate UID " + row.uid);
            if (!row.keyword.isEmpty()) {
                assertTrue(keywords.add(row.keyword), "duplicate keyword " + row.keyword);
            } else {
                assertEquals("Y", row.retired, "only retired entries lack a keyword: " + row.uid);
            }
            assertFalse(row.type.isEmpty(), row.uid);
            assertTrue(row.retired.equals("Y") || row.retired.equals("N"), row.uid);
            assertFalse(row.name.endsWith("(Retired)"), row.uid);
            if (row.type.equals("Transfer Syntax")) {
                transferSyntaxes++;
            }
            assertEquals(row.name, UID.nameOf(row.uid));
            assertEquals(row.keyword, UID.keywordOf(row.uid));
            assertEquals(row.type, UID.typeOf(row.uid));
            assertEquals(row.retired.equals("Y"), UID.isRetired(row.uid));
        }
        assertEquals(59, transferSyntaxes, "Transfer Syntaxes of PS3.6 2024c Table A-1");
    }

    @Test
    void oneConstantPerKeywordNamedByIt() throws IllegalAccessException {
        Map<String, String> constants = new HashMap<>();
        for (Field f : UID.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == String.class) {
                constants.put(f.getName(), (String) f.get(null));
            }
        }
        Map<String, String> expected = new HashMap<>();
        for (Row row : resourceRows()) {
            if (!row.keyword.isEmpty()) {
                expected.put(row.keyword, row.uid);
            }
        }
        assertEquals(expected, constants);
    }

    private static final class Row {
        final String uid;
        final String keyword;
        final String name;
        final String type;
        final String retired;

        Row(String[] f) {
            uid = f[0];
            keyword = f[1];
            name = f[2];
            type = f[3];
            retired = f[4];
        }
    }

    private static List<String> resourceLines() {
        List<String> lines = new ArrayList<>();
        try (InputStream in = UID.class.getResourceAsStream(UID.RESOURCE)) {
            assertNotNull(in, UID.RESOURCE);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return lines;
    }

    private static List<Row> resourceRows() {
        List<Row> rows = new ArrayList<>();
        List<String> lines = resourceLines();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            assertEquals(5, f.length, line);
            rows.add(new Row(f));
        }
        return rows;
    }
}
