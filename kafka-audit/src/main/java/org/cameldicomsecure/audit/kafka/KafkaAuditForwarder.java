package org.cameldicomsecure.audit.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cameldicomsecure.audit.trail.AuditRecord;
import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.RecordRejectedException;
import org.cameldicomsecure.audit.trail.SpooledRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the audit topic and delivers every audit record to another {@link AuditSink} (a syslog receiver, a FHIR audit
 * record repository, another Kafka cluster): Kafka as the durable bus in front of an audit record repository.
 *
 * <p><b>At least once.</b> The consumer commits nothing by itself ({@code enable.auto.commit=false}); a new consumer
 * group starts at the earliest offset. Each poll's records are rebuilt ({@link KafkaAuditHeaders}), numbered with the
 * forwarder's own increasing sequence and sent to the target with its two-step contract: {@code send}, then the
 * offsets of the leading records the target {@linkplain AuditSink#confirmed() confirmed} are committed, and nothing
 * else. When the target fails, the forwarder waits (from {@code retryInitialDelay}, doubling up to
 * {@code retryMaxDelay}, the partitions paused so the group does not drop it) and sends again everything after what it
 * confirmed. After a crash or a restart, the group resumes at the committed offsets: the target may see a record again
 * (same {@link AuditRecord#id()}), never miss one. A record the target refuses for good
 * ({@link RecordRejectedException}) and a Kafka record that is not an audit record (a header missing) are logged by
 * partition, offset and ID (never their content), counted in {@link #rejected()} and {@link #skipped()}, and passed.
 *
 * <p>{@link #run()} polls on the calling thread until {@link #close()}; {@link #start()} runs it on a new thread. The
 * target belongs to the caller: the forwarder does not close it.
 */
public final class KafkaAuditForwarder implements Runnable, AutoCloseable {

    public static final String DEFAULT_GROUP_ID = "dicom-audit-forwarder";

    /** Settings of {@link #fromSettings}: as the sink's, plus the group. */
    public static final String GROUP_ID = "groupId";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAuditForwarder.class);

    private final String topic;
    private final Properties consumerProperties;
    private final AuditSink target;
    private final Duration pollTimeout;
    private final Duration retryInitialDelay;
    private final Duration retryMaxDelay;
    private final Duration drainTimeout;

    private volatile boolean stopped;
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile Thread thread;
    private volatile String lastError;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();

    /** One Kafka record of the batch under way. */
    private static final class Entry {
        final TopicPartition partition;
        final long offset;
        final SpooledRecord record; // null: not an audit record, skipped
        boolean done;

        Entry(TopicPartition partition, long offset, SpooledRecord record) {
            this.partition = partition;
            this.offset = offset;
            this.record = record;
            this.done = record == null;
        }
    }

    private List<Entry> batch = List.of();
    private boolean batchAbandoned;
    private long nextSequence;

    private KafkaAuditForwarder(Builder b) {
        this.topic = b.topic;
        this.target = b.target;
        this.pollTimeout = b.pollTimeout;
        this.retryInitialDelay = b.retryInitialDelay;
        this.retryMaxDelay = b.retryMaxDelay;
        this.drainTimeout = b.drainTimeout;
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        p.putAll(b.consumerProperties);
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, b.groupId);
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try {
            ConsumerConfig.configDef().parse(p);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid Kafka consumer property: " + e.getMessage(), e);
        }
        this.consumerProperties = p;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A forwarder from settings by name: {@code bootstrapServers} (required), {@code topic} (default
     * {@value KafkaAuditSink#DEFAULT_TOPIC}), {@value #GROUP_ID} (default {@value #DEFAULT_GROUP_ID}), and Kafka
     * consumer properties prefixed with {@code kafka.} (TLS: {@code kafka.security.protocol=SSL} and the
     * {@code kafka.ssl.*} properties). Unknown settings are refused by name.
     */
    public static KafkaAuditForwarder fromSettings(Map<String, String> settings, AuditSink target) {
        Builder b = builder().target(target);
        List<String> unknown = new ArrayList<>();
        Set<String> consumerNames = ConsumerConfig.configNames();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(settings).entrySet()) {
            String k = e.getKey();
            switch (k) {
                case KafkaAuditSettings.BOOTSTRAP_SERVERS -> b.bootstrapServers(e.getValue());
                case KafkaAuditSettings.TOPIC -> b.topic(e.getValue());
                case GROUP_ID -> b.groupId(e.getValue());
                default -> {
                    String prop = k.startsWith(KafkaAuditSettings.KAFKA_PREFIX)
                            ? k.substring(KafkaAuditSettings.KAFKA_PREFIX.length()) : null;
                    if (prop != null && consumerNames.contains(prop)) {
                        b.consumerProperty(prop, e.getValue());
                    } else {
                        unknown.add(k);
                    }
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown Kafka audit forwarder settings " + unknown + " (known: "
                    + KafkaAuditSettings.BOOTSTRAP_SERVERS + ", " + KafkaAuditSettings.TOPIC + ", " + GROUP_ID
                    + ", and Kafka consumer properties prefixed with '" + KafkaAuditSettings.KAFKA_PREFIX + "')");
        }
        return b.build();
    }

    /** Runs {@link #run()} on a new daemon thread named after the topic. */
    public synchronized KafkaAuditForwarder start() {
        if (thread != null) {
            throw new IllegalStateException("the forwarder is already started");
        }
        Thread t = new Thread(this, "kafka-audit-forwarder-" + topic);
        t.setDaemon(true);
        thread = t;
        t.start();
        return this;
    }

    /** Records the target confirmed. */
    public long delivered() {
        return delivered.get();
    }

    /** Kafka records passed because they are not audit records. */
    public long skipped() {
        return skipped.get();
    }

    /** Records the target refused for good. */
    public long rejected() {
        return rejected.get();
    }

    /** The offsets committed so far by partition (the next offset to read). */
    public Map<TopicPartition, Long> committed() {
        return Map.copyOf(committed);
    }

    /** The last failure of the target or of Kafka, or null. */
    public String lastError() {
        return lastError;
    }

    @Override
    public void run() {
        Consumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties);
        consumer = c;
        try {
            if (stopped) {
                return;
            }
            nextSequence = target.confirmed() + 1;
            c.subscribe(List.of(topic), new Rebalance());
            while (!stopped) {
                ConsumerRecords<byte[], byte[]> records = c.poll(pollTimeout);
                if (records.isEmpty()) {
                    continue;
                }
                batch = toEntries(records);
                batchAbandoned = false;
                deliver(c);
                batch = List.of();
            }
        } catch (WakeupException e) {
            // close()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            lastError = describe(e);
            LOG.error("the Kafka audit forwarder of topic {} stopped: {}", topic, lastError);
            throw e;
        } finally {
            try {
                commitDone(c);
            } catch (RuntimeException e) {
                LOG.warn("the Kafka audit forwarder of topic {} could not commit on stop: {}", topic, describe(e));
            }
            c.close(Duration.ofSeconds(5));
            consumer = null;
        }
    }

    private List<Entry> toEntries(ConsumerRecords<byte[], byte[]> records) {
        List<Entry> entries = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            SpooledRecord sr;
            try {
                AuditRecord ar = KafkaAuditHeaders.toAuditRecord(r.key(), r.value(), r.timestamp(), r.headers());
                sr = new SpooledRecord(nextSequence++, ar);
            } catch (IllegalArgumentException e) {
                skipped.incrementAndGet();
                LOG.warn("skipping Kafka record {} offset {}: {}", tp, r.offset(), e.getMessage());
                sr = null;
            }
            entries.add(new Entry(tp, r.offset(), sr));
        }
        return entries;
    }

    /** Sends the batch until the target confirmed all of it, committing as it goes. */
    private void deliver(Consumer<byte[], byte[]> c) throws InterruptedException {
        long delay = retryInitialDelay.toMillis();
        boolean paused = false;
        try {
            while (!stopped && !batchAbandoned) {
                markConfirmed();
                List<SpooledRecord> pending = new ArrayList<>();
                for (Entry e : batch) {
                    if (!e.done) {
                        pending.add(e.record);
                    }
                }
                if (pending.isEmpty()) {
                    commitDone(c);
                    return;
                }
                boolean progress;
                try {
                    long before = target.confirmed();
                    target.send(pending);
                    long last = pending.get(pending.size() - 1).sequence();
                    if (target.confirmed() < last) {
                        target.drain(drainTimeout.toMillis());
                    }
                    progress = target.confirmed() > before;
                    if (target.confirmed() >= last) {
                        delay = retryInitialDelay.toMillis();
                        continue; // all confirmed: the next round commits and returns
                    }
                } catch (RecordRejectedException e) {
                    reject(e);
                    continue;
                } catch (IOException e) {
                    lastError = describe(e);
                    LOG.warn("the target {} of the Kafka audit forwarder failed, retrying in {} ms: {}",
                            target.name(), delay, lastError);
                    progress = false;
                }
                markConfirmed();
                commitDone(c);
                if (!paused) {
                    c.pause(c.assignment());
                    paused = true;
                }
                if (!progress) {
                    waitPolling(c, delay);
                    delay = Math.min(delay * 2, retryMaxDelay.toMillis());
                }
            }
        } finally {
            if (paused && !batchAbandoned) {
                c.resume(c.paused());
            }
        }
    }

    private void reject(RecordRejectedException e) {
        for (Entry en : batch) {
            if (!en.done && en.record.sequence() == e.sequence()) {
                en.done = true;
                rejected.incrementAndGet();
                LOG.error("the target {} refused audit record {} (Kafka {} offset {}) for good: {}", target.name(),
                        en.record.record().id(), en.partition, en.offset, e.getMessage());
            }
        }
    }

    /** Waits {@code millis} while polling with every partition paused, so the group keeps this member. */
    private void waitPolling(Consumer<byte[], byte[]> c, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!stopped && !batchAbandoned) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return;
            }
            c.pause(c.assignment());
            ConsumerRecords<byte[], byte[]> stray = c.poll(Duration.ofMillis(Math.min(left, 200)));
            // nothing comes from paused partitions; should a newly assigned one deliver, read it again later
            for (TopicPartition tp : stray.partitions()) {
                c.seek(tp, stray.records(tp).get(0).offset());
            }
        }
    }

    private void markConfirmed() {
        long confirmed = target.confirmed();
        for (Entry e : batch) {
            if (!e.done && e.record.sequence() <= confirmed) {
                e.done = true;
                delivered.incrementAndGet();
            }
        }
    }

    /** Commits, per partition, the offsets after the leading records that are done. */
    private void commitDone(Consumer<byte[], byte[]> c) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> blocked = new HashSet<>();
        for (Entry e : batch) {
            if (blocked.contains(e.partition)) {
                continue;
            }
            if (!e.done) {
                blocked.add(e.partition);
                continue;
            }
            Long already = committed.get(e.partition);
            if (already == null || already <= e.offset) {
                offsets.put(e.partition, new OffsetAndMetadata(e.offset + 1));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        c.commitSync(offsets);
        offsets.forEach((tp, om) -> committed.put(tp, om.offset()));
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Consumer<byte[], byte[]> c = consumer;
            if (c == null || batch.isEmpty()) {
                return;
            }
            markConfirmed();
            try {
                commitDone(c);
            } catch (RuntimeException e) {
                LOG.warn("commit on partition revocation failed: {}", describe(e));
            }
            // give up the batch: what is not done is read again, here or by the partitions' new owner
            Map<TopicPartition, Long> firstUndone = new HashMap<>();
            for (Entry e : batch) {
                if (!e.done) {
                    firstUndone.putIfAbsent(e.partition, e.offset);
                }
            }
            Set<TopicPartition> kept = new HashSet<>(c.assignment());
            kept.removeAll(partitions);
            for (Map.Entry<TopicPartition, Long> e : firstUndone.entrySet()) {
                if (kept.contains(e.getKey())) {
                    c.seek(e.getKey(), e.getValue());
                }
            }
            c.resume(c.paused());
            batchAbandoned = true;
            batch = List.of();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                committed.remove(tp);
            }
        }
    }

    /** Stops the forwarder: wakes the consumer, waits up to 10 s for the thread of {@link #start()}. */
    @Override
    public void close() {
        stopped = true;
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            try {
                c.wakeup();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** Builds a {@link KafkaAuditForwarder}. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic = KafkaAuditSink.DEFAULT_TOPIC;
        private String groupId = DEFAULT_GROUP_ID;
        private AuditSink target;
        private final Properties consumerProperties = new Properties();
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration retryInitialDelay = Duration.ofMillis(500);
        private Duration retryMaxDelay = Duration.ofSeconds(30);
        private Duration drainTimeout = Duration.ofSeconds(5);

        private static final Set<String> FIXED = Set.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

        private Builder() {
        }

        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** The consumer group (default {@value KafkaAuditForwarder#DEFAULT_GROUP_ID}): one per target. */
        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder target(AuditSink target) {
            this.target = target;
            return this;
        }

        /**
         * A Kafka consumer property (TLS, SASL, {@code max.poll.records}, …); bootstrap servers, group, auto commit
         * and deserializers are the forwarder's and refused here.
         */
        public Builder consumerProperty(String name, String value) {
            if (FIXED.contains(name)) {
                throw new IllegalArgumentException("Kafka consumer property " + name
                        + " is set by the forwarder and cannot be changed");
            }
            if (!ConsumerConfig.configNames().contains(name)) {
                throw new IllegalArgumentException("unknown Kafka consumer property " + name);
            }
            consumerProperties.setProperty(name, Objects.requireNonNull(value, name));
            return this;
        }

        public Builder pollTimeout(Duration d) {
            this.pollTimeout = positive(d, "pollTimeout");
            return this;
        }

        public Builder retryInitialDelay(Duration d) {
            this.retryInitialDelay = positive(d, "retryInitialDelay");
            return this;
        }

        public Builder retryMaxDelay(Duration d) {
            this.retryMaxDelay = positive(d, "retryMaxDelay");
            return this;
        }

        /** How long to wait for a target that confirms after {@code send} (syslog) before sending again. */
        public Builder drainTimeout(Duration d) {
            this.drainTimeout = positive(d, "drainTimeout");
            return this;
        }

        public KafkaAuditForwarder build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("the Kafka audit forwarder needs bootstrapServers");
            }
            if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
                throw new IllegalArgumentException("'" + topic + "' is not a valid Kafka topic name");
            }
            if (groupId == null || groupId.isBlank()) {
                throw new IllegalArgumentException("the Kafka audit forwarder needs a groupId");
            }
            Objects.requireNonNull(target, "the Kafka audit forwarder needs a target sink");
            if (retryMaxDelay.compareTo(retryInitialDelay) < 0) {
                throw new IllegalArgumentException("retryMaxDelay must not be below retryInitialDelay");
            }
            return new KafkaAuditForwarder(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
