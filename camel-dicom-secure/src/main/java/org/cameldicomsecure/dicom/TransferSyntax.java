package org.cameldicomsecure.dicom;

import java.util.Objects;

/**
 * How a data set is encoded (PS3.5 §10 and Annex A): VR explicit or implicit, byte order, deflate, encapsulated pixel
 * data.
 *
 * <p>The four native transfer syntaxes are constants. Every other UID is taken to be an encapsulated transfer syntax
 * of PS3.5 §A.4 (Explicit VR Little Endian with compressed pixel data in fragments, passed through unchanged), except
 * the JPIP Referenced Deflate syntax, which is deflated.
 */
public record TransferSyntax(String uid, boolean explicitVr, boolean bigEndian, boolean deflated, boolean encapsulated) {

    /** PS3.5 §A.1 Implicit VR Little Endian: Default Transfer Syntax for DICOM. */
    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2", false, false, false, false);
    /** PS3.5 §A.2 Explicit VR Little Endian. */
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.1", true, false, false, false);
    /** PS3.5 §A.5 Deflated Explicit VR Little Endian. */
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.1.99", true, false, true, false);
    /** PS3.5 §A.3 Explicit VR Big Endian (retired, still found in archives). */
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.2", true, true, false, false);

    /** JPIP Referenced Deflate (PS3.5 §A.6): a deflated data set without pixel data. */
    static final String JPIP_REFERENCED_DEFLATE = "1.2.840.10008.1.2.4.95";
    /** JPIP Referenced (PS3.5 §A.6): Explicit VR Little Endian, no pixel data. */
    static final String JPIP_REFERENCED = "1.2.840.10008.1.2.4.94";

    public TransferSyntax {
        Objects.requireNonNull(uid, "uid");
    }

    /** The transfer syntax for {@code uid} (trailing NUL or space padding ignored). */
    public static TransferSyntax of(String uid) {
        String u = TextValues.trim(VR.UI, Objects.requireNonNull(uid, "uid"));
        switch (u) {
            case "1.2.840.10008.1.2":
                return IMPLICIT_VR_LITTLE_ENDIAN;
            case "1.2.840.10008.1.2.1":
                return EXPLICIT_VR_LITTLE_ENDIAN;
            case "1.2.840.10008.1.2.1.99":
                return DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN;
            case "1.2.840.10008.1.2.2":
                return EXPLICIT_VR_BIG_ENDIAN;
            case JPIP_REFERENCED_DEFLATE:
                return new TransferSyntax(u, true, false, true, false);
            case JPIP_REFERENCED:
                return new TransferSyntax(u, true, false, false, false);
            default:
                if (!UidSyntax.isValid(u)) {
                    throw new IllegalArgumentException("not a valid transfer syntax UID: '" + u + "'");
                }
                return new TransferSyntax(u, true, false, false, true);
        }
    }
}
