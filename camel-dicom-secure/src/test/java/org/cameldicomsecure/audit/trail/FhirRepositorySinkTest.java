package org.cameldicomsecure.audit.trail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.cameldicomsecure.audit.AuditEventType;
import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.audit.AuditSamples;
import org.cameldicomsecure.audit.AuditXml;
import org.cameldicomsecure.audit.fhir.FhirAuditEventWriter;
import org.cameldicomsecure.tls.TlsEngine;
import org.cameldicomsecure.tls.TlsProfile;
import org.cameldicomsecure.tls.TlsSettings;
import org.junit.jupiter.api.Test;

/** What the FHIR sink does without a server: options, URLs, request building, refusals, OperationOutcome texts. */
class FhirRepositorySinkTest {

    private static final String TOKEN = "s3cr3t-t0ken.value";

    private static FhirRepositoryOptions.Builder base() {
        return FhirRepositoryOptions.builder().baseUrl("http://127.0.0.1:8080/fhir/");
    }

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void defaultsAndUrls() {
        FhirRepositoryOptions o = base().build();
        assertEquals("fhir", o.name());
        assertEquals(FhirRepositoryOptions.Method.POST, o.method());
        assertEquals(URI.create("http://127.0.0.1:8080/fhir"), o.baseUrl(), "trailing slash dropped");
        assertEquals(URI.create("http://127.0.0.1:8080/fhir/AuditEvent"), o.auditEventUrl());
        String id = UUID.randomUUID().toString();
        assertEquals(URI.create("http://127.0.0.1:8080/fhir/AuditEvent/" + id), o.auditEventUrl(id));
        assertEquals(Duration.ofSeconds(10), o.connectTimeout());
        assertEquals(Duration.ofSeconds(30), o.requestTimeout());
        assertEquals(URI.create("https://audit.example.org/AuditEvent"),
                FhirRepositoryOptions.builder().baseUrl("HTTPS://audit.example.org").build().auditEventUrl());
        assertEquals(URI.create("http://[::1]:80/r4/AuditEvent"),
                FhirRepositoryOptions.builder().baseUrl("http://[::1]:80/r4//").build().auditEventUrl());
        assertThrows(IllegalArgumentException.class, () -> o.auditEventUrl("a/b"));
        assertEquals(o, o.toBuilder().build());
    }

    @Test
    void badOptionsAreNamed() {
        assertTrue(error(() -> FhirRepositoryOptions.builder().build()).contains("baseUrl is required"));
        assertTrue(error(() -> base().baseUrl("ftp://x/fhir").build()).contains("http or https"));
        assertTrue(error(() -> base().baseUrl("http:///fhir").build()).contains("no host"));
        assertTrue(error(() -> base().baseUrl("http://h/fhir?x=1").build()).contains("query"));
        assertTrue(error(() -> base().baseUrl("http://h/fhir#f").build()).contains("fragment"));
        assertTrue(error(() -> base().baseUrl("http://h/ fhir").build()).contains("not a valid URL"));
        String userInfo = error(() -> base().baseUrl("http://alice:pw123@h/fhir").build());
        assertTrue(userInfo.contains("user info"), userInfo);
        assertFalse(userInfo.contains("pw123"), userInfo);
        assertTrue(error(() -> base().name("FHIR").build()).contains("[a-z0-9-]+"));
        assertTrue(error(() -> base().connectTimeout(Duration.ZERO).build()).contains("connectTimeout"));
        assertTrue(error(() -> base().requestTimeout(Duration.ofSeconds(-1)).build()).contains("requestTimeout"));
        assertTrue(error(() -> base().bearerToken(" ").build()).contains("bearerToken"));
        String badToken = error(() -> base().bearerToken("abc\r\nX-Evil: 1").build());
        assertTrue(badToken.contains("bearerToken") && !badToken.contains("abc"), badToken);
        assertThrows(NullPointerException.class, () -> base().method(null).build());
    }

    @Test
    void tlsOptions() {
        TlsSettings tls = TlsSettings.builder().build();
        assertTrue(error(() -> base().tls(tls).build()).contains("is http"));
        FhirRepositoryOptions.Builder https = base().baseUrl("https://audit.example.org/fhir");
        assertTrue(error(() -> https.tls(tls.toBuilder().verifyHostname(false).build()).build())
                .contains("verifyHostname"));
        assertTrue(error(() -> https.tls(tls.toBuilder().engine(TlsEngine.OPENSSL).build()).build())
                .contains("OPENSSL"));
        assertTrue(error(() -> https.tls(tls.toBuilder().profile(TlsProfile.NONE).build()).build())
                .contains("NONE"));
        // JDK default trust anchors, the default profile: a working sink
        try (FhirRepositorySink s = new FhirRepositorySink(https.tls(tls).build())) {
            assertEquals("fhir", s.name());
        }
        try (FhirRepositorySink s = new FhirRepositorySink(https.tls(null).build())) {
            assertEquals(0, s.confirmed());
        }
        String missing = error(() -> new FhirRepositorySink(https.tls(tls.toBuilder()
                .trustedCertificates(java.nio.file.Path.of("/nonexistent/ca.pem")).build()).build()));
        assertTrue(missing.contains("FHIR sink TLS settings") && missing.contains("ca.pem"), missing);
    }

