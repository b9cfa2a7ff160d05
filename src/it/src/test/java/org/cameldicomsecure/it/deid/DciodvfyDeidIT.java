package org.cameldicomsecure.it.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.cameldicomsecure.deid.DeidentificationOptions;
import org.cameldicomsecure.deid.DeidentificationResult;
import org.cameldicomsecure.deid.Deidentifier;
import org.cameldicomsecure.deid.LongitudinalTemporal;
import org.cameldicomsecure.deid.PixelMask;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.ItUids;
import org.cameldicomsecure.it.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * De-identified CT and SR instances checked by dicom3tools' {@code dciodvfy}: de-identification (Basic Profile, and
 * with Options) must not add an error that the original instance does not have.
 */
class DciodvfyDeidIT {

    private static final byte[] SECRET = "dciodvfy-deid-it-secret-01234567".getBytes(StandardCharsets.US_ASCII);

    private static Peers peers;
    private static Path dciodvfy;

    @TempDir
    Path tmp;

    @BeforeAll
    static void peers() throws Exception {
        dciodvfy = Peers.require("dciodvfy", "dicom3tools");
        peers = Peers.forTest(DciodvfyDeidIT.class);
    }

    @Test
    void basicProfileAddsNoError() throws Exception {
        check("basic", DeidentificationOptions.builder());
    }

    @Test
    void optionsAddNoError() throws Exception {
        check("options", DeidentificationOptions.builder().retainDeviceIdentity(true).retainPatientCharacteristics(true)
                .retainInstitutionIdentity(true).cleanDescriptors(true)
                .retainLongitudinalTemporal(LongitudinalTemporal.MODIFIED).cleanPixelData(true)
                .pixelMasks(List.of(new PixelMask("CT", null, 64, 64, List.of(new PixelMask.Rect(0, 0, 64, 8))))));
    }

    @Test
    void retainUidsAndFullDatesAddNoError() throws Exception {
        check("retain", DeidentificationOptions.builder().retainUids(true).retainSafePrivate(true)
                .retainLongitudinalTemporal(LongitudinalTemporal.FULL));
    }

    /** The comparison means something only if dciodvfy's errors are seen: a CT without Rows must have some. */
    @Test
    void errorsOfABrokenInstanceAreSeen() throws Exception {
        DicomFile broken = ct();
        broken.dataset().remove(Tag.Rows);
        Path p = tmp.resolve("broken.dcm");
        new DicomWriter().write(broken, p);
        assertTrue(!errors("broken", p).isEmpty(), "dciodvfy reports no error for a CT image without Rows");
    }

    /**
     * The Basic Profile replaces the Content Sequence (D) by one stand-in item, empties or dummies the Type 1/2 SR
     * attributes and applies the nested Types of the Referenced Request Sequence: the SR must stay as valid as it was
     * (PS3.3 C.17.3 content item structure, A.35 relationship constraints).
     */
    @Test
    void basicProfileKeepsComprehensiveSrValid() throws Exception {
        DicomFile in = sr(UID.ComprehensiveSRStorage);
        check("comprehensive-sr", DeidentificationOptions.builder(), in, 0, SR_TABLE_CONFLICT);
    }

    @Test
    void basicProfileKeepsBasicTextSrValid() throws Exception {
        DicomFile in = sr(UID.BasicTextSRStorage);
        check("basic-text-sr", DeidentificationOptions.builder(), in, 0, SR_TABLE_CONFLICT);
    }

    /**
     * The one error the Basic Profile adds to an SR, and which no de-identifier can avoid while following Table E.1-1:
     * Requested Procedure ID (0040,1001) is X there (a single action, not a combined one that a Type could resolve),
     * but Type 2 in the Referenced Request Macro (PS3.3 C.17.2.8). A conflict inside the standard, documented in
     * deid-rules.md; Orthanc removes it too.
     */
    private static final Set<String> SR_TABLE_CONFLICT = Set.of(
            "Error - Missing attribute Type 2 Required Element=<RequestedProcedureID> Module=<SRDocumentGeneral>");

