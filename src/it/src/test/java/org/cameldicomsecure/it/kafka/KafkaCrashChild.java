package org.cameldicomsecure.it.kafka;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.cameldicomsecure.audit.kafka.KafkaAuditSinkFactory;
import org.cameldicomsecure.audit.trail.AuditRecord;
import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.AuditTrail;
import org.cameldicomsecure.audit.trail.AuditTrailOptions;
import org.cameldicomsecure.audit.trail.AuditTrailStats;

/**
 * The child JVM of {@link KafkaSenderCrashIT}: an {@link AuditTrail} with {@code sync=true} on a spool directory and a
 * Kafka audit sink to a topic.
 * <ul>
 * <li>{@code emit <spool> <bootstrap> <topic> <lingerMs>}: prints {@code READY}, then emits records
 *     {@code n = 0, 1, 2 ...} (IDs {@link #id(String, long)}) from one thread and prints {@code ACK <n> <id>} once each
 *     emit returned, and every 100 emits {@code STATS <n> <confirmed> <pending> <sent> <failures>}, until killed;</li>
 * <li>{@code replay <spool> <bootstrap> <topic> <lingerMs>}: only opens the trail (which replays the spool beyond the
 *     sink's cursor), drains it, prints {@code STATS ...} and {@code DRAINED}, closes it and exits 0 (2 when it
 *     did not drain within 40 s).</li>
 * </ul>
 * Standard output carries only these lines (Kafka's client logs go to standard error).
 */
public final class KafkaCrashChild {

    private KafkaCrashChild() {
    }

    /** The ID of record {@code n} of the run writing to {@code topic}: a name-based UUID, the same in both JVMs. */
    static String id(String topic, long n) {
        return UUID.nameUUIDFromBytes((topic + "/" + n).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static AuditSink sink(String bootstrap, String topic, String lingerMs) {
        return new KafkaAuditSinkFactory().create(Map.of("bootstrapServers", bootstrap, "topic", topic,
                "kafka.linger.ms", lingerMs));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: KafkaCrashChild emit|replay <spool> <bootstrap> <topic> <lingerMs>");
            System.exit(64);
        }
        String mode = args[0];
        Path spool = Path.of(args[1]);
        String bootstrap = args[2];
        String topic = args[3];
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.US_ASCII);
        AuditTrailOptions options = AuditTrailOptions.builder(spool).sync(true).batchSize(100)
                .retryInitialDelay(Duration.ofMillis(100)).retryMaxDelay(Duration.ofSeconds(1)).build();
        AuditTrail trail = AuditTrail.open(options, List.of(sink(bootstrap, topic, args[4])));
        if ("replay".equals(mode)) {
            AuditTrailStats opened = trail.stats();
            out.println("OPENED " + opened.lastSequence() + " " + opened.sink("kafka").confirmed());
            boolean drained = trail.drain(Duration.ofSeconds(40));
            stats(out, trail.stats().lastSequence(), trail.stats());
            if (!drained) {
                out.println("NOT-DRAINED");
                out.flush();
                System.exit(2);
            }
            out.println("DRAINED");
            out.flush();
            trail.close();
            System.exit(0);
        }
        if (!"emit".equals(mode)) {
            System.err.println("mode must be emit or replay, not " + mode);
            System.exit(64);
        }
        out.println("READY");
        out.flush();
        for (long n = 0;; n++) {
            AuditRecord r = KafkaAuditRecords.record((int) n);
            String id = id(topic, n);
            trail.emit(new AuditRecord(id, r.time(), r.eventType(), r.outcome(), r.key(), r.format(), r.payload()));
            out.println("ACK " + n + " " + id);
            if (n % 100 == 99) {
                stats(out, n, trail.stats());
            }
            out.flush();
        }
    }

    private static void stats(PrintStream out, long n, AuditTrailStats s) {
        AuditTrailStats.Sink k = s.sink("kafka");
        out.println("STATS " + n + " " + k.confirmed() + " " + k.pending() + " " + k.sent() + " " + k.failures());
    }
}
