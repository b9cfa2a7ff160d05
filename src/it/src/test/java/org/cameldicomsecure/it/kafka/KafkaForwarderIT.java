package org.cameldicomsecure.it.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cameldicomsecure.audit.kafka.KafkaAuditForwardRoutes;
import org.cameldicomsecure.audit.kafka.KafkaAuditForwarder;
import org.cameldicomsecure.audit.kafka.KafkaAuditHeaders;
import org.cameldicomsecure.audit.kafka.KafkaAuditSinkFactory;
import org.cameldicomsecure.audit.trail.AuditRecord;
import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.FileSink;
import org.cameldicomsecure.audit.trail.SpooledRecord;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.it.peers.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer side against a real broker: {@link KafkaAuditForwarder} reads the audit topic and delivers to another
 * sink (here the trail's {@link FileSink}, behind a gate the test opens and closes and a limit on what it confirms),
 * committing offsets only for what the target confirmed; a new forwarder of the same group resumes at those offsets.
 * And the Camel route {@link KafkaAuditForwardRoutes} (camel-kafka, manual commit after the target endpoint
 * succeeded) delivers every record, retrying a failing target, and resumes after a restart of the context.
 */
class KafkaForwarderIT {

    private static final int RECORDS = 2000;

    private static Peers peers;
    private static KafkaBroker broker;
    private static Path work;

    @BeforeAll
    static void startBroker() throws Exception {
        peers = Peers.forTest(KafkaForwarderIT.class);
        broker = KafkaBroker.start(peers);
        work = Files.createTempDirectory(Files.createDirectories(
                Paths.get(System.getProperty("it.work.dir", "target/it-work")).toAbsolutePath()), "kafka-forward-");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * A real sink (a {@link FileSink}) the test can make fail ({@link #down}) or confirm only up to a sequence
     * ({@link #confirmLimit}, as a syslog receiver that has not acknowledged yet); it notes every record it was sent.
     */
    static final class GatedSink implements AuditSink {
        final FileSink file;
        volatile boolean down;
        volatile long confirmLimit = Long.MAX_VALUE;
        final List<SpooledRecord> received = new CopyOnWriteArrayList<>();

        GatedSink(FileSink file) {
            this.file = file;
        }

        @Override
        public String name() {
            return "gated-file";
        }

        @Override
        public void send(List<SpooledRecord> batch) throws IOException {
            if (down) {
                throw new IOException("the audit record repository is down (test)");
            }
            file.send(batch);
            received.addAll(batch);
        }

        @Override
        public long confirmed() {
            return Math.min(file.confirmed(), confirmLimit);
        }

        @Override
        public boolean drain(long timeoutMillis) {
            return confirmed() >= file.confirmed();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }

        /** IDs of the records confirmed so far. */
        Set<String> confirmedIds() {
            long c = confirmed();
            Set<String> s = new HashSet<>();
            for (SpooledRecord r : received) {
                if (r.sequence() <= c) {
                    s.add(r.record().id());
                }
            }
            return s;
        }
    }

    /** Writes {@code n} audit records with the Kafka sink and one Kafka record that is not an audit record. */
    private static List<AuditRecord> produce(String topic, int n, boolean junkAtEnd) throws Exception {
        List<AuditRecord> records = new ArrayList<>(n);
        List<SpooledRecord> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            AuditRecord r = KafkaAuditRecords.record(i);
            records.add(r);
            batch.add(new SpooledRecord(i + 1, r));
        }
        try (AuditSink sink = new KafkaAuditSinkFactory().create(Map.of("bootstrapServers",
                broker.bootstrapServers(), "topic", topic))) {
            for (int i = 0; i < n; i += 500) {
                sink.send(batch.subList(i, Math.min(n, i + 500)));
            }
        }
        if (junkAtEnd) {
            Properties p = new Properties();
            p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(p)) {
                for (int part = 0; part < 2; part++) {
                    plain.send(new ProducerRecord<>(topic, part, null, "not an audit message"
                            .getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
                }
            }
        }
        return records;
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            m.forEach((tp, om) -> {
                if (om != null) {
                    out.put(tp, om.offset());
                }
            });
            return out;
        }
    }

    private static Map<TopicPartition, Long> endOffsets(String topic, int partitions) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                q.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(q).all().get(20, TimeUnit.SECONDS).forEach((tp, r) -> out.put(tp, r.offset()));
            return out;
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        await(what, timeout, condition, () -> "");
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition,
            java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + " " + state.get());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void offsetsAreCommittedOnlyForWhatTheTargetConfirmedAndARestartResumesThere() throws Exception {
        String topic = "audit-forward-" + UUID.randomUUID();
        String group = "forwarder-" + UUID.randomUUID();
        broker.createTopic(topic, 2, Map.of());
        List<AuditRecord> records = produce(topic, RECORDS, true);
        Set<String> allIds = new HashSet<>();
        records.forEach(r -> allIds.add(r.id()));
        // where each record is, to know what the offsets should be
        Map<String, TopicPartition> partitionOf = new HashMap<>();
        Map<String, Long> offsetOf = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> c : KafkaAuditRecords.readAll(broker.bootstrapServers(), topic,
                RECORDS + 2, Duration.ofSeconds(30))) {
            String id = KafkaAuditHeaders.optional(c.headers(), KafkaAuditHeaders.ID);
            if (id != null) {
                partitionOf.put(id, new TopicPartition(c.topic(), c.partition()));
                offsetOf.put(id, c.offset());
            }
        }
        assertEquals(RECORDS, offsetOf.size());

        // 1. the target is down: nothing is committed
        GatedSink target1 = new GatedSink(new FileSink("gated-file", work.resolve("first.log"), 0, 0));
        target1.down = true;
        target1.confirmLimit = 800;
        KafkaAuditForwarder f1 = KafkaAuditForwarder.builder().bootstrapServers(broker.bootstrapServers())
                .topic(topic).groupId(group).target(target1).retryInitialDelay(Duration.ofMillis(100))
                .retryMaxDelay(Duration.ofMillis(400)).drainTimeout(Duration.ofMillis(200))
                .consumerProperty("max.poll.records", "300").build().start();
        Map<TopicPartition, Long> expected = new HashMap<>();
        try {
            await("a failed delivery", Duration.ofSeconds(60), () -> f1.lastError() != null);
            Thread.sleep(1500);
            assertEquals(Map.of(), committed(group), "nothing committed while the target fails");
            assertEquals(0, f1.delivered());

            // 2. the target is up but confirms only up to its sequence 800: the offsets stop there
            target1.down = false;
            await("800 delivered", Duration.ofSeconds(60), () -> f1.delivered() == 800);
            Thread.sleep(1000); // the forwarder goes on sending what is after 800; nothing more may be committed
            assertEquals(800, f1.delivered());
            Set<String> firstIds = target1.confirmedIds();
            assertEquals(800, firstIds.size());
            for (String id : firstIds) {
                expected.merge(partitionOf.get(id), offsetOf.get(id) + 1, Math::max);
            }
            await("the commit of the confirmed records", Duration.ofSeconds(20),
                    () -> expected.equals(uncheckedCommitted(group)));
            assertEquals(expected, committed(group), "offsets after exactly the confirmed records");
        } finally {
            f1.close();
        }
        assertEquals(expected, committed(group), "closing commits nothing unconfirmed");
        target1.close();

        // 3. a new forwarder of the group resumes after the committed offsets
        GatedSink target2 = new GatedSink(new FileSink("gated-file", work.resolve("second.log"), 0, 0));
        try (KafkaAuditForwarder f2 = KafkaAuditForwarder.builder().bootstrapServers(broker.bootstrapServers())
                .topic(topic).groupId(group).target(target2).build().start()) {
            // (a rebalance of the group may hand a record over twice: at least once, so count distinct IDs)
            await("the rest delivered", Duration.ofSeconds(60), () -> target2.confirmedIds().size() == RECORDS - 800
                    && f2.skipped() >= 2, () -> "delivered " + f2.delivered() + ", distinct "
                    + target2.confirmedIds().size() + ", skipped " + f2.skipped() + ", last error " + f2.lastError());
            Map<TopicPartition, Long> end = endOffsets(topic, 2);
            await("the commit of everything", Duration.ofSeconds(20), () -> end.equals(uncheckedCommitted(group)),
                    () -> "committed " + uncheckedCommitted(group) + ", end " + end);
            System.out.printf("KafkaForwarderIT: the resumed forwarder delivered %d records (%d distinct)%n",
                    f2.delivered(), target2.confirmedIds().size());
        }
        Set<String> secondIds = target2.confirmedIds();
        Set<String> union = new HashSet<>(target1.confirmedIds());
        assertEquals(Collections.emptySet(), intersection(union, secondIds),
                "the restart resumed after the committed offsets: nothing confirmed was delivered again");
        union.addAll(secondIds);
        assertEquals(allIds, union, "every record reached a target");
        // what the second target wrote: one line per record, the payload
        List<String> lines = Files.readAllLines(work.resolve("second.log"), StandardCharsets.UTF_8);
        assertTrue(lines.size() >= RECORDS - 800, lines.size() + " lines");
        Map<String, String> payloadById = new HashMap<>();
        records.forEach(r -> payloadById.put(r.id(), r.text()));
        Set<String> written = new HashSet<>(lines);
        for (String id : secondIds) {
            assertTrue(written.contains(payloadById.get(id)), "payload of " + id + " written");
        }
        target2.close();
    }

    private static Map<TopicPartition, Long> uncheckedCommitted(String group) {
        try {
            return committed(group);
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.retainAll(b);
        return s;
    }

    @Test
    void theCamelRouteForwardsEveryRecordCommitsAfterTheTargetAndResumes() throws Exception {
        String topic = "audit-route-" + UUID.randomUUID();
        String group = "route-" + UUID.randomUUID();
        broker.createTopic(topic, 2, Map.of());
        List<AuditRecord> records = produce(topic, 300, false);
        List<AuditRecord> got = new CopyOnWriteArrayList<>();
        List<String> headerIds = new CopyOnWriteArrayList<>();
        int[] failuresLeft = {3};

        RouteBuilder target = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:audit-target").process(e -> {
                    synchronized (failuresLeft) {
                        if (failuresLeft[0] > 0) {
                            failuresLeft[0]--;
                            throw new IOException("the audit record repository is down (test)");
                        }
                    }
                    AuditRecord r = e.getMessage().getHeader(KafkaAuditForwardRoutes.RECORD_HEADER,
                            AuditRecord.class);
                    assertNotNull(r);
                    assertEquals(r.text(), new String(e.getMessage().getBody(byte[].class), StandardCharsets.UTF_8));
                    assertEquals(r.format().mediaType(), e.getMessage().getHeader("Content-Type"));
                    headerIds.add(e.getMessage().getHeader(KafkaAuditForwardRoutes.ID_HEADER, String.class));
                    got.add(r);
                });
            }
        };
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(target);
            camel.addRoutes(new KafkaAuditForwardRoutes(broker.bootstrapServers(), topic, group,
                    "direct:audit-target").redeliveryDelay(50));
            camel.start();
            await("300 records through the route", Duration.ofSeconds(60), () -> distinct(got) == 300);
            Map<TopicPartition, Long> end = endOffsets(topic, 2);
            await("the commit of everything", Duration.ofSeconds(20), () -> end.equals(uncheckedCommitted(group)));
        }
        assertEquals(0, failuresLeft[0], "the target failed three times, and was retried");
        Map<String, AuditRecord> sent = new HashMap<>();
        records.forEach(r -> sent.put(r.id(), r));
        for (AuditRecord r : got) {
            AuditRecord s = sent.get(r.id());
            assertNotNull(s, "unknown record " + r.id());
            assertEquals(s.eventType(), r.eventType());
            assertEquals(s.outcome(), r.outcome());
            assertEquals(s.key(), r.key());
            assertEquals(s.time(), r.time());
            assertEquals(s.format(), r.format());
        }
        assertEquals(sent.keySet(), new HashSet<>(headerIds));

        // a restart of the route: nothing again, only what is new
        got.clear();
        List<AuditRecord> more = produce(topic, 50, false);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(target);
            camel.addRoutes(new KafkaAuditForwardRoutes(broker.bootstrapServers(), topic, group,
                    "direct:audit-target"));
            camel.start();
            await("50 new records", Duration.ofSeconds(60), () -> got.size() >= 50);
            Thread.sleep(1000);
        }
        Set<String> moreIds = new HashSet<>();
        more.forEach(r -> moreIds.add(r.id()));
        Set<String> gotIds = new HashSet<>();
        got.forEach(r -> gotIds.add(r.id()));
        assertEquals(moreIds, gotIds, "the restarted route resumed at the committed offsets");
    }

    private static int distinct(List<AuditRecord> l) {
        Set<String> s = new HashSet<>();
        l.forEach(r -> s.add(r.id()));
        return s.size();
    }
}
