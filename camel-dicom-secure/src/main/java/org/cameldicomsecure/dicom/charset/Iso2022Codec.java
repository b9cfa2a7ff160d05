package org.cameldicomsecure.dicom.charset;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Objects;

/**
 * Text in the 7-bit and 8-bit codes of ISO/IEC 2022 as DICOM restricts them, PS3.5 §6.1.2.5: G0 invoked in GL and
 * G1 in GR, no G2/G3, no locking or single shifts, designation only by the escape sequences of PS3.3 Tables C.12-3
 * and C.12-4 (§6.1.2.5.1, §6.1.2.5.2).
 *
 * <p>Without code extensions this is the elementary code of PS3.5 §6.1.2.5.4 a and b: the default repertoire, or one
 * single-byte Defined Term of Table C.12-2 with its G0 and G1 sets fixed and ESC an ordinary control character.
 *
 * <p>With code extensions (§6.1.2.5.4 c), the initial designations are those of value 1 (ISO-IR 6 as G0 and no G1 if
 * value 1 is empty). Following §6.1.2.5.3:
 *
 * <ul>
 * <li>Decoding returns to the initial designations at the start of the value, after CR, LF and FF (a new line or
 * page) and after the 05/12 that separates values. A 05/12 or any other GL byte is only taken as a single-byte
 * character while G0 holds a single-byte set; inside a JIS X 0208 or JIS X 0212 run it is half of a two-byte
 * character (PS3.5 §6.1.2.3 note 3: only the character that encodes as the single byte 05/12 is a delimiter). No
 * reset is made at "^" and "=": an encoder following §6.1.2.5.3 has already restored value 1 before them and
 * designates again after them, and as text of other VRs they are ordinary characters.</li>
 * <li>Encoding restores the initial designations before every control character (CR, LF, FF, TAB), before 05/12,
 * before "^" and "=" in a PN value, and at the end of the value; after such a point it designates again before the
 * next character that needs another set. A G1 set can be replaced but not removed, so when value 1 has no G1 only G0
 * is restored (the PS3.5 Annex I.2 and K.2 examples).</li>
 * <li>SPACE (02/00) is written without a designation whatever G0 holds, as in DICOM and ISO-2022-JP (PS3.5 §H.2).</li>
 * <li>A character is written with the G0 or G1 set in use if it has it, else with the first of the declared sets
 * (value 1 first) that has it, after that set's escape sequence.</li>
 * </ul>
 */
final class Iso2022Codec implements TextCodec {

    private static final int ESC = 0x1B;
    private static final int LF = 0x0A;
    private static final int FF = 0x0C;
    private static final int CR = 0x0D;
    private static final int BACKSLASH = 0x5C;

    private final CodeElement initialG0;
    private final CodeElement initialG1;
    private final List<CodeElement> designatable;
    private final boolean codeExtensions;
    private final String label;

    /**
     * @param initialG0 the G0 set at the start of a value, line, page and value after 05/12
     * @param initialG1 the G1 set at those points, or null if none
     * @param designatable the sets that may be designated when encoding, in order of preference; empty without code
     *     extensions
     * @param codeExtensions whether ESC starts an escape sequence
     * @param label the character set, for messages
     */
    Iso2022Codec(CodeElement initialG0, CodeElement initialG1, List<CodeElement> designatable, boolean codeExtensions,
            String label) {
        this.initialG0 = initialG0;
        this.initialG1 = initialG1;
        this.designatable = List.copyOf(designatable);
        this.codeExtensions = codeExtensions;
        this.label = label;
    }

