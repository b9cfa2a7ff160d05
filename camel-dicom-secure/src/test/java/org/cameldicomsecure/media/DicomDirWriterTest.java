package org.cameldicomsecure.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.dict.Dictionary;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.junit.jupiter.api.Test;

class DicomDirWriterTest {

    private static List<DicomFile> sample() {
        List<DicomFile> in = new ArrayList<>();
        in.add(MediaTestData.instance("P1", 1, 1, 1));
        in.add(MediaTestData.instance("P2", 2, 1, 1));
        in.add(MediaTestData.instance("P1", 1, 1, 2));
        in.add(MediaTestData.instance("P1", 1, 2, 1));
        in.add(MediaTestData.instance("P1", 3, 1, 1));
        in.add(MediaTestData.instance("P2", 2, 1, 2));
        return in;
    }

    @Test
    void layoutGroupsByPatientStudySeriesInFirstAppearanceOrder() {
        List<FileSetEntry> e = FileSetLayout.assign(sample());
        List<String> ids = e.stream().map(x -> String.join("/", x.fileId())).toList();
        assertEquals(List.of("PAT00001/STU00001/SER00001/IMG00001", "PAT00001/STU00001/SER00001/IMG00002",
                "PAT00001/STU00001/SER00002/IMG00001", "PAT00001/STU00002/SER00001/IMG00001",
                "PAT00002/STU00001/SER00001/IMG00001", "PAT00002/STU00001/SER00001/IMG00002"), ids);
        assertEquals(MediaTestData.uid("3", 10101), e.get(0).file().dataset().getString(Tag.SOPInstanceUID));
        assertEquals(MediaTestData.uid("3", 10102), e.get(1).file().dataset().getString(Tag.SOPInstanceUID));
    }

    @Test
    void offsetsPointAtTheItemTagsCountedFromTheFirstByteOfTheFile() throws IOException {
        List<FileSetEntry> entries = FileSetLayout.assign(sample());
        DicomFile dir = new DicomDirWriter().build("TESTSET", entries);
        byte[] b = MediaTestData.bytes(dir);
        DicomFile back = new DicomReader().read(b);
        Dataset ds = back.dataset();
        assertEquals(UID.MediaStorageDirectoryStorage, back.fileMeta().getString(Tag.MediaStorageSOPClassUID));
        assertEquals(UID.ExplicitVRLittleEndian, back.fileMeta().getString(Tag.TransferSyntaxUID));
        assertEquals("TESTSET", ds.getString(Tag.FileSetID));
        assertEquals(0, ds.getInt(Tag.FileSetConsistencyFlag, -1));
        Sequence seq = ds.getSequence(Tag.DirectoryRecordSequence);
        // 2 patients, 3 studies, 4 series, 6 instances
        assertEquals(15, seq.size());
        int first = ds.getInt(Tag.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, 0);
        int last = ds.getInt(Tag.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity, 0);
        assertItemAt(b, first);
        assertItemAt(b, last);
        assertTrue(last > first);
        // every offset in every record points at an item tag; walking them reaches each record once
        for (Dataset r : seq) {
            for (int tag : new int[] {Tag.OffsetOfTheNextDirectoryRecord, Tag.OffsetOfReferencedLowerLevelDirectoryEntity}) {
                int off = r.getInt(tag, -1);
                if (off != 0) {
                    assertItemAt(b, off);
                }
            }
            assertEquals(0xFFFF, r.getInt(Tag.RecordInUseFlag, 0));
        }
        DicomDir dd = DicomDir.parse(back);
        assertEquals(List.of("PATIENT", "STUDY", "SERIES", "IMAGE", "IMAGE", "SERIES", "IMAGE", "STUDY", "SERIES",
                "IMAGE", "PATIENT", "STUDY", "SERIES", "IMAGE", "IMAGE"),
                dd.records().stream().map(DirectoryRecord::type).toList());
        assertEquals(entries.stream().map(FileSetEntry::fileId).toList(),
                dd.referencedFiles().stream().map(DirectoryRecord::referencedFileId).toList());
        for (int i = 0; i < entries.size(); i++) {
            Dataset src = entries.get(i).file().dataset();
            DirectoryRecord r = dd.referencedFiles().get(i);
            assertEquals(src.getString(Tag.SOPInstanceUID), r.sopInstanceUid());
            assertEquals(src.getString(Tag.SOPClassUID), r.sopClassUid());
            assertEquals(UID.ExplicitVRLittleEndian, r.transferSyntaxUid());
        }
        // record keys (PS3.3 F.5.1 - F.5.4)
        Dataset patient = seq.get(0);
        assertEquals("P1", patient.getString(Tag.PatientID));
        assertEquals("Müller^Hans P1", patient.getString(Tag.PatientName));
        assertEquals("ISO_IR 192", patient.getString(Tag.SpecificCharacterSet));
        Dataset study = seq.get(1);
        for (int t : new int[] {Tag.StudyDate, Tag.StudyTime, Tag.StudyInstanceUID, Tag.StudyID}) {
            assertNotNull(study.getString(t), Tag.toString(t));
        }
        assertTrue(study.contains(Tag.AccessionNumber) && study.contains(Tag.StudyDescription));
        Dataset series = seq.get(2);
        assertEquals("CT", series.getString(Tag.Modality));
        assertEquals("1", series.getString(Tag.SeriesNumber));
        Dataset image = seq.get(3);
        assertEquals("1", image.getString(Tag.InstanceNumber));
        assertEquals(List.of("PAT00001", "STU00001", "SER00001", "IMG00001"),
                List.of(image.getStrings(Tag.ReferencedFileID)));
        // the last record of each entity ends its chain; instance records have no lower level
        assertEquals(0, image.getInt(Tag.OffsetOfReferencedLowerLevelDirectoryEntity, -1));
        assertEquals(0, seq.get(10).getInt(Tag.OffsetOfTheNextDirectoryRecord, -1));
        // every element we write carries the VR of the PS3.6 dictionary
        Dictionary dict = Dictionary.standard();
        for (Dataset r : seq) {
            for (int i = 0; i < r.size(); i++) {
                assertEquals(dict.vrOf(r.tagAt(i)), r.vrAt(i), Tag.toString(r.tagAt(i)));
            }
        }
        for (int i = 0; i < ds.size(); i++) {
            assertEquals(dict.vrOf(ds.tagAt(i)), ds.vrAt(i), Tag.toString(ds.tagAt(i)));
        }
    }

