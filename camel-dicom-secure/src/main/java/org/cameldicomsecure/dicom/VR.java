package org.cameldicomsecure.dicom;

/**
 * Value Representations, PS3.5 §6.2 (Table 6.2-1) and the explicit VR header forms of PS3.5 §7.1.2.
 *
 * <p>Each constant carries what the codec needs: whether the explicit VR header has the 2 reserved bytes and a
 * 32-bit length ({@link #longLength()}), the padding byte for odd values, the size of the binary units to swap between
 * byte orders, and whether the value is text subject to Specific Character Set (PS3.5 §6.1.2.3).
 */
public enum VR {
    AE(Kind.TEXT, false, ' ', 1, false, true),
    AS(Kind.TEXT, false, ' ', 1, false, true),
    AT(Kind.BINARY, false, 0, 2, false, true),
    CS(Kind.TEXT, false, ' ', 1, false, true),
    DA(Kind.TEXT, false, ' ', 1, false, true),
    DS(Kind.TEXT, false, ' ', 1, false, true),
    DT(Kind.TEXT, false, ' ', 1, false, true),
    FL(Kind.BINARY, false, 0, 4, false, true),
    FD(Kind.BINARY, false, 0, 8, false, true),
    IS(Kind.TEXT, false, ' ', 1, false, true),
    LO(Kind.TEXT, false, ' ', 1, true, true),
    LT(Kind.TEXT, false, ' ', 1, true, false),
    OB(Kind.BINARY, true, 0, 1, false, false),
    OD(Kind.BINARY, true, 0, 8, false, false),
    OF(Kind.BINARY, true, 0, 4, false, false),
    OL(Kind.BINARY, true, 0, 4, false, false),
    OV(Kind.BINARY, true, 0, 8, false, false),
    OW(Kind.BINARY, true, 0, 2, false, false),
    PN(Kind.TEXT, false, ' ', 1, true, true),
    SH(Kind.TEXT, false, ' ', 1, true, true),
    SL(Kind.BINARY, false, 0, 4, false, true),
    SQ(Kind.SEQUENCE, true, 0, 1, false, false),
    SS(Kind.BINARY, false, 0, 2, false, true),
    ST(Kind.TEXT, false, ' ', 1, true, false),
    SV(Kind.BINARY, true, 0, 8, false, true),
    TM(Kind.TEXT, false, ' ', 1, false, true),
    UC(Kind.TEXT, true, ' ', 1, true, true),
    UI(Kind.TEXT, false, 0, 1, false, true),
    UL(Kind.BINARY, false, 0, 4, false, true),
    UN(Kind.BINARY, true, 0, 1, false, false),
    UR(Kind.TEXT, true, ' ', 1, false, false),
    US(Kind.BINARY, false, 0, 2, false, true),
    UT(Kind.TEXT, true, ' ', 1, true, false),
    UV(Kind.BINARY, true, 0, 8, false, true);

    /** Broad family of a VR. */
    public enum Kind { TEXT, BINARY, SEQUENCE }

    private static final VR[] BY_CODE = new VR[0x10000];

    static {
        for (VR vr : values()) {
            int code = vr.code();
            if (BY_CODE[code] != null) {
                throw new IllegalStateException("duplicate VR code " + vr);
            }
            BY_CODE[code] = vr;
        }
    }

    private final Kind kind;
    private final boolean longLength;
    private final byte padding;
    private final int unitSize;
    private final boolean specificCharacterSet;
    private final boolean multiValued;

    VR(Kind kind, boolean longLength, int padding, int unitSize, boolean specificCharacterSet, boolean multiValued) {
        this.kind = kind;
        this.longLength = longLength;
        this.padding = (byte) padding;
        this.unitSize = unitSize;
        this.specificCharacterSet = specificCharacterSet;
        this.multiValued = multiValued;
    }

    /** The two ASCII characters of the VR as a big-endian 16-bit value, as they appear on the wire. */
    public int code() {
        String n = name();
        return (n.charAt(0) << 8) | n.charAt(1);
    }

    /**
     * Looks a VR up by its 16-bit wire code (first character in the high byte).
     *
     * @return the VR, or {@code null} if the code names no VR of PS3.5 Table 6.2-1
     */
    public static VR ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isText() {
        return kind == Kind.TEXT;
    }

    /** PS3.5 §7.1.2: true when the explicit VR header has two reserved bytes and a 32-bit value length. */
    public boolean longLength() {
        return longLength;
    }

    /** The byte that pads a value to even length (PS3.5 §6.2): space for text, NUL for UI and binary VRs. */
    public byte padding() {
        return padding;
    }

    /** Size in bytes of the numbers a binary value is made of (1 for bytes and text): the unit swapped between byte orders. */
    public int unitSize() {
        return unitSize;
    }

    /** PS3.5 §6.1.2.3: the value is decoded with the data set's Specific Character Set. */
    public boolean usesSpecificCharacterSet() {
        return specificCharacterSet;
    }

    /** Whether more than one value may be present (backslash-separated for text). LT, ST, UT, UR and the O* VRs cannot. */
    public boolean multiValued() {
        return multiValued;
    }

    /** Undefined length (0xFFFFFFFF) is allowed for SQ and, for encapsulated data or CP-246 sequences, OB, OW and UN. */
    public boolean allowsUndefinedLength() {
        return this == SQ || this == OB || this == OW || this == UN;
    }
}
