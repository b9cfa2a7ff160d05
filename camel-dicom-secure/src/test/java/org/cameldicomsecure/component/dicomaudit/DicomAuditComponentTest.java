package org.cameldicomsecure.component.dicomaudit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameldicomsecure.audit.AuditSchema;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dicomaudit in a Camel context with a file sink: explicit events built from exchanges, and the automatic auditing of
 * a dicomtls consumer and producer talking over loopback. Every line the sink wrote is validated against the
 * standard's schema (PS3.15 A.5.1).
 */
class DicomAuditComponentTest extends CamelTestSupport {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    @TempDir
    static Path dir;

    private final int port = AvailablePortFinder.getNextAvailable();
    private Path auditFile;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        DicomAuditComponent audit = new DicomAuditComponent();
        auditFile = dir.resolve("audit-" + port + ".log");
        audit.setFile(auditFile.toString());
        audit.setSpoolDirectory(dir.resolve("spool-" + port).toString());
        audit.setAuditSourceId("GATEWAY-TEST");
        ctx.addComponent("dicomaudit", audit);
        return ctx;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("dicomtls:GATEWAY@127.0.0.1:" + port + "?tlsProfile=NONE&allowedCallingAets=MODALITY")
                        .to("mock:received");
                from("direct:store").routeId("store").to("dicomtls:GATEWAY@127.0.0.1:" + port
                        + "?tlsProfile=NONE&callingAet=MODALITY&idleTimeout=0");
                from("direct:intruder").to("dicomtls:GATEWAY@127.0.0.1:" + port
                        + "?tlsProfile=NONE&callingAet=INTRUDER");
                from("direct:accessed").to("dicomaudit:DicomInstancesAccessed?action=R").to("mock:after");
                from("direct:patientRecord").to("dicomaudit:PatientRecord?action=U");
                from("direct:login").to("dicomaudit:UserAuthentication?eventTypeCode=Login");
                from("direct:failing").onException(IllegalStateException.class).handled(true)
                        .to("dicomaudit:SecurityAlert?eventTypeCode=UseOfRestrictedFunction").end()
                        .throwException(new IllegalStateException("refused"));
                from("direct:forward").to("dicomaudit:forward");
                from("direct:completion").to("dicomaudit:DicomStudyDeleted?onCompletion=true")
                        .throwException(new IllegalStateException("delete failed"));
            }
        };
    }

    private static DicomFile instance(String uid, String study, String patientId) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, CT);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.PatientName, VR.PN, "Doe^Jane");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC42");
        ds.setBytes(Tag.PixelData, VR.OW, new byte[1024]);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, CT);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomFile(new byte[128], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** The messages the file sink holds once the trail delivered everything, each validated against the schema. */
    private List<String> messages() throws Exception {
        DicomAuditComponent c = context.getComponent("dicomaudit", DicomAuditComponent.class);
        assertTrue(c.service().auditTrail().drain(Duration.ofSeconds(10)), "the file sink got everything");
        List<String> lines = Files.exists(auditFile) ? Files.readAllLines(auditFile, StandardCharsets.UTF_8)
                : List.of();
        for (String l : lines) {
            AuditSchema.assertValid(l.getBytes(StandardCharsets.UTF_8));
        }
        return lines;
    }

    private static List<String> withEvent(List<String> lines, String code) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.contains("<EventID csd-code=\"" + code + "\"")) {
                out.add(l);
            }
        }
        return out;
    }

    private static String attr(String xml, String element, String attribute) {
        Matcher m = Pattern.compile("<" + element + "\\b[^>]*\\b" + attribute + "=\"([^\"]*)\"").matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void explicitEventFromTheDataSetLeavesTheBodyAlone() throws Exception {
        byte[] part10 = new DicomWriter().toBytes(instance("1.2.3.1", "1.2.3.100", "PID-1"));
        Exchange ex = template.request("direct:accessed", e -> e.getIn().setBody(part10));
        assertFalse(ex.isFailed(), () -> String.valueOf(ex.getException()));
        assertArrayEquals(part10, ex.getMessage().getBody(byte[].class));
        assertNotNull(ex.getMessage().getHeader(DicomAuditConstants.RECORD_ID));
        assertInstanceOf(Long.class, ex.getMessage().getHeader(DicomAuditConstants.SEQUENCE));

        List<String> accessed = withEvent(messages(), "110103");
        assertEquals(1, accessed.size());
        String xml = accessed.get(0);
        assertEquals("R", attr(xml, "EventIdentification", "EventActionCode"));
        assertEquals("0", attr(xml, "EventIdentification", "EventOutcomeIndicator"));
        assertTrue(xml.contains("ParticipantObjectID=\"1.2.3.100\""), xml);
        assertTrue(xml.contains("ParticipantObjectID=\"PID-1\""), xml);
        assertTrue(xml.contains("<Accession Number=\"ACC42\"/>"), xml);
        assertEquals("GATEWAY-TEST", attr(xml, "AuditSourceIdentification", "AuditSourceID"));
    }

    @Test
    void patientRecordFromHeadersWhenTheBodyIsNotDicom() throws Exception {
        template.send("direct:patientRecord", e -> {
            e.getIn().setBody("MSH|^~\\&|ADT|...");
            e.getIn().setHeader(DicomAuditConstants.PATIENT_ID, "PID-7");
            e.getIn().setHeader(DicomAuditConstants.USER_ID, "jdoe@hospital.example");
        });
        String xml = withEvent(messages(), "110110").get(0);
        assertEquals("U", attr(xml, "EventIdentification", "EventActionCode"));
        assertTrue(xml.contains("UserID=\"jdoe@hospital.example\""), xml);
        assertTrue(xml.contains("ParticipantObjectID=\"PID-7\""), xml);
    }

    @Test
    void nonConformingMessageFailsTheExchangeAndNothingIsEmitted() throws Exception {
        int before = messages().size();
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:patientRecord", "no patient here"));
        assertTrue(e.getCause().getMessage().contains("needs the patient"), e.getCause().getMessage());
        CamelExecutionException login = assertThrows(CamelExecutionException.class,
                () -> template.sendBodyAndHeader("direct:login", null, DicomAuditConstants.USER_ID, "jdoe"));
        assertTrue(login.getCause().getMessage().contains("network address"), login.getCause().getMessage());
        assertEquals(before, messages().size());
    }

    @Test
    void outcomeOfAHandledFailureIsSerious() throws Exception {
        template.sendBodyAndHeader("direct:failing", null, DicomAuditConstants.ALERT_SUBJECT, "10.0.0.9");
        String xml = withEvent(messages(), "110113").stream().filter(l -> l.contains("110132")).findFirst()
                .orElseThrow();
        assertEquals("8", attr(xml, "EventIdentification", "EventOutcomeIndicator"));
        assertTrue(xml.contains("ParticipantObjectID=\"10.0.0.9\""), xml);
    }

    @Test
    void onCompletionTakesTheFinalOutcome() throws Exception {
        byte[] part10 = new DicomWriter().toBytes(instance("1.2.3.9", "1.2.3.900", "PID-9"));
        assertThrows(CamelExecutionException.class, () -> template.sendBody("direct:completion", part10));
        String xml = withEvent(messages(), "110105").get(0);
        assertEquals("8", attr(xml, "EventIdentification", "EventOutcomeIndicator"));
        assertEquals("D", attr(xml, "EventIdentification", "EventActionCode"));
    }

    @Test
    void dicomtlsIsAuditedAutomatically() throws Exception {
        getMockEndpoint("mock:received").expectedMessageCount(3);
        template.sendBody("direct:store", instance("1.2.3.11", "1.2.3.110", "PID-11"));
        template.sendBody("direct:store", instance("1.2.3.12", "1.2.3.110", "PID-11"));
        template.sendBody("direct:store", instance("1.2.3.21", "1.2.3.120", "PID-12"));
        getMockEndpoint("mock:received").assertIsSatisfied();
        assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:intruder", instance("1.2.3.31", "1.2.3.130", "PID-13")));
        // the producer's association ends when its route stops: both sides then report the transfers
        context.getRouteController().stopRoute("store");
        List<String> lines;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            Thread.sleep(50);
            lines = messages();
        } while (withEvent(lines, "110104").size() < 4 && System.nanoTime() < deadline);

        assertEquals(1, withEvent(lines, "110100").size(), "one Application Start");
        assertTrue(withEvent(lines, "110100").get(0).contains("csd-code=\"110120\""));
        assertTrue(withEvent(lines, "110100").get(0).contains("AETITLES=GATEWAY"));
        // Begin Transferring: one per study and side
        assertEquals(4, withEvent(lines, "110102").size());
        List<String> transferred = withEvent(lines, "110104");
        assertEquals(4, transferred.size(), "one DICOM Instances Transferred per study and side");
        for (String xml : transferred) {
            assertEquals("R", attr(xml, "EventIdentification", "EventActionCode"));
            assertEquals("0", attr(xml, "EventIdentification", "EventOutcomeIndicator"));
            assertTrue(xml.contains("AETITLES=MODALITY"), xml);
            assertTrue(xml.contains("AETITLES=GATEWAY"), xml);
        }
        assertTrue(transferred.stream().anyMatch(x -> x.contains("1.2.3.110") && x.contains("NumberOfInstances=\"2\"")));
        // the refused calling AE is a Security Alert (Node Authentication)
        String alert = withEvent(lines, "110113").stream().filter(x -> x.contains("110126")).findFirst()
                .orElseThrow(() -> new AssertionError("no Node Authentication Security Alert"));
        assertEquals("4", attr(alert, "EventIdentification", "EventOutcomeIndicator"));
        assertTrue(alert.contains("ParticipantObjectID=\"127.0.0.1\""), alert);
        String description = new String(java.util.Base64.getDecoder().decode(
                attr(alert, "ParticipantObjectDetail", "value")), StandardCharsets.UTF_8);
        assertTrue(description.contains("INTRUDER"), description);
    }

    @Test
    void gracefulStopEmitsApplicationStopAndDeliversEverything() throws Exception {
        template.sendBodyAndHeader("direct:patientRecord", "ADT", DicomAuditConstants.PATIENT_ID, "PID-3");
        context.stop();
        List<String> lines = Files.readAllLines(auditFile, StandardCharsets.UTF_8);
        List<String> activity = withEvent(lines, "110100");
        assertEquals(2, activity.size());
        assertTrue(activity.get(0).contains("csd-code=\"110120\""), "Application Start first");
        assertTrue(activity.get(1).contains("csd-code=\"110121\""), "Application Stop last");
        assertTrue(lines.get(lines.size() - 1).contains("csd-code=\"110121\""));
        assertEquals(1, withEvent(lines, "110110").size());
        for (String l : lines) {
            AuditSchema.assertValid(l.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void forwardTakesARecordMadeElsewhereUnchanged() throws Exception {
        byte[] xml = org.cameldicomsecure.audit.AuditXml.toBytes(org.cameldicomsecure.audit.AuditSamples
                .builder(org.cameldicomsecure.audit.AuditEventType.PatientRecord).build());
        org.cameldicomsecure.audit.trail.AuditRecord record = new org.cameldicomsecure.audit.trail.AuditRecord(
                "5b1f0e0e-0000-4000-8000-000000000001", java.time.Instant.now(), "PatientRecord", 0, "k",
                org.cameldicomsecure.audit.AuditFormat.DICOM_XML, xml);
        Exchange ex = template.request("direct:forward", e -> e.getIn().setHeader("DicomAuditRecord", record));
        assertEquals(record.id(), ex.getMessage().getHeader(DicomAuditConstants.RECORD_ID));
        assertTrue(messages().contains(new String(xml, StandardCharsets.UTF_8)));
        CamelExecutionException none = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:forward", "x"));
        assertTrue(none.getCause().getMessage().contains("DicomAuditRecord"), none.getCause().getMessage());
    }

    @Test
    void unknownEventNameIsRefusedWithTheValidNames() {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad").to("dicomaudit:InstancesMoved");
            }
        }));
        Throwable root = e instanceof FailedToCreateRouteException ? e.getCause() : e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("DicomInstancesTransferred"), root.getMessage());
    }
}
