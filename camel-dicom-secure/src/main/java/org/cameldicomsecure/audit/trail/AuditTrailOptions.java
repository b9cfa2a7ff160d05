package org.cameldicomsecure.audit.trail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How an {@link AuditTrail} spools and delivers. Build with {@link #builder(Path)}; every value but the directory has a
 * default.
 *
 * @param spoolDirectory     the spool's directory (created if missing; one JVM at a time, it is locked)
 * @param maxSpoolBytes      the spool's limit: bytes of segment files plus records queued in memory (default 256 MiB)
 * @param bufferCapacity     how many records may wait in memory for the spool writer; {@code emit} blocks while
 *                           that many wait (default 8192)
 * @param sync               whether {@code emit} returns only once the record is fsync'd (default false: once queued;
 *                           {@link AuditTrail#flush()} waits for the fsync)
 * @param overflowPolicy     what happens when the spool is full (default {@link OverflowPolicy#REJECT})
 * @param batchSize          the largest batch handed to {@link AuditSink#send} (default 500)
 * @param retryInitialDelay  the first wait after a failed send (default 200 ms), doubled after each failure ...
 * @param retryMaxDelay      ... up to this (default 30 s)
 * @param alarmHandler       receives every {@link AuditAlarm} (on a dedicated thread; default: none, alarms are
 *                           logged anyway)
 * @param blockTimeout       how long {@link OverflowPolicy#BLOCK} waits for space before refusing (default 10 s)
 * @param segmentBytes       size at which a segment file is closed and a new one begun (default maxSpoolBytes / 16,
 *                           between 64 KiB and 64 MiB)
 * @param reservedBytes      headroom under maxSpoolBytes kept for {@link AuditTrail#emitReserved} (the alarm's own
 *                           Security Alert record; default min(1 MiB, maxSpoolBytes / 16))
 * @param memoryWindow       how many recent records are kept in memory for the sinks, so that delivery does not read
 *                           the disk while it keeps up (default 8192)
 * @param checkpointInterval how often, at most, a busy sink's cursor file is rewritten (default 200 ms; an idle sink's
 *                           at once)
 * @param closeTimeout       how long {@link AuditTrail#close()} waits for the sinks to confirm everything (default 10 s)
 */
public record AuditTrailOptions(Path spoolDirectory, long maxSpoolBytes, int bufferCapacity, boolean sync,
        OverflowPolicy overflowPolicy, int batchSize, Duration retryInitialDelay, Duration retryMaxDelay,
        Consumer<AuditAlarm> alarmHandler, Duration blockTimeout, long segmentBytes, long reservedBytes,
        int memoryWindow, Duration checkpointInterval, Duration closeTimeout) {

    public AuditTrailOptions {
        Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        Objects.requireNonNull(overflowPolicy, "overflowPolicy");
        Objects.requireNonNull(retryInitialDelay, "retryInitialDelay");
        Objects.requireNonNull(retryMaxDelay, "retryMaxDelay");
        Objects.requireNonNull(alarmHandler, "alarmHandler");
        Objects.requireNonNull(blockTimeout, "blockTimeout");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (maxSpoolBytes < 64 * 1024) {
            throw new IllegalArgumentException("maxSpoolBytes must be at least 65536, not " + maxSpoolBytes);
        }
        if (bufferCapacity < 1) {
            throw new IllegalArgumentException("bufferCapacity must be at least 1, not " + bufferCapacity);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
        }
        if (retryInitialDelay.isNegative() || retryInitialDelay.isZero() || retryMaxDelay.compareTo(retryInitialDelay) < 0) {
            throw new IllegalArgumentException("retryInitialDelay must be positive and retryMaxDelay at least as long, not "
                    + retryInitialDelay + " and " + retryMaxDelay);
        }
        if (blockTimeout.isNegative() || checkpointInterval.isNegative() || closeTimeout.isNegative()) {
            throw new IllegalArgumentException("blockTimeout, checkpointInterval and closeTimeout must not be negative");
        }
        if (segmentBytes < 4096 || segmentBytes > maxSpoolBytes / 4) {
            throw new IllegalArgumentException("segmentBytes must be between 4096 and maxSpoolBytes / 4 ("
                    + maxSpoolBytes / 4 + "), not " + segmentBytes);
        }
        if (reservedBytes < 0 || reservedBytes > maxSpoolBytes / 4) {
            throw new IllegalArgumentException("reservedBytes must be between 0 and maxSpoolBytes / 4 ("
                    + maxSpoolBytes / 4 + "), not " + reservedBytes);
        }
        if (memoryWindow < 1) {
            throw new IllegalArgumentException("memoryWindow must be at least 1, not " + memoryWindow);
        }
    }

    /** A builder with the defaults, for a spool in {@code spoolDirectory}. */
    public static Builder builder(Path spoolDirectory) {
        return new Builder().spoolDirectory(spoolDirectory);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.spoolDirectory = spoolDirectory;
        b.maxSpoolBytes = maxSpoolBytes;
        b.bufferCapacity = bufferCapacity;
        b.sync = sync;
        b.overflowPolicy = overflowPolicy;
        b.batchSize = batchSize;
        b.retryInitialDelay = retryInitialDelay;
        b.retryMaxDelay = retryMaxDelay;
        b.alarmHandler = alarmHandler;
        b.blockTimeout = blockTimeout;
        b.segmentBytes = segmentBytes;
        b.reservedBytes = reservedBytes;
        b.memoryWindow = memoryWindow;
        b.checkpointInterval = checkpointInterval;
        b.closeTimeout = closeTimeout;
        return b;
    }

    /** Builds {@link AuditTrailOptions}; segmentBytes and reservedBytes follow maxSpoolBytes unless set. */
    public static final class Builder {
        private Path spoolDirectory;
        private long maxSpoolBytes = 256L * 1024 * 1024;
        private int bufferCapacity = 8192;
        private boolean sync;
        private OverflowPolicy overflowPolicy = OverflowPolicy.REJECT;
        private int batchSize = 500;
        private Duration retryInitialDelay = Duration.ofMillis(200);
        private Duration retryMaxDelay = Duration.ofSeconds(30);
        private Consumer<AuditAlarm> alarmHandler = a -> { };
        private Duration blockTimeout = Duration.ofSeconds(10);
        private long segmentBytes = -1;
        private long reservedBytes = -1;
        private int memoryWindow = 8192;
        private Duration checkpointInterval = Duration.ofMillis(200);
        private Duration closeTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        public Builder spoolDirectory(Path v) { spoolDirectory = v; return this; }
        public Builder maxSpoolBytes(long v) { maxSpoolBytes = v; return this; }
        public Builder bufferCapacity(int v) { bufferCapacity = v; return this; }
        public Builder sync(boolean v) { sync = v; return this; }
        public Builder overflowPolicy(OverflowPolicy v) { overflowPolicy = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder retryInitialDelay(Duration v) { retryInitialDelay = v; return this; }
        public Builder retryMaxDelay(Duration v) { retryMaxDelay = v; return this; }
        public Builder alarmHandler(Consumer<AuditAlarm> v) { alarmHandler = v; return this; }
        public Builder blockTimeout(Duration v) { blockTimeout = v; return this; }
        /** Segment size; a negative value (the default) means maxSpoolBytes / 16 within [64 KiB, 64 MiB]. */
        public Builder segmentBytes(long v) { segmentBytes = v; return this; }
        /** Reserved headroom; a negative value (the default) means min(1 MiB, maxSpoolBytes / 16). */
        public Builder reservedBytes(long v) { reservedBytes = v; return this; }
        public Builder memoryWindow(int v) { memoryWindow = v; return this; }
        public Builder checkpointInterval(Duration v) { checkpointInterval = v; return this; }
        public Builder closeTimeout(Duration v) { closeTimeout = v; return this; }

        public AuditTrailOptions build() {
            long seg = segmentBytes >= 0 ? segmentBytes
                    : Math.min(Math.max(maxSpoolBytes / 16, 64 * 1024), Math.min(64L * 1024 * 1024, maxSpoolBytes / 4));
            long reserved = reservedBytes >= 0 ? reservedBytes : Math.min(1024 * 1024, maxSpoolBytes / 16);
            return new AuditTrailOptions(spoolDirectory, maxSpoolBytes, bufferCapacity, sync, overflowPolicy, batchSize,
                    retryInitialDelay, retryMaxDelay, alarmHandler, blockTimeout, seg, reserved, memoryWindow,
                    checkpointInterval, closeTimeout);
        }
    }
}
