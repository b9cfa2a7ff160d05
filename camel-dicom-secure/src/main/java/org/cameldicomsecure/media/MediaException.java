package org.cameldicomsecure.media;

import java.io.IOException;
import java.util.Objects;

/**
 * Refused or malformed media input. The message names the problem and the ZIP entry or File ID concerned; it never
 * holds element values (patient data).
 */
public class MediaException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why the input was refused. */
    public enum Reason {
        /** Not a PS3.10 file (no preamble, "DICM" and File Meta Information), or it does not parse (truncated, garbage). */
        NOT_DICOM,
        /** Not a readable ZIP (bad headers, CRC mismatch, encrypted, duplicate entry names, no entry at all). */
        MALFORMED_ZIP,
        /** An entry name that is absolute, has "..", a backslash, a drive letter, NUL or an empty component. */
        UNSAFE_ENTRY_NAME,
        /** A limit of {@link MediaLimits} was exceeded (ZIP bomb, too many entries or instances, too many bytes). */
        LIMIT_EXCEEDED,
        /** No DICOMDIR at the root of the ZIP. */
        NO_DICOMDIR,
        /** The DICOMDIR is not a valid Basic Directory (offsets, record types, File IDs, a second DICOMDIR). */
        BAD_DICOMDIR,
        /** A file the DICOMDIR references is not in the ZIP. */
        MISSING_FILE,
        /** A referenced file is not the instance its record names (SOP Instance or Class UID differ). */
        MISMATCH
    }

    private final Reason reason;

    public MediaException(Reason reason, String message) {
        this(reason, message, null);
    }

    public MediaException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
