package org.cameldicomsecure.deid;

import org.cameldicomsecure.dicom.VR;

/**
 * The dummy values of action D (PS3.15 E.1-1a: "a non-zero length value that may be a dummy value and consistent with
 * the VR"). Text VRs get {@link #TEXT}; dates, times and numbers a valid constant; binary VRs one zero unit. UI is not
 * here: a UI dummy is the replacement UID of the original (see {@link UidMapper}), so references stay consistent.
 */
final class DummyValues {

    /** The dummy of the text VRs (AE, CS, LO, LT, PN, SH, ST, UC, UR, UT): valid for every one of them. */
    static final String TEXT = "ANONYMOUS";
    static final String DATE = "19000101";
    static final String TIME = "000000";
    static final String DATE_TIME = "19000101000000";
    static final String AGE = "000Y";
    static final String NUMBER = "0";

    private DummyValues() {
    }

    /** The dummy text of a text VR, or {@code null} for VR UI and the binary VRs. */
    static String text(VR vr) {
        return switch (vr) {
            case DA -> DATE;
            case TM -> TIME;
            case DT -> DATE_TIME;
            case AS -> AGE;
            case DS, IS -> NUMBER;
            case UI -> null;
            default -> vr.isText() ? TEXT : null;
        };
    }

    /** The dummy bytes of a binary VR: one unit of zero bytes (two for OB and UN, which must be even). */
    static byte[] binary(VR vr) {
        int n = switch (vr) {
            case OB, UN, US, SS, OW -> 2;
            case AT, UL, SL, FL, OF, OL -> 4;
            case FD, OD, SV, UV, OV -> 8;
            default -> throw new IllegalArgumentException("no binary dummy for VR " + vr);
        };
        return new byte[n];
    }
}
