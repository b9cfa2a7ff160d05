package org.cameldicomsecure.audit.trail;

import java.io.IOException;

/**
 * A sink refuses one record for good (it is larger than the transport carries, or the receiver rejects its content):
 * sending it again would fail again. The trail does not retry it; it raises an {@code AuditAlarm} naming the record's
 * sequence and ID (never its content) and goes on with the next one, so nothing is dropped silently.
 */
public class RecordRejectedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long sequence;

    public RecordRejectedException(long sequence, String message) {
        super(message);
        this.sequence = sequence;
    }

    public RecordRejectedException(long sequence, String message, Throwable cause) {
        super(message, cause);
        this.sequence = sequence;
    }

    /** The spool sequence number of the refused record. */
    public long sequence() {
        return sequence;
    }
}
