package org.cameldicomsecure.media;

import java.nio.file.Path;

/**
 * Limits for reading media (immutable; change with the withers).
 *
 * <ul>
 * <li>{@code maxInstances}: referenced instances in one File-set (10,000);</li>
 * <li>{@code maxEntries}: ZIP entries of any kind, directories and unreferenced files included (20,000);</li>
 * <li>{@code maxEntryBytes}: inflated bytes of one entry or one instance (2 GiB);</li>
 * <li>{@code maxTotalBytes}: inflated bytes of all entries together (4 GiB);</li>
 * <li>{@code maxCompressionRatio}: an entry that inflates to more than this many times the compressed bytes read
 * for it, and to more than 1 MiB, is a ZIP bomb (100);</li>
 * <li>{@code memoryThreshold}: a larger instance goes to a temporary file (8 MiB);</li>
 * <li>{@code maxMemoryBytes}: at most this many bytes of all entries of one ZIP are held in memory, the others go
 * to temporary files (64 MiB);</li>
 * <li>{@code tempDirectory}: where temporary files go ({@code null}: {@code java.io.tmpdir}).</li>
 * </ul>
 * Sizes are always counted on the real inflated bytes, never taken from ZIP headers.
 */
public final class MediaLimits {

    /** Inflated size below which the compression ratio is not checked. */
    public static final long RATIO_FLOOR = 1L << 20;

    public static final MediaLimits DEFAULT = new MediaLimits(10_000, 20_000, 2L << 30, 4L << 30, 100,
            8L << 20, 64L << 20, null);

    private final int maxInstances;
    private final int maxEntries;
    private final long maxEntryBytes;
    private final long maxTotalBytes;
    private final double maxCompressionRatio;
    private final long memoryThreshold;
    private final long maxMemoryBytes;
    private final Path tempDirectory;

    private MediaLimits(int maxInstances, int maxEntries, long maxEntryBytes, long maxTotalBytes,
            double maxCompressionRatio, long memoryThreshold, long maxMemoryBytes, Path tempDirectory) {
        if (maxInstances < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("maxInstances and maxEntries must be at least 1");
        }
        if (maxEntryBytes < 1 || maxTotalBytes < 1) {
            throw new IllegalArgumentException("maxEntryBytes and maxTotalBytes must be at least 1");
        }
        if (!(maxCompressionRatio >= 1)) {
            throw new IllegalArgumentException("maxCompressionRatio must be at least 1: " + maxCompressionRatio);
        }
        if (memoryThreshold < 0 || memoryThreshold > Integer.MAX_VALUE - 64 || maxMemoryBytes < 0) {
            throw new IllegalArgumentException("memoryThreshold must be 0 .. 2 GiB, maxMemoryBytes not negative");
        }
        this.maxInstances = maxInstances;
        this.maxEntries = maxEntries;
        this.maxEntryBytes = maxEntryBytes;
        this.maxTotalBytes = maxTotalBytes;
        this.maxCompressionRatio = maxCompressionRatio;
        this.memoryThreshold = memoryThreshold;
        this.maxMemoryBytes = maxMemoryBytes;
        this.tempDirectory = tempDirectory;
    }

    public int maxInstances() {
        return maxInstances;
    }

    public int maxEntries() {
        return maxEntries;
    }

    public long maxEntryBytes() {
        return maxEntryBytes;
    }

    public long maxTotalBytes() {
        return maxTotalBytes;
    }

    public double maxCompressionRatio() {
        return maxCompressionRatio;
    }

    public long memoryThreshold() {
        return memoryThreshold;
    }

    public long maxMemoryBytes() {
        return maxMemoryBytes;
    }

    public Path tempDirectory() {
        return tempDirectory;
    }

    public MediaLimits withMaxInstances(int v) {
        return new MediaLimits(v, maxEntries, maxEntryBytes, maxTotalBytes, maxCompressionRatio, memoryThreshold,
                maxMemoryBytes, tempDirectory);
    }

    public MediaLimits withMaxEntries(int v) {
        return new MediaLimits(maxInstances, v, maxEntryBytes, maxTotalBytes, maxCompressionRatio, memoryThreshold,
                maxMemoryBytes, tempDirectory);
    }

    public MediaLimits withMaxEntryBytes(long v) {
        return new MediaLimits(maxInstances, maxEntries, v, maxTotalBytes, maxCompressionRatio, memoryThreshold,
                maxMemoryBytes, tempDirectory);
    }

    public MediaLimits withMaxTotalBytes(long v) {
        return new MediaLimits(maxInstances, maxEntries, maxEntryBytes, v, maxCompressionRatio, memoryThreshold,
                maxMemoryBytes, tempDirectory);
    }

    public MediaLimits withMaxCompressionRatio(double v) {
        return new MediaLimits(maxInstances, maxEntries, maxEntryBytes, maxTotalBytes, v, memoryThreshold,
                maxMemoryBytes, tempDirectory);
    }

    public MediaLimits withMemoryThreshold(long v) {
        return new MediaLimits(maxInstances, maxEntries, maxEntryBytes, maxTotalBytes, maxCompressionRatio, v,
                maxMemoryBytes, tempDirectory);
    }

    public MediaLimits withMaxMemoryBytes(long v) {
        return new MediaLimits(maxInstances, maxEntries, maxEntryBytes, maxTotalBytes, maxCompressionRatio,
                memoryThreshold, v, tempDirectory);
    }

    public MediaLimits withTempDirectory(Path v) {
        return new MediaLimits(maxInstances, maxEntries, maxEntryBytes, maxTotalBytes, maxCompressionRatio,
                memoryThreshold, maxMemoryBytes, v);
    }

    @Override
    public String toString() {
        return "MediaLimits[maxInstances=" + maxInstances + ", maxEntries=" + maxEntries + ", maxEntryBytes="
                + maxEntryBytes + ", maxTotalBytes=" + maxTotalBytes + ", maxCompressionRatio=" + maxCompressionRatio
                + ", memoryThreshold=" + memoryThreshold + ", maxMemoryBytes=" + maxMemoryBytes + "]";
    }
}
