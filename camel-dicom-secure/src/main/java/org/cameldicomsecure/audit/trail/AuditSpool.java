package org.cameldicomsecure.audit.trail;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.cameldicomsecure.audit.AuditFormat;

/**
 * The durable, bounded, append-only spool under an {@link AuditTrail}.
 *
 * <h2>On disk</h2>
 * The directory holds segment files {@code <first sequence, 20 digits>.seg}, one cursor file per sink
 * ({@code <sink>.cursor}: the sequence the sink confirmed, in decimal; rewritten atomically through a temporary file,
 * fsync and an atomic move) and {@code spool.lock}, locked ({@link FileChannel#tryLock()}) while a spool is open, so
 * two JVMs cannot share a directory. A segment begins with the 8 bytes {@code CDSAUDS1} and its first sequence (8
 * bytes), then frames: body length (4 bytes), CRC32C of the body followed by the sequence (4), sequence (8), body
 * (version, time, outcome, id, event type, key, format, payload). Big-endian throughout.
 *
 * <h2>Writing</h2>
 * {@link #emit} encodes the record, gives it the next sequence (from 1, never reused in a directory) and queues it in
 * a bounded in-memory buffer ({@link AuditTrailOptions#bufferCapacity()} records; {@code emit} blocks while it is
 * full). One writer thread takes what is queued, writes it and fsyncs ({@link FileChannel#force}) once per batch
 * (group commit). {@code emit} returns once queued, or with {@link AuditTrailOptions#sync()} once fsync'd; only fsync'd
 * records are handed to the sinks. A segment is closed at {@link AuditTrailOptions#segmentBytes()}; closed segments are
 * deleted once every sink's cursor file is past their last record.
 *
 * <h2>Recovery</h2>
 * On open every segment is checked frame by frame (length, CRC, sequence continuity); a torn or corrupt tail (a crash
 * during a write) is cut off and reported with a {@link AuditAlarm.Kind#SPOOL_CORRUPT} alarm, and sequence numbers go
 * on after the last valid record (and after every cursor, so that none is ever reused).
 *
 * <h2>Overflow policy</h2>
 * The spool's size (segment files plus queued records) is bounded by {@link AuditTrailOptions#maxSpoolBytes()}, of
 * which {@link AuditTrailOptions#reservedBytes()} are kept for {@link #emitReserved} (the alarm's own Security Alert
 * record always fits). When a record does not fit, {@link AuditTrailOptions#overflowPolicy()} decides:
 * <ul>
 * <li>{@link OverflowPolicy#REJECT} (default): {@code emit} throws {@link AuditSpoolFullException} naming the limit;
 * nothing spooled is dropped.</li>
 * <li>{@link OverflowPolicy#BLOCK}: {@code emit} waits up to {@link AuditTrailOptions#blockTimeout()} for the sinks to
 * free space, then throws {@link AuditSpoolFullException}.</li>
 * <li>{@link OverflowPolicy#DROP_OLDEST}: the oldest segment is deleted, undelivered records and all (the alarm and an
 * ERROR line say how many), until the record fits; sinks continue after the gap. If nothing can be dropped yet it waits
 * as BLOCK does.</li>
 * </ul>
 * An overflow episode begins with the first record that does not fit: one {@link AuditAlarm.Kind#SPOOL_FULL} alarm
 * (and an ERROR line), not one per record. It ends when delivery brings the spool down to three quarters of its usable
 * size: one {@link AuditAlarm.Kind#SPOOL_RECOVERED} alarm with the number of records rejected or dropped during the
 * episode.
 */
public final class AuditSpool implements Closeable {

    private static final Logger LOG = System.getLogger(AuditSpool.class.getName());

    static final byte[] MAGIC = "CDSAUDS1".getBytes(StandardCharsets.US_ASCII);
    static final int SEGMENT_HEADER = 16;
    static final int FRAME_HEADER = 16;
    /** The largest record body accepted. */
    static final int MAX_BODY = 16 * 1024 * 1024;
    static final String LOCK_FILE = "spool.lock";
    static final String CURSOR_SUFFIX = ".cursor";
    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.seg");
    private static final Pattern SINK_NAME = Pattern.compile("[a-z0-9-]+");
    private static final int BODY_VERSION = 1;
    private static final int WRITE_BUFFER = 1024 * 1024;

    private final AuditTrailOptions options;
    private final Path dir;
    private final Alarms alarms;
    private final boolean ownsAlarms;
    private final FileChannel lockChannel;
    private final FileLock fileLock;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition durable = lock.newCondition();
    private final Condition space = lock.newCondition();

    // guarded by lock
    private ArrayList<Pending> queue = new ArrayList<>();
    private int inFlight;
    private long queuedBytes;
    private long nextSequence;
    private long durableSequence;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private long diskBytes;
    private final SpooledRecord[] ring;
    private long windowLow;
    private boolean closing;
    private boolean closed;
    private boolean released;
    private IOException writeFailure;
    private boolean overflowing;
    private long episodeRejected;
    private long episodeDropped;
    private long totalRejected;
    private long totalDropped;
    private long releasedUpTo;

