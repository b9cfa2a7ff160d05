package org.cameldicomsecure.web.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.TempFiles;
import org.cameldicomsecure.tls.ClientAuth;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.tls.TlsProfile;
import org.cameldicomsecure.tls.TlsSettings;
import org.cameldicomsecure.web.InstanceSource;
import org.cameldicomsecure.web.auth.BearerAuthenticator;
import org.cameldicomsecure.web.multipart.MultipartRelatedReader;

@Timeout(120)
/** The origin server over real HTTP/1.1 connections of the JDK HttpClient, plain and TLS. */
class DicomWebServerTest {

    static final String STUDY = "1.2.826.0.1.3680043.2.1125.1";
    static final String SERIES = "1.2.826.0.1.3680043.2.1125.1.1";

    @TempDir
    static Path dir;
    static WebTestSupport pki;

    DicomWebServer server;
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<byte[]> stored = new CopyOnWriteArrayList<>();
    final List<Boolean> storedInMemory = new CopyOnWriteArrayList<>();
    final List<String> principals = new CopyOnWriteArrayList<>();
    volatile String failSop;

    @BeforeAll
    static void material() throws Exception {
        pki = new WebTestSupport(dir);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    DicomWebListener listener = new DicomWebListener() {
        @Override
        public void authenticated(WebRequest r) {
            events.add("authenticated " + r.principal());
        }

        @Override
        public void refused(WebRequest r, int status, String reason) {
            events.add("refused " + status + " " + reason);
        }

        @Override
        public void tlsFailed(java.net.SocketAddress peer, String why) {
            events.add("tlsFailed " + why);
        }

        @Override
        public void instancesReceived(WebRequest r, List<StowInstance> instances) {
            events.add("received " + instances.size());
        }

        @Override
        public void stowCompleted(WebRequest r, List<StowInstance> i, List<InstanceOutcome> o, int status) {
            events.add("stow " + status);
        }
    };

    StowHandler recorder = (request, instance) -> {
        try {
            principals.add(String.valueOf(request.principal()));
            if (instance.sopInstanceUid().equals(failSop)) {
                return CompletableFuture.completedFuture(InstanceOutcome.failed(0xA900));
            }
            // the parsed file and the raw bytes agree
            assertEquals(instance.sopInstanceUid(), instance.file().dataset().getString(Tag.SOPInstanceUID));
            stored.add(instance.bytes());
            storedInMemory.add(instance.inMemory());
            return CompletableFuture.completedFuture(InstanceOutcome.stored());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    };

    DicomWebServer start(DicomWebServer.Options.Builder b) throws Exception {
        server = DicomWebServer.start(b.basePath("/dicom-web").listener(listener).build());
        return server;
    }

    BearerAuthenticator auth() throws IOException {
        return BearerAuthenticator.builder().publicKey(pki.jwtPublicKeyPem).issuer(WebTestSupport.ISSUER)
                .audience(WebTestSupport.AUDIENCE).realm("test-pacs").build();
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static List<byte[]> instances(int n, int pixelBytes) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(WebTestSupport.instance(STUDY, SERIES, SERIES + "." + i, pixelBytes));
        }
        return out;
    }

    HttpResponse<String> stow(HttpClient c, String path, List<byte[]> parts, List<String> types, String token,
            String accept) throws Exception {
        Object[] mp = WebTestSupport.multipart(parts, types);
        return post(c, path, (String) mp[0], (byte[]) mp[1], token, accept);
    }

    HttpResponse<String> post(HttpClient c, String path, String contentType, byte[] body, String token,
            String accept) throws Exception {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            rb.header("Authorization", "Bearer " + token);
        }
        if (accept != null) {
            rb.header("Accept", accept);
        }
        return c.send(rb.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ STOW-RS

    @Test
    void stowOneAndManyPartsWithSpilledOnes() throws Exception {
        int liveBefore = TempFiles.liveCount();
        start(DicomWebServer.Options.builder().partMemoryThreshold(100_000));
        server.serve(DicomWebOperation.STOW, Binding.stow(recorder, null, Set.of()));
        HttpClient c = client();
        List<byte[]> one = instances(1, 1000);
        HttpResponse<String> r = stow(c, "/studies", one, null, null, null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/dicom+json", r.headers().firstValue("Content-Type").orElse(null));
        assertEquals(1, stored.size());
        assertArrayEquals(one.get(0), stored.get(0));
        assertTrue(storedInMemory.get(0));

        stored.clear();
        storedInMemory.clear();
        List<byte[]> many = new ArrayList<>(instances(6, 5000));
        many.add(WebTestSupport.instance(STUDY, SERIES, SERIES + ".100", 300_000)); // spilled
        many.add(WebTestSupport.instance(STUDY, SERIES, SERIES + ".101", 2_000_000)); // spilled
        r = stow(c, "/studies/" + STUDY, many, null, null, null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(many.size(), stored.size());
        // handlers may run concurrently: compare as sets of contents
        assertEquals(digests(many), digests(stored));
        assertEquals(2, storedInMemory.stream().filter(m -> !m).count());
        assertTrue(events.contains("received 8"), events.toString());
        assertTrue(events.contains("stow 200"), events.toString());
        // the temporary files of the spilled parts are gone once the handlers completed
        assertEquals(liveBefore, TempFiles.liveCount());
    }

    @Test
    void stowReportsFailedInstancesAndAnswersXmlWhenAsked() throws Exception {
        start(DicomWebServer.Options.builder());
        server.serve(DicomWebOperation.STOW, Binding.stow(recorder, null, Set.of()));
        HttpClient c = client();
        failSop = SERIES + ".2";
        HttpResponse<String> r = stow(c, "/studies", instances(3, 100), null, null, "application/dicom+xml");
        assertEquals(202, r.statusCode(), r.body()); // some stored, one failed (PS3.18 Table 10.5.3-1)
        assertEquals("application/dicom+xml", r.headers().firstValue("Content-Type").orElse(null));
        assertEquals(2, stored.size());
        failSop = SERIES + ".1";
        r = stow(c, "/studies", instances(1, 100), null, null, null);
        assertEquals(409, r.statusCode(), r.body()); // none stored
        r = stow(c, "/studies", instances(1, 100), null, null, "text/html");
        assertEquals(406, r.statusCode(), r.body());
    }

    @Test
    void badPartsRefuseTheWholeRequestBeforeAnyHandler() throws Exception {
        start(DicomWebServer.Options.builder());
        server.serve(DicomWebOperation.STOW, Binding.stow(recorder, null, Set.of()));
        HttpClient c = client();
        List<byte[]> parts = new ArrayList<>(instances(2, 100));
        parts.add("not dicom".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = stow(c, "/studies", parts, List.of("application/dicom", "application/dicom",
                "text/plain"), null, null);
        assertEquals(415, r.statusCode(), r.body());
        assertTrue(r.body().contains("part 3") && r.body().contains("text/plain"), r.body());

        r = stow(c, "/studies", parts, null, null, null);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("part 3"), r.body());

        // truncated: the close delimiter and part of the last part are missing
        Object[] mp = WebTestSupport.multipart(instances(2, 5000), null);
        byte[] body = (byte[]) mp[1];
        r = post(c, "/studies", (String) mp[0], Arrays.copyOf(body, body.length - 2000), null, null);
        assertEquals(400, r.statusCode(), r.body());

        // another study than the URL's
        r = stow(c, "/studies/1.2.3.4", instances(1, 100), null, null, null);
        assertEquals(409, r.statusCode(), r.body());

        r = post(c, "/studies", "application/json", "{}".getBytes(StandardCharsets.US_ASCII), null, null);
        assertEquals(415, r.statusCode(), r.body());
        assertEquals(0, stored.size());
        assertTrue(principals.isEmpty(), "no handler call for a refused request");
        // the connection is still usable after refusals
        r = stow(c, "/studies", instances(1, 100), null, null, null);
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void bearerTokensAndScopes() throws Exception {
        start(DicomWebServer.Options.builder());
        server.serve(DicomWebOperation.STOW, Binding.stow(recorder, auth(), Set.of("dicom.write")));
        HttpClient c = client();
        List<byte[]> one = instances(1, 100);

        HttpResponse<String> r = stow(c, "/studies", one, null, null, null);
        assertEquals(401, r.statusCode());
        assertEquals("Bearer realm=\"test-pacs\"", r.headers().firstValue("WWW-Authenticate").orElse(null));

        r = stow(c, "/studies", one, null, pki.token("alice", WebTestSupport.AUDIENCE,
                Instant.now().minusSeconds(3600), "dicom.write"), null);
        assertEquals(401, r.statusCode());
        String h = r.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(h.startsWith("Bearer realm=\"test-pacs\", error=\"invalid_token\", error_description=\"JWT expired"),
                h);

        r = stow(c, "/studies", one, null, pki.token("alice", "someone-else", Instant.now().plusSeconds(600),
                "dicom.write"), null);
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").contains("audience"), r.headers().toString());

        r = stow(c, "/studies", one, null, pki.token("dicom.read"), null);
        assertEquals(403, r.statusCode());
        assertEquals("Bearer realm=\"test-pacs\", error=\"insufficient_scope\", error_description=\"the access token"
                + " lacks a required scope\", scope=\"dicom.write\"",
                r.headers().firstValue("WWW-Authenticate").orElse(null));
        assertTrue(principals.isEmpty(), "a refused request reaches no handler");

        r = stow(c, "/studies", one, null, pki.token("dicom.read dicom.write"), null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of("alice"), principals);
        assertTrue(events.contains("authenticated alice"), events.toString());
        assertEquals(4, events.stream().filter(e -> e.startsWith("refused")).count(), events.toString());
    }

    @Test
    void limitsAndRouting() throws Exception {
        start(DicomWebServer.Options.builder().maxRequestBytes(200_000));
        server.serve(DicomWebOperation.STOW, Binding.stow(recorder, null, Set.of()));
        HttpClient c = client();
        HttpResponse<String> r;
        try {
            r = stow(c, "/studies", instances(1, 300_000), null, null, null);
            assertEquals(413, r.statusCode());
        } catch (IOException e) {
            // the server may close before the client has sent everything: also a refusal
        }
        assertEquals(0, stored.size());
        c = client();
        r = c.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/studies")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("POST", r.headers().firstValue("Allow").orElse(null));
        r = c.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/studies")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode(), "QIDO not served: GET not allowed");
        r = c.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/studies/1.2/rendered")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode());
        r = c.send(HttpRequest.newBuilder(server.baseUri().resolve("/other/studies")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode());
        r = c.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/studies/1.2.x")).POST(
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        server.unserve(DicomWebOperation.STOW);
        r = stow(c, "/studies", instances(1, 10), null, null, null);
        assertEquals(404, r.statusCode());
    }

    // ------------------------------------------------------------------ WADO-RS and QIDO-RS

    @Test
    void wadoStreamsInstancesAndQidoAnswersJson() throws Exception {
        start(DicomWebServer.Options.builder());
        List<byte[]> files = instances(3, 200_000);
        server.serve(DicomWebOperation.WADO, Binding.wado((request, q) -> {
            if (!q.studyInstanceUid().equals(STUDY)) {
                return CompletableFuture.completedFuture(List.of());
            }
            List<InstanceSource> s = new ArrayList<>();
            for (byte[] f : files) {
                s.add(InstanceSource.of(f));
            }
            return CompletableFuture.completedFuture(
                    q.sopInstanceUid() != null ? s.subList(0, 1) : s);
        }, null, Set.of()));
        server.serve(DicomWebOperation.QIDO, Binding.qido((request, q) -> {
            if (q.matchParameters().containsKey("PatientID")) {
                return CompletableFuture.completedFuture(List.of());
            }
            Dataset d = new Dataset();
            d.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
            return CompletableFuture.completedFuture(List.of(d));
        }, null, Set.of()));
        HttpClient c = client();
        HttpResponse<byte[]> r = c.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/studies/" + STUDY))
                .header("Accept", "multipart/related; type=\"application/dicom\"").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        String ct = r.headers().firstValue("Content-Type").orElseThrow();
        List<byte[]> got = new ArrayList<>();
        MultipartRelatedReader mr = MultipartRelatedReader.open(new ByteArrayInputStream(r.body()), ct);
        assertEquals("application/dicom", mr.type());
        MultipartRelatedReader.Part p;
        while ((p = mr.next()) != null) {
            assertEquals("application/dicom", p.mediaType());
            got.add(p.body().readAllBytes());
        }
        assertEquals(3, got.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(files.get(i), got.get(i));
        }
        r = c.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/studies/" + STUDY + "/series/" + SERIES
                + "/instances/" + SERIES + ".1")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        r = c.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/studies/1.2.3")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(404, r.statusCode());
        r = c.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/studies/" + STUDY))
                .header("Accept", "application/zip").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(406, r.statusCode());

        HttpResponse<String> q = c.send(HttpRequest.newBuilder(URI.create(server.baseUri()
                + "/studies?StudyDate=20240101&limit=5")).header("Accept", "application/dicom+json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, q.statusCode(), q.body());
        assertEquals("application/dicom+json", q.headers().firstValue("Content-Type").orElse(null));
        assertTrue(q.body().contains(STUDY), q.body());
        q = c.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/studies?PatientID=X")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, q.statusCode());
        q = c.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/studies?limit=-1")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, q.statusCode());
        q = c.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/studies/" + STUDY + "/series/" + SERIES
                + "/instances")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, q.statusCode());
    }

    // ------------------------------------------------------------------ TLS

    TlsContextFactory serverTls() {
        return TlsContextFactory.create(TlsSettings.builder().profile(TlsProfile.BCP195_RFC8996)
                .certificate(pki.serverCertPem).privateKey(pki.serverKeyPem).clientAuth(ClientAuth.NONE).build());
    }

    @Test
    void stowOverTlsWithToken() throws Exception {
        start(DicomWebServer.Options.builder().tls(serverTls()));
        server.serve(DicomWebOperation.STOW, Binding.stow(recorder, auth(), Set.of("dicom.write")));
        assertTrue(server.baseUri().toString().startsWith("https://127.0.0.1:"));
        HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(pki.clientContext("TLSv1.3")).build();
        List<byte[]> parts = instances(5, 600_000);
        HttpResponse<String> r = stow(c, "/studies", parts, null, pki.token("dicom.write"), null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(digests(parts), digests(stored));
    }

    @Test
    void tls11ClientIsRefusedByTheRfc8996Profile() throws Exception {
        start(DicomWebServer.Options.builder().tls(serverTls()));
        server.serve(DicomWebOperation.STOW, Binding.stow(recorder, null, Set.of()));
        // a child JVM whose java.security allows TLS 1.1, so the refusal comes from our server's profile
        Path security = Files.writeString(dir.resolve("legacy.java.security"),
                "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, "
                        + "anon, NULL\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path out = dir.resolve("tls11.out");
        Process p = new ProcessBuilder(java, "-Djava.security.properties=" + security, "-cp", cp,
                LegacyHttpsProbe.class.getName(), pki.caPem.toString(), String.valueOf(server.localAddress().getPort()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String log = Files.readString(out);
        assertTrue(log.contains("TLSv1.1 REFUSED"), log);
        assertTrue(log.contains("TLSv1.2 OK 401") || log.contains("TLSv1.2 OK 4"), log);
        assertTrue(stored.isEmpty());
        assertTrue(events.stream().anyMatch(e -> e.startsWith("tlsFailed TLS handshake failed")),
                "the listener (the audit trail's Security Alert) heard of the refused handshake: " + events);
    }

    private static List<String> digests(List<byte[]> l) throws Exception {
        List<String> out = new ArrayList<>();
        for (byte[] b : l) {
            out.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)));
        }
        Collections.sort(out);
        return out;
    }
}
