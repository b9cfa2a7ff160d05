package org.cameldicomsecure.web.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.UidSyntax;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.cameldicomsecure.dicom.io.TempFiles;
import org.cameldicomsecure.tls.HttpClientTls;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.web.DicomWebException;
import org.cameldicomsecure.web.InstanceSource;
import org.cameldicomsecure.web.QidoLevel;
import org.cameldicomsecure.web.StowResponse;
import org.cameldicomsecure.web.json.DicomJsonReader;
import org.cameldicomsecure.web.multipart.MultipartFormatException;
import org.cameldicomsecure.web.multipart.MultipartRelatedReader;
import org.cameldicomsecure.web.multipart.MultipartRelatedWriter;

/**
 * A DICOMweb user agent (PS3.18) for one origin server: STOW-RS, WADO-RS and QIDO-RS on the JDK's
 * {@link HttpClient} (HTTP/1.1, connections kept alive, redirects not followed), TLS from a
 * {@link TlsContextFactory} (the PS3.15 profile, trust, optional client key and host name verification as its
 * settings say, see {@link HttpClientTls}), OAuth 2.0 bearer tokens from a {@link TokenSource}.
 *
 * <p><b>STOW-RS</b> ({@link #stow}, PS3.18 §10.5): one {@code POST {base}/studies[/{study}]} with
 * {@code Content-Type: multipart/related; type="application/dicom"; boundary=...}, one {@code application/dicom}
 * part per instance, {@code Accept: application/dicom+json}. The body is streamed: a writer thread copies the
 * instances one after the other into 64 KiB chunks that the HTTP client takes as it asks for them (back-pressure:
 * a chunk or two in memory, never an instance). When every instance's length is known the request has a
 * {@code Content-Length}, else it is chunked. The response of 200, 202 and 409 is parsed into a
 * {@link StowResponse} (the per-instance outcome: 409 is returned, not thrown, since some instances may be stored);
 * any other status is a {@link DicomWebException}.
 *
 * <p><b>WADO-RS</b> ({@link #wado}, PS3.18 §10.4): {@code GET {base}/studies/{study}[/series/{series}[/instances/
 * {instance}]]} with {@code Accept: multipart/related; type="application/dicom"; transfer-syntax=*} (the wildcard:
 * the instances as the server stores them, {@link Builder#wadoTransferSyntax}). The response is read part by part
 * from the network; each part is written to a temporary file and returned as a {@link RetrievedInstance} that the
 * caller closes (which deletes the file) or moves away. A failure part way deletes what was written: there is no
 * partial result. 204 (nothing there) is an empty list; <b>404 is a {@link DicomWebException}</b> with
 * {@code httpStatus() == 404} (a wrong study UID and a wrong base URL look the same, so it is not silently empty).
 * {@link #wadoDicomFiles} parses the parts instead, large values kept on disk.
 *
 * <p><b>QIDO-RS</b> ({@link #qido}, PS3.18 §10.6): {@code GET {base}/studies}, {@code {base}/series},
 * {@code {base}/instances} or the study- and series-scoped paths, with the query parameters URL-encoded,
 * {@code Accept: application/dicom+json}; 204 and an empty array give an empty list.
 *
 * <p><b>Tokens.</b> Each request carries {@code Authorization: Bearer <token>} from the {@link TokenSource}. On a 401
 * the token is {@link TokenSource#invalidate invalidated} and the request sent once more with a new one, when the
 * source can give another ({@link TokenSource#refreshable()}); every request of this client can be replayed (STOW
 * reopens its {@link InstanceSource}s).
 *
 * <p><b>Errors</b> are {@link DicomWebException}s naming the operation, the URL, the status and its reason, the
 * server's {@code WWW-Authenticate} error for 401/403 and a short first line of a plain-text error body with quoted
 * parts left out; never a token, a secret or a body of DICOM data.
 *
 * <p>Thread-safe; one client may run many requests at once. {@link #close()} ends its threads.
 */
