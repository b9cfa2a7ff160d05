package org.cameldicomsecure.dicom;

/**
 * This implementation's identity, written where the standard asks for it: Implementation Class UID (0002,0012) and
 * Implementation Version Name (0002,0013) in File Meta Information we write, and the same values in the
 * A-ASSOCIATE user information (PS3.7 D.3.3.2).
 */
public final class Implementation {

    /** Implementation Class UID: a UUID-derived UID (PS3.5 B.2). */
    public static final String CLASS_UID = "2.25.43271966738065557602085492775474343443";
    /** Implementation Version Name (SH, at most 16 characters). */
    public static final String VERSION_NAME = "CAMELDICOMSEC_01";

    private Implementation() {
    }
}
