package org.cameldicomsecure.net.pdu;

/** A PDU that breaks PS3.8 §9.3; {@link #abortReason()} is the A-ABORT reason (Table 9-26) to answer it with. */
public class MalformedPduException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int abortReason;

    public MalformedPduException(int abortReason, String message) {
        super(message);
        this.abortReason = abortReason;
    }

    public int abortReason() {
        return abortReason;
    }
}