    /**
     * The SR comparison means something only if dciodvfy checks content items: a nested content item without its
     * Relationship Type and value (what a stand-in item that keeps only listed attributes looks like) is an error.
     */
    @Test
    void errorsOfABrokenSrAreSeen() throws Exception {
        DicomFile broken = sr(UID.ComprehensiveSRStorage);
        Dataset text = broken.dataset().getSequence(Tag.ContentSequence).get(0).getSequence(Tag.ContentSequence).get(0);
        text.remove(Tag.RelationshipType);
        text.remove(Tag.TextValue);
        Path p = tmp.resolve("broken-sr.dcm");
        new DicomWriter().write(broken, p);
        Set<String> good = errors("good-sr", write(sr(UID.ComprehensiveSRStorage), "good-sr.dcm"));
        Set<String> bad = errors("broken-sr", p);
        bad.removeAll(good);
        assertTrue(!bad.isEmpty(), "dciodvfy reports no error for a content item without Value Type");
    }

    private Path write(DicomFile f, String name) throws Exception {
        Path p = tmp.resolve(name);
        new DicomWriter().write(f, p);
        return p;
    }

    private void check(String name, DeidentificationOptions.Builder options) throws Exception {
        check(name, options, ct(), 64 * 64 * 2, Set.of());
    }

    /** {@code expectedAdded}: the errors de-identification is known to add (exactly these, no other). */
    private void check(String name, DeidentificationOptions.Builder options, DicomFile in, long minSize,
            Set<String> expectedAdded) throws Exception {
        Path before = tmp.resolve(name + "-original.dcm");
        new DicomWriter().write(in, before);
        DeidentificationResult r = new Deidentifier(options.uidSecret(SECRET).build()).deidentify(in);
        Path after = tmp.resolve(name + "-deidentified.dcm");
        new DicomWriter().write(r.file(), after);
        Set<String> original = errors(name + "-original", before);
        Set<String> added = errors(name + "-deidentified", after);
        added.removeAll(original);
        assertEquals(expectedAdded, added, "errors that de-identification added (logs in " + peers.logDir() + ")");
        assertTrue(Files.size(after) > minSize);
    }

    private Set<String> errors(String label, Path file) throws Exception {
        Peers.Result res = peers.run("dciodvfy-" + label, tmp, Peers.cmd(dciodvfy.toString(), file.toString()));
        Set<String> out = new LinkedHashSet<>();
        for (String line : (res.out() + "\n" + res.err()).split("\n")) {
            if (line.startsWith("Error")) {
                out.add(line.trim());
            }
        }
        return out;
    }

