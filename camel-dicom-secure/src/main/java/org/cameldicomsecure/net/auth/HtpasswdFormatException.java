package org.cameldicomsecure.net.auth;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An htpasswd file holds a line {@link HtpasswdValidator} does not accept. The message names the file, the line
 * number and the kind of problem, never the line's content (it may be a plaintext password).
 */
public final class HtpasswdFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int lineNumber;

    HtpasswdFormatException(Path file, int lineNumber, String problem) {
        super(file + " line " + lineNumber + ": " + problem);
        this.file = file;
        this.lineNumber = lineNumber;
    }

    public Path file() {
        return file;
    }

    /** The 1-based number of the offending line. */
    public int lineNumber() {
        return lineNumber;
    }
}
