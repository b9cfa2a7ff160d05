package org.cameldicomsecure.mail.smime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the body parts of a multipart body (RFC 2046 §5.1.1) in one pass over its raw bytes, in big blocks: a
 * delimiter is a line that starts with "--" + boundary, followed by optional spaces or tabs and the line end (or by
 * "--" for the close delimiter); the line end before a delimiter belongs to the delimiter. Parts are given as byte
 * ranges of the raw body, so that they can be re-read as they were received (the exact bytes a detached signature
 * covers) without copying.
 */
final class MultipartScanner {

    /** A part: bytes [start, end) of the raw body, without the delimiters' line ends. */
    record Range(long start, long end) {
    }

    /** The parts, and whether the close delimiter was found. */
    record Result(List<Range> parts, boolean closed) {
    }

    private static final int BLOCK = 64 * 1024;

    private MultipartScanner() {
    }

    /** Scans {@code in} (the raw body) to its end or the close delimiter; bounded to {@code maxParts} parts. */
    static Result scan(InputStream in, String boundary, int maxParts) throws IOException {
        byte[] dash = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        int keep = dash.length + 4;
        byte[] buf = new byte[BLOCK + keep + 2];
        int len = 0; // valid bytes in buf
        long base = 0; // stream offset of buf[0]
        boolean eof = false;
        List<Range> parts = new ArrayList<>();
        long partStart = -1;
        boolean lineStart = true; // buf[pos] is at the start of a line
        int pos = 0;
        while (true) {
            // make sure that a possible delimiter at pos is entirely in the buffer
            if (!eof && len - pos < keep + 2) {
                // keep the two bytes before pos: the line end of a delimiter at pos
                int from = Math.max(0, pos - 2);
                System.arraycopy(buf, from, buf, 0, len - from);
                base += from;
                len -= from;
                pos -= from;
                while (len < buf.length) {
                    int n = in.read(buf, len, buf.length - len);
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    len += n;
                }
            }
            if (pos >= len) {
                return new Result(parts, false);
            }
            if (lineStart && startsWith(buf, pos, len, dash)) {
                int p = pos + dash.length;
                boolean close = p + 1 < len && buf[p] == '-' && buf[p + 1] == '-';
                int q = close ? p + 2 : p;
                while (q < len && (buf[q] == ' ' || buf[q] == '\t')) {
                    q++;
                }
                int lineEnd = -1;
                if (q < len && buf[q] == '\n') {
                    lineEnd = q + 1;
                } else if (q + 1 < len && buf[q] == '\r' && buf[q + 1] == '\n') {
                    lineEnd = q + 2;
                } else if (q >= len && eof) {
                    lineEnd = len;
                }
                if (lineEnd >= 0 || close) {
                    long at = base + pos;
                    if (partStart >= 0) {
                        // the line end before the delimiter belongs to it
                        long end = at;
                        if (end > partStart && byteBefore(buf, pos, 1) == '\n') {
                            end--;
                            if (end > partStart && byteBefore(buf, pos, 2) == '\r') {
                                end--;
                            }
                        }
                        parts.add(new Range(partStart, end));
                        if (parts.size() > maxParts) {
                            return new Result(parts, false);
                        }
                    }
                    if (close) {
                        return new Result(parts, true);
                    }
                    pos = lineEnd;
                    partStart = base + pos;
                    lineStart = true;
                    continue;
                }
            }
            // to the next line
            int nl = indexOf(buf, pos, len, (byte) '\n');
            if (nl < 0) {
                pos = len;
                lineStart = false;
            } else {
                pos = nl + 1;
                lineStart = true;
            }
        }
    }

    /** The byte {@code back} positions before {@code pos} (the two bytes before pos are kept in the buffer). */
    private static int byteBefore(byte[] buf, int pos, int back) {
        return pos - back >= 0 ? buf[pos - back] : -1;
    }

    private static boolean startsWith(byte[] buf, int pos, int len, byte[] prefix) {
        if (len - pos < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
