package org.cameldicomsecure.audit.kafka;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cameldicomsecure.audit.trail.AuditRecord;
import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.RecordRejectedException;
import org.cameldicomsecure.audit.trail.SpooledRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail's Kafka sink: every spooled record becomes one record of a topic (default {@value #DEFAULT_TOPIC}),
 * laid out as {@link KafkaAuditHeaders} says, sent by an idempotent producer ({@code enable.idempotence=true},
 * {@code acks=all}, at most 5 requests in flight, a delivery timeout that never expires).
 *
 * <p><b>Exactly once.</b> {@link #send} hands the whole batch to the producer and returns only when the broker has
 * acknowledged every record of it, so {@link #confirmed()} is then the batch's last sequence (or, with
 * {@code maxUnconfirmed} N &gt; 0, when at most N records still wait: batches overlap on the wire, and
 * {@code confirmed()} follows the acknowledgements in order). While the broker is down
 * the producer itself retries, with the same producer ID and sequence numbers, for as long as the outage lasts (the
 * delivery timeout is {@link Integer#MAX_VALUE} ms): the broker keeps one copy of each record, in order, and
 * {@code send} simply waits. Records the producer has taken are never handed to it a second time, not even when
 * {@code send} was interrupted or failed half-way: a later {@code send} of the same sequences waits for the records
 * already under way (or already acknowledged) instead of sending them again. Only a producer that is closed while
 * records are still under way (a forced stop) may leave a record whose fate is unknown; the trail then sends it again
 * (at least once).
 *
 * <p><b>Refusals.</b> A record Kafka refuses for good ({@link RecordTooLargeException} — larger than
 * {@code max.request.size} or the topic's {@code max.message.bytes} —, {@link RecordBatchTooLargeException},
 * {@link InvalidRecordException}, {@link InvalidTimestampException}) ends {@code send} with a
 * {@link RecordRejectedException} naming its sequence; nothing after it in the batch was handed to the producer, or
 * what was is remembered and not sent again. The refused record then counts as {@linkplain #confirmed() done with}: the
 * trail raises an alarm for it and goes on. Any other failure (authorization, an unknown topic that is not created,
 * the producer's own fatal state) is an {@link IOException}: the trail waits and sends again; a producer in a fatal
 * state is replaced by a new one first.
 *
 * <p>Driven by one delivery thread (as {@link AuditSink} says); {@link #close()} may come from another thread and
 * waits at most the close timeout for records under way.
 */
public final class KafkaAuditSink implements AuditSink {

    public static final String DEFAULT_TOPIC = "dicom-audit";
    public static final String DEFAULT_NAME = "kafka";
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAuditSink.class);

    private final String name;
    private final String topic;
    private final Properties producerProperties;
    private final Duration closeTimeout;
    private final Function<Properties, Producer<byte[], byte[]>> producerFactory;

    private volatile Producer<byte[], byte[]> producer;
    /** Records handed to the producer and not yet confirmed, by sequence: never handed over twice. */
    private final Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();
    private volatile long confirmed;
    private volatile boolean closed;
    /** 0: {@code send} waits for its batch; else how many records may wait for acknowledgement when it returns. */
    private final int maxUnconfirmed;
    /** After a failure the next send waits for its batch, so that a refusal is reported within its batch. */
    private boolean syncNext;

    private record InFlight(String id, Future<RecordMetadata> future) {
    }

    /**
     * A sink with the given producer properties, to which the sink adds (and which may not change) its guarantees:
     * byte-array serializers, {@code enable.idempotence=true}, {@code acks=all}, {@code delivery.timeout.ms} and
     * {@code retries} at their maximum. {@code bootstrap.servers} is required.
     */
    public KafkaAuditSink(String name, String topic, Properties producerProperties, Duration closeTimeout) {
        this(name, topic, producerProperties, closeTimeout, 0, KafkaProducer::new);
    }

    /**
     * As above; with {@code maxUnconfirmed > 0}, {@link #send} returns once no more than that many records wait for
     * the broker's acknowledgement (the batches overlap on the wire; {@link #confirmed()} follows the acknowledgements
     * in order, {@link #drain} waits for them). Exactly once all the same: records under way are never handed to the
     * producer again.
     */
    public KafkaAuditSink(String name, String topic, Properties producerProperties, Duration closeTimeout,
            int maxUnconfirmed) {
        this(name, topic, producerProperties, closeTimeout, maxUnconfirmed, KafkaProducer::new);
    }

    KafkaAuditSink(String name, String topic, Properties producerProperties, Duration closeTimeout,
            int maxUnconfirmed, Function<Properties, Producer<byte[], byte[]>> producerFactory) {
        if (maxUnconfirmed < 0) {
            throw new IllegalArgumentException("maxUnconfirmed must not be negative, not " + maxUnconfirmed);
        }
        this.maxUnconfirmed = maxUnconfirmed;
        this.name = Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("sink name must be [a-z0-9-]+, not '" + name + "'");
        }
        this.topic = Objects.requireNonNull(topic, "topic");
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("'" + topic + "' is not a valid Kafka topic name");
        }
        this.producerProperties = KafkaAuditSettings.guaranteedProducerProperties(producerProperties);
        this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
        this.producerFactory = producerFactory;
    }

    @Override
    public String name() {
        return name;
    }

    /** The topic the records go to. */
    public String topic() {
        return topic;
    }

    /** The producer properties in force (a copy; without passwords hidden: do not log it). */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.putAll(producerProperties);
        return p;
    }

    @Override
    public void send(List<SpooledRecord> batch) throws IOException {
        if (closed) {
            throw new IOException("the Kafka sink '" + name + "' is closed");
        }
        if (batch.isEmpty()) {
            return;
        }
        Producer<byte[], byte[]> p = producer();
        Set<Long> inBatch = new HashSet<>();
        long last = -1;
        boolean refusedAtOnce = false;
        for (SpooledRecord sr : batch) {
            long seq = sr.sequence();
            if (seq <= confirmed) {
                continue; // already held by the broker (a rewind of the trail)
            }
            InFlight f = inFlight.get(seq);
            if (f == null || !f.id().equals(sr.record().id())) {
                AuditRecord r = sr.record();
                // timestamp: when the record enters Kafka (the event time is in a header): a spool replayed days
                // later must not fall to the topic's time retention at once
                ProducerRecord<byte[], byte[]> pr = new ProducerRecord<>(topic, null, null,
                        r.key() == null ? null : KafkaAuditHeaders.utf8(r.key()), r.payload(),
                        KafkaAuditHeaders.headers(seq, r));
                Future<RecordMetadata> future;
                try {
                    future = p.send(pr);
                } catch (RuntimeException e) {
                    // thrown only for misuse or a closed producer: the record was not taken
                    flush(p);
                    settleOrThrow(last, inBatch);
                    replaceProducer();
                    throw new IOException("the Kafka producer did not take record " + seq + ": " + describe(e), e);
                }
                f = new InFlight(r.id(), future);
                inFlight.put(seq, f);
            }
            inBatch.add(seq);
            last = seq;
            if (f.future().isDone() && failure(f.future()) != null) {
                refusedAtOnce = true;
                break; // refused at once (too large, no metadata in max.block.ms): send nothing after it
            }
        }
        if (last < 0) {
            return;
        }
        if (maxUnconfirmed == 0 || syncNext || refusedAtOnce) {
            // sends what lingers at once, and waits for every record (also those of an earlier send)
            flush(p);
            syncNext = false;
            settleOrThrow(last, inBatch); // throws when a record failed, so the batch is confirmed on return
            return;
        }
        // pipelined: return while at most maxUnconfirmed records wait for their acknowledgement
        while (true) {
            settle();
            InFlight head = inFlight.get(confirmed + 1);
            if (head == null || inFlight.size() <= maxUnconfirmed && !(head.future().isDone()
                    && failure(head.future()) != null)) {
                return;
            }
            if (head.future().isDone()) {
                // the oldest record failed: let everything under way finish, then report as a synchronous send would
                flush(p);
                settleOrThrow(last, inBatch);
                return;
            }
            try {
                head.future().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for Kafka to acknowledge record "
                        + (confirmed + 1));
            } catch (ExecutionException e) {
                // handled on the next round
            }
        }
    }

    private void flush(Producer<byte[], byte[]> p) throws InterruptedIOException {
        try {
            p.flush();
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for Kafka to acknowledge the batch");
        } catch (RuntimeException e) {
            LOG.debug("flush of the Kafka producer of sink '{}'", name, e); // the futures tell what failed
        }
    }

    /**
     * Waits for every record under way up to {@code last}, in sequence order; advances {@link #confirmed} over the
     * leading acknowledged ones and throws for the first failed one: a {@link RecordRejectedException} when it is of
     * this batch ({@code inBatch}) and refused for good, else an {@link IOException} (the trail sends it again, and a
     * record refused for good is then refused in its own batch).
     */
    private void settleOrThrow(long last, Set<Long> inBatch) throws IOException {
        List<Long> seqs = new ArrayList<>();
        for (Long s : inFlight.keySet()) {
            if (s > confirmed && s <= last) {
                seqs.add(s);
            }
        }
        Collections.sort(seqs);
        Throwable firstFailure = null;
        long failedSeq = -1;
        for (long seq : seqs) {
            InFlight f = inFlight.get(seq);
            if (f == null) {
                continue;
            }
            Throwable t;
            try {
                f.future().get();
                t = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                // the records stay in inFlight: a later send of them waits for these futures instead of sending again
                throw new InterruptedIOException("interrupted while waiting for Kafka to acknowledge record " + seq);
            } catch (ExecutionException e) {
                t = e.getCause() == null ? e : e.getCause();
            }
            if (t == null) {
                if (firstFailure == null) {
                    advanceTo(seq);
                }
                // after a failure: stays in inFlight as acknowledged, not sent again
            } else {
                inFlight.remove(seq); // not held by the broker: may be sent again
                if (firstFailure == null) {
                    firstFailure = t;
                    failedSeq = seq;
                }
            }
        }
        if (firstFailure == null) {
            return;
        }
        syncNext = true;
        if (isRejection(firstFailure) && inBatch.contains(failedSeq)) {
            advanceTo(failedSeq); // done with: the trail alarms and goes on
            settle();
            throw new RecordRejectedException(failedSeq, "Kafka refused audit record " + failedSeq + " for good ("
                    + describe(firstFailure) + ")", firstFailure);
        }
        if (!(firstFailure instanceof RetriableException) && !isRejection(firstFailure)) {
            replaceProducer(); // the idempotent producer may be in a fatal state; nothing of it is under way
        }
        throw new IOException("Kafka did not acknowledge audit record " + failedSeq + " on topic " + topic + ": "
                + describe(firstFailure), firstFailure);
    }

    private synchronized void advanceTo(long seq) {
        if (seq > confirmed) {
            for (long s = confirmed + 1; s <= seq; s++) {
                inFlight.remove(s);
            }
            confirmed = seq;
        }
    }

    /** Advances {@link #confirmed} over the acknowledged records right after it. */
    private synchronized void settle() {
        while (true) {
            InFlight next = inFlight.get(confirmed + 1);
            if (next == null || !next.future().isDone() || failure(next.future()) != null) {
                break;
            }
            inFlight.remove(confirmed + 1);
            confirmed++;
        }
    }

    private static Throwable failure(Future<RecordMetadata> f) {
        try {
            f.get(0, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (TimeoutException e) {
            return null;
        }
    }

    static boolean isRejection(Throwable t) {
        return t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                || t instanceof InvalidRecordException || t instanceof InvalidTimestampException;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public long confirmed() {
        if (maxUnconfirmed > 0) {
            settle();
        }
        return confirmed;
    }

    /** Records handed to the producer and not yet confirmed (left over from an interrupted or failed send). */
    public int inFlight() {
        return inFlight.size();
    }

    @Override
    public boolean drain(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (InFlight f : List.copyOf(inFlight.values())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return inFlight.isEmpty();
            }
            try {
                f.future().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while draining the Kafka sink");
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
        }
        settle();
        return inFlight.isEmpty();
    }

    private Producer<byte[], byte[]> producer() throws IOException {
        if (producer == null) {
            try {
                producer = producerFactory.apply(producerProperties);
            } catch (RuntimeException e) {
                throw new IOException("cannot create the Kafka producer of sink '" + name + "': " + describe(e), e);
            }
        }
        return producer;
    }

    private void replaceProducer() {
        Producer<byte[], byte[]> p = producer;
        producer = null;
        if (p != null) {
            try {
                p.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("closing the failed Kafka producer of sink '{}'", name, e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Producer<byte[], byte[]> p = producer;
        if (p != null) {
            try {
                p.close(closeTimeout);
            } catch (RuntimeException e) {
                LOG.warn("closing the Kafka producer of sink '{}': {}", name, describe(e));
            }
        }
    }

    @Override
    public String toString() {
        return "KafkaAuditSink[" + name + " -> " + topic + " @ " + producerProperties.getProperty("bootstrap.servers")
                + "]";
    }

    /** The producer properties {@code settings} give, for tests. */
    static Properties properties(Map<String, String> settings) {
        return KafkaAuditSettings.producerProperties(settings);
    }
}
