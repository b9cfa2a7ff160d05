package org.cameldicomsecure.sign.cms;

import java.util.Objects;

/**
 * A Secure DICOM File (PS3.10 §7.4, PS3.15 D.1) could not be made or opened. The message names the cause, algorithm
 * OIDs and certificate issuers, subjects and serial numbers; it never contains bytes of the content, passwords or key
 * material.
 */
public final class SecureFileException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the operation failed, so that callers can react without parsing messages. */
    public enum Reason {
        /** The options are incomplete or contradict each other (no recipient, a cipher only readers accept, ...). */
        INVALID_ARGUMENT,
        /**
         * The input of {@code encrypt}, or the decrypted content, is not a DICOM File (PS3.10 §7.1: a 128-byte
         * preamble, "DICM" and File Meta Information).
         */
        NOT_DICOM_FILE,
        /**
         * A certificate or key of a kind the profile does not allow (an EC recipient: PS3.15 D.1 allows only RSA key
         * transport or password-based key encryption), a key usage that forbids the operation, or a signer key of
         * neither RSA nor EC.
         */
        UNSUPPORTED_KEY,
        /** A password with characters outside ISO-IR 6 (printable US-ASCII, PS3.15 D.1), or an empty one. */
        INVALID_PASSWORD,
        /** The input of {@code decrypt} is not a CMS ContentInfo at all. */
        NOT_CMS,
        /** The input is a CMS ContentInfo of another content type than EnvelopedData, or a malformed EnvelopedData. */
        NOT_ENVELOPED_DATA,
        /** A content-encryption, key-encryption, key-derivation or digest algorithm outside what is supported. */
        UNSUPPORTED_ALGORITHM,
        /**
         * The EnvelopedData encrypts a content type other than SignedData, DigestedData or data, one the caller did
         * not allow, or the inner SignedData or DigestedData does not encapsulate id-data.
         */
        UNSUPPORTED_CONTENT_TYPE,
        /** No RecipientInfo matches the given certificate, or there is no password RecipientInfo for a password. */
        NO_MATCHING_RECIPIENT,
        /** The private key is not the one of its certificate, or it cannot recover the content-encryption key. */
        KEY_MISMATCH,
        /** The password does not unwrap the content-encryption key of any password RecipientInfo (RFC 3211 check). */
        WRONG_PASSWORD,
        /**
         * The file was changed or damaged: bad CBC padding, a truncated or malformed structure, an inner signature that
         * does not verify, or a digest that does not match.
         */
        TAMPERED,
        /**
         * The inner signature verifies but its signer is not acceptable: the certificate is missing from the
         * SignedData, was not valid at the signing time, does not chain to a trust anchor, or may not sign.
         */
        UNTRUSTED_SIGNER,
        /** Encryption or signing failed for a reason other than the input (for example a missing JCA algorithm). */
        INTERNAL
    }

    private final Reason reason;

    public SecureFileException(Reason reason, String message) {
        this(reason, message, null);
    }

    public SecureFileException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
