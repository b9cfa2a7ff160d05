package org.cameldicomsecure.audit.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The settings of a Kafka audit sink (as {@link KafkaAuditSinkFactory} takes them) and the producer properties they
 * give.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>name</th><th>meaning</th></tr>
 * <tr><td>{@value #BOOTSTRAP_SERVERS}</td><td>required: {@code host:port[,host:port…]}</td></tr>
 * <tr><td>{@value #TOPIC}</td><td>default {@value KafkaAuditSink#DEFAULT_TOPIC}</td></tr>
 * <tr><td>{@value #NAME}</td><td>the sink's name in the trail, default {@value KafkaAuditSink#DEFAULT_NAME}</td></tr>
 * <tr><td>{@value #CLOSE_TIMEOUT_MILLIS}</td><td>how long {@code close()} waits for records under way, default
 *     10000</td></tr>
 * <tr><td>{@value #MAX_UNCONFIRMED}</td><td>0 (default): {@code send} returns when the broker acknowledged the whole
 *     batch; N &gt; 0: {@code send} returns while up to N records still wait for their acknowledgement, so that
 *     batches overlap (more throughput; still exactly once, {@code confirmed()} follows the acknowledgements)</td></tr>
 * <tr><td>{@code kafka.<property>}</td><td>any Kafka producer property, e.g. {@code kafka.security.protocol=SSL},
 *     {@code kafka.ssl.truststore.location}, {@code kafka.ssl.keystore.location} (mutual TLS to Kafka),
 *     {@code kafka.sasl.mechanism}, {@code kafka.compression.type}, {@code kafka.linger.ms}</td></tr>
 * </table>
 *
 * <p>Producer defaults of the sink (changeable with {@code kafka.}): {@code linger.ms=5}, {@code compression.type=lz4}, {@code batch.size=65536}
 * (keep it at most the topic's {@code max.message.bytes}: Kafka's producer splits a refused batch into batches of
 * {@code batch.size}, so a larger one is refused again and again instead of reaching the one record to refuse),
 * {@code max.block.ms=15000}, {@code max.in.flight.requests.per.connection=5} (at most 5: more would end the
 * idempotent producer's ordering guarantee). Fixed, and refused when set: {@code bootstrap.servers} (use
 * {@value #BOOTSTRAP_SERVERS}), the serializers, {@code enable.idempotence} (true), {@code acks} (all),
 * {@code retries} and {@code delivery.timeout.ms} (their maximum: an outage never expires a record, so the producer's
 * own retries, with their sequence numbers, deliver it exactly once), {@code transactional.id}.
 */
public final class KafkaAuditSettings {

    public static final String BOOTSTRAP_SERVERS = "bootstrapServers";
    public static final String TOPIC = "topic";
    public static final String NAME = "name";
    public static final String CLOSE_TIMEOUT_MILLIS = "closeTimeoutMillis";
    public static final String MAX_UNCONFIRMED = "maxUnconfirmed";
    public static final String KAFKA_PREFIX = "kafka.";

    private static final Set<String> FIXED = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.ACKS_CONFIG, ProducerConfig.RETRIES_CONFIG,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    private KafkaAuditSettings() {
    }

    /** A sink made from {@code settings}. */
    static KafkaAuditSink sink(Map<String, String> settings) {
        Properties props = producerProperties(settings);
        String topic = settings.getOrDefault(TOPIC, KafkaAuditSink.DEFAULT_TOPIC);
        String name = settings.getOrDefault(NAME, KafkaAuditSink.DEFAULT_NAME);
        Duration closeTimeout = KafkaAuditSink.DEFAULT_CLOSE_TIMEOUT;
        String ct = settings.get(CLOSE_TIMEOUT_MILLIS);
        if (ct != null) {
            try {
                closeTimeout = Duration.ofMillis(Long.parseLong(ct.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Kafka audit sink setting " + CLOSE_TIMEOUT_MILLIS
                        + " must be a number of milliseconds, not '" + ct + "'");
            }
            if (closeTimeout.isNegative()) {
                throw new IllegalArgumentException("Kafka audit sink setting " + CLOSE_TIMEOUT_MILLIS
                        + " must not be negative");
            }
        }
        int maxUnconfirmed = 0;
        String mu = settings.get(MAX_UNCONFIRMED);
        if (mu != null) {
            try {
                maxUnconfirmed = Integer.parseInt(mu.trim());
            } catch (NumberFormatException e) {
                maxUnconfirmed = -1;
            }
            if (maxUnconfirmed < 0) {
                throw new IllegalArgumentException("Kafka audit sink setting " + MAX_UNCONFIRMED
                        + " must be a number of records, 0 or more, not '" + mu + "'");
            }
        }
        return new KafkaAuditSink(name, topic, props, closeTimeout, maxUnconfirmed);
    }

    /**
     * The producer properties of {@code settings} (without the sink's fixed guarantees).
     *
     * @throws IllegalArgumentException naming every unknown or refused setting
     */
    static Properties producerProperties(Map<String, String> settings) {
        List<String> unknown = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Set<String> producerNames = ProducerConfig.configNames();
        Properties p = new Properties();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(settings).entrySet()) {
            String k = e.getKey();
            if (k.equals(BOOTSTRAP_SERVERS) || k.equals(TOPIC) || k.equals(NAME) || k.equals(CLOSE_TIMEOUT_MILLIS)
                    || k.equals(MAX_UNCONFIRMED)) {
                continue;
            }
            if (k.startsWith(KAFKA_PREFIX)) {
                String prop = k.substring(KAFKA_PREFIX.length());
                if (FIXED.contains(prop)) {
                    refused.add(k);
                } else if (!producerNames.contains(prop)) {
                    unknown.add(k);
                } else if (e.getValue() == null) {
                    unknown.add(k);
                } else {
                    p.setProperty(prop, e.getValue());
                }
            } else {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown Kafka audit sink settings " + unknown + " (known: "
                    + BOOTSTRAP_SERVERS + ", " + TOPIC + ", " + NAME + ", " + CLOSE_TIMEOUT_MILLIS + ", "
                    + MAX_UNCONFIRMED + ", and Kafka producer properties prefixed with '" + KAFKA_PREFIX + "')");
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("Kafka audit sink settings " + refused
                    + " cannot be changed: the sink fixes them for exactly-once delivery"
                    + " (bootstrap servers go in '" + BOOTSTRAP_SERVERS + "')");
        }
        String servers = settings.get(BOOTSTRAP_SERVERS);
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException("Kafka audit sink setting " + BOOTSTRAP_SERVERS + " is required");
        }
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.trim());
        return p;
    }

    /**
     * {@code props} with the sink's defaults under them and its guarantees over them; validated by Kafka's own config
     * parser.
     *
     * @throws IllegalArgumentException a property is invalid, or would weaken a guarantee
     */
    static Properties guaranteedProducerProperties(Properties props) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        // audit XML compresses well: lz4 raised events/s by 15-30% in bench/run-audit.sh
        p.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.setProperty(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        Set<String> refused = new TreeSet<>();
        for (String k : props.stringPropertyNames()) {
            if (FIXED.contains(k) && !k.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                refused.add(k);
            }
            p.setProperty(k, props.getProperty(k));
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("Kafka producer properties " + refused
                    + " cannot be changed: the sink fixes them for exactly-once delivery");
        }
        if (p.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "").isBlank()) {
            throw new IllegalArgumentException("the Kafka producer property bootstrap.servers is required");
        }
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
        String mif = p.getProperty(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        int inFlight;
        try {
            inFlight = Integer.parseInt(mif.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Kafka producer property "
                    + ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION + " must be a number");
        }
        if (inFlight < 1 || inFlight > 5) {
            throw new IllegalArgumentException("Kafka producer property "
                    + ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION
                    + " must be between 1 and 5 for the idempotent producer, not " + inFlight);
        }
        try {
            // Kafka's own parser: types, ranges, valid values (nothing is connected)
            ProducerConfig.configDef().parse(p);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid Kafka producer property: " + e.getMessage(), e);
        }
        return p;
    }
}
