package org.cameldicomsecure.bench.deid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cameldicomsecure.bench.BenchData;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;

/**
 * Writes the inputs of the de-identification benchmark (run-deid-vs-orthanc.sh) with our {@link DicomWriter}, PS3.10
 * Explicit VR Little Endian, synthetic and the same on every run (no clock, no random):
 * <ul>
 * <li>{@code ct-00000.dcm} ...: N CT images, the bench CT instance ({@link BenchData.Kind#CT}: 512 x 512 x 16-bit
 * pixel data, about 120 elements with patient, study, equipment and institution data, UIDs in sequences) plus a set
 * of identifying attributes that PS3.15 Table E.1-1 removes or replaces (other patient IDs and names, address,
 * physicians, comments, a person name in the request sequence) and one private block. One patient and one study per
 * {@value #CT_PER_STUDY} instances, one series per study, a SOP Instance UID per file;</li>
 * <li>{@code mf-00000.dcm} ...: M multi-frame instances of about 50 MB (Multi-frame Grayscale Word Secondary Capture,
 * the same header, FRAMES frames of 512 x 512 x 16 bit; default 96 frames = 50,331,648 bytes of pixel data), one
 * study.</li>
 * </ul>
 * All files of a kind have the same size (fixed-width numbering). Prints {@code ct COUNT BYTES-PER-FILE} and
 * {@code mf COUNT BYTES-PER-FILE}.
 *
 * <p>Usage: {@code GenerateDeidInstances DIR N M [FRAMES]}
 */
public final class GenerateDeidInstances {

    /** CT instances per patient/study. */
    static final int CT_PER_STUDY = 100;
    /** Default frames of a multi-frame instance: 96 x 512 KiB = 50,331,648 bytes. */
    static final int DEFAULT_FRAMES = 96;

    private static final String ROOT = "2.25.31415926535897932384626433832795";
    private static final int PRIVATE_CREATOR = 0x00190010;

    private GenerateDeidInstances() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: GenerateDeidInstances DIR N M [FRAMES]");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        int n = Integer.parseInt(args[1]);
        int m = Integer.parseInt(args[2]);
        int frames = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_FRAMES;
        DicomWriter writer = new DicomWriter();

        DicomFile ct = BenchData.create(BenchData.Kind.CT);
        addIdentifyingAttributes(ct.dataset());
        long ctSize = -1;
        for (int i = 0; i < n; i++) {
            identify(ct, "1", i / CT_PER_STUDY, i);
            ctSize = write(writer, ct, dir.resolve(String.format("ct-%05d.dcm", i)), ctSize);
        }
        System.out.printf("ct %d %d%n", n, Math.max(ctSize, 0));

