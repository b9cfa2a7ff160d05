package org.cameldicomsecure.web.server;

import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** 100 Continue for an acceptable request; 413 (and close) when the declared body is over the limit. */
final class ExpectContinue extends HttpServerExpectContinueHandler {

    private final long maxRequestBytes;

    ExpectContinue(long maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    protected HttpResponse acceptMessage(HttpRequest request) {
        if (HttpUtil.getContentLength(request, -1L) > maxRequestBytes) {
            return null;
        }
        return super.acceptMessage(request);
    }

    @Override
    protected HttpResponse rejectResponse(HttpRequest request) {
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return r;
    }
}
