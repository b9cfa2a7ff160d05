/**
 * Secure DICOM email (PS3.15 B.8 "Secure Use of Email Transport", Supplement 113): DICOM instances into and out of
 * signed and encrypted S/MIME messages, the payload a ZIP File-set with DICOMDIR (STD-GEN-SEC-ZIP-MAIL, PS3.11 Annex L;
 * PS3.12 Annexes V and W) or DICOM MIME Media (PS3.12 Annex K).
 *
 * <p>{@link org.cameldicomsecure.mail.DicomMailWriter} composes; {@link org.cameldicomsecure.mail.DicomMailReader}
 * decrypts, verifies and extracts; the S/MIME layer itself is {@link org.cameldicomsecure.mail.smime}, the File-set
 * and DICOMDIR are {@link org.cameldicomsecure.media}. No Camel types.
 */
package org.cameldicomsecure.mail;
