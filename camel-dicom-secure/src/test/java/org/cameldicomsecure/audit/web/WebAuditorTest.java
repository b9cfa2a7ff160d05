package org.cameldicomsecure.audit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cameldicomsecure.audit.ActiveParticipant;
import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.audit.AuditEventType;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditSchema;
import org.cameldicomsecure.audit.AuditSourceIdentification;
import org.cameldicomsecure.audit.EventActionCode;
import org.cameldicomsecure.audit.NetworkAccessPointType;
import org.cameldicomsecure.audit.ParticipantObjectIdentification;
import org.cameldicomsecure.audit.dimse.DimseAuditor.InstanceFacts;
import org.cameldicomsecure.web.QidoLevel;
import org.cameldicomsecure.web.server.DicomWebOperation;
import org.cameldicomsecure.web.server.QidoQuery;
import org.cameldicomsecure.web.server.WadoQuery;
import org.cameldicomsecure.web.server.WebRequest;
import org.junit.jupiter.api.Test;

/** The DICOMweb audit messages (PS3.15 A.5.3), each valid against the A.5.1 schema. */
class WebAuditorTest {

    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    static final String BASE = "https://pacs.example.org:8443/dicom-web";
    static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40123);

    /** A clock the tests move. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final TestClock clock = new TestClock();
    final List<AuditMessage> out = new ArrayList<>();
    final List<RuntimeException> errors = new ArrayList<>();
    final WebAuditor auditor = new WebAuditor(AuditSourceIdentification.of("TEST"), "gateway-test", "gateway.example",
            ZoneId.of("Europe/Paris"), false, Duration.ofMinutes(30), clock, out::add, errors::add);

    static InstanceFacts facts(String cls, String uid, String study, String patient) {
        return new InstanceFacts(cls, uid, study, patient, "Doe^Jane", "ACC-" + study);
    }

    static WebRequest request(DicomWebOperation op, String method, String path, String principal, String study,
            String series) {
        return new WebRequest(op, method, path, BASE, CLIENT, principal, principal == null ? Set.of()
                : Set.of("dicom.read"), null, "TLSv1.3", study, series, null);
    }

    List<AuditMessage> of(AuditEventType type) {
        return out.stream().filter(m -> m.eventType() == type).toList();
    }

    static ActiveParticipant withRole(AuditMessage m, org.cameldicomsecure.audit.CodedValue role) {
        return m.participants().stream().filter(p -> p.hasRole(role)).findFirst().orElseThrow();
    }

    void assertAllValid() {
        for (AuditMessage m : out) {
            AuditSchema.assertValid(m);
        }
        assertTrue(errors.isEmpty(), errors.toString());
    }

    // ------------------------------------------------------------------ user agent

    @Test
    void stowSentMakesOneMessagePerStudyAndOutcome() {
        URI base = URI.create(BASE);
        List<InstanceFacts> stored = List.of(facts(CT, "1.1", "9.1", "P1"), facts(CT, "1.2", "9.1", "P1"),
                facts(MR, "1.3", "9.2", "P2"));
        List<InstanceFacts> failed = List.of(facts(CT, "1.4", "9.1", "P1"));
        List<InstanceFacts> all = new ArrayList<>(stored);
        all.addAll(failed);
        auditor.stowBeginning(base, all);
        auditor.stowSent(base, stored, failed, "Failure Reason A700");

        List<AuditMessage> begin = of(AuditEventType.BeginTransferringDicomInstances);
        assertEquals(2, begin.size(), "one per study and patient");
        List<AuditMessage> transferred = of(AuditEventType.DicomInstancesTransferred);
        assertEquals(3, transferred.size());
        assertEquals(List.of(0, 0, 8), transferred.stream().map(AuditMessage::outcome).toList());
        AuditMessage first = transferred.get(0);
        assertEquals(EventActionCode.READ, first.event().actionCode());
        ParticipantObjectIdentification study = first.studies().get(0);
        assertEquals("9.1", study.objectId());
        assertEquals(2, study.descriptions().get(0).sopClasses().get(0).numberOfInstances());
        assertEquals(Boolean.TRUE, study.descriptions().get(0).encrypted(), "https");
        assertEquals("P1", first.patients().get(0).objectId());
        // this application sends and asks; the origin server is named by its base URL
        ActiveParticipant src = withRole(first, AuditCodes.ROLE_SOURCE);
        ActiveParticipant dst = withRole(first, AuditCodes.ROLE_DESTINATION);
        assertEquals("gateway-test", src.userId());
        assertTrue(src.userIsRequestor());
        assertEquals(BASE, dst.userId());
        assertEquals(NetworkAccessPointType.URI, dst.networkAccessPointType());
        assertEquals(BASE, dst.networkAccessPointId());
        assertFalse(dst.userIsRequestor());
        AuditMessage failedMsg = transferred.get(2);
        assertEquals("Failure Reason A700", failedMsg.event().outcomeDescription());
        assertEquals(1, failedMsg.studies().get(0).descriptions().get(0).sopClasses().get(0).numberOfInstances());
        assertAllValid();
    }

    @Test
    void retrieveAsUserAgentHasTheServerAsSource() {
        URI base = URI.create("http://pacs.example.org/dicom-web/");
        auditor.retrieved(base, List.of(facts(CT, "1.1", "9.1", "P1"), facts(CT, "1.2", "9.1", "P1")), null);
        auditor.retrieved(base, List.of(facts(CT, "1.3", "9.3", "P3")), "connection reset");
        List<AuditMessage> t = of(AuditEventType.DicomInstancesTransferred);
        assertEquals(2, t.size());
        assertEquals(0, t.get(0).outcome());
        assertEquals(8, t.get(1).outcome());
        assertEquals("connection reset", t.get(1).event().outcomeDescription());
        assertEquals("http://pacs.example.org/dicom-web", withRole(t.get(0), AuditCodes.ROLE_SOURCE).userId());
        ActiveParticipant dst = withRole(t.get(0), AuditCodes.ROLE_DESTINATION);
        assertEquals("gateway-test", dst.userId());
        assertTrue(dst.userIsRequestor());
        assertEquals(Boolean.FALSE, t.get(0).studies().get(0).descriptions().get(0).encrypted(), "plain http");
        assertAllValid();
    }

    @Test
    void queryAsUserAgentRecordsTheUrlAndItsQuery() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("PatientName", List.of("Doe^J*"));
        params.put("includefield", List.of("00081030,StudyDate"));
        auditor.queried(URI.create(BASE), QidoLevel.SERIES, "9.1", null, params, null);
        auditor.queried(URI.create(BASE + "/studies?limit=5"), "HTTP 503");
        List<AuditMessage> q = of(AuditEventType.Query);
        assertEquals(2, q.size());
        ParticipantObjectIdentification o = q.get(0).objects().get(0);
        assertTrue(o.hasIdType(AuditCodes.ID_URI));
        assertEquals(BASE + "/studies/9.1/series", o.objectId());
        assertEquals("PatientName=Doe%5EJ*&includefield=00081030,StudyDate",
                new String(o.query(), StandardCharsets.UTF_8));
        assertNull(o.detail(AuditCodes.DETAIL_TRANSFER_SYNTAX), "no DICOM transfer syntax for a URL query");
        assertEquals(BASE, withRole(q.get(0), AuditCodes.ROLE_DESTINATION).userId());
        assertTrue(withRole(q.get(0), AuditCodes.ROLE_SOURCE).userIsRequestor());
        assertEquals(0, q.get(0).outcome());
        assertEquals("limit=5", new String(q.get(1).objects().get(0).query(), StandardCharsets.UTF_8));
        assertEquals(BASE + "/studies", q.get(1).objects().get(0).objectId());
        assertEquals(8, q.get(1).outcome());
        assertAllValid();
    }

    @Test
    void instancesWithoutPatientAreReportedNotAudited() {
        auditor.stowSent(URI.create(BASE), List.of(facts(CT, "1.1", "9.1", null)), List.of(), null);
        auditor.stowBeginning(URI.create(BASE), List.of(facts(CT, "1.1", null, "P1")));
        assertTrue(out.isEmpty());
        assertEquals(2, errors.size());
        assertTrue(errors.get(0).getMessage().contains("Patient ID"));
        assertTrue(errors.get(1).getMessage().contains("Study Instance UID"));
        for (RuntimeException e : errors) {
            assertFalse(e.getMessage().contains("Doe"), "no patient data in errors");
        }
    }

    // ------------------------------------------------------------------ origin server

    @Test
    void loginIsAuditedOncePerPrincipalAndAddressPerInterval() {
        WebRequest r = request(DicomWebOperation.QIDO, "GET", "/dicom-web/studies", "alice", null, null);
        auditor.authenticated(r);
        auditor.authenticated(r);
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        auditor.authenticated(r);
        assertEquals(1, of(AuditEventType.UserAuthentication).size());
        auditor.authenticated(new WebRequest(DicomWebOperation.QIDO, "GET", "/dicom-web/studies", BASE,
                new InetSocketAddress("192.0.2.8", 1000), "alice", Set.of(), null, null, null, null, null));
        auditor.authenticated(request(DicomWebOperation.QIDO, "GET", "/dicom-web/studies", "bob", null, null));
        assertEquals(3, of(AuditEventType.UserAuthentication).size(), "another address, another principal");
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        auditor.authenticated(r);
        List<AuditMessage> logins = of(AuditEventType.UserAuthentication);
        assertEquals(4, logins.size(), "again after the interval");
        AuditMessage m = logins.get(0);
        assertEquals(0, m.outcome());
        assertTrue(m.event().eventTypeCodes().get(0).sameCode(AuditCodes.TYPE_LOGIN));
        ActiveParticipant person = m.participants().stream().filter(ActiveParticipant::userIsRequestor).findFirst()
                .orElseThrow();
        assertEquals("alice", person.userId());
        assertEquals("192.0.2.7", person.networkAccessPointId());
        assertEquals(NetworkAccessPointType.IP_ADDRESS, person.networkAccessPointType());
        ActiveParticipant node = m.participants().stream().filter(p -> !p.userIsRequestor()).findFirst().orElseThrow();
        assertEquals(BASE, node.networkAccessPointId());
        assertAllValid();
    }

    @Test
    void refusalsAreAuthenticationFailuresOrSecurityAlerts() {
        auditor.refused(request(DicomWebOperation.STOW, "POST", "/dicom-web/studies", null, null, null), 401,
                "the access token expired");
        auditor.refused(request(DicomWebOperation.STOW, "POST", "/dicom-web/studies/9.1", "alice", "9.1", null),
                403, "the access token lacks a scope required for STOW (dicom.write)");
        auditor.refused(request(DicomWebOperation.STOW, "POST", "/dicom-web/studies", null, null, null), 415,
                "part 2 is not application/dicom");
        auditor.refused(request(DicomWebOperation.WADO, "GET", "/dicom-web/nothing", null, null, null), 404, "no");
        assertEquals(2, out.size(), "415 and 404 are no security events");

        AuditMessage auth = of(AuditEventType.UserAuthentication).get(0);
        assertEquals(4, auth.outcome());
        assertEquals("the access token expired", auth.event().outcomeDescription());
        assertEquals("unknown", auth.participants().stream().filter(ActiveParticipant::userIsRequestor).findFirst()
                .orElseThrow().userId());

        AuditMessage alert = of(AuditEventType.SecurityAlert).get(0);
        assertEquals(4, alert.outcome());
        assertTrue(alert.event().eventTypeCodes().get(0).sameCode(AuditCodes.TYPE_USE_OF_RESTRICTED_FUNCTION));
        ParticipantObjectIdentification subject = alert.objects().get(0);
        assertTrue(subject.hasIdType(AuditCodes.ID_URI));
        assertEquals("https://pacs.example.org:8443/dicom-web/studies/9.1", subject.objectId());
        assertTrue(subject.detail(AuditCodes.DETAIL_ALERT_DESCRIPTION).text().contains("dicom.write"));
        assertTrue(alert.participants().stream().anyMatch(p -> p.userId().equals("alice") && !p.userIsRequestor()),
                "the principal performs, never the requestor (A.5.3.11)");
        auditor.tlsFailed(CLIENT, "protocol_version: TLSv1.1 refused");
        assertEquals("192.0.2.7", of(AuditEventType.SecurityAlert).get(1).objects().get(0).objectId());
        assertAllValid();
    }

    @Test
    void wadoServedIsTransferredWithUsAsSource() {
        WebRequest r = request(DicomWebOperation.WADO, "GET", "/dicom-web/studies/9.1", "alice", "9.1", null);
        auditor.serving(r, List.of(facts(CT, "1.1", "9.1", "P1"), facts(CT, "1.2", "9.1", "P1")));
        assertEquals(1, of(AuditEventType.BeginTransferringDicomInstances).size());
        auditor.retrieved(r, new WadoQuery("9.1", null, null), 2, true);
        AuditMessage t = of(AuditEventType.DicomInstancesTransferred).get(0);
        assertEquals(0, t.outcome());
        ActiveParticipant src = withRole(t, AuditCodes.ROLE_SOURCE);
        ActiveParticipant dst = withRole(t, AuditCodes.ROLE_DESTINATION);
        assertEquals("gateway-test", src.userId());
        assertEquals(NetworkAccessPointType.URI, src.networkAccessPointType());
        assertEquals(BASE, src.networkAccessPointId());
        assertEquals("192.0.2.7", dst.userId());
        assertFalse(dst.userIsRequestor(), "the principal is the requestor");
        assertTrue(t.participants().stream().anyMatch(p -> p.userId().equals("alice") && p.userIsRequestor()));

        // broken off: outcome 8 and the count; an answer the handler did not describe cannot be audited
        WebRequest r2 = request(DicomWebOperation.WADO, "GET", "/dicom-web/studies/9.2", null, "9.2", null);
        auditor.serving(r2, List.of(facts(CT, "2.1", "9.2", "P2"), facts(CT, "2.2", "9.2", "P2")));
        auditor.failed(r2, 200, "WADO-RS response broken off: ClosedChannelException");
        auditor.retrieved(r2, new WadoQuery("9.2", null, null), 1, false);
        AuditMessage broken = of(AuditEventType.DicomInstancesTransferred).get(1);
        assertEquals(8, broken.outcome());
        assertTrue(broken.event().outcomeDescription().contains("after 1 of 2"));
        assertTrue(withRole(broken, AuditCodes.ROLE_DESTINATION).userIsRequestor(), "no principal: the client asks");
        for (AuditMessage m : out) {
            AuditSchema.assertValid(m);
        }
        assertTrue(errors.isEmpty(), errors.toString());
        auditor.retrieved(r2, new WadoQuery("9.2", null, null), 3, true);
        assertEquals(1, errors.size(), "not described by serving()");
        assertEquals(2, of(AuditEventType.DicomInstancesTransferred).size());
    }

    @Test
    void wadoFailureBeforeTheResponseIsOneFailedTransfer() {
        WebRequest r = request(DicomWebOperation.WADO, "GET", "/dicom-web/studies/9.1", null, "9.1", null);
        auditor.serving(r, List.of(facts(CT, "1.1", "9.1", "P1")));
        auditor.failed(r, 500, "instance could not be opened");
        List<AuditMessage> t = of(AuditEventType.DicomInstancesTransferred);
        assertEquals(1, t.size());
        assertEquals(8, t.get(0).outcome());
        assertAllValid();
    }

    @Test
    void qidoSearchIsAQueryOfTheResourceUrl() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("Modality", List.of("CT"));
        params.put("limit", List.of("10"));
        WebRequest r = request(DicomWebOperation.QIDO, "GET", "/dicom-web/studies/9.1/series", "alice", "9.1", null);
        auditor.queried(r, new QidoQuery(QidoLevel.SERIES, "9.1", null, params), 3);
        AuditMessage q = of(AuditEventType.Query).get(0);
        assertEquals(0, q.outcome());
        ParticipantObjectIdentification o = q.objects().get(0);
        assertTrue(o.hasIdType(AuditCodes.ID_URI));
        assertEquals(BASE + "/studies/9.1/series", o.objectId());
        assertEquals("Modality=CT&limit=10", new String(o.query(), StandardCharsets.UTF_8));
        ActiveParticipant src = withRole(q, AuditCodes.ROLE_SOURCE);
        assertEquals("192.0.2.7", src.userId());
        assertEquals(BASE, withRole(q, AuditCodes.ROLE_DESTINATION).networkAccessPointId());
        assertTrue(q.participants().stream().anyMatch(p -> p.userId().equals("alice") && p.userIsRequestor()));
        assertAllValid();
    }
}
