package org.cameldicomsecure.web.server;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A chunked response body written from a worker thread: bytes are gathered into chunks of {@code chunkSize}; before
 * each chunk is written the writer waits while the channel is not writable (back-pressure from a slow client).
 * The response head goes out with the first chunk; {@link #finish()} sends the last chunk.
 */
final class ChannelOutput extends OutputStream {

    private final Channel channel;
    private final HttpResponse head;
    private final Object writability;
    private final int chunkSize;
    private ByteBuf buf;
    private boolean headSent;
    private boolean finished;
    private long written;

    /** @param writability the monitor notified when the channel's writability changes or it closes */
    ChannelOutput(Channel channel, HttpResponse head, Object writability, int chunkSize) {
        this.channel = channel;
        this.head = head;
        this.writability = writability;
        this.chunkSize = chunkSize;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (buf == null) {
                buf = channel.alloc().buffer(chunkSize);
            }
            int k = Math.min(len, buf.writableBytes());
            buf.writeBytes(b, off, k);
            off += k;
            len -= k;
            written += k;
            if (!buf.isWritable()) {
                flushChunk();
            }
        }
    }

    private void flushChunk() throws IOException {
        ByteBuf chunk = buf;
        buf = null;
        if (chunk == null || !chunk.isReadable()) {
            if (chunk != null) {
                chunk.release();
            }
            return;
        }
        try {
            awaitWritable();
        } catch (IOException e) {
            chunk.release();
            throw e;
        }
        if (!headSent) {
            headSent = true;
            channel.write(head);
        }
        channel.writeAndFlush(new DefaultHttpContent(chunk));
    }

    private void awaitWritable() throws IOException {
        synchronized (writability) {
            while (channel.isActive() && !channel.isWritable()) {
                try {
                    writability.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while sending the response");
                }
            }
        }
        if (!channel.isActive()) {
            throw new IOException("the client closed the connection");
        }
    }

    @Override
    public void flush() throws IOException {
        flushChunk();
    }

    /** Sends what is buffered and the last chunk. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        flushChunk();
        finished = true;
        if (!channel.isActive()) {
            throw new IOException("the client closed the connection");
        }
        if (!headSent) {
            headSent = true;
            channel.write(head);
        }
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    boolean headSent() {
        return headSent;
    }

    long written() {
        return written;
    }

    /** Drops what is buffered (after a failure). */
    void discard() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }

    @Override
    public void close() throws IOException {
        finish();
    }
}
