package org.cameldicomsecure.audit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cameldicomsecure.audit.ActiveParticipant;
import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.audit.AuditEventType;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditSchema;
import org.cameldicomsecure.audit.AuditSourceIdentification;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.web.multipart.MultipartRelatedWriter;
import org.cameldicomsecure.web.server.Binding;
import org.cameldicomsecure.web.server.DicomWebOperation;
import org.cameldicomsecure.web.server.DicomWebServer;
import org.cameldicomsecure.web.server.InstanceOutcome;
import org.cameldicomsecure.web.server.StowHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The auditor as the listener of a real origin server: what a STOW-RS request leaves in the audit trail. */
class WebAuditorServerTest {

    static final String SC = "1.2.840.10008.5.1.4.1.1.7";
    static final String STUDY_A = "1.2.826.0.1.3680043.2.1125.77.1";
    static final String STUDY_B = "1.2.826.0.1.3680043.2.1125.77.2";

    final List<AuditMessage> out = new CopyOnWriteArrayList<>();
    final List<RuntimeException> errors = new CopyOnWriteArrayList<>();
    final WebAuditor auditor = new WebAuditor(AuditSourceIdentification.of("TEST"), "gateway-test", "localhost",
            ZoneId.of("UTC"), false, out::add, errors::add);
    DicomWebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static byte[] instance(String study, String sop, String patientId) throws Exception {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, SC);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, study + ".1");
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.PatientName, VR.PN, "Doe^Jane");
        ds.setString(Tag.AccessionNumber, VR.SH, "A" + patientId);
        ds.setString(Tag.Modality, VR.CS, "OT");
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, SC);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sop);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomWriter().toBytes(new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }

    @Test
    void stowRequestIsAuditedPerStudyWithStoredAndFailedApart() throws Exception {
        String failing = STUDY_A + ".1.2";
        StowHandler handler = (request, inst) -> CompletableFuture.completedFuture(
                inst.sopInstanceUid().equals(failing) ? InstanceOutcome.failed(0xA700) : InstanceOutcome.stored());
        server = DicomWebServer.start(DicomWebServer.Options.builder().host("127.0.0.1").port(0)
                .basePath("/dicom-web").listener(auditor).build());
        server.serve(DicomWebOperation.STOW, Binding.stow(handler, null, Set.of()));

        List<byte[]> parts = new ArrayList<>();
        parts.add(instance(STUDY_A, STUDY_A + ".1.1", "P1"));
        parts.add(instance(STUDY_A, failing, "P1"));
        parts.add(instance(STUDY_B, STUDY_B + ".1.1", "P2"));
        String boundary = MultipartRelatedWriter.newBoundary();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        MultipartRelatedWriter w = new MultipartRelatedWriter(body, boundary);
        for (byte[] p : parts) {
            w.part("application/dicom", Map.of(), new java.io.ByteArrayInputStream(p));
        }
        w.finish();
        HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/studies"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", MultipartRelatedWriter.contentType("application/dicom", boundary))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());

        // the listener runs before the response is sent: the messages are there
        List<AuditMessage> begin = out.stream()
                .filter(m -> m.eventType() == AuditEventType.BeginTransferringDicomInstances).toList();
        List<AuditMessage> transferred = out.stream()
                .filter(m -> m.eventType() == AuditEventType.DicomInstancesTransferred).toList();
        assertEquals(2, begin.size(), "one per study and patient");
        assertEquals(3, transferred.size(), "study A stored, study A failed, study B stored");
        assertEquals(List.of(0, 8, 0), transferred.stream().map(AuditMessage::outcome).toList());
        AuditMessage failed = transferred.get(1);
        assertEquals(STUDY_A, failed.studies().get(0).objectId());
        assertTrue(failed.event().outcomeDescription().contains("A700"), failed.event().outcomeDescription());
        assertEquals("P1", failed.patients().get(0).objectId());
        assertEquals(List.of("AP1"), failed.studies().get(0).descriptions().get(0).accessionNumbers());
        ActiveParticipant src = transferred.get(0).participants().stream()
                .filter(p -> p.hasRole(AuditCodes.ROLE_SOURCE)).findFirst().orElseThrow();
        assertEquals("127.0.0.1", src.userId());
        assertTrue(src.userIsRequestor(), "no authentication: the client is the requestor");
        ActiveParticipant dst = transferred.get(0).participants().stream()
                .filter(p -> p.hasRole(AuditCodes.ROLE_DESTINATION)).findFirst().orElseThrow();
        assertEquals("gateway-test", dst.userId());
        assertTrue(dst.networkAccessPointId().endsWith("/dicom-web"), dst.networkAccessPointId());
        for (AuditMessage m : out) {
            AuditSchema.assertValid(m);
        }
        assertTrue(errors.isEmpty(), errors.toString());
    }
}
