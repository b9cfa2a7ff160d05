package org.cameldicomsecure.deid;

/**
 * An instance could not be de-identified. The message names the problem (a tag, a VR, a transfer syntax, an image
 * size) and never contains a value of the instance, so it is safe to log.
 */
public class DeidentificationException extends Exception {

    private static final long serialVersionUID = 1L;

    public DeidentificationException(String message) {
        super(message);
    }

    public DeidentificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
