package org.cameldicomsecure.audit.trail;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.tls.HttpClientTls;
import org.cameldicomsecure.tls.TlsConfigurationException;
import org.cameldicomsecure.tls.TlsContextFactory;

/**
 * Delivers audit records to a FHIR audit record repository over HTTP(S) (FHIR RESTful {@code create} or
 * {@code update} of AuditEvent resources, IHE BALP's "Audit Record Repository"), one request per record, in spool
 * order, on the JDK's {@link HttpClient} (HTTP/1.1, connections kept alive, redirects not followed).
 *
 * <p><b>Format.</b> Only records written as {@link AuditFormat#FHIR_AUDITEVENT_JSON} can go there: the spool (the
 * trail's, or the Kafka topic a forwarder reads) must be written in that format ({@code format=FHIR_AUDITEVENT_JSON}).
 * Any other record is refused with a {@link RecordRejectedException}: the trail skips it with an alarm.
 *
 * <p><b>Requests.</b> {@link FhirRepositoryOptions.Method#POST} (default) sends {@code POST [base]/AuditEvent} with the
 * payload as it is; a record sent again after a failure is then stored twice (the server assigns IDs), detectable
 * by its content only. {@link FhirRepositoryOptions.Method#PUT} sends {@code PUT [base]/AuditEvent/<record id>} with
 * {@code "id":"<record id>"} put into the resource (replacing an {@code id} it holds): a replay replaces the stored
 * resource, so the repository holds each record exactly once. Headers: {@code Content-Type} and {@code Accept}
 * {@code application/fhir+json}, {@code Prefer: return=minimal}, and {@code Authorization: Bearer} with the
 * {@code bearerToken} if set.
 *
 * <p><b>Responses.</b> 2xx: delivered ({@link #send} waits for each response, so {@link #confirmed()} is the last
 * sequence sent). 401, 403, 404, 405, 408, 429, 3xx, 5xx, I/O errors and timeouts: an {@link IOException}, the
 * trail waits and sends again from the first record not confirmed (a wrong token, a wrong base URL or a server that is
 * down loses nothing: 404 and 405 say the address is wrong, not the record). Any other 4xx (400, 409, 412, 413, 422,
 * ...): the server refuses that record's content for good, a {@link RecordRejectedException} for it (the records
 * before it in the batch are delivered, those after it are not sent). Messages name the status and, when it is short, the diagnostics of the server's OperationOutcome with every quoted part left out (validators quote the values they refuse); never
 * the payload, never the token.
 *
 * <p><b>TLS</b> (for an {@code https} base URL): with {@code tls} settings, an {@link SSLContext} whose engines come
 * from {@link TlsContextFactory#newClientEngine} (the profile's protocol versions and suites, the PEM or PKCS12 trust
 * and optional client key, reloaded when the files change); without, the JDK's default context.
 *
 * <p>Driven by one delivery thread; {@link #confirmed()} may be called from any thread.
 */
public final class FhirRepositorySink implements AuditSink {

    private static final System.Logger LOG = System.getLogger(FhirRepositorySink.class.getName());
    private static final String FHIR_JSON = AuditFormat.FHIR_AUDITEVENT_JSON.mediaType();
    /** The FHIR id datatype. */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    /** The most of an error response body read. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** The most of the server's diagnostics put into a message. */
    private static final int MAX_DIAGNOSTICS = 300;

    private final FhirRepositoryOptions options;
    private final HttpClient client;
    private final URI postUrl;
    private volatile long confirmed;
    private volatile boolean closed;

    /**
     * A sink on {@code options}. The records it is given must be {@link AuditFormat#FHIR_AUDITEVENT_JSON} (write the
     * spool in that format); others are refused one by one.
     *
     * @throws IllegalArgumentException the TLS settings cannot be used (named)
     */
    public FhirRepositorySink(FhirRepositoryOptions options) {
        this.options = options;
        this.postUrl = options.auditEventUrl();
        TlsContextFactory tls = null;
        if (options.tls() != null) {
            if (!options.tls().profile().isTls()) {
                throw new IllegalArgumentException("baseUrl " + options.baseUrl() + " is https but tlsProfile is NONE");
            }
            try {
                tls = HttpClientTls.factory(options.tls()); // engine AUTO means JDK: the client runs on JSSE
            } catch (TlsConfigurationException e) {
                throw new IllegalArgumentException("FHIR sink TLS settings: " + e.getMessage(), e);
            }
        }
        this.client = HttpClientTls.newClient(options.connectTimeout(), tls);
    }

