package org.cameldicomsecure.web.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.web.InstanceSource;
import org.cameldicomsecure.web.json.DicomJsonWriter;
import org.cameldicomsecure.web.multipart.MultipartRelatedWriter;

/**
 * WADO-RS (instances as {@code multipart/related; type="application/dicom"}, streamed) and QIDO-RS
 * ({@code application/dicom+json}, streamed) on a worker thread.
 */
final class RetrieveProcessor {

    private final HttpConnection conn;
    private final HttpConnection.Exchange ex;
    private final DicomWebServer.Options options;

    RetrieveProcessor(HttpConnection conn, HttpConnection.Exchange ex) {
        this.conn = conn;
        this.ex = ex;
        this.options = conn.server().options();
    }

    void run() {
        if (ex.operation == DicomWebOperation.WADO) {
            wado();
        } else {
            qido();
        }
    }

    // ---- WADO-RS ----

    private void wado() {
        Set<String> acceptable = acceptedTransferSyntaxes();
        if (acceptable.isEmpty()) {
            conn.refuse(ex, 406, "WADO-RS here answers multipart/related; type=\"application/dicom\" only",
                    Map.of());
            return;
        }
        WebRequest request = ex.webRequest;
        WadoQuery query = new WadoQuery(request.studyInstanceUid(), request.seriesInstanceUid(),
                request.sopInstanceUid());
        WadoHandler handler = (WadoHandler) ex.binding.handler();
        call(() -> handler.retrieve(request, query)).whenComplete((sources, t) -> {
            if (t != null) {
                fail(request, t);
                return;
            }
            if (sources == null || sources.isEmpty()) {
                HttpConnection.safe(() -> options.listener.retrieved(request, query, 0, true));
                conn.sendText(ex, 404, "no instances found", Map.of(), false);
                return;
            }
            String refusal = unacceptable(sources, acceptable);
            if (refusal != null) {
                HttpConnection.safe(() -> options.listener.failed(request, 406, refusal));
                conn.sendText(ex, 406, refusal, Map.of(), false);
                return;
            }
            try {
                conn.server().executor().execute(() -> stream(request, query, sources));
            } catch (RuntimeException e) {
                conn.sendText(ex, 503, "server is shutting down or overloaded", Map.of(), false);
            }
        });
    }

    private void stream(WebRequest request, WadoQuery query, List<InstanceSource> sources) {
        InputStream first;
        try {
            first = sources.get(0).open();
        } catch (IOException | RuntimeException e) {
            HttpConnection.safe(() -> options.listener.failed(request, 500, "instance could not be opened: " + e));
            conn.sendText(ex, 500, "an instance could not be read", Map.of(), false);
            return;
        }
        String boundary = MultipartRelatedWriter.newBoundary();
        HttpResponse head = conn.chunkedHead(ex, 200,
                MultipartRelatedWriter.contentType(StowProcessor.APPLICATION_DICOM, boundary));
        ChannelOutput out = conn.output(head);
        int sent = 0;
        boolean complete = false;
        try {
            MultipartRelatedWriter w = new MultipartRelatedWriter(out, boundary);
            for (int i = 0; i < sources.size(); i++) {
                String ts = sources.get(i).transferSyntaxUid();
                try (InputStream in = i == 0 ? first : sources.get(i).open()) {
                    // PS3.18 8.7.3.5.2: the part says the transfer syntax it is in, when known
                    w.part(ts == null ? StowProcessor.APPLICATION_DICOM
                            : StowProcessor.APPLICATION_DICOM + "; transfer-syntax=" + ts, Map.of(), in);
                }
                sent++;
            }
            w.finish();
            out.finish();
            complete = true;
        } catch (IOException | RuntimeException e) {
            out.discard();
            HttpConnection.safe(() -> options.listener.failed(request, 200,
                    "WADO-RS response broken off: " + e.getClass().getSimpleName()));
        } finally {
            int n = sent;
            boolean c = complete;
            HttpConnection.safe(() -> options.listener.retrieved(request, query, n, c));
            conn.streamed(ex, complete);
        }
    }

    /**
     * The transfer syntaxes the Accept header field allows for application/dicom parts (PS3.18 8.7.3.5.2, 8.7.5):
     * UIDs, or "*" for any (also for no transfer-syntax parameter: the default, Explicit VR Little Endian, is what
     * every uncompressed instance is served in, and compressed ones are all this server has, 8.7.3); empty when no
     * media range accepts multipart/related of application/dicom.
     */
    private Set<String> acceptedTransferSyntaxes() {
        var ranges = HttpConnection.acceptRanges(ex.request);
        Set<String> out = new LinkedHashSet<>();
        if (ranges.isEmpty()) {
            out.add("*");
            return out;
        }
        for (var r : ranges) {
            String t = r.getKey();
            String q = r.getValue().get("q");
            if (q != null && q.strip().matches("0(\\.0*)?")) {
                continue; // q=0: not acceptable
            }
            if (t.equals("*/*") || t.equals("multipart/*")) {
                out.add("*");
            } else if (t.equals("multipart/related")) {
                String type = r.getValue().get("type");
                if (type == null || type.strip().toLowerCase(Locale.ROOT).equals(StowProcessor.APPLICATION_DICOM)) {
                    String ts = r.getValue().get("transfer-syntax");
                    out.add(ts == null || ts.isBlank() ? "*" : ts.strip());
                }
            }
        }
        return out;
    }

