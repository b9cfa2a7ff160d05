package org.cameldicomsecure.audit.trail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

import org.cameldicomsecure.audit.AuditFormat;

/**
 * One audit message as the sinks carry it: the written message and what transports put beside it (syslog structured
 * data, Kafka key and headers). Immutable; {@code payload} is not copied, callers must not change it.
 *
 * @param id        a unique ID of this message (a UUID), the same on every sink and every re-delivery: receivers
 *                  detect duplicates with it
 * @param time      when the event happened (its EventDateTime)
 * @param eventType the event's name in UpperCamelCase, as in {@code dicomaudit:<EventName>}
 *                  ("DicomInstancesTransferred")
 * @param outcome   the EventOutcomeIndicator: 0, 4, 8 or 12
 * @param key       the partitioning key (a hash of the patient ID, or the event type), never a patient identifier
 * @param format    how {@code payload} is written
 * @param payload   the message, UTF-8
 */
public record AuditRecord(String id, Instant time, String eventType, int outcome, String key, AuditFormat format,
        byte[] payload) {

    public AuditRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(payload, "payload");
        if (outcome != 0 && outcome != 4 && outcome != 8 && outcome != 12) {
            throw new IllegalArgumentException("EventOutcomeIndicator must be 0, 4, 8 or 12, not " + outcome);
        }
    }

    /** The payload as text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // never the payload: it may hold patient data
        return "AuditRecord[" + eventType + " " + id + " outcome " + outcome + ", " + payload.length + " bytes]";
    }
}
