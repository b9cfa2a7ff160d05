package org.cameldicomsecure.web.server;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;

import org.cameldicomsecure.tls.TlsContextFactory;

/**
 * A DICOMweb origin server (PS3.18 Studies Service: STOW-RS, WADO-RS, QIDO-RS) on Netty's HTTP/1.1 codec, plain or
 * over TLS with a {@link TlsContextFactory} (its PS3.15 profile decides protocols and suites).
 *
 * <p>Pipeline per connection: SslHandler (TLS) → HttpServerCodec → IdleStateHandler → HttpServerKeepAliveHandler →
 * expect-continue (100 Continue, or 413 for a declared length over {@link Options#maxRequestBytes()}) → the request
 * handler. Request bodies stream off the event loop into the multipart reader with back-pressure (reading from the
 * socket stops while the bridge holds {@link Options#bodyBufferBytes()}); responses stream out in chunks, pausing
 * while the channel is not writable.
 *
 * <p>Routes: {@link #serve} binds an operation to a handler with its own authentication and scopes, so several
 * consumers share one port. {@code POST {base}/studies[/{study}]} is STOW, {@code GET
 * {base}/studies/{s}[/series/{se}[/instances/{i}]]} is WADO, {@code GET {base}/studies|series|instances},
 * {@code {base}/studies/{s}/series|instances} and {@code {base}/studies/{s}/series/{se}/instances} are QIDO; other
 * methods get 405 with {@code Allow}, other paths 404.
 */
public final class DicomWebServer implements AutoCloseable {

    private final Options options;
    private volatile Channel channel;
    private final EventLoopGroup ownBoss;
    private final EventLoopGroup ownWorkers;
    private final ExecutorService ownExecutor;
    private final java.util.concurrent.Executor executor;
    private final Map<DicomWebOperation, Binding> bindings = new EnumMap<>(DicomWebOperation.class);

    private DicomWebServer(Options options, EventLoopGroup ownBoss, EventLoopGroup ownWorkers,
            ExecutorService ownExecutor, java.util.concurrent.Executor executor) {
        this.options = options;
        this.ownBoss = ownBoss;
        this.ownWorkers = ownWorkers;
        this.ownExecutor = ownExecutor;
        this.executor = executor;
    }

