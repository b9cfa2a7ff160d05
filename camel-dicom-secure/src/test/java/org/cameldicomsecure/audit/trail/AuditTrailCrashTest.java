package org.cameldicomsecure.audit.trail;

import static org.cameldicomsecure.audit.trail.TrailTestSupport.numbers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cameldicomsecure.audit.trail.TrailTestSupport.AlarmLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that emits with sync=true in the middle of its run, then replays its spool: every acknowledged record
 * arrives, in order; only records after the last saved cursor may arrive twice.
 */
@Timeout(120)
class AuditTrailCrashTest {

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedRecordSurvivesAKill() throws Exception {
        Path spool = tmp.resolve("spool");
        Path out = tmp.resolve("audit.log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), spool.toString(), out.toString());
        pb.redirectError(tmp.resolve("child.err").toFile());
        Process child = pb.start();
        long maxAcked = -1;
        int acks = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String line = r.readLine();
            assertEquals("READY", line, "the child did not start; see " + tmp.resolve("child.err"));
            // the spool is locked by the child: this JVM cannot open it
            IOException locked = assertThrows(IOException.class, () -> AuditTrail.open(
                    TrailTestSupport.options(spool, a -> { }).build(), List.of(new FileSink(out))));
            assertTrue(locked.getMessage().contains(spool.toAbsolutePath().toString())
                    && locked.getMessage().contains("another process"), locked.getMessage());
            int killAt = 1500 + (int) (System.nanoTime() % 500);
            while (acks < killAt && (line = r.readLine()) != null) {
                String[] f = line.split(" ");
                long seq = Long.parseLong(f[1]);
                long n = Long.parseLong(f[2]);
                assertEquals(n + 1, seq, "one emitting thread: sequence = n + 1");
                maxAcked = n;
                acks++;
            }
            child.destroyForcibly(); // mid-run: the child is emitting as fast as it can
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(maxAcked > 1000, "the child acknowledged " + maxAcked);
        // the child's file: complete lines only (a line cut short by the kill is cut off when the sink reopens it)
        long beforeLines = Files.exists(out)
                ? new String(Files.readAllBytes(out), StandardCharsets.UTF_8).chars().filter(c -> c == '\n')
                        .count()
                : 0;

        AlarmLog alarms = new AlarmLog();
        try (AuditTrail trail = AuditTrail.open(TrailTestSupport.options(spool, alarms).build(),
                List.of(new FileSink("file", out, 0, 0)))) {
            assertTrue(trail.drain(Duration.ofSeconds(30)), "replayed: " + trail.stats());
            assertTrue(trail.stats().lastSequence() >= maxAcked + 1);
        }
        for (AuditAlarm a : alarms.alarms) {
            assertEquals(AuditAlarm.Kind.SPOOL_CORRUPT, a.kind(), "only a torn tail may be reported: " + a);
        }
        List<Integer> lines = numbers(out);
        // lines = 0, 1, ... a (the child's), then b, b+1, ... c (the replay), with b <= a + 1 and c >= maxAcked
        int k = 0;
        while (k < lines.size() && lines.get(k) == k) {
            k++;
        }
        assertTrue(k >= beforeLines, "the child wrote " + beforeLines + " lines, in order, without duplicates");
        List<Integer> replay = lines.subList(k, lines.size());
        int last = k - 1;
        if (!replay.isEmpty()) {
            int b = replay.get(0);
            assertTrue(b <= k, "a gap between the child's lines (up to " + last + ") and the replay from " + b);
            for (int i = 0; i < replay.size(); i++) {
                if (replay.get(i) != b + i) {
                    fail("the replay is out of order at " + i + ": " + replay.subList(Math.max(0, i - 3),
                            Math.min(replay.size(), i + 3)));
                }
            }
            last = b + replay.size() - 1;
            System.out.println("crash test: child acknowledged up to n=" + maxAcked + ", its file had "
                    + beforeLines + " lines, the replay sent " + replay.size() + " (" + (k - b)
                    + " duplicates), last n=" + last);
        }
        assertTrue(last >= maxAcked, "acknowledged up to " + maxAcked + " but delivered only up to " + last);
        List<Integer> distinct = new ArrayList<>(new java.util.TreeSet<>(lines));
        assertEquals(last + 1, distinct.size(), "none missing");
    }
}
