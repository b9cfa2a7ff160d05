package org.cameldicomsecure.audit.trail;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Where audit records go: a syslog receiver, a Kafka topic, a file. A sink is driven by one delivery thread of the
 * {@link AuditTrail}, which reads the durable spool in order: implementations need not be thread-safe, and may block.
 *
 * <p>Delivery is in two steps so that transports without acknowledgements (syslog over TCP or TLS) can still deliver
 * at least once: {@link #send} hands records to the transport, {@link #confirmed} says up to where the receiver holds
 * them for sure. After a failure the trail sends again everything after {@code confirmed()}, so a receiver may see a
 * record twice (with the same {@link AuditRecord#id()}), but never miss one, and always in spool order.
 */
public interface AuditSink extends Closeable {

    /** A short name for logs and for the spool's cursor file ("syslog", "kafka", "file"): [a-z0-9-]+, unique in a trail. */
    String name();

    /**
     * Sends {@code batch} (in order, each record's sequence above those sent before, unless the trail rewound after a
     * failure). May block while the transport applies back-pressure. An empty batch is a health check (the trail
     * sends one while records wait for confirmation): it throws if the transport lost records not yet confirmed.
     *
     * @throws IOException the transport is down or refused the records: the trail rewinds to {@link #confirmed()},
     *                     waits, and sends again. A {@link RecordRejectedException} for one record means the records of
     *                     the batch before it were sent and those after it were not: a sink stops at the refused
     *                     record, and the trail skips it and sends the rest again
     */
    void send(List<SpooledRecord> batch) throws IOException;

    /**
     * The sequence number up to which (inclusive) the receiver holds every record sent, as far as the transport can
     * tell (0: none). Never decreases. A sink that waits for acknowledgements in {@link #send} returns the last
     * sequence sent; a syslog sink returns what stayed on a healthy connection long enough.
     */
    long confirmed();

    /**
     * Waits until every record sent is confirmed or {@code timeoutMillis} passes (for a graceful stop); returns
     * whether all are confirmed.
     */
    default boolean drain(long timeoutMillis) throws IOException {
        return true;
    }
}