    /**
     * An SR (PS3.3 A.35.1 Basic Text or A.35.3 Comprehensive) with the mandatory modules: a CONTAINER root whose first
     * child is a CONTAINER section with TEXT and CODE items, then PNAME and DATE observation context, a Verifying
     * Observer Sequence (VERIFIED), a Referenced Request Sequence and the evidence referencing the CT.
     */
    private static DicomFile sr(String sopClass) {
        String study = ItUids.fromName("deid-it-study");
        String sop = ItUids.fromName("deid-it-sr-sop-" + sopClass);
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.InstanceCreationDate, VR.DA, "20240103");
        ds.setString(Tag.InstanceCreationTime, VR.TM, "120500");
        ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.ContentDate, VR.DA, "20240103");
        ds.setString(Tag.StudyTime, VR.TM, "101010");
        ds.setString(Tag.ContentTime, VR.TM, "120000");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC123456");
        ds.setString(Tag.Modality, VR.CS, "SR");
        ds.setString(Tag.Manufacturer, VR.LO, "ACME Reporting");
        ds.setString(Tag.InstitutionName, VR.LO, "General Hospital");
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "Welby^Marcus");
        ds.setString(Tag.StudyDescription, VR.LO, "CT HEAD WITHOUT CONTRAST");
        ds.setString(Tag.SeriesDescription, VR.LO, "Report of Doe");
        Dataset pps = ds.newSequence(Tag.ReferencedPerformedProcedureStepSequence).addItem();
        pps.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.3.1.2.3.3");
        pps.setString(Tag.ReferencedSOPInstanceUID, VR.UI, ItUids.fromName("deid-it-pps"));
        ds.setString(Tag.PatientName, VR.PN, "Doe^John");
        ds.setString(Tag.PatientID, VR.LO, "PID-0001");
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "M");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, ItUids.fromName("deid-it-sr-series-" + sopClass));
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setString(Tag.SeriesNumber, VR.IS, "2");
        ds.setString(Tag.InstanceNumber, VR.IS, "1");
        ds.setString(Tag.ValueType, VR.CS, "CONTAINER");
        code(ds.newSequence(Tag.ConceptNameCodeSequence).addItem(), "18748-4", "LN", "Diagnostic Imaging Report");
        ds.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        Dataset verifying = ds.newSequence(Tag.VerifyingObserverSequence).addItem();
        verifying.setString(Tag.VerifyingOrganization, VR.LO, "General Hospital");
        verifying.setString(Tag.VerificationDateTime, VR.DT, "20240103120000");
        verifying.setString(Tag.VerifyingObserverName, VR.PN, "Reader^Rob");
        code(verifying.newSequence(Tag.VerifyingObserverIdentificationCodeSequence).addItem(), "RR01", "LOCAL",
                "Reader Rob");
        Dataset request = ds.newSequence(Tag.ReferencedRequestSequence).addItem();
        request.setString(Tag.AccessionNumber, VR.SH, "ACC123456");
        Dataset refStudy = request.newSequence(Tag.ReferencedStudySequence).addItem();
        refStudy.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.3.1.2.3.1");
        refStudy.setString(Tag.ReferencedSOPInstanceUID, VR.UI, study);
        request.setString(Tag.StudyInstanceUID, VR.UI, study);
        request.setString(Tag.RequestedProcedureDescription, VR.LO, "CT head John Doe");
        request.newSequence(Tag.RequestedProcedureCodeSequence);
        request.setString(Tag.RequestedProcedureID, VR.SH, "RP-77");
        request.setString(Tag.PlacerOrderNumberImagingServiceRequest, VR.LO, "PO-1");
        request.setString(Tag.FillerOrderNumberImagingServiceRequest, VR.LO, "FO-1");
        ds.newSequence(Tag.PerformedProcedureCodeSequence);
        Dataset evidence = ds.newSequence(Tag.CurrentRequestedProcedureEvidenceSequence).addItem();
        evidence.setString(Tag.StudyInstanceUID, VR.UI, study);
        Dataset series = evidence.newSequence(Tag.ReferencedSeriesSequence).addItem();
        series.setString(Tag.SeriesInstanceUID, VR.UI, ItUids.fromName("deid-it-series"));
        Dataset ref = series.newSequence(Tag.ReferencedSOPSequence).addItem();
        ref.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
        ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, ItUids.fromName("deid-it-sop"));
        ds.setString(Tag.CompletionFlag, VR.CS, "COMPLETE");
        ds.setString(Tag.VerificationFlag, VR.CS, "VERIFIED");
        Sequence content = ds.newSequence(Tag.ContentSequence);
        Dataset section = content.addItem();
        section.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        section.setString(Tag.ValueType, VR.CS, "CONTAINER");
        code(section.newSequence(Tag.ConceptNameCodeSequence).addItem(), "121070", "DCM", "Findings");
        section.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        Sequence findings = section.newSequence(Tag.ContentSequence);
        Dataset text = findings.addItem();
        text.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        text.setString(Tag.ValueType, VR.CS, "TEXT");
        code(text.newSequence(Tag.ConceptNameCodeSequence).addItem(), "121071", "DCM", "Finding");
        text.setString(Tag.ObservationDateTime, VR.DT, "20240103115500");
        text.setString(Tag.TextValue, VR.UT, "John Doe: no acute intracranial abnormality");
        Dataset coded = findings.addItem();
        coded.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        coded.setString(Tag.ValueType, VR.CS, "CODE");
        code(coded.newSequence(Tag.ConceptNameCodeSequence).addItem(), "121071", "DCM", "Finding");
        code(coded.newSequence(Tag.ConceptCodeSequence).addItem(), "17621005", "SCT", "Normal");
        Dataset observer = content.addItem();
        observer.setString(Tag.RelationshipType, VR.CS, "HAS OBS CONTEXT");
        observer.setString(Tag.ValueType, VR.CS, "PNAME");
        code(observer.newSequence(Tag.ConceptNameCodeSequence).addItem(), "121008", "DCM", "Person Observer Name");
        observer.setString(Tag.PersonName, VR.PN, "Reader^Rob");
        Dataset date = content.addItem();
        date.setString(Tag.RelationshipType, VR.CS, "HAS OBS CONTEXT");
        date.setString(Tag.ValueType, VR.CS, "DATE");
        code(date.newSequence(Tag.ConceptNameCodeSequence).addItem(), "111060", "DCM", "Study Date");
        date.setString(Tag.Date, VR.DA, "20240102");
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClass);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sop);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        meta.setString(Tag.ImplementationClassUID, VR.UI, ItUids.IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, ItUids.IMPLEMENTATION_VERSION_NAME);
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static void code(Dataset item, String value, String scheme, String meaning) {
        item.setString(Tag.CodeValue, VR.SH, value);
        item.setString(Tag.CodingSchemeDesignator, VR.SH, scheme);
        item.setString(Tag.CodeMeaning, VR.LO, meaning);
    }

    /** A CT Image (PS3.3 A.3) with the mandatory modules and the identifying attributes a scanner writes. */
    private static DicomFile ct() {
        String study = ItUids.fromName("deid-it-study");
        String series = ItUids.fromName("deid-it-series");
        String sop = ItUids.fromName("deid-it-sop");
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.setString(Tag.InstanceCreationDate, VR.DA, "20240102");
        ds.setString(Tag.InstanceCreationTime, VR.TM, "101500");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.SeriesDate, VR.DA, "20240102");
        ds.setString(Tag.AcquisitionDate, VR.DA, "20240102");
        ds.setString(Tag.ContentDate, VR.DA, "20240102");
        ds.setString(Tag.StudyTime, VR.TM, "101010");
        ds.setString(Tag.SeriesTime, VR.TM, "101020");
        ds.setString(Tag.AcquisitionTime, VR.TM, "101030");
        ds.setString(Tag.ContentTime, VR.TM, "101040");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC123456");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.Manufacturer, VR.LO, "ACME Medical");
        ds.setString(Tag.InstitutionName, VR.LO, "General Hospital");
        ds.setString(Tag.InstitutionAddress, VR.ST, "1 Main Street, Springfield");
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "Welby^Marcus");
        ds.setString(Tag.StationName, VR.SH, "CTSCANNER1");
        ds.setString(Tag.StudyDescription, VR.LO, "CT HEAD WITHOUT CONTRAST");
        ds.setString(Tag.SeriesDescription, VR.LO, "AXIAL 5MM Doe");
        ds.setString(Tag.OperatorsName, VR.PN, "Tech^Terry");
        ds.setString(Tag.ManufacturerModelName, VR.LO, "Scanner 3000");
        ds.setString(Tag.PatientName, VR.PN, "Doe^John");
        ds.setString(Tag.PatientID, VR.LO, "PID-0001");
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "M");
        ds.setString(Tag.PatientAge, VR.AS, "054Y");
        ds.setString(Tag.PatientWeight, VR.DS, "80");
        ds.setString(Tag.BodyPartExamined, VR.CS, "HEAD");
        ds.setString(Tag.SliceThickness, VR.DS, "5");
        ds.setString(Tag.KVP, VR.DS, "120");
        ds.setString(Tag.DeviceSerialNumber, VR.LO, "SN-998877");
        ds.setString(Tag.SoftwareVersions, VR.LO, "1.0");
        ds.setString(Tag.ProtocolName, VR.LO, "HEAD ROUTINE");
        ds.setString(Tag.PatientPosition, VR.CS, "HFS");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setString(Tag.SeriesNumber, VR.IS, "1");
        ds.setString(Tag.AcquisitionNumber, VR.IS, "1");
        ds.setString(Tag.InstanceNumber, VR.IS, "1");
        ds.setString(Tag.ImagePositionPatient, VR.DS, "0", "0", "0");
        ds.setString(Tag.ImageOrientationPatient, VR.DS, "1", "0", "0", "0", "1", "0");
        ds.setString(Tag.FrameOfReferenceUID, VR.UI, ItUids.fromName("deid-it-for"));
        ds.setString(Tag.PositionReferenceIndicator, VR.LO, "");
        ds.setString(Tag.SliceLocation, VR.DS, "0");
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 64);
        ds.setInt(Tag.Columns, VR.US, 64);
        ds.setString(Tag.PixelSpacing, VR.DS, "0.5", "0.5");
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setString(Tag.BurnedInAnnotation, VR.CS, "NO");
        ds.setString(Tag.WindowCenter, VR.DS, "40");
        ds.setString(Tag.WindowWidth, VR.DS, "80");
        ds.setString(Tag.RescaleIntercept, VR.DS, "-1024");
        ds.setString(Tag.RescaleSlope, VR.DS, "1");
        ds.setString(0x00090010, VR.LO, "ACME PRIVATE");
        ds.setString(0x00091001, VR.LO, "Doe^John");
        byte[] px = new byte[64 * 64 * 2];
        for (int i = 0; i < px.length; i += 2) {
            px[i] = (byte) i;
            px[i + 1] = (byte) ((i >> 8) & 0x0F);
        }
        ds.setBytes(Tag.PixelData, VR.OW, px);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.CTImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sop);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        meta.setString(Tag.ImplementationClassUID, VR.UI, ItUids.IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, ItUids.IMPLEMENTATION_VERSION_NAME);
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }
}