    @Test
    void tokenNeverShown() {
        FhirRepositoryOptions o = base().bearerToken(TOKEN).build();
        assertFalse(o.toString().contains(TOKEN), o.toString());
        try (FhirRepositorySink s = new FhirRepositorySink(o)) {
            assertFalse(s.toString().contains(TOKEN));
        }
    }

    private static SpooledRecord fhirRecord(long seq, String id, byte[] json) {
        return new SpooledRecord(seq, new AuditRecord(id, Instant.now(), "DicomInstancesTransferred", 0,
                "DicomInstancesTransferred", AuditFormat.FHIR_AUDITEVENT_JSON, json));
    }

    @Test
    void postRequest() throws IOException {
        byte[] json = new FhirAuditEventWriter().write(AuditSamples.message(AuditEventType.DicomInstancesTransferred));
        try (FhirRepositorySink s = new FhirRepositorySink(base().bearerToken(TOKEN)
                .requestTimeout(Duration.ofSeconds(7)).build())) {
            HttpRequest r = s.request(fhirRecord(1, UUID.randomUUID().toString(), json));
            assertEquals("POST", r.method());
            assertEquals(URI.create("http://127.0.0.1:8080/fhir/AuditEvent"), r.uri());
            assertEquals(List.of("application/fhir+json"), r.headers().allValues("Content-Type"));
            assertEquals(List.of("application/fhir+json"), r.headers().allValues("Accept"));
            assertEquals(List.of("Bearer " + TOKEN), r.headers().allValues("Authorization"));
            assertEquals(Duration.ofSeconds(7), r.timeout().orElseThrow());
            assertEquals(json.length, r.bodyPublisher().orElseThrow().contentLength());
        }
    }

    @Test
    void putRequestCarriesTheRecordId() throws IOException {
        byte[] json = new FhirAuditEventWriter().write(AuditSamples.message(AuditEventType.Query));
        String id = UUID.randomUUID().toString();
        try (FhirRepositorySink s = new FhirRepositorySink(base().method(FhirRepositoryOptions.Method.PUT).build())) {
            HttpRequest r = s.request(fhirRecord(3, id, json));
            assertEquals("PUT", r.method());
            assertEquals(URI.create("http://127.0.0.1:8080/fhir/AuditEvent/" + id), r.uri());
            assertFalse(r.headers().firstValue("Authorization").isPresent());
            byte[] body = FhirRepositorySink.withId(json, id);
            assertEquals(body.length, r.bodyPublisher().orElseThrow().contentLength());
            String text = new String(body, StandardCharsets.UTF_8);
            assertTrue(text.startsWith("{\"id\":\"" + id + "\",\"resourceType\":\"AuditEvent\""), text);
            assertEquals(new String(json, StandardCharsets.UTF_8), text.replace("\"id\":\"" + id + "\",", ""));

            // an ID that cannot be a FHIR id, a payload that is no JSON object: refused, for that record only
            RecordRejectedException e = assertThrows(RecordRejectedException.class,
                    () -> s.request(fhirRecord(4, "x".repeat(65), json)));
            assertEquals(4, e.sequence());
            e = assertThrows(RecordRejectedException.class,
                    () -> s.request(fhirRecord(5, id, "[1]".getBytes(StandardCharsets.UTF_8))));
            assertEquals(5, e.sequence());
        }
    }

