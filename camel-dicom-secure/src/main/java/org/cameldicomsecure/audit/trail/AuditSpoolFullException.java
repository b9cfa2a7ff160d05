package org.cameldicomsecure.audit.trail;

import java.io.IOException;

/** The spool has no room for a record under its {@code maxSpoolBytes} limit; the record was not spooled. */
public class AuditSpoolFullException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long maxSpoolBytes;
    private final long usedBytes;

    public AuditSpoolFullException(String message, long maxSpoolBytes, long usedBytes) {
        super(message);
        this.maxSpoolBytes = maxSpoolBytes;
        this.usedBytes = usedBytes;
    }

    /** The configured limit. */
    public long maxSpoolBytes() {
        return maxSpoolBytes;
    }

    /** The bytes in use (segment files and queued records) when the record was refused. */
    public long usedBytes() {
        return usedBytes;
    }
}
