package org.cameldicomsecure.sign;

/**
 * A digital signature cannot be made, read or removed; the message names the cause (never a value of the data set).
 */
public class SignatureException extends Exception {

    private static final long serialVersionUID = 1L;

    public SignatureException(String message) {
        super(message);
    }

    public SignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
