package org.cameldicomsecure.audit.trail;

import java.util.List;

/**
 * A snapshot of an {@link AuditTrail}.
 *
 * @param lastSequence    the sequence of the last record emitted (0: none ever)
 * @param durableSequence up to where (inclusive) emitted records are fsync'd
 * @param spoolBytes      bytes in use: segment files plus records queued in memory
 * @param maxSpoolBytes   the limit
 * @param segments        segment files in the spool directory
 * @param rejectedEmits   emits refused because the spool was full, since open
 * @param droppedRecords  records dropped by {@link OverflowPolicy#DROP_OLDEST}, since open
 * @param overflowing     whether an overflow episode is under way
 * @param sinks           one entry per sink, in the order given to {@link AuditTrail#open}
 */
public record AuditTrailStats(long lastSequence, long durableSequence, long spoolBytes, long maxSpoolBytes,
        int segments, long rejectedEmits, long droppedRecords, boolean overflowing, List<Sink> sinks) {

    public AuditTrailStats {
        sinks = List.copyOf(sinks);
    }

    /** The entry for the sink named {@code name}. */
    public Sink sink(String name) {
        return sinks.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sink named " + name));
    }

    /**
     * One sink.
     *
     * @param name      the sink's name
     * @param sent      records handed to {@link AuditSink#send} since open (re-sends after a failure counted again)
     * @param confirmed the sequence up to which the sink holds everything (its cursor)
     * @param pending   records durable in the spool and not yet confirmed by this sink
     * @param rejected  records the sink refused for good ({@link RecordRejectedException}) since open
     * @param skipped   records this sink never got because {@link OverflowPolicy#DROP_OLDEST} dropped them
     * @param failures  failed sends since open
     * @param lastError the text of the last failure (null: none since the last success)
     * @param up        false while sends fail
     */
    public record Sink(String name, long sent, long confirmed, long pending, long rejected, long skipped,
            long failures, String lastError, boolean up) {
    }
}
