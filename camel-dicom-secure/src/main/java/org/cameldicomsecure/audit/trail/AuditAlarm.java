package org.cameldicomsecure.audit.trail;

import java.time.Instant;
import java.util.Objects;

/**
 * Something in the audit trail needs an operator: the spool overflowed (or recovered from it), a sink refused a record
 * for good, the spool's tail was found torn after a crash, or the spool cannot be written. Handed to
 * {@link AuditTrailOptions#alarmHandler()} on a dedicated thread (the handler may call
 * {@link AuditTrail#emitReserved}, e.g. to emit a DICOM Security Alert); never holds a payload.
 *
 * @param kind          what happened
 * @param time          when
 * @param message       a human-readable description (no payload, no patient data)
 * @param sink          the sink concerned, or null
 * @param sequence      the spool sequence concerned (the refused record, the last valid record before a torn tail), or 0
 * @param recordId      the ID of the record concerned, or null
 * @param records       how many records are affected: dropped or rejected (for the end of an episode: during the
 *                      whole episode), waiting for delivery (for the start of an overflow episode)
 * @param spoolBytes    the bytes in use in the spool
 * @param maxSpoolBytes the spool's limit
 */
public record AuditAlarm(Kind kind, Instant time, String message, String sink, long sequence, String recordId,
        long records, long spoolBytes, long maxSpoolBytes) {

    /** What an alarm is about. */
    public enum Kind {
        /** The start of an overflow episode: the spool reached {@code maxSpoolBytes} (raised once per episode). */
        SPOOL_FULL,
        /** The end of an overflow episode: the sinks freed space; {@code records} is how many were rejected or dropped. */
        SPOOL_RECOVERED,
        /** On open, a torn or corrupt tail (after a crash) was cut off a segment. */
        SPOOL_CORRUPT,
        /** The spool cannot be written (disk full, I/O error); records wait in memory and the write is retried. */
        SPOOL_WRITE_FAILED,
        /** A sink refused one record for good ({@link RecordRejectedException}); it was skipped for that sink. */
        RECORD_REJECTED
    }

    public AuditAlarm {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(message, "message");
    }

    /** Whether this alarm says that a problem ended. */
    public boolean isRecovery() {
        return kind == Kind.SPOOL_RECOVERED;
    }
}