    /** A sink on {@code options}; see {@link #FhirRepositorySink(FhirRepositoryOptions)}. */
    public static FhirRepositorySink of(FhirRepositoryOptions options) {
        return new FhirRepositorySink(options);
    }

    public FhirRepositoryOptions options() {
        return options;
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public void send(List<SpooledRecord> batch) throws IOException {
        if (closed) {
            throw new IOException("FHIR sink " + name() + " is closed");
        }
        for (SpooledRecord r : batch) {
            send(r);
            confirmed = r.sequence();
        }
    }

    private void send(SpooledRecord r) throws IOException {
        AuditRecord a = r.record();
        if (a.format() != AuditFormat.FHIR_AUDITEVENT_JSON) {
            throw new RecordRejectedException(r.sequence(), "audit record " + a.id() + " (sequence " + r.sequence()
                    + ") is written as " + a.format() + ": a FHIR audit record repository takes only "
                    + AuditFormat.FHIR_AUDITEVENT_JSON + " (write the spool in that format)");
        }
        HttpRequest request = request(r);
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, this::body);
        } catch (HttpConnectTimeoutException e) {
            throw new IOException("cannot connect to the FHIR server " + options.baseUrl() + " within "
                    + options.connectTimeout().toMillis() + " ms (connectTimeout)", e);
        } catch (HttpTimeoutException e) {
            throw new IOException("the FHIR server " + options.baseUrl() + " did not answer " + request.method()
                    + " AuditEvent within " + options.requestTimeout().toMillis() + " ms (requestTimeout)", e);
        } catch (ConnectException e) {
            throw new IOException("cannot connect to the FHIR server " + options.baseUrl() + ": "
                    + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException x = new InterruptedIOException("interrupted while sending to the FHIR server "
                    + options.baseUrl());
            x.initCause(e);
            throw x;
        } catch (IOException e) {
            throw new IOException(request.method() + " AuditEvent to the FHIR server " + options.baseUrl()
                    + " failed: " + describe(e), e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String what = "the FHIR server " + options.baseUrl() + " answered " + status + " to " + request.method()
                + " AuditEvent for audit record " + a.id() + " (sequence " + r.sequence() + ")";
        String diagnostics = diagnostics(response.body());
        String detail = diagnostics == null ? "" : ": " + diagnostics;
        if (isPermanentRefusal(status)) {
            throw new RecordRejectedException(r.sequence(), what + ", it refuses the record" + detail);
        }
        String hint = switch (status) {
            case 401, 403 -> " (check bearerToken and the server's access rules)";
            case 408, 429 -> " (the server is busy)";
            default -> status >= 300 && status < 400
                    ? " (redirects are not followed: set baseUrl to the server's address)" : "";
        };
        throw new IOException(what + hint + detail);
    }

    /** Whether {@code status} refuses a record for good: a 4xx but 401, 403, 404, 405, 408 and 429. */
    static boolean isPermanentRefusal(int status) {
        return status >= 400 && status < 500 && status != 401 && status != 403 && status != 404 && status != 405
                && status != 408 && status != 429;
    }

    HttpRequest request(SpooledRecord r) throws RecordRejectedException {
        AuditRecord a = r.record();
        HttpRequest.Builder b = HttpRequest.newBuilder()
                .timeout(options.requestTimeout())
                .header("Content-Type", FHIR_JSON)
                .header("Accept", FHIR_JSON)
                .header("Prefer", "return=minimal");
        if (options.bearerToken() != null) {
            b.header("Authorization", "Bearer " + options.bearerToken());
        }
        if (options.method() == FhirRepositoryOptions.Method.PUT) {
            if (!isFhirId(a.id())) {
                throw new RecordRejectedException(r.sequence(), "audit record (sequence " + r.sequence()
                        + ") has an ID that is not a FHIR resource id ([A-Za-z0-9-.]{1,64}), it cannot be PUT");
            }
            byte[] body = withId(a.payload(), a.id());
            if (body == null) {
                throw new RecordRejectedException(r.sequence(), "audit record " + a.id() + " (sequence "
                        + r.sequence() + ") is not a JSON object: it is no FHIR AuditEvent");
            }
            return b.uri(options.auditEventUrl(a.id())).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        }
        return b.uri(postUrl).POST(HttpRequest.BodyPublishers.ofByteArray(a.payload())).build();
    }

    static boolean isFhirId(String id) {
        return id != null && FHIR_ID.matcher(id).matches();
    }

    /**
     * {@code json} with its top-level {@code "id"} set to {@code id} (replaced, or inserted as the first member);
     * {@code null} when {@code json} does not start with '{'. {@code id} must be a FHIR id (nothing to escape).
     */
    static byte[] withId(byte[] json, String id) {
        int start = 0;
        while (start < json.length && isWhitespace(json[start])) {
            start++;
        }
        if (start >= json.length || json[start] != '{') {
            return null;
        }
        byte[] value = ("\"" + id + "\"").getBytes(StandardCharsets.US_ASCII);
        int[] span = topLevelIdValue(json, start);
        if (span != null) {
            byte[] out = new byte[json.length - (span[1] - span[0]) + value.length];
            System.arraycopy(json, 0, out, 0, span[0]);
            System.arraycopy(value, 0, out, span[0], value.length);
            System.arraycopy(json, span[1], out, span[0] + value.length, json.length - span[1]);
            return out;
        }
        int i = start + 1;
        while (i < json.length && isWhitespace(json[i])) {
            i++;
        }
        boolean empty = i < json.length && json[i] == '}';
        byte[] member = ("\"id\":" + new String(value, StandardCharsets.US_ASCII) + (empty ? "" : ","))
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[json.length + member.length];
        System.arraycopy(json, 0, out, 0, start + 1);
        System.arraycopy(member, 0, out, start + 1, member.length);
        System.arraycopy(json, start + 1, out, start + 1 + member.length, json.length - start - 1);
        return out;
    }

    /**
     * The [start, end) of the value of the top-level member "id" of the object at {@code open}, or {@code null} if
     * there is none (or the JSON ends early: the server will refuse it anyway).
     */
    private static int[] topLevelIdValue(byte[] j, int open) {
        int depth = 0;
        boolean expectKey = false;
        int i = open;
        while (i < j.length) {
            byte c = j[i];
            if (c == '"') {
                int end = endOfString(j, i);
                if (end < 0) {
                    return null;
                }
                if (depth == 1 && expectKey) {
                    boolean isId = end - i == 4 && j[i + 1] == 'i' && j[i + 2] == 'd';
                    int k = end;
                    while (k < j.length && isWhitespace(j[k])) {
                        k++;
                    }
                    if (k >= j.length || j[k] != ':') {
                        return null;
                    }
                    k++;
                    while (k < j.length && isWhitespace(j[k])) {
                        k++;
                    }
                    if (isId) {
                        int vEnd = endOfValue(j, k);
                        return vEnd < 0 ? null : new int[] {k, vEnd};
                    }
                    expectKey = false;
                    i = k;
                    continue;
                }
                i = end;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
                expectKey = c == '{' && depth == 1;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return null;
                }
            } else if (c == ',' && depth == 1) {
                expectKey = true;
            }
            i++;
        }
        return null;
    }

    /** The index after the closing quote of the string opening at {@code q}, or -1. */
    private static int endOfString(byte[] j, int q) {
        for (int i = q + 1; i < j.length; i++) {
            if (j[i] == '\\') {
                i++;
            } else if (j[i] == '"') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The index after the JSON value starting at {@code k}, or -1. */
    private static int endOfValue(byte[] j, int k) {
        if (k >= j.length) {
            return -1;
        }
        if (j[k] == '"') {
            return endOfString(j, k);
        }
        int depth = 0;
        for (int i = k; i < j.length; i++) {
            byte c = j[i];
            if (c == '"') {
                int e = endOfString(j, i);
                if (e < 0) {
                    return -1;
                }
                i = e - 1;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (depth == 0 && (c == ',' || isWhitespace(c))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** 2xx: the body is discarded; otherwise up to {@link #MAX_ERROR_BODY} bytes of it are kept. */
    private HttpResponse.BodySubscriber<byte[]> body(HttpResponse.ResponseInfo info) {
        if (info.statusCode() >= 200 && info.statusCode() < 300) {
            return HttpResponse.BodySubscribers.replacing(new byte[0]);
        }
        return new LimitedBody(MAX_ERROR_BODY);
    }

    /**
     * The diagnostics of the OperationOutcome in {@code body} (the texts of its issues' {@code diagnostics}, or of
     * their {@code details.text}), printable characters only, when short enough; {@code null} otherwise.
     */
    static String diagnostics(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        String s = new String(body, StandardCharsets.UTF_8);
        if (!s.contains("\"OperationOutcome\"")) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String key : new String[] {"\"diagnostics\"", "\"text\""}) {
            int from = 0;
            int at;
            while ((at = s.indexOf(key, from)) >= 0) {
                from = at + key.length();
                int k = from;
                while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
                    k++;
                }
                if (k >= s.length() || s.charAt(k) != ':') {
                    continue;
                }
                k++;
                while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
                    k++;
                }
                if (k >= s.length() || s.charAt(k) != '"') {
                    continue;
                }
                String text = unescape(s, k);
                if (text == null) {
                    break;
                }
                if (!text.isBlank()) {
                    if (out.length() > 0) {
                        out.append("; ");
                    }
                    out.append(text.strip());
                }
            }
            if (out.length() > 0) {
                break;
            }
        }
        if (out.length() == 0) {
            return null;
        }
        // a validator quotes the values it objects to ("Unknown code 'X'", "value \"Y\""): they may be patient
        // data, and the message goes to logs and alarms, so every quoted part is left out
        String text = QUOTED.matcher(out).replaceAll("'...'");
        if (text.length() > MAX_DIAGNOSTICS) {
            return text.substring(0, MAX_DIAGNOSTICS) + "...";
        }
        return text;
    }

    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile(
            "'[^']*'|\"[^\"]*\"|\u2018[^\u2019]*\u2019|\u201C[^\u201D]*\u201D");

    /** The JSON string opening at {@code q}, control characters turned to spaces; {@code null} if unterminated. */
    private static String unescape(String s, int q) {
        StringBuilder sb = new StringBuilder();
        for (int i = q + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                switch (e) {
                    case 'n', 'r', 't', 'b', 'f' -> sb.append(' ');
                    case 'u' -> {
                        if (i + 4 < s.length()) {
                            try {
                                char u = (char) Integer.parseInt(s.substring(i + 1, i + 5), 16);
                                sb.append(Character.isISOControl(u) ? ' ' : u);
                            } catch (NumberFormatException x) {
                                sb.append('?');
                            }
                            i += 4;
                        }
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return null;
    }

    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable x = t; x != null && sb.length() < 600; x = x.getCause()) {
            String m = x.getMessage() != null ? x.getMessage() : x.getClass().getSimpleName();
            if (sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(m);
            }
            if (x.getCause() == x) {
                break;
            }
        }
        return sb.toString();
    }

    @Override
    public long confirmed() {
        return confirmed;
    }

    @Override
    public void close() {
        closed = true;
        // HttpClient is AutoCloseable from Java 21 on; before, its threads end when it is no longer referenced
        if (client instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the HTTP client of FHIR sink " + name() + ": " + e);
            }
        }
    }

    @Override
    public String toString() {
        return "FhirRepositorySink[" + options + "]";
    }

    /** Keeps at most {@code limit} bytes of a body, reading (and dropping) the rest. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final byte[] buffer;
        private int size;

        LimitedBody(int limit) {
            this.buffer = new byte[limit];
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                int n = Math.min(b.remaining(), buffer.length - size);
                b.get(buffer, size, n);
                size += n;
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(java.util.Arrays.copyOf(buffer, size));
        }
    }
}
