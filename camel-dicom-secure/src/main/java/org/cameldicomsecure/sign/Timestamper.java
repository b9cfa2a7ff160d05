package org.cameldicomsecure.sign;

import java.io.IOException;

/**
 * Obtains a certified timestamp of a Signature (0400,0120) value (PS3.3 C.12.1.1.3.1.3): for Certified Timestamp Type
 * "CMS_TSP", the DER encoding of an RFC 3161 TimeStampToken.
 */
@FunctionalInterface
public interface Timestamper {

    /** The token over {@code signature} (the signature bytes without a DICOM pad byte). */
    byte[] timestamp(byte[] signature) throws IOException;
}
