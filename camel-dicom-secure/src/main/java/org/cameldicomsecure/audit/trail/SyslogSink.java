package org.cameldicomsecure.audit.trail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;

import org.cameldicomsecure.tls.TlsConfigurationException;
import org.cameldicomsecure.tls.TlsContextFactory;

/**
 * Sends audit records to a syslog receiver (an audit record repository) as RFC 5424 messages ({@link Rfc5424}), over
 * PS3.15 A.6 SYSLOG-TLS (RFC 5425: TLS 1.2 or later, mutual authentication, octet-counting framing
 * {@code LEN SP MSG}), plain TCP with the same framing, or A.7 SYSLOG-UDP (RFC 5426: one message per datagram).
 *
 * <p><b>Connection.</b> A Netty client on its own one-thread NIO event loop (or the group given in the options), with
 * TCP_NODELAY, a connect timeout covering the TLS handshake, and the receiver's certificate checked against the host
 * name unless {@code verifyHostname} is off. The connection is made on the first {@link #send} and again on the next
 * send after a failure. The receiver never answers on a syslog connection; what it sends is discarded, but its closing
 * the connection (or a TLS alert) is seen at once.
 *
 * <p><b>At least once over TCP and TLS.</b> Syslog has no acknowledgements. A record counts as delivered
 * ({@link #confirmed()}) once it was written to the socket and the connection then stayed healthy (open, no write
 * error) for {@code confirmDelay}: either that time passed with the channel still active, or a later write completed
 * after it. When the channel goes inactive or a write fails, the next {@link #send} throws an {@link IOException}, so
 * the trail sends again everything after {@code confirmed()}; the receiver may then see a record twice, with the same
 * {@code [meta sequenceId]} and the same audit message, but never misses one. {@link #drain} waits until every
 * record written is confirmed.
 *
 * <p><b>UDP</b> gives no delivery guarantee at all: a record counts as confirmed once its datagram was handed to the
 * network. A message larger than {@code maxDatagramSize} is refused with a {@link RecordRejectedException}, never
 * truncated (a truncated XML audit message is useless). The socket is connected to the receiver, so an ICMP "port
 * unreachable" makes the next send fail.
 *
 * <p><b>Back-pressure.</b> A send waits while the channel is not writable (Netty's write buffer above its high water
 * mark of 1 MiB), for at most {@code writeTimeout}; a receiver that stops reading for longer fails the connection.
 *
 * <p>Driven by one delivery thread; {@link #confirmed()} and {@link #drain} may be called from any thread. Never logs
 * or puts into exceptions the payload of a record.
 */
public final class SyslogSink implements AuditSink {

    private static final System.Logger LOG = System.getLogger(SyslogSink.class.getName());
    private static final int HIGH_WATER_MARK = 1024 * 1024;
    private static final int LOW_WATER_MARK = 256 * 1024;
    /** The size of the writes over TCP and TLS: four full TLS records. */
    private static final int CHUNK = 64 * 1024;

    private final SyslogOptions options;
    private final Rfc5424 format;
    private final TlsContextFactory tls;
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final long confirmDelayNanos;
    private final String peer;

    private final Object lock = new Object();
    /** The current connection, or {@code null}; guarded by {@link #lock}. */
    private Connection connection;
    /** The highest confirmed sequence; guarded by {@link #lock}. */
    private long confirmed;
    /** The highest sequence written (or refused) on any connection; guarded by {@link #lock}. */
    private long written;
    private boolean closed;

