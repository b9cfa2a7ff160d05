package org.cameldicomsecure.dicom.charset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of (0008,0005) values, the default repertoire, and the errors of {@link SpecificCharacterSet}. */
class SpecificCharacterSetTest {

    /** All Defined Terms of PS3.3 Tables C.12-2 to C.12-5. */
    @ParameterizedTest
    @ValueSource(strings = {"ISO_IR 100", "ISO_IR 101", "ISO_IR 109", "ISO_IR 110", "ISO_IR 144", "ISO_IR 127",
        "ISO_IR 126", "ISO_IR 138", "ISO_IR 148", "ISO_IR 203", "ISO_IR 13", "ISO_IR 166", "ISO 2022 IR 6",
        "ISO 2022 IR 100", "ISO 2022 IR 101", "ISO 2022 IR 109", "ISO 2022 IR 110", "ISO 2022 IR 144",
        "ISO 2022 IR 127", "ISO 2022 IR 126", "ISO 2022 IR 138", "ISO 2022 IR 148", "ISO 2022 IR 203",
        "ISO 2022 IR 13", "ISO 2022 IR 166", "ISO 2022 IR 87", "ISO 2022 IR 159", "ISO 2022 IR 149",
        "ISO 2022 IR 58", "ISO_IR 192", "GB18030", "GBK"})
    void everyDefinedTermIsKnown(String term) {
        SpecificCharacterSet cs = assertDoesNotThrow(() -> SpecificCharacterSet.valueOf(term));
        assertEquals(List.of(term), cs.definedTerms());
        assertEquals("plain ASCII 123", decode(cs, "plain ASCII 123".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void absentOrEmptyMeansDefaultRepertoire() {
        assertSame(SpecificCharacterSet.DEFAULT, SpecificCharacterSet.valueOf());
        assertSame(SpecificCharacterSet.DEFAULT, SpecificCharacterSet.valueOf((String[]) null));
        assertSame(SpecificCharacterSet.DEFAULT, SpecificCharacterSet.valueOf(""));
        assertSame(SpecificCharacterSet.DEFAULT, SpecificCharacterSet.valueOf("  ", ""));
        assertEquals(List.of(), SpecificCharacterSet.DEFAULT.definedTerms());
        assertFalse(SpecificCharacterSet.DEFAULT.isIso2022());
    }

    @Test
    void defaultRepertoireIsIso646Only() {
        assertEquals("Doe^John", decode(SpecificCharacterSet.DEFAULT, "Doe^John".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("G\uFFFDnther", decode(SpecificCharacterSet.DEFAULT, new byte[] {'G', (byte) 0xFC, 'n', 't', 'h',
            'e', 'r'}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpecificCharacterSet.DEFAULT.encode("Günther", true));
        assertTrue(e.getMessage().contains("U+00FC 'ü'"), e.getMessage());
    }

    @Test
    void emptyValue1MeansIso2022Ir6() {
        SpecificCharacterSet empty = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");
        SpecificCharacterSet explicit = SpecificCharacterSet.valueOf("ISO 2022 IR 6", "ISO 2022 IR 87");
        assertEquals(List.of("", "ISO 2022 IR 87"), empty.definedTerms());
        assertTrue(empty.isIso2022());
        String name = "Yamada^Tarou=山田^太郎";
        assertArrayEquals(explicit.encode(name, true), empty.encode(name, true));
        byte[] b = explicit.encode(name, true);
        assertEquals(name, decode(empty, b));
    }

    @Test
    void valuesAreTrimmedOfPadding() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO_IR 100 ");
        assertEquals(List.of("ISO_IR 100"), cs.definedTerms());
        assertEquals(SpecificCharacterSet.valueOf("ISO_IR 100"), cs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ISO_IR 999", "ISO_IR 6", "iso_ir 100", "ISO-IR 100", "UTF-8", "ISO 2022 IR 192"})
    void unknownTermIsNamedInTheMessage(String term) {
        UnknownCharacterSetException e = assertThrows(UnknownCharacterSetException.class,
                () -> SpecificCharacterSet.valueOf("ISO 2022 IR 6", term));
        assertEquals("unknown Specific Character Set (0008,0005) value '" + term + "'", e.getMessage());
        assertEquals(term, e.definedTerm());
    }

    @Test
    void unknownCharacterSetExceptionIsAnIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> SpecificCharacterSet.valueOf("ISO_IR 999"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ISO_IR 192", "GB18030", "GBK"})
    void termsWithoutCodeExtensionsMustStandAlone(String term) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpecificCharacterSet.valueOf("ISO 2022 IR 6", term));
        assertTrue(e.getMessage().contains("'" + term + "'"), e.getMessage());
        assertFalse(SpecificCharacterSet.valueOf(term).isIso2022());
    }

    @Test
    void iso2022IsUsedForSeveralValuesOrAnIso2022Term() {
        assertFalse(SpecificCharacterSet.valueOf("ISO_IR 100").isIso2022());
        assertTrue(SpecificCharacterSet.valueOf("ISO 2022 IR 100").isIso2022());
        assertTrue(SpecificCharacterSet.valueOf("ISO_IR 100", "ISO 2022 IR 126").isIso2022());
    }

    @Test
    void singleByteTermAmongSeveralValuesActsAsItsIso2022Twin() {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO_IR 100", "ISO 2022 IR 126");
        assertEquals("éα", decode(cs, HexFormat.ofDelimiter(" ").parseHex("E9 1B 2D 46 E1")));
    }

    @Test
    void multiByteTermAsValue1StartsFromTheDefaultRepertoire() {
        // seen in the wild; Table C.12-4 terms belong in value 2 to n
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO 2022 IR 149");
        byte[] b = HexFormat.ofDelimiter(" ").parseHex("48 6F 6E 67 3D 1B 24 29 43 FB F3");
        assertEquals("Hong=洪", decode(cs, b));
        assertArrayEquals(b, cs.encode("Hong=洪", true));
    }

    @Test
    void decodeHonoursOffsetAndLengthAndKeepsPadding() {
        byte[] b = "xxDOE^JOHN yy".getBytes(StandardCharsets.US_ASCII);
        assertEquals("DOE^JOHN ", SpecificCharacterSet.valueOf("ISO_IR 100").decode(b, 2, 9));
        assertEquals("DOE^JOHN ", SpecificCharacterSet.valueOf("ISO_IR 192").decode(b, 2, 9));
        assertThrows(IndexOutOfBoundsException.class, () -> SpecificCharacterSet.DEFAULT.decode(b, 10, 9));
    }

    @Test
    void unencodableCharacterIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpecificCharacterSet.valueOf("ISO_IR 100").encode("Yamada 山田", true));
        assertTrue(e.getMessage().contains("U+5C71 '山'"), e.getMessage());
        assertTrue(e.getMessage().contains("'ISO_IR 100'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SpecificCharacterSet.valueOf("GBK").encode("smile \uD83D\uDE00", false));
        assertTrue(e.getMessage().contains("U+1F600"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SpecificCharacterSet.valueOf("ISO_IR 192").encode("bad \uD800", false));
        assertTrue(e.getMessage().contains("U+D800"), e.getMessage());
    }

    @Test
    void supplementaryCharactersInUtf8AndGb18030() {
        String s = "smile \uD83D\uDE00";
        for (String term : List.of("ISO_IR 192", "GB18030")) {
            SpecificCharacterSet cs = SpecificCharacterSet.valueOf(term);
            assertEquals(s, decode(cs, cs.encode(s, false)));
        }
    }

    @Test
    void escapeCannotBeEncoded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpecificCharacterSet.valueOf("", "ISO 2022 IR 87").encode("a\u001B$Bb", false));
        assertTrue(e.getMessage().contains("U+001B"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpecificCharacterSet.valueOf("ISO_IR 192").encode("\u001B",
                false));
    }

    @Test
    void valueSemantics() {
        SpecificCharacterSet a = SpecificCharacterSet.valueOf("ISO 2022 IR 6", "ISO 2022 IR 87");
        SpecificCharacterSet b = SpecificCharacterSet.valueOf("ISO 2022 IR 6", "ISO 2022 IR 87");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, SpecificCharacterSet.valueOf("", "ISO 2022 IR 87"));
        assertEquals("SpecificCharacterSet[ISO 2022 IR 6, ISO 2022 IR 87]", a.toString());
    }

    private static String decode(SpecificCharacterSet cs, byte[] b) {
        return cs.decode(b, 0, b.length);
    }
}
