package org.cameldicomsecure.bench.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cameldicomsecure.bench.BenchData;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;

/**
 * Writes COUNT copies of the benchmark CT instance ({@link BenchData.Kind#CT}: 512 x 512 x 16-bit pixel data, 526,976
 * bytes as a PS3.10 file) with our {@link DicomWriter}, {@code ct-00000.dcm} ..., each with its own SOP Instance UID,
 * and prints {@code COUNT BYTES-PER-FILE}.
 *
 * <p>Usage: {@code GenerateInstances DIR COUNT}
 */
public final class GenerateInstances {

    private GenerateInstances() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: GenerateInstances DIR COUNT");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        DicomFile ct = BenchData.create(BenchData.Kind.CT);
        String base = ct.dataset().getString(Tag.SOPInstanceUID);
        DicomWriter writer = new DicomWriter();
        long size = -1;
        for (int i = 0; i < count; i++) {
            // same length for every file: the suffix has a fixed width
            String uid = base + "." + (10000 + i);
            ct.dataset().setString(Tag.SOPInstanceUID, VR.UI, uid);
            ct.fileMeta().setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
            Path p = dir.resolve(String.format("ct-%05d.dcm", i));
            writer.write(ct, p);
            long s = Files.size(p);
            if (size >= 0 && s != size) {
                throw new IllegalStateException("file sizes differ: " + s + " and " + size);
            }
            size = s;
        }
        System.out.printf("%d %d%n", count, size);
    }
}
