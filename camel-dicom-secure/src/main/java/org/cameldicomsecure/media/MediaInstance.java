package org.cameldicomsecure.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.DicomParseException;
import org.cameldicomsecure.dicom.io.DicomReader;

/**
 * One PS3.10 file received on media (a ZIP entry or a MIME part): the bytes exactly as received (in memory up to
 * {@link MediaLimits#memoryThreshold()}, else in a temporary file) and the parsed {@link DicomFile} (its large values
 * are slices of those bytes or regions of that file).
 *
 * <p>Lifetime as for a STOW-RS instance: {@link #close()} deletes the temporary file, after which {@link #file()} and
 * {@link #openStream()} must not be used; {@link #detach()} hands the file over to the caller (who must delete or
 * move it; it is still deleted at JVM exit).
 */
public final class MediaInstance implements AutoCloseable {

    private static final DicomReader READER = new DicomReader();

    private final List<String> fileId;
    private final DicomFile file;
    private final Spool spool;
    private final String sopClassUid;
    private final String sopInstanceUid;
    private final String studyInstanceUid;
    private final String seriesInstanceUid;
    private final String transferSyntaxUid;
    private volatile boolean detached;
    private volatile boolean closed;

    private MediaInstance(List<String> fileId, DicomFile file, Spool spool) {
        this.fileId = fileId;
        this.file = file;
        this.spool = spool;
        Dataset ds = file.dataset();
        this.sopClassUid = ds.getString(Tag.SOPClassUID);
        this.sopInstanceUid = ds.getString(Tag.SOPInstanceUID);
        this.studyInstanceUid = ds.getString(Tag.StudyInstanceUID);
        this.seriesInstanceUid = ds.getString(Tag.SeriesInstanceUID);
        this.transferSyntaxUid = file.transferSyntax().uid();
    }

    /**
     * Reads one PS3.10 file from {@code part10} to its end. The stream is not closed.
     *
     * @param fileIdOrNull its File ID on the media, or null (e.g. a MIME part)
     * @throws MediaException NOT_DICOM when it is not a PS3.10 file (preamble, "DICM", File Meta Information) or does
     *                        not parse completely, or lacks SOP Class/Instance UID; LIMIT_EXCEEDED when it is longer
     *                        than {@link MediaLimits#maxEntryBytes()}
     */
    public static MediaInstance read(InputStream part10, List<String> fileIdOrNull, MediaLimits limits)
            throws IOException {
        Objects.requireNonNull(part10, "part10");
        Objects.requireNonNull(limits, "limits");
        List<String> id = fileIdOrNull == null ? null : List.copyOf(fileIdOrNull);
        String what = describe(id);
        long[] seen = {0};
        Spool spool = Spool.read(part10, limits.memoryThreshold(), limits.tempDirectory(), n -> {
            seen[0] += n;
            if (seen[0] > limits.maxEntryBytes()) {
                throw new MediaException(MediaException.Reason.LIMIT_EXCEEDED, what + " is longer than "
                        + limits.maxEntryBytes() + " bytes");
            }
        });
        return of(id, spool, what);
    }

    static String describe(List<String> fileId) {
        return fileId == null ? "the instance" : "File ID " + String.join("/", fileId);
    }

    /** Parses a spooled file; on failure the spool's temporary file is deleted. */
    static MediaInstance of(List<String> fileId, Spool spool, String what) throws MediaException {
        try {
            return new MediaInstance(fileId, parse(spool, what), spool);
        } catch (MediaException | RuntimeException | Error e) {
            spool.discard();
            throw e;
        }
    }

    private static DicomFile parse(Spool spool, String what) throws MediaException {
        byte[] head = new byte[DicomFile.PREAMBLE_LENGTH + 4];
        int got;
        try (InputStream in = spool.openStream()) {
            got = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new MediaException(MediaException.Reason.NOT_DICOM, what + " cannot be read: " + e.getMessage(), e);
        }
        if (got < head.length || head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M') {
            throw new MediaException(MediaException.Reason.NOT_DICOM, what + " is not a PS3.10 file: no 128-byte"
                    + " preamble and \"DICM\" prefix (" + spool.length + " bytes)");
        }
        DicomFile f;
        try {
            f = spool.inMemory() ? READER.read(spool.bytes) : READER.read(spool.path);
        } catch (DicomParseException e) {
            throw new MediaException(MediaException.Reason.NOT_DICOM, what + " is not a valid DICOM file: "
                    + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new MediaException(MediaException.Reason.NOT_DICOM, what + " cannot be parsed as DICOM: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        if (!f.isPart10() || f.fileMeta().isEmpty()) {
            throw new MediaException(MediaException.Reason.NOT_DICOM, what + " has no File Meta Information");
        }
        Dataset ds = f.dataset();
        if (empty(ds.getString(Tag.SOPClassUID)) || empty(ds.getString(Tag.SOPInstanceUID))) {
            throw new MediaException(MediaException.Reason.NOT_DICOM, what + " has no SOP Class UID (0008,0016) or"
                    + " SOP Instance UID (0008,0018): not a composite instance");
        }
        return f;
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    /** The File ID on the media, or null. */
    public List<String> fileId() {
        return fileId;
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

    /** Study Instance UID, or null if the instance has none. */
    public String studyInstanceUid() {
        return studyInstanceUid;
    }

    /** Series Instance UID, or null if the instance has none. */
    public String seriesInstanceUid() {
        return seriesInstanceUid;
    }

    public String transferSyntaxUid() {
        return transferSyntaxUid;
    }

    /** Length in bytes of the file as received. */
    public long length() {
        return spool.length;
    }

    /** True when the bytes are held in memory (no temporary file). */
    public boolean inMemory() {
        return spool.inMemory();
    }

    /** The temporary file, or null when held in memory. */
    public Path path() {
        return spool.path;
    }

    /** The bytes exactly as received. */
    public InputStream openStream() throws IOException {
        checkOpen();
        return spool.openStream();
    }

    /** The bytes as an array (read from the temporary file when spilled). */
    public byte[] bytes() throws IOException {
        checkOpen();
        return spool.inMemory() ? spool.bytes.clone() : Files.readAllBytes(spool.path);
    }

    /**
     * Keeps the temporary file after {@link #close()}: the caller owns it from now on. Returns its path, or null for
     * an in-memory instance.
     */
    public Path detach() {
        detached = true;
        return spool.path;
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
        if (!detached) {
            spool.discard();
        }
    }

    private void checkOpen() {
        if (closed && !detached && spool.path != null) {
            throw new IllegalStateException(describe(fileId) + " was closed: its temporary file is deleted");
        }
    }

    @Override
    public String toString() {
        return "MediaInstance[" + (fileId == null ? "" : String.join("/", fileId) + ", ") + sopInstanceUid + ", "
                + spool.length + " bytes" + (spool.inMemory() ? ", in memory" : ", in a temporary file") + "]";
    }
}
