package org.cameldicomsecure.deid;

import java.util.Objects;

/**
 * A protected instance could not be re-identified (PS3.15 E.1.2). The message names tags, transfer syntaxes and
 * certificate issuers and serial numbers; it never contains attribute values or key material.
 */
public final class ReidentificationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why re-identification failed. */
    public enum Reason {
        /** The data set has no Encrypted Attributes Sequence (0400,0500), or the sequence has no items. */
        NO_ENCRYPTED_ATTRIBUTES,
        /** No item has a RecipientInfo for the re-identifier's certificate, or none can be decrypted with its key. */
        NOT_DECRYPTABLE,
        /** An item meant for the certificate is damaged, or decrypts to something that is not an Encrypted Attributes Data Set. */
        CORRUPT_CONTENT,
        /** The decrypted attributes cannot be put back into the data set. */
        INVALID_CONTENT
    }

    private final Reason reason;

    public ReidentificationException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ReidentificationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
