package org.cameldicomsecure.audit.kafka;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cameldicomsecure.audit.trail.AuditRecord;

/**
 * A Camel route that reads the audit topic with camel-kafka ({@code kafka:} endpoint) and forwards each audit record
 * to an endpoint of the user's choice (default {@value #DEFAULT_TARGET_URI}, the dicomaudit component's forwarding
 * endpoint to its syslog sink), committing the record's offset by hand only after that endpoint succeeded: at least
 * once, duplicates detectable by record ID.
 *
 * <p>The consumer: {@code autoCommitEnable=false}, {@code allowManualCommit=true}, {@code autoOffsetReset=earliest}
 * (a new group starts at the beginning of the topic), {@code breakOnFirstError=true} (a failed exchange is not
 * committed; the consumer seeks back and reads the record again). A failure of the target is first redelivered by
 * Camel's error handler ({@code maximumRedeliveries} times, exponential back-off from {@code redeliveryDelay} ms), then
 * the consumer reads the record again, for as long as the target fails. Kafka records that are not audit records
 * (a header missing) are logged by offset (never their content) and committed.
 *
 * <p>The exchange the target sees: the body is the message (byte[], UTF-8, in its format) and the headers are
 * {@value #RECORD_HEADER} (the rebuilt {@link AuditRecord}), {@value #ID_HEADER}, {@value #EVENT_HEADER},
 * {@value #OUTCOME_HEADER} (Integer), {@value Exchange#CONTENT_TYPE} (the format's media type), beside camel-kafka's
 * own ({@code kafka.KEY}, {@code kafka.PARTITION}, {@code kafka.OFFSET}, …).
 */
public class KafkaAuditForwardRoutes extends RouteBuilder {

    /** The dicomaudit component's endpoint that hands a rebuilt record to its syslog sink. */
    public static final String DEFAULT_TARGET_URI = "dicomaudit:forward";
    public static final String DEFAULT_ROUTE_ID = "dicom-audit-kafka-forward";

    public static final String RECORD_HEADER = "DicomAuditRecord";
    public static final String ID_HEADER = "DicomAuditId";
    public static final String EVENT_HEADER = "DicomAuditEventType";
    public static final String OUTCOME_HEADER = "DicomAuditOutcome";

    private static final String SKIP = "DicomAuditNotAnAuditRecord";

    private final String bootstrapServers;
    private final String topic;
    private final String groupId;
    private final String targetUri;
    private String routeId = DEFAULT_ROUTE_ID;
    private String kafkaOptions = "";
    private int maximumRedeliveries = 3;
    private long redeliveryDelay = 500;

    /** Reads {@value KafkaAuditSink#DEFAULT_TOPIC} as group {@value KafkaAuditForwarder#DEFAULT_GROUP_ID}. */
    public KafkaAuditForwardRoutes(String bootstrapServers) {
        this(bootstrapServers, KafkaAuditSink.DEFAULT_TOPIC, KafkaAuditForwarder.DEFAULT_GROUP_ID, DEFAULT_TARGET_URI);
    }

