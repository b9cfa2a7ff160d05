package org.cameldicomsecure.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class FileIdsTest {

    @Test
    void acceptsComponentsOfUpperCaseDigitsAndUnderscore() {
        FileIds.check(List.of("PAT00001", "A_B", "Z9"));
        assertTrue(FileIds.isValid(List.of("DICOMDIR")));
        assertTrue(FileIds.isValid(Collections.nCopies(8, "ABCDEFGH")));
    }

    @Test
    void refusesWhatPs310Forbids() {
        for (List<String> bad : List.of(List.<String>of(), List.of(""), List.of("ABCDEFGHI"), List.of("abc"),
                List.of("A B"), List.of("A.DCM"), List.of("A-B"), List.of(".."), List.of("Ä"),
                Collections.nCopies(9, "A"))) {
            assertFalse(FileIds.isValid(bad), bad.toString());
            assertThrows(IllegalArgumentException.class, () -> FileIds.check(bad));
        }
    }

    @Test
    void mimeIdAndName() {
        List<String> id = List.of("PAT00001", "STU00001", "SER00001", "IMG00001");
        assertEquals("PAT00001/STU00001/SER00001/IMG00001", FileIds.mimeId(id));
        assertEquals("IMG00001.dcm", FileIds.mimeName(id));
        assertEquals("DICOMDIR", FileIds.mimeName(List.of("DICOMDIR")));
        assertEquals(71, FileIds.mimeId(Collections.nCopies(8, "ABCDEFGH")).length());
    }

    @Test
    void parseValidates() {
        assertEquals(List.of("A", "B"), FileIds.parse("A/B"));
        for (String bad : new String[] {"", "/A", "A/", "A//B", "../A", "A\\B", "a/b", "A/B/C/D/E/F/G/H/I"}) {
            assertThrows(IllegalArgumentException.class, () -> FileIds.parse(bad), bad);
        }
    }
}