    /**
     * @throws IllegalArgumentException the TLS settings cannot be used (named), or enable a protocol before TLS 1.2
     */
    public SyslogSink(SyslogOptions options) {
        this.options = options;
        this.format = options.rfc5424();
        this.confirmDelayNanos = options.protocol() == SyslogProtocol.UDP ? 0 : options.confirmDelay().toNanos();
        this.peer = options.protocol() + " " + options.host() + ":" + options.port();
        if (options.protocol() == SyslogProtocol.TLS) {
            TlsContextFactory f;
            try {
                f = TlsContextFactory.create(options.tls());
            } catch (TlsConfigurationException e) {
                throw new IllegalArgumentException("syslog TLS settings: " + e.getMessage(), e);
            }
            if (!f.isTls()) {
                throw new IllegalArgumentException("syslogProtocol TLS cannot run with tlsProfile NONE; use "
                        + "syslogProtocol TCP for plain TCP");
            }
            for (String p : f.enabledProtocols()) {
                if (!p.equals("TLSv1.2") && !p.equals("TLSv1.3")) {
                    throw new IllegalArgumentException("syslog over TLS needs TLS 1.2 or later (RFC 5425, PS3.15 "
                            + "A.6), but tlsProfile " + f.profile().name() + " enables " + f.enabledProtocols()
                            + "; choose a profile without TLS 1.0/1.1, e.g. " + "BCP195_RFC8996");
                }
            }
            this.tls = f;
        } else {
            this.tls = null;
        }
        if (options.eventLoopGroup() != null) {
            this.group = options.eventLoopGroup();
            this.ownGroup = false;
        } else {
            this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("audit-" + options.name(), true));
            this.ownGroup = true;
        }
    }

    public SyslogOptions options() {
        return options;
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public void send(List<SpooledRecord> batch) throws IOException {
        Connection c = healthyConnection();
        if (batch.isEmpty()) {
            return;
        }
        if (c == null) {
            c = connect();
        }
        RecordRejectedException rejected = null;
        boolean udp = options.protocol() == SyslogProtocol.UDP;
        // over TCP and TLS, consecutive frames are copied into chunks of about CHUNK bytes, one write (and one
        // confirmation entry) each: far fewer event loop tasks and full TLS records
        ByteBuf chunk = null;
        long chunkLast = 0;
        try {
            for (SpooledRecord r : batch) {
                ByteBuf frame;
                try {
                    frame = encode(r);
                } catch (RecordRejectedException e) {
                    rejected = e;
                    if (chunk != null) {
                        awaitWritable(c);
                        c.write(chunkLast, chunk);
                        chunk = null;
                    }
                    c.skip(r.sequence());
                    break;
                }
                if (udp) {
                    awaitWritable(c);
                    c.write(r.sequence(), frame);
                    continue;
                }
                if (chunk != null && chunk.readableBytes() + frame.readableBytes() > CHUNK) {
                    awaitWritable(c);
                    c.write(chunkLast, chunk);
                    chunk = null;
                }
                if (chunk == null) {
                    chunk = c.channel.alloc().buffer(Math.max(CHUNK, frame.readableBytes()));
                }
                chunk.writeBytes(frame);
                frame.release();
                chunkLast = r.sequence();
            }
            if (chunk != null) {
                awaitWritable(c);
                c.write(chunkLast, chunk);
                chunk = null;
            }
        } finally {
            if (chunk != null) {
                chunk.release();
            }
            c.channel.flush();
        }
        if (options.protocol() == SyslogProtocol.UDP) {
            c.awaitLastWrite(options.writeTimeout().toNanos());
        }
        IOException failure = c.failure();
        if (failure != null) {
            fail(c);
            throw failure;
        }
        if (rejected != null) {
            throw rejected;
        }
    }

    /**
     * The current connection if it is healthy; {@code null} if there is none or it ended with everything confirmed.
     *
     * @throws IOException the connection failed with records not yet confirmed: the trail must send them again
     */
    private Connection healthyConnection() throws IOException {
        if (closed) {
            throw new IOException("syslog sink " + name() + " is closed");
        }
        Connection c;
        synchronized (lock) {
            c = connection;
        }
        if (c == null) {
            return null;
        }
        IOException failure = c.failure();
        if (failure == null) {
            return c;
        }
        boolean lost;
        synchronized (lock) {
            advance(System.nanoTime());
            lost = c.lastWritten > confirmed;
        }
        fail(c);
        // over UDP nothing tells what was lost: an ICMP error is reported once, then a new socket is made
        if (lost || options.protocol() == SyslogProtocol.UDP) {
            throw failure;
        }
        return null;
    }

    /** Forgets a failed connection: the trail rewinds to {@link #confirmed()}. */
    private void fail(Connection c) {
        synchronized (lock) {
            if (connection == c) {
                connection = null;
            }
            c.dead = true;
            lock.notifyAll();
        }
        c.channel.close();
    }

    private ByteBuf encode(SpooledRecord r) throws RecordRejectedException {
        byte[] header = format.header(r);
        byte[] payload = r.record().payload();
        long size = (long) header.length + payload.length;
        if (options.protocol() == SyslogProtocol.UDP) {
            if (size > options.maxDatagramSize()) {
                throw new RecordRejectedException(r.sequence(), "audit record " + r.record().id() + " (sequence "
                        + r.sequence() + ") makes a syslog message of " + size + " octets, more than maxDatagramSize "
                        + options.maxDatagramSize() + ": RFC 5426 carries one message per datagram and a truncated "
                        + "audit message is useless; use syslogProtocol TLS for large messages");
            }
            return Unpooled.wrappedBuffer(header, payload);
        }
        if (size > options.maxMessageSize()) {
            throw new RecordRejectedException(r.sequence(), "audit record " + r.record().id() + " (sequence "
                    + r.sequence() + ") makes a syslog message of " + size + " octets, more than maxMessageSize "
                    + options.maxMessageSize());
        }
        byte[] len = (size + " ").getBytes(StandardCharsets.US_ASCII);
        return Unpooled.wrappedBuffer(len, header, payload);
    }

    private void awaitWritable(Connection c) throws IOException {
        if (c.channel.isWritable()) {
            return;
        }
        c.channel.flush();
        long deadline = System.nanoTime() + options.writeTimeout().toNanos();
        synchronized (lock) {
            while (!c.channel.isWritable() && c.channel.isActive() && c.failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    c.failure = new IOException("syslog receiver " + peer + " has not read for "
                            + options.writeTimeout().toMillis() + " ms (writeTimeout): the connection counts as "
                            + "failed");
                    break;
                }
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the syslog receiver " + peer, e);
                }
            }
        }
    }

    private Connection connect() throws IOException {
        long timeoutMillis = options.connectTimeout().toMillis();
        InetSocketAddress remote = new InetSocketAddress(options.host(), options.port());
        if (remote.isUnresolved()) {
            throw new IOException("syslog receiver host " + options.host() + " cannot be resolved");
        }
        Bootstrap b = new Bootstrap().group(group);
        SslHandler[] ssl = new SslHandler[1];
        Connection[] holder = new Connection[1];
        Object ready = new Object();
        if (options.protocol() == SyslogProtocol.UDP) {
            b.channel(NioDatagramChannel.class);
        } else {
            b.channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
        }
        b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK));
        b.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (tls != null) {
                    SSLEngine engine = tls.newClientEngine(options.host(), options.port());
                    SslHandler h = new SslHandler(engine);
                    h.setHandshakeTimeoutMillis(timeoutMillis);
                    ssl[0] = h;
                    ch.pipeline().addLast("tls", h);
                }
                ch.pipeline().addLast("syslog", new Watcher(holder, ready));
            }
        });
        ChannelFuture f = b.connect(remote);
        if (!f.awaitUninterruptibly(timeoutMillis + 1000) || !f.isSuccess()) {
            f.channel().close();
            throw new IOException("cannot connect to the syslog receiver " + peer + ": "
                    + describe(f.cause(), "no connection within " + timeoutMillis + " ms"), f.cause());
        }
        Channel ch = f.channel();
        if (ssl[0] != null) {
            Future<Channel> hs = ssl[0].handshakeFuture();
            if (!hs.awaitUninterruptibly(timeoutMillis + 1000) || !hs.isSuccess()) {
                ch.close();
                throw new IOException("TLS handshake with the syslog receiver " + peer + " failed: "
                        + describe(hs.cause(), "no handshake within " + timeoutMillis + " ms"), hs.cause());
            }
        }
        Connection c = new Connection(ch);
        synchronized (ready) {
            holder[0] = c;
        }
        ch.closeFuture().addListener(x -> c.inactive());
        if (!ch.isActive()) {
            c.inactive();
        }
        synchronized (lock) {
            connection = c;
            c.lastWritten = written;
        }
        return c;
    }

    private static String describe(Throwable t, String otherwise) {
        if (t == null) {
            return otherwise;
        }
        StringBuilder sb = new StringBuilder();
        for (Throwable x = t; x != null && sb.length() < 600; x = x.getCause()) {
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(x.getMessage() != null ? x.getMessage() : x.getClass().getSimpleName());
            if (x.getCause() == x) {
                break;
            }
        }
        return sb.toString();
    }

    /** Confirms what stayed long enough on a healthy connection. Caller holds {@link #lock}. */
    private void advance(long now) {
        Connection c = connection;
        if (c == null || c.dead || c.failure != null || !c.channel.isActive()) {
            return;
        }
        long[] head;
        while ((head = c.pending.peekFirst()) != null && now - head[1] >= confirmDelayNanos) {
            c.pending.removeFirst();
            if (head[0] > confirmed) {
                confirmed = head[0];
            }
        }
    }

    @Override
    public long confirmed() {
        synchronized (lock) {
            advance(System.nanoTime());
            return confirmed;
        }
    }

    /** The highest sequence written (or refused), on this connection or one before. */
    public long written() {
        synchronized (lock) {
            return written;
        }
    }

    /**
     * Waits until every record written is confirmed; returns {@code false} at once when the connection fails with
     * records unconfirmed (the next {@link #send} then throws).
     */
    @Override
    public boolean drain(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lock) {
            while (true) {
                long now = System.nanoTime();
                advance(now);
                if (confirmed >= written) {
                    return true;
                }
                Connection c = connection;
                if (c == null || c.dead || c.failure != null || !c.channel.isActive()) {
                    return false;
                }
                long left = deadline - now;
                if (left <= 0) {
                    return false;
                }
                long[] head = c.pending.peekFirst();
                long wait = head == null ? left : Math.min(left, confirmDelayNanos - (now - head[1]));
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait) + 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** Closes the connection (what is not confirmed stays in the spool) and the sink's own event loop. */
    @Override
    public void close() {
        Connection c;
        synchronized (lock) {
            closed = true;
            c = connection;
            connection = null;
            lock.notifyAll();
        }
        if (c != null) {
            c.channel.close().awaitUninterruptibly(options.connectTimeout().toMillis());
        }
        if (ownGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "SyslogSink[" + name() + ": " + peer + "]";
    }

    /** One connection (or connected UDP socket) and what was written on it. */
    private final class Connection {
        final Channel channel;
        /** {sequence, nanoTime when its write completed}, oldest first, not yet confirmed; guarded by lock. */
        final ArrayDeque<long[]> pending = new ArrayDeque<>();
        /** The highest sequence written on this connection; guarded by lock. */
        long lastWritten;
        volatile IOException failure;
        boolean dead;
        ChannelFuture lastWrite;

        Connection(Channel channel) {
            this.channel = channel;
        }

        void write(long sequence, ByteBuf frame) {
            synchronized (lock) {
                lastWritten = Math.max(lastWritten, sequence);
                written = Math.max(written, sequence);
            }
            // a chunk goes out at once (TCP, TLS); datagrams are flushed at the end of the batch
            ChannelFuture f = options.protocol() == SyslogProtocol.UDP ? channel.write(frame)
                    : channel.writeAndFlush(frame);
            lastWrite = f;
            f.addListener(x -> written(sequence, x));
        }

        /**
         * A record that was refused for good: confirmed together with what was written before it (after the write in
         * flight completes, so that confirmations stay in order).
         */
        void skip(long sequence) {
            synchronized (lock) {
                lastWritten = Math.max(lastWritten, sequence);
                written = Math.max(written, sequence);
            }
            ChannelFuture before = lastWrite;
            if (before == null) {
                written(sequence, channel.newSucceededFuture());
            } else {
                // listeners run in the order they were added: after that write's own
                before.addListener(x -> written(sequence, x));
            }
        }

        private void written(long sequence, Future<?> f) {
            long now = System.nanoTime();
            synchronized (lock) {
                if (f.isSuccess()) {
                    pending.addLast(new long[] {sequence, now});
                    if (connection == this) {
                        advance(now);
                    }
                } else if (failure == null) {
                    failure = new IOException("writing to the syslog receiver " + peer + " failed: "
                            + describe(f.cause(), "unknown cause"), f.cause());
                }
                lock.notifyAll();
            }
        }

        void inactive() {
            synchronized (lock) {
                if (failure == null) {
                    failure = new IOException("the syslog receiver " + peer + " closed the connection");
                }
                lock.notifyAll();
            }
        }

        void failed(Throwable cause) {
            synchronized (lock) {
                if (failure == null) {
                    failure = new IOException("the connection to the syslog receiver " + peer + " failed: "
                            + describe(cause, "unknown cause"), cause);
                }
                lock.notifyAll();
            }
        }

        IOException failure() {
            IOException f = failure;
            if (f == null && !channel.isActive()) {
                inactive();
                f = failure;
            }
            return f;
        }

        /** UDP: waits until every datagram written was handed to the network (and so is confirmed). */
        void awaitLastWrite(long timeoutNanos) throws IOException {
            long deadline = System.nanoTime() + timeoutNanos;
            synchronized (lock) {
                while (true) {
                    advance(System.nanoTime());
                    if (confirmed >= lastWritten || failure != null) {
                        return;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        failure = new IOException("datagrams to " + peer + " not sent within "
                                + options.writeTimeout().toMillis() + " ms (writeTimeout)");
                        return;
                    }
                    try {
                        lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while sending to the syslog receiver " + peer, e);
                    }
                }
            }
        }
    }

    /** Discards what the receiver sends, notices errors, wakes senders waiting for writability. */
    private final class Watcher extends ChannelInboundHandlerAdapter {
        private final Connection[] holder;
        private final Object ready;

        Watcher(Connection[] holder, Object ready) {
            this.holder = holder;
            this.ready = ready;
        }

        private Connection connection() {
            synchronized (ready) {
                return holder[0];
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            synchronized (lock) {
                lock.notifyAll();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Connection c = connection();
            if (c != null) {
                c.failed(cause);
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "syslog connection to " + peer + " failed: "
                    + describe(cause, "unknown"));
            if (options.protocol() != SyslogProtocol.UDP) {
                ctx.close();
            }
        }
    }
}
