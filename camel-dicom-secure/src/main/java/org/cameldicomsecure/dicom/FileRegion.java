package org.cameldicomsecure.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * {@link BulkData} that is a region of a file: either the file a data set was read from, or a spill file that holds
 * large values read from a stream. The file must stay in place while the value is in use.
 */
public final class FileRegion implements BulkData {

    private final Path file;
    private final long offset;
    private final long length;
    /** Keeps a spill file alive (and so undeleted) while any region of it is reachable. */
    private final Object owner;

    public FileRegion(Path file, long offset, long length) {
        this(file, offset, length, null);
    }

    /**
     * A region whose {@code owner} is kept reachable as long as the region is (a spill file is deleted once no region
     * of it is left).
     */
    public FileRegion(Path file, long offset, long length, Object owner) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        this.file = Objects.requireNonNull(file, "file");
        this.offset = offset;
        this.length = length;
        this.owner = owner;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public InputStream openStream() throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            if (ch.size() < offset + length) {
                throw new IOException(file + " has " + ch.size() + " bytes, region ends at " + (offset + length));
            }
            ch.position(offset);
            return new BoundedInputStream(Channels.newInputStream(ch), length);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        if (out instanceof ChannelOutput co) {
            transferTo(co.channel());
            return;
        }
        if (out instanceof RegionOutput ro) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                if (ch.size() < offset + length) {
                    throw new IOException(file + " has " + ch.size() + " bytes, region ends at " + (offset + length));
                }
                ro.writeRegion(ch, offset, length);
            }
            return;
        }
        // 64 KiB positional reads: fewer and larger copies than a stream's transferTo (8 KiB)
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] buf = new byte[(int) Math.min(length, 64 * 1024)];
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf);
            long pos = offset;
            long end = offset + length;
            while (pos < end) {
                bb.clear().limit((int) Math.min(buf.length, end - pos));
                int n = ch.read(bb, pos);
                if (n < 0) {
                    throw new IOException(file + " was truncated to " + ch.size() + " bytes; region ends at " + end);
                }
                out.write(buf, 0, n);
                pos += n;
            }
        }
    }

    /** Copies the region with {@link FileChannel#transferTo}, which avoids the heap entirely. */
    public void transferTo(WritableByteChannel target) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = offset;
            long end = offset + length;
            while (pos < end) {
                long n = ch.transferTo(pos, end - pos, target);
                if (n <= 0) {
                    if (ch.size() < end) {
                        throw new IOException(file + " was truncated to " + ch.size() + " bytes; region ends at " + end);
                    }
                    continue;
                }
                pos += n;
            }
        }
    }

    @Override
    public String toString() {
        return "FileRegion[" + file.getFileName() + "@" + offset + "+" + length + "]";
    }

    /**
     * An output stream that reads file regions itself, straight into its own (e.g. direct) buffers, instead of being
     * handed heap copies: the network's P-DATA writer, which fills its PDU buffers from the page cache.
     */
    public interface RegionOutput {
        /** Writes {@code length} bytes of {@code channel} from {@code position}; the channel is the caller's. */
        void writeRegion(FileChannel channel, long position, long length) throws IOException;
    }

    /** An output stream that exposes the channel under it, so that file regions can be transferred directly. */
    public interface ChannelOutput {
        /** The channel; the caller must flush any buffered bytes of the stream before writing to it. */
        WritableByteChannel channel() throws IOException;
    }
}
