package org.cameldicomsecure.sign.cms;

import java.util.Objects;

/**
 * An Encrypted Attributes Sequence item could not be made or opened. The message names tags, UIDs, algorithm OIDs and
 * certificate issuers, subjects and serial numbers; it never contains attribute values or key material.
 */
public final class EncryptedAttributesException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the operation failed, so that callers can react without parsing messages. */
    public enum Reason {
        /** The data set, the item or an argument does not have the structure PS3.3 C.12.1.1.4 requires. */
        INVALID_INPUT,
        /** A recipient certificate or private key of a kind PS3.15 E.1.1 does not allow (only RSA key transport). */
        UNSUPPORTED_KEY,
        /** A key transport or content-encryption algorithm outside PS3.15 E.1.1 (RSA; AES-CBC, Triple-DES-CBC). */
        UNSUPPORTED_ALGORITHM,
        /** Encrypted Content Transfer Syntax UID (0400,0510) names a transfer syntax this implementation cannot decode. */
        UNSUPPORTED_TRANSFER_SYNTAX,
        /** No RecipientInfo of the EnvelopedData names the given certificate. */
        NO_MATCHING_RECIPIENT,
        /** The private key is not the one of the given certificate. */
        KEY_MISMATCH,
        /**
         * The Encrypted Content (0400,0520) is not a well-formed EnvelopedData, cannot be decrypted with the key although
         * a RecipientInfo matched, or does not decrypt to an Encrypted Attributes Data Set.
         */
        CORRUPT_CONTENT,
        /** Encoding or encryption failed for a reason other than the input (for example a missing JCA algorithm). */
        INTERNAL
    }

    private final Reason reason;

    public EncryptedAttributesException(Reason reason, String message) {
        this(reason, message, null);
    }

    public EncryptedAttributesException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
