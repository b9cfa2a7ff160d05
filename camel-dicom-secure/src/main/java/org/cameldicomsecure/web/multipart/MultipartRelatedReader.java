package org.cameldicomsecure.web.multipart;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.io.MaxHeaderLengthLimitException;
import org.apache.james.mime4j.io.MaxHeaderLimitException;
import org.apache.james.mime4j.io.MaxLineLimitException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeParseEventException;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.stream.RecursionMode;
import org.cameldicomsecure.dicom.io.TrackingInputStream;

/**
 * Streaming reader of a multipart/related body (RFC 2387, RFC 2046 5.1): the MIME parsing is mime4j-core's
 * {@link MimeTokenStream} in headless mode (the HTTP message header carries the Content-Type). Parts are returned one
 * by one by {@link #next()}; a part's {@link Part#body() body} is a stream over the body bytes as they arrive, valid
 * until the next call to {@link #next()}, so no part is ever held in memory whatever its size.
 *
 * <p>Parts are not parsed recursively (a part of type multipart/* is returned as one body). A part must have at least
 * one header field (mime4j takes the empty line of a header-less part for a malformed header field; DICOMweb parts
 * always have a Content-Type). A body that ends before
 * the close delimiter is a {@link MultipartFormatException}: from the part body's {@code read} that reaches the end,
 * or from {@link #next()}. Header sections are limited ({@link #MAX_HEADER_FIELDS} fields of at most
 * {@link #MAX_HEADER_LENGTH} characters each). The reader does not close {@code body}.
 */
public final class MultipartRelatedReader implements AutoCloseable {

    /** Most header fields in one part's header section. */
    public static final int MAX_HEADER_FIELDS = 100;
    /** Longest header field (name, value and folding) in a part's header section, in characters. */
    public static final int MAX_HEADER_LENGTH = 16 * 1024;

    private final String mediaType;
    private final String boundary;
    private final Map<String, String> parameters;
    private final MimeTokenStream mime;

    /** The last exception of the underlying body stream itself: passed on as it is, never taken for a format error. */
    private TrackingInputStream transport;

    private Part current;
    private int partCount;
    /** A state already reached by advancing past a part's end, not yet handled by next(). */
    private EntityState pending;
    private boolean closeDelimiterSeen;
    private boolean done;
    private MultipartFormatException failure;

    private MultipartRelatedReader(InputStream body, String mediaType, String boundary, Map<String, String> params,
            String contentTypeHeader) {
        this.mediaType = mediaType;
        this.boundary = boundary;
        this.parameters = params;
        MimeConfig config = new MimeConfig.Builder()
                .setMaxLineLen(MAX_HEADER_LENGTH)
                .setMaxHeaderLen(MAX_HEADER_LENGTH)
                .setMaxHeaderCount(MAX_HEADER_FIELDS)
                .setMaxContentLen(-1)
                .setMalformedHeaderStartsBody(false)
                .build();
        this.mime = new MimeTokenStream(config, new FailingMonitor(), null);
        transport = new TrackingInputStream(body);
        mime.parseHeadless(transport, contentTypeHeader);
        // after the headless start the root is T_START_MULTIPART; the parts themselves are bodies, never parsed further
        mime.setRecursionMode(RecursionMode.M_FLAT);
    }

