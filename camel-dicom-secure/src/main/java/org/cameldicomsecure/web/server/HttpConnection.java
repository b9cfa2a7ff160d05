package org.cameldicomsecure.web.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import org.cameldicomsecure.web.auth.BearerAuthenticator;
import org.cameldicomsecure.web.auth.VerifiedToken;

/**
 * One HTTP connection: routes each request, checks its bearer token off the event loop, and hands it to the
 * operation's processor ({@link StowProcessor}, {@link RetrieveProcessor}). One request at a time; messages of a
 * pipelined next request wait in a queue.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {

    private final DicomWebServer server;
    private final boolean tls;
    private final Object writability = new Object();
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Exchange current;

    HttpConnection(DicomWebServer server, boolean tls) {
        this.server = server;
        this.tls = tls;
    }

    /** A request in progress; fields are touched on the event loop unless noted. */
    final class Exchange {
        final HttpRequest request;
        final boolean keepAlive;
        final Route route;
        final DicomWebOperation operation;
        final Binding binding;
        volatile WebRequest webRequest;
        /** The body for STOW; null: the body is discarded. */
        BodyStream body;
        boolean authPending;
        boolean requestComplete;
        /** Set from any thread once the response is complete (or the connection is given up). */
        volatile boolean responseDone;
        long bodyBytes;

        Exchange(HttpRequest request, Route route, DicomWebOperation operation, Binding binding, WebRequest wr) {
            this.request = request;
            this.keepAlive = HttpUtil.isKeepAlive(request);
            this.route = route;
            this.operation = operation;
            this.binding = binding;
            this.webRequest = wr;
        }

        HttpConnection connection() {
            return HttpConnection.this;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!pending.isEmpty() || (current != null && current.requestComplete && msg instanceof HttpRequest)) {
            pending.add(msg);
            updateAutoRead();
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest req) {
            try {
                begin(req);
            } catch (RuntimeException e) {
                ReferenceCountUtil.release(msg);
                closeWith(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
                return;
            }
            if (msg instanceof HttpContent c) { // a FullHttpRequest (decoder failure or aggregated)
                content(c);
            }
        } else if (msg instanceof HttpContent c) {
            content(c);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(HttpRequest req) {
        DecoderResult dr = req.decoderResult();
        if (dr.isFailure()) {
            Throwable cause = dr.cause();
            HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException
                            ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                            : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                                    : HttpResponseStatus.BAD_REQUEST;
            current = null;
            closeWith(status, "malformed HTTP request");
            return;
        }
        DicomWebServer.Options o = server.options();
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        Route route;
        try {
            route = Route.parse(o.basePath, qs.path());
        } catch (IllegalArgumentException e) {
            route = null;
        }
        WebRequest wr0 = webRequest(req, qs.path(), null, route);
        Exchange ex = new Exchange(req, route, null, null, wr0);
        current = ex;
        if (route == null) {
            refuse(ex, 400, "request path cannot be decoded", Map.of());
            return;
        }
        if (route.problem != null) {
            refuse(ex, route.problemStatus, route.problem, Map.of());
            return;
        }
        List<String> allowed = new ArrayList<>();
        DicomWebOperation op = null;
        Binding binding = null;
        for (Map.Entry<String, DicomWebOperation> e : route.methods.entrySet()) {
            Binding b = server.binding(e.getValue());
            if (b != null) {
                allowed.add(e.getKey());
                if (e.getKey().equals(req.method().name())) {
                    op = e.getValue();
                    binding = b;
                }
            }
        }
        if (allowed.isEmpty()) {
            refuse(ex, 404, "resource not served here", Map.of());
            return;
        }
        if (op == null) {
            refuse(ex, 405, "method " + Route.safe(req.method().name()) + " not allowed",
                    Map.of("Allow", String.join(", ", allowed)));
            return;
        }
        WebRequest wr = webRequest(req, qs.path(), op, route);
        ex = new Exchange(req, route, op, binding, wr);
        current = ex;
        long declared = HttpUtil.getContentLength(req, -1L);
        if (declared > o.maxRequestBytes) {
            refuseAndClose(ex, 413, "request body of " + declared + " bytes is over the limit of "
                    + o.maxRequestBytes);
            return;
        }
        if (op == DicomWebOperation.STOW) {
            Exchange stow = ex;
            ex.body = new BodyStream(o.bodyBufferBytes, () -> onEventLoop(() -> {
                if (current == stow) {
                    updateAutoRead();
                }
            }));
        }
        BearerAuthenticator auth = binding.authenticator();
        if (auth == null) {
            started(ex);
            return;
        }
        ex.authPending = true;
        updateAutoRead();
        Exchange authEx = ex;
        List<String> fields = req.headers().getAll(HttpHeaderNames.AUTHORIZATION);
        execute(authEx, () -> {
            BearerAuthenticator.Result r = auth.authenticate(fields);
            onEventLoop(() -> authenticated(authEx, auth, r));
        });
    }

    private void authenticated(Exchange ex, BearerAuthenticator auth, BearerAuthenticator.Result r) {
        if (current != ex) {
            return;
        }
        ex.authPending = false;
        if (!r.ok()) {
            refuse(ex, r.httpStatus(), r.reason(), Map.of("WWW-Authenticate", auth.challenge(r)));
            updateAutoRead();
            return;
        }
        VerifiedToken token = r.token();
        ex.webRequest = ex.webRequest.withPrincipal(token.principal(), token.scopes());
        Set<String> required = ex.binding.requiredScopes();
        if (!token.hasScopes(required)) {
            refuse(ex, 403, "the access token lacks a scope required for " + ex.operation + " (" + String.join(" ",
                    required) + ")", Map.of("WWW-Authenticate", auth.insufficientScope(required)));
            updateAutoRead();
            return;
        }
        safe(() -> server.options().listener.authenticated(ex.webRequest));
        started(ex);
    }

    /** Authenticated (or no authentication): hand over to the operation's processor. */
    private void started(Exchange ex) {
        updateAutoRead();
        execute(ex, () -> {
            try {
                if (ex.operation == DicomWebOperation.STOW) {
                    new StowProcessor(this, ex).run();
                } else {
                    new RetrieveProcessor(this, ex).run();
                }
            } catch (RuntimeException | Error e) {
                safe(() -> server.options().listener.failed(ex.webRequest, 500, "internal error: " + e));
                if (ex.body != null) {
                    ex.body.close();
                }
                sendText(ex, 500, "internal error", Map.of(), true);
            }
        });
    }

    private void content(HttpContent c) {
        Exchange ex = current;
        if (ex == null || ex.requestComplete) {
            c.release();
            return;
        }
        boolean last = c instanceof LastHttpContent;
        int n = c.content().readableBytes();
        ex.bodyBytes += n;
        if (c.decoderResult().isFailure()) {
            c.release();
            failBody(ex, new IOException("malformed HTTP request body"));
            if (!ex.responseDone) {
                refuseAndClose(ex, 400, "malformed HTTP request body");
            } else {
                ctx.close();
            }
            return;
        }
        if (ex.bodyBytes > server.options().maxRequestBytes) {
            c.release();
            failBody(ex, new IOException("request body over the limit"));
            if (!ex.responseDone) {
                refuseAndClose(ex, 413, "request body is over the limit of " + server.options().maxRequestBytes
                        + " bytes");
            } else {
                ctx.close();
            }
            return;
        }
        if (ex.body != null && !ex.responseDone) {
            ex.body.offer(c.content()); // takes the reference
        } else {
            c.release();
        }
        if (last) {
            ex.requestComplete = true;
            if (ex.body != null) {
                ex.body.end();
            }
            maybeFinish(ex);
        }
    }

    private void failBody(Exchange ex, IOException e) {
        if (ex.body != null) {
            ex.body.fail(e);
        }
    }

    // ---- responses (any thread) ----

    /** Answers an error with a text/plain body and keeps the connection (the rest of the body is discarded). */
    void refuse(Exchange ex, int status, String reason, Map<String, String> headers) {
        safe(() -> server.options().listener.refused(ex.webRequest, status, reason));
        sendText(ex, status, reason, headers, false);
    }

    void refuseAndClose(Exchange ex, int status, String reason) {
        safe(() -> server.options().listener.refused(ex.webRequest, status, reason));
        sendText(ex, status, reason, Map.of(), true);
    }

    void sendText(Exchange ex, int status, String text, Map<String, String> headers, boolean close) {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        sendFull(ex, status, "text/plain; charset=utf-8", Unpooled.wrappedBuffer(body), headers, close);
    }

    void sendFull(Exchange ex, int status, String contentType, ByteBuf content, Map<String, String> headers,
            boolean close) {
        onEventLoop(() -> {
            if (ex.responseDone || !ctx.channel().isActive()) {
                content.release();
                ex.responseDone = true;
                if (ex.body != null) {
                    ex.body.close();
                }
                return;
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                    content);
            if (contentType != null) {
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            }
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            headers.forEach((k, v) -> r.headers().set(k, v));
            boolean closeAfter = close || !ex.keepAlive;
            if (closeAfter) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            ex.responseDone = true;
            if (ex.body != null && !ex.requestComplete) {
                ex.body.close(); // the rest of the body is discarded as it arrives
            }
            var f = ctx.writeAndFlush(r);
            if (closeAfter) {
                f.addListener(ChannelFutureListener.CLOSE);
            } else {
                f.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
            updateAutoRead();
            maybeFinish(ex);
        });
    }

    /** The head of a chunked response: the caller streams its body through {@link #output}. */
    HttpResponse chunkedHead(Exchange ex, int status, String contentType) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setTransferEncodingChunked(r, true);
        if (!ex.keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    ChannelOutput output(HttpResponse head) {
        return new ChannelOutput(ctx.channel(), head, writability, 64 * 1024);
    }

    /** A streamed response ended (finished, or broken off: then the connection is closed). */
    void streamed(Exchange ex, boolean complete) {
        onEventLoop(() -> {
            ex.responseDone = true;
            if (!complete || !ex.keepAlive) {
                ctx.close();
                return;
            }
            maybeFinish(ex);
        });
    }

    // ---- lifecycle ----

    private void maybeFinish(Exchange ex) {
        if (current != ex || !ex.requestComplete || !ex.responseDone) {
            return;
        }
        current = null;
        while (current == null && !pending.isEmpty()) {
            dispatch(pending.poll());
        }
        updateAutoRead();
    }

    /** Event loop: reads from the socket unless a token check runs or the body bridge is full. */
    void updateAutoRead() {
        Exchange ex = current;
        boolean read = true;
        if (!pending.isEmpty()) {
            read = false;
        } else if (ex != null) {
            if (ex.authPending || (ex.body != null && ex.body.full() && !ex.responseDone)) {
                read = false;
            } else if (ex.requestComplete && !ex.responseDone) {
                read = false; // the next request waits until this one is answered
            }
        }
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        synchronized (writability) {
            writability.notifyAll();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent hs && !hs.isSuccess()) {
            java.net.SocketAddress peer = ctx.channel().remoteAddress();
            Throwable c = hs.cause();
            String why = "TLS handshake failed: " + (c == null ? "unknown reason"
                    : c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName());
            safe(() -> server.options().listener.tlsFailed(peer, why));
        }
        if (evt instanceof IdleStateEvent) {
            Exchange ex = current;
            boolean stalledClient = ex == null
                    || (!ex.requestComplete && !ex.authPending && (ex.body == null || !ex.body.full()))
                    || (ex.responseDone && !ctx.channel().isWritable());
            if (stalledClient || (ex.requestComplete && !ctx.channel().isWritable())) {
                if (ex != null) {
                    failBody(ex, new IOException("idle timeout: the client sent nothing for "
                            + server.options().idleTimeout));
                }
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange ex = current;
        if (ex != null) {
            failBody(ex, new IOException("the client closed the connection before the body was complete"));
        }
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        synchronized (writability) {
            writability.notifyAll();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors and TLS failures end the connection; nothing of them goes to the client
        Exchange ex = current;
        if (ex != null) {
            failBody(ex, new IOException("connection failed: " + cause.getClass().getSimpleName()));
        }
        ctx.close();
    }

    private void closeWith(HttpResponseStatus status, String text) {
        byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(b));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, b.length);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- helpers ----

    void onEventLoop(Runnable r) {
        if (ctx.executor().inEventLoop()) {
            r.run();
        } else {
            ctx.executor().execute(r);
        }
    }

    private void execute(Exchange ex, Runnable task) {
        try {
            server.executor().execute(task);
        } catch (RejectedExecutionException e) {
            onEventLoop(() -> {
                ex.authPending = false;
                refuseAndClose(ex, 503, "server is shutting down or overloaded");
            });
        }
    }

    DicomWebServer server() {
        return server;
    }

    static void safe(Runnable listenerCall) {
        try {
            listenerCall.run();
        } catch (RuntimeException e) {
            // a listener must not break the server
        }
    }

    private WebRequest webRequest(HttpRequest req, String path, DicomWebOperation op, Route route) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        String subject = null;
        String protocol = null;
        if (tls) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null) {
                SSLSession s = ssl.engine().getSession();
                protocol = s.getProtocol();
                try {
                    Certificate[] chain = s.getPeerCertificates();
                    if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                        subject = x.getSubjectX500Principal().getName();
                    }
                } catch (SSLPeerUnverifiedException e) {
                    // no client certificate
                }
            }
        }
        return new WebRequest(op, req.method().name(), path, baseUrl(req), remote, null, Set.of(), subject, protocol,
                route == null ? null : route.study, route == null ? null : route.series,
                route == null ? null : route.instance);
    }

    private String baseUrl(HttpRequest req) {
        DicomWebServer.Options o = server.options();
        if (o.publicBaseUrl != null) {
            return o.publicBaseUrl;
        }
        String host = req.headers().get(HttpHeaderNames.HOST);
        if (host == null || host.isBlank() || !validHost(host)) {
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            String h = local.getAddress().getHostAddress();
            host = (h.contains(":") ? "[" + h + "]" : h) + ":" + local.getPort();
        }
        return (tls ? "https" : "http") + "://" + host + o.basePath;
    }

    private static boolean validHost(String host) {
        try {
            URI u = new URI("http://" + host);
            return u.getHost() != null && u.getRawPath().isEmpty() && u.getRawQuery() == null
                    && u.getRawUserInfo() == null;
        } catch (Exception e) {
            return false;
        }
    }

    /** The Accept header field values split into media ranges (lower-cased type, parameters kept). */
    static List<Map.Entry<String, Map<String, String>>> acceptRanges(HttpRequest req) {
        List<Map.Entry<String, Map<String, String>>> out = new ArrayList<>();
        for (String field : req.headers().getAll(HttpHeaderNames.ACCEPT)) {
            for (String range : splitOutsideQuotes(field, ',')) {
                List<String> parts = splitOutsideQuotes(range, ';');
                if (parts.isEmpty() || parts.get(0).isBlank()) {
                    continue;
                }
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = 1; i < parts.size(); i++) {
                    String p = parts.get(i);
                    int eq = p.indexOf('=');
                    if (eq > 0) {
                        String v = p.substring(eq + 1).strip();
                        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                            v = v.substring(1, v.length() - 1);
                        }
                        params.put(p.substring(0, eq).strip().toLowerCase(Locale.ROOT), v);
                    }
                }
                out.add(Map.entry(parts.get(0).strip().toLowerCase(Locale.ROOT), params));
            }
        }
        return out;
    }

    static List<String> splitOutsideQuotes(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == sep && !quoted) {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        out.add(b.toString());
        return out;
    }
}
