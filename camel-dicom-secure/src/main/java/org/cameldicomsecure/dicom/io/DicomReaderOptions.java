package org.cameldicomsecure.dicom.io;

import java.nio.file.Path;

/**
 * Limits and choices for {@link DicomReader}.
 *
 * @param bulkDataThreshold values longer than this many bytes are not loaded into the heap: read from a file they stay
 *                          regions of that file, read from a stream they are spilled to a temporary file
 * @param maxNestingDepth   sequences nested deeper than this are rejected (protects the stack)
 * @param spillDirectory    where spill files go; {@code null} for the JVM's temporary directory
 */
public record DicomReaderOptions(int bulkDataThreshold, int maxNestingDepth, Path spillDirectory) {

    /** 1 MiB bulk-data threshold, 64 levels of nesting, spill files in {@code java.io.tmpdir}. */
    public static final DicomReaderOptions DEFAULT = new DicomReaderOptions(1 << 20, 64, null);

    public DicomReaderOptions {
        if (bulkDataThreshold < 0) {
            throw new IllegalArgumentException("bulkDataThreshold must not be negative: " + bulkDataThreshold);
        }
        if (maxNestingDepth < 1) {
            throw new IllegalArgumentException("maxNestingDepth must be at least 1: " + maxNestingDepth);
        }
    }

    public DicomReaderOptions withBulkDataThreshold(int threshold) {
        return new DicomReaderOptions(threshold, maxNestingDepth, spillDirectory);
    }

    public DicomReaderOptions withMaxNestingDepth(int depth) {
        return new DicomReaderOptions(bulkDataThreshold, depth, spillDirectory);
    }

    public DicomReaderOptions withSpillDirectory(Path dir) {
        return new DicomReaderOptions(bulkDataThreshold, maxNestingDepth, dir);
    }
}
