package org.cameldicomsecure.audit.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.audit.trail.AuditRecord;
import org.junit.jupiter.api.Test;

/** The Kafka record layout of an audit record, and rebuilding the audit record from it. */
class KafkaAuditHeadersTest {

    static AuditRecord record(String key) {
        return new AuditRecord(UUID.randomUUID().toString(), Instant.parse("2024-03-04T05:06:07.123456789Z"),
                "DicomInstancesTransferred", 4, key, AuditFormat.FHIR_AUDITEVENT_JSON,
                "{\"resourceType\":\"AuditEvent\",\"patient\":\"Doe^Jane\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static String h(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void headersCarryIdEventOutcomeContentTypeSequenceAndTime() {
        AuditRecord r = record("k");
        Headers headers = KafkaAuditHeaders.headers(42, r);
        assertEquals(r.id(), h(headers, "dicom-audit-id"));
        assertEquals("DicomInstancesTransferred", h(headers, "dicom-audit-event"));
        assertEquals("4", h(headers, "dicom-audit-outcome"));
        assertEquals("application/fhir+json", h(headers, "content-type"));
        assertEquals("42", h(headers, "dicom-audit-sequence"));
        assertEquals("2024-03-04T05:06:07.123456789Z", h(headers, "dicom-audit-time"));
        assertEquals(42, KafkaAuditHeaders.sequence(headers));
        for (org.apache.kafka.common.header.Header x : headers) {
            assertFalse(new String(x.value(), StandardCharsets.UTF_8).contains("Doe"), "no payload in headers");
        }
    }

    @Test
    void theRecordIsRebuiltFromKeyValueAndHeaders() {
        AuditRecord r = record("abc");
        AuditRecord back = KafkaAuditHeaders.toAuditRecord("abc".getBytes(StandardCharsets.UTF_8), r.payload(),
                r.time().toEpochMilli(), KafkaAuditHeaders.headers(7, r));
        assertEquals(r.id(), back.id());
        assertEquals(r.time(), back.time());
        assertEquals(r.eventType(), back.eventType());
        assertEquals(r.outcome(), back.outcome());
        assertEquals("abc", back.key());
        assertEquals(r.format(), back.format());
        assertArrayEquals(r.payload(), back.payload());

        AuditRecord noKey = KafkaAuditHeaders.toAuditRecord(null, r.payload(), 0, KafkaAuditHeaders.headers(7, r));
        assertNull(noKey.key());
    }

    @Test
    void withoutTheTimeHeaderTheTimestampIsTheTime() {
        AuditRecord r = record(null);
        Headers headers = KafkaAuditHeaders.headers(1, r);
        headers.remove("dicom-audit-time");
        AuditRecord back = KafkaAuditHeaders.toAuditRecord(null, r.payload(), 1_700_000_000_123L, headers);
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), back.time());
    }

    @Test
    void aKafkaRecordThatIsNotAnAuditRecordIsRefusedByHeaderName() {
        AuditRecord r = record(null);
        for (String missing : new String[] {"dicom-audit-id", "dicom-audit-event", "dicom-audit-outcome",
                "content-type"}) {
            Headers headers = KafkaAuditHeaders.headers(1, r);
            headers.remove(missing);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KafkaAuditHeaders.toAuditRecord(null, r.payload(), 0, headers));
            assertTrue(e.getMessage().contains(missing), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> KafkaAuditHeaders.toAuditRecord(null, null, 0, KafkaAuditHeaders.headers(1, r)));
        Headers badType = KafkaAuditHeaders.headers(1, r);
        badType.remove("content-type");
        badType.add("content-type", "text/plain".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class,
                () -> KafkaAuditHeaders.toAuditRecord(null, r.payload(), 0, badType));
        Headers badOutcome = KafkaAuditHeaders.headers(1, r);
        badOutcome.remove("dicom-audit-outcome");
        badOutcome.add("dicom-audit-outcome", "3".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class,
                () -> KafkaAuditHeaders.toAuditRecord(null, r.payload(), 0, badOutcome));
        assertEquals(-1, KafkaAuditHeaders.sequence(new RecordHeaders()));
    }

    @Test
    void contentTypeParametersAreIgnored() {
        assertEquals(AuditFormat.DICOM_XML, KafkaAuditHeaders.formatOf("application/xml; charset=utf-8"));
        assertEquals(AuditFormat.FHIR_AUDITEVENT_JSON, KafkaAuditHeaders.formatOf("Application/FHIR+JSON"));
    }
}
