package org.cameldicomsecure.dicom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.cameldicomsecure.dicom.charset.SpecificCharacterSet;

/** Turns encoded values into strings, per VR (PS3.5 §6.2). */
final class TextValues {

    private static final String[] EMPTY = new String[0];

    private TextValues() {
    }

    static String[] toStrings(VR vr, byte[] b, boolean bigEndian, SpecificCharacterSet cs) {
        if (b.length == 0) {
            return EMPTY;
        }
        switch (vr.kind()) {
            case TEXT:
                return splitText(vr, decode(vr, b, cs));
            case BINARY:
                return binaryToStrings(vr, b, bigEndian);
            default:
                return EMPTY;
        }
    }

    private static String decode(VR vr, byte[] b, SpecificCharacterSet cs) {
        if (vr.usesSpecificCharacterSet()) {
            return cs.decode(b, 0, b.length);
        }
        // default repertoire; ISO-8859-1 keeps any stray 8-bit byte visible instead of replacing it
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String[] splitText(VR vr, String s) {
        if (!vr.multiValued()) {
            String t = trim(vr, s);
            return t.isEmpty() ? EMPTY : new String[] {t};
        }
        List<String> parts = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '\\') {
                parts.add(trim(vr, s.substring(start, i)));
                start = i + 1;
            }
        }
        return parts.toArray(EMPTY);
    }

    /** PS3.5 Table 6.2-1: leading and trailing spaces are insignificant except leading ones in LT, ST, UT; UI pads with NUL. */
    static String trim(VR vr, String s) {
        int start = 0;
        int end = s.length();
        boolean keepLeading = vr == VR.LT || vr == VR.ST || vr == VR.UT || vr == VR.UR;
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        if (!keepLeading) {
            while (start < end && s.charAt(start) == ' ') {
                start++;
            }
        }
        return s.substring(start, end);
    }

    private static String[] binaryToStrings(VR vr, byte[] b, boolean be) {
        int unit = vr == VR.AT ? 4 : vr.unitSize();
        if (unit <= 1) {
            return EMPTY;
        }
        int n = b.length / unit;
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            int off = i * unit;
            out[i] = switch (vr) {
                case US, OW -> Integer.toString(ByteOrderUtil.uint16(b, off, be));
                case SS -> Integer.toString((short) ByteOrderUtil.uint16(b, off, be));
                case UL, OL -> Integer.toUnsignedString(ByteOrderUtil.int32(b, off, be));
                case SL -> Integer.toString(ByteOrderUtil.int32(b, off, be));
                case FL, OF -> Float.toString(Float.intBitsToFloat(ByteOrderUtil.int32(b, off, be)));
                case FD, OD -> Double.toString(Double.longBitsToDouble(ByteOrderUtil.int64(b, off, be)));
                case SV -> Long.toString(ByteOrderUtil.int64(b, off, be));
                case UV, OV -> Long.toUnsignedString(ByteOrderUtil.int64(b, off, be));
                case AT -> String.format("%04X%04X", ByteOrderUtil.uint16(b, off, be), ByteOrderUtil.uint16(b, off + 2, be));
                default -> throw new IllegalStateException(vr.name());
            };
        }
        return out;
    }
}
