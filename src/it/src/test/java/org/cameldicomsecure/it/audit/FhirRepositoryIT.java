package org.cameldicomsecure.it.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.audit.AuditEventType;
import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditMessages;
import org.cameldicomsecure.audit.AuditSourceIdentification;
import org.cameldicomsecure.audit.AuditXml;
import org.cameldicomsecure.audit.EventActionCode;
import org.cameldicomsecure.audit.EventOutcome;
import org.cameldicomsecure.audit.Participants;
import org.cameldicomsecure.audit.Patient;
import org.cameldicomsecure.audit.Study;
import org.cameldicomsecure.audit.fhir.FhirAuditEventWriter;
import org.cameldicomsecure.audit.trail.AuditAlarm;
import org.cameldicomsecure.audit.trail.AuditRecord;
import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.AuditTrail;
import org.cameldicomsecure.audit.trail.AuditTrailOptions;
import org.cameldicomsecure.audit.trail.AuditTrailStats;
import org.cameldicomsecure.audit.trail.FhirRepositoryOptions;
import org.cameldicomsecure.audit.trail.FhirRepositorySink;
import org.cameldicomsecure.audit.trail.SpooledRecord;
import org.cameldicomsecure.it.peers.HapiFhirServer;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FhirRepositorySink} behind an {@link AuditTrail} against a real FHIR server stack: HAPI FHIR's RestfulServer
 * in Jetty 12 with the HL7 validator on every request ({@link HapiFhirServer}). Records of several PS3.15 A.5.3 event
 * types, written by {@link FhirAuditEventWriter}, arrive and are read back over FHIR search; PUT replays are
 * idempotent; records the server refuses (unparseable JSON: 400, an invalid AuditEvent: 422) and a DICOM XML record
 * are skipped with alarms while the rest arrive; a server stopped mid-run and restarted on the same port gets
 * everything (retry); https with mutual TLS from {@code TlsSettings}.
 */
class FhirRepositoryIT {

    private static final int N = 200;
    private static final OffsetDateTime TIME = OffsetDateTime.of(2024, 5, 17, 9, 31, 2, 123_456_000,
            ZoneOffset.ofHours(2));
    private static final String STUDY_UID = "2.25.299792458123456789";
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    private static final FhirAuditEventWriter WRITER = new FhirAuditEventWriter();
    private static final AuditEventType[] TYPES = {AuditEventType.DicomInstancesTransferred,
        AuditEventType.BeginTransferringDicomInstances, AuditEventType.Query, AuditEventType.UserAuthentication,
        AuditEventType.ApplicationActivity, AuditEventType.NetworkEntry, AuditEventType.SecurityAlert,
        AuditEventType.DicomStudyDeleted, AuditEventType.DataExport, AuditEventType.PatientRecord};

    private static HapiFhirServer server;

    @TempDir
    Path tmp;

    private final List<AuditAlarm> alarms = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = new HapiFhirServer();
        // warm the validator (loading the R4 core package takes seconds) so that throughput figures mean something
        try (FhirRepositorySink s = new FhirRepositorySink(options(FhirRepositoryOptions.Method.POST).build())) {
            s.send(List.of(new SpooledRecord(1, record(-1))));
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void clear() {
        server.clear();
    }

    private static FhirRepositoryOptions.Builder options(FhirRepositoryOptions.Method method) {
        return FhirRepositoryOptions.builder().baseUrl(server.baseUrl()).method(method)
                .bearerToken("it-token-not-checked").requestTimeout(Duration.ofSeconds(20));
    }

    private AuditTrail trail(Path spool, AuditSink sink) throws IOException {
        return AuditTrail.open(AuditTrailOptions.builder(spool).retryInitialDelay(Duration.ofMillis(50))
                .retryMaxDelay(Duration.ofMillis(500)).alarmHandler(alarms::add).build(), List.of(sink));
    }

    /** Record {@code n}: event type {@code TYPES[n % 10]}, EventDateTime TIME + n ms (unique, read back). */
    static AuditRecord record(long n) {
        AuditEventType type = TYPES[(int) Math.floorMod(n, (long) TYPES.length)];
        AuditMessage m = message(type, TIME.plus(n + 1000, ChronoUnit.MILLIS), n);
        return new AuditRecord(UUID.randomUUID().toString(), m.event().dateTime().toInstant(), type.name(),
                m.outcome(), type.name(), AuditFormat.FHIR_AUDITEVENT_JSON, WRITER.write(m));
    }

    private static List<AuditRecord> records(int count) {
        List<AuditRecord> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(record(i));
        }
        return list;
    }

