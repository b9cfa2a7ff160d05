package org.cameldicomsecure.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PrivateCreatorsTest {

    @Test
    void findsAndReservesBlocksByCreator() {
        Dataset ds = new Dataset();
        ds.setString(0x00290010, VR.LO, "SIEMENS CSA HEADER");
        ds.setString(0x00290011, VR.LO, "SIEMENS MEDCOM HEADER");
        assertEquals(0x00291108, PrivateCreators.tagOf(ds, 0x0029, "SIEMENS MEDCOM HEADER", 0x08));
        assertEquals(-1, PrivateCreators.tagOf(ds, 0x0029, "ACME", 0x01));
        assertEquals(0x00291201, PrivateCreators.reserve(ds, 0x0029, "ACME", 0x01));
        assertEquals("ACME", ds.getString(0x00290012));
        assertEquals(0x00291201, PrivateCreators.reserve(ds, 0x0029, "ACME", 0x01));
        ds.setString(0x00291201, VR.LO, "x");
        assertEquals("ACME", PrivateCreators.creatorOf(ds, 0x00291201));
        assertNull(PrivateCreators.creatorOf(ds, 0x00291301));
        assertNull(PrivateCreators.creatorOf(ds, Tag.PatientName));
        assertThrows(IllegalArgumentException.class, () -> PrivateCreators.tagOf(ds, 0x0028, "ACME", 1));
    }
}
