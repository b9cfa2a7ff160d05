package org.cameldicomsecure.dicom.charset;

/** Converts text values between bytes and strings for one Specific Character Set. Implementations are immutable. */
interface TextCodec {

    String decode(byte[] value, int offset, int length);

    /** The value contains no ESC (checked by {@link SpecificCharacterSet#encode}). */
    byte[] encode(String value, boolean personName);
}
