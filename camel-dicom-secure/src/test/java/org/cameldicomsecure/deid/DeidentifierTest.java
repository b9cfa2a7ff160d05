package org.cameldicomsecure.deid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.FileRegion;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.UidSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeidentifierTest {

    static final byte[] SECRET = "deidentifier-test-secret-0123456".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    static Deidentifier deid(DeidentificationOptions.Builder b) {
        return new Deidentifier(b.uidSecret(SECRET).build(), null);
    }

    static DicomFile simple(String sop, String series, String study) {
        Dataset ds = TestInstances.base();
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.PatientName, VR.PN, "Doe^John");
        ds.setString(Tag.StudyDate, VR.DA, "20200315");
        ds.setString(Tag.InstitutionName, VR.LO, "General Hospital");
        return TestInstances.part10(ds);
    }

    @Test
    void basicProfileMarksTheResult() throws Exception {
        DeidentificationResult r = deid(DeidentificationOptions.builder()).deidentify(TestInstances.everyAttribute());
        Dataset ds = r.file().dataset();
        assertEquals("YES", ds.getString(Tag.PatientIdentityRemoved));
        assertEquals("REMOVED", ds.getString(Tag.LongitudinalTemporalInformationModified));
        assertEquals(List.of("113100"), r.appliedOptionCodes());
        Sequence codes = ds.getSequence(Tag.DeidentificationMethodCodeSequence);
        assertEquals(1, codes.size());
        assertEquals("113100", codes.get(0).getString(Tag.CodeValue));
        assertEquals("DCM", codes.get(0).getString(Tag.CodingSchemeDesignator));
        assertEquals("Basic Application Confidentiality Profile", codes.get(0).getString(Tag.CodeMeaning));
        assertEquals(Deidentifier.METHOD_TEXT, ds.getString(Tag.DeidentificationMethod));
        assertFalse(ds.contains(Tag.BurnedInAnnotation));
        assertFalse(ds.contains(Tag.RecognizableVisualFeatures));
    }

    @Test
    void everyOptionAddsItsCodeInOrder() throws Exception {
        DeidentificationResult r = deid(DeidentificationOptions.builder().retainSafePrivate(true).retainUids(true)
                .retainDeviceIdentity(true).retainInstitutionIdentity(true).retainPatientCharacteristics(true)
                .cleanDescriptors(true).cleanStructuredContent(true).cleanGraphics(true).cleanPixelData(true)
                .cleanRecognizableVisualFeatures(true).retainLongitudinalTemporal(LongitudinalTemporal.MODIFIED)
                .pixelMasks(List.of(new PixelMask(null, null, null, null, List.of(new PixelMask.Rect(0, 0, 1, 1))))))
                .deidentify(TestInstances.everyAttribute());
        assertEquals(List.of("113100", "113101", "113102", "113103", "113104", "113105", "113107", "113108", "113109",
                "113110", "113111", "113112"), r.appliedOptionCodes());
        Dataset ds = r.file().dataset();
        assertEquals(12, ds.getSequence(Tag.DeidentificationMethodCodeSequence).size());
        assertEquals("NO", ds.getString(Tag.BurnedInAnnotation));
        assertEquals("NO", ds.getString(Tag.RecognizableVisualFeatures));
        assertEquals("MODIFIED", ds.getString(Tag.LongitudinalTemporalInformationModified));
        assertEquals(13, ds.getStrings(Tag.DeidentificationMethod).length);
        DeidentificationResult full = deid(DeidentificationOptions.builder()
                .retainLongitudinalTemporal(LongitudinalTemporal.FULL)).deidentify(TestInstances.everyAttribute());
        assertEquals(List.of("113100", "113106"), full.appliedOptionCodes());
        assertEquals("UNMODIFIED", full.file().dataset().getString(Tag.LongitudinalTemporalInformationModified));
    }

    @Test
    void inputIsNotChangedAndOriginalsHoldEveryChangedAttribute() throws Exception {
        DicomFile in = TestInstances.everyAttribute();
        byte[] before = new DicomWriter().toBytes(in);
        DeidentificationResult r = deid(DeidentificationOptions.builder()).deidentify(in);
        assertArrayEquals(before, new DicomWriter().toBytes(in), "input unchanged");
        Dataset orig = r.originalAttributes();
        Dataset out = r.file().dataset();
        for (int tag : in.dataset().tags()) {
            boolean changed = !out.contains(tag) || !Datasets.sameElement(in.dataset(), out, tag);
            if (tag == Tag.PixelData || tag == Tag.SpecificCharacterSet) {
                continue;
            }
            assertEquals(changed, orig.contains(tag), Tag.toString(tag));
            if (changed) {
                assertTrue(Datasets.sameElement(in.dataset(), orig, tag), "original value of " + Tag.toString(tag));
            }
        }
        assertEquals("Doe^John", orig.getString(Tag.PersonName));
        assertEquals(TestInstances.SOP, orig.getString(Tag.SOPInstanceUID));
        assertEquals("ISO_IR 100", orig.getString(Tag.SpecificCharacterSet));
        assertEquals(TestInstances.SOP, r.originalSopInstanceUid());
        assertEquals(TestInstances.STUDY, r.originalStudyInstanceUid());
        assertEquals(TestInstances.SERIES, r.originalSeriesInstanceUid());
        assertEquals(out.getString(Tag.SOPInstanceUID), r.sopInstanceUid());
        assertEquals(out.getString(Tag.StudyInstanceUID), r.studyInstanceUid());
        assertEquals(out.getString(Tag.SeriesInstanceUID), r.seriesInstanceUid());
        assertNotEquals(TestInstances.SOP, r.sopInstanceUid());
    }

    @Test
    void nestedChangeKeepsTheWholeOriginalTopLevelSequence() throws Exception {
        DeidentificationResult r = deid(DeidentificationOptions.builder())
                .deidentify(TestInstances.everyAttributeNested());
        Sequence s = r.originalAttributes().getSequence(TestInstances.CONTAINER);
        assertEquals("Doe^John", s.get(0).getString(Tag.PatientName));
        assertFalse(r.originalAttributes().contains(Tag.Rows));
    }

    @Test
    void fileMetaAndPreambleAreReplaced() throws Exception {
        DeidentificationResult r = deid(DeidentificationOptions.builder()).deidentify(TestInstances.everyAttribute());
        DicomFile f = r.file();
        assertArrayEquals(new byte[DicomFile.PREAMBLE_LENGTH], f.preamble());
        assertEquals(r.sopInstanceUid(), f.fileMeta().getString(Tag.MediaStorageSOPInstanceUID));
        assertEquals(UID.CTImageStorage, f.fileMeta().getString(Tag.MediaStorageSOPClassUID));
        assertEquals(Deidentifier.IMPLEMENTATION_CLASS_UID, f.fileMeta().getString(Tag.ImplementationClassUID));
        assertFalse(f.fileMeta().contains(Tag.SourceApplicationEntityTitle));
        assertEquals(UID.ExplicitVRLittleEndian, f.fileMeta().getString(Tag.TransferSyntaxUID));
    }

    @Test
    void resultIsWrittenAndReadBack() throws Exception {
        DeidentificationResult r = deid(DeidentificationOptions.builder().cleanDescriptors(true)
                .retainLongitudinalTemporal(LongitudinalTemporal.MODIFIED)).deidentify(TestInstances.everyAttribute());
        Path p = tmp.resolve("out.dcm");
        new DicomWriter().write(r.file(), p);
        DicomFile back = new DicomReader().read(p);
        Dataset in = TestInstances.everyAttribute().dataset();
        assertEquals(r.sopInstanceUid(), back.dataset().getString(Tag.SOPInstanceUID));
        assertArrayEquals(in.getBytes(Tag.PixelData), back.dataset().getBytes(Tag.PixelData));
        assertEquals(4, back.dataset().getInt(Tag.Rows, -1));
        assertEquals("ACME", back.dataset().getString(Tag.Manufacturer));
        assertEquals("YES", back.dataset().getString(Tag.PatientIdentityRemoved));
    }

    @Test
    void missingOrBadSopInstanceUidIsRejected() {
        Dataset ds = TestInstances.base();
        ds.remove(Tag.SOPInstanceUID);
        DeidentificationException e = assertThrows(DeidentificationException.class,
                () -> deid(DeidentificationOptions.builder()).deidentify(TestInstances.part10(ds)));
        assertTrue(e.getMessage().contains("(0008,0018)"), e.getMessage());
        Dataset bad = TestInstances.base();
        bad.setString(Tag.SOPInstanceUID, VR.UI, "1.02.x");
        assertThrows(DeidentificationException.class,
                () -> deid(DeidentificationOptions.builder()).deidentify(TestInstances.part10(bad)));
    }

    @Test
    void burnedInAnnotationIsRejectedUnlessAllowedOrCleaned() throws Exception {
        Dataset ds = TestInstances.base();
        ds.setString(Tag.PatientName, VR.PN, "Doe^John");
        ds.setString(Tag.BurnedInAnnotation, VR.CS, "YES");
        DicomFile in = TestInstances.part10(ds);
        DeidentificationException e = assertThrows(DeidentificationException.class,
                () -> deid(DeidentificationOptions.builder()).deidentify(in));
        assertTrue(e.getMessage().contains("(0028,0301)"));
        assertFalse(e.getMessage().contains("Doe"));
        DeidentificationResult allowed = deid(DeidentificationOptions.builder()
                .burnedInAnnotation(BurnedInAnnotationPolicy.ALLOW)).deidentify(in);
        assertEquals("YES", allowed.file().dataset().getString(Tag.BurnedInAnnotation));
        DeidentificationResult cleaned = deid(DeidentificationOptions.builder().cleanPixelData(true)
                .pixelMasks(List.of(new PixelMask("CT", "acme", 4, 4, List.of(new PixelMask.Rect(0, 0, 4, 1))))))
                .deidentify(in);
        assertEquals("NO", cleaned.file().dataset().getString(Tag.BurnedInAnnotation));
        byte[] px = cleaned.file().dataset().getBytes(Tag.PixelData);
        for (int i = 0; i < 8; i++) {
            assertEquals(0, px[i], "first row cleared");
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(ds.getBytes(Tag.PixelData), 8, 32),
                java.util.Arrays.copyOfRange(px, 8, 32), "other rows untouched");
    }

    @Test
    void cleanPixelDataWithoutMatchingMaskOrCompressedIsRejected() {
        DicomFile in = TestInstances.part10(TestInstances.base());
        DeidentificationException e = assertThrows(DeidentificationException.class,
                () -> deid(DeidentificationOptions.builder().cleanPixelData(true).pixelMasks(
                        List.of(new PixelMask("MR", null, null, null, List.of(new PixelMask.Rect(0, 0, 1, 1))))))
                        .deidentify(in));
        assertTrue(e.getMessage().contains("no pixel mask"), e.getMessage());
        assertThrows(DeidentificationException.class,
                () -> deid(DeidentificationOptions.builder().cleanRecognizableVisualFeatures(true)).deidentify(in));
        Dataset ds = TestInstances.base();
        Fragments f = new Fragments(VR.OB);
        f.add(new byte[0]);
        f.add(new byte[] {1, 2});
        ds.setFragments(Tag.PixelData, f);
        DicomFile jpeg = new DicomFile(null, null, ds, TransferSyntax.of(UID.JPEGBaseline8Bit));
        DeidentificationException c = assertThrows(DeidentificationException.class,
                () -> deid(DeidentificationOptions.builder().cleanPixelData(true).pixelMasks(
                        List.of(new PixelMask(null, null, null, null, List.of(new PixelMask.Rect(0, 0, 1, 1))))))
                        .deidentify(jpeg));
        assertTrue(c.getMessage().contains("compressed"), c.getMessage());
    }

    @Test
    void masksCoverEveryFrameSampleAndPlanarConfiguration() throws Exception {
        for (int planar : new int[] {0, 1}) {
            Dataset ds = TestInstances.base();
            ds.setInt(Tag.SamplesPerPixel, VR.US, 3);
            ds.setString(Tag.PhotometricInterpretation, VR.CS, "RGB");
            ds.setInt(Tag.PlanarConfiguration, VR.US, planar);
            ds.setInt(Tag.BitsAllocated, VR.US, 8);
            ds.setInt(Tag.BitsStored, VR.US, 8);
            ds.setInt(Tag.HighBit, VR.US, 7);
            ds.setString(Tag.NumberOfFrames, VR.IS, "2");
            byte[] px = new byte[2 * 4 * 4 * 3];
            java.util.Arrays.fill(px, (byte) 7);
            ds.setBytes(Tag.PixelData, VR.OB, px);
            byte[] out = deid(DeidentificationOptions.builder().cleanPixelData(true).pixelMasks(List.of(
                    new PixelMask(null, null, null, null, List.of(new PixelMask.Rect(1, 2, 10, 1))))))
                    .deidentify(TestInstances.part10(ds)).file().dataset().getBytes(Tag.PixelData);
            for (int f = 0; f < 2; f++) {
                for (int s = 0; s < 3; s++) {
                    for (int y = 0; y < 4; y++) {
                        for (int x = 0; x < 4; x++) {
                            int off = planar == 0 ? ((f * 4 + y) * 4 + x) * 3 + s : ((f * 3 + s) * 4 + y) * 4 + x;
                            int expected = y == 2 && x >= 1 ? 0 : 7;
                            assertEquals(expected, out[off], "planar " + planar + " f" + f + " s" + s + " " + x + "," + y);
                        }
                    }
                }
            }
        }
    }

    @Test
    void bulkPixelDataIsStreamedWhenCleanedAndPassedThroughOtherwise() throws Exception {
        Dataset ds = TestInstances.base();
        ds.setInt(Tag.Rows, VR.US, 256);
        ds.setInt(Tag.Columns, VR.US, 256);
        byte[] px = new byte[256 * 256 * 2];
        java.util.Arrays.fill(px, (byte) 9);
        ds.setBytes(Tag.PixelData, VR.OW, px);
        Path file = tmp.resolve("in.dcm");
        new DicomWriter().write(TestInstances.part10(ds), file);
        DicomFile in = new DicomReader(DicomReaderOptions.DEFAULT.withBulkDataThreshold(1024)).read(file);
        assertTrue(in.dataset().value(Tag.PixelData) instanceof FileRegion);

        DeidentificationResult plain = deid(DeidentificationOptions.builder()).deidentify(in);
        assertSame(in.dataset().value(Tag.PixelData), plain.file().dataset().value(Tag.PixelData),
                "not copied, not loaded");

        DeidentificationResult cleaned = deid(DeidentificationOptions.builder().cleanPixelData(true).pixelMasks(
                List.of(new PixelMask(null, null, 256, 256, List.of(new PixelMask.Rect(0, 0, 256, 16))))))
                .deidentify(in);
        Object v = cleaned.file().dataset().value(Tag.PixelData);
        assertTrue(v instanceof FileRegion fr && !fr.file().equals(file), "a new temporary file");
        byte[] out = ((BulkData) v).toByteArray();
        for (int i = 0; i < out.length; i++) {
            assertEquals(i < 256 * 16 * 2 ? 0 : 9, out[i], "byte " + i);
        }
        assertEquals(9, ((BulkData) in.dataset().value(Tag.PixelData)).toByteArray()[0], "input file untouched");
    }

    @Test
    void uidsAreConsistentAcrossInstancesAndDeidentifiersWithTheSameSecret() throws Exception {
        String study = "1.2.3.100";
        String series = "1.2.3.100.1";
        DicomFile a = simple("1.2.3.100.1.1", series, study);
        Dataset bds = simple("1.2.3.100.1.2", series, study).dataset();
        Dataset ref = bds.newSequence(Tag.ReferencedInstanceSequence).addItem();
        ref.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
        ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.100.1.1");
        DicomFile b = TestInstances.part10(bds);
        DicomFile other = simple("1.2.3.200.1.1", "1.2.3.200.1", "1.2.3.200");

        DeidentificationResult ra = deid(DeidentificationOptions.builder()).deidentify(a);
        DeidentificationResult rb = deid(DeidentificationOptions.builder()).deidentify(b);
        DeidentificationResult ro = deid(DeidentificationOptions.builder()).deidentify(other);
        assertEquals(ra.studyInstanceUid(), rb.studyInstanceUid());
        assertEquals(ra.seriesInstanceUid(), rb.seriesInstanceUid());
        assertNotEquals(ra.sopInstanceUid(), rb.sopInstanceUid());
        assertNotEquals(ra.studyInstanceUid(), ro.studyInstanceUid());
        Dataset refOut = rb.file().dataset().getSequence(Tag.ReferencedInstanceSequence).get(0);
        assertEquals(ra.sopInstanceUid(), refOut.getString(Tag.ReferencedSOPInstanceUID), "reference remapped");
        assertEquals(UID.CTImageStorage, refOut.getString(Tag.ReferencedSOPClassUID), "SOP Class UID kept");
        assertEquals(ra.file().dataset().getString(Tag.FrameOfReferenceUID),
                rb.file().dataset().getString(Tag.FrameOfReferenceUID));

        DeidentificationResult again = deid(DeidentificationOptions.builder()).deidentify(a);
        assertEquals(ra.sopInstanceUid(), again.sopInstanceUid(), "second Deidentifier, same secret");
        Deidentifier random = new Deidentifier(DeidentificationOptions.builder().build(), null);
        assertTrue(random.secretWasGenerated());
        assertFalse(deid(DeidentificationOptions.builder()).secretWasGenerated());
        assertNotEquals(ra.sopInstanceUid(), random.deidentify(a).sopInstanceUid());
    }

    @Test
    void standardUidsAreNeverReplaced() throws Exception {
        Dataset ds = TestInstances.base();
        // a well-known frame of reference (PS3.6 Annex A) in a U attribute
        ds.setString(Tag.FrameOfReferenceUID, VR.UI, "1.2.840.10008.1.4.1.1");
        DeidentificationResult r = deid(DeidentificationOptions.builder()).deidentify(TestInstances.part10(ds));
        assertEquals("1.2.840.10008.1.4.1.1", r.file().dataset().getString(Tag.FrameOfReferenceUID));
        assertEquals(UID.CTImageStorage, r.file().dataset().getString(Tag.SOPClassUID));
    }

    @Test
    void retainSafePrivateKeepsSafeElementsAndTheirCreators() throws Exception {
        SafePrivateTable.Entry e = SafePrivateTable.standard().entries().get(0);
        int group = e.group();
        Dataset ds = TestInstances.base();
        ds.setString((group << 16) | 0x0011, VR.LO, e.creator());
        int safeTag = (group << 16) | 0x1100 | e.offset();
        ds.setString(safeTag, VR.DS, "1.5");
        int unsafeTag = (group << 16) | 0x1100 | ((e.offset() + 0x77) & 0xFF);
        ds.setString(unsafeTag, VR.LO, "Doe^John");
        // a block declared SAFE and one MIXED with element 0x01 nonidentifying
        ds.setString(0x00190010, VR.LO, "ACME SAFE BLOCK");
        ds.setString(0x00191005, VR.LO, "kept");
        ds.setString(0x00190011, VR.LO, "ACME MIXED BLOCK");
        ds.setString(0x00191101, VR.LO, "kept too");
        ds.setString(0x00191102, VR.LO, "removed");
        ds.setString(0x00190012, VR.LO, "ACME UNKNOWN");
        ds.setString(0x00191201, VR.DS, "1");
        Sequence chars = ds.newSequence(Tag.PrivateDataElementCharacteristicsSequence);
        Dataset safe = chars.addItem();
        safe.setInt(Tag.PrivateGroupReference, VR.US, 0x0019);
        safe.setString(Tag.PrivateCreatorReference, VR.LO, "ACME SAFE BLOCK");
        safe.setString(Tag.BlockIdentifyingInformationStatus, VR.CS, "SAFE");
        Dataset mixed = chars.addItem();
        mixed.setInt(Tag.PrivateGroupReference, VR.US, 0x0019);
        mixed.setString(Tag.PrivateCreatorReference, VR.LO, "ACME MIXED BLOCK");
        mixed.setString(Tag.BlockIdentifyingInformationStatus, VR.CS, "MIXED");
        mixed.setInt(Tag.NonidentifyingPrivateElements, VR.US, 0x01);
        DicomFile in = TestInstances.part10(ds);

        Dataset kept = deid(DeidentificationOptions.builder().retainSafePrivate(true)).deidentify(in).file().dataset();
        assertEquals("1.5", kept.getString(safeTag));
        assertEquals(e.creator(), kept.getString((group << 16) | 0x0011));
        assertFalse(kept.contains(unsafeTag));
        assertEquals("kept", kept.getString(0x00191005));
        assertEquals("kept too", kept.getString(0x00191101));
        assertFalse(kept.contains(0x00191102));
        assertFalse(kept.contains(0x00191201));
        assertFalse(kept.contains(0x00190012), "creator of an emptied block removed");

        Dataset basic = deid(DeidentificationOptions.builder()).deidentify(in).file().dataset();
        for (int tag : basic.tags()) {
            assertFalse(Tag.isPrivate(tag), "private " + Tag.toString(tag) + " removed by the basic profile");
        }
    }

    @Test
    void cleanStructuredContentFollowsTableE341() throws Exception {
        Dataset ds = TestInstances.base();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.ComprehensiveSRStorage);
        Sequence content = ds.newSequence(Tag.ContentSequence);
        Dataset accession = content.addItem(); // Accession Number (121022, DCM): X
        accession.setString(Tag.ValueType, VR.CS, "TEXT");
        code(accession, "121022", "DCM", "Accession Number");
        accession.setString(Tag.TextValue, VR.UT, "ACC-1");
        Dataset finding = content.addItem(); // a local code ("99" scheme), not listed: kept, cleaned by Table E.1-1
        finding.setString(Tag.ValueType, VR.CS, "TEXT");
        code(finding, "FINDING-1", "99TEST", "Test finding");
        assertNull(StructuredContentTable.standard().lookup("99TEST", "FINDING-1"));
        finding.setString(Tag.TextValue, VR.UT, "no abnormality");
        finding.setString(Tag.ObservationDateTime, VR.DT, "20200315101010");
        Dataset party = content.addItem(); // Calibration Responsible Party (113724, DCM): D
        party.setString(Tag.ValueType, VR.CS, "TEXT");
        code(party, "113724", "DCM", "Calibration Responsible Party");
        party.setString(Tag.TextValue, VR.UT, "Dr. Smith");
        DicomFile in = TestInstances.part10(ds);

        Dataset out = deid(DeidentificationOptions.builder().cleanStructuredContent(true)).deidentify(in)
                .file().dataset();
        Sequence s = out.getSequence(Tag.ContentSequence);
        assertEquals(2, s.size(), "Accession Number item removed");
        assertEquals("no abnormality", s.get(0).getString(Tag.TextValue));
        assertFalse(s.get(0).contains(Tag.ObservationDateTime), "X/D of Observation DateTime nested: X");
        assertEquals(DummyValues.TEXT, s.get(1).getString(Tag.TextValue), "D: dummy value");

        Dataset basic = deid(DeidentificationOptions.builder()).deidentify(in).file().dataset();
        Sequence d = basic.getSequence(Tag.ContentSequence);
        assertEquals(1, d.size(), "D: one stand-in item");
        assertEquals(DummyValues.TEXT, d.get(0).getString(Tag.TextValue), "the stand-in's value is a dummy");
        assertEquals("TEXT", d.get(0).getString(Tag.ValueType));
        assertEquals("113104", deid(DeidentificationOptions.builder().cleanStructuredContent(true)).deidentify(in)
                .appliedOptionCodes().get(1));
    }

    /** One SR whose Content Sequence's first item is {@code first}, followed by an item that must go. */
    private static DicomFile srWithFirstContentItem(java.util.function.Consumer<Dataset> first) {
        Dataset ds = TestInstances.base();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.ComprehensiveSRStorage);
        ds.setString(Tag.Modality, VR.CS, "SR");
        ds.setString(Tag.ValueType, VR.CS, "CONTAINER");
        code(ds, "18748-4", "LN", "Diagnostic Imaging Report");
        ds.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        Sequence content = ds.newSequence(Tag.ContentSequence);
        first.accept(content.addItem());
        Dataset second = content.addItem();
        second.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        second.setString(Tag.ValueType, VR.CS, "TEXT");
        code(second, "121071", "DCM", "Finding");
        second.setString(Tag.TextValue, VR.UT, "second item of Jane Doe");
        return TestInstances.part10(ds);
    }

    private static Dataset standIn(java.util.function.Consumer<Dataset> first) throws Exception {
        Dataset out = deid(DeidentificationOptions.builder()).deidentify(srWithFirstContentItem(first)).file()
                .dataset();
        Sequence s = out.getSequence(Tag.ContentSequence);
        assertEquals(1, s.size(), "D: one stand-in item");
        Dataset item = s.get(0);
        assertTrue(item.contains(Tag.RelationshipType), "Relationship Type kept (Type 1)");
        assertTrue(item.contains(Tag.ValueType), "Value Type kept (Type 1)");
        assertEquals("121071", item.getSequence(Tag.ConceptNameCodeSequence).get(0).getString(Tag.CodeValue),
                "Concept Name Code Sequence kept (Type 1C)");
        assertFalse(item.contains(Tag.ObservationDateTime), "X/D nested, Type 3 there: X");
        assertFalse(item.contains(0x00080070), "unlisted attribute dropped from the stand-in");
        return item;
    }

    private static void contentItem(Dataset item, String relationship, String valueType) {
        item.setString(Tag.RelationshipType, VR.CS, relationship);
        item.setString(Tag.ValueType, VR.CS, valueType);
        code(item, "121071", "DCM", "Finding");
        item.setString(Tag.ObservationDateTime, VR.DT, "20200315101010");
        item.setString(0x00080070, VR.LO, "ACME"); // Manufacturer: unlisted, not a content item attribute
    }

    @Test
    void contentSequenceStandInIsAValidContentItem() throws Exception {
        Dataset text = standIn(i -> {
            contentItem(i, "CONTAINS", "TEXT");
            i.setString(Tag.TextValue, VR.UT, "Jane Doe: nodule");
        });
        assertEquals(DummyValues.TEXT, text.getString(Tag.TextValue));
        assertEquals(VR.UT, text.vrOf(Tag.TextValue));

        Dataset pname = standIn(i -> {
            contentItem(i, "HAS OBS CONTEXT", "PNAME");
            i.setString(Tag.PersonName, VR.PN, "Reader^Rob");
        });
        assertEquals(DummyValues.TEXT, pname.getString(Tag.PersonName));
        Dataset date = standIn(i -> {
            contentItem(i, "HAS OBS CONTEXT", "DATE");
            i.setString(Tag.Date, VR.DA, "20200315");
        });
        assertEquals(DummyValues.DATE, date.getString(Tag.Date));
        Dataset time = standIn(i -> {
            contentItem(i, "HAS OBS CONTEXT", "TIME");
            i.setString(Tag.Time, VR.TM, "101010");
        });
        assertEquals(DummyValues.TIME, time.getString(Tag.Time));
        Dataset dateTime = standIn(i -> {
            contentItem(i, "HAS OBS CONTEXT", "DATETIME");
            i.setString(Tag.DateTime, VR.DT, "20200315101010");
        });
        assertEquals(DummyValues.DATE_TIME, dateTime.getString(Tag.DateTime));
        Dataset uidRef = standIn(i -> {
            contentItem(i, "HAS OBS CONTEXT", "UIDREF");
            i.setString(Tag.UID, VR.UI, "1.2.3.4.5.6");
        });
        assertTrue(uidRef.getString(Tag.UID).startsWith("2.25."), "UIDREF: the replacement UID");

        Dataset codeItem = standIn(i -> {
            contentItem(i, "CONTAINS", "CODE");
            Dataset c = i.newSequence(Tag.ConceptCodeSequence).addItem();
            c.setString(Tag.CodeValue, VR.SH, "T-28000");
            c.setString(Tag.CodingSchemeDesignator, VR.SH, "SRT");
            c.setString(Tag.CodeMeaning, VR.LO, "Lung");
        });
        assertEquals("T-28000", codeItem.getSequence(Tag.ConceptCodeSequence).get(0).getString(Tag.CodeValue),
                "CODE: the code is the value (codes are not identifying)");

        Dataset num = standIn(i -> {
            contentItem(i, "CONTAINS", "NUM");
            Dataset mv = i.newSequence(Tag.MeasuredValueSequence).addItem();
            mv.setString(Tag.NumericValue, VR.DS, "42");
            mv.setBytes(Tag.FloatingPointValue, VR.FD, new byte[8]);
            Dataset unit = mv.newSequence(Tag.MeasurementUnitsCodeSequence).addItem();
            unit.setString(Tag.CodeValue, VR.SH, "mm");
            unit.setString(Tag.CodingSchemeDesignator, VR.SH, "UCUM");
            unit.setString(Tag.CodeMeaning, VR.LO, "millimeter");
        });
        Dataset mv = num.getSequence(Tag.MeasuredValueSequence).get(0);
        assertEquals(DummyValues.NUMBER, mv.getString(Tag.NumericValue), "NUM: Numeric Value 0");
        assertFalse(mv.contains(Tag.FloatingPointValue));
        assertEquals("mm", mv.getSequence(Tag.MeasurementUnitsCodeSequence).get(0).getString(Tag.CodeValue));

        Dataset image = standIn(i -> {
            contentItem(i, "CONTAINS", "IMAGE");
            Dataset ref = i.newSequence(Tag.ReferencedSOPSequence).addItem();
            ref.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
            ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.4.5.7");
        });
        Dataset ref = image.getSequence(Tag.ReferencedSOPSequence).get(0);
        assertEquals(UID.CTImageStorage, ref.getString(Tag.ReferencedSOPClassUID), "SOP Class kept (Type 1)");
        assertTrue(ref.getString(Tag.ReferencedSOPInstanceUID).startsWith("2.25."), "instance UID replaced");

        Dataset container = standIn(i -> {
            contentItem(i, "CONTAINS", "CONTAINER");
            i.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
            Sequence inner = i.newSequence(Tag.ContentSequence);
            Dataset t = inner.addItem();
            contentItem(t, "CONTAINS", "TEXT");
            t.setString(Tag.TextValue, VR.UT, "nested text of Jane Doe");
            Dataset p = inner.addItem();
            contentItem(p, "CONTAINS", "PNAME");
            p.setString(Tag.PersonName, VR.PN, "Doe^Jane");
        });
        assertEquals("SEPARATE", container.getString(Tag.ContinuityOfContent), "Continuity Of Content kept (Type 1)");
        Sequence inner = container.getSequence(Tag.ContentSequence);
        assertEquals(1, inner.size(), "nested Content Sequence: D again, one stand-in item");
        assertEquals("TEXT", inner.get(0).getString(Tag.ValueType));
        assertEquals("CONTAINS", inner.get(0).getString(Tag.RelationshipType));
        assertEquals(DummyValues.TEXT, inner.get(0).getString(Tag.TextValue));
        assertFalse(inner.get(0).contains(Tag.ObservationDateTime));
    }

    @Test
    void conditionalTypesFollowTheirConditions() throws Exception {
        Dataset us = TestInstances.base();
        us.setString(Tag.SOPClassUID, VR.UI, UID.UltrasoundImageStorage);
        us.setString(Tag.Modality, VR.CS, "US");
        us.setString(Tag.AcquisitionDateTime, VR.DT, "20200315101010");
        us.setString(Tag.PatientSexNeutered, VR.CS, "ALTERED");
        Dataset out = deid(DeidentificationOptions.builder()).deidentify(TestInstances.part10(us)).file().dataset();
        assertFalse(out.contains(Tag.AcquisitionDateTime), "X/Z/D, 1C only for IVUS (C.8.5.6), Type 3 for US: X");
        assertFalse(out.contains(Tag.PatientSexNeutered), "X/Z, 2C only for a non-human organism (C.7.2.2): X");

        us.setString(Tag.Modality, VR.CS, "IVUS");
        us.setString(Tag.PatientSpeciesDescription, VR.LO, "Canis lupus familiaris");
        out = deid(DeidentificationOptions.builder()).deidentify(TestInstances.part10(us)).file().dataset();
        assertEquals(DummyValues.DATE_TIME, out.getString(Tag.AcquisitionDateTime), "IVUS: Type 1, so D");
        assertEquals(0, out.getBytes(Tag.PatientSexNeutered).length, "non-human: Type 2, so Z");

        Dataset dog = TestInstances.base();
        dog.setString(Tag.PatientSexNeutered, VR.CS, "UNALTERED");
        dog.newSequence(Tag.PatientSpeciesCodeSequence).addItem().setString(Tag.CodeValue, VR.SH, "448771007");
        out = deid(DeidentificationOptions.builder()).deidentify(TestInstances.part10(dog)).file().dataset();
        assertEquals(0, out.getBytes(Tag.PatientSexNeutered).length, "species code: non-human, Type 2 in CT: Z");
    }

    @Test
    void combinedActionsInSequencesFollowTheNestedTypes() throws Exception {
        Dataset ds = TestInstances.base();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.ComprehensiveSRStorage);
        ds.setString(Tag.Modality, VR.CS, "SR");
        Dataset request = ds.newSequence(Tag.ReferencedRequestSequence).addItem();
        request.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3.4.5.8");
        Dataset study = request.newSequence(Tag.ReferencedStudySequence).addItem();
        study.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.3.1.2.3.1");
        study.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.4.5.9");
        request.setString(Tag.RequestedProcedureDescription, VR.LO, "CT thorax Jane Doe");
        request.setString(Tag.AccessionNumber, VR.SH, "ACC-1");
        // the same attributes elsewhere have no nested Type: the first alternative
        Dataset other = ds.newSequence(0x00400275).addItem(); // Request Attributes Sequence: X as a whole
        other.setString(Tag.RequestedProcedureDescription, VR.LO, "CT thorax Jane Doe");
        Dataset deeper = request.newSequence(Tag.ReferencedSOPSequence).addItem(); // not a typed place
        deeper.setString(Tag.RequestedProcedureDescription, VR.LO, "CT thorax Jane Doe");
        Dataset out = deid(DeidentificationOptions.builder()).deidentify(TestInstances.part10(ds)).file().dataset();

        Dataset item = out.getSequence(Tag.ReferencedRequestSequence).get(0);
        assertEquals(0, item.getSequence(Tag.ReferencedStudySequence).size(),
                "X/Z, Type 2 in the Referenced Request Macro (C.17.2.8): Z, an empty sequence");
        assertEquals(0, item.getBytes(Tag.RequestedProcedureDescription).length, "X/Z, Type 2: Z");
        assertEquals(0, item.getBytes(Tag.AccessionNumber).length, "Z");
        assertFalse(item.getSequence(Tag.ReferencedSOPSequence).get(0).contains(Tag.RequestedProcedureDescription),
                "two levels down: no Type known, X");
        assertFalse(out.contains(0x00400275));

        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.Modality, VR.CS, "CT");
        out = deid(DeidentificationOptions.builder()).deidentify(TestInstances.part10(ds)).file().dataset();
        Dataset ct = out.getSequence(Tag.ReferencedRequestSequence).get(0);
        assertFalse(ct.contains(Tag.ReferencedStudySequence), "no nested Types for this IOD: X");
        assertFalse(ct.contains(Tag.RequestedProcedureDescription), "no nested Types for this IOD: X");
    }

    /** Values longer than the read buffer but under the bulk-data threshold, read from a file (DicomInput). */
    @Test
    void largeValuesReadFromAFileAreIntact() throws Exception {
        Dataset ds = TestInstances.base();
        byte[] big = new byte[300_001 + 1];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7 + 3);
        }
        ds.setBytes(0x00091001, VR.OB, big);
        ds.setString(0x00090010, VR.LO, "ACME");
        ds.setString(Tag.InstitutionName, VR.LO, "General Hospital");
        byte[] px = new byte[64 * 1024 * 3 + 10];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 13);
        }
        ds.setBytes(Tag.PixelData, VR.OW, px);
        Path f = tmp.resolve("large.dcm");
        new DicomWriter().write(TestInstances.part10(ds), f);
        DicomFile read = new DicomReader(DicomReaderOptions.DEFAULT).read(f);
        Dataset r = read.dataset();
        assertArrayEquals(big, r.getBytes(0x00091001));
        assertEquals("General Hospital", r.getString(Tag.InstitutionName), "the element after a large value");
        assertArrayEquals(px, r.getBytes(Tag.PixelData));
        Dataset out = deid(DeidentificationOptions.builder()).deidentify(read).file().dataset();
        assertArrayEquals(px, out.getBytes(Tag.PixelData));
        assertFalse(out.contains(0x00091001));

        byte[] whole = Files.readAllBytes(f);
        Path cut = tmp.resolve("cut.dcm");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - px.length / 2));
        assertThrows(Exception.class, () -> new DicomReader(DicomReaderOptions.DEFAULT).read(cut),
                "a truncated large value is an error");
    }

    private static void code(Dataset item, String value, String scheme, String meaning) {
        Dataset c = item.newSequence(Tag.ConceptNameCodeSequence).addItem();
        c.setString(Tag.CodeValue, VR.SH, value);
        c.setString(Tag.CodingSchemeDesignator, VR.SH, scheme);
        c.setString(Tag.CodeMeaning, VR.LO, meaning);
    }

    @Test
    void combinedActionsFollowTheIodTypes() throws Exception {
        Dataset ds = TestInstances.base();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.ComprehensiveSRStorage);
        ds.setString(Tag.ContentDate, VR.DA, "20200315");
        ds.setString(Tag.SeriesDate, VR.DA, "20200315");
        ds.setString(Tag.InstitutionName, VR.LO, "General Hospital");
        Dataset out = deid(DeidentificationOptions.builder()).deidentify(TestInstances.part10(ds)).file().dataset();
        assertEquals(DummyValues.DATE, out.getString(Tag.ContentDate), "Z/D, Type 1 in SR: D");
        assertFalse(out.contains(Tag.SeriesDate), "X/D, Type 3: X");
        assertFalse(out.contains(Tag.InstitutionName), "X/Z/D, Type 3: X");
        assertEquals(0, out.getBytes(Tag.PatientID).length, "Z/D, Type 2: Z");

        Dataset pet = TestInstances.base();
        pet.setString(Tag.SOPClassUID, VR.UI, UID.PositronEmissionTomographyImageStorage);
        pet.setString(Tag.SeriesDate, VR.DA, "20200315");
        pet.setString(Tag.AcquisitionDate, VR.DA, "20200315");
        Dataset po = deid(DeidentificationOptions.builder()).deidentify(TestInstances.part10(pet)).file().dataset();
        assertEquals(DummyValues.DATE, po.getString(Tag.SeriesDate), "X/D, Type 1 in PET Series: D");
        assertEquals(0, po.getBytes(Tag.AcquisitionDate).length, "X/Z, Type 2 in PET Image: Z");
    }

    @Test
    void encryptorReceivesTheModifiedAttributesDataSet() throws Exception {
        List<Dataset> seen = new ArrayList<>();
        AttributeEncryptor recorder = (item, recipients) -> {
            seen.add(item);
            Dataset out = new Dataset();
            out.setString(Tag.EncryptedContentTransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
            out.setBytes(Tag.EncryptedContent, VR.OB, new byte[] {1, 2});
            return out;
        };
        DeidentificationOptions o = DeidentificationOptions.builder().uidSecret(SECRET)
                .encryptTo(List.of(new FakeCertificate())).build();
        DeidentificationResult r = new Deidentifier(o, recorder).deidentify(TestInstances.everyAttribute());
        assertEquals(1, seen.size());
        Dataset wrapper = seen.get(0);
        Sequence mas = wrapper.getSequence(Tag.ModifiedAttributesSequence);
        assertEquals(1, mas.size());
        assertTrue(Datasets.same(r.originalAttributes(), mas.get(0)), "the item holds the originals");
        assertEquals("ISO_IR 100", wrapper.getString(Tag.SpecificCharacterSet));
        Sequence eas = r.file().dataset().getSequence(Tag.EncryptedAttributesSequence);
        assertEquals(1, eas.size());
        assertArrayEquals(new byte[] {1, 2}, eas.get(0).getBytes(Tag.EncryptedContent));
        assertNull(r.originalAttributes().getSequence(Tag.EncryptedAttributesSequence));
    }

    @Test
    void publicConstructorUsesCmsWhenRecipientsAreGiven() {
        Deidentifier d = new Deidentifier(DeidentificationOptions.builder().build());
        assertTrue(d.secretWasGenerated());
        assertTrue(UidSyntax.isValid(Deidentifier.IMPLEMENTATION_CLASS_UID));
    }

    /** A certificate object the recording encryptor never looks at. */
    static final class FakeCertificate extends X509Certificate {
        private static final long serialVersionUID = 1L;

        @Override public void checkValidity() { }
        @Override public void checkValidity(java.util.Date date) { }
        @Override public int getVersion() { return 3; }
        @Override public java.math.BigInteger getSerialNumber() { return java.math.BigInteger.ONE; }
        @Override public java.security.Principal getIssuerDN() { return null; }
        @Override public java.security.Principal getSubjectDN() { return null; }
        @Override public java.util.Date getNotBefore() { return null; }
        @Override public java.util.Date getNotAfter() { return null; }
        @Override public byte[] getTBSCertificate() { return new byte[0]; }
        @Override public byte[] getSignature() { return new byte[0]; }
        @Override public String getSigAlgName() { return "none"; }
        @Override public String getSigAlgOID() { return "0.0"; }
        @Override public byte[] getSigAlgParams() { return null; }
        @Override public boolean[] getIssuerUniqueID() { return null; }
        @Override public boolean[] getSubjectUniqueID() { return null; }
        @Override public boolean[] getKeyUsage() { return null; }
        @Override public int getBasicConstraints() { return -1; }
        @Override public byte[] getEncoded() { return new byte[0]; }
        @Override public void verify(java.security.PublicKey key) { }
        @Override public void verify(java.security.PublicKey key, String sigProvider) { }
        @Override public String toString() { return "fake"; }
        @Override public java.security.PublicKey getPublicKey() { return null; }
        @Override public boolean hasUnsupportedCriticalExtension() { return false; }
        @Override public java.util.Set<String> getCriticalExtensionOIDs() { return null; }
        @Override public java.util.Set<String> getNonCriticalExtensionOIDs() { return null; }
        @Override public byte[] getExtensionValue(String oid) { return null; }
    }
}
