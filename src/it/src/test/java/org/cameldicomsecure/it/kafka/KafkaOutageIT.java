package org.cameldicomsecure.it.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cameldicomsecure.audit.kafka.KafkaAuditHeaders;
import org.cameldicomsecure.audit.kafka.KafkaAuditSinkFactory;
import org.cameldicomsecure.audit.trail.AuditRecord;
import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.AuditTrail;
import org.cameldicomsecure.audit.trail.AuditTrailOptions;
import org.cameldicomsecure.audit.trail.AuditTrailStats;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.it.peers.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The audit trail (durable spool) in front of the Kafka sink, against a real broker that goes away in the middle:
 * 10,000 events, the broker killed (SIGKILL, by its PID) once about a third of them are on Kafka, the rest emitted
 * while it is down, the broker started again on the same log directory: every event is on the topic exactly once (counted by
 * record ID) and in spool order. And the throughput into Kafka through the trail with the spool on (printed, not
 * asserted; the goal is 20,000 events/s).
 */
class KafkaOutageIT {

    private static final int EVENTS = 10_000;

    private static Peers peers;
    private static KafkaBroker broker;
    private static Path work;

    @BeforeAll
    static void startBroker() throws Exception {
        peers = Peers.forTest(KafkaOutageIT.class);
        broker = KafkaBroker.start(peers);
        work = Files.createTempDirectory(Files.createDirectories(
                Paths.get(System.getProperty("it.work.dir", "target/it-work")).toAbsolutePath()), "kafka-outage-");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static AuditSink sink(String topic, int maxUnconfirmed) throws Exception {
        return new KafkaAuditSinkFactory().create(Map.of("bootstrapServers", broker.bootstrapServers(), "topic", topic,
                "maxUnconfirmed", Integer.toString(maxUnconfirmed),
                // reconnect quickly once the broker is back
                "kafka.reconnect.backoff.max.ms", "500", "kafka.request.timeout.ms", "5000"));
    }

    /** With the sink waiting for each batch (the default), and with batches overlapping (maxUnconfirmed). */
    @ParameterizedTest(name = "maxUnconfirmed={0}")
    @ValueSource(ints = {0, 5000})
    void everyEventArrivesExactlyOnceAndInOrderAcrossABrokerOutage(int maxUnconfirmed) throws Exception {
        String topic = "audit-outage-" + UUID.randomUUID();
        broker.createTopic(topic, 1, Map.of());
        AuditTrailOptions options = AuditTrailOptions.builder(work.resolve("spool-outage-" + maxUnconfirmed))
                .retryInitialDelay(Duration.ofMillis(100)).retryMaxDelay(Duration.ofSeconds(1)).build();
        List<String> ids = new ArrayList<>(EVENTS);
        long outageMillis;
        try (AuditTrail trail = AuditTrail.open(options, List.of(sink(topic, maxUnconfirmed)))) {
            int i = 0;
            for (; i < EVENTS; i++) {
                AuditRecord r = KafkaAuditRecords.record(i);
                ids.add(r.id());
                trail.emit(r);
                if (trail.stats().sink("kafka").confirmed() >= EVENTS / 3) {
                    i++;
                    break;
                }
                if (i % 500 == 499) {
                    Thread.sleep(20); // let the sink keep up, so that the outage falls in the middle
                }
            }
            long confirmedAtStop = trail.stats().sink("kafka").confirmed();
            long t0 = System.nanoTime();
            // SIGKILL, no clean shutdown: the broker recovers its log and producer state on start. (The events are
            // of 2024: were the record timestamp the event time, the broker would drop the producer's state as
            // expired on that recovery, producer.id.expiration.ms, and append a retried batch twice.)
            broker.stop(true);
            // the rest while the broker is down: emit is not blocked, the records wait in the spool
            long e0 = System.nanoTime();
            for (; i < EVENTS; i++) {
                AuditRecord r = KafkaAuditRecords.record(i);
                ids.add(r.id());
                trail.emit(r);
            }
            long emitMillis = (System.nanoTime() - e0) / 1_000_000;
            trail.flush();
            Thread.sleep(2000);
            AuditTrailStats down = trail.stats();
            assertTrue(down.sink("kafka").confirmed() < EVENTS, "nothing more is confirmed while Kafka is down");
            broker.start();
            outageMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(trail.drain(Duration.ofSeconds(90)), "the trail drains once Kafka is back: " + trail.stats());
            AuditTrailStats after = trail.stats();
            assertEquals(EVENTS, after.sink("kafka").confirmed());
            assertEquals(0, after.sink("kafka").rejected());
            System.out.printf("KafkaOutageIT (maxUnconfirmed " + maxUnconfirmed + "): broker killed at %d of %d confirmed, %d emitted while down in %d ms, "
                    + "outage %d ms, sink failures %d, sent %d (re-sends counted)%n", confirmedAtStop, EVENTS,
                    EVENTS - confirmedAtStop, emitMillis, outageMillis, after.sink("kafka").failures(),
                    after.sink("kafka").sent());
        }

        List<ConsumerRecord<byte[], byte[]>> got = KafkaAuditRecords.readAll(broker.bootstrapServers(), topic, EVENTS,
                Duration.ofSeconds(60));
        Map<String, Integer> count = new HashMap<>();
        List<String> order = new ArrayList<>(got.size());
        for (ConsumerRecord<byte[], byte[]> r : got) {
            String id = KafkaAuditHeaders.optional(r.headers(), KafkaAuditHeaders.ID);
            count.merge(id, 1, Integer::sum);
            order.add(id);
        }
        List<String> duplicates = count.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .toList();
        List<String> missing = ids.stream().filter(id -> !count.containsKey(id)).toList();
        assertEquals(List.of(), duplicates, "no event twice");
        assertEquals(List.of(), missing.subList(0, Math.min(10, missing.size())), missing.size() + " events missing");
        assertEquals(EVENTS, got.size());
        assertEquals(ids, order, "in spool order");
    }

    @Test
    void throughputIntoKafkaThroughTheSpool() throws Exception {
        String topic = "audit-throughput-" + UUID.randomUUID();
        int n = 50_000;
        List<AuditRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(KafkaAuditRecords.record(i));
        }
        // the sink alone, batches of 1000 as the trail hands them, for comparison
        String direct = "audit-direct-" + UUID.randomUUID();
        broker.createTopic(direct, 3, Map.of());
        try (AuditSink sink = sink(direct, 0)) {
            List<org.cameldicomsecure.audit.trail.SpooledRecord> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(new org.cameldicomsecure.audit.trail.SpooledRecord(i + 1, records.get(i)));
            }
            sink.send(all.subList(0, 1000)); // warm-up
            long t0 = System.nanoTime();
            for (int i = 1000; i < n; i += 1000) {
                sink.send(all.subList(i, Math.min(n, i + 1000)));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("KafkaOutageIT: the Kafka sink alone, batches of 1000: %.0f events/s (%.2f s)%n",
                    (n - 1000) / seconds, seconds);
        }
        for (int maxUnconfirmed : new int[] {0, 20_000}) {
            String t = topic + "-" + maxUnconfirmed;
            broker.createTopic(t, 3, Map.of());
            AuditTrailOptions options = AuditTrailOptions.builder(work.resolve("spool-throughput-" + maxUnconfirmed))
                    .batchSize(1000).build();
            try (AuditTrail trail = AuditTrail.open(options, List.of(sink(t, maxUnconfirmed)))) {
                // warm up the producer and the spool
                for (int i = 0; i < 2000; i++) {
                    trail.emit(KafkaAuditRecords.record(i));
                }
                assertTrue(trail.drain(Duration.ofSeconds(60)));
                long t0 = System.nanoTime();
                for (AuditRecord r : records) {
                    trail.emit(r);
                }
                long emitted = System.nanoTime();
                trail.flush();
                long durable = System.nanoTime();
                assertTrue(trail.drain(Duration.ofSeconds(120)), "drained: " + trail.stats());
                long done = System.nanoTime();
                double seconds = (done - t0) / 1e9;
                System.out.printf("KafkaOutageIT: %d events (%d bytes each) into Kafka through the AuditTrail, spool "
                        + "on (fsync per batch, sync=false), trail batches of 1000, maxUnconfirmed %d: emit %.0f "
                        + "events/s, durable %.0f events/s, confirmed by Kafka (acks=all) %.0f events/s (%.2f s); "
                        + "%d cores, load average %.1f%n", n, records.get(0).payload().length, maxUnconfirmed,
                        n / ((emitted - t0) / 1e9), n / ((durable - t0) / 1e9), n / seconds, seconds,
                        Runtime.getRuntime().availableProcessors(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                assertEquals(n + 2000, trail.stats().sink("kafka").confirmed());
            }
        }
    }
}
