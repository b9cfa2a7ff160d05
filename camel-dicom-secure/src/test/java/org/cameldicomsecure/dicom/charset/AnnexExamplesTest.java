package org.cameldicomsecure.dicom.charset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * The worked examples of PS3.5 Annexes H, I, J and K (and the note of §6.1.2.3), byte for byte in both directions. The
 * byte sequences are copied from the standard's text, in its own notation (column/row or 0x..).
 */
class AnnexExamplesTest {

    /** PS3.5 §6.1.2.3 note 1: "Günther" in ISO_IR 100. */
    @Test
    void latin1Guenther() {
        assertRoundTrip(SpecificCharacterSet.valueOf("ISO_IR 100"), "Günther", false,
                columnRow("04/07 15/12 06/14 07/04 06/08 06/05 07/02"));
    }

    /** PS3.5 Example H.3-1: value 1 empty, value 2 ISO 2022 IR 87. */
    @Test
    void japaneseKanjiH31() {
        assertRoundTrip(SpecificCharacterSet.valueOf("", "ISO 2022 IR 87"), "Yamada^Tarou=山田^太郎=やまだ^たろう", true,
                columnRow("05/09 06/01 06/13 06/01 06/04 06/01 05/14 05/04 06/01 07/02 06/15 07/05 03/13 01/11 02/04 "
                        + "04/02 03/11 03/03 04/05 04/04 01/11 02/08 04/02 05/14 01/11 02/04 04/02 04/02 04/00 04/15 "
                        + "03/10 01/11 02/08 04/02 03/13 01/11 02/04 04/02 02/04 06/04 02/04 05/14 02/04 04/00 01/11 "
                        + "02/08 04/02 05/14 01/11 02/04 04/02 02/04 03/15 02/04 06/13 02/04 02/06 01/11 02/08 04/02"));
    }

    /** PS3.5 Example H.3-2: ISO 2022 IR 13 (JIS X 0201) as value 1, ISO 2022 IR 87 as value 2. */
    @Test
    void japaneseKatakanaAndKanjiH32() {
        assertRoundTrip(SpecificCharacterSet.valueOf("ISO 2022 IR 13", "ISO 2022 IR 87"),
                "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", true,
                columnRow("13/04 12/15 12/00 13/14 05/14 12/00 13/11 11/03 03/13 01/11 02/04 04/02 03/11 03/03 04/05 "
                        + "04/04 01/11 02/08 04/10 05/14 01/11 02/04 04/02 04/02 04/00 04/15 03/10 01/11 02/08 04/10 "
                        + "03/13 01/11 02/04 04/02 02/04 06/04 02/04 05/14 02/04 04/00 01/11 02/08 04/10 05/14 01/11 "
                        + "02/04 04/02 02/04 03/15 02/04 06/13 02/04 02/06 01/11 02/08 04/10"));
    }

    /** PS3.5 Example I.2-1: Korean, value 1 empty, value 2 ISO 2022 IR 149 (KS X 1001 in G1). */
    @Test
    void koreanI21() {
        assertRoundTrip(SpecificCharacterSet.valueOf("", "ISO 2022 IR 149"), "Hong^Gildong=洪^吉洞=홍^길동", true,
                columnRow("04/08 06/15 06/14 06/07 05/14 04/07 06/09 06/12 06/04 06/15 06/14 06/07 03/13 01/11 02/04 "
                        + "02/09 04/03 15/11 15/03 05/14 01/11 02/04 02/09 04/03 13/01 12/14 13/04 13/07 03/13 01/11 "
                        + "02/04 02/09 04/03 12/08 10/11 05/14 01/11 02/04 02/09 04/03 11/01 14/06 11/05 11/15"));
    }