    private static String withId(String json, String id) {
        byte[] b = FhirRepositorySink.withId(json.getBytes(StandardCharsets.UTF_8), id);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void idIsInsertedOrReplacedAtTopLevelOnly() {
        assertEquals("{\"id\":\"a1\"}", withId("{}", "a1"));
        assertEquals("  {\"id\":\"a1\" }", withId("  { }", "a1"));
        assertEquals("{\"id\":\"a1\",\"x\":1}", withId("{\"x\":1}", "a1"));
        assertEquals("{\"x\":1,\"id\":\"a1\"}", withId("{\"x\":1,\"id\":\"old\"}", "a1"));
        assertEquals("{\"id\" : \"a1\", \"y\":2}", withId("{\"id\" : 17, \"y\":2}", "a1"));
        assertEquals("{\"id\":\"a1\",\"x\":{\"id\":\"inner\"},\"a\":[{\"id\":\"z\"}],\"s\":\"\\\"id\\\":\"}",
                withId("{\"x\":{\"id\":\"inner\"},\"a\":[{\"id\":\"z\"}],\"s\":\"\\\"id\\\":\"}", "a1"));
        assertEquals("{\"a\":{\"b\":[1,2]},\"id\":\"a1\"}", withId("{\"a\":{\"b\":[1,2]},\"id\":{\"v\":[3]}}", "a1"));
        assertEquals("{\"id\":\"a1\",\"x\":\"trunc", withId("{\"x\":\"trunc", "a1"));
        assertNull(withId("[]", "a1"));
        assertNull(withId("", "a1"));
        assertNull(withId("<AuditMessage/>", "a1"));
    }

    @Test
    void nonFhirRecordsAreRefusedBeforeAnythingIsSent() throws IOException {
        byte[] xml = AuditXml.toXml(AuditSamples.message(AuditEventType.DicomInstancesTransferred))
                .getBytes(StandardCharsets.UTF_8);
        SpooledRecord r = new SpooledRecord(9, new AuditRecord(UUID.randomUUID().toString(), Instant.now(),
                "DicomInstancesTransferred", 0, "k", AuditFormat.DICOM_XML, xml));
        // port 9 (discard) on loopback: nothing listens, but nothing is tried either
        try (FhirRepositorySink s = new FhirRepositorySink(FhirRepositoryOptions.builder()
                .baseUrl("http://127.0.0.1:9/fhir").build())) {
            RecordRejectedException e = assertThrows(RecordRejectedException.class, () -> s.send(List.of(r)));
            assertEquals(9, e.sequence());
            assertTrue(e.getMessage().contains("DICOM_XML") && e.getMessage().contains("FHIR_AUDITEVENT_JSON"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("DOE"), "no payload in the message");
            assertEquals(0, s.confirmed());
            s.send(List.of()); // a health check: nothing pending
        }
    }

    @Test
    void unreachableServerIsAnIoErrorNotARefusal() {
        byte[] json = new FhirAuditEventWriter().write(AuditSamples.message(AuditEventType.NetworkEntry));
        try (FhirRepositorySink s = new FhirRepositorySink(FhirRepositoryOptions.builder()
                .baseUrl("http://127.0.0.1:9/fhir").connectTimeout(Duration.ofSeconds(2)).build())) {
            IOException e = assertThrows(IOException.class,
                    () -> s.send(List.of(fhirRecord(1, UUID.randomUUID().toString(), json))));
            assertFalse(e instanceof RecordRejectedException, e.toString());
            assertTrue(e.getMessage().contains("http://127.0.0.1:9/fhir"), e.getMessage());
            assertEquals(0, s.confirmed());
        }
    }

    @Test
    void statusClasses() {
        for (int st : new int[] {400, 409, 410, 412, 413, 415, 422, 499}) {
            assertTrue(FhirRepositorySink.isPermanentRefusal(st), Integer.toString(st));
        }
        for (int st : new int[] {200, 201, 301, 302, 401, 403, 404, 405, 408, 429, 500, 502, 503, 504}) {
            assertFalse(FhirRepositorySink.isPermanentRefusal(st), Integer.toString(st));
        }
    }

    @Test
    void operationOutcomeDiagnostics() {
        String oo = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\","
                + "\"diagnostics\":\"HAPI-0450: Failed to parse request body as JSON resource.\\nError was: x\"},"
                + "{\"severity\":\"error\",\"code\":\"required\",\"diagnostics\":\"AuditEvent.type: minimum \\u0022 1\"}]}";
        assertEquals("HAPI-0450: Failed to parse request body as JSON resource. Error was: x; AuditEvent.type: "
                + "minimum \" 1", FhirRepositorySink.diagnostics(oo.getBytes(StandardCharsets.UTF_8)));
        assertEquals("no diagnostics", FhirRepositorySink.diagnostics(("{\"resourceType\":\"OperationOutcome\","
                + "\"issue\":[{\"details\":{\"text\":\"no diagnostics\"}}]}").getBytes(StandardCharsets.UTF_8)));
        String longText = "y".repeat(1000);
        String d = FhirRepositorySink.diagnostics(("{\"resourceType\":\"OperationOutcome\",\"issue\":[{"
                + "\"diagnostics\":\"" + longText + "\"}]}").getBytes(StandardCharsets.UTF_8));
        assertEquals(303, d.length());
        assertNull(FhirRepositorySink.diagnostics("<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8)));
        assertNull(FhirRepositorySink.diagnostics(new byte[0]));
        assertNull(FhirRepositorySink.diagnostics(null));
        assertArrayEquals(new byte[0], new byte[0]);
    }

    @Test
    void quotedValuesInDiagnosticsAreLeftOut() {
        byte[] body = ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                + "\"code\":\"invalid\",\"diagnostics\":\"Unknown code 'DOE^JANE' at AuditEvent.entity[0].name; "
                + "value \\\"PID-42\\\" too long\"}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String d = FhirRepositorySink.diagnostics(body);
        org.junit.jupiter.api.Assertions.assertNotNull(d);
        assertFalse(d.contains("DOE") || d.contains("PID-42"), d);
        assertTrue(d.contains("Unknown code '...' at AuditEvent.entity[0].name"), d);
    }
}
