package org.cameldicomsecure.audit.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.audit.trail.AuditRecord;

/**
 * How an {@link AuditRecord} is laid out in a Kafka record, and back: the topic record's key is
 * {@link AuditRecord#key()} (UTF-8; none when the audit record has none), its value the payload (the message in its
 * format, UTF-8), its timestamp when it was produced (not the event time: the topic's time-based retention counts
 * from when a record entered Kafka, also for a spool replayed days after the events), and these headers, all UTF-8
 * text:
 * <ul>
 * <li>{@value #ID}: the audit record's ID (a UUID, the same on every re-delivery: consumers drop duplicates with it);</li>
 * <li>{@value #EVENT}: the event type ("DicomInstancesTransferred");</li>
 * <li>{@value #OUTCOME}: the EventOutcomeIndicator, "0", "4", "8" or "12";</li>
 * <li>{@value #CONTENT_TYPE}: the media type of the value ({@link AuditFormat#mediaType()});</li>
 * <li>{@value #SEQUENCE}: the record's sequence number in the sender's spool (decimal);</li>
 * <li>{@value #TIME}: the event time (EventDateTime), ISO-8601.</li>
 * </ul>
 */
public final class KafkaAuditHeaders {

    public static final String ID = "dicom-audit-id";
    public static final String EVENT = "dicom-audit-event";
    public static final String OUTCOME = "dicom-audit-outcome";
    public static final String CONTENT_TYPE = "content-type";
    public static final String SEQUENCE = "dicom-audit-sequence";
    public static final String TIME = "dicom-audit-time";

    private KafkaAuditHeaders() {
    }

    /** The headers of the Kafka record that carries {@code record}, spooled as {@code sequence}. */
    public static Headers headers(long sequence, AuditRecord record) {
        RecordHeaders h = new RecordHeaders();
        h.add(ID, utf8(record.id()));
        h.add(EVENT, utf8(record.eventType()));
        h.add(OUTCOME, utf8(Integer.toString(record.outcome())));
        h.add(CONTENT_TYPE, utf8(record.format().mediaType()));
        h.add(SEQUENCE, utf8(Long.toString(sequence)));
        h.add(TIME, utf8(record.time().toString()));
        return h;
    }

    /**
     * Rebuilds the audit record from a Kafka record's key, value, timestamp and headers.
     *
     * @throws IllegalArgumentException the Kafka record is not an audit record (a header is missing or invalid; the
     *                                  message names the header, never the value's content)
     */
    public static AuditRecord toAuditRecord(byte[] key, byte[] value, long timestamp, Headers headers) {
        if (value == null) {
            throw new IllegalArgumentException("the Kafka record has no value (a tombstone), not an audit message");
        }
        String id = required(headers, ID);
        String event = required(headers, EVENT);
        String outcomeText = required(headers, OUTCOME);
        String contentType = required(headers, CONTENT_TYPE);
        int outcome;
        try {
            outcome = Integer.parseInt(outcomeText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header " + OUTCOME + " is not a number");
        }
        AuditFormat format = formatOf(contentType);
        Instant time;
        String timeText = optional(headers, TIME);
        if (timeText != null) {
            try {
                time = Instant.parse(timeText);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("header " + TIME + " is not an ISO-8601 instant");
            }
        } else {
            time = Instant.ofEpochMilli(timestamp);
        }
        String k = key == null ? null : new String(key, StandardCharsets.UTF_8);
        return new AuditRecord(id, time, event, outcome, k, format, value);
    }

    /** The sender's spool sequence of a Kafka audit record, or -1 when the header is missing. */
    public static long sequence(Headers headers) {
        String s = optional(headers, SEQUENCE);
        if (s == null) {
            return -1;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The format whose media type is {@code contentType} (parameters such as "; charset=utf-8" are ignored). */
    public static AuditFormat formatOf(String contentType) {
        String base = contentType;
        int semi = base.indexOf(';');
        if (semi >= 0) {
            base = base.substring(0, semi);
        }
        base = base.trim();
        for (AuditFormat f : AuditFormat.values()) {
            if (f.mediaType().equalsIgnoreCase(base)) {
                return f;
            }
        }
        throw new IllegalArgumentException("header " + CONTENT_TYPE + " names no audit format: '" + base + "'");
    }

    /** The last value of header {@code name} as UTF-8 text, or null. */
    public static String optional(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String required(Headers headers, String name) {
        String v = optional(headers, name);
        if (v == null) {
            throw new IllegalArgumentException("the Kafka record has no header " + name + ": not an audit message");
        }
        return v;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
