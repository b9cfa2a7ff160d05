package org.cameldicomsecure.it.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.audit.kafka.KafkaAuditHeaders;
import org.cameldicomsecure.audit.kafka.KafkaAuditSink;
import org.cameldicomsecure.audit.kafka.KafkaAuditSinkFactory;
import org.cameldicomsecure.audit.trail.AuditRecord;
import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.AuditSinkFactory;
import org.cameldicomsecure.audit.trail.RecordRejectedException;
import org.cameldicomsecure.audit.trail.SpooledRecord;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.it.peers.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka audit sink against a real broker ({@link KafkaBroker}): made by the {@code kafka} factory through
 * {@link ServiceLoader}, records arrive with their key, value, timestamp and headers, one copy each, in spool order per
 * partition; the producer is idempotent (the broker keeps producer state for it); a record larger than the topic or
 * the producer allows is refused with a {@link RecordRejectedException} naming its sequence, and the records around it
 * still arrive exactly once.
 */
class KafkaAuditSinkIT {

    private static Peers peers;
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        peers = Peers.forTest(KafkaAuditSinkIT.class);
        broker = KafkaBroker.start(peers);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static AuditSink sink(Map<String, String> settings) throws Exception {
        for (AuditSinkFactory f : ServiceLoader.load(AuditSinkFactory.class)) {
            if (f.type().equals("kafka")) {
                assertInstanceOf(KafkaAuditSinkFactory.class, f);
                return f.create(settings);
            }
        }
        throw new AssertionError("no AuditSinkFactory of type kafka found by ServiceLoader");
    }

