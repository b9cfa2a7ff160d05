package org.cameldicomsecure.dicom.charset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every single-byte Defined Term of PS3.3 Tables C.12-2 and C.12-3 with one non-ASCII character of its G1 set: alone,
 * as its single-valued "ISO 2022" twin, and designated by its escape sequence after ISO 2022 IR 6.
 */
class SingleByteTermsTest {

    /** ISO-IR number, a character of the set, its byte, and the bytes after ESC that designate the set to G1. */
    static Stream<Arguments> terms() {
        return Stream.of(
                Arguments.of("100", "ü", 0xFC, "2D 41"),
                Arguments.of("101", "Ł", 0xA3, "2D 42"),
                Arguments.of("109", "Ħ", 0xA1, "2D 43"),
                Arguments.of("110", "ĸ", 0xA2, "2D 44"),
                Arguments.of("144", "Л", 0xBB, "2D 4C"),
                Arguments.of("127", "ق", 0xE2, "2D 47"),
                Arguments.of("126", "Δ", 0xC4, "2D 46"),
                Arguments.of("138", "ש", 0xF9, "2D 48"),
                Arguments.of("148", "ı", 0xFD, "2D 4D"),
                Arguments.of("203", "€", 0xA4, "2D 62"),
                Arguments.of("13", "ﾔ", 0xD4, "29 49"),
                Arguments.of("166", "ภ", 0xC0, "2D 54"));
    }

    @ParameterizedTest(name = "ISO_IR {0}")
    @MethodSource("terms")
    void withoutCodeExtensions(String ir, String ch, int b, String escape) {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO_IR " + ir);
        byte[] bytes = {'A', (byte) b, ' '};
        assertEquals("A" + ch + " ", cs.decode(bytes, 0, bytes.length));
        assertArrayEquals(bytes, cs.encode("A" + ch + " ", false));
        assertFalse(cs.isIso2022());
    }

    @ParameterizedTest(name = "ISO 2022 IR {0}")
    @MethodSource("terms")
    void singleValuedIso2022Term(String ir, String ch, int b, String escape) {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO 2022 IR " + ir);
        byte[] bytes = {'A', (byte) b};
        assertEquals("A" + ch, cs.decode(bytes, 0, bytes.length), "value 1 is designated at the start");
        assertArrayEquals(bytes, cs.encode("A" + ch, false));
        assertTrue(cs.isIso2022());
    }

    @ParameterizedTest(name = "ISO 2022 IR 6\\ISO 2022 IR {0}")
    @MethodSource("terms")
    void designatedByEscapeSequence(String ir, String ch, int b, String escape) {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO 2022 IR 6", "ISO 2022 IR " + ir);
        byte[] bytes = HexFormat.ofDelimiter(" ").parseHex("41 1B " + escape + String.format(" %02X 42", b));
        assertEquals("A" + ch + "B", cs.decode(bytes, 0, bytes.length));
        assertArrayEquals(bytes, cs.encode("A" + ch + "B", false));
    }
}
