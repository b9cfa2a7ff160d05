package org.cameldicomsecure.it.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cameldicomsecure.audit.kafka.KafkaAuditHeaders;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.it.peers.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #6, the last fault test against a real broker: the JVM that sends audit records to Kafka is killed in the
 * middle of its run and started again, and the spool is replayed.
 *
 * <p>Child JVM #1 ({@link KafkaCrashChild} {@code emit}) opens an {@code AuditTrail} with {@code sync=true} and a Kafka
 * sink to a fresh one-partition topic, emits records {@code n = 0, 1, ...} and prints {@code ACK <n> <id>} after each
 * emit returned. After a few thousand acknowledgements the broker is frozen (SIGSTOP: its sockets stay open, it
 * answers nothing), and once child #1 acknowledged a few hundred more records it is killed ({@code destroyForcibly},
 * SIGKILL) and the broker thawed: acknowledged records are then certainly in the spool and not on Kafka, whatever the
 * speed of the machine. Child JVM #2 ({@code replay}) opens the same spool, which
 * replays it, and drains it. The topic then holds: the first child's deliveries {@code 0 .. a-1} (in order, each once:
 * the idempotent producer), then the replay {@code b .. c} with {@code b <= a} ({@code a - b} duplicates: records Kafka
 * acknowledged after the sink's last saved cursor) and {@code c} the last acknowledged record, or the one whose
 * emit was under way at the kill. Every acknowledged record is there.
 */
@Timeout(120)
class KafkaSenderCrashIT {

    /** Kill after this many acknowledgements (plus up to 500, and once records are pending). */
    private static final int KILL_AFTER = 3000;
    /**
     * Kafka is frozen (SIGSTOP) after {@link #KILL_AFTER} acknowledgements, and the child killed after this many more:
     * the sink hands at most one batch (100 records) to the producer before it waits for Kafka, so hundreds of
     * acknowledged records are then in the spool only.
     */
    private static final int ACKS_WHILE_FROZEN = 400;
    /** A record emitted but not yet acknowledged at the kill may be in the spool, and so on the topic. */
    private static final int UNACKNOWLEDGED_WINDOW = 1;
    /** The cursor of a busy sink is saved at least every checkpointInterval (200 ms): a STATS line older is safe. */
    private static final long CHECKPOINT_MARGIN_MILLIS = 1500;
    /** linger.ms of the children's producers. */
    private static final String LINGER_MS = System.getProperty("it.kafka.crash.lingerMs", "40");

    private static Peers peers;
    private static KafkaBroker broker;
    private static Path work;
    private static final List<Process> children = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        peers = Peers.forTest(KafkaSenderCrashIT.class);
        broker = KafkaBroker.start(peers);
        work = Files.createTempDirectory(Files.createDirectories(
                Paths.get(System.getProperty("it.work.dir", "target/it-work")).toAbsolutePath()), "kafka-crash-");
    }

    @AfterAll
    static void stopAll() throws InterruptedException {
        for (Process p : children) {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** A line of a child's standard output and when the test read it. */
    private record Line(long nanos, String text) {
    }

    /** Starts a child JVM in {@code mode}; its standard output is collected into {@code lines} by a thread. */
    private static Process child(String mode, Path spool, String topic, List<Line> lines, String name)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                KafkaCrashChild.class.getName(), mode, spool.toString(), broker.bootstrapServers(), topic, LINGER_MS);
        pb.redirectError(peers.logDir().resolve(name + ".err").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        children.add(p);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(new Line(System.nanoTime(), l));
                }
            } catch (IOException e) {
                lines.add(new Line(System.nanoTime(), "READ-ERROR " + e));
            }
        }, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private static long endOffset(String topic) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return c.endOffsets(List.of(tp), Duration.ofSeconds(20)).get(tp);
        }
    }

    /** How many records the child acknowledged so far (its last {@code ACK n} line plus one). */
    private static int acks(List<Line> out) {
        for (int i = out.size() - 1; i >= 0; i--) {
            String l = out.get(i).text();
            if (l.startsWith("ACK ")) {
                return Integer.parseInt(l.split(" ")[1]) + 1;
            }
        }
        return 0;
    }

    /** The child's last STATS line, or null. */
    private static long[] lastStats(List<Line> out) {
        for (int i = out.size() - 1; i >= 0; i--) {
            String l = out.get(i).text();
            if (l.startsWith("STATS ")) {
                return stats(l);
            }
        }
        return null;
    }

    /** STATS <n> <confirmed> <pending> <sent> <failures> */
    private static long[] stats(String text) {
        String[] f = text.split(" ");
        long[] v = new long[f.length - 1];
        for (int i = 1; i < f.length; i++) {
            v[i - 1] = Long.parseLong(f[i]);
        }
        return v;
    }

    @Test
    void aKilledSenderReplaysItsSpoolOnRestart() throws Exception {
        String topic = "audit-crash-" + UUID.randomUUID();
        broker.createTopic(topic, 1, Map.of());
        Path spool = work.resolve("spool");
        int killAt = KILL_AFTER + (int) (System.nanoTime() % 500);

        // child #1: emits until killed
        List<Line> out1 = new CopyOnWriteArrayList<>();
        Process first = child("emit", spool, topic, out1, "child-1-emit");
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(40);
        long killNanos;
        long[] statsAtKill;
        int acksAtFreeze = -1;
        int acksAtKill;
        try {
            while (true) {
                if (!first.isAlive()) {
                    fail("child #1 exited (" + first.exitValue() + ") before the kill; see "
                            + peers.logDir().resolve("child-1-emit.err") + "; stdout: " + tail(out1));
                }
                if (System.nanoTime() > deadline) {
                    fail("child #1 acknowledged only " + acks(out1) + " records in 40 s (frozen broker at "
                            + acksAtFreeze + "); see " + peers.logDir().resolve("child-1-emit.err"));
                }
                int acks = acks(out1);
                if (acksAtFreeze < 0 && acks >= killAt) {
                    // Kafka stops answering: the records the sink handed over wait for their acknowledgement, and
                    // what child #1 emits from now on stays in its spool (and the producer's buffer)
                    broker.freeze();
                    acksAtFreeze = acks;
                } else if (acksAtFreeze >= 0 && acks >= acksAtFreeze + ACKS_WHILE_FROZEN) {
                    statsAtKill = lastStats(out1);
                    first.destroyForcibly(); // SIGKILL, in the middle of emits and of sends waiting for Kafka
                    killNanos = System.nanoTime();
                    acksAtKill = acks;
                    break;
                }
                Thread.sleep(2);
            }
        } finally {
            if (acksAtFreeze >= 0) {
                broker.thaw();
            }
        }
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "child #1 did not die");
        long emitSeconds = (killNanos - t0) / 1_000_000_000L;
        Thread.sleep(300); // the reader thread reads the rest of the pipe (acks printed before the kill landed)

        // what child #1 acknowledged: n = 0 .. maxAcked, in order, with the IDs it derives from n
        Map<String, Long> nOf = new HashMap<>();
        List<String> acked = new ArrayList<>();
        long cursorFloor = 0; // confirmed (a sequence) in a STATS line old enough that the cursor file held it
        for (Line l : out1) {
            String[] f = l.text().split(" ");
            if (f[0].equals("ACK")) {
                long n = Long.parseLong(f[1]);
                assertEquals(acked.size(), n, "acknowledgements in order");
                assertEquals(KafkaCrashChild.id(topic, n), f[2]);
                acked.add(f[2]);
                nOf.put(f[2], n);
            } else if (f[0].equals("STATS") && killNanos - l.nanos() > CHECKPOINT_MARGIN_MILLIS * 1_000_000) {
                cursorFloor = stats(l.text())[1];
            }
        }
        long maxAcked = acked.size() - 1;
        assertTrue(acked.size() >= 1000, "child #1 acknowledged only " + acked.size() + " in " + emitSeconds
                + " s; see " + peers.logDir().resolve("child-1-emit.err"));
        for (long n = maxAcked + 1; n <= maxAcked + UNACKNOWLEDGED_WINDOW; n++) {
            nOf.put(KafkaCrashChild.id(topic, n), n);
        }
        Thread.sleep(500); // a produce request the broker fully received before the kill is appended by now
        long deliveredByFirst = endOffset(topic);

        // child #2: opens the spool (replay), drains, exits 0
        List<Line> out2 = new CopyOnWriteArrayList<>();
        long r0 = System.nanoTime();
        Process second = child("replay", spool, topic, out2, "child-2-replay");
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "child #2 did not finish: " + tail(out2));
        long replayMillis = (System.nanoTime() - r0) / 1_000_000;
        Thread.sleep(100);
        assertEquals(0, second.exitValue(), "child #2 failed; see " + peers.logDir().resolve("child-2-replay.err")
                + "; stdout: " + tail(out2));
        assertTrue(out2.stream().anyMatch(l -> l.text().equals("DRAINED")), tail(out2));
        String opened = out2.stream().map(Line::text).filter(t -> t.startsWith("OPENED ")).findFirst().orElse(null);
        assertNotNull(opened, tail(out2));
        long[] openedStats = stats(opened); // lastSequence, cursor read from the spool
        long[] replayStats = stats(out2.stream().map(Line::text).filter(t -> t.startsWith("STATS ")).findFirst()
                .orElseThrow());
        long replayedSent = replayStats[3];

        // the whole topic
        long total = endOffset(topic);
        List<ConsumerRecord<byte[], byte[]>> got = KafkaAuditRecords.readAll(broker.bootstrapServers(), topic,
                (int) total, Duration.ofSeconds(30));
        assertEquals(total, got.size(), "read the whole topic");
        List<Long> ns = new ArrayList<>(got.size());
        for (ConsumerRecord<byte[], byte[]> r : got) {
            String id = KafkaAuditHeaders.optional(r.headers(), KafkaAuditHeaders.ID);
            Long n = nOf.get(id);
            if (n == null) {
                fail("offset " + r.offset() + " holds ID " + id + ", which child #1 never acknowledged nor was "
                        + "emitting at the kill (acknowledged up to n=" + maxAcked + ")");
            }
            ns.add(n);
        }
        // every acknowledged record is there
        Set<Long> present = new HashSet<>(ns);
        List<Long> missing = new ArrayList<>();
        for (long n = 0; n <= maxAcked; n++) {
            if (!present.contains(n)) {
                missing.add(n);
            }
        }
        assertEquals(List.of(), missing.subList(0, Math.min(20, missing.size())), missing.size()
                + " acknowledged records missing");
        // first occurrences in emit order
        long lastFirst = -1;
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < ns.size(); i++) {
            long n = ns.get(i);
            if (seen.add(n)) {
                assertTrue(n > lastFirst, "offset " + i + ": n=" + n + " first seen after n=" + lastFirst);
                lastFirst = n;
            }
        }
        // child #1's part: 0 .. a-1, each once
        int a = (int) deliveredByFirst;
        for (int i = 0; i < a; i++) {
            assertEquals(i, ns.get(i), "child #1 delivered in order, each once: offset " + i);
        }
        // the replay: b .. c, contiguous, starting at or before where child #1 stopped
        List<Long> replay = ns.subList(a, ns.size());
        assertTrue(!replay.isEmpty(), "the replay delivered nothing");
        long b = replay.get(0);
        long c = replay.get(replay.size() - 1);
        for (int i = 0; i < replay.size(); i++) {
            assertEquals(b + i, replay.get(i), "the replay is contiguous: replay record " + i);
        }
        assertTrue(b <= a, "a gap between child #1's deliveries (up to " + (a - 1) + ") and the replay from " + b);
        long duplicates = a - b;
        // duplicates only around the kill point: the replay starts at the cursor saved by child #1, which was at
        // least what it reported confirmed CHECKPOINT_MARGIN_MILLIS before the kill (cursor = sequence = n + 1)
        assertTrue(b >= cursorFloor, "the replay started at n=" + b + ", before child #1's confirmed cursor "
                + cursorFloor + " of " + CHECKPOINT_MARGIN_MILLIS + " ms before the kill");
        assertEquals(openedStats[1], b, "the replay starts after the cursor child #2 read from the spool");
        assertEquals(openedStats[0], c + 1, "the replay ends with the last record of the spool (sequence = n + 1)");
        assertTrue(c >= maxAcked && c <= maxAcked + UNACKNOWLEDGED_WINDOW,
                "the replay ended at n=" + c + ", acknowledged up to " + maxAcked);
        long undeliveredAtKill = maxAcked + 1 - a;
        assertTrue(undeliveredAtKill > 0, "child #1 was killed with nothing acknowledged still to deliver (" + a
                + " delivered, " + acked.size() + " acknowledged): the test did not test the replay");
        assertEquals(replay.size(), replayedSent, "child #2 sent what its spool held beyond the cursor");

        System.out.printf("KafkaSenderCrashIT: child #1 acknowledged %d records in %d s (sync=true, linger.ms %s; "
                + "broker frozen at %d, killed at %d acknowledgements; last STATS before the kill: confirmed %d, pending %d), killed with %d acknowledged records not yet "
                + "on Kafka; child #1 delivered %d; child #2 replayed %d (n=%d..%d) in %d ms, of which %d duplicates "
                + "(delivered by child #1 after its last saved cursor) and %d emitted but never acknowledged; topic "
                + "total %d, every acknowledged record present, in order%n", acked.size(), emitSeconds, LINGER_MS,
                acksAtFreeze, acksAtKill,
                statsAtKill == null ? -1 : statsAtKill[1], statsAtKill == null ? -1 : statsAtKill[2],
                undeliveredAtKill, a, replay.size(), b, c, replayMillis, duplicates, c - maxAcked, total);
    }

    private static String tail(List<Line> lines) {
        int from = Math.max(0, lines.size() - 5);
        return lines.subList(from, lines.size()).stream().map(Line::text).toList().toString();
    }
}