    private static List<SpooledRecord> spooled(long firstSeq, List<AuditRecord> records) {
        List<SpooledRecord> l = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            l.add(new SpooledRecord(firstSeq + i, records.get(i)));
        }
        return l;
    }

    @Test
    void recordsArriveWithKeyHeadersAndValueFromAnIdempotentProducer() throws Exception {
        String topic = "audit-sink-" + UUID.randomUUID();
        broker.createTopic(topic, 3, Map.of());
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            records.add(KafkaAuditRecords.record(i));
        }
        // one FHIR record without a key: it goes to some partition, content-type says what it is
        AuditRecord fhir = new AuditRecord(UUID.randomUUID().toString(), java.time.Instant.now(), "SecurityAlert", 8,
                null, AuditFormat.FHIR_AUDITEVENT_JSON,
                "{\"resourceType\":\"AuditEvent\"}".getBytes(StandardCharsets.UTF_8));
        records.add(fhir);
        long startMillis = System.currentTimeMillis();
        try (AuditSink sink = sink(Map.of("bootstrapServers", broker.bootstrapServers(), "topic", topic))) {
            assertEquals("kafka", sink.name());
            List<SpooledRecord> batch = spooled(1, records);
            sink.send(batch.subList(0, 150));
            assertEquals(150, sink.confirmed());
            sink.send(batch.subList(150, batch.size()));
            assertEquals(records.size(), sink.confirmed(), "send returns when the broker acknowledged every record");
            // a rewind of the trail (the same sequences again) sends nothing twice
            sink.send(batch.subList(100, 120));
            assertEquals(records.size(), sink.confirmed());
        }

        List<ConsumerRecord<byte[], byte[]>> got = KafkaAuditRecords.readAll(broker.bootstrapServers(), topic,
                records.size(), Duration.ofSeconds(30));
        assertEquals(records.size(), got.size(), "one Kafka record per audit record, no duplicates");
        Map<String, AuditRecord> byId = new HashMap<>();
        Map<String, Long> seqById = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            byId.put(records.get(i).id(), records.get(i));
            seqById.put(records.get(i).id(), (long) i + 1);
        }
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<Integer, Long> lastSeqOfPartition = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : got) {
            String id = KafkaAuditHeaders.optional(r.headers(), "dicom-audit-id");
            assertNotNull(id, "header dicom-audit-id");
            assertTrue(seen.add(id), "duplicate " + id);
            AuditRecord sent = byId.get(id);
            assertNotNull(sent, "unknown id " + id);
            assertArrayEquals(sent.payload(), r.value(), "value is the payload");
            if (sent.key() == null) {
                assertEquals(null, r.key());
            } else {
                assertEquals(sent.key(), new String(r.key(), StandardCharsets.UTF_8), "key");
                assertEquals(64, sent.key().length(), "a SHA-256 in hex, not the patient ID");
                Integer p = partitionOfKey.putIfAbsent(sent.key(), r.partition());
                assertTrue(p == null || p == r.partition(), "one key, one partition");
            }
            assertEquals(sent.eventType(), KafkaAuditHeaders.optional(r.headers(), "dicom-audit-event"));
            assertEquals(Integer.toString(sent.outcome()),
                    KafkaAuditHeaders.optional(r.headers(), "dicom-audit-outcome"));
            assertEquals(sent.format().mediaType(), KafkaAuditHeaders.optional(r.headers(), "content-type"));
            long seq = Long.parseLong(KafkaAuditHeaders.optional(r.headers(), "dicom-audit-sequence"));
            assertEquals(seqById.get(id), seq);
            assertTrue(r.timestamp() >= startMillis && r.timestamp() <= System.currentTimeMillis(),
                    "the record timestamp is when it was produced, not the (old) event time");
            Long before = lastSeqOfPartition.put(r.partition(), seq);
            assertTrue(before == null || before < seq, "spool order within a partition");
            AuditRecord rebuilt = KafkaAuditHeaders.toAuditRecord(r.key(), r.value(), r.timestamp(), r.headers());
            assertEquals(sent.id(), rebuilt.id());
            assertEquals(sent.time(), rebuilt.time(), "the time header keeps the event time, to the microsecond");
            assertEquals(sent.format(), rebuilt.format());
        }
        assertTrue(lastSeqOfPartition.size() > 1, "the keys spread over the partitions");

        // idempotence is on: the broker keeps producer state (producer ID, epoch, last sequence) per partition
        try (Admin admin = broker.admin()) {
            List<TopicPartition> parts = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                    new TopicPartition(topic, 2));
            Map<TopicPartition, PartitionProducerState> states = admin.describeProducers(parts).all()
                    .get(20, TimeUnit.SECONDS);
            Set<Long> producerIds = new HashSet<>();
            for (TopicPartition tp : parts) {
                if (!lastSeqOfPartition.containsKey(tp.partition())) {
                    continue;
                }
                List<ProducerState> ps = states.get(tp).activeProducers();
                assertEquals(1, ps.size(), "one idempotent producer on " + tp + ": " + ps);
                assertTrue(ps.get(0).producerId() >= 0 && ps.get(0).lastSequence() >= 0, ps.toString());
                producerIds.add(ps.get(0).producerId());
            }
            assertEquals(1, producerIds.size(), "the same producer ID on every partition");
        }
    }

    @Test
    void theDefaultTopicIsDicomAudit() throws Exception {
        AuditRecord r = KafkaAuditRecords.record(1);
        try (AuditSink sink = sink(Map.of("bootstrapServers", broker.bootstrapServers(), "name", "kafka-default"))) {
            assertEquals("kafka-default", sink.name());
            assertEquals(KafkaAuditSink.DEFAULT_TOPIC, ((KafkaAuditSink) sink).topic());
            sink.send(List.of(new SpooledRecord(1, r)));
            assertEquals(1, sink.confirmed());
        }
        List<ConsumerRecord<byte[], byte[]>> got = KafkaAuditRecords.readAll(broker.bootstrapServers(),
                "dicom-audit", 1, Duration.ofSeconds(30));
        assertTrue(got.stream().anyMatch(c -> r.id().equals(KafkaAuditHeaders.optional(c.headers(),
                "dicom-audit-id"))), "the record is on topic dicom-audit");
    }

    /**
     * The topic allows 4 KiB per message; record 6 has 20 KiB. The producer's batches are at most 2 KiB (below the
     * topic's limit, as the sink's documentation asks), so the producer splits the refused batch until the one record
     * is refused alone.
     */
    @Test
    void aRecordTheBrokerRefusesIsRejectedAndTheOthersArriveOnce() throws Exception {
        String topic = "audit-small-" + UUID.randomUUID();
        broker.createTopic(topic, 1, Map.of("max.message.bytes", "4096"));
        rejectionScenario(topic, Map.of("bootstrapServers", broker.bootstrapServers(), "topic", topic,
                "kafka.batch.size", "2048"));
    }

    /** The producer allows 4 KiB per request; record 6 has 20 KiB: refused before it is sent. */
    @Test
    void aRecordTheProducerRefusesIsRejectedAndTheOthersArriveOnce() throws Exception {
        String topic = "audit-maxreq-" + UUID.randomUUID();
        broker.createTopic(topic, 1, Map.of());
        rejectionScenario(topic, Map.of("bootstrapServers", broker.bootstrapServers(), "topic", topic,
                "kafka.max.request.size", "4096"));
    }

    private void rejectionScenario(String topic, Map<String, String> settings) throws Exception {
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(KafkaAuditRecords.record(i));
        }
        AuditRecord small = records.get(5);
        // random text, so that the sink's lz4 compression cannot bring it under the limits
        byte[] noise = new byte[15 * 1024];
        new java.util.Random(6).nextBytes(noise);
        byte[] big = java.util.Base64.getEncoder().encode(noise);
        records.set(5, new AuditRecord(small.id(), small.time(), small.eventType(), small.outcome(), small.key(),
                small.format(), big));
        List<SpooledRecord> batch = spooled(1, records);
        try (AuditSink sink = sink(settings)) {
            RecordRejectedException e = assertThrows(RecordRejectedException.class, () -> sink.send(batch));
            assertEquals(6, e.sequence());
            assertInstanceOf(RecordTooLargeException.class, e.getCause());
            assertFalse(e.getMessage().contains(new String(big, 0, 16, java.nio.charset.StandardCharsets.US_ASCII)),
                    "no content in the message");
            // 1-5 are held, 6 is done with; 7-10 too when the producer had sent them already (broker-side refusal)
            assertTrue(sink.confirmed() >= 6, "confirmed " + sink.confirmed());
            // what the trail does next: the rest of the batch
            sink.send(batch.subList(6, 10));
            assertEquals(10, sink.confirmed());
        }
        List<ConsumerRecord<byte[], byte[]>> got = KafkaAuditRecords.readAll(broker.bootstrapServers(), topic, 9,
                Duration.ofSeconds(30));
        List<Long> seqs = got.stream().map(r -> KafkaAuditHeaders.sequence(r.headers())).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 7L, 8L, 9L, 10L), seqs, "every other record once, in order");
    }
}
