package org.cameldicomsecure.audit;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Test fixtures: a complete, conforming builder for every {@link AuditEventType} (public: teammates reuse it). All
 * identifiers are made up.
 */
public final class AuditSamples {

    public static final OffsetDateTime TIME = OffsetDateTime.of(2024, 5, 17, 14, 3, 21, 250_000_000,
            ZoneOffset.ofHours(2));
    public static final String STUDY_UID = "1.2.826.0.1.3680043.8.498.1";
    public static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
    public static final String MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4";
    public static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";

    private AuditSamples() {
    }

    public static AuditSourceIdentification source() {
        return new AuditSourceIdentification("gateway", "EXAMPLE_HOSPITAL", List.of(AuditCodes.SOURCE_APPLICATION_SERVER));
    }

    public static Study study() {
        return Study.builder(STUDY_UID).accessionNumber("ACC0001234").mppsUid("1.2.826.0.1.3680043.8.498.9")
                .addInstance(CT_IMAGE, "1.2.826.0.1.3680043.8.498.2").addInstance(CT_IMAGE, "1.2.826.0.1.3680043.8.498.3")
                .addInstance(MR_IMAGE, "1.2.826.0.1.3680043.8.498.4").encrypted(true).anonymized(false).build();
    }

    public static Patient patient() {
        return new Patient("PID-000123", "DOE^JANE");
    }

    public static ActiveParticipant.Builder sender() {
        return Participants.application("STORESCU", "192.0.2.10");
    }

    public static ActiveParticipant.Builder receiver() {
        return Participants.application("gateway", List.of("GATEWAY", "GATEWAY2"), "pacs.example.org");
    }

    public static ActiveParticipant.Builder person() {
        return Participants.person("jdoe", "example.org", "John Doe");
    }

    /** A conforming builder of the message of this type. */
    public static AuditMessages.Builder builder(AuditEventType type) {
        AuditMessages.Builder b = AuditMessages.builder(type).eventDateTime(TIME).outcome(EventOutcome.SUCCESS)
                .auditSource(source());
        return switch (type) {
            case ApplicationActivity -> b.applicationStart().application(receiver().requestor(false))
                    .launcher(person().requestor(true));
            case AuditLogUsed -> b.user(person().requestor(true)).user(Participants.process("4711", "audit-viewer"))
                    .auditLog("file:///var/log/audit/audit.log");
            case BeginTransferringDicomInstances -> b.source(receiver().requestor(true)).destination(sender())
                    .study(study()).patient(patient());
            case DataExport -> b.source(person().requestor(true)).destination(Participants.application("ARCHIVE",
                    "archive.example.org")).destinationMedia(Participants.media("urn:dvd:label:PATIENT-CD-1",
                            AuditCodes.MEDIA_DVD).alternativeUserId("VOL-1234"))
                    .study(study()).patient(patient()).patient(new Patient("PID-2", "ROE^RICHARD"));
            case DataImport -> b.destination(person().requestor(true)).sourceMedia(Participants
                    .media("urn:cd:label:OUTSIDE-STUDY", AuditCodes.MEDIA_CD)).study(study()).patient(patient());
            case DicomInstancesAccessed -> b.action(EventActionCode.READ).user(person().requestor(true))
                    .study(study()).patient(patient());
            case DicomInstancesTransferred -> b.action(EventActionCode.CREATE).source(sender().requestor(true))
                    .destination(receiver()).other(person()).study(study(), true).patient(patient());
            case DicomStudyDeleted -> b.user(person().requestor(true)).study(Study.of(STUDY_UID)).patient(patient());
            case NetworkEntry -> b.attach().node(Participants.node("laptop-7.example.org", "2001:db8::7"));
            case Query -> b.source(sender().requestor(true)).destination(receiver())
                    .query(STUDY_ROOT_FIND, new byte[] {8, 0, 0x52, 0, 6, 0, 0, 0, 'S', 'T', 'U', 'D', 'Y', ' '},
                            AuditCodes.IMPLICIT_VR_LITTLE_ENDIAN);
            case SecurityAlert -> b.eventTypeCode(AuditCodes.TYPE_NODE_AUTHENTICATION).outcome(EventOutcome.MINOR_FAILURE)
                    .user(Participants.thisProcess("gateway")).performer(Participants.node("192.0.2.66", "192.0.2.66"))
                    .alertSubjectNode("192.0.2.66", "TLS handshake failed: certificate not trusted");
            case UserAuthentication -> b.login().user(Participants.person("jdoe", "example.org", "John Doe")
                    .networkAccessPoint("192.0.2.20").requestor(true)).node(Participants.node("gateway", "pacs.example.org"));
            case OrderRecord -> b.action(EventActionCode.UPDATE).user(person()).patient(patient());
            case PatientRecord -> b.action(EventActionCode.CREATE).user(person().requestor(true))
                    .user(Participants.process("4711", "ris")).patient(patient());
            case ProcedureRecord -> b.action(EventActionCode.UPDATE).user(person()).study(study()).patient(patient());
        };
    }

    /** A conforming message of this type. */
    public static AuditMessage message(AuditEventType type) {
        return builder(type).build();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
