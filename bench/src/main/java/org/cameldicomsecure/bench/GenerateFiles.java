package org.cameldicomsecure.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;

/**
 * Writes the benchmark instances with our {@link DicomWriter}: {@code ct.dcm}, {@code metadata.dcm} (see
 * {@link BenchData}) and {@code tiny.dcm}, a 5-element file whose conversion time is DCMTK's process start-up
 * (run-vs-dcmtk.sh subtracts it). Prints one line per file: name, size in bytes, number of elements.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.cameldicomsecure.bench.GenerateFiles DIR}
 */
public final class GenerateFiles {

    private GenerateFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: GenerateFiles DIR");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        for (BenchData.Kind kind : BenchData.Kind.values()) {
            print(dir, kind.fileName(), BenchData.create(kind));
        }
        print(dir, "tiny.dcm", tiny());
    }

    /** Writes every file into {@code dir}, replacing them. */
    public static void write(Path dir) throws IOException {
        DicomWriter writer = new DicomWriter();
        for (BenchData.Kind kind : BenchData.Kind.values()) {
            writer.write(BenchData.create(kind), dir.resolve(kind.fileName()));
        }
        writer.write(tiny(), dir.resolve("tiny.dcm"));
    }

    private static void print(Path dir, String name, DicomFile file) throws IOException {
        Path p = dir.resolve(name);
        new DicomWriter().write(file, p);
        System.out.printf("%s %d %d%n", name, Files.size(p), BenchData.countElements(file.dataset()));
    }

    static DicomFile tiny() {
        Dataset ds = new Dataset(false);
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.31415926535897932384626433832795.3");
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.PatientID, VR.LO, "BENCH-0000");
        ds.setString(Tag.StudyInstanceUID, VR.UI, "2.25.31415926535897932384626433832795.1");
        Dataset meta = new Dataset(false);
        meta.setInt(Tag.FileMetaInformationGroupLength, VR.UL, 0);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.31415926535897932384626433832795.9");
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }
}
