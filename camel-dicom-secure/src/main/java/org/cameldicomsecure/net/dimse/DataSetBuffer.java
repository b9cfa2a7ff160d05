package org.cameldicomsecure.net.dimse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.lang.ref.Cleaner;

import io.netty.buffer.ByteBuf;
import org.cameldicomsecure.dicom.FileRegion;
import org.cameldicomsecure.dicom.io.TempFiles;

/**
 * The data set of one DIMSE message as it arrives in PDV fragments: in memory up to a threshold, then in a temporary
 * file, so that a large instance never has to fit in the heap. Closing it deletes the file; so does the garbage
 * collector once the buffer is unreachable (a route may keep the body longer than its exchange, e.g. in an aggregator).
 */
public final class DataSetBuffer implements AutoCloseable {

    private final int memoryThreshold;
    private final Path spillDirectory;
    /** In-memory content in chunks of {@link #CHUNK} bytes (no doubling copies); the last one is partly filled. */
    private static final int CHUNK = 64 * 1024;
    private java.util.List<byte[]> chunks = new java.util.ArrayList<>();
    private int count;
    private Path file;
    private FileChannel channel;
    private long length;
    private boolean closed;
    private Cleaner.Cleanable cleanable;

    private static final Cleaner CLEANER = Cleaner.create();

    public DataSetBuffer(int memoryThreshold, Path spillDirectory) {
        this.memoryThreshold = memoryThreshold;
        this.spillDirectory = spillDirectory;
    }

    /** Appends a fragment (called on the event loop). */
    public void append(ByteBuf fragment) throws IOException {
        int n = fragment.readableBytes();
        if (channel == null && count + n > memoryThreshold) {
            spill();
        }
        if (channel != null) {
            ByteBuffer[] nio = fragment.nioBuffers();
            for (ByteBuffer bb : nio) {
                while (bb.hasRemaining()) {
                    channel.write(bb);
                }
            }
        } else {
            int from = fragment.readerIndex();
            int left = n;
            while (left > 0) {
                int inLast = count % CHUNK;
                if (inLast == 0) {
                    chunks.add(new byte[CHUNK]);
                }
                int k = Math.min(left, CHUNK - inLast);
                fragment.getBytes(from, chunks.get(chunks.size() - 1), inLast, k);
                from += k;
                left -= k;
                count += k;
            }
        }
        length += n;
    }

    private void spill() throws IOException {
        file = spillDirectory == null ? Files.createTempFile("dimse-", ".bin")
                : Files.createTempFile(spillDirectory, "dimse-", ".bin");
        channel = FileChannel.open(file, StandardOpenOption.WRITE);
        // a buffer handed to an application that never closes it still loses its file once unreachable
        cleanable = CLEANER.register(this, TempFiles.register(file));
        for (int i = 0; i < chunks.size(); i++) {
            ByteBuffer bb = ByteBuffer.wrap(chunks.get(i), 0, chunkLength(i));
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
        }
        chunks = null;
        count = 0;
    }

    /** Ends writing; the content can be read from now on. */
    public void finish() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    public long length() {
        return length;
    }

    /** Whether the content went to a file. */
    public boolean spilled() {
        return file != null;
    }

    /** The spill file, or {@code null} when held in memory. */
    public Path file() {
        return file;
    }

    public InputStream openStream() throws IOException {
        checkOpen();
        if (file != null) {
            return Files.newInputStream(file);
        }
        java.util.List<InputStream> parts = new java.util.ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            parts.add(new ByteArrayInputStream(chunks.get(i), 0, chunkLength(i)));
        }
        return new java.io.SequenceInputStream(java.util.Collections.enumeration(parts));
    }

    public void writeTo(OutputStream out) throws IOException {
        checkOpen();
        if (file != null) {
            new FileRegion(file, 0, length).writeTo(out);
        } else {
            for (int i = 0; i < chunks.size(); i++) {
                out.write(chunks.get(i), 0, chunkLength(i));
            }
        }
    }

    /** The content as an array (only for content held in memory or small enough). */
    public byte[] toByteArray() throws IOException {
        checkOpen();
        if (file == null) {
            byte[] all = new byte[count];
            for (int i = 0; i < chunks.size(); i++) {
                System.arraycopy(chunks.get(i), 0, all, i * CHUNK, chunkLength(i));
            }
            return all;
        }
        return new FileRegion(file, 0, length).toByteArray();
    }

    private int chunkLength(int i) {
        return i < chunks.size() - 1 ? CHUNK : count - i * CHUNK;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("data set buffer already closed");
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        chunks = null;
        if (channel != null) {
            channel.close();
        }
        if (cleanable != null) {
            cleanable.clean();
        }
    }
}
