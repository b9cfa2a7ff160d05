package org.cameldicomsecure.it;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.cameldicomsecure.dicom.io.DicomWriter;

/**
 * The child JVM of {@link LargeObjectIT}: reads a PS3.10 file (from its path, or as a stream), sets Patient ID and
 * writes the result to a new file. Run with a small heap, it shows that neither path loads the pixel data.
 *
 * <p>Arguments: {@code path|stream} input output newPatientId spillDirectory. Prints {@code key=value} lines.
 */
public final class LargeObjectRewrite {

    private LargeObjectRewrite() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: path|stream input output newPatientId spillDirectory");
            System.exit(2);
        }
        String mode = args[0];
        Path in = Paths.get(args[1]);
        Path out = Paths.get(args[2]);
        DicomReader reader = new DicomReader(DicomReaderOptions.DEFAULT.withSpillDirectory(Paths.get(args[4])));
        long start = System.nanoTime();
        DicomFile f;
        if (mode.equals("stream")) {
            try (InputStream s = new BufferedInputStream(Files.newInputStream(in), 1 << 16)) {
                f = reader.read(s);
            }
        } else if (mode.equals("path")) {
            f = reader.read(in);
        } else {
            throw new IllegalArgumentException("mode must be path or stream: " + mode);
        }
        long read = System.nanoTime();
        f.dataset().setString(Tag.PatientID, VR.LO, args[3]);
        new DicomWriter().write(f, out);
        long written = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        System.out.println("maxHeap=" + rt.maxMemory());
        System.out.println("usedHeap=" + (rt.totalMemory() - rt.freeMemory()));
        System.out.println("pixelDataValue=" + f.dataset().value(Tag.PixelData).getClass().getSimpleName());
        System.out.println("readMillis=" + (read - start) / 1_000_000);
        System.out.println("writeMillis=" + (written - read) / 1_000_000);
    }
}
