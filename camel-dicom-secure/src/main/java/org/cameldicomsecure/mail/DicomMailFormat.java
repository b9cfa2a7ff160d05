package org.cameldicomsecure.mail;

/** How the DICOM File-set travels in the email. */
public enum DicomMailFormat {

    /**
     * One ZIP File (PS3.12 Annex V) holding one File-set with its DICOMDIR, attached as {@code DICOM.ZIP}: the
     * STD-GEN-SEC-ZIP-MAIL application profile (PS3.11 L.3.2). The subject contains "DICOM-ZIP".
     */
    ZIP,

    /**
     * DICOM MIME Media (PS3.12 Annex K): a multipart/mixed entity with one application/dicom part per file (the
     * DICOMDIR included, {@code id="DICOMDIR"}).
     */
    MIME
}
