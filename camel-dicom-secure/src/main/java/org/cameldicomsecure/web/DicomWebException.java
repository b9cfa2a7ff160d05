package org.cameldicomsecure.web;

import java.io.IOException;

/**
 * A DICOMweb request or response that failed: an HTTP error status from the peer (then {@link #httpStatus()} is it),
 * or a protocol problem with no status (then 0). The message names the problem; it never contains tokens, passwords
 * or patient data.
 */
public class DicomWebException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;

    public DicomWebException(String message) {
        this(0, message, null);
    }

    public DicomWebException(String message, Throwable cause) {
        this(0, message, cause);
    }

    public DicomWebException(int httpStatus, String message) {
        this(httpStatus, message, null);
    }

    public DicomWebException(int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    /** The HTTP status of the response, or 0 if the problem is not an HTTP status. */
    public int httpStatus() {
        return httpStatus;
    }
}
