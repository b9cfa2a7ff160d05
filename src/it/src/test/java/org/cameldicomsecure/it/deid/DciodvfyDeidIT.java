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
 * De-identified CT instances checked by dicom3tools' {@code dciodvfy}: de-identification (Basic Profile, and with
 * Options) must not add an error that the original instance does not have.
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

    private void check(String name, DeidentificationOptions.Builder options) throws Exception {
        DicomFile in = ct();
        Path before = tmp.resolve(name + "-original.dcm");
        new DicomWriter().write(in, before);
        DeidentificationResult r = new Deidentifier(options.uidSecret(SECRET).build()).deidentify(in);
        Path after = tmp.resolve(name + "-deidentified.dcm");
        new DicomWriter().write(r.file(), after);
        Set<String> original = errors(name + "-original", before);
        Set<String> added = errors(name + "-deidentified", after);
        added.removeAll(original);
        assertEquals(Set.of(), added, "errors that de-identification added (logs in " + peers.logDir() + ")");
        assertTrue(Files.size(after) > 64 * 64 * 2);
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
