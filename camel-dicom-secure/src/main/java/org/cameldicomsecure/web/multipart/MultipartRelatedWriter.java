package org.cameldicomsecure.web.multipart;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Streaming writer of a multipart/related body (RFC 2387, RFC 2046 5.1.1): each part is the dash-boundary line, its
 * header fields (Content-Type first), an empty line and the body, copied from a stream or written through
 * {@link #beginPart}; {@link #finish()} writes the close delimiter. Nothing is buffered beyond a copy buffer; the
 * target stream is neither flushed per part nor closed.
 *
 * <p>The boundary must not occur in any body: {@link #newBoundary()} makes one of 128 random bits, which a DICOM file
 * contains by chance with negligible probability.
 */
public final class MultipartRelatedWriter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OutputStream out;
    private final byte[] dashBoundary;
    private int parts;
    private PartStream open;
    private boolean finished;

    /** Writes to {@code out} with {@code boundary} (1 to 70 RFC 2046 bchars, not ending in a space). */
    public MultipartRelatedWriter(OutputStream out, String boundary) {
        this.out = Objects.requireNonNull(out, "out");
        Objects.requireNonNull(boundary, "boundary");
        if (boundary.isEmpty()) {
            throw new IllegalArgumentException("boundary is empty");
        }
        String bad = MultipartRelatedReader.checkBoundary(boundary);
        if (bad != null) {
            throw new IllegalArgumentException("invalid boundary: " + bad);
        }
        this.dashBoundary = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    }

    /** A fresh random boundary (the prefix {@code cds-} and 32 hex digits). */
    public static String newBoundary() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "cds-" + HexFormat.of().formatHex(b);
    }

    /**
     * The Content-Type of a body written with {@code boundary}: {@code multipart/related; type="<type>";
     * boundary=<boundary>} (the boundary quoted when it has characters outside an RFC 2045 token); {@code type} may be
     * null to leave it out.
     */
    public static String contentType(String type, String boundary) {
        StringBuilder sb = new StringBuilder("multipart/related");
        if (type != null) {
            checkHeaderValue("type", type);
            sb.append("; type=\"").append(type.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        String bad = MultipartRelatedReader.checkBoundary(Objects.requireNonNull(boundary, "boundary"));
        if (bad != null || boundary.isEmpty()) {
            throw new IllegalArgumentException("invalid boundary: " + (bad == null ? "empty" : bad));
        }
        sb.append("; boundary=");
        if (isToken(boundary)) {
            sb.append(boundary);
        } else {
            sb.append('"').append(boundary).append('"');
        }
        return sb.toString();
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** Writes one part whose body is the rest of {@code body} (not closed). */
    public void part(String contentType, Map<String, String> extraHeaders, InputStream body) throws IOException {
        Objects.requireNonNull(body, "body");
        try (OutputStream os = beginPart(contentType, extraHeaders)) {
            body.transferTo(os);
        }
    }

    /** Writes one part whose body is {@code body}. */
    public void part(String contentType, Map<String, String> extraHeaders, byte[] body) throws IOException {
        Objects.requireNonNull(body, "body");
        try (OutputStream os = beginPart(contentType, extraHeaders)) {
            os.write(body);
        }
    }

    /**
     * Writes the delimiter and the header section of a new part and returns the stream of its body; close it (or
     * begin the next part, or finish) to end the part. Closing it does not close the target stream.
     * {@code extraHeaders} (may be null) are written after Content-Type; names and values must not contain CR or LF.
     */
    public OutputStream beginPart(String contentType, Map<String, String> extraHeaders) throws IOException {
        if (finished) {
            throw new IllegalStateException("the multipart body is finished");
        }
        endOpenPart();
        StringBuilder head = new StringBuilder(128);
        if (contentType != null) {
            checkHeaderValue("Content-Type", contentType);
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (extraHeaders != null) {
            for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
                String name = Objects.requireNonNull(h.getKey(), "header name");
                checkHeaderName(name);
                if (name.equalsIgnoreCase("Content-Type") && contentType != null) {
                    throw new IllegalArgumentException("Content-Type given twice");
                }
                checkHeaderValue(name, Objects.requireNonNull(h.getValue(), "header value of " + name));
                head.append(name).append(": ").append(h.getValue()).append("\r\n");
            }
        }
        head.append("\r\n");
        if (parts > 0) {
            out.write(CRLF);
        }
        out.write(dashBoundary);
        out.write(CRLF);
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        parts++;
        open = new PartStream();
        return open;
    }

    /** Writes the close delimiter (after the last part) and flushes; the target stream stays open. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        endOpenPart();
        if (parts > 0) {
            out.write(CRLF);
        }
        out.write(dashBoundary);
        out.write(new byte[] {'-', '-', '\r', '\n'});
        out.flush();
        finished = true;
    }

    /** How many parts have been begun. */
    public int partCount() {
        return parts;
    }

    private void endOpenPart() {
        if (open != null) {
            open.closed = true;
            open = null;
        }
    }

    private static void checkHeaderName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == ':') {
                throw new IllegalArgumentException("invalid character in header name " + name.replaceAll(
                        "[^\\x21-\\x7e]", "?").toLowerCase(Locale.ROOT));
            }
        }
    }

    private static void checkHeaderValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("header " + name + " has a line break or NUL in its value");
            }
        }
    }

    private final class PartStream extends OutputStream {
        private boolean closed;

        private void check() throws IOException {
            if (closed) {
                throw new IOException("part " + parts + " is already ended");
            }
        }

        @Override
        public void write(int b) throws IOException {
            check();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check();
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() {
            if (open == this) {
                open = null;
            }
            closed = true;
        }
    }
}
