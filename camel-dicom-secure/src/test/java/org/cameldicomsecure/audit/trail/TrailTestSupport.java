package org.cameldicomsecure.audit.trail;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.cameldicomsecure.audit.AuditFormat;

/** Records, alarms and a sink that fails on demand, for the trail's tests. */
final class TrailTestSupport {

    private TrailTestSupport() {
    }

    /** Record number {@code n}: its payload is {@code <AuditMessage n="n"/>} padded to about {@code size} bytes. */
    static AuditRecord record(int n, int size) {
        StringBuilder b = new StringBuilder("<AuditMessage n=\"").append(n).append("\" pad=\"");
        while (b.length() < size - 3) {
            b.append('x');
        }
        b.append("\"/>");
        return new AuditRecord(UUID.randomUUID().toString(), Instant.ofEpochSecond(1_700_000_000L, n),
                "DicomInstancesTransferred", 0, n % 2 == 0 ? "key-" + n : null, AuditFormat.DICOM_XML,
                b.toString().getBytes(StandardCharsets.UTF_8));
    }

    static AuditRecord record(int n) {
        return record(n, 64);
    }

    /** The record numbers in the lines of {@code file}. */
    static List<Integer> numbers(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(TrailTestSupport::number).toList();
    }

    static int number(String line) {
        int i = line.indexOf("n=\"") + 3;
        return Integer.parseInt(line.substring(i, line.indexOf('"', i)));
    }

    static AuditTrailOptions.Builder options(Path dir, Consumer<AuditAlarm> alarms) {
        return AuditTrailOptions.builder(dir).alarmHandler(alarms).retryInitialDelay(Duration.ofMillis(10))
                .retryMaxDelay(Duration.ofMillis(50)).closeTimeout(Duration.ofSeconds(5));
    }

    /** Collects alarms. */
    static final class AlarmLog implements Consumer<AuditAlarm> {
        final List<AuditAlarm> alarms = new CopyOnWriteArrayList<>();

        @Override
        public void accept(AuditAlarm a) {
            alarms.add(a);
        }

        List<AuditAlarm> of(AuditAlarm.Kind kind) {
            return alarms.stream().filter(a -> a.kind() == kind).toList();
        }

        AuditAlarm await(AuditAlarm.Kind kind) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                List<AuditAlarm> l = of(kind);
                if (!l.isEmpty()) {
                    return l.get(0);
                }
                Thread.sleep(5);
            }
            fail("no " + kind + " alarm; got " + alarms);
            return null;
        }
    }

    /** A real {@link FileSink} behind a switch: while down, or for its first failures, {@code send} throws. */
    static final class FlakySink implements AuditSink {
        final FileSink file;
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger failuresLeft = new AtomicInteger();
        final AtomicInteger sendCalls = new AtomicInteger();

        FlakySink(FileSink file) {
            this.file = file;
        }

        @Override
        public String name() {
            return file.name();
        }

        @Override
        public void send(List<SpooledRecord> batch) throws IOException {
            sendCalls.incrementAndGet();
            if (down.get()) {
                throw new IOException("receiver down");
            }
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IOException("transient failure");
            }
            file.send(batch);
        }

        @Override
        public long confirmed() {
            return file.confirmed();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
