package org.cameldicomsecure.web.server;

/**
 * Thrown by a handler (or used to complete its stage exceptionally) to answer a chosen HTTP status, such as 400 for a
 * bad query parameter, 404, 410, 413 or 503. The message is sent to the client as {@code text/plain}: it must name
 * the problem and hold no patient data or secrets.
 */
public class DicomWebStatusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public DicomWebStatusException(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 4xx or 5xx, not " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }
}
