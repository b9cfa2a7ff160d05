package org.cameldicomsecure.mail;

import java.io.IOException;

import org.cameldicomsecure.mail.smime.SecureMailException;
import org.cameldicomsecure.media.MediaException;

/**
 * A secure DICOM email that could not be made or read. {@link #reason()} names the problem in a stable form: the
 * {@link SecureMailException.Reason} of a security refusal (e.g. {@code SIGNATURE_INVALID}), the
 * {@link MediaException.Reason} of a payload refusal (e.g. {@code UNSAFE_ENTRY_NAME}), or one of this class's own
 * ({@link #NO_DICOM_CONTENT}, {@link #MALFORMED}). Messages name the problem, never patient data or key material.
 */
public class DicomMailException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The mail holds no application/dicom part and no DICOM.ZIP. */
    public static final String NO_DICOM_CONTENT = "NO_DICOM_CONTENT";
    /** The MIME structure cannot be read. */
    public static final String MALFORMED = "MALFORMED";

    private final String reason;
    private final boolean security;

    public DicomMailException(String reason, boolean security, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.security = security;
    }

    /** A security refusal (decryption, signature, trust, sender). */
    public static DicomMailException of(SecureMailException e) {
        return new DicomMailException(e.reason().name(), true, e.getMessage(), e);
    }

    /** A payload refusal (not DICOM, unsafe or oversized ZIP, broken DICOMDIR). */
    public static DicomMailException of(MediaException e) {
        return new DicomMailException(e.reason().name(), false, e.getMessage(), e);
    }

    /** The problem in a stable form (see the class comment). */
    public String reason() {
        return reason;
    }

    /** Whether the mail was refused for security (not decryptable, not signed, signature invalid or untrusted). */
    public boolean security() {
        return security;
    }
}