    private static Set<Instant> times(List<AuditRecord> records) {
        return records.stream().map(r -> r.time().truncatedTo(ChronoUnit.MILLIS))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** What a FHIR search of all AuditEvents returns, over HTTP. */
    private static List<AuditEvent> searchAll() throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent"))
                .header("Accept", "application/fhir+json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Bundle b = HapiFhirServer.fhirContext().newJsonParser().parseResource(Bundle.class, r.body());
        assertTrue(b.getLink("next") == null, "one page");
        List<AuditEvent> list = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : b.getEntry()) {
            list.add((AuditEvent) e.getResource());
        }
        return list;
    }

    private static Set<Instant> recordedTimes(List<AuditEvent> events) {
        return events.stream().map(e -> e.getRecorded().toInstant()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static double emitAndDrain(AuditTrail trail, List<AuditRecord> records) throws IOException {
        long t0 = System.nanoTime();
        for (AuditRecord r : records) {
            trail.emit(r);
        }
        assertTrue(trail.drain(Duration.ofSeconds(120)), () -> "not drained: " + trail.stats());
        return records.size() / ((System.nanoTime() - t0) / 1e9);
    }

    @Test
    void postDeliversEveryRecord() throws Exception {
        List<AuditRecord> records = records(N);
        double rate;
        try (FhirRepositorySink sink = new FhirRepositorySink(options(FhirRepositoryOptions.Method.POST).build());
                AuditTrail trail = trail(tmp.resolve("spool"), sink)) {
            rate = emitAndDrain(trail, records);
            AuditTrailStats.Sink st = trail.stats().sink("fhir");
            assertEquals(N, st.confirmed(), st.toString());
            assertEquals(0, st.rejected());
        }
        System.out.printf("FhirRepositoryIT POST: %d records in %d event types, %.0f records/s (HAPI validating "
                + "every request; the validator alone takes %.1f ms per DicomInstancesTransferred record)%n", N,
                TYPES.length, rate, HapiFhirServer.validationMillis(records.get(0).text(), 20));
        List<AuditEvent> stored = searchAll();
        assertEquals(N, stored.size());
        assertEquals(times(records), recordedTimes(stored));
        assertEquals(N, server.writes());
        Set<String> types = stored.stream().map(e -> e.getType().getCode()).collect(Collectors.toSet());
        assertEquals(TYPES.length, types.size(), types.toString());
        assertTrue(alarms.isEmpty(), alarms.toString());
    }

    @Test
    void putTwiceLeavesExactlyOneResourcePerRecord() throws Exception {
        List<AuditRecord> records = records(N);
        double[] rate = new double[2];
        for (int round = 0; round < 2; round++) {
            // a fresh spool each round: the same records (same IDs) delivered again, as after a replay
            try (FhirRepositorySink sink = new FhirRepositorySink(options(FhirRepositoryOptions.Method.PUT).build());
                    AuditTrail trail = trail(tmp.resolve("spool" + round), sink)) {
                rate[round] = emitAndDrain(trail, records);
            }
        }
        System.out.printf("FhirRepositoryIT PUT: %d records twice, %.0f and %.0f records/s%n", N, rate[0], rate[1]);
        assertEquals(2L * N, server.writes());
        List<AuditEvent> stored = searchAll();
        assertEquals(N, stored.size());
        Set<String> ids = stored.stream().map(e -> e.getIdElement().getIdPart()).collect(Collectors.toSet());
        assertEquals(records.stream().map(AuditRecord::id).collect(Collectors.toSet()), ids);
        assertEquals(times(records), recordedTimes(stored));

        // read back one by its record ID
        AuditRecord some = records.get(17);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/AuditEvent/" + some.id())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        AuditEvent e = HapiFhirServer.fhirContext().newJsonParser().parseResource(AuditEvent.class, r.body());
        assertEquals(some.id(), e.getIdElement().getIdPart());
        assertEquals(some.time().truncatedTo(ChronoUnit.MILLIS), e.getRecorded().toInstant());
        assertTrue(alarms.isEmpty(), alarms.toString());
    }

    @Test
    void refusedRecordsRaiseAlarmsAndTheRestArrive() throws Exception {
        List<AuditRecord> records = new ArrayList<>(records(60));
        AuditRecord good = records.get(10);
        String json = good.text();
        // unparseable (cut short): HAPI answers 400
        records.set(10, withPayload(good, json.substring(0, json.length() / 2)));
        // parseable, but no type, agent, source: the validator's errors, 422
        records.set(20, withPayload(records.get(20), "{\"resourceType\":\"AuditEvent\",\"recorded\":\""
                + "2024-05-17T09:31:02+02:00\"}"));
        // not FHIR at all: refused by the sink itself, nothing sent
        AuditRecord x = records.get(30);
        records.set(30, new AuditRecord(x.id(), x.time(), x.eventType(), x.outcome(), x.key(), AuditFormat.DICOM_XML,
                AuditXml.toXml(message(AuditEventType.Query, TIME, 30)).getBytes(StandardCharsets.UTF_8)));
        try (FhirRepositorySink sink = new FhirRepositorySink(options(FhirRepositoryOptions.Method.POST).build());
                AuditTrail trail = trail(tmp.resolve("spool"), sink)) {
            emitAndDrain(trail, records);
            AuditTrailStats.Sink st = trail.stats().sink("fhir");
            assertEquals(3, st.rejected(), st.toString());
        }
        List<AuditAlarm> rejected = alarms.stream().filter(a -> a.kind() == AuditAlarm.Kind.RECORD_REJECTED).toList();
        assertEquals(List.of(11L, 21L, 31L), rejected.stream().map(AuditAlarm::sequence).toList(), alarms.toString());
        assertEquals(List.of(records.get(10).id(), records.get(20).id(), records.get(30).id()),
                rejected.stream().map(AuditAlarm::recordId).toList());
        assertTrue(rejected.get(0).message().contains("answered 400"), rejected.get(0).message());
        assertTrue(rejected.get(1).message().contains("answered 422"), rejected.get(1).message());
        assertTrue(rejected.get(2).message().contains("DICOM_XML"), rejected.get(2).message());
        for (AuditAlarm a : rejected) {
            System.out.println("FhirRepositoryIT alarm: " + a.message());
            assertFalse(a.message().contains("Müller") || a.message().contains("PID-"), "no patient data");
        }
        List<AuditRecord> arrived = new ArrayList<>(records);
        arrived.remove(30);
        arrived.remove(20);
        arrived.remove(10);
        List<AuditEvent> stored = searchAll();
        assertEquals(57, stored.size());
        assertEquals(times(arrived), recordedTimes(stored));
    }

    private static AuditRecord withPayload(AuditRecord r, String payload) {
        return new AuditRecord(r.id(), r.time(), r.eventType(), r.outcome(), r.key(), r.format(),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void serverStoppedMidRunGetsEverythingAfterItsRestart() throws Exception {
        List<AuditRecord> records = records(N);
        try (FhirRepositorySink sink = new FhirRepositorySink(options(FhirRepositoryOptions.Method.PUT)
                .connectTimeout(Duration.ofSeconds(2)).build());
                AuditTrail trail = trail(tmp.resolve("spool"), sink)) {
            for (int i = 0; i < N / 2; i++) {
                trail.emit(records.get(i));
            }
            waitUntil(() -> trail.stats().sink("fhir").confirmed() >= N / 4, "a quarter delivered");
            server.stop();
            for (int i = N / 2; i < N; i++) {
                trail.emit(records.get(i));
            }
            waitUntil(() -> !trail.stats().sink("fhir").up(), "the sink sees the server down");
            AuditTrailStats.Sink down = trail.stats().sink("fhir");
            System.out.println("FhirRepositoryIT while the server is down: " + down);
            assertTrue(down.confirmed() < N, down.toString());
            assertNotNull(down.lastError());
            Thread.sleep(1500);
            server.start();
            assertTrue(trail.drain(Duration.ofSeconds(120)), () -> "not drained: " + trail.stats());
            AuditTrailStats.Sink st = trail.stats().sink("fhir");
            assertEquals(N, st.confirmed(), st.toString());
            assertTrue(st.up());
            System.out.println("FhirRepositoryIT after the restart: " + st + ", " + server.writes() + " writes");
        }
        List<AuditEvent> stored = searchAll();
        assertEquals(N, stored.size(), "PUT: each record exactly once");
        assertEquals(times(records), recordedTimes(stored));
        assertTrue(server.writes() >= N);
        assertTrue(alarms.isEmpty(), alarms.toString());
    }

    @Test
    void httpsWithMutualTls() throws Exception {
        SyslogPki pki = new SyslogPki(tmp.resolve("pki"));
        char[] pw = "changeit".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", pki.server.key(), pw, new Certificate[] {pki.server.cert(), pki.ca.cert()});
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", pki.ca.cert());
        List<AuditRecord> records = records(50);
        try (HapiFhirServer https = new HapiFhirServer(ks, pw, ts)) {
            assertTrue(https.baseUrl().startsWith("https://127.0.0.1:"));
            FhirRepositoryOptions.Builder o = FhirRepositoryOptions.builder().baseUrl(https.baseUrl())
                    .method(FhirRepositoryOptions.Method.PUT);
            try (FhirRepositorySink sink = new FhirRepositorySink(o.tls(pki.clientTls(pki.client, pki.ca)).build());
                    AuditTrail trail = trail(tmp.resolve("spool"), sink)) {
                double rate = emitAndDrain(trail, records);
                System.out.printf("FhirRepositoryIT https, mutual TLS: %d records, %.0f records/s%n",
                        records.size(), rate);
            }
            assertEquals(records.stream().map(AuditRecord::id).collect(Collectors.toSet()),
                    https.stored().stream().map(e -> e.getIdElement().getIdPart()).collect(Collectors.toSet()));

            // a server certificate from another CA, and no client certificate: I/O errors (retried), not refusals
            try (FhirRepositorySink sink = new FhirRepositorySink(o.tls(pki.clientTls(pki.client, pki.otherCa))
                    .build())) {
                IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                        () -> sink.send(List.of(new SpooledRecord(1, record(1)))));
                assertFalse(e instanceof org.cameldicomsecure.audit.trail.RecordRejectedException);
                System.out.println("FhirRepositoryIT untrusted server: " + e.getMessage());
            }
            try (FhirRepositorySink sink = new FhirRepositorySink(o.tls(pki.clientTls(null, pki.ca)).build())) {
                IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                        () -> sink.send(List.of(new SpooledRecord(1, record(2)))));
                assertFalse(e instanceof org.cameldicomsecure.audit.trail.RecordRejectedException);
                System.out.println("FhirRepositoryIT no client certificate: " + e.getMessage());
            }
            assertEquals(records.size(), https.stored().size());
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static AuditSourceIdentification auditSource() {
        return new AuditSourceIdentification("gateway@pacs.example.org", "Radiology",
                List.of(AuditCodes.SOURCE_APPLICATION_SERVER));
    }

    private static Study study(long n) {
        return Study.builder(STUDY_UID + "." + Math.abs(n)).addInstances(CT, 3).accessionNumber("ACC-" + n).build();
    }

    private static Patient patient(long n) {
        return new Patient("PID-" + n, "Müller^Jürgen^Ä");
    }

    /** A conforming message of {@code type} (as in FhirAuditEventIT), varied by {@code n}. */
    static AuditMessage message(AuditEventType type, OffsetDateTime time, long n) {
        AuditMessages.Builder b = AuditMessages.builder(type).eventDateTime(time).outcome(EventOutcome.SUCCESS)
                .auditSource(auditSource());
        switch (type) {
            case ApplicationActivity -> b.applicationStart()
                    .application(Participants.application("31337", List.of("GATEWAY"), "pacs.example.org"))
                    .launcher(Participants.person("admin", "example.org", "Ada Admin").requestor(true));
            case BeginTransferringDicomInstances -> b
                    .source(Participants.application("STORESCU", "192.0.2.10").requestor(true))
                    .destination(Participants.application("GATEWAY", "2001:db8::1")).study(study(n))
                    .patient(patient(n));
            case DataExport -> b.source(Participants.person("tech", "example.org", "Tom Tech").requestor(true))
                    .destinationMedia(Participants.media("urn:uuid:5b4f8f26-4f5e-4c0d-9d0f-6a9d6e6e0c11",
                            AuditCodes.MEDIA_DVD))
                    .study(study(n)).patient(patient(n));
            case DicomInstancesTransferred -> b.action(EventActionCode.CREATE)
                    .outcome(n % 20 == 0 ? EventOutcome.MINOR_FAILURE : EventOutcome.SUCCESS)
                    .source(Participants.application("STORESCU", "192.0.2.10").requestor(true))
                    .destination(Participants.application("31337", List.of("GATEWAY"), "pacs.example.org"))
                    .study(study(n)).patient(patient(n));
            case DicomStudyDeleted -> b.user(Participants.process("31337", "gateway")).study(Study.of(STUDY_UID))
                    .patient(patient(n));
            case NetworkEntry -> b.detach().node(Participants.node("pacs.example.org", "192.0.2.1"));
            case Query -> b.source(Participants.application("FINDSCU", "192.0.2.10").requestor(true))
                    .destination(Participants.application("GATEWAY", "pacs.example.org"))
                    .query(STUDY_ROOT_FIND, new byte[] {8, 0, 0x52, 0, 6, 0, 0, 0, 'S', 'T', 'U', 'D', 'Y', ' '},
                            AuditCodes.IMPLICIT_VR_LITTLE_ENDIAN);
            case SecurityAlert -> b.eventTypeCode(AuditCodes.TYPE_NODE_AUTHENTICATION)
                    .outcome(EventOutcome.MINOR_FAILURE).outcomeDescription("TLS handshake failed: unknown CA")
                    .user(Participants.process("31337", "gateway"))
                    .alertSubjectNode("192.0.2.66", "client certificate \"CN=evil\" rejected: unknown CA");
            case UserAuthentication -> b.login().outcome(EventOutcome.SERIOUS_FAILURE)
                    .user(Participants.person("jdoe", "example.org", "John Doe").networkAccessPoint("192.0.2.77")
                            .requestor(true))
                    .node(Participants.node("pacs.example.org", "pacs.example.org"));
            case PatientRecord -> b.action(EventActionCode.READ)
                    .user(Participants.person("clerk", "example.org", "Carl Clerk").requestor(true))
                    .patient(patient(n));
            default -> throw new IllegalArgumentException(type.name());
        }
        return b.build();
    }

}