public final class DicomWebClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DicomWebClient.class.getName());

    static final String DICOM = "application/dicom";
    static final String DICOM_JSON = "application/dicom+json";
    private static final int BODY_CHUNK = 64 * 1024;
    private static final int MAX_ERROR_BODY = 8 * 1024;
    private static final int MAX_DETAIL = 200;
    private static final Pattern QUOTED = Pattern.compile(
            "'[^']*'|\"[^\"]*\"|\u2018[^\u2019]*\u2019|\u201C[^\u201D]*\u201D");
    private static final Pattern AUTH_PARAM = Pattern.compile(
            "(error|error_description|scope)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s,]+))");

    private final URI base;
    private final HttpClient http;
    private final TokenSource tokens;
    private final Duration requestTimeout;
    private final Path tempDirectory;
    private final String wadoTransferSyntax;
    private final long maxJsonResponseBytes;
    private final ExecutorService bodyWriters;

    private DicomWebClient(Builder b) {
        this.base = b.base;
        this.tokens = b.tokens;
        this.requestTimeout = b.requestTimeout;
        this.tempDirectory = b.tempDirectory;
        this.wadoTransferSyntax = b.wadoTransferSyntax;
        this.maxJsonResponseBytes = b.maxJsonResponseBytes;
        this.http = HttpClientTls.newClient(b.connectTimeout, b.tls);
        AtomicInteger n = new AtomicInteger();
        this.bodyWriters = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dicomweb-stow-body-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A builder for the origin server at {@code baseUri} (the DICOMweb service root, e.g.
     * {@code https://pacs.example.org/dicom-web}).
     */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /** The service root, without a trailing slash. */
    public URI baseUri() {
        return base;
    }

    // ---------------------------------------------------------------------------------------------- STOW-RS

    /**
     * Stores {@code instances} with one STOW-RS request to {@code {base}/studies}, or to
     * {@code {base}/studies/{studyInstanceUid}} when it is not null (then the server refuses instances of other
     * studies).
     *
     * @return the server's per-instance outcome (also for 409: some or all failed)
     * @throws DicomWebException any other status (named), an unreadable response, or an instance that could not be
     *                           read (named by its position, 1 = first)
     */
    public StowResponse stow(List<InstanceSource> instances, String studyInstanceUid) throws IOException {
        Objects.requireNonNull(instances, "instances");
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("STOW-RS needs at least one instance");
        }
        for (InstanceSource s : instances) {
            Objects.requireNonNull(s, "instance");
        }
        URI uri = studyInstanceUid == null ? resolve("studies")
                : resolve("studies/" + uid(studyInstanceUid, "study"));
        String boundary = MultipartRelatedWriter.newBoundary();
        long contentLength = contentLength(instances, boundary);
        AtomicReference<IOException> sourceFailure = new AtomicReference<>();
        StreamingBodyPublisher publisher = new StreamingBodyPublisher(contentLength, BODY_CHUNK, bodyWriters,
                out -> writeBody(out, instances, boundary, sourceFailure));
        Supplier<HttpRequest.Builder> request = () -> HttpRequest.newBuilder(uri)
                .header("Content-Type", MultipartRelatedWriter.contentType(DICOM, boundary))
                .header("Accept", DICOM_JSON)
                .POST(publisher);
        String what = "STOW-RS of " + instances.size() + " instance" + (instances.size() == 1 ? "" : "s")
                + " to " + uri;
        HttpResponse<InputStream> response;
        try {
            response = send(what, request, publisher::abort);
        } catch (IOException e) {
            IOException cause = sourceFailure.get();
            if (cause != null) {
                throw new DicomWebException(what + " failed: " + cause.getMessage(), cause);
            }
            throw e;
        } finally {
            publisher.abort(); // ends a writer that is still running (the server answered early)
        }
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            if (status != 200 && status != 202 && status != 409) {
                throw statusError(what, response, in);
            }
            String mediaType = mediaType(response);
            if (mediaType == null) {
                throw new DicomWebException(status, what + ": the server answered " + status
                        + " without a Content-Type (a STOW-RS response body was expected)");
            }
            try {
                return StowResponse.parse(mediaType, limited(in, what));
            } catch (DicomWebException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new DicomWebException(status, what + ": the server answered " + status
                        + " with an unreadable " + mediaType + " STOW-RS response: " + describe(e), e);
            }
        }
    }

    private static void writeBody(OutputStream out, List<InstanceSource> instances, String boundary,
                                  AtomicReference<IOException> sourceFailure) throws IOException {
        MultipartRelatedWriter w = new MultipartRelatedWriter(out, boundary);
        int i = 0;
        for (InstanceSource s : instances) {
            i++;
            long announced = s.length();
            InputStream in;
            try {
                in = s.open();
            } catch (IOException | RuntimeException e) {
                throw sourceFailure(sourceFailure, "cannot open instance " + i + ": " + describe(e), e);
            }
            long n;
            try (in; OutputStream part = w.beginPart(DICOM, null)) {
                n = transfer(in, part, i, sourceFailure);
            }
            if (announced >= 0 && n != announced) {
                throw sourceFailure(sourceFailure, "instance " + i + " has " + n + " bytes, not the " + announced
                        + " its source announced (did the file change?)", null);
            }
        }
        w.finish();
    }

    /** Copies {@code in} to {@code out}; a read error is the instance's, a write error the request's. */
    private static long transfer(InputStream in, OutputStream out, int i, AtomicReference<IOException> failure)
            throws IOException {
        byte[] buf = new byte[BODY_CHUNK];
        long total = 0;
        while (true) {
            int r;
            try {
                r = in.read(buf);
            } catch (IOException e) {
                throw sourceFailure(failure, "cannot read instance " + i + ": " + describe(e), e);
            }
            if (r < 0) {
                return total;
            }
            out.write(buf, 0, r);
            total += r;
        }
    }

    private static IOException sourceFailure(AtomicReference<IOException> holder, String message, Throwable cause) {
        IOException e = new IOException(message, cause);
        holder.compareAndSet(null, e);
        return e;
    }

    /** The body's exact length when every instance's is known, else -1 (chunked). */
    private static long contentLength(List<InstanceSource> instances, String boundary) {
        long total = 0;
        for (InstanceSource s : instances) {
            long n = s.length();
            if (n < 0) {
                return -1;
            }
            total += n;
        }
        Counter c = new Counter();
        try {
            MultipartRelatedWriter w = new MultipartRelatedWriter(c, boundary);
            for (int i = 0; i < instances.size(); i++) {
                w.beginPart(DICOM, null).close();
            }
            w.finish();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a counter does not fail
        }
        return total + c.count;
    }

    private static final class Counter extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    // ---------------------------------------------------------------------------------------------- WADO-RS

    /**
     * Retrieves a study, a series of it (when {@code seriesInstanceUid} is set) or one instance (when both are set)
     * with WADO-RS, each instance into a temporary file. Close the returned instances (or {@link #closeAll}) when
     * done: that deletes their files.
     *
     * @return the instances in the order of the response; empty for 204
     * @throws DicomWebException 404 (nothing there, {@code httpStatus() == 404}), any other error status, a response
     *                           that is not multipart/related of application/dicom parts, a truncated body; nothing
     *                           is left on disk then
     */
    public List<RetrievedInstance> wado(String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid)
            throws IOException {
        URI uri = wadoUri(studyInstanceUid, seriesInstanceUid, sopInstanceUid);
        String what = "WADO-RS of " + uri;
        List<RetrievedInstance> out = new ArrayList<>();
        boolean ok = false;
        try {
            retrieve(uri, what, (part, n) -> out.add(spill(part, n, what)));
            ok = true;
            return out;
        } finally {
            if (!ok) {
                closeAll(out);
            }
        }
    }

    /**
     * Like {@link #wado}, but each part is parsed as it arrives, with {@code options} (values longer than its
     * {@code bulkDataThreshold} go to a spill file deleted when the returned object is no longer reachable; nothing
     * else stays on disk).
     *
     * @throws DicomWebException as {@link #wado}, or a part that is not a DICOM file (named by its number)
     */
    public List<DicomFile> wadoDicomFiles(String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
                                          DicomReaderOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        URI uri = wadoUri(studyInstanceUid, seriesInstanceUid, sopInstanceUid);
        String what = "WADO-RS of " + uri;
        DicomReader reader = new DicomReader(tempDirectory == null || options.spillDirectory() != null ? options
                : options.withSpillDirectory(tempDirectory));
        List<DicomFile> out = new ArrayList<>();
        retrieve(uri, what, (part, n) -> {
            try {
                out.add(reader.read(part.body()));
            } catch (MultipartFormatException e) {
                throw new DicomWebException(what + ": the response is not a valid multipart body: "
                        + e.getMessage(), e);
            } catch (IOException e) {
                throw new DicomWebException(what + ": part " + n + " is not a readable DICOM file: "
                        + e.getMessage(), e);
            }
        });
        return out;
    }

    /** Closes every instance (deleting its file); for try/finally blocks. */
    public static void closeAll(List<RetrievedInstance> instances) {
        if (instances != null) {
            for (RetrievedInstance r : instances) {
                r.close();
            }
        }
    }

    private URI wadoUri(String study, String series, String instance) {
        Objects.requireNonNull(study, "studyInstanceUid");
        if (instance != null && series == null) {
            throw new IllegalArgumentException("a WADO-RS instance is addressed within its series: set "
                    + "seriesInstanceUid too");
        }
        StringBuilder p = new StringBuilder("studies/").append(uid(study, "study"));
        if (series != null) {
            p.append("/series/").append(uid(series, "series"));
        }
        if (instance != null) {
            p.append("/instances/").append(uid(instance, "SOP instance"));
        }
        return resolve(p.toString());
    }

    private interface PartHandler {
        void accept(MultipartRelatedReader.Part part, int number) throws IOException;
    }

    private void retrieve(URI uri, String what, PartHandler handler) throws IOException {
        String accept = "multipart/related; type=\"" + DICOM + "\""
                + (wadoTransferSyntax == null ? "" : "; transfer-syntax=" + wadoTransferSyntax);
        HttpResponse<InputStream> response = send(what, () -> HttpRequest.newBuilder(uri).header("Accept", accept)
                .GET());
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            if (status == 204) {
                return;
            }
            if (status != 200) {
                throw statusError(what, response, in);
            }
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            if (contentType == null) {
                throw new DicomWebException(status, what + ": the response has no Content-Type (multipart/related "
                        + "was expected)");
            }
            MultipartRelatedReader reader;
            try {
                reader = MultipartRelatedReader.open(in, contentType);
            } catch (MultipartFormatException e) {
                throw new DicomWebException(status, what + ": the response is not multipart/related: "
                        + e.getMessage(), e);
            }
            try (reader) {
                String type = reader.type();
                if (type != null && !type.toLowerCase(Locale.ROOT).strip().equals(DICOM)) {
                    throw new DicomWebException(status, what + ": the response is multipart/related of type '"
                            + printable(type) + "', not " + DICOM);
                }
                MultipartRelatedReader.Part part;
                int n = 0;
                while (true) {
                    try {
                        part = reader.next();
                    } catch (MultipartFormatException e) {
                        throw new DicomWebException(status, what + ": the multipart response is broken after part "
                                + n + ": " + e.getMessage(), e);
                    }
                    if (part == null) {
                        break;
                    }
                    n++;
                    String mt = part.mediaType();
                    if (!DICOM.equals(mt)) {
                        throw new DicomWebException(status, what + ": part " + n + " is "
                                + (mt == null ? "without Content-Type" : "'" + printable(mt) + "'") + ", not "
                                + DICOM);
                    }
                    handler.accept(part, n);
                }
            }
        } catch (IOException e) {
            throw e instanceof DicomWebException ? e : new DicomWebException(what + " failed while reading the "
                    + "response: " + describe(e), e);
        }
    }

    /** Copies one part into a temporary file; checks it is a Part 10 file. */
    private RetrievedInstance spill(MultipartRelatedReader.Part part, int n, String what) throws IOException {
        Path file = tempDirectory == null ? Files.createTempFile("cds-wado-", ".dcm")
                : Files.createTempFile(tempDirectory, "cds-wado-", ".dcm");
        Runnable delete = TempFiles.register(file);
        try {
            long length;
            byte[] head = new byte[132];
            int headLength;
            try (OutputStream os = Files.newOutputStream(file); InputStream body = part.body()) {
                headLength = body.readNBytes(head, 0, head.length);
                os.write(head, 0, headLength);
                length = headLength + body.transferTo(os);
            } catch (MultipartFormatException e) {
                throw new DicomWebException(what + ": the multipart response is broken in part " + n + ": "
                        + e.getMessage(), e);
            }
            if (headLength < 132 || head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M') {
                throw new DicomWebException(what + ": part " + n + " (" + length + " bytes) is not a DICOM Part 10 "
                        + "file (no DICM prefix)");
            }
            return new RetrievedInstance(file, length, part.contentType(), part.contentTypeParameter(
                    "transfer-syntax"), n, delete);
        } catch (IOException | RuntimeException e) {
            delete.run();
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------------- QIDO-RS

    /**
     * Searches with QIDO-RS: {@code level} STUDY at {@code {base}/studies}; SERIES at {@code {base}/series} or,
     * with a study, {@code {base}/studies/{study}/series}; INSTANCE at {@code {base}/instances},
     * {@code {base}/studies/{study}/instances} or {@code {base}/studies/{study}/series/{series}/instances}.
     * {@code params} (may be null) are the query parameters as they go on the URL (PS3.18 §8.3.4, §10.6.1.2:
     * {@code PatientID}, {@code 0020000D}, {@code includefield}, {@code fuzzymatching}, {@code limit},
     * {@code offset}, ...), each value URL-encoded; a key with several values is repeated.
     *
     * @return the matches; empty for 204 or an empty array
     * @throws DicomWebException an error status (named) or a response that is not DICOM JSON
     */
    public List<Dataset> qido(QidoLevel level, String studyInstanceUid, String seriesInstanceUid,
                              Map<String, List<String>> params) throws IOException {
        Objects.requireNonNull(level, "level");
        StringBuilder p = new StringBuilder();
        if (seriesInstanceUid != null && studyInstanceUid == null) {
            throw new IllegalArgumentException("a QIDO-RS search within a series needs its study too");
        }
        if (studyInstanceUid != null) {
            if (level == QidoLevel.STUDY) {
                throw new IllegalArgumentException("studies are searched at {base}/studies only: match the study "
                        + "with the StudyInstanceUID parameter instead");
            }
            p.append("studies/").append(uid(studyInstanceUid, "study")).append('/');
            if (seriesInstanceUid != null) {
                if (level != QidoLevel.INSTANCE) {
                    throw new IllegalArgumentException("within a series only instances can be searched");
                }
                p.append("series/").append(uid(seriesInstanceUid, "series")).append('/');
            }
        }
        p.append(level.pathSegment());
        String query = query(params);
        URI uri = query.isEmpty() ? resolve(p.toString()) : URI.create(resolve(p.toString()) + "?" + query);
        String what = "QIDO-RS " + level.pathSegment() + " search at " + resolve(p.toString());
        HttpResponse<InputStream> response = send(what, () -> HttpRequest.newBuilder(uri)
                .header("Accept", DICOM_JSON).GET());
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            if (status == 204) {
                return List.of();
            }
            if (status != 200) {
                throw statusError(what, response, in);
            }
            String mt = mediaType(response);
            if (mt != null && !mt.equals(DICOM_JSON) && !mt.equals("application/json")) {
                throw new DicomWebException(status, what + ": the response is '" + printable(mt) + "', not "
                        + DICOM_JSON);
            }
            try {
                return new DicomJsonReader().readAll(limited(in, what));
            } catch (DicomWebException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new DicomWebException(status, what + ": the response is not valid DICOM JSON: "
                        + describe(e), e);
            }
        }
    }

    private static String query(Map<String, List<String>> params) {
        if (params == null || params.isEmpty()) {
            return "";
        }
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "query parameter name");
            if (key.isEmpty()) {
                throw new IllegalArgumentException("empty query parameter name");
            }
            List<String> values = e.getValue() == null || e.getValue().isEmpty() ? List.of("") : e.getValue();
            for (String v : values) {
                if (q.length() > 0) {
                    q.append('&');
                }
                q.append(encode(key)).append('=').append(encode(v == null ? "" : v));
            }
        }
        return q.toString();
    }

    /** RFC 3986 percent-encoding of a query component (a space is %20, not '+'). */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2A", "*")
                .replace("%7E", "~");
    }

    // ---------------------------------------------------------------------------------------------- HTTP

    /**
     * Sends the request with the current token; on a 401, when the token source can give another token, sends it
     * once more with a new one. The response's body is to be closed by the caller.
     */
    private HttpResponse<InputStream> send(String what, Supplier<HttpRequest.Builder> request) throws IOException {
        return send(what, request, null);
    }

    /** {@link #send(String, Supplier)}, running {@code beforeRetry} (if not null) before a request is sent again. */
    private HttpResponse<InputStream> send(String what, Supplier<HttpRequest.Builder> request, Runnable beforeRetry)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder b = request.get().timeout(requestTimeout);
            String token = null;
            if (tokens != null) {
                token = tokens.token();
                b.header("Authorization", "Bearer " + token);
            }
            HttpRequest r = b.build();
            HttpResponse<InputStream> response = exchange(what, r);
            if (response.statusCode() == 401 && token != null && attempt == 1 && tokens.refreshable()) {
                discard(response);
                tokens.invalidate(token);
                if (beforeRetry != null) {
                    beforeRetry.run();
                }
                LOG.log(System.Logger.Level.DEBUG, () -> what + ": 401, sending again with a new access token");
                continue;
            }
            return response;
        }
    }

    private HttpResponse<InputStream> exchange(String what, HttpRequest r) throws IOException {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new DicomWebException(what + ": cannot connect within the connect timeout", e);
        } catch (HttpTimeoutException e) {
            throw new DicomWebException(what + ": no response within " + requestTimeout.toMillis()
                    + " ms (requestTimeout)", e);
        } catch (ConnectException e) {
            throw new DicomWebException(what + ": cannot connect: " + describe(e), e);
        } catch (SSLException e) {
            throw new DicomWebException(what + ": TLS failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException x = new InterruptedIOException(what + ": interrupted");
            x.initCause(e);
            throw x;
        } catch (IOException e) {
            throw new DicomWebException(what + " failed: " + describe(e), e);
        }
    }

    private static void discard(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            // the connection is dropped instead of reused
        }
    }

    private static String mediaType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type")
                .map(v -> v.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty()).orElse(null);
    }

    private InputStream limited(InputStream in, String what) {
        long limit = maxJsonResponseBytes;
        return new FilterInputStream(in) {
            private long n;

            private void count(long k) throws IOException {
                n += k;
                if (n > limit) {
                    throw new DicomWebException(what + ": the response is larger than " + limit
                            + " bytes (maxResponseBytes)");
                }
            }

            @Override
            public int read() throws IOException {
                int c = super.read();
                if (c >= 0) {
                    count(1);
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int k = super.read(b, off, len);
                if (k > 0) {
                    count(k);
                }
                return k;
            }
        };
    }

    /** The error for a status the operation does not expect: status, reason, auth error, a short server text. */
    private static DicomWebException statusError(String what, HttpResponse<InputStream> response, InputStream in) {
        int status = response.statusCode();
        StringBuilder m = new StringBuilder(what).append(": the server answered ").append(status);
        String reason = reason(status);
        if (reason != null) {
            m.append(' ').append(reason);
        }
        if (status == 401 || status == 403) {
            String auth = response.headers().firstValue("WWW-Authenticate").orElse(null);
            String detail = auth == null ? null : authDetail(auth);
            if (detail != null) {
                m.append(" (").append(detail).append(')');
            }
        }
        if (status >= 300 && status < 400) {
            m.append(" (redirects are not followed: set the base URL to the server's address)");
        }
        String text = errorText(response, in);
        if (text != null) {
            m.append(": ").append(text);
        }
        return new DicomWebException(status, m.toString());
    }

    /** {@code error=..., error_description=..., scope=...} of a Bearer challenge (RFC 6750 §3). */
    static String authDetail(String challenge) {
        Matcher mt = AUTH_PARAM.matcher(challenge);
        List<String> parts = new ArrayList<>();
        while (mt.find()) {
            String v = mt.group(2) != null ? mt.group(2).replaceAll("\\\\(.)", "$1") : mt.group(3);
            v = printable(v);
            if (v.length() > MAX_DETAIL) {
                v = v.substring(0, MAX_DETAIL) + "...";
            }
            parts.add(mt.group(1) + " " + v);
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    /** The first line of a short text/plain (or problem) body, quoted parts left out; else null. */
    private static String errorText(HttpResponse<InputStream> response, InputStream in) {
        String mt = mediaType(response);
        byte[] body;
        try {
            body = in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return null;
        }
        if (mt == null || !mt.startsWith("text/plain") || body.length == 0) {
            return null;
        }
        String s = new String(body, StandardCharsets.UTF_8).strip();
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            s = s.substring(0, nl).strip();
        }
        s = printable(QUOTED.matcher(s).replaceAll("'...'"));
        if (s.isEmpty()) {
            return null;
        }
        return s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL) + "..." : s;
    }

    static String reason(int status) {
        return switch (status) {
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Payload Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> null;
        };
    }

    private URI resolve(String relative) {
        return URI.create(base + "/" + relative);
    }

    private static String uid(String uid, String what) {
        if (!UidSyntax.isValid(uid)) {
            throw new IllegalArgumentException("the " + what + " instance UID is not a UID (1-64 digits and dots)");
        }
        return uid;
    }

    static String printable(String s) {
        return Messages.printable(s);
    }

    static String describe(Throwable t) {
        return Messages.describe(t);
    }

    /** Ends the client's threads; requests under way fail. */
    @Override
    public void close() {
        bodyWriters.shutdownNow();
        // HttpClient is AutoCloseable from Java 21 on; before, its threads end when it is no longer referenced
        if (http instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the HTTP client of " + base + ": " + e);
            }
        }
    }

    @Override
    public String toString() {
        return "DicomWebClient[" + base + (tokens == null ? "" : ", " + tokens) + "]";
    }

    /** Builds a {@link DicomWebClient}. */
    public static final class Builder {
        private final URI base;
        private TlsContextFactory tls;
        private TokenSource tokens;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofMinutes(2);
        private Path tempDirectory;
        private String wadoTransferSyntax = "*";
        private long maxJsonResponseBytes = 64L << 20;

        private Builder(URI baseUri) {
            Objects.requireNonNull(baseUri, "baseUri");
            String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException("the DICOMweb base URL must be http or https, not " + baseUri);
            }
            if (baseUri.getHost() == null) {
                throw new IllegalArgumentException("the DICOMweb base URL has no host: " + baseUri);
            }
            if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
                throw new IllegalArgumentException("the DICOMweb base URL must not have a query or fragment");
            }
            if (baseUri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("the DICOMweb base URL must not carry user information");
            }
            String s = baseUri.toString();
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            this.base = URI.create(s);
        }

        /**
         * TLS for an https base URL; {@code null} = the JDK's default context. Create it with
         * {@link HttpClientTls#factory} (the HTTP client runs on JSSE engines, not OpenSSL).
         */
        public Builder tls(TlsContextFactory v) {
            tls = v;
            return this;
        }

        /** Where access tokens come from; {@code null} = no Authorization header. */
        public Builder tokens(TokenSource v) {
            tokens = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = positive(v, "connectTimeout");
            return this;
        }

        /**
         * How long a request may take until the response headers arrive (for STOW-RS that includes sending the
         * body); default 2 minutes.
         */
        public Builder requestTimeout(Duration v) {
            requestTimeout = positive(v, "requestTimeout");
            return this;
        }

        /** Where retrieved instances and spill files go; default the JVM's temporary directory. */
        public Builder tempDirectory(Path v) {
            tempDirectory = v;
            return this;
        }

        /**
         * The {@code transfer-syntax} parameter of WADO-RS requests: {@code "*"} (default: as stored), a transfer
         * syntax UID, or {@code null} to leave it out (then PS3.18 makes the server send Explicit VR Little Endian).
         */
        public Builder wadoTransferSyntax(String v) {
            if (v != null && !v.equals("*") && !UidSyntax.isValid(v)) {
                throw new IllegalArgumentException("wadoTransferSyntax must be * or a transfer syntax UID");
            }
            wadoTransferSyntax = v;
            return this;
        }

        /** The largest STOW-RS or QIDO-RS response read (default 64 MiB). */
        public Builder maxResponseBytes(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxResponseBytes must be positive");
            }
            maxJsonResponseBytes = v;
            return this;
        }

        private static Duration positive(Duration v, String name) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return v;
        }

        /**
         * @throws IllegalArgumentException TLS set for an http URL
         */
        public DicomWebClient build() {
            if (tls != null && !base.getScheme().equalsIgnoreCase("https")) {
                throw new IllegalArgumentException("tls is set but the base URL " + base + " is http");
            }
            return new DicomWebClient(this);
        }
    }
}