    // writer thread only
    private Segment active;
    private FileChannel activeChannel;
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER);
    private final Thread writer;

    private AuditSpool(AuditTrailOptions options, Alarms alarms, boolean ownsAlarms) throws IOException {
        this.options = options;
        this.dir = options.spoolDirectory().toAbsolutePath();
        this.alarms = alarms;
        this.ownsAlarms = ownsAlarms;
        this.ring = new SpooledRecord[options.memoryWindow()];
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create the audit spool directory " + dir + ": " + e, e);
        }
        Path lockPath = dir.resolve(LOCK_FILE);
        lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lockChannel.close();
            throw new IOException("the audit spool directory " + dir + " is already open in this JVM (" + lockPath
                    + " is locked); a spool directory can be used by one trail only");
        } catch (IOException e) {
            lockChannel.close();
            throw new IOException("cannot lock the audit spool directory " + dir + " (" + lockPath + "): " + e, e);
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("the audit spool directory " + dir + " is in use by another process (" + lockPath
                    + " is locked); two JVMs cannot share a spool directory");
        }
        fileLock = l;
        try {
            recover();
        } catch (IOException | RuntimeException e) {
            closeQuietly(activeChannel);
            fileLock.release();
            lockChannel.close();
            throw e;
        }
        writer = new Thread(this::writeLoop, "audit-spool-writer " + dir.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens (creating or recovering) the spool in {@code options.spoolDirectory()}. */
    public static AuditSpool open(AuditTrailOptions options) throws IOException {
        Alarms alarms = new Alarms(options.alarmHandler(), options.spoolDirectory().toString());
        try {
            return new AuditSpool(options, alarms, true);
        } catch (IOException | RuntimeException e) {
            alarms.close(1000);
            throw e;
        }
    }

    static AuditSpool open(AuditTrailOptions options, Alarms alarms) throws IOException {
        return new AuditSpool(options, alarms, false);
    }

    /** The spool's directory. */
    public Path directory() {
        return dir;
    }

    Alarms alarms() {
        return alarms;
    }

    AuditTrailOptions options() {
        return options;
    }

    // ---------------------------------------------------------------------------------------------------- emitting

    /**
     * Appends {@code record}: returns once it is queued (blocking while the in-memory buffer is full), or with
     * {@link AuditTrailOptions#sync()} once it is fsync'd. A full spool follows the overflow policy.
     *
     * @throws AuditSpoolFullException the spool is full and the policy refuses the record
     * @throws IOException             the spool is closed, or cannot be written
     */
    public SpooledRecord emit(AuditRecord record) throws IOException {
        return append(record, false);
    }

    /**
     * Appends {@code record} using the reserved headroom: for the alarm's own record (a Security Alert). Never blocks
     * on the buffer or the overflow policy; refused only if even the headroom is used up.
     */
    public SpooledRecord emitReserved(AuditRecord record) throws IOException {
        return append(record, true);
    }

    private SpooledRecord append(AuditRecord record, boolean reserved) throws IOException {
        byte[] body = encode(record);
        if (body.length > MAX_BODY) {
            throw new IOException("audit record " + record.id() + " is too large for the spool: " + body.length
                    + " bytes encoded, at most " + MAX_BODY);
        }
        CRC32C crc = new CRC32C();
        crc.update(body);
        long frameBytes = FRAME_HEADER + (long) body.length;
        lock.lock();
        try {
            checkOpen();
            while (!reserved && queue.size() + inFlight >= options.bufferCapacity()) {
                if (writeFailure != null) {
                    throw new IOException("the audit spool " + dir + " cannot be written and its buffer of "
                            + options.bufferCapacity() + " records is full: " + writeFailure.getMessage(), writeFailure);
                }
                awaitUninterruptibly(notFull, 100);
                checkOpen();
            }
            makeRoom(frameBytes, reserved);
            long seq = nextSequence++;
            SpooledRecord spooled = new SpooledRecord(seq, record);
            crc.update(longBytes(seq));
            queue.add(new Pending(spooled, body, (int) crc.getValue()));
            queuedBytes += frameBytes;
            notEmpty.signal();
            if (options.sync()) {
                awaitDurable(seq);
            }
            return spooled;
        } finally {
            lock.unlock();
        }
    }

    private void makeRoom(long frameBytes, boolean reserved) throws IOException {
        long limit = reserved ? options.maxSpoolBytes() : options.maxSpoolBytes() - options.reservedBytes();
        if (used() + frameBytes <= limit) {
            return;
        }
        OverflowPolicy policy = reserved ? OverflowPolicy.REJECT : options.overflowPolicy();
        if (policy == OverflowPolicy.DROP_OLDEST) {
            // drop closed segments; while there is none yet (the writer has not rolled), wait for one
            long deadline = System.nanoTime() + options.blockTimeout().toNanos();
            boolean begins = false;
            long dropped = 0;
            while (used() + frameBytes > limit) {
                if (canDrop()) {
                    begins |= beginEpisode();
                    dropOldest();
                    dropped += lastDropped;
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    space.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                checkOpen();
            }
            if (begins) {
                raiseFull(policy, "the oldest segments were dropped to make room: " + dropped
                        + " undelivered records lost", dropped);
            }
            if (used() + frameBytes <= limit) {
                return;
            }
        }
        if (policy == OverflowPolicy.BLOCK) {
            if (beginEpisode()) {
                raiseFull(policy, "emits wait up to " + options.blockTimeout().toMillis() + " ms for space", waiting());
            }
            long deadline = System.nanoTime() + options.blockTimeout().toNanos();
            while (used() + frameBytes > limit) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    space.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                checkOpen();
            }
            if (used() + frameBytes <= limit) {
                return;
            }
        }
        boolean begins = beginEpisode();
        totalRejected++;
        episodeRejected++;
        if (begins) {
            raiseFull(policy, "emits are refused until the sinks free space", waiting());
        }
        String waited = policy == OverflowPolicy.REJECT ? "" : " after waiting " + options.blockTimeout().toMillis() + " ms";
        throw new AuditSpoolFullException("the audit spool " + dir + " is full" + waited + ": " + used() + " of its "
                + (reserved ? "" : (options.maxSpoolBytes() - options.reservedBytes()) + " usable ")
                + "bytes in use (maxSpoolBytes=" + options.maxSpoolBytes() + ", reservedBytes=" + options.reservedBytes()
                + ", overflowPolicy=" + options.overflowPolicy() + "); the record was not spooled",
                options.maxSpoolBytes(), used());
    }

    private boolean beginEpisode() {
        if (overflowing) {
            return false;
        }
        overflowing = true;
        episodeRejected = 0;
        episodeDropped = 0;
        return true;
    }

    private long waiting() {
        return Math.max(0, nextSequence - 1 - releasedUpTo);
    }

    private void raiseFull(OverflowPolicy policy, String what, long records) {
        alarms.raise(AuditAlarm.Kind.SPOOL_FULL, "the audit spool " + dir + " is full: " + used() + " of "
                + options.maxSpoolBytes() + " bytes (maxSpoolBytes) in use, " + waiting()
                + " records waiting for delivery; overflowPolicy=" + policy + ": " + what, null, 0, null, records,
                used(), options.maxSpoolBytes());
    }

    private long lastDropped;

    private boolean canDrop() {
        Map.Entry<Long, Segment> first = segments.firstEntry();
        return first != null && first.getValue() != active && !first.getValue().isActive;
    }

    /** Deletes the oldest closed segment; false if there is none. */
    private boolean dropOldest() {
        Map.Entry<Long, Segment> first = segments.firstEntry();
        if (first == null || first.getValue() == active || first.getValue().isActive) {
            lastDropped = 0;
            return false;
        }
        Segment s = first.getValue();
        long from = Math.max(s.first, releasedUpTo + 1);
        long dropped = Math.max(0, s.last - from + 1);
        try {
            Files.deleteIfExists(s.path);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot delete the audit spool segment " + s.path + " to make room: " + e);
            lastDropped = 0;
            return false;
        }
        segments.remove(s.first);
        diskBytes -= s.bytes;
        windowLow = Math.max(windowLow, s.last + 1); // dropped means dropped: not delivered from memory either
        totalDropped += dropped;
        episodeDropped += dropped;
        lastDropped = dropped;
        if (dropped > 0) {
            LOG.log(Level.ERROR, "audit spool " + dir + " full (overflowPolicy=DROP_OLDEST): dropped segment "
                    + s.path.getFileName() + " with " + dropped + " undelivered records (sequences " + from + " to "
                    + s.last + ")");
        }
        space.signalAll();
        return true;
    }

    private long used() {
        return diskBytes + queuedBytes;
    }

    private void checkOpen() throws IOException {
        if (closed || closing) {
            throw new IOException("the audit spool " + dir + " is closed");
        }
    }

    private void awaitDurable(long seq) throws IOException {
        while (durableSequence < seq) {
            if (writeFailure != null) {
                throw new IOException("audit record " + seq + " is queued but the spool " + dir
                        + " cannot be written (it is retried): " + writeFailure.getMessage(), writeFailure);
            }
            if (closed) {
                throw new IOException("the audit spool " + dir + " closed before record " + seq + " was written");
            }
            awaitUninterruptibly(durable, 100);
        }
    }

    private static void awaitUninterruptibly(Condition c, long millis) throws IOException {
        try {
            c.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the audit spool", e);
        }
    }

    /** Waits until every record emitted so far is fsync'd. */
    public void flush() throws IOException {
        lock.lock();
        try {
            awaitDurable(nextSequence - 1);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------- writer

    private void writeLoop() {
        long backoff = 100;
        boolean failing = false;
        while (true) {
            List<Pending> batch;
            lock.lock();
            try {
                while (queue.isEmpty() && !closing) {
                    notEmpty.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    return;
                }
                int take = Math.max(1, Math.min(queue.size(), options.bufferCapacity() / 2));
                if (take == queue.size()) {
                    batch = queue;
                    queue = new ArrayList<>();
                } else {
                    batch = new ArrayList<>(queue.subList(0, take));
                    queue.subList(0, take).clear();
                }
                inFlight = batch.size();
            } finally {
                lock.unlock();
            }
            long closingSince = 0;
            while (true) {
                try {
                    write(batch);
                    break;
                } catch (IOException e) {
                    lock.lock();
                    try {
                        writeFailure = e;
                        durable.signalAll();
                        notFull.signalAll();
                        if (!failing) {
                            alarms.raise(AuditAlarm.Kind.SPOOL_WRITE_FAILED, "the audit spool " + dir
                                    + " cannot be written, " + (batch.size() + queue.size())
                                    + " records wait in memory and the write is retried: " + e, null,
                                    batch.get(0).record.sequence(), null, batch.size() + queue.size(), used(),
                                    options.maxSpoolBytes());
                        }
                        if (closing && closingSince == 0) {
                            closingSince = System.nanoTime();
                        }
                        if (closing && System.nanoTime() - closingSince > TimeUnit.SECONDS.toNanos(5)) {
                            LOG.log(Level.ERROR, "the audit spool " + dir + " closes unwritable: "
                                    + (batch.size() + queue.size()) + " records (from sequence "
                                    + batch.get(0).record.sequence() + ") are lost");
                            closed = true;
                            durable.signalAll();
                            return;
                        }
                    } finally {
                        lock.unlock();
                    }
                    failing = true;
                    abandonActive(batch.get(0).record.sequence());
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 5000);
                }
            }
            if (failing) {
                LOG.log(Level.INFO, "the audit spool " + dir + " is written again");
                failing = false;
                backoff = 100;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes and fsyncs one batch, then makes it visible to readers. */
    private void write(List<Pending> batch) throws IOException {
        if (activeChannel == null) {
            startSegment(batch.get(0).record.sequence());
        }
        Segment segBefore = active;
        long written = 0;
        writeBuffer.clear();
        ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER);
        for (Pending p : batch) {
            long frame = FRAME_HEADER + (long) p.body.length;
            if (active.bytes + pendingInBuffer() > SEGMENT_HEADER
                    && active.bytes + pendingInBuffer() + frame > options.segmentBytes()) {
                written += flushBuffer();
                roll(p.record.sequence());
            }
            long seq = p.record.sequence();
            header.clear();
            header.putInt(p.body.length).putInt(p.crc).putLong(seq).flip();
            if (writeBuffer.remaining() < frame) {
                written += flushBuffer();
            }
            if (writeBuffer.remaining() >= frame) {
                writeBuffer.put(header).put(p.body);
            } else {
                ByteBuffer[] direct = {header, ByteBuffer.wrap(p.body)};
                long n = 0;
                while (direct[1].hasRemaining()) {
                    n += activeChannel.write(direct);
                }
                active.bytes += n;
                written += n;
            }
            active.pendingLast = seq;
        }
        written += flushBuffer();
        activeChannel.force(false);
        long last = batch.get(batch.size() - 1).record.sequence();
        long batchBytes = 0;
        for (Pending p : batch) {
            batchBytes += FRAME_HEADER + (long) p.body.length;
        }
        lock.lock();
        try {
            for (Segment s : segments.tailMap(segBefore.first, true).values()) {
                s.last = s.pendingLast;
            }
            diskBytes += written;
            queuedBytes -= batchBytes;
            inFlight = 0;
            for (Pending p : batch) {
                long seq = p.record.sequence();
                ring[(int) (seq % ring.length)] = p.record;
            }
            durableSequence = last;
            windowLow = Math.max(windowLow, last - ring.length + 1);
            if (writeFailure != null) {
                writeFailure = null;
            }
            durable.signalAll();
            notFull.signalAll();
            space.signalAll();
        } finally {
            lock.unlock();
        }
        if (active.bytes >= options.segmentBytes()) {
            try {
                roll(last + 1);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot begin a new audit spool segment in " + dir + " (retried): " + e);
                abandonActive(last + 1);
            }
        }
    }

    private long pendingInBuffer() {
        return writeBuffer.position();
    }

    private long flushBuffer() throws IOException {
        writeBuffer.flip();
        long n = 0;
        while (writeBuffer.hasRemaining()) {
            n += activeChannel.write(writeBuffer);
        }
        writeBuffer.clear();
        active.bytes += n;
        return n;
    }

    /** Closes the active segment (fsync'd) and begins one whose first record is {@code first}. */
    private void roll(long first) throws IOException {
        activeChannel.force(false);
        Segment old = active;
        activeChannel.close();
        activeChannel = null;
        lock.lock();
        try {
            old.last = old.pendingLast;
            old.isActive = false;
        } finally {
            lock.unlock();
        }
        startSegment(first);
    }

    private void startSegment(long first) throws IOException {
        Path path = dir.resolve(segmentName(first));
        lock.lock();
        try {
            Segment existing = segments.get(first);
            if (existing != null) { // a segment abandoned after a failed write that held no record
                segments.remove(first);
                diskBytes -= existing.bytes;
            }
        } finally {
            lock.unlock();
        }
        Files.deleteIfExists(path);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer h = ByteBuffer.allocate(SEGMENT_HEADER).put(MAGIC).putLong(first).flip();
            while (h.hasRemaining()) {
                ch.write(h);
            }
            ch.force(true);
            fsyncDirectory();
        } catch (IOException e) {
            closeQuietly(ch);
            Files.deleteIfExists(path);
            throw e;
        }
        Segment s = new Segment(first, path);
        s.bytes = SEGMENT_HEADER;
        s.isActive = true;
        lock.lock();
        try {
            segments.put(first, s);
            diskBytes += SEGMENT_HEADER;
        } finally {
            lock.unlock();
        }
        active = s;
        activeChannel = ch;
    }

    /** After a failed write: the active segment keeps what was confirmed durable; the batch goes to a new one. */
    private void abandonActive(long batchFirst) {
        closeQuietly(activeChannel);
        activeChannel = null;
        writeBuffer.clear();
        lock.lock();
        try {
            for (Segment s : segments.values()) {
                if (s.last >= batchFirst) { // forced but never made durable: written again in the next segment
                    s.last = batchFirst - 1;
                }
            }
            for (Segment s : new ArrayList<>(segments.tailMap(batchFirst, true).values())) {
                if (s.last < s.first) { // holds nothing durable: created during the failed attempt
                    segments.remove(s.first);
                    diskBytes -= s.bytes;
                    try {
                        Files.deleteIfExists(s.path);
                    } catch (IOException e) {
                        // retried with the next segment of that name
                    }
                }
            }
            for (Segment s : segments.values()) {
                s.pendingLast = s.last;
                s.isActive = false;
                try {
                    long size = Files.size(s.path);
                    diskBytes += size - s.bytes;
                    s.bytes = size;
                } catch (IOException e) {
                    // keep the old count
                }
            }
        } finally {
            lock.unlock();
        }
        active = null;
    }

    private void fsyncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not supported on every platform
        }
    }

    // ---------------------------------------------------------------------------------------------------- recovery

    private void recover() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.toList();
        }
        TreeMap<Long, Path> found = new TreeMap<>();
        long maxCursor = 0;
        for (Path f : files) {
            String n = f.getFileName().toString();
            Matcher m = SEGMENT_NAME.matcher(n);
            if (m.matches()) {
                found.put(Long.parseLong(m.group(1)), f);
            } else if (n.endsWith(CURSOR_SUFFIX + ".tmp")) {
                Files.deleteIfExists(f);
            } else if (n.endsWith(CURSOR_SUFFIX)) {
                maxCursor = Math.max(maxCursor, readCursorFile(f));
            }
        }
        long lastValid = 0;
        List<Long> firsts = new ArrayList<>(found.keySet());
        for (int i = 0; i < firsts.size(); i++) {
            long first = firsts.get(i);
            long limit = i + 1 < firsts.size() ? firsts.get(i + 1) : Long.MAX_VALUE;
            Segment s = scan(first, found.get(first), limit, i + 1 == firsts.size());
            if (s != null) {
                segments.put(first, s);
                diskBytes += s.bytes;
                lastValid = Math.max(lastValid, Math.max(s.last, first - 1));
            }
        }
        nextSequence = Math.max(lastValid, maxCursor) + 1;
        durableSequence = nextSequence - 1;
        windowLow = nextSequence;
        Map.Entry<Long, Segment> last = segments.lastEntry();
        if (last != null && last.getValue().last < last.getKey() && last.getKey() == nextSequence) {
            Segment s = last.getValue();
            activeChannel = FileChannel.open(s.path, StandardOpenOption.WRITE);
            activeChannel.position(s.bytes);
            s.isActive = true;
            active = s;
        } else {
            if (last != null && last.getValue().last < last.getKey()) { // empty, behind the cursors
                segments.remove(last.getKey());
                diskBytes -= last.getValue().bytes;
                Files.deleteIfExists(last.getValue().path);
            }
            startSegment(nextSequence);
        }
    }

    /** Validates one segment and cuts off a torn or corrupt tail; null if the file is not a segment at all. */
    private Segment scan(long first, Path path, long nextFirst, boolean isLast) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer h = ByteBuffer.allocate(SEGMENT_HEADER);
            boolean headerOk = size >= SEGMENT_HEADER && readAt(ch, 0, h)
                    && Arrays.equals(Arrays.copyOf(h.array(), 8), MAGIC) && h.getLong(8) == first;
            if (!headerOk) {
                if (isLast && size < SEGMENT_HEADER) { // created, header not yet on disk: a crash
                    ch.truncate(0);
                    ByteBuffer nh = ByteBuffer.allocate(SEGMENT_HEADER).put(MAGIC).putLong(first).flip();
                    while (nh.hasRemaining()) {
                        ch.write(nh, SEGMENT_HEADER - nh.remaining());
                    }
                    ch.force(true);
                    if (size > 0) {
                        alarms.raise(AuditAlarm.Kind.SPOOL_CORRUPT, "audit spool segment " + path
                                + " had a torn header (" + size + " bytes, after a crash): rewritten, no record lost",
                                null, first - 1, null, 0, 0, options.maxSpoolBytes());
                    }
                    Segment s = new Segment(first, path);
                    s.bytes = SEGMENT_HEADER;
                    return s;
                }
                Path aside = path.resolveSibling(path.getFileName() + ".corrupt");
                ch.close();
                Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
                alarms.raise(AuditAlarm.Kind.SPOOL_CORRUPT, "audit spool segment " + path
                        + " has no valid header: moved aside to " + aside.getFileName()
                        + "; the records it held (from sequence " + first + ") are lost", null, first, null,
                        Math.max(0, nextFirst == Long.MAX_VALUE ? 0 : nextFirst - first), 0, options.maxSpoolBytes());
                return null;
            }
            long pos = SEGMENT_HEADER;
            long expected = first;
            String problem = null;
            ByteBuffer fh = ByteBuffer.allocate(FRAME_HEADER);
            while (pos < size) {
                if (expected >= nextFirst) {
                    problem = "records from sequence " + expected + " repeat the next segment's";
                    break;
                }
                if (size - pos < FRAME_HEADER) {
                    problem = "a torn frame header";
                    break;
                }
                fh.clear();
                readAt(ch, pos, fh);
                int len = fh.getInt(0);
                int crc = fh.getInt(4);
                long seq = fh.getLong(8);
                if (len <= 0 || len > MAX_BODY || pos + FRAME_HEADER + len > size) {
                    problem = len <= 0 || len > MAX_BODY ? "an invalid frame length" : "a torn frame";
                    break;
                }
                if (seq != expected) {
                    problem = "sequence " + seq + " where " + expected + " was expected";
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(len);
                readAt(ch, pos + FRAME_HEADER, body);
                CRC32C c = new CRC32C();
                c.update(body.array());
                c.update(longBytes(seq));
                if ((int) c.getValue() != crc) {
                    problem = "a CRC mismatch at sequence " + seq;
                    break;
                }
                try {
                    decode(body.array(), seq);
                } catch (IOException e) {
                    problem = "an undecodable record at sequence " + seq;
                    break;
                }
                expected++;
                pos += FRAME_HEADER + len;
            }
            if (pos < size && problem != null && problem.contains("repeat")) {
                // a write failed and was retried in the next segment: the tail here is a copy, cut it off quietly
                ch.truncate(pos);
                ch.force(true);
                LOG.log(Level.INFO, "audit spool segment " + path + ": cut off a tail repeated in the next segment");
            } else if (pos < size) {
                ch.truncate(pos);
                ch.force(true);
                alarms.raise(AuditAlarm.Kind.SPOOL_CORRUPT, "audit spool segment " + path.getFileName() + " in " + dir
                        + ": " + (size - pos) + " bytes after sequence " + (expected - 1) + " were cut off (" + problem
                        + ": a torn or corrupt tail, after a crash)", null, expected - 1, null, 0, 0,
                        options.maxSpoolBytes());
            }
            Segment s = new Segment(first, path);
            s.bytes = pos;
            s.last = expected - 1;
            s.pendingLast = s.last;
            return s;
        }
    }

    private static boolean readAt(FileChannel ch, long pos, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new IOException("unexpected end of " + ch);
            }
        }
        b.flip();
        return true;
    }

    // ---------------------------------------------------------------------------------------------------- reading

    /**
     * Up to {@code max} durable records from sequence {@code from} on (later ones if {@code from} was dropped or
     * lost), waiting up to {@code waitMillis} for one to become durable. From memory while the window holds them,
     * else from the segments.
     */
    List<SpooledRecord> read(Reader reader, long from, int max, long waitMillis) throws IOException {
        List<Segment> snapshot;
        long upTo;
        lock.lock();
        try {
            if (durableSequence < from && waitMillis > 0 && !closed) {
                try {
                    durable.await(waitMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
            if (durableSequence < from) {
                return List.of();
            }
            Map.Entry<Long, Segment> oldest = segments.firstEntry();
            if (oldest != null && from < oldest.getKey()) {
                from = oldest.getKey(); // dropped or lost: go on with the oldest record kept
                if (durableSequence < from) {
                    return List.of();
                }
            }
            if (from >= windowLow) {
                int n = (int) Math.min(max, durableSequence - from + 1);
                List<SpooledRecord> out = new ArrayList<>(n);
                for (long s = from; s < from + n; s++) {
                    out.add(ring[(int) (s % ring.length)]);
                }
                return out;
            }
            upTo = Math.min(durableSequence, windowLow - 1);
            snapshot = new ArrayList<>(segments.size());
            for (Segment s : segments.values()) {
                snapshot.add(s.copy());
            }
        } finally {
            lock.unlock();
        }
        return reader.read(from, max, upTo, snapshot);
    }

    /** Reads segments sequentially for one sink, remembering where it stopped. Not thread-safe. */
    static final class Reader implements Closeable {
        private FileChannel ch;
        private long segFirst = -1;
        private long pos;
        private long nextSeq;
        private final ByteBuffer fh = ByteBuffer.allocate(FRAME_HEADER);

        List<SpooledRecord> read(long from, int max, long upTo, List<Segment> segs) throws IOException {
            List<SpooledRecord> out = new ArrayList<>();
            long want = from;
            while (out.size() < max && want <= upTo) {
                Segment seg = null;
                for (Segment s : segs) {
                    if (s.first <= want && s.last >= want) {
                        seg = s;
                        break;
                    }
                    if (s.first > want && s.last >= s.first) { // want is gone (dropped or lost): go on from here
                        seg = s;
                        want = s.first;
                        break;
                    }
                }
                if (seg == null || want > upTo) {
                    break;
                }
                try {
                    if (ch == null || segFirst != seg.first || nextSeq != want) {
                        position(seg, want);
                    }
                    long segLast = Math.min(seg.last, upTo);
                    while (out.size() < max && nextSeq <= segLast) {
                        out.add(readFrame());
                    }
                } catch (NoSuchFileException e) {
                    close();
                    break; // dropped while we read: the caller reads again with a fresh view
                }
                want = nextSeq;
            }
            return out;
        }

        private void position(Segment seg, long want) throws IOException {
            close();
            ch = FileChannel.open(seg.path, StandardOpenOption.READ);
            segFirst = seg.first;
            pos = SEGMENT_HEADER;
            nextSeq = seg.first;
            while (nextSeq < want) {
                fh.clear();
                readAt(ch, pos, fh);
                pos += FRAME_HEADER + fh.getInt(0);
                nextSeq++;
            }
        }

        private SpooledRecord readFrame() throws IOException {
            fh.clear();
            readAt(ch, pos, fh);
            int len = fh.getInt(0);
            int crc = fh.getInt(4);
            long seq = fh.getLong(8);
            if (len <= 0 || len > MAX_BODY || seq != nextSeq) {
                throw new IOException("audit spool segment " + segFirst + " is corrupt at sequence " + nextSeq);
            }
            ByteBuffer body = ByteBuffer.allocate(len);
            readAt(ch, pos + FRAME_HEADER, body);
            CRC32C c = new CRC32C();
            c.update(body.array());
            c.update(longBytes(seq));
            if ((int) c.getValue() != crc) {
                throw new IOException("audit spool segment " + segFirst + " fails its CRC at sequence " + seq);
            }
            pos += FRAME_HEADER + len;
            nextSeq++;
            return new SpooledRecord(seq, decode(body.array(), seq));
        }

        @Override
        public void close() {
            closeQuietly(ch);
            ch = null;
            segFirst = -1;
        }
    }

    // ---------------------------------------------------------------------------------------------------- cursors

    /**
     * Tells the spool that every sink's cursor file is at {@code upTo} or beyond: closed segments holding nothing
     * newer are deleted, and an overflow episode may end.
     */
    void release(long upTo) {
        lock.lock();
        try {
            releasedUpTo = Math.max(releasedUpTo, upTo);
            while (true) {
                Map.Entry<Long, Segment> e = segments.firstEntry();
                if (e == null) {
                    break;
                }
                Segment s = e.getValue();
                if (s.isActive || s == active || s.last > releasedUpTo || segments.size() == 1) {
                    break;
                }
                try {
                    Files.deleteIfExists(s.path);
                } catch (IOException ex) {
                    LOG.log(Level.WARNING, "cannot delete the delivered audit spool segment " + s.path + ": " + ex);
                    break;
                }
                segments.remove(s.first);
                diskBytes -= s.bytes;
                space.signalAll();
            }
            long usable = options.maxSpoolBytes() - options.reservedBytes();
            if (overflowing && used() <= usable * 3 / 4) {
                overflowing = false;
                long lost = episodeRejected + episodeDropped;
                alarms.raise(AuditAlarm.Kind.SPOOL_RECOVERED, "the audit spool " + dir + " has room again: " + used()
                        + " of " + options.maxSpoolBytes() + " bytes in use; during the overflow "
                        + episodeRejected + " records were rejected and " + episodeDropped + " dropped", null, 0, null,
                        lost, used(), options.maxSpoolBytes());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes threads waiting in {@link #read}. */
    void wake() {
        lock.lock();
        try {
            durable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The sequence in sink {@code name}'s cursor file, or -1 if there is none. */
    long readCursor(String name) throws IOException {
        Path f = cursorPath(name);
        if (!Files.exists(f)) {
            return -1;
        }
        return readCursorFile(f);
    }

    private static long readCursorFile(Path f) throws IOException {
        String text = Files.readString(f, StandardCharsets.US_ASCII).trim();
        try {
            long v = Long.parseLong(text);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IOException("the audit spool cursor file " + f + " does not hold a sequence number");
        }
    }

    /** Writes sink {@code name}'s cursor file atomically (temporary file, fsync, atomic move). */
    void writeCursor(String name, long sequence) throws IOException {
        Path f = cursorPath(name);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap((sequence + "\n").getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of the audit spool " + dir + " cannot replace files atomically", e);
        }
        fsyncDirectory();
    }

    private Path cursorPath(String name) {
        if (!SINK_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a sink name must match [a-z0-9-]+, not \"" + name + "\"");
        }
        return dir.resolve(name + CURSOR_SUFFIX);
    }

    // ---------------------------------------------------------------------------------------------------- state

    /** The sequence of the last record emitted (0: none ever). */
    public long lastSequence() {
        lock.lock();
        try {
            return nextSequence - 1;
        } finally {
            lock.unlock();
        }
    }

    /** Up to where (inclusive) records are fsync'd. */
    public long durableSequence() {
        lock.lock();
        try {
            return durableSequence;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence of the oldest record still in the spool's segments (or the next to be written if none). */
    public long firstSequence() {
        lock.lock();
        try {
            for (Segment s : segments.values()) {
                if (s.last >= s.first) {
                    return s.first;
                }
            }
            return nextSequence;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes in use: segment files and queued records. */
    public long usedBytes() {
        lock.lock();
        try {
            return used();
        } finally {
            lock.unlock();
        }
    }

    /** The number of segment files. */
    public int segmentCount() {
        lock.lock();
        try {
            return segments.size();
        } finally {
            lock.unlock();
        }
    }

    long[] overflowCounts() {
        lock.lock();
        try {
            return new long[] {totalRejected, totalDropped, overflowing ? 1 : 0};
        } finally {
            lock.unlock();
        }
    }

    /** Writes what is queued, fsyncs, and releases the directory. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (released) {
                return;
            }
            released = true;
            closing = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            closed = true;
            durable.signalAll();
            notFull.signalAll();
            space.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            if (activeChannel != null) {
                activeChannel.force(true);
                activeChannel.close();
                activeChannel = null;
            }
        } finally {
            if (ownsAlarms) {
                alarms.close(5000);
            }
            try {
                fileLock.release();
            } finally {
                lockChannel.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- codec

    static byte[] encode(AuditRecord r) {
        byte[] id = r.id().getBytes(StandardCharsets.UTF_8);
        byte[] type = r.eventType().getBytes(StandardCharsets.UTF_8);
        byte[] key = r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8);
        byte[] format = r.format().name().getBytes(StandardCharsets.US_ASCII);
        int n = 1 + 8 + 4 + 1 + 4 + id.length + 4 + type.length + 4 + (key == null ? 0 : key.length) + 4 + format.length
                + 4 + r.payload().length;
        ByteBuffer b = ByteBuffer.allocate(n);
        b.put((byte) BODY_VERSION).putLong(r.time().getEpochSecond()).putInt(r.time().getNano())
                .put((byte) r.outcome());
        b.putInt(id.length).put(id).putInt(type.length).put(type);
        if (key == null) {
            b.putInt(-1);
        } else {
            b.putInt(key.length).put(key);
        }
        b.putInt(format.length).put(format).putInt(r.payload().length).put(r.payload());
        return b.array();
    }

    static AuditRecord decode(byte[] body, long seq) throws IOException {
        try {
            ByteBuffer b = ByteBuffer.wrap(body);
            if (b.get() != BODY_VERSION) {
                throw new IOException("audit spool record " + seq + " has an unknown version");
            }
            Instant time = Instant.ofEpochSecond(b.getLong(), b.getInt());
            int outcome = b.get();
            String id = string(b);
            String type = string(b);
            String key = string(b);
            AuditFormat format = AuditFormat.valueOf(string(b));
            int pl = b.getInt();
            if (pl < 0 || pl != b.remaining()) {
                throw new IOException("audit spool record " + seq + " has a bad payload length");
            }
            byte[] payload = new byte[pl];
            b.get(payload);
            return new AuditRecord(id, time, type, outcome, key, format, payload);
        } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException
                | java.time.DateTimeException e) {
            throw new IOException("audit spool record " + seq + " cannot be decoded: " + e.getClass().getSimpleName());
        }
    }

    private static String string(ByteBuffer b) {
        int len = b.getInt();
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > b.remaining()) {
            throw new IllegalArgumentException("bad string length");
        }
        byte[] s = new byte[len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(0, v).array();
    }

    static String segmentName(long first) {
        return String.format("%020d.seg", first);
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }

    private record Pending(SpooledRecord record, byte[] body, int crc) {
    }

    /** A segment file: records first..last (last = first - 1: none yet). */
    static final class Segment {
        final long first;
        final Path path;
        volatile long last;
        long pendingLast;
        long bytes;
        volatile boolean isActive;

        Segment(long first, Path path) {
            this.first = first;
            this.path = path;
            this.last = first - 1;
            this.pendingLast = first - 1;
        }

        Segment copy() {
            Segment c = new Segment(first, path);
            c.last = last;
            c.bytes = bytes;
            return c;
        }
    }
}
