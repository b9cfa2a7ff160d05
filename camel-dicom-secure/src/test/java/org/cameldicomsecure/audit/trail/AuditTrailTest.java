package org.cameldicomsecure.audit.trail;

import static org.cameldicomsecure.audit.trail.TrailTestSupport.numbers;
import static org.cameldicomsecure.audit.trail.TrailTestSupport.options;
import static org.cameldicomsecure.audit.trail.TrailTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.audit.trail.TrailTestSupport.AlarmLog;
import org.cameldicomsecure.audit.trail.TrailTestSupport.FlakySink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AuditTrailTest {

    @TempDir
    Path tmp;

    private final AlarmLog alarms = new AlarmLog();

    private Path spool() {
        return tmp.resolve("spool");
    }

    private Path out() {
        return tmp.resolve("out/audit.log");
    }

    private FileSink fileSink() throws IOException {
        return new FileSink("file", out(), 0, 0);
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(spool())) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void deliversEveryRecordInSpoolOrderFromManyThreads() throws Exception {
        Map<Integer, Long> seqOf = new ConcurrentHashMap<>();
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).batchSize(37).build(), List.of(fileSink()))) {
            List<CompletableFuture<Void>> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 10_000;
                threads.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 2500; i++) {
                        try {
                            seqOf.put(base + i, trail.emit(record(base + i)).sequence());
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    }
                }));
            }
            CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertTrue(trail.drain(Duration.ofSeconds(20)));
            AuditTrailStats stats = trail.stats();
            assertEquals(10_000, stats.lastSequence());
            assertEquals(10_000, stats.sink("file").confirmed());
            assertEquals(0, stats.sink("file").pending());
            assertEquals(10_000, stats.sink("file").sent());
        }
        List<Integer> lines = numbers(out());
        assertEquals(10_000, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(i + 1, seqOf.get(lines.get(i)), "line " + i + " is out of spool order");
        }
        assertEquals(10_000, Long.parseLong(Files.readString(spool().resolve("file.cursor")).trim()));
    }

    @Test
    void syncEmitReturnsOnceFsynced() throws Exception {
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).sync(true).build(), List.of(fileSink()))) {
            for (int i = 0; i < 50; i++) {
                SpooledRecord r = trail.emit(record(i));
                assertEquals(i + 1, r.sequence());
                assertTrue(trail.stats().durableSequence() >= r.sequence());
            }
        }
        assertEquals(range(0, 50), numbers(out()));
    }

    @Test
    void cursorSurvivesAReopenAndSequencesContinue() throws Exception {
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).build(), List.of(fileSink()))) {
            for (int i = 0; i < 10; i++) {
                trail.emit(record(i));
            }
            assertTrue(trail.drain(Duration.ofSeconds(10)));
        }
        assertEquals("10", Files.readString(spool().resolve("file.cursor")).trim());
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).build(), List.of(fileSink()))) {
            assertEquals(10, trail.stats().sink("file").confirmed());
            for (int i = 10; i < 15; i++) {
                assertEquals(i + 1, trail.emit(record(i)).sequence());
            }
            assertTrue(trail.drain(Duration.ofSeconds(10)));
        }
        assertEquals(range(0, 15), numbers(out()), "nothing sent twice, nothing missing");
        assertTrue(alarms.alarms.isEmpty(), alarms.alarms.toString());
    }

    @Test
    void undeliveredRecordsAreReplayedFromDiskAfterAReopen() throws Exception {
        FlakySink down = new FlakySink(fileSink());
        down.down.set(true);
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).closeTimeout(Duration.ofMillis(100)).build(),
                List.of(down))) {
            for (int i = 0; i < 300; i++) {
                trail.emit(record(i));
            }
            trail.flush();
            assertEquals(300, trail.stats().sink("file").pending());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (trail.stats().sink("file").failures() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertFalse(trail.stats().sink("file").up());
            assertEquals("IOException: receiver down", trail.stats().sink("file").lastError());
        }
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).batchSize(7).build(), List.of(fileSink()))) {
            assertTrue(trail.drain(Duration.ofSeconds(10)));
            assertEquals(301, trail.emit(record(300)).sequence());
            assertTrue(trail.drain(Duration.ofSeconds(10)));
        }
        assertEquals(range(0, 301), numbers(out()));
    }

    @Test
    void aLaggingSinkReadsFromTheSegmentsBeyondTheMemoryWindow() throws Exception {
        FlakySink sink = new FlakySink(fileSink());
        sink.down.set(true);
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).memoryWindow(8).segmentBytes(4096).build(),
                List.of(sink))) {
            for (int i = 0; i < 500; i++) {
                trail.emit(record(i));
            }
            trail.flush();
            sink.down.set(false);
            assertTrue(trail.drain(Duration.ofSeconds(10)));
        }
        assertEquals(range(0, 500), numbers(out()));
    }

    @Test
    void aTornTailIsCutOffReportedAndTheSequenceContinues() throws Exception {
        FlakySink down = new FlakySink(fileSink());
        down.down.set(true);
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).closeTimeout(Duration.ofMillis(100)).build(),
                List.of(down))) {
            for (int i = 0; i < 20; i++) {
                trail.emit(record(i));
            }
        }
        Path segment = segmentFiles().get(0);
        long goodSize = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            // a frame header promising 500 bytes, and a few of them: a write cut short by a crash
            ByteBuffer torn = ByteBuffer.allocate(16 + 37).putInt(500).putInt(0x12345678).putLong(21);
            torn.put("garbage garbage garbage garbage garba".getBytes(StandardCharsets.US_ASCII)).flip();
            assertEquals(53, torn.remaining());
            ch.write(torn);
        }
        // the receiver is down at first, so that the segment is not delivered (and deleted) before it is measured
        FlakySink later = new FlakySink(fileSink());
        later.down.set(true);
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).build(), List.of(later))) {
            AuditAlarm alarm = alarms.await(AuditAlarm.Kind.SPOOL_CORRUPT);
            assertEquals(20, alarm.sequence());
            assertTrue(alarm.message().contains("53 bytes after sequence 20 were cut off"), alarm.message());
            assertEquals(goodSize, Files.size(segment));
            later.down.set(false);
            assertEquals(21, trail.emit(record(20)).sequence());
            assertTrue(trail.drain(Duration.ofSeconds(10)));
        }
        assertEquals(range(0, 21), numbers(out()));
    }

    @Test
    void aCorruptRecordEndsTheValidPartOfTheSegment() throws Exception {
        FlakySink down = new FlakySink(fileSink());
        down.down.set(true);
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).closeTimeout(Duration.ofMillis(100)).build(),
                List.of(down))) {
            for (int i = 0; i < 20; i++) {
                trail.emit(record(i));
            }
        }
        Path segment = segmentFiles().get(0);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'#'}), Files.size(segment) - 10); // inside record 20's payload
        }
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).build(), List.of(fileSink()))) {
            AuditAlarm alarm = alarms.await(AuditAlarm.Kind.SPOOL_CORRUPT);
            assertTrue(alarm.message().contains("CRC mismatch at sequence 20"), alarm.message());
            assertTrue(trail.drain(Duration.ofSeconds(10)));
        }
        assertEquals(range(0, 19), numbers(out()));
    }

    @Test
    void segmentsAreDeletedOnceEverySinkConfirmedThem() throws Exception {
        FlakySink a = new FlakySink(new FileSink("a", tmp.resolve("a.log"), 0, 0));
        FlakySink b = new FlakySink(new FileSink("b", tmp.resolve("b.log"), 0, 0));
        b.down.set(true);
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).segmentBytes(4096).build(), List.of(a, b))) {
            for (int i = 0; i < 500; i++) {
                trail.emit(record(i, 200));
            }
            trail.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (trail.stats().sink("a").confirmed() < 500 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(500, trail.stats().sink("a").confirmed());
            assertEquals(0, trail.stats().sink("b").confirmed());
            int kept = segmentFiles().size();
            assertTrue(kept > 20, "b has confirmed nothing: every segment stays, " + kept);
            b.down.set(false);
            assertTrue(trail.drain(Duration.ofSeconds(10)));
            assertTrue(segmentFiles().size() <= 2, "delivered segments are deleted: " + segmentFiles());
            assertEquals(segmentFiles().size(), trail.stats().segments());
            assertTrue(trail.stats().spoolBytes() <= 2 * 4096 + 200, "spoolBytes " + trail.stats().spoolBytes());
        }
        assertEquals(range(0, 500), numbers(tmp.resolve("a.log")));
        assertEquals(range(0, 500), numbers(tmp.resolve("b.log")));
    }

    private AuditTrailOptions.Builder small(OverflowPolicy policy) {
        return options(spool(), alarms).maxSpoolBytes(64 * 1024).segmentBytes(8192).overflowPolicy(policy);
    }

    @Test
    void rejectRefusesWhenFullRaisesOneAlarmAndKeepsTheReserve() throws Exception {
        FlakySink sink = new FlakySink(fileSink());
        sink.down.set(true);
        int accepted = 0;
        try (AuditTrail trail = AuditTrail.open(small(OverflowPolicy.REJECT).build(), List.of(sink))) {
            AuditSpoolFullException full = null;
            for (int i = 0; i < 1000 && full == null; i++) {
                try {
                    trail.emit(record(i, 1000));
                    accepted++;
                } catch (AuditSpoolFullException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "the spool never filled");
            assertTrue(full.getMessage().contains("maxSpoolBytes=65536"), full.getMessage());
            assertTrue(full.getMessage().contains("overflowPolicy=REJECT"), full.getMessage());
            assertEquals(65536, full.maxSpoolBytes());
            for (int i = 0; i < 5; i++) {
                assertThrows(AuditSpoolFullException.class, () -> trail.emit(record(9999, 1000)));
            }
            AuditAlarm alarm = alarms.await(AuditAlarm.Kind.SPOOL_FULL);
            assertTrue(alarm.message().contains("overflowPolicy=REJECT"), alarm.message());
            assertEquals(accepted, alarm.records(), "records waiting for delivery");
            assertFalse(alarm.message().contains("AuditMessage"), "no payload in alarms");
            // the Security Alert the alarm produces always fits
            SpooledRecord reserved = trail.emitReserved(record(accepted, 1000));
            assertEquals(accepted + 1, reserved.sequence());
            AuditTrailStats stats = trail.stats();
            assertEquals(6, stats.rejectedEmits());
            assertTrue(stats.overflowing());
            assertTrue(stats.spoolBytes() <= 65536);
            sink.down.set(false);
            assertTrue(trail.drain(Duration.ofSeconds(10)));
            AuditAlarm recovered = alarms.await(AuditAlarm.Kind.SPOOL_RECOVERED);
            assertEquals(6, recovered.records());
            assertFalse(trail.stats().overflowing());
            assertEquals(1, alarms.of(AuditAlarm.Kind.SPOOL_FULL).size(), "one alarm per episode");
            trail.emit(record(accepted + 1, 1000));
            assertTrue(trail.drain(Duration.ofSeconds(10)));
        }
        assertEquals(range(0, accepted + 2), numbers(out()), "nothing spooled was dropped");
    }

    @Test
    void blockWaitsForSpaceThenRefusesAfterItsTimeout() throws Exception {
        FlakySink sink = new FlakySink(fileSink());
        sink.down.set(true);
        int accepted = 0;
        try (AuditTrail trail = AuditTrail.open(small(OverflowPolicy.BLOCK).blockTimeout(Duration.ofMillis(1500))
                .build(), List.of(sink))) {
            AuditSpoolFullException full = null;
            long refusedAfter = 0;
            for (int i = 0; i < 1000 && full == null; i++) {
                long t = System.nanoTime();
                try {
                    trail.emit(record(i, 1000));
                    accepted++;
                } catch (AuditSpoolFullException e) {
                    full = e;
                    refusedAfter = System.nanoTime() - t;
                }
            }
            assertTrue(full != null, "the spool never filled");
            assertTrue(refusedAfter >= TimeUnit.MILLISECONDS.toNanos(1400), "waited " + refusedAfter + " ns");
            assertTrue(full.getMessage().contains("after waiting 1500 ms"), full.getMessage());
            int n = accepted;
            CompletableFuture<SpooledRecord> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return trail.emit(record(n, 1000));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(blocked.isDone(), "emit waits while the spool is full");
            sink.down.set(false);
            assertEquals(accepted + 1, blocked.get(10, TimeUnit.SECONDS).sequence());
            assertTrue(trail.drain(Duration.ofSeconds(10)));
            alarms.await(AuditAlarm.Kind.SPOOL_RECOVERED);
            assertEquals(1, alarms.of(AuditAlarm.Kind.SPOOL_FULL).size(), "one alarm per episode");
            assertTrue(alarms.of(AuditAlarm.Kind.SPOOL_FULL).get(0).message().contains("overflowPolicy=BLOCK"));
        }
        assertEquals(range(0, accepted + 1), numbers(out()));
    }

    @Test
    void dropOldestDropsWholeSegmentsAndSaysHowMany() throws Exception {
        FlakySink sink = new FlakySink(fileSink());
        sink.down.set(true);
        try (AuditTrail trail = AuditTrail.open(small(OverflowPolicy.DROP_OLDEST).build(), List.of(sink))) {
            for (int i = 0; i < 300; i++) {
                trail.emit(record(i, 1000)); // never refused
            }
            trail.flush();
            AuditAlarm full = alarms.await(AuditAlarm.Kind.SPOOL_FULL);
            assertTrue(full.records() > 0, "the alarm says how many records were dropped: " + full);
            assertTrue(full.message().contains("undelivered records lost"), full.message());
            AuditTrailStats stats = trail.stats();
            long dropped = stats.droppedRecords();
            assertTrue(dropped > 200, "dropped " + dropped);
            assertTrue(stats.spoolBytes() <= 65536);
            sink.down.set(false);
            assertTrue(trail.drain(Duration.ofSeconds(10)));
            assertEquals(dropped, trail.stats().sink("file").skipped());
            AuditAlarm recovered = alarms.await(AuditAlarm.Kind.SPOOL_RECOVERED);
            assertEquals(dropped, recovered.records());
            assertEquals(1, alarms.of(AuditAlarm.Kind.SPOOL_FULL).size(), "one alarm per episode");
            assertEquals(range((int) dropped, 300), numbers(out()), "the newest records, in order");
        }
    }

    @Test
    void aRejectedRecordIsSkippedWithAnAlarmNamingItsSequenceAndId() throws Exception {
        String badId;
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).build(), List.of(fileSink()))) {
            for (int i = 0; i < 5; i++) {
                trail.emit(record(i));
            }
            AuditRecord bad = new AuditRecord("11111111-2222-3333-4444-555555555555", Instant.now(), "Query", 0, "k",
                    AuditFormat.DICOM_XML, "<AuditMessage n=\"5\">\nPATIENT^SECRET</AuditMessage>"
                            .getBytes(StandardCharsets.UTF_8));
            badId = bad.id();
            assertEquals(6, trail.emit(bad).sequence());
            for (int i = 6; i < 10; i++) {
                trail.emit(record(i));
            }
            assertTrue(trail.drain(Duration.ofSeconds(10)));
            AuditAlarm alarm = alarms.await(AuditAlarm.Kind.RECORD_REJECTED);
            assertEquals(6, alarm.sequence());
            assertEquals(badId, alarm.recordId());
            assertEquals("file", alarm.sink());
            assertTrue(alarm.message().contains(badId) && alarm.message().contains("record 6"), alarm.message());
            assertFalse(alarm.message().contains("SECRET"), "no payload in alarms");
            assertEquals(1, trail.stats().sink("file").rejected());
            assertEquals(10, trail.stats().sink("file").confirmed());
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 6, 7, 8, 9), numbers(out()));
    }

    @Test
    void aSinkThatFailsThreeTimesGetsEverythingOnceInOrder() throws Exception {
        FlakySink sink = new FlakySink(fileSink());
        sink.failuresLeft.set(3);
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).batchSize(10).build(), List.of(sink))) {
            for (int i = 0; i < 100; i++) {
                trail.emit(record(i));
            }
            assertTrue(trail.drain(Duration.ofSeconds(10)));
            AuditTrailStats.Sink s = trail.stats().sink("file");
            assertEquals(3, s.failures());
            assertTrue(s.up());
            assertNull(s.lastError());
            assertEquals(100, s.confirmed());
        }
        assertEquals(range(0, 100), numbers(out()));
    }

    @Test
    void twoTrailsCannotShareASpoolDirectory() throws Exception {
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).build(), List.of(fileSink()))) {
            IOException e = assertThrows(IOException.class, () -> AuditTrail.open(options(spool(), alarms).build(),
                    List.of(new FileSink("other", tmp.resolve("other.log"), 0, 0))));
            assertTrue(e.getMessage().contains(spool().toAbsolutePath().toString()), e.getMessage());
            trail.emit(record(0));
        }
        try (AuditTrail trail = AuditTrail.open(options(spool(), alarms).build(), List.of(fileSink()))) {
            assertEquals(2, trail.emit(record(1)).sequence());
            assertTrue(trail.drain(Duration.ofSeconds(10)));
        }
        assertEquals(range(0, 2), numbers(out()));
    }

    @Test
    void theAlarmHandlerMayEmitIntoTheTrail() throws Exception {
        List<SpooledRecord> securityAlerts = new java.util.concurrent.CopyOnWriteArrayList<>();
        AuditTrail[] holder = new AuditTrail[1];
        FlakySink sink = new FlakySink(fileSink());
        sink.down.set(true);
        AuditTrailOptions o = small(OverflowPolicy.REJECT).alarmHandler(a -> {
            alarms.accept(a);
            if (a.kind() == AuditAlarm.Kind.SPOOL_FULL) {
                try {
                    securityAlerts.add(holder[0].emitReserved(record(77777, 1000)));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }
        }).sync(true).build();
        try (AuditTrail trail = AuditTrail.open(o, List.of(sink))) {
            holder[0] = trail;
            int i = 0;
            while (true) {
                try {
                    trail.emit(record(i++, 1000));
                } catch (AuditSpoolFullException e) {
                    break;
                }
            }
            alarms.await(AuditAlarm.Kind.SPOOL_FULL);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (securityAlerts.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, securityAlerts.size());
            assertEquals(i, securityAlerts.get(0).sequence());
            sink.down.set(false);
            assertTrue(trail.drain(Duration.ofSeconds(10)));
        }
        List<Integer> n = numbers(out());
        assertEquals(77777, n.get(n.size() - 1));
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> AuditTrailOptions.builder(tmp).maxSpoolBytes(10).build());
        assertThrows(IllegalArgumentException.class, () -> AuditTrailOptions.builder(tmp).batchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> AuditTrail.open(AuditTrailOptions.builder(tmp).build(),
                List.of()));
        AuditTrailOptions d = AuditTrailOptions.builder(tmp).build();
        assertEquals(OverflowPolicy.REJECT, d.overflowPolicy());
        assertFalse(d.sync());
        assertEquals(d, d.toBuilder().build());
    }
}
