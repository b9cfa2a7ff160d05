package org.cameldicomsecure.dicom.charset;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Defined Terms of PS3.3 Table C.12-5 (ISO_IR 192, GB18030, GBK): variable-length codes that are not compatible
 * with ISO/IEC 2022 and use no code extensions (PS3.5 §6.1.2.5.4 d), so one Java charset maps the whole value.
 */
final class CharsetCodec implements TextCodec {

    private final Charset charset;
    private final String label;

    CharsetCodec(Charset charset, String label) {
        this.charset = charset;
        this.label = label;
    }

    /** Bytes that are not valid in the charset decode to U+FFFD. */
    @Override
    public String decode(byte[] value, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, value.length);
        return new String(value, offset, length, charset);
    }

    @Override
    public byte[] encode(String value, boolean personName) {
        CharsetEncoder encoder = charset.newEncoder();
        CharBuffer in = CharBuffer.wrap(value);
        ByteBuffer out = ByteBuffer.allocate((int) Math.ceil(value.length() * (double) encoder.maxBytesPerChar()));
        CoderResult result = encoder.encode(in, out, true);
        if (!result.isError()) {
            result = encoder.flush(out);
        }
        if (result.isError()) {
            throw SpecificCharacterSet.unencodable(Character.codePointAt(value, in.position()), label);
        }
        return Arrays.copyOf(out.array(), out.position());
    }
}
