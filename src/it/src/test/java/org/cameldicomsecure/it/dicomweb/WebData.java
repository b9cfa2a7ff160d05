package org.cameldicomsecure.it.dicomweb;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.ItUids;

/**
 * Test studies for the DICOMweb ITs, written by our writer as PS3.10 files (Explicit VR Little Endian, Secondary
 * Capture, 16-bit pseudo-random pixels so that the files differ). Every study has its own PatientID, so QIDO-RS
 * attribute matching can tell them apart.
 */
public final class WebData {

    /** Secondary Capture Image Storage. */
    public static final String SC = "1.2.840.10008.5.1.4.1.1.7";
    public static final String EXPLICIT_LE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();

    private static final DicomWriter WRITER = new DicomWriter();

    /** One written instance: its file, its bytes and its UIDs. */
    public record Instance(Path file, byte[] bytes, String sopInstanceUid, String seriesInstanceUid,
            String studyInstanceUid) {
    }

    /** A study of {@code series.size()} series. */
    public record Study(String studyInstanceUid, String patientId, String patientName, String accession,
            Map<String, List<Instance>> series) {

        public List<Instance> instances() {
            return series.values().stream().flatMap(List::stream).toList();
        }

        public List<Path> files() {
            return instances().stream().map(Instance::file).toList();
        }

        public Instance instance(String sopInstanceUid) {
            return instances().stream().filter(i -> i.sopInstanceUid().equals(sopInstanceUid)).findFirst()
                    .orElseThrow(() -> new AssertionError("no instance " + sopInstanceUid + " in the test study"));
        }
    }

    private WebData() {
    }

    public static String newUid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    /**
     * Writes a study of {@code seriesCount} series of {@code perSeries} instances of {@code size} x {@code size}
     * 16-bit pixels each (512 gives 512 KiB of pixel data) into {@code dir}.
     */
    public static Study study(Path dir, String name, int seriesCount, int perSeries, int size) throws IOException {
        Files.createDirectories(dir);
        String study = newUid();
        String patientId = "DW-" + name + "-" + Integer.toHexString(new Random().nextInt(1 << 24));
        String patientName = "Test^" + name;
        String accession = ("A" + Math.abs(study.hashCode())).substring(0, 8);
        Random random = new Random(name.hashCode());
        Map<String, List<Instance>> series = new LinkedHashMap<>();
        int n = 0;
        for (int s = 0; s < seriesCount; s++) {
            String seriesUid = newUid();
            List<Instance> list = new ArrayList<>();
            for (int i = 0; i < perSeries; i++) {
                n++;
                String uid = newUid();
                Path file = dir.resolve(String.format("%s-%03d.dcm", name, n));
                WRITER.write(instance(uid, study, seriesUid, patientId, patientName, accession, s + 1, n, size,
                        random), file);
                list.add(new Instance(file, Files.readAllBytes(file), uid, seriesUid, study));
            }
            series.put(seriesUid, list);
        }
        return new Study(study, patientId, patientName, accession, series);
    }

    static DicomFile instance(String uid, String study, String series, String patientId, String patientName,
            String accession, int seriesNumber, int number, int size, Random random) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, SC);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, accession);
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.ConversionType, VR.CS, "WSD");
        ds.setString(Tag.PatientName, VR.PN, patientName);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.StudyID, VR.SH, "1");
        ds.setInt(Tag.SeriesNumber, VR.IS, seriesNumber);
        ds.setInt(Tag.InstanceNumber, VR.IS, number);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, size);
        ds.setInt(Tag.Columns, VR.US, size);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[size * size * 2];
        random.nextBytes(pixels);
        for (int i = 1; i < pixels.length; i += 2) {
            pixels[i] &= 0x0F; // 12 bits stored
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, SC);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, EXPLICIT_LE);
        meta.setString(Tag.ImplementationClassUID, VR.UI, ItUids.IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, ItUids.IMPLEMENTATION_VERSION_NAME);
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }
}
