package org.cameldicomsecure.web.multipart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class MultipartRelatedReaderTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<byte[]> readAll(byte[] body, String contentType) throws IOException {
        List<byte[]> out = new ArrayList<>();
        MultipartRelatedReader r = MultipartRelatedReader.open(new ByteArrayInputStream(body), contentType);
        for (MultipartRelatedReader.Part p; (p = r.next()) != null; ) {
            out.add(p.body().readAllBytes());
        }
        assertNull(r.next(), "next() after the end stays null");
        return out;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void roundTripThroughTheWriter() throws IOException {
        byte[] a = random(100_000, 1);
        byte[] b = new byte[0];
        byte[] c = ascii("--not-the-boundary\r\n\r\n--cds-\r\n");
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        String boundary = MultipartRelatedWriter.newBoundary();
        MultipartRelatedWriter w = new MultipartRelatedWriter(bos, boundary);
        w.part("application/dicom", Map.of("Content-Location", "/studies/1"), new ByteArrayInputStream(a));
        w.part("application/dicom", null, b);
        try (OutputStream os = w.beginPart("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1", null)) {
            os.write(c, 0, 3);
            os.write(c, 3, c.length - 3);
        }
        w.finish();
        String ct = MultipartRelatedWriter.contentType("application/dicom", boundary);
        assertEquals("multipart/related; type=\"application/dicom\"; boundary=" + boundary, ct);

        MultipartRelatedReader r = MultipartRelatedReader.open(new ByteArrayInputStream(bos.toByteArray()), ct);
        assertEquals("application/dicom", r.type());
        assertEquals(boundary, r.boundary());
        MultipartRelatedReader.Part p1 = r.next();
        assertEquals(1, p1.number());
        assertEquals("application/dicom", p1.mediaType());
        assertEquals("/studies/1", p1.header("content-location"));
        assertArrayEquals(a, p1.body().readAllBytes());
        MultipartRelatedReader.Part p2 = r.next();
        assertArrayEquals(b, p2.body().readAllBytes());
        MultipartRelatedReader.Part p3 = r.next();
        assertEquals("application/octet-stream", p3.mediaType());
        assertEquals("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1", p3.contentType());
        assertEquals("1.2.840.10008.1.2.1", p3.contentTypeParameter("Transfer-Syntax"));
        assertArrayEquals(c, p3.body().readAllBytes());
        assertNull(r.next());
        assertEquals(3, r.partCount());
    }

    @Test
    void interopShapedBodyWithPreambleEpilogueQuotedBoundaryAndLoneLf() throws IOException {
        // as curl / dcm4che / Orthanc send it: quoted boundary, parameters in another order, preamble and epilogue
        String body = "preamble to ignore\r\n"
                + "--MIME_boundary 1\r\n"
                + "content-type: APPLICATION/DICOM\r\n"
                + "\r\n"
                + "first\r\n"
                + "--MIME_boundary 1\r\n"
                + "Content-Type: application/dicom\r\n"
                + "\r\n"
                + "second\n"
                + "--MIME_boundary 1--\r\n"
                + "epilogue";
        String ct = "Multipart/Related; boundary=\"MIME_boundary 1\"; type=\"application/dicom\"; start=\"<x>\"";
        MultipartRelatedReader r = MultipartRelatedReader.open(new ByteArrayInputStream(ascii(body)), ct);
        assertEquals("application/dicom", r.type());
        assertEquals("<x>", r.parameter("START"));
        MultipartRelatedReader.Part p = r.next();
        assertEquals("application/dicom", p.mediaType());
        assertEquals("APPLICATION/DICOM", p.contentType());
        assertEquals("first", new String(p.body().readAllBytes(), StandardCharsets.US_ASCII));
        assertEquals("second", new String(r.next().body().readAllBytes(), StandardCharsets.US_ASCII));
        assertNull(r.next());
    }

    @Test
    void skipsUnreadBodiesAndInvalidatesThem() throws IOException {
        byte[] big = random(300_000, 2);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        MultipartRelatedWriter w = new MultipartRelatedWriter(bos, "b");
        w.part("application/dicom", null, big);
        w.part("application/dicom", null, ascii("tail"));
        w.finish();
        MultipartRelatedReader r = MultipartRelatedReader.open(new ByteArrayInputStream(bos.toByteArray()),
                MultipartRelatedWriter.contentType("application/dicom", "b"));
        MultipartRelatedReader.Part p1 = r.next();
        InputStream s1 = p1.body();
        assertEquals(big[0] & 0xff, s1.read());
        MultipartRelatedReader.Part p2 = r.next();
        IOException e = assertThrows(IOException.class, s1::read);
        assertTrue(e.getMessage().contains("part 1"), e.getMessage());
        assertArrayEquals(ascii("tail"), p2.body().readAllBytes());
        assertNull(r.next());
    }

    @Test
    void partWithoutContentTypeHasNullMediaType() throws IOException {
        String body = "--b\r\nContent-Location: /x\r\n\r\nno type\r\n--b--\r\n";
        MultipartRelatedReader r = MultipartRelatedReader.open(new ByteArrayInputStream(ascii(body)),
                "multipart/related; boundary=b");
        assertNull(r.type());
        MultipartRelatedReader.Part p = r.next();
        assertNull(p.contentType());
        assertNull(p.mediaType());
        assertEquals(Map.of("content-location", List.of("/x")), p.headers());
        assertEquals("no type", new String(p.body().readAllBytes(), StandardCharsets.US_ASCII));
        assertNull(r.next());
    }

    @Test
    void partWithoutAnyHeaderFieldIsRefused() throws IOException {
        MultipartRelatedReader r = MultipartRelatedReader.open(
                new ByteArrayInputStream(ascii("--b\r\n\r\nbody\r\n--b--\r\n")), "multipart/related; boundary=b");
        assertEquals("part 1 has a malformed header field",
                assertThrows(MultipartFormatException.class, r::next).getMessage());
    }

    @Test
    void nestedMultipartPartIsOneOpaqueBody() throws IOException {
        String inner = "--i\r\nContent-Type: text/plain\r\n\r\nx\r\n--i--";
        String body = "--b\r\nContent-Type: multipart/mixed; boundary=i\r\n\r\n" + inner + "\r\n--b--\r\n";
        List<byte[]> parts = readAll(ascii(body), "multipart/related; boundary=b");
        assertEquals(1, parts.size());
        assertEquals(inner, new String(parts.get(0), StandardCharsets.US_ASCII));
    }

    @Test
    void base64TransferEncodingIsDecoded() throws IOException {
        String body = "--b\r\nContent-Type: application/dicom\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "aGVsbG8=\r\n--b--\r\n";
        assertEquals("hello", new String(readAll(ascii(body), "multipart/related; boundary=b").get(0),
                StandardCharsets.US_ASCII));
    }

    @Test
    void malformedBase64IsAFormatErrorAndTransportFailuresPassAsTheyAre() throws IOException {
        String body = "--b\r\nContent-Type: application/dicom\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "aGV*sbG8=\r\n--b--\r\n";
        MultipartRelatedReader r = MultipartRelatedReader.open(new ByteArrayInputStream(ascii(body)),
                "multipart/related; boundary=b");
        InputStream in = r.next().body();
        assertEquals("part 1 has malformed content for its Content-Transfer-Encoding",
                assertThrows(MultipartFormatException.class, in::readAllBytes).getMessage());

        IOException reset = new IOException("connection reset");
        InputStream failing = new java.io.SequenceInputStream(new ByteArrayInputStream(
                ascii("--b\r\nContent-Type: application/dicom\r\n\r\nsome")), new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw reset;
                    }
                });
        MultipartRelatedReader r2 = MultipartRelatedReader.open(failing, "multipart/related; boundary=b");
        IOException e = assertThrows(IOException.class, () -> r2.next().body().readAllBytes());
        assertTrue(e == reset, "the transport's exception itself");
    }

    @Test
    void emptyMultipartHasNoParts() throws IOException {
        assertEquals(0, readAll(ascii("--b--\r\n"), "multipart/related; boundary=b").size());
    }

    @Test
    void contentTypeErrors() {
        InputStream in = new ByteArrayInputStream(new byte[0]);
        assertEquals("no Content-Type: a multipart/related body is expected",
                assertThrows(MultipartFormatException.class, () -> MultipartRelatedReader.open(in, null)).getMessage());
        assertEquals("Content-Type is application/dicom, not multipart/related",
                assertThrows(MultipartFormatException.class,
                        () -> MultipartRelatedReader.open(in, "application/dicom")).getMessage());
        assertEquals("Content-Type is multipart/mixed, not multipart/related",
                assertThrows(MultipartFormatException.class,
                        () -> MultipartRelatedReader.open(in, "multipart/mixed; boundary=x")).getMessage());
        assertEquals("Content-Type multipart/related has no boundary parameter",
                assertThrows(MultipartFormatException.class,
                        () -> MultipartRelatedReader.open(in, "multipart/related; type=\"application/dicom\""))
                        .getMessage());
        assertEquals("Content-Type multipart/related has an invalid boundary: longer than 200 characters",
                assertThrows(MultipartFormatException.class,
                        () -> MultipartRelatedReader.open(in, "multipart/related; boundary=" + "x".repeat(201)))
                        .getMessage());
        assertEquals("Content-Type multipart/related has an invalid boundary: character '<' is not allowed",
                assertThrows(MultipartFormatException.class,
                        () -> MultipartRelatedReader.open(in, "multipart/related; boundary=\"a<b\""))
                        .getMessage());
    }

    @Test
    void truncatedBodyIsReportedByTheReadThatReachesTheEnd() throws IOException {
        byte[] data = random(50_000, 3);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        MultipartRelatedWriter w = new MultipartRelatedWriter(bos, "b");
        w.part("application/dicom", null, ascii("complete"));
        w.part("application/dicom", null, data);
        w.finish();
        byte[] whole = bos.toByteArray();
        byte[] cut = Arrays.copyOf(whole, whole.length - 20_000);
        MultipartRelatedReader r = MultipartRelatedReader.open(new ByteArrayInputStream(cut),
                "multipart/related; boundary=b");
        assertArrayEquals(ascii("complete"), r.next().body().readAllBytes());
        InputStream second = r.next().body();
        MultipartFormatException e = assertThrows(MultipartFormatException.class, second::readAllBytes);
        assertEquals("multipart body ends before the close delimiter (part 2 is truncated or the delimiter after it "
                + "is not the close delimiter)", e.getMessage());
        assertThrows(MultipartFormatException.class, r::next);
    }

    @Test
    void truncatedBodyIsReportedByNextWhenTheBodyIsNotRead() throws IOException {
        byte[] cut = ascii("--b\r\nContent-Type: application/dicom\r\n\r\nsome bytes but no delimiter");
        MultipartRelatedReader r = MultipartRelatedReader.open(new ByteArrayInputStream(cut),
                "multipart/related; boundary=b");
        assertNotNull(r.next());
        MultipartFormatException e = assertThrows(MultipartFormatException.class, r::next);
        assertTrue(e.getMessage().startsWith("multipart body ends before the close delimiter (part 1 is truncated"),
                e.getMessage());
    }

    @Test
    void missingCloseDelimiter() throws IOException {
        // the last delimiter is a plain one ("--b", no "--"), then the body ends
        for (String body : List.of("--b\r\nContent-Type: application/dicom\r\n\r\nx\r\n--b\r\n",
                "--b\r\nContent-Type: application/dicom\r\n\r\nx\r\n--b")) {
            MultipartRelatedReader r = MultipartRelatedReader.open(new ByteArrayInputStream(ascii(body)),
                    "multipart/related; boundary=b");
            MultipartFormatException e = assertThrows(MultipartFormatException.class, () -> {
                for (MultipartRelatedReader.Part p; (p = r.next()) != null; ) {
                    p.body().readAllBytes();
                }
            });
            assertFalse(e.getMessage().contains("application/dicom"));
            assertTrue(e.getMessage().startsWith("multipart body ends"), e.getMessage());
        }
    }

    @Test
    void bodyWithoutAnyBoundary() throws IOException {
        MultipartRelatedReader r = MultipartRelatedReader.open(new ByteArrayInputStream(ascii("DICM just bytes")),
                "multipart/related; boundary=b");
        MultipartFormatException e = assertThrows(MultipartFormatException.class, r::next);
        assertEquals("multipart body ends before its first boundary delimiter (truncated or wrong boundary)",
                e.getMessage());
        MultipartRelatedReader empty = MultipartRelatedReader.open(new ByteArrayInputStream(new byte[0]),
                "multipart/related; boundary=b");
        assertThrows(MultipartFormatException.class, empty::next);
    }

    @Test
    void truncatedInsideHeaders() throws IOException {
        MultipartRelatedReader r = MultipartRelatedReader.open(
                new ByteArrayInputStream(ascii("--b\r\nContent-Type: applic")), "multipart/related; boundary=b");
        MultipartFormatException e = assertThrows(MultipartFormatException.class, () -> {
            MultipartRelatedReader.Part p = r.next();
            if (p != null) {
                p.body().readAllBytes();
                r.next();
            }
        });
        assertTrue(e.getMessage().startsWith("multipart body ends"), e.getMessage());
    }

    @Test
    void headerLimits() throws IOException {
        StringBuilder many = new StringBuilder("--b\r\n");
        for (int i = 0; i <= MultipartRelatedReader.MAX_HEADER_FIELDS; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        many.append("\r\nx\r\n--b--\r\n");
        MultipartRelatedReader r = MultipartRelatedReader.open(new ByteArrayInputStream(ascii(many.toString())),
                "multipart/related; boundary=b");
        assertEquals("part 1 has more than 100 header fields",
                assertThrows(MultipartFormatException.class, r::next).getMessage());

        String longLine = "--b\r\nX-Long: " + "v".repeat(MultipartRelatedReader.MAX_HEADER_LENGTH + 10)
                + "\r\n\r\nx\r\n--b--\r\n";
        MultipartRelatedReader r2 = MultipartRelatedReader.open(new ByteArrayInputStream(ascii(longLine)),
                "multipart/related; boundary=b");
        MultipartFormatException e = assertThrows(MultipartFormatException.class, r2::next);
        assertTrue(e.getMessage().startsWith("part 1 has a header line longer than"), e.getMessage());
    }

    @Test
    void malformedHeaderField() throws IOException {
        MultipartRelatedReader r = MultipartRelatedReader.open(new ByteArrayInputStream(
                ascii("--b\r\nContent-Type: application/dicom\r\nno colon here\r\n\r\nx\r\n--b--\r\n")),
                "multipart/related; boundary=b");
        MultipartFormatException e = assertThrows(MultipartFormatException.class, r::next);
        assertEquals("part 1 has a malformed header field", e.getMessage());
    }

    @Test
    void binaryBodyWithoutLineBreaksAndBoundaryLookalikes() throws IOException {
        // 5 MiB without CR/LF (no line-length limit applies to bodies), then data containing "--b" not at a line start
        byte[] noBreaks = new byte[5 << 20];
        Arrays.fill(noBreaks, (byte) 'A');
        byte[] lookalike = ascii("x--b\r\n--bb\r\n--b-\r\n-- b\r\n");
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        MultipartRelatedWriter w = new MultipartRelatedWriter(bos, "b");
        w.part("application/dicom", null, noBreaks);
        w.part("application/dicom", null, lookalike);
        w.finish();
        List<byte[]> parts = readAll(bos.toByteArray(), "multipart/related; boundary=b");
        assertEquals(2, parts.size());
        assertArrayEquals(noBreaks, parts.get(0));
        assertArrayEquals(lookalike, parts.get(1));
    }

    /**
     * A generated part of 2 GiB + 12345 bytes (more than Integer.MAX_VALUE, and more than the test JVM's heap) streamed
     * through the reader: the bytes arrive complete and in order, and nothing holds them.
     */
    @Test
    void streamsAPartOfMoreThan2GiB() throws IOException {
        long partSize = (2L << 30) + 12345;
        byte[] head = ascii("--cds-big\r\nContent-Type: application/dicom\r\n\r\n");
        byte[] tail = ascii("\r\n--cds-big--\r\n");
        byte[] chunk = random(1 << 16, 7);
        java.util.zip.CRC32 sent = new java.util.zip.CRC32();
        for (long left = partSize; left > 0; left -= chunk.length) {
            sent.update(chunk, 0, (int) Math.min(chunk.length, left));
        }
        InputStream generated = new InputStream() {
            private long pos;
            private final long total = head.length + partSize + tail.length;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= total) {
                    return -1;
                }
                int n;
                if (pos < head.length) {
                    n = (int) Math.min(len, head.length - pos);
                    System.arraycopy(head, (int) pos, b, off, n);
                } else if (pos < head.length + partSize) {
                    long inPart = pos - head.length;
                    int at = (int) (inPart % chunk.length);
                    n = (int) Math.min(Math.min(len, chunk.length - at), partSize - inPart);
                    System.arraycopy(chunk, at, b, off, n);
                } else {
                    int at = (int) (pos - head.length - partSize);
                    n = Math.min(len, tail.length - at);
                    System.arraycopy(tail, at, b, off, n);
                }
                pos += n;
                return n;
            }
        };
        MultipartRelatedReader r = MultipartRelatedReader.open(generated, "multipart/related; boundary=cds-big");
        InputStream body = r.next().body();
        java.util.zip.CRC32 got = new java.util.zip.CRC32();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = body.read(buf)) >= 0; ) {
            got.update(buf, 0, n);
            total += n;
        }
        assertNull(r.next());
        assertEquals(partSize, total);
        assertEquals(sent.getValue(), got.getValue());
    }

    @Test
    void acceptsTheLongerBoundariesOrthancSends() throws Exception {
        String boundary = "b".repeat(73); // Orthanc 1.10.1 / DICOMweb 1.7: longer than RFC 2046's 70
        byte[] body = ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\nDICM\r\n--" + boundary
                + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MultipartRelatedReader r = MultipartRelatedReader.open(new java.io.ByteArrayInputStream(body),
                "multipart/related; type=\"application/dicom\"; boundary=" + boundary);
        MultipartRelatedReader.Part p = r.next();
        assertEquals("application/dicom", p.mediaType());
        assertEquals("DICM", new String(p.body().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII));
        assertNull(r.next());
    }
}
