package org.cameldicomsecure.mail.smime;

import java.io.IOException;
import java.util.Objects;

/**
 * An S/MIME message could not be made or read. The message names the problem, algorithm names and certificate
 * subjects or issuers; it never contains bytes of the content or key material.
 */
public final class SecureMailException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why, so that callers can react without parsing messages. */
    public enum Reason {
        /** Not a well-formed MIME or CMS structure, or an S/MIME type this reader does not handle. */
        MALFORMED,
        /** Encryption is required and the message is not encrypted. */
        NOT_ENCRYPTED,
        /** The message is encrypted, but not for our certificate (no RecipientInfo names it). */
        NOT_FOR_RECIPIENT,
        /** The RecipientInfo names our certificate but decryption fails (wrong key, bad padding, GCM tag mismatch). */
        DECRYPTION_FAILED,
        /** A content encryption other than AES (Triple-DES, RC2, DES: PS3.15 B.8), or MD5 / SHA-1 signatures. */
        WEAK_ALGORITHM,
        /** A signature is required and the message is not signed. */
        UNSIGNED,
        /** A signature does not verify: the signed content or the signature was changed. */
        SIGNATURE_INVALID,
        /**
         * The signature verifies but the signer is not acceptable: no path to a trusted certificate, revoked, expired
         * or not yet valid, a key usage or extended key usage that forbids signing mail, or the certificate is missing.
         */
        SIGNER_UNTRUSTED,
        /** The From address is not among the email addresses of the signer's certificate (RFC 8551 §2.3, §3.1). */
        SENDER_MISMATCH,
        /** More nested S/MIME layers than allowed. */
        TOO_MANY_LAYERS,
        /** A decrypted, decompressed or signed content larger than allowed. */
        TOO_LARGE,
        /** Writing or reading failed for a reason other than the message (I/O, a missing JCA algorithm, a bad key). */
        INTERNAL
    }

    private final Reason reason;

    public SecureMailException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public SecureMailException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the operation failed. */
    public Reason reason() {
        return reason;
    }

    @Override
    public String getMessage() {
        return reason + ": " + super.getMessage();
    }
}
