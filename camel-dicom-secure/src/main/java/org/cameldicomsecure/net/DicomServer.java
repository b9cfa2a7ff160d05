package org.cameldicomsecure.net;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import org.cameldicomsecure.net.assoc.AcceptorPolicy;
import org.cameldicomsecure.net.assoc.AssociationConfig;
import org.cameldicomsecure.net.assoc.AssociationHandler;
import org.cameldicomsecure.net.codec.PduDecoder;
import org.cameldicomsecure.net.codec.PduEncoder;
import org.cameldicomsecure.net.dimse.StoreService;

/**
 * A DICOM acceptor (Storage and Verification SCP) listening on one address, plain TCP or TLS. Pipeline per connection:
 * SslHandler (if TLS) → {@link PduDecoder} → {@link PduEncoder} → {@link AssociationHandler}.
 */
public final class DicomServer implements AutoCloseable {

    private final Channel channel;

    private DicomServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * Binds and starts accepting connections.
     *
     * @param tls null for plain TCP
     */
    public static DicomServer start(InetSocketAddress bind, EventLoopGroup boss, EventLoopGroup workers,
            AssociationConfig config, AcceptorPolicy policy, StoreService store, SslEngineFactory tls,
            long tlsHandshakeTimeoutMillis) throws InterruptedException {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(store, "store");
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
                        if (tls != null) {
                            SslHandler ssl = new SslHandler(tls.newEngine(false, null, -1));
                            ssl.setHandshakeTimeout(tlsHandshakeTimeoutMillis, TimeUnit.MILLISECONDS);
                            ch.pipeline().addLast("tls", ssl);
                        }
                        ch.pipeline().addLast("pduDecoder",
                                new PduDecoder(config.maxPduLength(), config.maxAssociatePduLength()));
                        ch.pipeline().addLast("pduEncoder", PduEncoder.INSTANCE);
                        ch.pipeline().addLast("association",
                                AssociationHandler.acceptor(config, policy, store, tls != null));
                    }
                });
        Channel ch = b.bind(bind).sync().channel();
        return new DicomServer(ch);
    }

    /** The bound address (with the actual port when bound to port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops accepting; established associations stay until they end or their event loops shut down. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
