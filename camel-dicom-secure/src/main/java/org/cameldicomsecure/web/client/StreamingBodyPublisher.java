package org.cameldicomsecure.web.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body produced by a {@link BodyWriter} on a thread of its own, handed to the HTTP client in chunks of
 * {@code chunkSize} bytes as the client asks for them (Flow back-pressure: the writer waits while there is no
 * demand, so at most a chunk is held). Each subscription (each time the client sends the request, e.g. again after
 * a 401) runs the writer anew. A cancelled subscription (the server answered early, the request timed out) makes the
 * writer's next write fail, so its thread ends; {@link #abort()} does that for every subscription.
 */
final class StreamingBodyPublisher implements HttpRequest.BodyPublisher {

    /** Writes the whole body to {@code out}. */
    interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Thrown into the writer when the subscriber went away. */
    static final class Cancelled extends IOException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("the request body is no longer read (the request ended)");
        }
    }

    private final long contentLength;
    private final int chunkSize;
    private final Executor executor;
    private final BodyWriter writer;
    private final List<Sub> subscriptions = new CopyOnWriteArrayList<>();

    StreamingBodyPublisher(long contentLength, int chunkSize, Executor executor, BodyWriter writer) {
        this.contentLength = contentLength;
        this.chunkSize = chunkSize;
        this.executor = executor;
        this.writer = writer;
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        Sub s = new Sub(subscriber);
        subscriptions.add(s);
        subscriber.onSubscribe(s);
        try {
            executor.execute(s::run);
        } catch (RejectedExecutionException e) {
            s.cancel();
            subscriber.onError(new IOException("the client is closed", e));
        }
    }

    /** Cancels every subscription: writers still running stop at their next write. */
    void abort() {
        for (Sub s : subscriptions) {
            s.cancel();
        }
    }

    private final class Sub implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private long demand;
        private boolean cancelled;
        private IllegalArgumentException badRequest;

        Sub(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            lock.lock();
            try {
                if (n <= 0) {
                    badRequest = new IllegalArgumentException("non-positive request " + n + " (Reactive Streams 3.9)");
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                cancelled = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private boolean isCancelled() {
            lock.lock();
            try {
                return cancelled;
            } finally {
                lock.unlock();
            }
        }

        void run() {
            Chunks out = new Chunks(this);
            try {
                writer.writeTo(out);
                out.emitPending();
            } catch (Cancelled c) {
                return;
            } catch (Throwable t) {
                if (!isCancelled()) {
                    cancel();
                    subscriber.onError(t);
                }
                if (t instanceof Error e) {
                    throw e;
                }
                return;
            } finally {
                subscriptions.remove(this);
            }
            if (!isCancelled()) {
                subscriber.onComplete();
            }
        }

        /** Hands {@code b} to the subscriber once it has demand. */
        void emit(ByteBuffer b) throws IOException {
            lock.lock();
            try {
                while (demand == 0 && !cancelled && badRequest == null) {
                    changed.await();
                }
                if (badRequest != null) {
                    throw badRequest;
                }
                if (cancelled) {
                    throw new Cancelled();
                }
                demand--;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled = true;
                throw new Cancelled();
            } finally {
                lock.unlock();
            }
            subscriber.onNext(b);
        }
    }

    /** Collects writes into chunks and emits each full one (a fresh array each: the client may still hold it). */
    private final class Chunks extends OutputStream {
        private final Sub sub;
        private byte[] buf = new byte[chunkSize];
        private int len;

        Chunks(Sub sub) {
            this.sub = sub;
        }

        @Override
        public void write(int b) throws IOException {
            if (len == buf.length) {
                emitPending();
            }
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            while (n > 0) {
                if (len == buf.length) {
                    emitPending();
                }
                int k = Math.min(n, buf.length - len);
                System.arraycopy(b, off, buf, len, k);
                len += k;
                off += k;
                n -= k;
            }
        }

        /** Not a chunk boundary: chunks are emitted when full (and at the end). */
        @Override
        public void flush() {
        }

        void emitPending() throws IOException {
            if (len == 0) {
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
            buf = new byte[chunkSize];
            len = 0;
            sub.emit(b);
        }
    }
}
