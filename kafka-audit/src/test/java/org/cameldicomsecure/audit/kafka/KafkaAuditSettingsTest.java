package org.cameldicomsecure.audit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;

import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.AuditSinkFactory;
import org.junit.jupiter.api.Test;

/** The sink's settings: what is taken, what is refused and how the refusal reads. Nothing connects. */
class KafkaAuditSettingsTest {

    private static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("bootstrapServers", "127.0.0.1:9");
        return m;
    }

    @Test
    void theFactoryIsFoundByServiceLoaderAsKafka() throws Exception {
        AuditSinkFactory found = null;
        for (AuditSinkFactory f : ServiceLoader.load(AuditSinkFactory.class)) {
            if (f.type().equals("kafka")) {
                found = f;
            }
        }
        assertInstanceOf(KafkaAuditSinkFactory.class, found);
        try (AuditSink sink = found.create(base())) {
            assertEquals("kafka", sink.name());
            assertEquals(KafkaAuditSink.DEFAULT_TOPIC, ((KafkaAuditSink) sink).topic());
            assertEquals("dicom-audit", ((KafkaAuditSink) sink).topic());
            assertEquals(0, sink.confirmed());
        }
    }

    @Test
    void theGuaranteesAreSetAndKafkaPropertiesPassThrough() {
        Map<String, String> m = base();
        m.put("topic", "audit-2");
        m.put("kafka.security.protocol", "SSL");
        m.put("kafka.ssl.truststore.location", "/etc/trust.p12");
        m.put("kafka.ssl.truststore.type", "PKCS12");
        m.put("kafka.compression.type", "lz4");
        m.put("kafka.max.in.flight.requests.per.connection", "3");
        KafkaAuditSink sink = KafkaAuditSettings.sink(m);
        Properties p = sink.producerProperties();
        assertEquals("audit-2", sink.topic());
        assertEquals("127.0.0.1:9", p.getProperty("bootstrap.servers"));
        assertEquals("true", p.getProperty("enable.idempotence"));
        assertEquals("all", p.getProperty("acks"));
        assertEquals(Integer.toString(Integer.MAX_VALUE), p.getProperty("delivery.timeout.ms"));
        assertEquals(Integer.toString(Integer.MAX_VALUE), p.getProperty("retries"));
        assertEquals("3", p.getProperty("max.in.flight.requests.per.connection"));
        assertEquals("SSL", p.getProperty("security.protocol"));
        assertEquals("/etc/trust.p12", p.getProperty("ssl.truststore.location"));
        assertEquals("lz4", p.getProperty("compression.type"));
        assertEquals("5", KafkaAuditSettings.sink(base()).producerProperties()
                .getProperty("max.in.flight.requests.per.connection"));
        sink.close();
    }

    @Test
    void unknownSettingsAreRefusedByName() {
        Map<String, String> m = base();
        m.put("topik", "x");
        m.put("kafka.no.such.property", "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaAuditSettings.sink(m));
        assertTrue(e.getMessage().contains("topik"), e.getMessage());
        assertTrue(e.getMessage().contains("kafka.no.such.property"), e.getMessage());
    }

    @Test
    void settingsThatWouldWeakenExactlyOnceAreRefused() {
        for (String k : new String[] {"kafka.acks", "kafka.enable.idempotence", "kafka.delivery.timeout.ms",
                "kafka.retries", "kafka.transactional.id", "kafka.key.serializer", "kafka.bootstrap.servers"}) {
            Map<String, String> m = base();
            m.put(k, "1");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KafkaAuditSettings.sink(m), k);
            assertTrue(e.getMessage().contains(k), e.getMessage());
        }
        Map<String, String> m = base();
        m.put("kafka.max.in.flight.requests.per.connection", "6");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaAuditSettings.sink(m));
        assertTrue(e.getMessage().contains("max.in.flight.requests.per.connection"), e.getMessage());
    }

    @Test
    void invalidValuesAreRefusedWithTheirName() {
        Map<String, String> m = base();
        m.put("kafka.linger.ms", "soon");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaAuditSettings.sink(m));
        assertTrue(e.getMessage().contains("linger.ms"), e.getMessage());

        Map<String, String> none = new HashMap<>();
        e = assertThrows(IllegalArgumentException.class, () -> KafkaAuditSettings.sink(none));
        assertTrue(e.getMessage().contains("bootstrapServers"), e.getMessage());

        Map<String, String> badTopic = base();
        badTopic.put("topic", "no spaces");
        assertThrows(IllegalArgumentException.class, () -> KafkaAuditSettings.sink(badTopic));

        Map<String, String> badName = base();
        badName.put("name", "Kafka!");
        assertThrows(IllegalArgumentException.class, () -> KafkaAuditSettings.sink(badName));

        Map<String, String> badClose = base();
        badClose.put("closeTimeoutMillis", "10s");
        e = assertThrows(IllegalArgumentException.class, () -> KafkaAuditSettings.sink(badClose));
        assertTrue(e.getMessage().contains("closeTimeoutMillis"), e.getMessage());

        Map<String, String> badPipe = base();
        badPipe.put("maxUnconfirmed", "-1");
        e = assertThrows(IllegalArgumentException.class, () -> KafkaAuditSettings.sink(badPipe));
        assertTrue(e.getMessage().contains("maxUnconfirmed"), e.getMessage());
    }

    @Test
    void aClosedSinkRefusesToSend() throws Exception {
        KafkaAuditSink sink = KafkaAuditSettings.sink(base());
        sink.close();
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> sink.send(java.util.List.of(
                new org.cameldicomsecure.audit.trail.SpooledRecord(1, KafkaAuditHeadersTest.record(null)))));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