    @Test
    void recordKeyVrsAreThoseOfTheDictionary() {
        Dictionary dict = Dictionary.standard();
        for (String type : new String[] {"PATIENT", "STUDY", "SERIES", "IMAGE", "RT DOSE", "RT STRUCTURE SET",
                "RT PLAN", "RT TREAT RECORD", "PRESENTATION", "WAVEFORM", "SR DOCUMENT", "KEY OBJECT DOC",
                "SPECTROSCOPY", "RAW DATA", "REGISTRATION", "VALUE MAP", "FIDUCIAL", "ENCAP DOC"}) {
            for (RecordTypes.Key k : RecordTypes.keys(type)) {
                assertEquals(dict.vrOf(k.tag()), k.vr(), type + " " + k.name());
            }
        }
    }

    private static void assertItemAt(byte[] b, int off) {
        assertTrue(off > 132 && off + 8 <= b.length, "offset " + off);
        assertEquals(0xFFFE, ByteOrderUtil.uint16(b, off, false), "item group at " + off);
        assertEquals(0xE000, ByteOrderUtil.uint16(b, off + 2, false), "item element at " + off);
    }

    @Test
    void missingType1KeysAreMadeUpAsDcmgpdirDoesInInventMode() throws IOException {
        Dataset a = MediaTestData.dataset(null, 1, 1, 1, 0);
        a.remove(Tag.StudyID);
        a.remove(Tag.SeriesNumber);
        a.remove(Tag.InstanceNumber);
        a.remove(Tag.StudyDate);
        a.remove(Tag.StudyTime);
        a.setString(Tag.SeriesDate, VR.DA, "20230405");
        a.setString(Tag.SeriesTime, VR.TM, "0910");
        Dataset b = MediaTestData.dataset("CDSPAT000001", 2, 1, 1, 0); // a real ID the invented one must avoid
        List<FileSetEntry> e = FileSetLayout.assign(List.of(new DicomFile(null, null, a,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), MediaTestData.part10(b)));
        assertTrue(e.get(0).file().isPart10(), "a bare data set gets File Meta Information");
        assertEquals(a.getString(Tag.SOPInstanceUID),
                e.get(0).file().fileMeta().getString(Tag.MediaStorageSOPInstanceUID));
        DicomFile dir = new DicomDirWriter().build(null, e);
        Sequence seq = new DicomReader().read(MediaTestData.bytes(dir)).dataset().getSequence(Tag.DirectoryRecordSequence);
        assertEquals("CDSPAT000002", seq.get(0).getString(Tag.PatientID));
        assertEquals("20230405", seq.get(1).getString(Tag.StudyDate));
        assertEquals("0910", seq.get(1).getString(Tag.StudyTime));
        assertEquals("CDSSTU000001", seq.get(1).getString(Tag.StudyID));
        assertEquals("1", seq.get(2).getString(Tag.SeriesNumber));
        assertEquals("1", seq.get(3).getString(Tag.InstanceNumber));
        assertEquals("CDSPAT000001", seq.get(4).getString(Tag.PatientID));
    }

