package org.cameldicomsecure.web.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;

/**
 * Bridges a request body from the event loop (producer: {@link #offer}) to a worker thread (consumer: the
 * {@link InputStream} methods) with back-pressure: once {@code high} bytes are queued {@link #full()} turns true and
 * the connection stops reading from the socket; it resumes when the consumer has drained below half of that.
 */
final class BodyStream extends InputStream {

    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private final int high;
    private final Runnable onPressureChange;
    private long queued;
    private boolean full;
    private boolean ended;
    private boolean closed;
    private IOException failure;

    /** @param onPressureChange run (from either thread) when {@link #full()} changes */
    BodyStream(int high, Runnable onPressureChange) {
        this.high = high;
        this.onPressureChange = onPressureChange;
    }

    /** Event loop: adds a chunk (the stream takes over the reference). */
    void offer(ByteBuf buf) {
        boolean changed = false;
        synchronized (this) {
            if (closed || failure != null || !buf.isReadable()) {
                buf.release();
                return;
            }
            queue.add(buf);
            queued += buf.readableBytes();
            if (!full && queued >= high) {
                full = true;
                changed = true;
            }
            notifyAll();
        }
        if (changed) {
            onPressureChange.run();
        }
    }

    /** Event loop: the body is complete. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** Either thread: the body will not complete (connection closed, limit exceeded). */
    void fail(IOException e) {
        synchronized (this) {
            if (failure == null && !ended) {
                failure = e;
            }
            notifyAll();
        }
    }

    synchronized boolean full() {
        return full;
    }

    synchronized boolean ended() {
        return ended;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        boolean changed = false;
        int n;
        synchronized (this) {
            while (queue.isEmpty()) {
                if (closed) {
                    throw new IOException("request body stream closed");
                }
                if (failure != null) {
                    throw failure;
                }
                if (ended) {
                    return -1;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the request body");
                }
            }
            n = 0;
            while (n < len && !queue.isEmpty()) {
                ByteBuf head = queue.peek();
                int k = Math.min(len - n, head.readableBytes());
                head.readBytes(b, off + n, k);
                n += k;
                if (!head.isReadable()) {
                    queue.poll().release();
                }
            }
            queued -= n;
            if (full && queued <= high / 2) {
                full = false;
                changed = true;
            }
        }
        if (changed) {
            onPressureChange.run();
        }
        return n;
    }

    @Override
    public synchronized int available() {
        return (int) Math.min(Integer.MAX_VALUE, queued);
    }

    /** Releases what is queued; later chunks are released on arrival. */
    @Override
    public void close() {
        boolean changed;
        synchronized (this) {
            closed = true;
            queue.forEach(ByteBuf::release);
            queue.clear();
            queued = 0;
            changed = full;
            full = false;
            notifyAll();
        }
        if (changed) {
            onPressureChange.run();
        }
    }
}