    public KafkaAuditForwardRoutes(String bootstrapServers, String topic, String groupId, String targetUri) {
        this.bootstrapServers = requireText(bootstrapServers, "bootstrapServers");
        this.topic = requireText(topic, "topic");
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("'" + topic + "' is not a valid Kafka topic name");
        }
        this.groupId = requireText(groupId, "groupId");
        this.targetUri = requireText(targetUri, "targetUri");
    }

    /** The route's ID (default {@value #DEFAULT_ROUTE_ID}). */
    public KafkaAuditForwardRoutes routeId(String id) {
        this.routeId = requireText(id, "routeId");
        return this;
    }

    /**
     * More camel-kafka endpoint options, as URI query parameters without the leading '&amp;' (TLS:
     * {@code securityProtocol=SSL&sslTruststoreLocation=…}; Kafka consumer properties:
     * {@code additionalProperties.<name>=…}).
     */
    public KafkaAuditForwardRoutes kafkaOptions(String options) {
        this.kafkaOptions = options == null ? "" : options;
        return this;
    }

    /** How often Camel redelivers to the target before the record is read again from Kafka (default 3). */
    public KafkaAuditForwardRoutes maximumRedeliveries(int n) {
        this.maximumRedeliveries = n;
        return this;
    }

    /** The first redelivery delay in ms (default 500, doubling). */
    public KafkaAuditForwardRoutes redeliveryDelay(long millis) {
        this.redeliveryDelay = millis;
        return this;
    }

    /** The consumer endpoint URI. */
    public String fromUri() {
        StringBuilder uri = new StringBuilder("kafka:").append(topic)
                .append("?brokers=").append(enc(bootstrapServers))
                .append("&groupId=").append(enc(groupId))
                .append("&autoOffsetReset=earliest&autoCommitEnable=false&allowManualCommit=true")
                .append("&breakOnFirstError=true")
                .append("&keyDeserializer=").append(ByteArrayDeserializer.class.getName())
                .append("&valueDeserializer=").append(ByteArrayDeserializer.class.getName());
        if (!kafkaOptions.isEmpty()) {
            uri.append('&').append(kafkaOptions);
        }
        return uri.toString();
    }

    public String targetUri() {
        return targetUri;
    }

    @Override
    public void configure() {
        errorHandler(defaultErrorHandler().maximumRedeliveries(maximumRedeliveries).redeliveryDelay(redeliveryDelay)
                .useExponentialBackOff().backOffMultiplier(2).maximumRedeliveryDelay(30_000)
                .logExhaustedMessageBody(false).logExhaustedMessageHistory(false).logStackTrace(false));

        from(fromUri()).routeId(routeId)
                .process(KafkaAuditForwardRoutes::rebuild)
                .choice()
                    .when(exchangeProperty(SKIP).isEqualTo(Boolean.TRUE))
                        .log(org.apache.camel.LoggingLevel.WARN, log.getName(),
                                "skipping Kafka record ${header.kafka.PARTITION}/${header.kafka.OFFSET}: "
                                        + "${exchangeProperty." + SKIP + "Reason}")
                    .otherwise()
                        .to(targetUri)
                .end()
                .process(KafkaAuditForwardRoutes::commit);
    }

    /** Rebuilds the audit record from the Kafka record the exchange carries. */
    static void rebuild(Exchange exchange) {
        Message m = exchange.getMessage();
        RecordHeaders headers = new RecordHeaders();
        for (String name : new String[] {KafkaAuditHeaders.ID, KafkaAuditHeaders.EVENT, KafkaAuditHeaders.OUTCOME,
                KafkaAuditHeaders.CONTENT_TYPE, KafkaAuditHeaders.SEQUENCE, KafkaAuditHeaders.TIME}) {
            Object v = headerIgnoringCase(m.getHeaders(), name);
            if (v instanceof byte[] b) {
                headers.add(name, b);
            } else if (v != null) {
                headers.add(name, v.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        Object key = m.getHeader(KafkaConstants.KEY);
        byte[] keyBytes = key instanceof byte[] b ? b : key == null ? null : key.toString().getBytes(StandardCharsets.UTF_8);
        Long ts = m.getHeader(KafkaConstants.TIMESTAMP, Long.class);
        byte[] value = m.getBody(byte[].class);
        AuditRecord r;
        try {
            r = KafkaAuditHeaders.toAuditRecord(keyBytes, value, ts == null ? 0 : ts, headers);
        } catch (IllegalArgumentException e) {
            exchange.setProperty(SKIP, Boolean.TRUE);
            exchange.setProperty(SKIP + "Reason", e.getMessage());
            return;
        }
        m.setBody(r.payload());
        m.setHeader(RECORD_HEADER, r);
        m.setHeader(ID_HEADER, r.id());
        m.setHeader(EVENT_HEADER, r.eventType());
        m.setHeader(OUTCOME_HEADER, r.outcome());
        m.setHeader(Exchange.CONTENT_TYPE, r.format().mediaType());
    }

    private static Object headerIgnoringCase(Map<String, Object> headers, String name) {
        Object v = headers.get(name);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, Object> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Commits the record's offset (synchronously): reached only when the target succeeded. */
    static void commit(Exchange exchange) {
        KafkaManualCommit manual = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT,
                KafkaManualCommit.class);
        if (manual == null) {
            throw new IllegalStateException("no " + KafkaConstants.MANUAL_COMMIT
                    + " header: the consumer endpoint must have allowManualCommit=true");
        }
        manual.commit();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String requireText(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return s;
    }
}
