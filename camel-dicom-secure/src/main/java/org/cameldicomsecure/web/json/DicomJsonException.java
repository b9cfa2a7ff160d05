package org.cameldicomsecure.web.json;

import java.io.IOException;

/**
 * Malformed or unrepresentable DICOM JSON: the message names the element's path (tags and item indexes, e.g.
 * {@code (0040,A730)[1].(0008,0100)}), the problem and, when reading, the line and column; never a value.
 */
public class DicomJsonException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String path;

    public DicomJsonException(String path, String problem) {
        this(path, problem, null);
    }

    public DicomJsonException(String path, String problem, Throwable cause) {
        super(path == null || path.isEmpty() ? problem : path + ": " + problem, cause);
        this.path = path == null ? "" : path;
    }

    /** The path of the element concerned ("" for the document itself). */
    public String path() {
        return path;
    }
}
