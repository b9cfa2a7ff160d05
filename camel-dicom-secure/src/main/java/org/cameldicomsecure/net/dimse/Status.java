package org.cameldicomsecure.net.dimse;

/** DIMSE status codes used here (PS3.7 Annex C; C-STORE: PS3.4 Table B.2-1). */
public final class Status {

    public static final int SUCCESS = 0x0000;
    /** PS3.4 B.2.3: Warning, Coercion of Data Elements. */
    public static final int COERCION_OF_DATA_ELEMENTS = 0xB000;
    /** PS3.4 B.2.3: Warning, Elements Discarded. */
    public static final int ELEMENTS_DISCARDED = 0xB006;
    /** PS3.4 B.2.3: Warning, Data Set does not match SOP Class. */
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS_WARNING = 0xB007;
    /** PS3.4 B.2.3: Refused, Out of Resources (A7xx). Sent when the route failed: the sender keeps the instance. */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** PS3.4 B.2.3: Error, Data Set does not match SOP Class (A9xx). */
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** PS3.4 B.2.3: Error, Cannot understand (Cxxx). Sent when the data set cannot be parsed. */
    public static final int CANNOT_UNDERSTAND = 0xC000;
    /** PS3.7 C.4: Failure, Processing failure. */
    public static final int PROCESSING_FAILURE = 0x0110;
    /** PS3.7 C.4: Failure, SOP Class not supported. */
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    /** PS3.7 C.4: Failure, Unrecognized operation. */
    public static final int UNRECOGNIZED_OPERATION = 0x0211;

    private Status() {
    }

    public static boolean isSuccess(int status) {
        return status == SUCCESS;
    }

    /** PS3.7 C.1: warnings are 0001, Bxxx and 0107, 0116. */
    public static boolean isWarning(int status) {
        return status == 0x0001 || (status & 0xF000) == 0xB000 || status == 0x0107 || status == 0x0116;
    }

    /** Pending (FF00, FF01), used by C-FIND/C-MOVE/C-GET. */
    public static boolean isPending(int status) {
        return status == 0xFF00 || status == 0xFF01;
    }

    public static boolean isFailure(int status) {
        return !isSuccess(status) && !isWarning(status) && !isPending(status) && status != 0xFE00;
    }

    public static String toHex(int status) {
        return String.format("%04X", status);
    }
}
