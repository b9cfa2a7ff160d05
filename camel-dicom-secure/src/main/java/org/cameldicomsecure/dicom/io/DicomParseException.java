package org.cameldicomsecure.dicom.io;

import java.io.IOException;

import org.cameldicomsecure.dicom.Tag;

/**
 * Malformed DICOM input. The message names the byte offset and, where one was being read, the element's tag; it never
 * contains element values.
 */
public class DicomParseException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Tag value meaning "no element was being read". */
    public static final int NO_TAG = -1;

    private final long offset;
    private final int tag;

    public DicomParseException(long offset, int tag, String problem) {
        this(offset, tag, problem, null);
    }

    public DicomParseException(long offset, int tag, String problem, Throwable cause) {
        super(format(offset, tag, problem), cause);
        this.offset = offset;
        this.tag = tag;
    }

    private static String format(long offset, int tag, String problem) {
        return (tag == NO_TAG ? "" : Tag.toString(tag) + " ") + "at offset " + offset + ": " + problem;
    }

    /** Byte offset in the input (for a deflated data set: in the inflated stream after the File Meta Information). */
    public long offset() {
        return offset;
    }

    /** The tag of the element being read, or {@link #NO_TAG}. */
    public int tag() {
        return tag;
    }
}
