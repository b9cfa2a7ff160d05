package org.cameldicomsecure.web.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cameldicomsecure.dicom.DicomFile;

/**
 * One validated instance of a STOW-RS request: the part's bytes exactly as received (in memory up to the
 * part-memory threshold, else in a temporary file) and the parsed {@link DicomFile} (its large values are slices of
 * those bytes or regions of that file).
 *
 * <p>Lifetime: the server closes the instance when the handler's stage completes, which deletes the temporary file;
 * {@link #file()} and {@link #openStream()} must not be used after that. A handler that needs the file longer calls
 * {@link #detach()} and becomes the owner of the file (it must delete or move it; it is still deleted at JVM exit).
 */
public final class StowInstance implements AutoCloseable {

    private final int partNumber;
    private final DicomFile file;
    private final byte[] bytes;
    private final Path path;
    private final Runnable deleter;
    private final long length;
    private final String sopClassUid;
    private final String sopInstanceUid;
    private final String studyInstanceUid;
    private final String seriesInstanceUid;
    private final String transferSyntaxUid;
    private volatile boolean detached;
    private volatile boolean closed;

    StowInstance(int partNumber, DicomFile file, byte[] bytes, Path path, Runnable deleter, long length,
            String sopClassUid, String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid,
            String transferSyntaxUid) {
        this.partNumber = partNumber;
        this.file = file;
        this.bytes = bytes;
        this.path = path;
        this.deleter = deleter;
        this.length = length;
        this.sopClassUid = sopClassUid;
        this.sopInstanceUid = sopInstanceUid;
        this.studyInstanceUid = studyInstanceUid;
        this.seriesInstanceUid = seriesInstanceUid;
        this.transferSyntaxUid = transferSyntaxUid;
    }

    /** The part's position in the request, from 1. */
    public int partNumber() {
        return partNumber;
    }

    /** The parsed instance. */
    public DicomFile file() {
        checkOpen();
        return file;
    }

    public String sopClassUid() {
        return sopClassUid;
    }

    public String sopInstanceUid() {
        return sopInstanceUid;
    }

    public String studyInstanceUid() {
        return studyInstanceUid;
    }

    public String seriesInstanceUid() {
        return seriesInstanceUid;
    }

    public String transferSyntaxUid() {
        return transferSyntaxUid;
    }

    /** The part's length in bytes (the PS3.10 file as received). */
    public long length() {
        return length;
    }

    /** True when the bytes are held in memory (no temporary file). */
    public boolean inMemory() {
        return path == null;
    }

    /** The temporary file, or null when the instance is held in memory. */
    public Path path() {
        return path;
    }

    /** The part's bytes exactly as received. */
    public InputStream openStream() throws IOException {
        checkOpen();
        return path == null ? new ByteArrayInputStream(bytes) : Files.newInputStream(path);
    }

    /** The part's bytes as an array (read from the temporary file when spilled). */
    public byte[] bytes() throws IOException {
        checkOpen();
        return path == null ? bytes.clone() : Files.readAllBytes(path);
    }

    /**
     * Keeps the temporary file after {@link #close()}: the caller owns it from now on. Returns its path, or null for
     * an in-memory instance (nothing to keep: {@link #file()} stays usable as long as it is referenced).
     */
    public Path detach() {
        detached = true;
        return path;
    }

    public boolean detached() {
        return detached;
    }

    /** Deletes the temporary file unless detached. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!detached && deleter != null) {
            deleter.run();
        }
    }

    private void checkOpen() {
        if (closed && !detached && path != null) {
            throw new IllegalStateException("instance of part " + partNumber + " was closed: its file is deleted");
        }
    }

    @Override
    public String toString() {
        return "StowInstance[part " + partNumber + ", " + sopInstanceUid + ", " + length + " bytes"
                + (path == null ? ", in memory" : ", spilled") + "]";
    }
}
