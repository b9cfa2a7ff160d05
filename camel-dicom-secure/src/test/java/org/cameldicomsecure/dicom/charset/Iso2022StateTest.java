package org.cameldicomsecure.dicom.charset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Designation state of ISO/IEC 2022 code extensions at the delimiters of PS3.5 §6.1.2.5.3. */
class Iso2022StateTest {

    private static final SpecificCharacterSet LATIN1_GREEK =
            SpecificCharacterSet.valueOf("ISO 2022 IR 100", "ISO 2022 IR 126");
    private static final SpecificCharacterSet KANJI = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");
    private static final SpecificCharacterSet KOREAN = SpecificCharacterSet.valueOf("", "ISO 2022 IR 149");

    @Test
    void backslashBetweenValuesRestoresTheG1OfValue1() {
        // ESC - F designates Greek; after 05/12 G1 is Latin-1 again, so E9 is é, not ι
        assertEquals("α\\é", decode(LATIN1_GREEK, "1B 2D 46 E1 5C E9"));
        assertEquals("1B 2D 46 E1 1B 2D 41 5C E9", encode(LATIN1_GREEK, "α\\é", false));
    }

    @Test
    void backslashBetweenValuesDropsAG1ThatValue1DoesNotHave() {
        assertEquals("한\\\uFFFD\uFFFD", decode(KOREAN, "1B 24 29 43 C7 D1 5C C7 D1"));
        assertEquals("1B 24 29 43 C7 D1 5C 1B 24 29 43 C7 D1", encode(KOREAN, "한\\한", false));
    }

    @Test
    void backslashBetweenValuesRestoresG0() {
        assertEquals("山田\\AB", decode(KANJI, "1B 24 42 3B 33 45 44 1B 28 42 5C 41 42"));
        assertEquals("1B 24 42 3B 33 45 44 1B 28 42 5C 41 42", encode(KANJI, "山田\\AB", false));
    }

    @Test
    void byteOfATwoByteCharacterIsNoDelimiter() {
        // ぼ is 24 5C and ま is 24 5E in JIS X 0208: neither 05/12 nor 05/14 is a delimiter there (PS3.5 §6.1.2.3)
        assertEquals("ぼま\\A", decode(KANJI, "1B 24 42 24 5C 24 5E 1B 28 42 5C 41"));
        assertEquals("1B 24 42 24 5C 24 5E 1B 28 42 5C 41", encode(KANJI, "ぼま\\A", true));
    }

    @Test
    void newLineRestoresValue1() {
        assertEquals("Λ\r\n»", decode(LATIN1_GREEK, "1B 2D 46 CB 0D 0A BB"));
        assertEquals("1B 2D 46 CB 1B 2D 41 0D 0A BB", encode(LATIN1_GREEK, "Λ\r\n»", false));
        assertEquals("Λ\f»", decode(LATIN1_GREEK, "1B 2D 46 CB 0C BB"));
    }

    @Test
    void tabIsPrecededByValue1ButKeepsALaterDesignationWhenDecoding() {
        assertEquals("1B 24 42 3B 33 1B 28 42 09 1B 24 42 45 44 1B 28 42", encode(KANJI, "山\t田", false));
        // TAB is no new line, value or component: a G1 designated before it stays in use
        assertEquals("한\t한", decode(KOREAN, "1B 24 29 43 C7 D1 09 C7 D1"));
    }

    @Test
    void personNameDelimitersRestoreValue1OnlyForPn() {
        assertEquals("1B 24 29 43 FB F3 5E 1B 24 29 43 D1 CE", encode(KOREAN, "洪^吉", true));
        assertEquals("1B 24 29 43 FB F3 5E D1 CE", encode(KOREAN, "洪^吉", false));
        assertEquals("1B 2D 46 E1 1B 2D 41 3D E9", encode(LATIN1_GREEK, "α=é", true));
        assertEquals("1B 2D 46 E1 3D 1B 2D 41 E9", encode(LATIN1_GREEK, "α=é", false));
    }

    @Test
    void spaceNeedsNoDesignation() {
        assertEquals("1B 24 42 3B 33 20 45 44 1B 28 42", encode(KANJI, "山 田", false));
        assertEquals("山 田", decode(KANJI, "1B 24 42 3B 33 20 45 44 1B 28 42"));
    }

    @Test
    void asciiAfterKanjiDesignatesIso646Again() {
        assertEquals("1B 24 42 3B 33 1B 28 42 41", encode(KANJI, "山A", false));
    }

    @Test
    void g1SetsAreSwitchedAsNeeded() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 126");
        assertEquals("1B 2D 41 E9 1B 2D 46 E1 1B 2D 41 E9", encode(cs, "éαé", false));
        assertEquals("éαé", decode(cs, "1B 2D 41 E9 1B 2D 46 E1 1B 2D 41 E9"));
    }

    @Test
    void supplementaryKanjiIso2022Ir159() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87", "ISO 2022 IR 159");
        // 丂 (U+4E02) is only in JIS X 0212, at 30 21; ESC 02/04 02/08 04/04 designates it (PS3.5 Table H.1-2)
        assertEquals("1B 24 42 3B 33 1B 24 28 44 30 21 1B 28 42 5E 1B 24 28 44 30 21 1B 28 42",
                encode(cs, "山丂^丂", true));
        assertEquals("山丂^丂", decode(cs, "1B 24 42 3B 33 1B 24 28 44 30 21 1B 28 42 5E 1B 24 28 44 30 21 1B 28 42"));
    }

    @Test
    void grByteWithoutG1DecodesToReplacementCharacter() {
        assertEquals("A\uFFFD", decode(KANJI, "41 E9"));
    }

    @Test
    void decodingAcceptsEscapeSequencesOfSetsNotListed() {
        assertEquals("山", decode(SpecificCharacterSet.valueOf("ISO 2022 IR 6"), "1B 24 42 3B 33 1B 28 42"));
    }

    @Test
    void unknownEscapeSequenceIsRejectedShowingOnlyTheEscape() {
        // ESC 02/04 04/00 designates JIS C 6226-1978, which no Defined Term uses
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> decode(KANJI, "1B 24 40 3B 33"));
        assertTrue(e.getMessage().contains("ESC 02/04 04/00"), e.getMessage());
        assertFalse(e.getMessage().contains("03/11"), "no text byte in the message: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> decode(KANJI, "41 1B"));
    }

    @Test
    void escapeWithoutCodeExtensionsIsAControlCharacter() {
        assertEquals("\u001B$B", decode(SpecificCharacterSet.valueOf("ISO_IR 100"), "1B 24 42"));
    }

    @Test
    void characterOutsideTheDeclaredSetsIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KANJI.encode("A한", false));
        assertTrue(e.getMessage().contains("U+D55C '한'"), e.getMessage());
        assertTrue(e.getMessage().contains("'\\ISO 2022 IR 87'"), e.getMessage());
    }

    private static String decode(SpecificCharacterSet cs, String hex) {
        byte[] b = HexFormat.ofDelimiter(" ").parseHex(hex);
        return cs.decode(b, 0, b.length);
    }

    private static String encode(SpecificCharacterSet cs, String text, boolean personName) {
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(cs.encode(text, personName));
    }
}
