package org.cameldicomsecure.dicom.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.cameldicomsecure.dicom.FileRegion;

/**
 * A temporary file that holds the large values of one data set read from a stream. It is deleted when no
 * {@link FileRegion} of it is reachable any more (through a {@link Cleaner}), or at JVM exit at the latest
 * ({@link TempFiles}).
 */
final class SpillFile {

    private static final Cleaner CLEANER = Cleaner.create();

    private final Path path;
    private long size;

    private SpillFile(Path path) {
        this.path = path;
    }

    static SpillFile create(Path dir) throws IOException {
        Path p = dir == null
                ? Files.createTempFile("dicom-spill-", ".bin")
                : Files.createTempFile(dir, "dicom-spill-", ".bin");
        SpillFile s = new SpillFile(p);
        CLEANER.register(s, TempFiles.register(p));
        return s;
    }

    /** Copies the next {@code len} bytes of {@code in} to the end of this file and returns their region. */
    FileRegion append(DicomInput in, long len) throws IOException {
        long start = size;
        try (OutputStream out = new BufferedOutputStream(
                Files.newOutputStream(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND), 64 * 1024)) {
            in.copyTo(out, len);
        }
        size += len;
        return new FileRegion(path, start, len, this);
    }
}
