package org.cameldicomsecure.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A value too large to be held in the heap: a region of a file or of a buffer that is copied through, not loaded.
 *
 * <p>The bytes are in the byte order of the data set that holds the value. Implementations are immutable.
 */
public interface BulkData {

    /** Length of the value in bytes (at most 0xFFFFFFFE, the largest defined length of PS3.5 §7.1). */
    long length();

    /** A fresh stream over the whole value. */
    InputStream openStream() throws IOException;

    /** Copies the whole value to {@code out}. */
    default void writeTo(OutputStream out) throws IOException {
        try (InputStream in = openStream()) {
            in.transferTo(out);
        }
    }

    /**
     * Loads the value into memory.
     *
     * @throws IOException if the value is larger than {@code Integer.MAX_VALUE - 8} bytes
     */
    default byte[] toByteArray() throws IOException {
        if (length() > Integer.MAX_VALUE - 8) {
            throw new IOException("bulk value of " + length() + " bytes cannot be loaded into one array");
        }
        try (InputStream in = openStream()) {
            return in.readNBytes((int) length());
        }
    }
}
