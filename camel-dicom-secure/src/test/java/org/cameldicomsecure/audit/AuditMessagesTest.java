package org.cameldicomsecure.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AuditMessagesTest {

    @ParameterizedTest
    @EnumSource(AuditEventType.class)
    void everyEventTypeBuildsAValidMessage(AuditEventType type) {
        AuditMessage m = AuditSamples.message(type);
        byte[] xml = AuditSchema.assertValid(m);
        assertSame(type, m.eventType());
        assertTrue(m.event().eventId().sameCode(type.eventId()));
        assertNotNull(m.event().actionCode(), "A.5.3 makes EventActionCode M in every message");
        String s = new String(xml, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(s.contains("csd-code=\"" + type.eventId().code() + "\" codeSystemName=\"DCM\" originalText=\""
                + type.eventId().originalText() + "\""), s);
        assertFalse(s.contains("\n") || s.contains("\r"));
    }

    @ParameterizedTest
    @EnumSource(AuditEventType.class)
    void builderByNameIsTheSameAsByType(AuditEventType type) {
        assertSame(type, AuditMessages.builder(type.name()).type());
    }

    @Test
    void unknownEventNameIsRefusedNamingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditMessages.builder("StudyStored"));
        assertTrue(e.getMessage().contains("unknown audit event 'StudyStored'; valid: ApplicationActivity,"),
                e.getMessage());
    }

    @Test
    void fixedActionCodesAreTheDefaults() {
        assertEquals(EventActionCode.EXECUTE, AuditSamples.message(AuditEventType.ApplicationActivity).event().actionCode());
        assertEquals(EventActionCode.READ, AuditSamples.message(AuditEventType.AuditLogUsed).event().actionCode());
        assertEquals(EventActionCode.EXECUTE,
                AuditSamples.message(AuditEventType.BeginTransferringDicomInstances).event().actionCode());
        assertEquals(EventActionCode.READ, AuditSamples.message(AuditEventType.DataExport).event().actionCode());
        assertEquals(EventActionCode.CREATE, AuditSamples.message(AuditEventType.DataImport).event().actionCode());
        assertEquals(EventActionCode.DELETE, AuditSamples.message(AuditEventType.DicomStudyDeleted).event().actionCode());
        assertEquals(EventActionCode.EXECUTE, AuditSamples.message(AuditEventType.NetworkEntry).event().actionCode());
        assertEquals(EventActionCode.EXECUTE, AuditSamples.message(AuditEventType.Query).event().actionCode());
        assertEquals(EventActionCode.EXECUTE, AuditSamples.message(AuditEventType.SecurityAlert).event().actionCode());
        assertEquals(EventActionCode.EXECUTE,
                AuditSamples.message(AuditEventType.UserAuthentication).event().actionCode());
    }

    @Test
    void instancesTransferredDefaultsToReadWhenTheSourceDoesNotKnow() {
        AuditMessage m = AuditSamples.builder(AuditEventType.DicomInstancesTransferred).action(null).build();
        assertEquals(EventActionCode.READ, m.event().actionCode()); // A.5.3.7
        for (EventActionCode a : List.of(EventActionCode.CREATE, EventActionCode.READ, EventActionCode.UPDATE)) {
            assertEquals(a, AuditSamples.builder(AuditEventType.DicomInstancesTransferred).action(a).build().event()
                    .actionCode());
        }
        refused(AuditEventType.DicomInstancesTransferred, b -> b.action(EventActionCode.DELETE),
                "EventActionCode shall be C/R/U, not D (A.5.3.7)");
    }

    @Test
    void rolesAreAddedBySlot() {
        AuditMessage m = AuditSamples.message(AuditEventType.DicomInstancesTransferred);
        assertTrue(m.participants().get(0).hasRole(AuditCodes.ROLE_SOURCE));
        assertTrue(m.participants().get(1).hasRole(AuditCodes.ROLE_DESTINATION));
        assertTrue(m.participants().get(2).roleIdCodes().isEmpty());
        assertEquals("AETITLES=GATEWAY;GATEWAY2", m.participants().get(1).alternativeUserId());
        assertEquals(NetworkAccessPointType.IP_ADDRESS, m.participants().get(0).networkAccessPointType());
        assertEquals(NetworkAccessPointType.MACHINE_NAME, m.participants().get(1).networkAccessPointType());
        AuditMessage app = AuditSamples.message(AuditEventType.ApplicationActivity);
        assertTrue(app.participants().get(0).hasRole(AuditCodes.ROLE_APPLICATION));
        assertTrue(app.participants().get(1).hasRole(AuditCodes.ROLE_APPLICATION_LAUNCHER));
        AuditMessage export = AuditSamples.message(AuditEventType.DataExport);
        assertTrue(export.participants().stream().anyMatch(p -> p.hasRole(AuditCodes.ROLE_DESTINATION_MEDIA)
                && p.mediaType().equals(AuditCodes.MEDIA_DVD) && !p.userIsRequestor()));
        AuditMessage imp = AuditSamples.message(AuditEventType.DataImport);
        assertTrue(imp.participants().stream().anyMatch(p -> p.hasRole(AuditCodes.ROLE_SOURCE_MEDIA)));
    }

    @Test
    void participantGoesIntoTheSlotItsRoleNames() {
        ActiveParticipant src = AuditSamples.sender().role(AuditCodes.ROLE_SOURCE).requestor(true).build();
        ActiveParticipant dst = AuditSamples.receiver().role(AuditCodes.ROLE_DESTINATION).build();
        AuditMessage m = AuditMessages.dicomInstancesTransferred().outcome(0).auditSource("gw").participant(dst)
                .participant(src).study(AuditSamples.study()).patient(AuditSamples.patient()).build();
        AuditSchema.assertValid(m);
        assertEquals(1, m.participants().get(0).roleIdCodes().size()); // not added twice
    }

    @Test
    void studyAndPatientObjectsFollowA53() {
        AuditMessage m = AuditSamples.message(AuditEventType.DicomInstancesTransferred);
        ParticipantObjectIdentification study = m.studies().get(0);
        assertEquals(ParticipantObjectTypeCode.SYSTEM_OBJECT, study.typeCode());
        assertEquals(ParticipantObjectTypeCodeRole.REPORT, study.typeCodeRole());
        assertEquals(AuditCodes.ID_STUDY_INSTANCE_UID, study.idTypeCode());
        ParticipantObjectDescription d = study.descriptions().get(0);
        assertEquals(List.of("ACC0001234"), d.accessionNumbers());
        assertEquals(2, d.sopClasses().size());
        assertEquals(2, d.sopClasses().get(0).numberOfInstances());
        assertEquals(2, d.sopClasses().get(0).instanceUids().size());
        ParticipantObjectIdentification patient = m.patients().get(0);
        assertEquals(ParticipantObjectTypeCode.PERSON, patient.typeCode());
        assertEquals(ParticipantObjectTypeCodeRole.PATIENT, patient.typeCodeRole());
        assertEquals(AuditCodes.ID_PATIENT_NUMBER, patient.idTypeCode());
        assertEquals("PID-000123", patient.objectId());
        assertEquals("DOE^JANE", patient.name());
        // without instance UIDs by default
        assertTrue(AuditSamples.message(AuditEventType.BeginTransferringDicomInstances).studies().get(0)
                .descriptions().get(0).sopClasses().get(0).instanceUids().isEmpty());
    }

    @Test
    void queryCarriesTheDatasetAndTransferSyntax() {
        AuditMessage m = AuditSamples.message(AuditEventType.Query);
        ParticipantObjectIdentification q = m.objects().get(0);
        assertEquals(AuditCodes.ID_SOP_CLASS_UID, q.idTypeCode());
        assertEquals(AuditSamples.STUDY_ROOT_FIND, q.objectId());
        assertEquals(14, q.query().length);
        assertEquals("1.2.840.10008.1.2", q.detail("TransferSyntax").text());
        String xml = AuditXml.toXml(m);
        assertTrue(xml.contains("<ParticipantObjectQuery>CABSAAYAAABTVFVEWSA=</ParticipantObjectQuery>"), xml);
        assertTrue(xml.contains("<ParticipantObjectDetail type=\"TransferSyntax\" value=\"MS4yLjg0MC4xMDAwOC4xLjI=\"/>"),
                xml);
    }

    @Test
    void nonDicomQueryNeedsNoTransferSyntax() {
        AuditMessage m = AuditMessages.query().outcome(0).auditSource("gw").source(AuditSamples.sender())
                .destination(AuditSamples.receiver()).query(AuditCodes.ID_URI, "https://pacs.example.org/dicom-web/studies",
                        AuditSamples.utf8("PatientID=PID-1&StudyDate=20240101-"))
                .build();
        AuditSchema.assertValid(m);
    }

    @Test
    void securityAlertCarriesTheAlertDescription() {
        AuditMessage m = AuditSamples.message(AuditEventType.SecurityAlert);
        assertEquals("TLS handshake failed: certificate not trusted",
                m.objects().get(0).detail("Alert Description").text());
        assertEquals(AuditCodes.ID_NODE_ID, m.objects().get(0).idTypeCode());
        // no alert subject at all is allowed (0..N)
        AuditSchema.assertValid(AuditMessages.securityAlert().outcome(EventOutcome.MAJOR_FAILURE).auditSource("gw")
                .eventTypeCode(AuditCodes.TYPE_AUDIT_RECORDING_STOPPED).user(Participants.thisProcess("gw")).build());
    }

    @Test
    void exportToANetworkDestinationCarriesTheNetworkAccessPoint() {
        AuditMessage m = AuditMessages.dataExport().outcome(0).auditSource("gw").source(AuditSamples.person())
                .destinationMedia(Participants.media("mailto:radiology@example.org", AuditCodes.MEDIA_EMAIL)
                        .networkAccessPoint(NetworkAccessPointType.EMAIL_ADDRESS, "radiology@example.org"))
                .destination(Participants.person("dr.who", "example.org", null).requestor(true))
                .patient(AuditSamples.patient()).build();
        AuditSchema.assertValid(m);
    }

    @Test
    void identicalObjectsAreWrittenOnce() {
        AuditMessage m = AuditSamples.builder(AuditEventType.DicomInstancesTransferred).patient(AuditSamples.patient())
                .build();
        assertEquals(1, m.patients().size());
    }

    // ---- every rule refused, with its name

    @Test
    void refusesAMissingOutcomeAndAuditSource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditMessages.networkEntry().attach().node(Participants.node("n", null)).build());
        assertTrue(e.getMessage().contains("EventOutcomeIndicator is M (A.5.2)"), e.getMessage());
        assertTrue(e.getMessage().contains("AuditSourceIdentification with an AuditSourceID is M (A.5.2)"),
                e.getMessage());
        assertTrue(e.getMessage().startsWith("NetworkEntry audit message does not conform to PS3.15: "), e.getMessage());
    }

    @Test
    void applicationActivityRules() {
        AuditEventType t = AuditEventType.ApplicationActivity;
        refused(t, b -> fresh(b, t).application(AuditSamples.receiver()),
                "EventTypeCode is M: exactly one of (110120, DCM, \"Application Start\") and (110121, DCM, "
                        + "\"Application Stop\") (A.5.3.1)");
        refused(t, b -> b.applicationStop(), "EventTypeCode is M: exactly one of");
        refused(t, b -> fresh(b, t).applicationStop().launcher(AuditSamples.person()),
                "ApplicationActivity needs 1..1 APPLICATION participant(s) (110150, DCM, \"Application\"), not 0 "
                        + "(A.5.3.1)");
        refused(t, b -> b.application(AuditSamples.sender()), "needs 1..1 APPLICATION");
        refused(t, b -> b.action(EventActionCode.READ), "EventActionCode shall be E, not R (A.5.3.1)");
        refused(t, b -> b.patient(AuditSamples.patient()), "needs 0..0 patient objects, not 1 (A.5.3.1)");
        // a plain participant is a launcher: its role is added
        AuditMessage m = fresh(AuditMessages.applicationActivity(), t).applicationStop()
                .application(AuditSamples.receiver()).participant(AuditSamples.person()).build();
        assertTrue(m.participants().get(1).hasRole(AuditCodes.ROLE_APPLICATION_LAUNCHER));
    }

    @Test
    void auditLogUsedRules() {
        AuditEventType t = AuditEventType.AuditLogUsed;
        refused(t, b -> b.user(Participants.process("1", "x")), "AuditLogUsed needs 1..2 USER participant(s), not 3");
        refused(t, b -> fresh(b, t).user(AuditSamples.person()), "AuditLogUsed needs 1..1 audit log objects, not 0");
        refused(t, b -> fresh(b, t).user(AuditSamples.person()).object(ParticipantObjectIdentification
                .builder("file:///log", AuditCodes.ID_URI).typeCode(ParticipantObjectTypeCode.SYSTEM_OBJECT).build()),
                "the audit log object has ParticipantObjectTypeCode 2, ParticipantObjectTypeCodeRole 13");
        refused(t, b -> b.action(EventActionCode.EXECUTE), "EventActionCode shall be R, not E (A.5.3.2)");
    }

    @Test
    void singlePatientIsEnforcedWhereRequired() {
        for (AuditEventType t : List.of(AuditEventType.BeginTransferringDicomInstances,
                AuditEventType.DicomInstancesAccessed, AuditEventType.DicomInstancesTransferred,
                AuditEventType.DicomStudyDeleted, AuditEventType.OrderRecord, AuditEventType.PatientRecord,
                AuditEventType.ProcedureRecord)) {
            refused(t, b -> b.patient(new Patient("OTHER-PID", "ROE^RICHARD")),
                    t + " may only include information about a single patient, not 2 patient objects (" + t.section()
                            + ")");
        }
        // Export and Import allow several patients
        AuditSchema.assertValid(AuditSamples.builder(AuditEventType.DataImport).patient(new Patient("P2", null)).build());
    }

    @Test
    void patientAndStudyAreRequiredWhereA53SaysSo() {
        refused(AuditEventType.DicomInstancesTransferred,
                b -> fresh(b, AuditEventType.DicomInstancesTransferred).source(AuditSamples.sender())
                        .destination(AuditSamples.receiver()).patient(AuditSamples.patient()),
                "DicomInstancesTransferred needs 1..N study objects, not 0 (A.5.3.7)");
        refused(AuditEventType.DicomStudyDeleted,
                b -> fresh(b, AuditEventType.DicomStudyDeleted).user(AuditSamples.person()).study(AuditSamples.study()),
                "DicomStudyDeleted needs 1..1 patient objects, not 0 (A.5.3.8)");
        refused(AuditEventType.DataExport, b -> fresh(b, AuditEventType.DataExport).source(AuditSamples.person()
                .requestor(true)).destinationMedia(Participants.media("urn:x", AuditCodes.MEDIA_CD)),
                "DataExport needs 1..N patient objects, not 0 (A.5.3.4)");
        refused(AuditEventType.OrderRecord, b -> b.study(AuditSamples.study()),
                "OrderRecord needs 0..0 study objects, not 1 (A.5.3.13)");
    }

    @Test
    void transferRequiresSourceAndDestinationRoles() {
        AuditEventType t = AuditEventType.BeginTransferringDicomInstances;
        refused(t, b -> fresh(b, t).destination(AuditSamples.sender()).study(AuditSamples.study())
                .patient(AuditSamples.patient()),
                "BeginTransferringDicomInstances needs 1..1 SOURCE participant(s) (110153, DCM, \"Source Role ID\"), "
                        + "not 0 (A.5.3.3)");
        refused(t, b -> b.destination(AuditSamples.person()),
                "needs 1..1 DESTINATION participant(s) (110152, DCM, \"Destination Role ID\"), not 2");
        refused(t, b -> b.action(EventActionCode.CREATE), "EventActionCode shall be E, not C (A.5.3.3)");
    }

    @Test
    void atMostOneRequestor() {
        refused(AuditEventType.DicomInstancesTransferred, b -> b.other(AuditSamples.person().requestor(true)),
                "at most one ActiveParticipant has UserIsRequestor true, not 2 (A.5.2)");
        assertThrows(IllegalArgumentException.class, () -> new AuditMessage(
                AuditSamples.message(AuditEventType.Query).event(),
                List.of(AuditSamples.sender().requestor(true).build(), AuditSamples.receiver().requestor(true).build()),
                AuditSamples.source(), List.of()));
    }

    @Test
    void dataExportRules() {
        AuditEventType t = AuditEventType.DataExport;
        refused(t, b -> fresh(b, t).source(AuditSamples.person()).destinationMedia(Participants.media("urn:x",
                AuditCodes.MEDIA_CD)).patient(AuditSamples.patient()),
                "exactly one ActiveParticipant (local or remote) shall be the requestor (UserIsRequestor true), not 0 "
                        + "(A.5.3.4.1)");
        refused(t, b -> fresh(b, t).source(AuditSamples.person()).destinationMedia(Participants.media("urn:x",
                AuditCodes.MEDIA_CD).requestor(true)).patient(AuditSamples.patient()),
                "the media participant's UserIsRequestor shall be FALSE (A.5.3.4)");
        refused(t, b -> fresh(b, t).source(AuditSamples.person().requestor(true))
                .destinationMedia(ActiveParticipant.builder("urn:x")).patient(AuditSamples.patient()),
                "the media participant needs a MediaIdentifier with a MediaType from DCID 405");
        refused(t, b -> b.participant(Participants.person("x@y")),
                "every participant of DataExport needs a Role ID code: one of");
        refused(t, b -> b.destinationMedia(Participants.media("urn:y", AuditCodes.MEDIA_CD)),
                "DataExport needs 1..1 DESTINATION_MEDIA participant(s) (110154, DCM, \"Destination Media\"), not 2");
        refused(t, b -> b.source(Participants.process("1", "a")).source(Participants.process("2", "b")),
                "DataExport needs 1..2 SOURCE participant(s)");
        refused(t, b -> b.action(EventActionCode.CREATE), "EventActionCode shall be R, not C (A.5.3.4)");
    }

    @Test
    void dataImportRules() {
        AuditEventType t = AuditEventType.DataImport;
        refused(t, b -> fresh(b, t).destination(AuditSamples.person()).sourceMedia(Participants.media("urn:x",
                AuditCodes.MEDIA_CD)).patient(AuditSamples.patient()),
                "exactly one ActiveParticipant (local or remote) shall be the requestor (UserIsRequestor true), not 0 "
                        + "(A.5.3.5)");
        refused(t, b -> fresh(b, t).sourceMedia(Participants.media("urn:x", AuditCodes.MEDIA_CD))
                .source(AuditSamples.sender().requestor(true)).patient(AuditSamples.patient()),
                "DataImport needs 1..N DESTINATION participant(s) (110152, DCM, \"Destination Role ID\"), not 0");
        refused(t, b -> fresh(b, t).destination(AuditSamples.person().requestor(true))
                .sourceMedia(ActiveParticipant.builder("urn:x")).patient(AuditSamples.patient()),
                "the media participant needs a MediaIdentifier");
        refused(t, b -> b.action(EventActionCode.DELETE), "EventActionCode shall be C, not D (A.5.3.5)");
    }

    @Test
    void crudMessagesNeedAnActionCode() {
        for (AuditEventType t : List.of(AuditEventType.DicomInstancesAccessed, AuditEventType.OrderRecord,
                AuditEventType.PatientRecord, AuditEventType.ProcedureRecord)) {
            refused(t, b -> b.action(null), "EventActionCode is M, one of C/R/U/D (" + t.section() + ")");
            refused(t, b -> b.action(EventActionCode.EXECUTE), "EventActionCode shall be C/R/U/D, not E ("
                    + t.section() + ")");
            for (EventActionCode a : List.of(EventActionCode.CREATE, EventActionCode.READ, EventActionCode.UPDATE,
                    EventActionCode.DELETE)) {
                AuditSchema.assertValid(AuditSamples.builder(t).action(a).build());
            }
        }
    }

    @Test
    void oneOrTwoUsers() {
        for (AuditEventType t : List.of(AuditEventType.DicomInstancesAccessed, AuditEventType.DicomStudyDeleted,
                AuditEventType.OrderRecord, AuditEventType.PatientRecord, AuditEventType.ProcedureRecord)) {
            refused(t, b -> b.user(Participants.process("1", "a")).user(Participants.process("2", "b")),
                    t + " needs 1..2 USER participant(s)");
        }
    }

    @Test
    void networkEntryRules() {
        AuditEventType t = AuditEventType.NetworkEntry;
        refused(t, b -> b.detach(), "EventTypeCode is M: exactly one of (110124, DCM, \"Attach\") and (110125, DCM, "
                + "\"Detach\") (A.5.3.9)");
        refused(t, b -> fresh(b, t).attach().node(Participants.node("n", null).requestor(true)),
                "the node entering or leaving the network has UserIsRequestor FALSE (A.5.3.9)");
        refused(t, b -> b.node(Participants.node("m", null)), "NetworkEntry needs 1..1 NODE participant(s), not 2");
    }

    @Test
    void queryRules() {
        AuditEventType t = AuditEventType.Query;
        refused(t, b -> fresh(b, t).source(AuditSamples.sender()).destination(AuditSamples.receiver())
                .query(AuditSamples.STUDY_ROOT_FIND, new byte[] {1}, null),
                "ParticipantObjectDetail \"TransferSyntax\" with the UID of the query's transfer syntax is MC: required "
                        + "for ID type (110181, DCM, \"SOP Class UID\") (A.5.3.10)");
        refused(t, b -> fresh(b, t).source(AuditSamples.sender()).destination(AuditSamples.receiver())
                .query(AuditSamples.STUDY_ROOT_FIND, new byte[] {1}, "not a uid"),
                "the \"TransferSyntax\" detail shall hold a DICOM Transfer Syntax UID (A.5.3.10)");
        refused(t, b -> fresh(b, t).source(AuditSamples.sender()).destination(AuditSamples.receiver())
                .object(ParticipantObjectIdentification.builder(AuditSamples.STUDY_ROOT_FIND, AuditCodes.ID_SOP_CLASS_UID)
                        .typeCode(ParticipantObjectTypeCode.SYSTEM_OBJECT).role(ParticipantObjectTypeCodeRole.REPORT)
                        .detail("TransferSyntax", "1.2.840.10008.1.2").build()),
                "ParticipantObjectQuery is M in the query object (A.5.3.10)");
        refused(t, b -> fresh(b, t).source(AuditSamples.sender()).destination(AuditSamples.receiver()),
                "Query needs 1..1 query objects (the SOP Class queried and the query), not 0 (A.5.3.10)");
        refused(t, b -> b.query(AuditSamples.STUDY_ROOT_FIND, new byte[] {2}, "1.2.840.10008.1.2.1"),
                "needs 1..1 query objects (the SOP Class queried and the query), not 2");
        refused(t, b -> b.source(AuditSamples.person()), "Query needs 1..1 SOURCE participant(s)");
    }

    @Test
    void securityAlertRules() {
        AuditEventType t = AuditEventType.SecurityAlert;
        refused(t, b -> fresh(b, t).user(AuditSamples.person()),
                "EventTypeCode is M, from DCID 403 \"Security Alert Type Code\" (A.5.3.11)");
        refused(t, b -> b.alertSubjectUri("file:///etc/gateway.conf", null),
                "an alert subject needs a ParticipantObjectDetail of type \"Alert Description\"");
        refused(t, b -> b.alertSubjectUri("file:///etc/gateway.conf", "  "), "\"Alert Description\"");
        refused(t, b -> b.performer(AuditSamples.person().requestor(true)),
                "a performing person or process has UserIsRequestor FALSE (A.5.3.11)");
        refused(t, b -> b.object(ParticipantObjectIdentification.builder("x", AuditCodes.ID_URI)
                .typeCode(ParticipantObjectTypeCode.OTHER).detail("Alert Description", "d").build()),
                "an alert subject has ParticipantObjectTypeCode 2 (A.5.3.11)");
        refused(t, b -> fresh(b, t).eventTypeCode(AuditCodes.TYPE_NODE_AUTHENTICATION),
                "SecurityAlert needs 1..2 USER participant(s), not 0");
    }

    @Test
    void userAuthenticationRules() {
        AuditEventType t = AuditEventType.UserAuthentication;
        refused(t, b -> fresh(b, t).login().user(AuditSamples.person()),
                "the person authenticated needs NetworkAccessPointTypeCode and NetworkAccessPointID (both M, A.5.3.12)");
        refused(t, b -> b.logout(), "EventTypeCode is Login or Logout, not both (A.5.3.12)");
        refused(t, b -> fresh(b, t).user(AuditSamples.person().networkAccessPoint("192.0.2.1")),
                "EventTypeCode is M: (110122, DCM, \"Login\") or (110123, DCM, \"Logout\") (A.5.3.12)");
        refused(t, b -> b.node(Participants.node("other", null)),
                "UserAuthentication needs 0..1 NODE participant(s), not 2");
        refused(t, b -> b.patient(AuditSamples.patient()), "needs 0..0 patient objects");
        // a logout timer: the node is the requestor
        AuditSchema.assertValid(fresh(AuditMessages.userAuthentication(), t).logout()
                .user(AuditSamples.person().networkAccessPoint("192.0.2.1"))
                .node(Participants.node("gateway", null).requestor(true)).build());
    }

    @Test
    void sopClassIsMcInStudyObjects() {
        Study noClasses = Study.builder(AuditSamples.STUDY_UID).accessionNumber("A1").build();
        refused(AuditEventType.DicomInstancesAccessed, b -> fresh(b, AuditEventType.DicomInstancesAccessed)
                .action(EventActionCode.READ).user(AuditSamples.person()).study(noClasses).patient(AuditSamples.patient()),
                "SOPClass is MC: required in a study object's ParticipantObjectDescription that has Accession, MPPS, "
                        + "Encrypted or Anonymized (A.5.2)");
        Study encryptedOnly = Study.builder(AuditSamples.STUDY_UID).encrypted(true).build();
        refused(AuditEventType.DicomStudyDeleted, b -> fresh(b, AuditEventType.DicomStudyDeleted)
                .user(AuditSamples.person()).study(encryptedOnly).patient(AuditSamples.patient()), "SOPClass is MC");
        // a bare study UID needs no SOPClass
        AuditSchema.assertValid(AuditSamples.message(AuditEventType.DicomStudyDeleted));
    }

    @Test
    void objectsOfTheWrongShapeAreRefused() {
        refused(AuditEventType.DicomInstancesTransferred, b -> b.object(ParticipantObjectIdentification
                .builder("1.2.3", AuditCodes.ID_STUDY_INSTANCE_UID).typeCode(ParticipantObjectTypeCode.SYSTEM_OBJECT)
                .role(ParticipantObjectTypeCodeRole.DATA_ARCHIVE).build()),
                "a study object has ParticipantObjectTypeCode 2 and ParticipantObjectTypeCodeRole 3 (A.5.3.7)");
        refused(AuditEventType.DicomInstancesTransferred, b -> b.object(ParticipantObjectIdentification
                .builder("x", AuditCodes.ID_URI).build()),
                "DicomInstancesTransferred has no participant object of ID type (12, RFC-3881, \"URI\") (A.5.3.7)");
        refused(AuditEventType.PatientRecord, b -> b.object(ParticipantObjectIdentification
                .builder("PID-9", AuditCodes.ID_MEDICAL_RECORD_NUMBER).typeCode(ParticipantObjectTypeCode.PERSON)
                .role(ParticipantObjectTypeCodeRole.PATIENT).build()),
                "a patient object has ParticipantObjectTypeCode 1, ParticipantObjectTypeCodeRole 1 and "
                        + "ParticipantObjectIDTypeCode (2, RFC-3881, \"Patient Number\") (A.5.3.14)");
    }

    @Test
    void allBrokenRulesAreNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditMessages.dicomInstancesTransferred().build());
        String msg = e.getMessage();
        for (String rule : List.of("EventOutcomeIndicator is M", "AuditSourceIdentification", "SOURCE participant",
                "DESTINATION participant", "study objects", "patient objects")) {
            assertTrue(msg.contains(rule), rule + " in " + msg);
        }
    }

    @Test
    void refusalsCarryNoPatientData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditSamples.builder(AuditEventType.DicomInstancesTransferred)
                        .patient(new Patient("SECRET-PID", "SECRET^NAME")).build());
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    }

    @Test
    void defaultTimeHasAZone() {
        AuditMessage m = AuditMessages.networkEntry().outcome(0).auditSource("gw").detach()
                .node(Participants.node("n", null)).build();
        assertNotNull(m.event().dateTime().getOffset());
        assertTrue(AuditXml.toXml(m).matches(".*EventDateTime=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"
                + "(Z|[+-]\\d\\d:\\d\\d)\".*"));
        assertNull(AuditEventType.forEventId(CodedValue.dcm("110199", "x")));
    }

    /** The sample builder with one change must be refused naming the rule. */
    private static void refused(AuditEventType type, Consumer<AuditMessages.Builder> change, String expected) {
        AuditMessages.Builder b = AuditSamples.builder(type);
        change.accept(b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains(expected), "expected <" + expected + "> in <" + e.getMessage() + ">");
    }

    /**
     * Replaces the sample in {@code b}'s place with a fresh builder of the same type (event, outcome and source
     * set, nothing else); used inside {@link #refused} changes that need an empty message.
     */
    private static AuditMessages.Builder fresh(AuditMessages.Builder b, AuditEventType type) {
        return b.reset().eventDateTime(AuditSamples.TIME).outcome(EventOutcome.SUCCESS)
                .auditSource(AuditSamples.source());
    }
}
