package org.cameldicomsecure.net;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import org.cameldicomsecure.net.assoc.Association;
import org.cameldicomsecure.net.assoc.AssociationConfig;
import org.cameldicomsecure.net.assoc.AssociationHandler;
import org.cameldicomsecure.net.assoc.DicomNetworkException;
import org.cameldicomsecure.net.codec.PduDecoder;
import org.cameldicomsecure.net.codec.PduEncoder;
import org.cameldicomsecure.net.pdu.AAssociateRQ;

/** Opens associations as requestor (SCU), plain TCP or TLS. */
public final class DicomClient {

    private DicomClient() {
    }

    /**
     * Connects to {@code remote} and requests {@code rq}. The future completes with the established association, or
     * fails with {@link org.cameldicomsecure.net.assoc.AssociationRejectedException} or a
     * {@link DicomNetworkException}.
     *
     * @param tls null for plain TCP
     */
    public static CompletableFuture<Association> connect(EventLoopGroup group, InetSocketAddress remote,
            AssociationConfig config, AAssociateRQ rq, SslEngineFactory tls, int connectTimeoutMillis) {
        AssociationHandler handler = AssociationHandler.requestor(config, rq, tls != null);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            SslHandler ssl = new SslHandler(tls.newEngine(true, remote.getHostString(), remote.getPort()));
                            ssl.setHandshakeTimeout(config.responseTimeoutMillis(), TimeUnit.MILLISECONDS);
                            ch.pipeline().addLast("tls", ssl);
                        }
                        ch.pipeline().addLast("pduDecoder",
                                new PduDecoder(config.maxPduLength(), config.maxAssociatePduLength()));
                        ch.pipeline().addLast("pduEncoder", PduEncoder.INSTANCE);
                        ch.pipeline().addLast("association", handler);
                    }
                });
        ChannelFuture cf = b.connect(remote);
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                handler.established().completeExceptionally(new DicomNetworkException(
                        "cannot connect to " + remote + ": " + f.cause().getMessage(), f.cause()));
            }
        });
        return handler.established();
    }
}
