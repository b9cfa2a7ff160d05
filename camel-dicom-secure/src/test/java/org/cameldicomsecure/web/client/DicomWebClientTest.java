package org.cameldicomsecure.web.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.FileRegion;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.cameldicomsecure.web.DicomWebException;
import org.cameldicomsecure.web.InstanceSource;
import org.cameldicomsecure.web.QidoLevel;
import org.cameldicomsecure.web.StowResponse;
import org.cameldicomsecure.web.multipart.MultipartRelatedReader;
import org.cameldicomsecure.web.multipart.MultipartRelatedWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's protocol against the JDK's HTTP server as a scripted origin server: what goes on the wire (parsed
 * back with our multipart reader and compared byte for byte) and how each response is handled.
 */
class DicomWebClientTest {

    private static final String STUDY = WebTestSupport.newUid();

    @TempDir
    Path temp;

    private WebTestSupport.Server server;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    /** One request as the server saw it. */
    record Received(String method, String path, String rawQuery, Map<String, String> headers, List<byte[]> parts,
                    List<String> partTypes) {
    }

    @BeforeEach
    void start() throws IOException {
        server = new WebTestSupport.Server(null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private DicomWebClient.Builder client() {
        return DicomWebClient.builder(server.uri("/dicom-web/")).tempDirectory(temp);
    }

    /** Records the request; a multipart body is parsed into its parts. */
    private Received record(HttpExchange x) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        for (String n : List.of("Content-Type", "Accept", "Authorization", "Content-Length", "Transfer-Encoding")) {
            String v = x.getRequestHeaders().getFirst(n);
            if (v != null) {
                h.put(n, v);
            }
        }
        List<byte[]> parts = new ArrayList<>();
        List<String> types = new ArrayList<>();
        String ct = h.get("Content-Type");
        try (InputStream in = x.getRequestBody()) {
            if (ct != null && ct.startsWith("multipart/related")) {
                try (MultipartRelatedReader r = MultipartRelatedReader.open(in, ct)) {
                    MultipartRelatedReader.Part p;
                    while ((p = r.next()) != null) {
                        types.add(p.contentType());
                        parts.add(p.body().readAllBytes());
                    }
                }
            } else {
                in.readAllBytes();
            }
        }
        Received r = new Received(x.getRequestMethod(), x.getRequestURI().getRawPath(),
                x.getRequestURI().getRawQuery(), h, parts, types);
        received.add(r);
        return r;
    }

    private static byte[] stowJson(List<byte[]> stored, List<byte[]> failed) throws IOException {
        StowResponse.Builder b = StowResponse.builder();
        for (byte[] p : stored) {
            String uid = sopInstanceUid(p);
            b.stored(UID.SecondaryCaptureImageStorage, uid, "http://x/studies/" + STUDY + "/instances/" + uid, null);
        }
        for (byte[] p : failed) {
            b.failed(UID.SecondaryCaptureImageStorage, sopInstanceUid(p), 0xA900);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.build().toJson(out);
        return out.toByteArray();
    }

    private static String sopInstanceUid(byte[] part10) throws IOException {
        return new org.cameldicomsecure.dicom.io.DicomReader().read(part10).dataset().getString(Tag.SOPInstanceUID);
    }

    private static List<byte[]> instances(int n, int pixelBytes) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(WebTestSupport.part10(STUDY, WebTestSupport.newUid(), pixelBytes));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ STOW-RS

    @Test
    void stowSendsOneMultipartRequestWithTheExactBytes() throws IOException {
        List<byte[]> sent = instances(3, 300_000);
        server.handle("/dicom-web/studies", x -> {
            Received r = record(x);
            WebTestSupport.respond(x, 200, "application/dicom+json", stowJson(r.parts(), List.of()));
        });
        Path file = Files.write(temp.resolve("third.dcm"), sent.get(2));
        List<InstanceSource> sources = List.of(InstanceSource.of(sent.get(0)), InstanceSource.of(sent.get(1)),
                InstanceSource.of(file));
        StowResponse response;
        try (DicomWebClient c = client().build()) {
            response = c.stow(sources, null);
        }
        assertEquals(3, response.stored().size());
        assertEquals(sopInstanceUid(sent.get(1)), response.stored().get(1).sopInstanceUid());
        assertTrue(response.failed().isEmpty());

        Received r = received.poll();
        assertEquals("POST", r.method());
        assertEquals("/dicom-web/studies", r.path());
        String ct = r.headers().get("Content-Type");
        assertTrue(ct.startsWith("multipart/related; type=\"application/dicom\"; boundary="), ct);
        assertEquals("application/dicom+json", r.headers().get("Accept"));
        assertNull(r.headers().get("Authorization"));
        assertNull(r.headers().get("Transfer-Encoding"));
        long total = Long.parseLong(r.headers().get("Content-Length"));
        assertTrue(total > 900_000, "Content-Length " + total);
        assertEquals(3, r.parts().size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(sent.get(i), r.parts().get(i), "part " + (i + 1));
            assertEquals("application/dicom", r.partTypes().get(i));
        }
    }

    @Test
    void stowOfUnknownLengthIsChunkedAndGoesToTheStudyPath() throws IOException {
        DicomFile dcm = WebTestSupport.instance(STUDY, WebTestSupport.newUid(), 1000);
        byte[] expected = new org.cameldicomsecure.dicom.io.DicomWriter().toBytes(dcm);
        server.handle("/dicom-web/studies/", x -> {
            Received r = record(x);
            WebTestSupport.respond(x, 200, "application/dicom+json", stowJson(r.parts(), List.of()));
        });
        try (DicomWebClient c = client().tokens(StaticTokenSource.of("static-token-1")).build()) {
            assertEquals(1, c.stow(List.of(InstanceSource.of(dcm)), STUDY).stored().size());
        }
        Received r = received.poll();
        assertEquals("/dicom-web/studies/" + STUDY, r.path());
        assertEquals("chunked", r.headers().get("Transfer-Encoding"));
        assertEquals("Bearer static-token-1", r.headers().get("Authorization"));
        assertArrayEquals(expected, r.parts().get(0));
    }

    @Test
    void stow409IsReturnedWithTheFailures() throws IOException {
        List<byte[]> sent = instances(2, 1000);
        server.handle("/dicom-web/studies", x -> {
            Received r = record(x);
            WebTestSupport.respond(x, 409, "application/dicom+json; charset=utf-8",
                    stowJson(r.parts().subList(0, 1), r.parts().subList(1, 2)));
        });
        try (DicomWebClient c = client().build()) {
            StowResponse resp = c.stow(sent.stream().map(InstanceSource::of).toList(), null);
            assertEquals(1, resp.stored().size());
            assertEquals(1, resp.failed().size());
            assertEquals(sopInstanceUid(sent.get(1)), resp.failed().get(0).sopInstanceUid());
            assertEquals(0xA900, resp.failed().get(0).failureReason());
        }
    }

    @Test
    void stowErrorStatusIsNamedWithTheServersShortReason() throws IOException {
        server.handle("/dicom-web/studies", x -> {
            record(x);
            WebTestSupport.respond(x, 415, "text/plain; charset=utf-8",
                    "part 1: media type \"text/plain\" is not application/dicom\nsecond line");
        });
        try (DicomWebClient c = client().build()) {
            DicomWebException e = assertThrows(DicomWebException.class,
                    () -> c.stow(List.of(InstanceSource.of(instances(1, 100).get(0))), null));
            assertEquals(415, e.httpStatus());
            assertTrue(e.getMessage().contains("415 Unsupported Media Type: part 1: media type '...' is not"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("second line"));
        }
    }

    @Test
    void stowOfAnUnreadableInstanceNamesItAndSendsNoCompleteBody() throws IOException {
        AtomicInteger complete = new AtomicInteger();
        server.handle("/dicom-web/studies", x -> {
            try {
                record(x);
                complete.incrementAndGet();
                WebTestSupport.respond(x, 200, "application/dicom+json", "{}");
            } catch (IOException e) {
                x.close(); // the client broke off the body
            }
        });
        try (DicomWebClient c = client().build()) {
            DicomWebException e = assertThrows(DicomWebException.class, () -> c.stow(List.of(
                    InstanceSource.of(instances(1, 100_000).get(0)), InstanceSource.of(temp.resolve("missing.dcm"))),
                    null));
            assertTrue(e.getMessage().contains("cannot open instance 2"), e.getMessage());
        }
        assertEquals(0, complete.get());
    }

    @Test
    void stowGivesUpOnAServerThatAnswersBeforeReadingTheBody() throws IOException {
        server.handle("/dicom-web/studies", x -> WebTestSupport.respond(x, 413, "text/plain", "too large"));
        try (DicomWebClient c = client().build()) {
            List<InstanceSource> big = new ArrayList<>();
            byte[] one = instances(1, 4 << 20).get(0);
            for (int i = 0; i < 8; i++) {
                big.add(InstanceSource.of(one));
            }
            DicomWebException e = assertThrows(DicomWebException.class, () -> c.stow(big, null));
            assertTrue(e.httpStatus() == 413 || e.getMessage().contains("failed"), e.getMessage());
        }
    }

    @Test
    void stowRefusesBadArguments() {
        try (DicomWebClient c = client().build()) {
            assertThrows(IllegalArgumentException.class, () -> c.stow(List.of(), null));
            assertThrows(IllegalArgumentException.class,
                    () -> c.stow(List.of(InstanceSource.of(new byte[0])), "1.2/../3"));
        }
    }

    // ----------------------------------------------------------------------------------------------- tokens

    @Test
    void a401IsRetriedOnceWithANewTokenAndTheSameBody() throws IOException {
        List<byte[]> sent = instances(2, 200_000);
        AtomicInteger tokenNo = new AtomicInteger();
        TokenSource tokens = new TokenSource() {
            private volatile String current;

            @Override
            public synchronized String token() {
                if (current == null) {
                    current = "tok-" + tokenNo.incrementAndGet();
                }
                return current;
            }

            @Override
            public synchronized void invalidate(String token) {
                if (token.equals(current)) {
                    current = null;
                }
            }

            @Override
            public boolean refreshable() {
                return true;
            }
        };
        server.handle("/dicom-web/studies", x -> {
            Received r = record(x);
            if (!"Bearer tok-2".equals(r.headers().get("Authorization"))) {
                x.getResponseHeaders().set("WWW-Authenticate",
                        "Bearer realm=\"dicomweb\", error=\"invalid_token\", error_description=\"token expired\"");
                WebTestSupport.respond(x, 401, null, (byte[]) null);
                return;
            }
            WebTestSupport.respond(x, 200, "application/dicom+json", stowJson(r.parts(), List.of()));
        });
        try (DicomWebClient c = client().tokens(tokens).build()) {
            assertEquals(2, c.stow(sent.stream().map(InstanceSource::of).toList(), null).stored().size());
        }
        assertEquals(2, received.size());
        Received first = received.poll();
        Received second = received.poll();
        assertEquals("Bearer tok-1", first.headers().get("Authorization"));
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(sent.get(i), second.parts().get(i));
        }
    }

    @Test
    void a401BeforeTheBodyIsReadIsRetriedWithTheWholeBody() throws IOException {
        List<byte[]> sent = instances(6, 1 << 20); // more than the pipe and the socket buffers hold
        ClientCredentialsTokenSourceTestEndpoint idp = new ClientCredentialsTokenSourceTestEndpoint(server);
        AtomicInteger refused = new AtomicInteger();
        server.handle("/dicom-web/studies", x -> {
            if ("Bearer tok-1".equals(x.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                x.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"r\", error=\"invalid_token\"");
                x.getResponseHeaders().set("Connection", "close");
                // answered before the body is read; the body is read (and dropped) only afterwards, as a real
                // server does: closing with it unread would reset the connection, which races with the 401
                x.sendResponseHeaders(401, -1);
                try (var body = x.getRequestBody()) {
                    body.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // the client may stop sending once it has the 401: nothing more to drain
                }
                x.close();
                return;
            }
            Received r = record(x);
            WebTestSupport.respond(x, 200, "application/dicom+json", stowJson(r.parts(), List.of()));
        });
        try (DicomWebClient c = client().tokens(idp.source()).build()) {
            assertEquals(6, c.stow(sent.stream().map(InstanceSource::of).toList(), null).stored().size());
        }
        assertEquals(1, refused.get());
        Received r = received.poll();
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), r.parts().get(i));
        }
        assertEquals(2, idp.issued.get());
    }

    @Test
    void a401WithAStaticTokenIsNotRetriedAndNamesTheChallengeNotTheToken() throws IOException {
        server.handle("/dicom-web/studies", x -> {
            record(x);
            x.getResponseHeaders().set("WWW-Authenticate",
                    "Bearer realm=\"dicomweb\", error=\"invalid_token\", error_description=\"audience mismatch\"");
            WebTestSupport.respond(x, 401, null, (byte[]) null);
        });
        try (DicomWebClient c = client().tokens(StaticTokenSource.of("very-secret-token")).build()) {
            DicomWebException e = assertThrows(DicomWebException.class, () -> c.qido(QidoLevel.STUDY, null, null,
                    null));
            assertEquals(401, e.httpStatus());
            assertTrue(e.getMessage().contains("401 Unauthorized (error invalid_token, error_description audience "
                    + "mismatch)"), e.getMessage());
            assertFalse(e.getMessage().contains("very-secret-token"));
        }
        assertEquals(1, received.size());
    }

    @Test
    void a401IsRetriedOnlyOnce() throws IOException {
        server.handle("/dicom-web/studies", x -> {
            record(x);
            WebTestSupport.respond(x, 401, null, (byte[]) null);
        });
        ClientCredentialsTokenSourceTestEndpoint idp = new ClientCredentialsTokenSourceTestEndpoint(server);
        try (DicomWebClient c = client().tokens(idp.source()).build()) {
            assertEquals(401, assertThrows(DicomWebException.class,
                    () -> c.qido(QidoLevel.STUDY, null, null, null)).httpStatus());
        }
        assertEquals(2, received.size());
        assertEquals(2, idp.issued.get());
    }

    @Test
    void clientCredentialsTokenIsCachedAcrossRequestsAndRefreshedOn401() throws IOException {
        ClientCredentialsTokenSourceTestEndpoint idp = new ClientCredentialsTokenSourceTestEndpoint(server);
        AtomicInteger calls = new AtomicInteger();
        server.handle("/dicom-web/studies", x -> {
            Received r = record(x);
            int n = calls.incrementAndGet();
            // the resource server revokes tok-1 after two requests
            if (n > 2 && "Bearer tok-1".equals(r.headers().get("Authorization"))) {
                WebTestSupport.respond(x, 401, null, (byte[]) null);
                return;
            }
            WebTestSupport.respond(x, 200, "application/dicom+json", "[]");
        });
        try (DicomWebClient c = client().tokens(idp.source()).build()) {
            for (int i = 0; i < 4; i++) {
                assertEquals(List.of(), c.qido(QidoLevel.STUDY, null, null, null));
            }
        }
        List<String> auth = received.stream().map(r -> r.headers().get("Authorization")).toList();
        assertEquals(List.of("Bearer tok-1", "Bearer tok-1", "Bearer tok-1", "Bearer tok-2", "Bearer tok-2"), auth);
        assertEquals(2, idp.issued.get());
    }

    /** A token endpoint on the same server. */
    static final class ClientCredentialsTokenSourceTestEndpoint {
        final AtomicInteger issued = new AtomicInteger();
        final WebTestSupport.Server server;

        ClientCredentialsTokenSourceTestEndpoint(WebTestSupport.Server server) {
            this.server = server;
            server.handle("/token", x -> {
                WebTestSupport.readAll(x);
                WebTestSupport.respond(x, 200, "application/json", "{\"access_token\":\"tok-"
                        + issued.incrementAndGet() + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
            });
        }

        ClientCredentialsTokenSource source() {
            return ClientCredentialsTokenSource.builder(server.uri("/token"), "client", "secret").build();
        }
    }

    // ------------------------------------------------------------------------------------------------ WADO-RS

    private void serveMultipart(String path, List<byte[]> parts, String partType) {
        server.handle(path, x -> {
            record(x);
            String boundary = MultipartRelatedWriter.newBoundary();
            x.getResponseHeaders().set("Content-Type", MultipartRelatedWriter.contentType("application/dicom",
                    boundary));
            x.sendResponseHeaders(200, 0);
            try (OutputStream os = x.getResponseBody()) {
                MultipartRelatedWriter w = new MultipartRelatedWriter(os, boundary);
                for (byte[] p : parts) {
                    w.part(partType, Map.of("Content-Location", "/x"), p);
                }
                w.finish();
            }
            x.close();
        });
    }

    private long filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void wadoStreamsEveryPartIntoATemporaryFile() throws IOException {
        List<byte[]> parts = instances(3, 700_000);
        String series = STUDY + ".1";
        serveMultipart("/dicom-web/studies/", parts, "application/dicom; transfer-syntax=1.2.840.10008.1.2.1");
        List<RetrievedInstance> got;
        try (DicomWebClient c = client().build()) {
            got = c.wado(STUDY, series, null);
        }
        Received r = received.poll();
        assertEquals("GET", r.method());
        assertEquals("/dicom-web/studies/" + STUDY + "/series/" + series, r.path());
        assertEquals("multipart/related; type=\"application/dicom\"; transfer-syntax=*", r.headers().get("Accept"));
        assertEquals(3, got.size());
        for (int i = 0; i < 3; i++) {
            RetrievedInstance ri = got.get(i);
            assertArrayEquals(parts.get(i), Files.readAllBytes(ri.file()));
            assertEquals(parts.get(i).length, ri.length());
            assertEquals("1.2.840.10008.1.2.1", ri.transferSyntaxUid());
            assertEquals(i + 1, ri.partNumber());
            assertEquals(temp, ri.file().getParent());
        }
        DicomFile parsed = got.get(0).readDicomFile(DicomReaderOptions.DEFAULT.withBulkDataThreshold(4096));
        assertTrue(parsed.dataset().value(Tag.PixelData) instanceof FileRegion);
        Path moved = got.get(1).moveTo(temp.resolve("kept.dcm"));
        DicomWebClient.closeAll(got);
        assertTrue(Files.exists(moved));
        assertEquals(1, filesIn(temp)); // the moved one; the others are deleted
        assertThrows(IllegalStateException.class, () -> got.get(0).file());
        // the parsed object's pixel data is its own spill file, not the deleted temporary file
        assertEquals(700_000, ((FileRegion) parsed.dataset().value(Tag.PixelData)).length());
        try (InputStream in = ((FileRegion) parsed.dataset().value(Tag.PixelData)).openStream()) {
            assertEquals(700_000, in.readAllBytes().length);
        }
    }

    @Test
    void wadoDicomFilesParsesEachPart() throws IOException {
        List<byte[]> parts = instances(2, 100_000);
        serveMultipart("/dicom-web/studies/", parts, "application/dicom");
        try (DicomWebClient c = client().build()) {
            List<DicomFile> files = c.wadoDicomFiles(STUDY, STUDY + ".1", sopInstanceUid(parts.get(0)),
                    DicomReaderOptions.DEFAULT.withBulkDataThreshold(1024));
            assertEquals(2, files.size());
            assertEquals(sopInstanceUid(parts.get(1)), files.get(1).dataset().getString(Tag.SOPInstanceUID));
        }
        assertEquals("/dicom-web/studies/" + STUDY + "/series/" + STUDY + ".1/instances/"
                + sopInstanceUid(parts.get(0)), received.poll().path());
        // no temporary copy of a part; only the parsed objects' spill files (their pixel data) are there
        try (Stream<Path> s = Files.list(temp)) {
            assertTrue(s.allMatch(f -> f.getFileName().toString().startsWith("dicom-spill-")));
        }
    }

    @Test
    void wado404IsAnExceptionAnd204IsEmpty() throws IOException {
        server.handle("/dicom-web/studies/", x -> {
            record(x);
            WebTestSupport.respond(x, x.getRequestURI().getPath().endsWith(".9") ? 204 : 404, null,
                    (byte[]) null);
        });
        try (DicomWebClient c = client().build()) {
            DicomWebException e = assertThrows(DicomWebException.class, () -> c.wado(STUDY, null, null));
            assertEquals(404, e.httpStatus());
            assertTrue(e.getMessage().contains("404 Not Found"), e.getMessage());
            assertEquals(List.of(), c.wado("1.2.9", null, null));
        }
    }

    @Test
    void wadoOfANonDicomPartLeavesNothingOnDisk() throws IOException {
        List<byte[]> parts = new ArrayList<>(instances(2, 100_000));
        parts.add("not dicom".getBytes(StandardCharsets.US_ASCII));
        serveMultipart("/dicom-web/studies/", parts.subList(0, 2), "text/plain");
        try (DicomWebClient c = client().build()) {
            DicomWebException e = assertThrows(DicomWebException.class, () -> c.wado(STUDY, null, null));
            assertTrue(e.getMessage().contains("part 1 is 'text/plain', not application/dicom"), e.getMessage());
        }
        assertEquals(0, filesIn(temp));
        server.close();
        server = new WebTestSupport.Server(null);
        serveMultipart("/dicom-web/studies/", parts, "application/dicom");
        try (DicomWebClient c = client().build()) {
            DicomWebException e = assertThrows(DicomWebException.class, () -> c.wado(STUDY, null, null));
            assertTrue(e.getMessage().contains("part 3 (9 bytes) is not a DICOM Part 10 file"), e.getMessage());
        }
        assertEquals(0, filesIn(temp));
    }

    @Test
    void wadoOfATruncatedResponseLeavesNothingOnDisk() throws IOException {
        byte[] part = instances(1, 200_000).get(0);
        server.handle("/dicom-web/studies/", x -> {
            String boundary = MultipartRelatedWriter.newBoundary();
            x.getResponseHeaders().set("Content-Type", MultipartRelatedWriter.contentType("application/dicom",
                    boundary));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            MultipartRelatedWriter w = new MultipartRelatedWriter(all, boundary);
            w.part("application/dicom", null, part);
            w.part("application/dicom", null, part);
            w.finish();
            byte[] body = all.toByteArray();
            int cut = body.length - part.length / 2;
            x.sendResponseHeaders(200, cut);
            try (OutputStream os = x.getResponseBody()) {
                os.write(body, 0, cut);
            }
            x.close();
        });
        try (DicomWebClient c = client().build()) {
            DicomWebException e = assertThrows(DicomWebException.class, () -> c.wado(STUDY, null, null));
            assertTrue(e.getMessage().contains("broken"), e.getMessage());
        }
        assertEquals(0, filesIn(temp));
    }

    @Test
    void wadoOfAResponseThatIsNotMultipartIsNamed() throws IOException {
        server.handle("/dicom-web/studies/", x -> WebTestSupport.respond(x, 200, "application/dicom+json", "[]"));
        try (DicomWebClient c = client().build()) {
            DicomWebException e = assertThrows(DicomWebException.class, () -> c.wado(STUDY, null, null));
            assertTrue(e.getMessage().contains("not multipart/related"), e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ QIDO-RS

    private static final String QIDO_JSON = "[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]},"
            + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^Jane\"}]},"
            + "\"00201206\":{\"vr\":\"IS\",\"Value\":[2]}},"
            + "{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.4\"]}}]";

    @Test
    void qidoEncodesTheParametersAndParsesTheJson() throws IOException {
        server.handle("/dicom-web/", x -> {
            record(x);
            WebTestSupport.respond(x, 200, "application/dicom+json", QIDO_JSON);
        });
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("PatientName", List.of("Doe^J*"));
        params.put("StudyDate", List.of("20240101-20241231"));
        params.put("includefield", List.of("00201206", "StudyDescription"));
        params.put("ModalitiesInStudy", List.of("CT MR"));
        params.put("limit", List.of("10"));
        List<Dataset> found;
        try (DicomWebClient c = client().build()) {
            found = c.qido(QidoLevel.STUDY, null, null, params);
        }
        assertEquals(2, found.size());
        assertEquals("1.2.3", found.get(0).getString(Tag.StudyInstanceUID));
        assertEquals("Doe^Jane", found.get(0).getString(Tag.PatientName));
        assertEquals("1.2.4", found.get(1).getString(Tag.StudyInstanceUID));
        Received r = received.poll();
        assertEquals("/dicom-web/studies", r.path());
        assertEquals("PatientName=Doe%5EJ*&StudyDate=20240101-20241231&includefield=00201206"
                + "&includefield=StudyDescription&ModalitiesInStudy=CT%20MR&limit=10", r.rawQuery());
        assertEquals("application/dicom+json", r.headers().get("Accept"));
    }

    @Test
    void qidoPathsForEachLevelAndScope() throws IOException {
        server.handle("/dicom-web/", x -> {
            record(x);
            WebTestSupport.respond(x, 204, null, (byte[]) null);
        });
        try (DicomWebClient c = client().build()) {
            assertEquals(List.of(), c.qido(QidoLevel.SERIES, null, null, null));
            assertEquals(List.of(), c.qido(QidoLevel.SERIES, "1.2.3", null, Map.of()));
            assertEquals(List.of(), c.qido(QidoLevel.INSTANCE, null, null, null));
            assertEquals(List.of(), c.qido(QidoLevel.INSTANCE, "1.2.3", null, null));
            assertEquals(List.of(), c.qido(QidoLevel.INSTANCE, "1.2.3", "1.2.3.4", null));
            assertThrows(IllegalArgumentException.class, () -> c.qido(QidoLevel.STUDY, "1.2.3", null, null));
            assertThrows(IllegalArgumentException.class, () -> c.qido(QidoLevel.SERIES, "1.2.3", "1.2.3.4", null));
            assertThrows(IllegalArgumentException.class, () -> c.qido(QidoLevel.INSTANCE, null, "1.2.3.4", null));
        }
        assertEquals(List.of("/dicom-web/series", "/dicom-web/studies/1.2.3/series", "/dicom-web/instances",
                "/dicom-web/studies/1.2.3/instances", "/dicom-web/studies/1.2.3/series/1.2.3.4/instances"),
                received.stream().map(Received::path).toList());
    }

    @Test
    void qidoOfBadJsonOrWrongTypeIsNamed() throws IOException {
        AtomicInteger n = new AtomicInteger();
        server.handle("/dicom-web/", x -> {
            record(x);
            if (n.incrementAndGet() == 1) {
                WebTestSupport.respond(x, 200, "application/dicom+json", "[{\"0020000D\":{\"vr\":\"UI\",");
            } else {
                WebTestSupport.respond(x, 200, "text/html", "<html>login</html>");
            }
        });
        try (DicomWebClient c = client().build()) {
            DicomWebException e = assertThrows(DicomWebException.class, () -> c.qido(QidoLevel.STUDY, null, null,
                    null));
            assertTrue(e.getMessage().contains("not valid DICOM JSON"), e.getMessage());
            e = assertThrows(DicomWebException.class, () -> c.qido(QidoLevel.STUDY, null, null, null));
            assertTrue(e.getMessage().contains("'text/html', not application/dicom+json"), e.getMessage());
        }
    }

    @Test
    void qidoResponseLargerThanTheLimitIsRefused() throws IOException {
        server.handle("/dicom-web/", x -> WebTestSupport.respond(x, 200, "application/dicom+json", QIDO_JSON));
        try (DicomWebClient c = client().maxResponseBytes(50).build()) {
            DicomWebException e = assertThrows(DicomWebException.class, () -> c.qido(QidoLevel.STUDY, null, null,
                    null));
            assertTrue(e.getMessage().contains("larger than 50 bytes"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------- misc

    @Test
    void unreachableServerAndRedirectsAreNamed() throws IOException {
        server.handle("/dicom-web/", x -> {
            x.getResponseHeaders().set("Location", "http://elsewhere/");
            WebTestSupport.respond(x, 302, null, (byte[]) null);
        });
        try (DicomWebClient c = client().build()) {
            DicomWebException e = assertThrows(DicomWebException.class, () -> c.qido(QidoLevel.STUDY, null, null,
                    null));
            assertEquals(302, e.httpStatus());
            assertTrue(e.getMessage().contains("redirects are not followed"), e.getMessage());
        }
        int port = server.port();
        server.close();
        try (DicomWebClient c = DicomWebClient.builder(URI.create("http://127.0.0.1:" + port + "/dicom-web"))
                .build()) {
            DicomWebException e = assertThrows(DicomWebException.class, () -> c.qido(QidoLevel.STUDY, null, null,
                    null));
            assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
            assertEquals(0, e.httpStatus());
        }
    }

    @Test
    void builderChecks() {
        assertThrows(IllegalArgumentException.class, () -> DicomWebClient.builder(URI.create("ftp://h/x")));
        assertThrows(IllegalArgumentException.class, () -> DicomWebClient.builder(URI.create("http://h/x?a=b")));
        assertThrows(IllegalArgumentException.class, () -> DicomWebClient.builder(URI.create("http://u:p@h/x")));
        assertThrows(IllegalArgumentException.class, () -> client().wadoTransferSyntax("x y"));
        assertEquals("http://h:1/dicom-web", DicomWebClient.builder(URI.create("http://h:1/dicom-web//")).build()
                .baseUri().toString());
        assertNotNull(DicomWebClient.reason(404));
        assertEquals("error invalid_token, error_description a \"quoted\" word, scope dicomweb.write",
                DicomWebClient.authDetail("Bearer realm=\"r\", error=\"invalid_token\", "
                        + "error_description=\"a \\\"quoted\\\" word\", scope=dicomweb.write"));
    }
}