    /** Why the instances cannot be sent in an acceptable transfer syntax (this server does not transcode), or null. */
    private static String unacceptable(List<InstanceSource> sources, Set<String> acceptable) {
        if (acceptable.contains("*")) {
            return null;
        }
        for (int i = 0; i < sources.size(); i++) {
            String ts = sources.get(i).transferSyntaxUid();
            if (ts != null && !acceptable.contains(ts)) {
                return "instance " + (i + 1) + " is in transfer syntax " + ts + ", not in one asked for ("
                        + String.join(", ", acceptable) + "), and this origin server does not transcode: ask for "
                        + "transfer-syntax=*";
            }
        }
        return null;
    }

    // ---- QIDO-RS ----

    private void qido() {
        if (!acceptsJson()) {
            conn.refuse(ex, 406, "QIDO-RS here answers application/dicom+json only", Map.of());
            return;
        }
        WebRequest request = ex.webRequest;
        QidoQuery query;
        try {
            QueryStringDecoder qs = new QueryStringDecoder(ex.request.uri());
            query = new QidoQuery(ex.route.qidoLevel, request.studyInstanceUid(), request.seriesInstanceUid(),
                    qs.parameters());
        } catch (DicomWebStatusException e) {
            conn.refuse(ex, e.status(), e.getMessage(), Map.of());
            return;
        } catch (IllegalArgumentException e) {
            conn.refuse(ex, 400, "query string cannot be decoded", Map.of());
            return;
        }
        QidoHandler handler = (QidoHandler) ex.binding.handler();
        QidoQuery q = query;
        call(() -> handler.search(request, q)).whenComplete((results, t) -> {
            if (t != null) {
                fail(request, t);
                return;
            }
            int n = results == null ? 0 : results.size();
            HttpConnection.safe(() -> options.listener.queried(request, q, n));
            if (n == 0) {
                conn.sendFull(ex, 204, null, io.netty.buffer.Unpooled.EMPTY_BUFFER, Map.of(), false);
                return;
            }
            try {
                conn.server().executor().execute(() -> json(request, results));
            } catch (RuntimeException e) {
                conn.sendText(ex, 503, "server is shutting down or overloaded", Map.of(), false);
            }
        });
    }

    private void json(WebRequest request, List<Dataset> results) {
        HttpResponse head = conn.chunkedHead(ex, 200, StowProcessor.DICOM_JSON);
        ChannelOutput out = conn.output(head);
        boolean complete = false;
        try {
            DicomJsonWriter.writeArray(results, out);
            out.finish();
            complete = true;
        } catch (IOException | RuntimeException e) {
            out.discard();
            if (!out.headSent()) {
                HttpConnection.safe(() -> options.listener.failed(request, 500, "QIDO-RS results not written: "
                        + e.getMessage()));
                conn.sendText(ex, 500, "search results could not be written: " + e.getMessage(), Map.of(), false);
                return;
            }
        }
        conn.streamed(ex, complete);
    }

    private boolean acceptsJson() {
        var ranges = HttpConnection.acceptRanges(ex.request);
        if (ranges.isEmpty()) {
            return true;
        }
        for (var r : ranges) {
            String t = r.getKey();
            if (t.equals("*/*") || t.equals("application/*") || t.equals(StowProcessor.DICOM_JSON)
                    || t.equals("application/json")) {
                return true;
            }
        }
        return false;
    }

    // ---- common ----

    private <T> CompletableFuture<T> call(java.util.function.Supplier<CompletionStage<T>> call) {
        CompletableFuture<T> f;
        try {
            CompletionStage<T> s = call.get();
            f = s == null ? CompletableFuture.failedFuture(new IllegalStateException("handler returned null"))
                    : s.toCompletableFuture().copy();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.orTimeout(options.handlerTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void fail(WebRequest request, Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof DicomWebStatusException s) {
            HttpConnection.safe(() -> options.listener.failed(request, s.status(), s.getMessage()));
            conn.sendText(ex, s.status(), s.getMessage(), Map.of(), false);
        } else if (c instanceof TimeoutException) {
            HttpConnection.safe(() -> options.listener.failed(request, 503, "handler timed out"));
            conn.sendText(ex, 503, "the request was not answered in time", Map.of(), false);
        } else {
            HttpConnection.safe(() -> options.listener.failed(request, 500, "handler failed: "
                    + c.getClass().getSimpleName()));
            conn.sendText(ex, 500, "the request could not be processed", Map.of(), false);
        }
    }
}
