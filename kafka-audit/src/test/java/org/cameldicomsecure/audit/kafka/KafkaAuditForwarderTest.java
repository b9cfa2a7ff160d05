package org.cameldicomsecure.audit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.SpooledRecord;
import org.junit.jupiter.api.Test;

/** The forwarder's and the route's configuration (the delivery itself is tested against a broker in src/it). */
class KafkaAuditForwarderTest {

    private static final AuditSink NOWHERE = new AuditSink() {
        @Override
        public String name() {
            return "nowhere";
        }

        @Override
        public void send(List<SpooledRecord> batch) {
        }

        @Override
        public long confirmed() {
            return 0;
        }

        @Override
        public void close() {
        }
    };

    @Test
    void settingsAreCheckedByName() {
        KafkaAuditForwarder.fromSettings(Map.of("bootstrapServers", "127.0.0.1:9", "groupId", "g",
                "kafka.security.protocol", "SSL", "kafka.max.poll.records", "50"), NOWHERE).close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaAuditForwarder
                .fromSettings(Map.of("bootstrapServers", "127.0.0.1:9", "group", "g"), NOWHERE));
        assertTrue(e.getMessage().contains("group"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KafkaAuditForwarder
                .fromSettings(Map.of("bootstrapServers", "127.0.0.1:9", "kafka.enable.auto.commit", "true"),
                        NOWHERE));
        assertTrue(e.getMessage().contains("enable.auto.commit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> KafkaAuditForwarder.fromSettings(Map.of("topic", "t"), NOWHERE));
        assertTrue(e.getMessage().contains("bootstrapServers"), e.getMessage());
        assertThrows(NullPointerException.class, () -> KafkaAuditForwarder.builder()
                .bootstrapServers("127.0.0.1:9").build());
        assertThrows(IllegalArgumentException.class, () -> KafkaAuditForwarder.builder()
                .consumerProperty("no.such.thing", "1"));
    }

    @Test
    void theRouteReadsByHandWithManualCommitAndBreakOnFirstError() {
        KafkaAuditForwardRoutes routes = new KafkaAuditForwardRoutes("127.0.0.1:9092,127.0.0.1:9093");
        assertEquals(KafkaAuditForwardRoutes.DEFAULT_TARGET_URI, routes.targetUri());
        String uri = routes.fromUri();
        assertTrue(uri.startsWith("kafka:dicom-audit?brokers=127.0.0.1%3A9092%2C127.0.0.1%3A9093"), uri);
        for (String must : new String[] {"groupId=dicom-audit-forwarder", "autoOffsetReset=earliest",
                "autoCommitEnable=false", "allowManualCommit=true", "breakOnFirstError=true"}) {
            assertTrue(uri.contains(must), uri);
        }
        String tls = new KafkaAuditForwardRoutes("h:1", "t", "g", "log:x")
                .kafkaOptions("securityProtocol=SSL&sslTruststoreLocation=/t.p12").fromUri();
        assertTrue(tls.endsWith("&securityProtocol=SSL&sslTruststoreLocation=/t.p12"), tls);
        assertThrows(IllegalArgumentException.class, () -> new KafkaAuditForwardRoutes("h:1", "bad topic", "g",
                "log:x"));
        assertThrows(IllegalArgumentException.class, () -> new KafkaAuditForwardRoutes("h:1", "t", "g", " "));
    }
}