    @Override
    public String decode(byte[] value, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, value.length);
        int end = offset + length;
        StringBuilder out = new StringBuilder(length);
        CodeElement g0 = initialG0;
        CodeElement g1 = initialG1;
        CodeElement run = null;
        int runStart = offset;
        int i = offset;
        while (i < end) {
            int c = value[i] & 0xFF;
            CodeElement element = c >= 0x80 ? g1 : isG0Graphic(c, g0) ? g0 : null;
            if (element != null) {
                if (element != run) {
                    flush(out, run, value, runStart, i);
                    run = element;
                    runStart = i;
                }
                i++;
                continue;
            }
            flush(out, run, value, runStart, i);
            run = null;
            if (c == ESC && codeExtensions) {
                CodeElement designated = CodeElement.designatedBy(value, i + 1, end);
                if (designated == null) {
                    throw new IllegalArgumentException("unsupported ISO 2022 escape sequence "
                            + describeEscape(value, i, end) + " in a value with Specific Character Set (0008,0005) "
                            + label + " (PS3.3 Tables C.12-3 and C.12-4)");
                }
                if (designated.isG1()) {
                    g1 = designated;
                } else {
                    g0 = designated;
                }
                i += 1 + designated.escapeLength();
                continue;
            }
            // a GR byte with no G1 set designated, or a control character, SPACE, DEL or the single-byte 05/12
            out.append(c >= 0x80 ? '\uFFFD' : (char) c);
            if (c == CR || c == LF || c == FF || c == BACKSLASH) {
                g0 = initialG0;
                g1 = initialG1;
            }
            i++;
        }
        flush(out, run, value, runStart, end);
        return out.toString();
    }

    private static boolean isG0Graphic(int c, CodeElement g0) {
        return c >= 0x21 && c <= 0x7E && (c != BACKSLASH || g0.isMultiByte());
    }

    private static void flush(StringBuilder out, CodeElement run, byte[] value, int start, int end) {
        if (run != null && end > start) {
            out.append(run.decode(value, start, end - start));
        }
    }

    @Override
    public byte[] encode(String value, boolean personName) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length() + 16);
        CodeElement g0 = initialG0;
        CodeElement g1 = initialG1;
        for (int i = 0; i < value.length();) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x20 || cp == BACKSLASH || personName && (cp == '^' || cp == '=')) {
                restoreInitial(out, g0, g1);
                g0 = initialG0;
                g1 = initialG1;
                out.write(cp);
                continue;
            }
            if (cp == ' ') {
                out.write(cp);
                continue;
            }
            byte[] bytes = g0.encode(cp);
            if (bytes == null && g1 != null) {
                bytes = g1.encode(cp);
            }
            if (bytes == null) {
                CodeElement element = designatableFor(cp);
                element.writeDesignation(out);
                if (element.isG1()) {
                    g1 = element;
                } else {
                    g0 = element;
                }
                bytes = element.encode(cp);
            }
            out.write(bytes, 0, bytes.length);
        }
        restoreInitial(out, g0, g1);
        return out.toByteArray();
    }

    private CodeElement designatableFor(int cp) {
        for (CodeElement e : designatable) {
            if (e.encode(cp) != null) {
                return e;
            }
        }
        throw SpecificCharacterSet.unencodable(cp, label);
    }

    private void restoreInitial(ByteArrayOutputStream out, CodeElement g0, CodeElement g1) {
        if (g0 != initialG0) {
            initialG0.writeDesignation(out);
        }
        if (initialG1 != null && g1 != initialG1) {
            initialG1.writeDesignation(out);
        }
    }

    /**
     * The escape sequence at {@code esc} in the column/row notation of ISO/IEC 2022, e.g. "ESC 02/04 04/00": ESC, its
     * intermediate bytes (02/00 to 02/15) and its final byte (03/00 to 07/14), so that no text byte gets into a
     * message.
     */
    private static String describeEscape(byte[] value, int esc, int end) {
        StringBuilder s = new StringBuilder("ESC");
        int i = esc + 1;
        while (i < end && value[i] >= 0x20 && value[i] <= 0x2F) {
            appendColumnRow(s, value[i++]);
        }
        if (i < end && value[i] >= 0x30 && value[i] <= 0x7E) {
            appendColumnRow(s, value[i]);
        }
        return s.toString();
    }

    private static void appendColumnRow(StringBuilder s, byte b) {
        s.append(String.format(" %02d/%02d", b >> 4, b & 0x0F));
    }
}