    @Test
    void aMissingType1KeyWithoutAnInventionRuleIsAClearError() {
        Dataset a = MediaTestData.dataset("P", 1, 1, 1, 0);
        a.remove(Tag.Modality);
        List<FileSetEntry> e = FileSetLayout.assign(List.of(MediaTestData.part10(a)));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new DicomDirWriter().build("X", e));
        assertTrue(ex.getMessage().contains("Modality (0008,0060)") && ex.getMessage().contains("SERIES"),
                ex.getMessage());
        assertFalse(ex.getMessage().contains("Müller"));
    }

    @Test
    void missingUidsAreClearErrors() {
        for (int tag : new int[] {Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.StudyInstanceUID, Tag.SeriesInstanceUID}) {
            Dataset a = MediaTestData.dataset("P", 1, 1, 1, 0);
            a.remove(tag);
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> FileSetLayout.assign(List.of(MediaTestData.part10(a))));
            assertTrue(ex.getMessage().contains(Tag.toString(tag).replace("(", "").replace(")", "").substring(0, 4)),
                    ex.getMessage());
            assertTrue(ex.getMessage().startsWith("instance 1"), ex.getMessage());
        }
    }

    @Test
    void srAndPresentationRecordTypes() throws IOException {
        Dataset sr = MediaTestData.dataset("P", 1, 1, 1, 0);
        sr.setString(Tag.SOPClassUID, VR.UI, UID.ComprehensiveSRStorage);
        sr.setString(Tag.Modality, VR.CS, "SR");
        sr.setString(Tag.CompletionFlag, VR.CS, "COMPLETE");
        sr.setString(Tag.VerificationFlag, VR.CS, "UNVERIFIED");
        sr.setString(Tag.ContentDate, VR.DA, "20240102");
        sr.setString(Tag.ContentTime, VR.TM, "1000");
        Dataset code = sr.newSequence(Tag.ConceptNameCodeSequence).addItem();
        code.setString(Tag.CodeValue, VR.SH, "18748-4");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "LN");
        code.setString(Tag.CodeMeaning, VR.LO, "Diagnostic Imaging Report");
        Sequence content = sr.newSequence(Tag.ContentSequence);
        Dataset mod = content.addItem();
        mod.setString(Tag.RelationshipType, VR.CS, "HAS CONCEPT MOD");
        mod.setString(Tag.ValueType, VR.CS, "CODE");
        Dataset other = content.addItem();
        other.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        other.setString(Tag.ValueType, VR.CS, "TEXT");
        Dataset pr = MediaTestData.dataset("P", 1, 2, 1, 0);
        pr.setString(Tag.SOPClassUID, VR.UI, UID.GrayscaleSoftcopyPresentationStateStorage);
        pr.setString(Tag.Modality, VR.CS, "PR");
        pr.setString(Tag.ContentLabel, VR.CS, "LABEL");
        pr.setString(Tag.PresentationCreationDate, VR.DA, "20240102");
        pr.setString(Tag.PresentationCreationTime, VR.TM, "1000");
        List<FileSetEntry> e = FileSetLayout.assign(List.of(MediaTestData.part10(sr), MediaTestData.part10(pr)));
        DicomFile dir = new DicomDirWriter().build("X", e);
        DicomFile back = new DicomReader().read(MediaTestData.bytes(dir));
        Sequence seq = back.dataset().getSequence(Tag.DirectoryRecordSequence);
        assertEquals(List.of("PATIENT", "STUDY", "SERIES", "SR DOCUMENT", "SERIES", "PRESENTATION"),
                DicomDir.parse(back).records().stream().map(DirectoryRecord::type).toList());
        Dataset srRec = seq.get(3);
        assertEquals("COMPLETE", srRec.getString(Tag.CompletionFlag));
        assertEquals(1, srRec.getSequence(Tag.ContentSequence).size(), "only HAS CONCEPT MOD items");
        assertEquals("18748-4", srRec.getSequence(Tag.ConceptNameCodeSequence).get(0).getString(Tag.CodeValue));
        Dataset prRec = seq.get(5);
        assertEquals("LABEL", prRec.getString(Tag.ContentLabel));
        assertTrue(prRec.contains(Tag.ContentDescription) && prRec.contains(Tag.ContentCreatorName));
    }

    @Test
    void refusesDuplicatesAndBadFileSetIds() {
        List<FileSetEntry> e = FileSetLayout.assign(List.of(MediaTestData.instance("P", 1, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> new DicomDirWriter().build("lower", e));
        assertThrows(IllegalArgumentException.class, () -> new DicomDirWriter().build("ABCDEFGHIJKLMNOPQ", e));
        DicomFile f = MediaTestData.instance("P", 1, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> new DicomDirWriter().build("X",
                List.of(new FileSetEntry(List.of("A"), f), new FileSetEntry(List.of("B"), f))));
        assertThrows(IllegalArgumentException.class, () -> new DicomDirWriter().build("X",
                List.of(new FileSetEntry(List.of("A"), f), new FileSetEntry(List.of("A"),
                        MediaTestData.instance("P", 1, 1, 2)))));
    }

    @Test
    void anEmptyFileSetHasZeroRootOffsets() throws IOException {
        DicomFile dir = new DicomDirWriter().build("EMPTY", List.of());
        DicomFile back = new DicomReader().read(MediaTestData.bytes(dir));
        assertEquals(0, back.dataset().getInt(Tag.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, -1));
        assertTrue(DicomDir.parse(back).records().isEmpty());
    }
}
