package org.cameldicomsecure.audit.trail;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The durable audit trail: {@link #emit} appends a record to the {@link AuditSpool} (fsync'd, bounded, see its
 * javadoc for the on-disk format and the overflow policy), and one delivery thread per sink reads the spool in order
 * from that sink's cursor and hands batches of up to {@link AuditTrailOptions#batchSize()} records to
 * {@link AuditSink#send}.
 *
 * <p>Delivery: the newest records are read from memory ({@link AuditTrailOptions#memoryWindow()}); after a restart, or
 * when a sink lags further behind, from the segment files. A sink's cursor follows {@link AuditSink#confirmed()} and
 * is written to its cursor file (at most every {@link AuditTrailOptions#checkpointInterval()}, at once when idle);
 * segments are deleted when every sink's cursor is past them. When {@code send} throws an {@link IOException} the
 * thread goes back to the sink's confirmed sequence and sends again after a wait that doubles from
 * {@link AuditTrailOptions#retryInitialDelay()} up to {@link AuditTrailOptions#retryMaxDelay()}, forever (while the
 * receiver is down records wait on disk). When it throws a {@link RecordRejectedException} the record is skipped for
 * that sink with a {@link AuditAlarm.Kind#RECORD_REJECTED} alarm naming its sequence and ID (the records of the batch
 * before it count as sent). Records are never reordered; after a failure a receiver may see a record again (same ID).
 *
 * <p>Overflow (the spool is bounded by {@link AuditTrailOptions#maxSpoolBytes()}), as the {@link AuditSpool} javadoc
 * details: {@link OverflowPolicy#REJECT} (default) makes {@code emit} throw {@link AuditSpoolFullException} and drops
 * nothing; {@link OverflowPolicy#BLOCK} waits up to {@link AuditTrailOptions#blockTimeout()} for space, then refuses;
 * {@link OverflowPolicy#DROP_OLDEST} deletes the oldest segment, undelivered records and all, and says how many. Every
 * overflow episode raises one {@link AuditAlarm.Kind#SPOOL_FULL} alarm (logged as an ERROR) and one
 * {@link AuditAlarm.Kind#SPOOL_RECOVERED} when delivery has freed a quarter of the spool, with the number of records
 * rejected or dropped. {@link AuditTrailOptions#reservedBytes()} stay free for {@link #emitReserved}, so the Security
 * Alert an alarm handler emits always fits. Alarms reach {@link AuditTrailOptions#alarmHandler()} on a dedicated
 * thread, never with a payload.
 *
 * <p>Thread-safe: {@link #emit} may be called from any number of threads. {@link #close()} is graceful and closes the
 * sinks.
 */
public final class AuditTrail implements Closeable {

    private static final Logger LOG = System.getLogger(AuditTrail.class.getName());
    private static final Pattern SINK_NAME = Pattern.compile("[a-z0-9-]+");
    private static final long IDLE_WAIT_MILLIS = 100;

    private final AuditTrailOptions options;
    private final Alarms alarms;
    private final AuditSpool spool;
    private final List<Delivery> deliveries = new ArrayList<>();
    private volatile int drainRequests;
    private volatile boolean closed;

    private AuditTrail(AuditTrailOptions options, Alarms alarms, AuditSpool spool) {
        this.options = options;
        this.alarms = alarms;
        this.spool = spool;
    }

    /**
     * Opens the spool in {@code options.spoolDirectory()} (recovering it after a crash) and starts delivering to
     * {@code sinks}: what is in the spool beyond each sink's cursor is sent again. A sink new to this spool starts at
     * the oldest record still in it.
     *
     * @throws IOException the spool cannot be opened (e.g. another JVM holds it)
     */
    public static AuditTrail open(AuditTrailOptions options, List<AuditSink> sinks) throws IOException {
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("an audit trail needs at least one sink");
        }
        Set<String> names = new HashSet<>();
        for (AuditSink s : sinks) {
            String n = s.name();
            if (n == null || !SINK_NAME.matcher(n).matches()) {
                throw new IllegalArgumentException("an audit sink name must match [a-z0-9-]+, not \"" + n + "\"");
            }
            if (!names.add(n)) {
                throw new IllegalArgumentException("two audit sinks are named \"" + n + "\": names must be unique");
            }
        }
        Alarms alarms = new Alarms(options.alarmHandler(), options.spoolDirectory().toString());
        AuditSpool spool;
        try {
            spool = AuditSpool.open(options, alarms);
        } catch (IOException | RuntimeException e) {
            alarms.close(1000);
            throw e;
        }
        AuditTrail trail = new AuditTrail(options, alarms, spool);
        try {
            long first = spool.firstSequence();
            for (AuditSink s : sinks) {
                long cursor = spool.readCursor(s.name());
                if (cursor < 0) {
                    cursor = first - 1;
                    spool.writeCursor(s.name(), cursor);
                }
                trail.deliveries.add(trail.new Delivery(s, cursor));
            }
        } catch (IOException | RuntimeException e) {
            spool.close();
            alarms.close(1000);
            throw e;
        }
        trail.released();
        for (Delivery d : trail.deliveries) {
            d.thread.start();
        }
        return trail;
    }

    /**
     * Appends {@code record} to the spool: returns once it is queued, or with {@link AuditTrailOptions#sync()} once it
     * is fsync'd. Blocks while the in-memory buffer is full; a full spool follows the overflow policy.
     *
     * @throws AuditSpoolFullException the spool is full and the policy refuses the record
     * @throws IOException             the trail is closed or the spool cannot be written
     */
    public SpooledRecord emit(AuditRecord record) throws IOException {
        return spool.emit(record);
    }

    /**
     * Appends {@code record} using the spool's reserved headroom, past a full buffer and any overflow policy: for the
     * one record an alarm produces (a DICOM Security Alert), typically called from the alarm handler.
     */
    public SpooledRecord emitReserved(AuditRecord record) throws IOException {
        return spool.emitReserved(record);
    }

    /** Waits until everything emitted so far is fsync'd. */
    public void flush() throws IOException {
        spool.flush();
    }

    /**
     * Waits until every sink has confirmed (and its cursor file holds) every record emitted before the call, or
     * {@code timeout} passes.
     *
     * @return whether everything was confirmed
     */
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            spool.flush();
        } catch (IOException e) {
            return false;
        }
        long target = spool.lastSequence();
        synchronized (this) {
            drainRequests++;
        }
        try {
            while (true) {
                boolean all = true;
                for (Delivery d : deliveries) {
                    if (d.persisted < target) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    released();
                    return true;
                }
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                synchronized (this) {
                    try {
                        wait(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
        } finally {
            synchronized (this) {
                drainRequests--;
            }
        }
    }

    /** A snapshot of the spool and of every sink. */
    public AuditTrailStats stats() {
        long durable = spool.durableSequence();
        List<AuditTrailStats.Sink> sinks = new ArrayList<>();
        for (Delivery d : deliveries) {
            long confirmed = d.base;
            sinks.add(new AuditTrailStats.Sink(d.name, d.sent, confirmed, Math.max(0, durable - confirmed), d.rejected,
                    d.skipped, d.failures, d.lastError, d.up));
        }
        long[] o = spool.overflowCounts();
        return new AuditTrailStats(spool.lastSequence(), durable, spool.usedBytes(), options.maxSpoolBytes(),
                spool.segmentCount(), o[0], o[1], o[2] != 0, sinks);
    }

    /** The spool's directory. */
    public Path spoolDirectory() {
        return spool.directory();
    }

    /** The options this trail was opened with. */
    public AuditTrailOptions options() {
        return options;
    }

    /**
     * Graceful stop: waits (up to {@link AuditTrailOptions#closeTimeout()}) for the sinks to confirm everything, stops
     * the delivery threads (their cursors saved), lets pending alarms be handled, writes what is queued, closes the
     * spool and then the sinks. What was not delivered stays in the spool for the next open.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (!drain(options.closeTimeout())) {
            LOG.log(Level.WARNING, "audit trail " + spool.directory() + " closes with records not yet confirmed by "
                    + "every sink; they stay in the spool");
        }
        for (Delivery d : deliveries) {
            d.running = false;
        }
        for (Delivery d : deliveries) {
            d.stop();
        }
        alarms.awaitIdle(2000);
        try {
            spool.close();
        } catch (IOException e) {
            LOG.log(Level.ERROR, "closing the audit spool " + spool.directory() + " failed: " + e);
        }
        alarms.close(2000);
        for (Delivery d : deliveries) {
            try {
                d.sink.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "closing audit sink " + d.name + " failed: " + e);
            }
        }
    }

    /** Segments every sink's cursor file is past can go. */
    private void released() {
        long min = Long.MAX_VALUE;
        for (Delivery d : deliveries) {
            min = Math.min(min, d.persisted);
        }
        if (min != Long.MAX_VALUE) {
            spool.release(min);
        }
        synchronized (this) {
            notifyAll();
        }
    }

    /** One sink's delivery thread and state. */
    private final class Delivery implements Runnable {
        final AuditSink sink;
        final String name;
        final Thread thread;
        final AuditSpool.Reader reader = new AuditSpool.Reader();
        /** Sequences done for this sink without its confirmation: rejected records and dropped ranges (start to end). */
        final TreeMap<Long, Long> skips = new TreeMap<>();
        volatile boolean running = true;
        volatile long base;
        volatile long persisted;
        volatile long sent;
        volatile long rejected;
        volatile long skipped;
        volatile long failures;
        volatile String lastError;
        volatile boolean up = true;
        long next;
        long lastSent;
        long lastCheckpoint;

        Delivery(AuditSink sink, long cursor) {
            this.sink = sink;
            this.name = sink.name();
            this.base = cursor;
            this.persisted = cursor;
            this.next = cursor + 1;
            this.lastSent = cursor;
            this.thread = new Thread(this, "audit-delivery " + name);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            long delay = options.retryInitialDelay().toMillis();
            try {
                while (running) {
                    List<SpooledRecord> batch;
                    try {
                        batch = spool.read(reader, next, options.batchSize(), IDLE_WAIT_MILLIS);
                    } catch (IOException e) {
                        delay = failed(e, delay);
                        continue;
                    }
                    if (batch.isEmpty()) {
                        if (lastSent > base && sink.confirmed() < lastSent) {
                            // nothing new to send, but records wait for confirmation: an empty send lets the sink
                            // say that its connection died meanwhile, so they are sent again now, not at the next event
                            try {
                                sink.send(List.of());
                            } catch (IOException | RuntimeException e) {
                                delay = failed(e, delay);
                                continue;
                            }
                        }
                        idle();
                        continue;
                    }
                    long first = batch.get(0).sequence();
                    if (first > next) {
                        skips.put(next, first - 1);
                        skipped += first - next;
                        LOG.log(Level.WARNING, "audit sink " + name + " skips sequences " + next + " to " + (first - 1)
                                + ": no longer in the spool (dropped or lost)");
                    }
                    long batchLast = batch.get(batch.size() - 1).sequence();
                    List<SpooledRecord> toSend = new ArrayList<>(batch.size());
                    for (SpooledRecord r : batch) {
                        if (!isSkipped(r.sequence())) {
                            toSend.add(r);
                        }
                    }
                    if (toSend.isEmpty()) {
                        next = batchLast + 1;
                        continue;
                    }
                    try {
                        sink.send(toSend);
                        sent += toSend.size();
                        lastSent = Math.max(lastSent, batchLast);
                        next = batchLast + 1;
                        delay = succeeded();
                    } catch (RecordRejectedException e) {
                        int idx = indexOf(toSend, e.sequence());
                        if (idx < 0) {
                            delay = failed(new IOException("audit sink " + name + " rejected sequence "
                                    + e.sequence() + ", which was not in the batch: " + e.getMessage(), e), delay);
                            continue;
                        }
                        SpooledRecord r = toSend.get(idx);
                        sent += idx;
                        rejected++;
                        skips.put(r.sequence(), r.sequence());
                        lastSent = Math.max(lastSent, r.sequence());
                        next = r.sequence() + 1;
                        alarms.raise(AuditAlarm.Kind.RECORD_REJECTED, "audit sink " + name + " refused record "
                                + r.sequence() + " (id " + r.record().id() + ", " + r.record().eventType()
                                + ") for good, it is skipped for this sink: " + e.getMessage(), name, r.sequence(),
                                r.record().id(), 1, spool.usedBytes(), options.maxSpoolBytes());
                        delay = succeeded();
                    } catch (IOException | RuntimeException e) {
                        delay = failed(e, delay);
                        continue;
                    }
                    checkpoint(false);
                }
            } finally {
                checkpoint(true);
                reader.close();
            }
        }

        private void idle() {
            if (drainRequests > 0 && lastSent > base) {
                try {
                    sink.drain(IDLE_WAIT_MILLIS);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.DEBUG, "audit sink " + name + " drain: " + e);
                }
            }
            checkpoint(true);
        }

        private long succeeded() {
            if (!up) {
                LOG.log(Level.INFO, "audit sink " + name + " delivers again after " + failures + " failures");
            }
            up = true;
            lastError = null;
            return options.retryInitialDelay().toMillis();
        }

        private long failed(Exception e, long delay) {
            failures++;
            String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            lastError = text;
            if (up) {
                LOG.log(Level.WARNING, "audit sink " + name + " failed, records wait in the spool and are sent again: "
                        + text);
            } else {
                LOG.log(Level.DEBUG, "audit sink " + name + " failed again: " + text);
            }
            up = false;
            try {
                next = effective() + 1;
            } catch (RuntimeException ex) {
                next = base + 1;
            }
            checkpoint(false);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
            while (running && System.nanoTime() < until) {
                try {
                    Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
                } catch (InterruptedException ie) {
                    running = false;
                    Thread.currentThread().interrupt();
                }
            }
            return Math.min(delay * 2, options.retryMaxDelay().toMillis());
        }

        private boolean isSkipped(long seq) {
            Map.Entry<Long, Long> e = skips.floorEntry(seq);
            return e != null && e.getValue() >= seq;
        }

        /** Up to where this sink is done: confirmed by it, or skipped. Delivery thread only. */
        private long effective() {
            // a sink cannot confirm what it was not sent
            long eff = Math.max(base, Math.min(sink.confirmed(), lastSent));
            while (true) {
                Map.Entry<Long, Long> e = skips.floorEntry(eff + 1);
                if (e != null && e.getValue() > eff) {
                    eff = e.getValue();
                } else {
                    break;
                }
            }
            final long done = eff;
            skips.headMap(done, true).entrySet().removeIf(x -> x.getValue() <= done);
            if (eff > base) {
                base = eff;
            }
            return base;
        }

        private void checkpoint(boolean now) {
            long eff;
            try {
                eff = effective();
            } catch (RuntimeException e) {
                return;
            }
            long t = System.nanoTime();
            if (eff > persisted && (now || t - lastCheckpoint >= options.checkpointInterval().toNanos())) {
                try {
                    spool.writeCursor(name, eff);
                    persisted = eff;
                    lastCheckpoint = t;
                    released();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot save the cursor of audit sink " + name + " (retried): " + e);
                }
            }
        }

        void stop() {
            spool.wake();
            try {
                thread.join(3000);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(3000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.log(Level.WARNING, "the delivery thread of audit sink " + name + " did not stop");
            }
        }
    }

    private static int indexOf(List<SpooledRecord> batch, long seq) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).sequence() == seq) {
                return i;
            }
        }
        return -1;
    }
}