    /** Binds and starts accepting connections; nothing is served until {@link #serve}. */
    public static DicomWebServer start(Options options) throws InterruptedException {
        Objects.requireNonNull(options, "options");
        EventLoopGroup boss = options.bossGroup;
        EventLoopGroup workers = options.workerGroup;
        EventLoopGroup ownBoss = null;
        EventLoopGroup ownWorkers = null;
        if (boss == null) {
            boss = ownBoss = new NioEventLoopGroup(1, daemon("dicomweb-accept"));
        }
        if (workers == null) {
            workers = ownWorkers = new NioEventLoopGroup(0, daemon("dicomweb-io"));
        }
        ExecutorService ownExecutor = null;
        java.util.concurrent.Executor executor = options.executor;
        if (executor == null) {
            executor = ownExecutor = Executors.newCachedThreadPool(daemon("dicomweb-worker"));
        }
        DicomWebServer self = new DicomWebServer(options, ownBoss, ownWorkers, ownExecutor, executor);
        TlsContextFactory tls = options.tls;
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            SslHandler ssl = new SslHandler(tls.newServerEngine());
                            ssl.setHandshakeTimeoutMillis(options.tlsHandshakeTimeout.toMillis());
                            p.addLast("tls", ssl);
                        }
                        p.addLast("http", new HttpServerCodec(options.maxInitialLineLength, options.maxHeaderSize,
                                64 * 1024));
                        long idle = options.idleTimeout.toMillis();
                        p.addLast("idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
                        p.addLast("keepAlive", new HttpServerKeepAliveHandler());
                        p.addLast("expectContinue", new ExpectContinue(options.maxRequestBytes));
                        p.addLast("dicomweb", new HttpConnection(self, tls != null));
                    }
                });
        Channel ch;
        try {
            ch = b.bind(new InetSocketAddress(options.host, options.port)).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            shutdown(ownBoss, ownWorkers, ownExecutor);
            throw e;
        }
        self.channel = ch;
        return self;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Serves {@code op} with {@code binding} from now on (replacing an earlier binding of the same operation).
     *
     * @throws IllegalArgumentException if the handler does not fit the operation
     */
    public void serve(DicomWebOperation op, Binding binding) {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(binding, "binding");
        binding.check(op);
        synchronized (bindings) {
            bindings.put(op, binding);
        }
    }

    /** Stops serving {@code op}: its requests get 404 (or 405 where another operation has the path). */
    public void unserve(DicomWebOperation op) {
        synchronized (bindings) {
            bindings.remove(op);
        }
    }

    Binding binding(DicomWebOperation op) {
        synchronized (bindings) {
            return bindings.get(op);
        }
    }

    /** True while at least one operation is served. */
    public boolean serving() {
        synchronized (bindings) {
            return !bindings.isEmpty();
        }
    }

    Options options() {
        return options;
    }

    java.util.concurrent.Executor executor() {
        return executor;
    }

    /** The bound address (with the actual port when bound to port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The service root URL ({@code http[s]://host:port/base}) on the bound address. */
    public URI baseUri() {
        InetSocketAddress a = localAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((options.tls != null ? "https" : "http") + "://" + host + ":" + a.getPort()
                + options.basePath);
    }

    /** Stops accepting and closes the event loops and the worker pool this server made itself. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        shutdown(ownBoss, ownWorkers, ownExecutor);
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup workers, ExecutorService executor) {
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** The configuration of a {@link DicomWebServer}; made with {@link #builder()}. */
    public static final class Options {
        final String host;
        final int port;
        final String basePath;
        final TlsContextFactory tls;
        final Duration tlsHandshakeTimeout;
        final EventLoopGroup bossGroup;
        final EventLoopGroup workerGroup;
        final java.util.concurrent.Executor executor;
        final int partMemoryThreshold;
        final long requestMemoryBudget;
        final long maxRequestBytes;
        final int maxHeaderSize;
        final int maxInitialLineLength;
        final Duration idleTimeout;
        final Duration handlerTimeout;
        final int bodyBufferBytes;
        final DicomWebListener listener;
        final Path tempDirectory;
        final String publicBaseUrl;

        private Options(Builder b) {
            host = b.host;
            port = b.port;
            basePath = b.basePath;
            tls = b.tls;
            tlsHandshakeTimeout = b.tlsHandshakeTimeout;
            bossGroup = b.bossGroup;
            workerGroup = b.workerGroup;
            executor = b.executor;
            partMemoryThreshold = b.partMemoryThreshold;
            requestMemoryBudget = b.requestMemoryBudget;
            maxRequestBytes = b.maxRequestBytes;
            maxHeaderSize = b.maxHeaderSize;
            maxInitialLineLength = b.maxInitialLineLength;
            idleTimeout = b.idleTimeout;
            handlerTimeout = b.handlerTimeout;
            bodyBufferBytes = b.bodyBufferBytes;
            listener = b.listener;
            tempDirectory = b.tempDirectory;
            publicBaseUrl = b.publicBaseUrl;
        }

        public static Builder builder() {
            return new Builder();
        }

        public String host() {
            return host;
        }

        public int port() {
            return port;
        }

        /** The path of the service root: empty or starting with {@code /}, never ending with {@code /}. */
        public String basePath() {
            return basePath;
        }

        public TlsContextFactory tls() {
            return tls;
        }

        public int partMemoryThreshold() {
            return partMemoryThreshold;
        }

        public long requestMemoryBudget() {
            return requestMemoryBudget;
        }

        public long maxRequestBytes() {
            return maxRequestBytes;
        }

        public int maxHeaderSize() {
            return maxHeaderSize;
        }

        public Duration idleTimeout() {
            return idleTimeout;
        }

        public Duration handlerTimeout() {
            return handlerTimeout;
        }

        public int bodyBufferBytes() {
            return bodyBufferBytes;
        }

        public DicomWebListener listener() {
            return listener;
        }

        public Path tempDirectory() {
            return tempDirectory;
        }

        /** Builds {@link Options}; every setting has a default. */
        public static final class Builder {
            private String host = "127.0.0.1";
            private int port;
            private String basePath = "";
            private TlsContextFactory tls;
            private Duration tlsHandshakeTimeout = Duration.ofSeconds(10);
            private EventLoopGroup bossGroup;
            private EventLoopGroup workerGroup;
            private java.util.concurrent.Executor executor;
            private int partMemoryThreshold = 1 << 20;
            private long requestMemoryBudget = 64L << 20;
            private long maxRequestBytes = 4L << 30;
            private int maxHeaderSize = 16 * 1024;
            private int maxInitialLineLength = 8 * 1024;
            private Duration idleTimeout = Duration.ofSeconds(60);
            private Duration handlerTimeout = Duration.ofMinutes(5);
            private int bodyBufferBytes = 1 << 20;
            private DicomWebListener listener = new DicomWebListener() {
            };
            private Path tempDirectory;
            private String publicBaseUrl;

            private Builder() {
            }

            /** The address to bind; default {@code 127.0.0.1} ({@code 0.0.0.0} for every interface). */
            public Builder host(String host) {
                this.host = Objects.requireNonNull(host, "host");
                return this;
            }

            /** The port; 0 (default) picks a free one. */
            public Builder port(int port) {
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("port must be 0..65535, not " + port);
                }
                this.port = port;
                return this;
            }

            /** The path of the service root, e.g. {@code /dicom-web}; default empty (the server root). */
            public Builder basePath(String basePath) {
                Objects.requireNonNull(basePath, "basePath");
                String p = basePath.strip();
                while (p.endsWith("/")) {
                    p = p.substring(0, p.length() - 1);
                }
                if (!p.isEmpty() && !p.startsWith("/")) {
                    p = "/" + p;
                }
                if (p.contains("?") || p.contains("#") || p.contains("//")) {
                    throw new IllegalArgumentException("base path must be a plain path, not " + basePath);
                }
                this.basePath = p;
                return this;
            }

            /** TLS (HTTPS) with this factory; null (default) for plain HTTP. */
            public Builder tls(TlsContextFactory tls) {
                this.tls = tls;
                return this;
            }

            public Builder tlsHandshakeTimeout(Duration timeout) {
                this.tlsHandshakeTimeout = positive(timeout, "tlsHandshakeTimeout");
                return this;
            }

            /** Shared event loops (not shut down by {@link DicomWebServer#close()}); default: the server's own. */
            public Builder eventLoopGroups(EventLoopGroup boss, EventLoopGroup workers) {
                if ((boss == null) != (workers == null)) {
                    throw new IllegalArgumentException("give both event loop groups or neither");
                }
                this.bossGroup = boss;
                this.workerGroup = workers;
                return this;
            }

            /** Runs body reading, validation and handler calls; default: the server's own cached pool. */
            public Builder executor(java.util.concurrent.Executor executor) {
                this.executor = executor;
                return this;
            }

            /** STOW parts longer than this are kept in temporary files instead of memory; default 1 MiB. */
            public Builder partMemoryThreshold(int bytes) {
                if (bytes < 0) {
                    throw new IllegalArgumentException("partMemoryThreshold must not be negative");
                }
                this.partMemoryThreshold = bytes;
                return this;
            }

            /** At most this many bytes of one STOW request's parts in memory; later parts go to files. 64 MiB. */
            public Builder requestMemoryBudget(long bytes) {
                if (bytes < 0) {
                    throw new IllegalArgumentException("requestMemoryBudget must not be negative");
                }
                this.requestMemoryBudget = bytes;
                return this;
            }

            /** Larger request bodies are refused with 413; default 4 GiB. */
            public Builder maxRequestBytes(long bytes) {
                if (bytes <= 0) {
                    throw new IllegalArgumentException("maxRequestBytes must be positive");
                }
                this.maxRequestBytes = bytes;
                return this;
            }

            /** Largest header section (431 beyond); default 16 KiB. */
            public Builder maxHeaderSize(int bytes) {
                if (bytes < 1024) {
                    throw new IllegalArgumentException("maxHeaderSize must be at least 1024");
                }
                this.maxHeaderSize = bytes;
                return this;
            }

            /** Longest request line (414 beyond); default 8 KiB. */
            public Builder maxInitialLineLength(int bytes) {
                if (bytes < 256) {
                    throw new IllegalArgumentException("maxInitialLineLength must be at least 256");
                }
                this.maxInitialLineLength = bytes;
                return this;
            }

            /** A connection on which nothing moves for this long is closed (idle, or a stalled peer); 60 s. */
            public Builder idleTimeout(Duration timeout) {
                this.idleTimeout = positive(timeout, "idleTimeout");
                return this;
            }

            /** A handler stage not complete after this long fails the instance or request; default 5 min. */
            public Builder handlerTimeout(Duration timeout) {
                this.handlerTimeout = positive(timeout, "handlerTimeout");
                return this;
            }

            /** Request body bytes buffered before reading from the socket pauses; default 1 MiB. */
            public Builder bodyBufferBytes(int bytes) {
                if (bytes < 64 * 1024) {
                    throw new IllegalArgumentException("bodyBufferBytes must be at least 64 KiB");
                }
                this.bodyBufferBytes = bytes;
                return this;
            }

            public Builder listener(DicomWebListener listener) {
                this.listener = Objects.requireNonNull(listener, "listener");
                return this;
            }

            /** Where spilled parts go; default {@code java.io.tmpdir}. */
            public Builder tempDirectory(Path dir) {
                this.tempDirectory = dir;
                return this;
            }

            /**
             * The service root URL used in Retrieve URLs (e.g. behind a reverse proxy); default: built from the
             * request's {@code Host} header field and the base path.
             */
            public Builder publicBaseUrl(String url) {
                if (url != null) {
                    URI u = URI.create(url);
                    if (u.getScheme() == null || u.getHost() == null) {
                        throw new IllegalArgumentException("public base URL must be absolute: " + url);
                    }
                    while (url.endsWith("/")) {
                        url = url.substring(0, url.length() - 1);
                    }
                }
                this.publicBaseUrl = url;
                return this;
            }

            public Options build() {
                return new Options(this);
            }

            private static Duration positive(Duration d, String name) {
                Objects.requireNonNull(d, name);
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException(name + " must be positive");
                }
                return d;
            }
        }
    }
}