    /**
     * PS3.5 Example I.3-1: Korean Long Text with the escape sequence at the head of each line, after which Hangul and
     * ASCII mix without escapes. The standard shows the layout, not the bytes; 한글 is C7 D1 B1 DB in KS X 1001.
     */
    @Test
    void koreanLongTextI31() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 149");
        byte[] bytes = concat(hex("1B 24 29 43"), ascii("The first line includes "), hex("C7 D1 B1 DB"), ascii(".\r\n"),
                hex("1B 24 29 43"), ascii("The second line includes "), hex("C7 D1 B1 DB"), ascii(", too.\r\n"),
                ascii("The third line."));
        String text = "The first line includes 한글.\r\nThe second line includes 한글, too.\r\nThe third line.";
        assertEquals(text, decode(cs, bytes));
        // our encoder places the escape just before the first Hangul of each line, which is equally valid
        assertEquals(text, decode(cs, cs.encode(text, false)));
        assertArrayEquals(concat(ascii("The first line includes "), hex("1B 24 29 43 C7 D1 B1 DB"), ascii(".\r\n"),
                ascii("The second line includes "), hex("1B 24 29 43 C7 D1 B1 DB"), ascii(", too.\r\n"),
                ascii("The third line.")), cs.encode(text, false));
    }

    /** PS3.5 Example J.1: ISO_IR 192 (UTF-8) person name. */
    @Test
    void unicodePersonNameJ1() {
        assertRoundTrip(SpecificCharacterSet.valueOf("ISO_IR 192"), "Wang^XiaoDong=王^小東=", true,
                hex("57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d e7 8e 8b 5e e5 b0 8f e6 9d b1 3d"));
    }

    /** PS3.5 Example J.2: ISO_IR 192 (UTF-8) long text. */
    @Test
    void unicodeLongTextJ2() {
        assertRoundTrip(SpecificCharacterSet.valueOf("ISO_IR 192"), J_LONG_TEXT, false,
                concat(ascii("The first line includes"), hex("e4 b8 ad e6 96 87"),
                        ascii(".\r\nThe second line includes"), hex("e4 b8 ad e6 96 87"),
                        ascii(", too.\r\nThe third line.\r\n")));
    }

    /** PS3.5 Example J.3 with GB18030, and with GBK (the Annex J introduction applies the examples to both). */
    @Test
    void gb18030AndGbkPersonNameJ3() {
        byte[] bytes = hex("57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d cd f5 5e d0 a1 b6 ab 3d");
        assertRoundTrip(SpecificCharacterSet.valueOf("GB18030"), "Wang^XiaoDong=王^小东=", true, bytes);
        assertRoundTrip(SpecificCharacterSet.valueOf("GBK"), "Wang^XiaoDong=王^小东=", true, bytes);
    }

    /** PS3.5 Example J.4 with GB18030 and with GBK. */
    @Test
    void gb18030AndGbkLongTextJ4() {
        byte[] bytes = concat(ascii("The first line includes"), hex("d6 d0 ce c4"),
                ascii(".\r\nThe second line includes"), hex("d6 d0 ce c4"), ascii(", too.\r\nThe third line.\r\n"));
        assertRoundTrip(SpecificCharacterSet.valueOf("GB18030"), J_LONG_TEXT, false, bytes);
        assertRoundTrip(SpecificCharacterSet.valueOf("GBK"), J_LONG_TEXT, false, bytes);
    }

    /** PS3.5 Example K.2-1: GB 2312 in G1 by ISO 2022 IR 58; the example ends with its SPACE padding. */
    @Test
    void chinesePersonNameK21() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 58");
        byte[] padded = hex("5A 68 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D 1B 24 29 41 D5 C5 5E 1B 24 29 41 D0 A1 B6 AB "
                + "3D 20");
        assertEquals("Zhang^XiaoDong=张^小东= ", decode(cs, padded), "padding is kept");
        assertArrayEquals(Arrays.copyOf(padded, padded.length - 1), cs.encode("Zhang^XiaoDong=张^小东=", true));
    }

    /** PS3.5 Example K.3-1: each line starts in the default set and designates GB 2312 again. */
    @Test
    void chineseLongTextK31() {
        assertRoundTrip(SpecificCharacterSet.valueOf("", "ISO 2022 IR 58"), "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n",
                false, hex("31 2e 1B 24 29 41 B5 DA D2 BB D0 D0 CE C4 D7 D6 A1 A3 0D 0A "
                        + "32 2e 1B 24 29 41 B5 DA B6 FE D0 D0 CE C4 D7 D6 A1 A3 0D 0A "
                        + "33 2e 1B 24 29 41 B5 DA C8 FD D0 D0 CE C4 D7 D6 A1 A3 0D 0A"));
    }

    private static final String J_LONG_TEXT =
            "The first line includes中文.\r\nThe second line includes中文, too.\r\nThe third line.\r\n";

    private static void assertRoundTrip(SpecificCharacterSet cs, String text, boolean personName, byte[] bytes) {
        assertEquals(text, decode(cs, bytes), "decode");
        assertEquals(HexFormat.ofDelimiter(" ").formatHex(bytes),
                HexFormat.ofDelimiter(" ").formatHex(cs.encode(text, personName)), "encode");
    }

    private static String decode(SpecificCharacterSet cs, byte[] bytes) {
        return cs.decode(bytes, 0, bytes.length);
    }

    /** Bytes in the column/row notation of the standard, e.g. "01/11 02/04 04/02". */
    private static byte[] columnRow(String s) {
        String[] parts = s.trim().split("\\s+");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String[] cr = parts[i].split("/");
            b[i] = (byte) (Integer.parseInt(cr[0]) << 4 | Integer.parseInt(cr[1]));
        }
        return b;
    }

    private static byte[] hex(String s) {
        return HexFormat.ofDelimiter(" ").parseHex(s.replace("0x", "").trim().replaceAll("\\s+", " "));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