    /**
     * Starts reading {@code body} whose HTTP Content-Type is {@code contentTypeHeader}: it must be multipart/related
     * with a valid boundary parameter (RFC 2046: characters of the bchars set, not ending in a space; of 1 to 70
     * characters there, but up to 200 are accepted here: Orthanc 1.10.1 with its DICOMweb plugin 1.7 sends 73).
     */
    public static MultipartRelatedReader open(InputStream body, String contentTypeHeader)
            throws MultipartFormatException {
        Objects.requireNonNull(body, "body");
        if (contentTypeHeader == null || contentTypeHeader.isBlank()) {
            throw new MultipartFormatException("no Content-Type: a multipart/related body is expected");
        }
        RawBody parsed = RawFieldParser.DEFAULT.parseRawBody(new RawField("Content-Type", contentTypeHeader));
        String type = parsed.getValue() == null ? "" : parsed.getValue().trim().toLowerCase(Locale.ROOT);
        if (!type.equals("multipart/related")) {
            throw new MultipartFormatException("Content-Type is " + safe(type) + ", not multipart/related");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (NameValuePair p : parsed.getParams()) {
            if (p.getName() != null) {
                params.putIfAbsent(p.getName().trim().toLowerCase(Locale.ROOT), p.getValue());
            }
        }
        String boundary = params.get("boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new MultipartFormatException("Content-Type multipart/related has no boundary parameter");
        }
        String bad = checkBoundary(boundary);
        if (bad != null) {
            throw new MultipartFormatException("Content-Type multipart/related has an invalid boundary: " + bad);
        }
        return new MultipartRelatedReader(body, type, boundary, Collections.unmodifiableMap(params),
                contentTypeHeader);
    }

    /** Why {@code b} is not an RFC 2046 boundary, or null if it is one. */
    static String checkBoundary(String b) {
        // RFC 2046 allows at most 70, but Orthanc 1.10.1 / DICOMweb plugin 1.7 sends 73-character boundaries
        if (b.length() > 200) {
            return "longer than 200 characters";
        }
        if (b.endsWith(" ")) {
            return "ends with a space";
        }
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || "'()+_,-./:=? ".indexOf(c) >= 0;
            if (!ok) {
                return "character " + (c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'")
                        + " is not allowed";
            }
        }
        return null;
    }

    /** The media type of the body, lower-cased: {@code multipart/related}. */
    public String mediaType() {
        return mediaType;
    }

    /** The {@code type} parameter of the Content-Type (the root part's media type, RFC 2387), or null. */
    public String type() {
        return parameters.get("type");
    }

    /** The boundary. */
    public String boundary() {
        return boundary;
    }

    /** A Content-Type parameter by (case-insensitive) name, e.g. {@code start} or {@code transfer-syntax}, or null. */
    public String parameter(String name) {
        return parameters.get(name.toLowerCase(Locale.ROOT));
    }

    /** How many parts have been returned so far. */
    public int partCount() {
        return partCount;
    }

    /**
     * The next part, or null after the close delimiter (the epilogue is ignored). The previous part's body is
     * skipped if it was not read to its end, and is invalid from now on.
     *
     * @throws MultipartFormatException if the body is truncated, has no close delimiter or a malformed part header
     */
    public Part next() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (done) {
            return null;
        }
        if (current != null) {
            Part p = current;
            current = null;
            p.finish();
            if (failure != null) {
                throw failure;
            }
        }
        Map<String, List<String>> headers = null;
        while (true) {
            EntityState state = pending != null ? pending : advance();
            pending = null;
            switch (state) {
                case T_START_BODYPART:
                    headers = new LinkedHashMap<>();
                    break;
                case T_FIELD:
                    Field f = mime.getField();
                    if (headers != null) {
                        headers.computeIfAbsent(f.getName().trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                                .add(f.getBody() == null ? "" : f.getBody().trim());
                    }
                    break;
                case T_BODY:
                    if (headers == null) {
                        throw fail("multipart body structure not understood at part " + (partCount + 1), null);
                    }
                    partCount++;
                    current = new Part(partCount, headers, mime.getDecodedInputStream());
                    return current;
                case T_EPILOGUE:
                    closeDelimiterSeen = true;
                    break;
                case T_END_MULTIPART:
                    closeDelimiterSeen = true;
                    break;
                case T_END_OF_STREAM:
                    done = true;
                    if (!closeDelimiterSeen) {
                        throw fail("multipart body has no close delimiter", null);
                    }
                    return null;
                default:
                    break;
            }
        }
    }

    private EntityState advance() throws IOException {
        try {
            return mime.next();
        } catch (MimeParseEventException e) {
            throw fail(describe(e.getEvent().toString()), e);
        } catch (MaxHeaderLimitException e) {
            throw fail("part " + (partCount + 1) + " has more than " + MAX_HEADER_FIELDS + " header fields", e);
        } catch (MaxHeaderLengthLimitException | MaxLineLimitException e) {
            throw fail("part " + (partCount + 1) + " has a header line longer than " + MAX_HEADER_LENGTH
                    + " characters", e);
        } catch (MimeException e) {
            if (e.getCause() instanceof MaxLineLimitException) {
                throw fail("part " + (partCount + 1) + " has a header line longer than " + MAX_HEADER_LENGTH
                        + " characters", e);
            }
            throw fail("malformed multipart body near part " + (partCount + 1), e);
        } catch (MultipartFormatException e) {
            throw e;
        } catch (IOException e) {
            if (e == transport.failure()) {
                throw e; // the transport failed (connection reset, timeout, limit): passed on as it is
            }
            throw fail("malformed multipart body near part " + (partCount + 1), e);
        }
    }

    private String describe(String event) {
        String lower = event.toLowerCase(Locale.ROOT);
        if (lower.contains("body part ended prematurely")) {
            return partCount == 0 ? "multipart body ends before its first boundary delimiter (truncated or wrong boundary)"
                    : "multipart body ends before the close delimiter (part " + partCount
                            + " is truncated or the delimiter after it is not the close delimiter)";
        }
        if (lower.contains("unexpected end of headers")) {
            return "multipart body ends inside the header section of part " + (partCount + 1);
        }
        if (lower.contains("invalid header")) {
            return "part " + (partCount + 1) + " has a malformed header field";
        }
        if (lower.contains("obsolete header")) {
            return "part " + (partCount + 1) + " has a header field in obsolete syntax";
        }
        return "malformed multipart body at part " + (partCount + 1) + ": " + event;
    }

    private MultipartFormatException fail(String message, Throwable cause) {
        failure = new MultipartFormatException(message, cause);
        done = true;
        return failure;
    }

    /** Nothing to release beyond the parser state; the body stream belongs to the caller. */
    @Override
    public void close() {
        current = null;
        done = true;
    }

    private static String safe(String type) {
        if (type.isEmpty()) {
            return "empty";
        }
        String t = type.length() > 64 ? type.substring(0, 64) + "..." : type;
        return t.replaceAll("[^\\x21-\\x7e]", "?");
    }

    /** Turns every mime4j parse event (premature end, malformed header) into an exception instead of a warning. */
    private static final class FailingMonitor extends DecodeMonitor {
        @Override
        public boolean warn(String error, String dropDesc) {
            return true;
        }

        @Override
        public boolean isListening() {
            return true;
        }
    }

    /** One body part: its header fields and its body as a stream. */
    public final class Part {

        private final int number;
        private final Map<String, List<String>> headers;
        private final InputStream raw;
        private final PartStream body;
        private boolean ended;
        private boolean invalid;

        Part(int number, Map<String, List<String>> headers, InputStream raw) {
            this.number = number;
            this.headers = Collections.unmodifiableMap(headers);
            this.raw = raw;
            this.body = new PartStream();
        }

        /** The 1-based position of this part in the body. */
        public int number() {
            return number;
        }

        /** The part's Content-Type header value as sent, or null if it has none. */
        public String contentType() {
            return header("Content-Type");
        }

        /** The media type of {@link #contentType()} without parameters, lower-cased, or null if there is none. */
        public String mediaType() {
            String ct = contentType();
            if (ct == null) {
                return null;
            }
            String v = RawFieldParser.DEFAULT.parseRawBody(new RawField("Content-Type", ct)).getValue();
            return v == null || v.isBlank() ? null : v.trim().toLowerCase(Locale.ROOT);
        }

        /** A parameter of the part's Content-Type (e.g. {@code transfer-syntax}) by case-insensitive name, or null. */
        public String contentTypeParameter(String name) {
            String ct = contentType();
            if (ct == null) {
                return null;
            }
            for (NameValuePair p : RawFieldParser.DEFAULT.parseRawBody(new RawField("Content-Type", ct)).getParams()) {
                if (p.getName() != null && p.getName().trim().equalsIgnoreCase(name)) {
                    return p.getValue();
                }
            }
            return null;
        }

        /** The first value of the header field {@code name} (case-insensitive), or null. */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        /** All header fields, names lower-cased, in order of appearance. */
        public Map<String, List<String>> headers() {
            return headers;
        }

        /**
         * The part's body (transfer-decoded if it has a base64 or quoted-printable Content-Transfer-Encoding), streamed
         * from the underlying input. It ends at the part's delimiter; a read that reaches the end of a truncated body
         * throws {@link MultipartFormatException}. Closing it does not close the underlying input. Invalid after the
         * next call to {@link MultipartRelatedReader#next()}.
         */
        public InputStream body() {
            return body;
        }

        /** Skips the rest of the body and advances past the part's end. */
        void finish() throws IOException {
            if (!ended) {
                byte[] skip = new byte[8192];
                while (body.read(skip, 0, skip.length) >= 0) {
                    // skip
                }
            }
            invalid = true;
        }

        /** At the end of the part's bytes: advance the token stream to the next part or the end, detecting truncation. */
        private void reachedEnd() throws IOException {
            if (ended) {
                return;
            }
            ended = true;
            while (true) {
                EntityState s = advance();
                if (s == EntityState.T_START_BODYPART || s == EntityState.T_EPILOGUE
                        || s == EntityState.T_END_MULTIPART || s == EntityState.T_END_OF_STREAM) {
                    pending = s;
                    return;
                }
            }
        }

        @Override
        public String toString() {
            return "Part[" + number + ", " + mediaType() + "]";
        }

        private final class PartStream extends InputStream {

            private void check() throws IOException {
                if (invalid) {
                    throw new IOException("the body of part " + number + " is no longer readable: the reader moved on");
                }
                if (failure != null) {
                    throw failure;
                }
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                check();
                if (ended) {
                    return -1;
                }
                if (len == 0) {
                    return 0;
                }
                int n;
                try {
                    n = raw.read(b, off, len);
                } catch (MultipartFormatException e) {
                    throw e;
                } catch (IOException e) {
                    if (e == transport.failure()) {
                        throw e;
                    }
                    // mime4j's transfer decoding (base64, quoted-printable) or boundary scanning refused the content
                    throw fail("part " + number + " has malformed content for its Content-Transfer-Encoding", e);
                }
                if (n < 0) {
                    reachedEnd();
                    return -1;
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] buf = new byte[(int) Math.min(8192, Math.max(0, n))];
                long done = 0;
                while (done < n) {
                    int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                    if (r < 0) {
                        break;
                    }
                    done += r;
                }
                return done;
            }

            @Override
            public int available() throws IOException {
                return invalid || ended ? 0 : raw.available();
            }

            @Override
            public void close() {
                // the part ends at its delimiter; the reader skips what is left on next()
            }
        }
    }
}
