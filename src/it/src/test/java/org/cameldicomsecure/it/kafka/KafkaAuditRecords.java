package org.cameldicomsecure.it.kafka;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.audit.trail.AuditRecord;

/** Audit records for the Kafka ITs, and reading a whole topic back. */
final class KafkaAuditRecords {

    private KafkaAuditRecords() {
    }

    /** The documented key choice: a SHA-256 of the patient ID, hex. */
    static String patientKey(String patientId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(patientId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An audit record of event {@code i}: XML naming a made-up patient, keyed by the hash of its ID. */
    static AuditRecord record(int i) {
        String patient = "PAT-" + (i % 7);
        String xml = "<AuditMessage><EventIdentification EventActionCode=\"R\" EventDateTime=\"2024-01-01T00:00:00Z\""
                + " EventOutcomeIndicator=\"0\"><EventID csd-code=\"110104\" codeSystemName=\"DCM\""
                + " originalText=\"DICOM Instances Transferred\"/></EventIdentification>"
                + "<ParticipantObjectIdentification ParticipantObjectID=\"" + patient + "\"/><!-- event " + i
                + " --></AuditMessage>";
        return new AuditRecord(UUID.randomUUID().toString(), Instant.parse("2024-01-01T00:00:00.123456Z").plusSeconds(i),
                "DicomInstancesTransferred", i % 3 == 0 ? 0 : 4, patientKey(patient), AuditFormat.DICOM_XML,
                xml.getBytes(StandardCharsets.UTF_8));
    }

    /** Every record of {@code topic} from the start, read until {@code expected} arrived or {@code timeout} passed. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, int expected, Duration timeout) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(20)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
                if (out.size() >= expected) {
                    // one more short poll: anything beyond the expected count is a duplicate we want to see
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        out.add(r);
                    }
                    break;
                }
            }
        }
        return out;
    }
}
