package org.cameldicomsecure.mail.smime;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.SharedFileInputStream;

/**
 * Bytes written once and read any number of times: in memory up to a threshold, else in a temporary file (owner-only
 * permissions, deleted by {@link #close()} or, as a last resort, when the spill becomes unreachable). {@link #open()}
 * gives a {@link jakarta.mail.internet.SharedInputStream}, so that Jakarta Mail parses MIME parts over it without
 * copying them.
 */
public final class Spill implements Closeable {

    /** Thrown by the output stream when more than {@code max} bytes are written. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long max) {
            super("more than " + max + " bytes");
        }
    }

    private static final Cleaner CLEANER = Cleaner.create();
    private static final int SHARED_BUFFER = 64 * 1024;

    private final long threshold;
    private final long max;
    /** The bytes while in memory, in chunks (no doubling growth as with ByteArrayOutputStream), or null. */
    private List<byte[]> memory = new ArrayList<>();
    private int chunkFill;
    private byte[] bytes;
    private Path file;
    private OutputStream fileOut;
    private Cleaner.Cleanable cleanable;
    private long length;
    private boolean finished;

    /** @param threshold bytes kept in memory at most; @param max bytes accepted at most (else {@link TooLargeException}) */
    public Spill(long threshold, long max) {
        this.threshold = Math.min(threshold, Integer.MAX_VALUE - 64);
        this.max = max;
    }

    /** The stream to write the bytes to; closing it finishes the spill. */
    public OutputStream output() {
        return new java.io.BufferedOutputStream(rawOutput(), SHARED_BUFFER);
    }

    private OutputStream rawOutput() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                append(b, off, len);
            }

            @Override
            public void close() throws IOException {
                finish();
            }
        };
    }

    private void append(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("spill already finished");
        }
        if (length + len > max) {
            throw new TooLargeException(max);
        }
        if (memory != null && length + len <= threshold) {
            length += len;
            while (len > 0) {
                if (memory.isEmpty() || chunkFill == SHARED_BUFFER) {
                    memory.add(new byte[SHARED_BUFFER]);
                    chunkFill = 0;
                }
                int n = Math.min(len, SHARED_BUFFER - chunkFill);
                System.arraycopy(b, off, memory.get(memory.size() - 1), chunkFill, n);
                chunkFill += n;
                off += n;
                len -= n;
            }
            return;
        }
        if (memory != null) {
            file = Files.createTempFile("cds-smime-", ".tmp");
            Path p = file;
            cleanable = CLEANER.register(this, () -> delete(p));
            fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), SHARED_BUFFER);
            long left = length;
            for (byte[] chunk : memory) {
                int n = (int) Math.min(left, chunk.length);
                fileOut.write(chunk, 0, n);
                left -= n;
            }
            memory = null;
        }
        length += len;
        fileOut.write(b, off, len);
    }

    private void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        if (memory != null) {
            bytes = new byte[(int) length];
            int at = 0;
            for (byte[] chunk : memory) {
                int n = Math.min(chunk.length, bytes.length - at);
                System.arraycopy(chunk, 0, bytes, at, n);
                at += n;
            }
            memory = null;
        } else {
            fileOut.close();
            fileOut = null;
        }
    }

    public long length() {
        return length;
    }

    public boolean inMemory() {
        return file == null;
    }

    Path path() {
        return file;
    }

    /** A new stream over the bytes (a SharedInputStream). */
    public InputStream open() throws IOException {
        if (!finished) {
            finish();
        }
        if (file == null) {
            return new SharedByteArrayInputStream(bytes);
        }
        return new SharedFileInputStream(file.toFile(), SHARED_BUFFER);
    }

    /** A read-only data source over the bytes, typed {@code contentType} (for a MIME part). */
    public jakarta.activation.DataSource dataSource(String contentType, String name) {
        return new SpillDataSource(this, contentType, name);
    }

    @Override
    public void close() {
        if (fileOut != null) {
            try {
                fileOut.close();
            } catch (IOException ignored) {
                // deleted below
            }
            fileOut = null;
        }
        if (cleanable != null) {
            cleanable.clean();
            cleanable = null;
        }
        memory = null;
        bytes = null;
        finished = true;
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more can be done
        }
    }
}