        long mfSize = -1;
        if (m > 0) {
            DicomFile mf = multiFrame(frames);
            for (int i = 0; i < m; i++) {
                identify(mf, "2", 0, i);
                // the files differ in their pixels too: one marker value per frame
                byte[] pixels = mf.dataset().getBytes(Tag.PixelData);
                for (int f = 0; f < frames; f++) {
                    pixels[f * 512 * 512 * 2] = (byte) i;
                }
                mfSize = write(writer, mf, dir.resolve(String.format("mf-%05d.dcm", i)), mfSize);
            }
        }
        System.out.printf("mf %d %d%n", m, Math.max(mfSize, 0));
    }

    private static long write(DicomWriter writer, DicomFile file, Path path, long expected) throws IOException {
        writer.write(file, path);
        long s = Files.size(path);
        if (expected >= 0 && s != expected) {
            throw new IllegalStateException("file sizes differ: " + s + " and " + expected + " (" + path + ")");
        }
        return s;
    }

    /** Patient, study, series and instance identity of file {@code index} of study {@code study} of a kind. */
    private static void identify(DicomFile file, String kind, int study, int index) {
        Dataset ds = file.dataset();
        String studyUid = String.format("%s.%s.%05d", ROOT, kind, study);
        String sop = String.format("%s.%05d.%05d", studyUid, 1, index);
        ds.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, studyUid + ".00001");
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.FrameOfReferenceUID, VR.UI, studyUid + ".00004");
        file.fileMeta().setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.PatientID, VR.LO, String.format("BENCH-%s-%05d", kind, study));
        ds.setString(Tag.PatientName, VR.PN, String.format("Synthetic^Patient%s%05d", kind, study));
        ds.setString(Tag.AccessionNumber, VR.SH, String.format("A%s%05d", kind, study));
        ds.setString(Tag.InstanceNumber, VR.IS, String.format("%05d", index + 1));
    }

    /** Attributes Table E.1-1 acts on that the bench CT lacks, and a private block (removed by default). */
    private static void addIdentifyingAttributes(Dataset ds) {
        ds.setString(Tag.IssuerOfPatientID, VR.LO, "BENCH HOSPITAL");
        ds.setString(Tag.PatientBirthTime, VR.TM, "083000");
        ds.setString(Tag.OtherPatientIDs, VR.LO, "OTHER-1", "OTHER-2");
        ds.setString(Tag.OtherPatientNames, VR.PN, "Synthetic^Alias");
        ds.setString(Tag.PatientAddress, VR.LO, "2 Example Road, Exampletown");
        ds.setString(Tag.PatientMotherBirthName, VR.PN, "Synthetic^Mother");
        ds.setString(Tag.PatientTelephoneNumbers, VR.SH, "+00 000 0000");
        ds.setString(Tag.EthnicGroup, VR.SH, "NONE");
        ds.setString(Tag.Occupation, VR.SH, "BENCHMARK");
        ds.setString(Tag.AdditionalPatientHistory, VR.LT, "Synthetic history, no real patient.");
        ds.setString(Tag.PatientComments, VR.LT, "Synthetic comments.");
        ds.setString(Tag.RequestingPhysician, VR.PN, "Requester^Bench");
        ds.setString(Tag.StudyComments, VR.LT, "Synthetic study comments.");
        ds.setString(Tag.ImageComments, VR.LT, "Synthetic image comments.");
        ds.setString(Tag.DerivationDescription, VR.ST, "none");
        ds.setString(Tag.AcquisitionDateTime, VR.DT, "20240102101530.250000");
        ds.setString(PRIVATE_CREATOR, VR.LO, "CDS BENCH PRIVATE");
        ds.setString(0x00191001, VR.LO, "private identifying text");
        ds.setString(0x00191002, VR.DS, "42.5");
        ds.setString(0x00191003, VR.SH, "BENCH01");
    }

    /** The CT header as a Multi-frame Grayscale Word SC instance of {@code frames} 512 x 512 x 16-bit frames. */
    private static DicomFile multiFrame(int frames) {
        DicomFile f = BenchData.create(BenchData.Kind.CT);
        Dataset ds = f.dataset();
        addIdentifyingAttributes(ds);
        ds.setString(Tag.SOPClassUID, VR.UI, UID.MultiFrameGrayscaleWordSecondaryCaptureImageStorage);
        f.fileMeta().setString(Tag.MediaStorageSOPClassUID, VR.UI,
                UID.MultiFrameGrayscaleWordSecondaryCaptureImageStorage);
        ds.setString(Tag.ConversionType, VR.CS, "WSD");
        ds.setString(Tag.NumberOfFrames, VR.IS, Integer.toString(frames));
        // Frame Increment Pointer -> Frame Time (0018,1063); AT is group then element, each little endian
        ds.setBytes(Tag.FrameIncrementPointer, VR.AT, new byte[] {0x18, 0x00, 0x63, 0x10});
        ds.setString(Tag.FrameTime, VR.DS, "40");
        byte[] frame = ds.getBytes(Tag.PixelData);
        byte[] pixels = new byte[frame.length * frames];
        for (int i = 0; i < frames; i++) {
            System.arraycopy(frame, 0, pixels, i * frame.length, frame.length);
            pixels[i * frame.length + 1] = (byte) i;
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return f;
    }
}
