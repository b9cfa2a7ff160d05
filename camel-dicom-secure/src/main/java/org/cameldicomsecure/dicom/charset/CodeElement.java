package org.cameldicomsecure.dicom.charset;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The graphic character sets (code elements, registered as ISO-IR n) that the Defined Terms of PS3.3 §C.12.1.1.2
 * combine, each with the ISO/IEC 2022 escape sequence that designates it and the Java charset that maps its bytes.
 *
 * <p>The escape sequences are those of PS3.3 Tables C.12-3 and C.12-4, also shown in PS3.5 Table H.1-1 (ISO-IR 13,
 * 14), Table H.1-2 (ISO-IR 87, 159), Annex I.2 (ISO-IR 149) and Table K.1-1 (ISO-IR 58). They are stored as the bytes
 * after ESC; the first one tells the code element (ISO/IEC 2022): 02/08 "(" designates a 94-set to G0, 02/09 ")" a
 * 94-set to G1, 02/13 "-" a 96-set to G1, 02/04 "$" a multi-byte set (G0, or G1 when followed by 02/09).
 *
 * <p>G0 is always invoked in GL (bytes 02/01 to 07/14) and G1 in GR (bytes 10/00 to 15/15), PS3.5 §6.1.2.5.1, so a
 * G1 set is mapped through a Java charset whose upper half is that set (e.g. ISO-8859-5 for ISO-IR 144, EUC-KR for
 * ISO-IR 149 in G1), and a G0 multi-byte set through a charset that maps 7-bit byte pairs (x-JIS0208,
 * JIS_X0212-1990).
 */
enum CodeElement {
    /** ISO 646 IRV (ASCII), the default repertoire; ESC 02/08 04/02. */
    IR_6("US-ASCII", "(B"),
    /** JIS X 0201 Romaji; ESC 02/08 04/10. Mapped like ISO-IR 6, see {@link SpecificCharacterSet}. */
    IR_14("JIS_X0201", "(J"),
    /** JIS X 0201 Katakana; ESC 02/09 04/09. */
    IR_13("JIS_X0201", ")I"),
    /** Latin alphabet No. 1; ESC 02/13 04/01. */
    IR_100("ISO-8859-1", "-A"),
    /** Latin alphabet No. 2; ESC 02/13 04/02. */
    IR_101("ISO-8859-2", "-B"),
    /** Latin alphabet No. 3; ESC 02/13 04/03. */
    IR_109("ISO-8859-3", "-C"),
    /** Latin alphabet No. 4; ESC 02/13 04/04. */
    IR_110("ISO-8859-4", "-D"),
    /** Cyrillic; ESC 02/13 04/12. */
    IR_144("ISO-8859-5", "-L"),
    /** Arabic; ESC 02/13 04/07. */
    IR_127("ISO-8859-6", "-G"),
    /** Greek; ESC 02/13 04/06. */
    IR_126("ISO-8859-7", "-F"),
    /** Hebrew; ESC 02/13 04/08. */
    IR_138("ISO-8859-8", "-H"),
    /** Latin alphabet No. 5; ESC 02/13 04/13. */
    IR_148("ISO-8859-9", "-M"),
    /** Latin alphabet No. 9; ESC 02/13 06/02. */
    IR_203("ISO-8859-15", "-b"),
    /** Thai, TIS 620-2533; ESC 02/13 05/04. */
    IR_166("TIS-620", "-T"),
    /** JIS X 0208 Kanji; ESC 02/04 04/02 (the 02/08 is omitted for final byte 04/02, PS3.5 Table H.1-2 note 1). */
    IR_87("x-JIS0208", "$B"),
    /** JIS X 0212 Supplementary Kanji; ESC 02/04 02/08 04/04. */
    IR_159("JIS_X0212-1990", "$(D"),
    /** KS X 1001 Hangul and Hanja; ESC 02/04 02/09 04/03. */
    IR_149("EUC-KR", "$)C"),
    /** GB 2312 Simplified Chinese; ESC 02/04 02/09 04/01. */
    IR_58("GB2312", "$)A");

    private final String charsetName;
    private final byte[] escape;
    private final boolean g1;
    private final boolean multiByte;
    private final int firstByte;
    private final int lastByte;
    private volatile Charset charset;
    private volatile Map<Integer, byte[]> encodeTable;

    CodeElement(String charsetName, String escape) {
        this.charsetName = charsetName;
        this.escape = escape.getBytes(StandardCharsets.US_ASCII);
        this.multiByte = escape.charAt(0) == '$';
        this.g1 = escape.indexOf(')') >= 0 || escape.charAt(0) == '-';
        boolean set96 = escape.charAt(0) == '-';
        this.firstByte = !g1 ? 0x21 : set96 ? 0xA0 : 0xA1;
        this.lastByte = !g1 ? 0x7E : set96 ? 0xFF : 0xFE;
    }

    /** True for a set designated to G1 (invoked in GR), false for G0 (invoked in GL). */
    boolean isG1() {
        return g1;
    }

    /** True for a 94×94 two-byte set. */
    boolean isMultiByte() {
        return multiByte;
    }

    String charsetName() {
        return charsetName;
    }

    /** Writes ESC and the escape sequence that designates this element. */
    void writeDesignation(ByteArrayOutputStream out) {
        out.write(0x1B);
        out.write(escape, 0, escape.length);
    }

    /** The length of the escape sequence after ESC. */
    int escapeLength() {
        return escape.length;
    }

    /** The element whose escape sequence starts at {@code b[from]} (the byte after ESC), or null if none does. */
    static CodeElement designatedBy(byte[] b, int from, int end) {
        for (CodeElement e : values()) {
            if (end - from >= e.escape.length && Arrays.equals(
                    b, from, from + e.escape.length, e.escape, 0, e.escape.length)) {
                return e;
            }
        }
        return null;
    }

    /** Decodes a run of bytes that all lie in this element's area (GL for G0, GR for G1). */
    String decode(byte[] b, int offset, int length) {
        return new String(b, offset, length, charset());
    }

    /** The bytes of {@code codePoint} in this element (one, or two for a multi-byte set), or null if it has none. */
    byte[] encode(int codePoint) {
        return encodeTable().get(codePoint);
    }

    private Charset charset() {
        Charset c = charset;
        if (c == null) {
            c = Charset.forName(charsetName);
            charset = c;
        }
        return c;
    }

    /**
     * Code point → bytes, built once by decoding every byte (or byte pair) of the element's area with its charset, so
     * that only characters that decode back to themselves are ever written.
     */
    private Map<Integer, byte[]> encodeTable() {
        Map<Integer, byte[]> t = encodeTable;
        if (t == null) {
            t = buildEncodeTable();
            encodeTable = t;
        }
        return t;
    }

    private Map<Integer, byte[]> buildEncodeTable() {
        CharsetDecoder decoder = charset().newDecoder();
        Map<Integer, byte[]> t = new HashMap<>();
        for (int b1 = firstByte; b1 <= lastByte; b1++) {
            if (!multiByte) {
                put(t, decoder, new byte[] {(byte) b1});
                continue;
            }
            for (int b2 = firstByte; b2 <= lastByte; b2++) {
                put(t, decoder, new byte[] {(byte) b1, (byte) b2});
            }
        }
        return Map.copyOf(t);
    }

    private static void put(Map<Integer, byte[]> t, CharsetDecoder decoder, byte[] bytes) {
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(bytes));
            if (chars.length() == 1) {
                t.putIfAbsent((int) chars.charAt(0), bytes);
            }
        } catch (CharacterCodingException unmapped) {
            // position not assigned in this set
        }
    }
}
