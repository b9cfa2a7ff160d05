package org.cameldicomsecure.it.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cameldicomsecure.audit.kafka.KafkaAuditForwarder;
import org.cameldicomsecure.audit.kafka.KafkaAuditHeaders;
import org.cameldicomsecure.audit.kafka.KafkaAuditSinkFactory;
import org.cameldicomsecure.audit.trail.AuditRecord;
import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.RecordRejectedException;
import org.cameldicomsecure.audit.trail.SpooledRecord;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.it.peers.KafkaKraftProcess;
import org.cameldicomsecure.it.peers.KafkaTlsPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS to Kafka through the {@code kafka.}-prefixed settings: a real KRaft broker (child JVM, always: the SSL listener
 * is configured here) with an SSL listener that requires a client certificate, a PKI made for the run. The sink
 * delivers over mutual TLS, the forwarder reads over it; without a client certificate the broker refuses the sink,
 * which fails (to be retried), never refusing a record for good.
 */
class KafkaTlsIT {

    private static Peers peers;
    private static KafkaKraftProcess broker;

    @BeforeAll
    static void startBroker() throws Exception {
        peers = Peers.forTest(KafkaTlsIT.class);
        broker = KafkaKraftProcess.launch(peers, true);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Map<String, String> tls(boolean clientCertificate) {
        KafkaTlsPki pki = broker.tlsPki();
        Map<String, String> m = new HashMap<>();
        m.put("bootstrapServers", broker.tlsBootstrapServers());
        m.put("kafka.security.protocol", "SSL");
        m.put("kafka.ssl.truststore.type", "PKCS12");
        m.put("kafka.ssl.truststore.location", pki.trustStore().toString());
        m.put("kafka.ssl.truststore.password", pki.password());
        if (clientCertificate) {
            m.put("kafka.ssl.keystore.type", "PKCS12");
            m.put("kafka.ssl.keystore.location", pki.clientKeyStore().toString());
            m.put("kafka.ssl.keystore.password", pki.password());
            m.put("kafka.ssl.key.password", pki.password());
        }
        return m;
    }

    @Test
    void theSinkAndTheForwarderWorkOverMutualTls() throws Exception {
        String topic = "audit-tls-" + UUID.randomUUID();
        broker.createTopic(topic, 1, Map.of());
        List<SpooledRecord> batch = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            AuditRecord r = KafkaAuditRecords.record(i);
            batch.add(new SpooledRecord(i + 1, r));
            ids.add(r.id());
        }
        Map<String, String> settings = tls(true);
        settings.put("topic", topic);
        try (AuditSink sink = new KafkaAuditSinkFactory().create(settings)) {
            sink.send(batch);
            assertEquals(200, sink.confirmed());
        }
        // read back on the plaintext listener: the same records
        List<ConsumerRecord<byte[], byte[]>> got = KafkaAuditRecords.readAll(broker.bootstrapServers(), topic, 200,
                Duration.ofSeconds(30));
        Set<String> gotIds = new HashSet<>();
        got.forEach(c -> gotIds.add(KafkaAuditHeaders.optional(c.headers(), KafkaAuditHeaders.ID)));
        assertEquals(ids, gotIds);
        assertEquals(200, got.size());

        // the forwarder over TLS, with the same kafka.* settings
        List<String> forwarded = new CopyOnWriteArrayList<>();
        long[] confirmed = {0};
        AuditSink target = new AuditSink() {
            @Override
            public String name() {
                return "collect";
            }

            @Override
            public void send(List<SpooledRecord> b) {
                for (SpooledRecord r : b) {
                    forwarded.add(r.record().id());
                    confirmed[0] = r.sequence();
                }
            }

            @Override
            public long confirmed() {
                return confirmed[0];
            }

            @Override
            public void close() {
            }
        };
        Map<String, String> fs = tls(true);
        fs.put("topic", topic);
        fs.put("groupId", "tls-" + UUID.randomUUID());
        try (KafkaAuditForwarder f = KafkaAuditForwarder.fromSettings(fs, target).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (f.delivered() < 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(200, f.delivered(), "last error: " + f.lastError());
        }
        assertEquals(ids, new HashSet<>(forwarded));
    }

    @Test
    void withoutAClientCertificateTheSinkFailsAndRetriesNothingIsRejected() throws Exception {
        Map<String, String> settings = tls(false);
        settings.put("topic", "audit-tls-refused");
        settings.put("kafka.max.block.ms", "5000");
        try (AuditSink sink = new KafkaAuditSinkFactory().create(settings)) {
            IOException e = assertThrows(IOException.class,
                    () -> sink.send(List.of(new SpooledRecord(1, KafkaAuditRecords.record(1)))));
            assertFalse(e instanceof RecordRejectedException, "a handshake failure is not the record's fault: " + e);
            assertEquals(0, sink.confirmed());
            assertTrue(e.getMessage().contains("record 1"), e.getMessage());
            assertInstanceOf(org.apache.kafka.common.KafkaException.class, e.getCause());
        }
    }
}
