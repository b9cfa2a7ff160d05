package org.cameldicomsecure.web.client;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.cameldicomsecure.web.InstanceSource;

/**
 * One instance of a WADO-RS response, exactly the bytes of its part, held in a temporary file.
 *
 * <p><b>Deleting.</b> {@link #close()} deletes the file; {@link #moveTo} hands it over to the caller instead. A
 * retrieved instance that is neither closed nor moved is deleted when it is garbage-collected, or at JVM exit at the
 * latest ({@link org.cameldicomsecure.dicom.io.TempFiles}); close it (try-with-resources, or
 * {@link DicomWebClient#closeAll}) rather than rely on that.
 *
 * <p>{@link #readDicomFile} parses it with large values (pixel data) kept on disk: they are copied to a spill file
 * of their own while reading, so the {@link DicomFile} stays usable after this instance is closed.
 */
public final class RetrievedInstance implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();

    private final Path file;
    private final long length;
    private final String contentType;
    private final String transferSyntaxUid;
    private final int partNumber;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean gone;

    RetrievedInstance(Path file, long length, String contentType, String transferSyntaxUid, int partNumber,
                      Runnable delete) {
        this.file = file;
        this.length = length;
        this.contentType = contentType;
        this.transferSyntaxUid = transferSyntaxUid;
        this.partNumber = partNumber;
        this.cleanable = CLEANER.register(this, delete);
    }

    /** The temporary file with the part's bytes (a DICOM Part 10 file); valid until {@link #close()}. */
    public Path file() {
        check();
        return file;
    }

    /** The size of the file in bytes. */
    public long length() {
        return length;
    }

    /** The part's Content-Type, as sent ({@code application/dicom; transfer-syntax=...}). */
    public String contentType() {
        return contentType;
    }

    /** The {@code transfer-syntax} parameter of the part's Content-Type, or {@code null} if it had none. */
    public String transferSyntaxUid() {
        return transferSyntaxUid;
    }

    /** Which part of the response this was (1 = the first). */
    public int partNumber() {
        return partNumber;
    }

    /** A new stream of the bytes; the caller closes it. */
    public InputStream open() throws IOException {
        check();
        return Files.newInputStream(file);
    }

    /** An {@link InstanceSource} of the file (to send it on with STOW-RS); valid until {@link #close()}. */
    public InstanceSource asSource() {
        check();
        return InstanceSource.of(file);
    }

    /**
     * Parses the file. Values longer than {@code options.bulkDataThreshold()} are not loaded into the heap but copied
     * to a spill file of the returned object's own (deleted when it is no longer reachable), so the result does not
     * depend on this instance staying open.
     */
    public DicomFile readDicomFile(DicomReaderOptions options) throws IOException {
        try (InputStream in = open()) {
            return new DicomReader(options).read(in);
        }
    }

    /**
     * Moves the file to {@code target} (replacing it if it exists) and gives up ownership: {@link #close()} no
     * longer deletes anything.
     *
     * @return {@code target}
     */
    public synchronized Path moveTo(Path target) throws IOException {
        check();
        Path t = Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        gone = true;
        cleanable.clean(); // the file is no longer there: this only forgets it
        return t;
    }

    /** Whether the file was deleted or moved away. */
    public boolean isClosed() {
        return gone;
    }

    /** Deletes the file (if it was not moved away). Idempotent. */
    @Override
    public synchronized void close() {
        gone = true;
        cleanable.clean();
    }

    private void check() {
        if (gone) {
            throw new IllegalStateException("retrieved instance " + partNumber + " is closed or moved: its temporary "
                    + "file is gone");
        }
    }

    @Override
    public String toString() {
        return "RetrievedInstance[part " + partNumber + ", " + length + " bytes" + (gone ? ", closed" : "") + "]";
    }
}
