package org.cameldicomsecure.audit.fhir;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.audit.AuditEventType;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditMessages;
import org.cameldicomsecure.audit.AuditSourceIdentification;
import org.cameldicomsecure.audit.EventActionCode;
import org.cameldicomsecure.audit.EventOutcome;
import org.cameldicomsecure.audit.Participants;
import org.cameldicomsecure.audit.Patient;
import org.cameldicomsecure.audit.Study;

/** One message of every A.5.3 event type, made with the model's own builders. */
final class SampleMessages {

    static final String STUDY_UID = "1.2.826.0.1.3680043.10.543.1";
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    static final String FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    static final OffsetDateTime TIME = OffsetDateTime.of(2024, 3, 5, 14, 7, 9, 123_000_000, ZoneOffset.ofHours(1));
    static final byte[] QUERY = {8, 0, 0x50, 0, 6, 0, 0, 0, 'S', 'T', 'U', 'D', 'Y', ' '};

    private SampleMessages() {
    }

    static AuditSourceIdentification auditSource() {
        return new AuditSourceIdentification("gateway@example.org", "Radiology", List.of(
                AuditCodes.SOURCE_APPLICATION_SERVER));
    }

    static Study study() {
        return Study.builder(STUDY_UID).addInstances(CT, 3).addInstance(MR, "1.2.3.4.5.6").accessionNumber("ACC-1")
                .mppsUid("1.2.3.4.99").encrypted(true).name("CT chest").build();
    }

    static Patient patient() {
        return new Patient("PID-1", "Doe^Jane");
    }

    /** Every A.5.3 message type, in the enum's order. */
    static Map<AuditEventType, AuditMessage> all() {
        Map<AuditEventType, AuditMessage> m = new EnumMap<>(AuditEventType.class);
        for (AuditEventType t : AuditEventType.values()) {
            m.put(t, of(t));
        }
        return m;
    }

    static AuditMessage of(AuditEventType type) {
        AuditMessages.Builder b = AuditMessages.builder(type).eventDateTime(TIME).outcome(EventOutcome.SUCCESS)
                .auditSource(auditSource());
        switch (type) {
            case ApplicationActivity -> b.applicationStart()
                    .application(Participants.application("4711", List.of("GATEWAY", "GATEWAY2"), "gw.example.org"))
                    .launcher(Participants.person("admin", "example.org", "Ada Admin").requestor(true));
            case AuditLogUsed -> b.user(Participants.person("auditor", "example.org", "Ann Auditor").requestor(true))
                    .auditLog("file:///var/log/dicom-audit.log");
            case BeginTransferringDicomInstances -> b
                    .source(Participants.application("STORESCU", "192.0.2.10").requestor(true))
                    .destination(Participants.application("GATEWAY", "2001:db8::1")).study(study()).patient(patient());
            case DataExport -> b.source(Participants.person("tech", "example.org", "Tom Tech").requestor(true))
                    .destinationMedia(Participants.media("urn:uuid:5b4f8f26-4f5e-4c0d-9d0f-6a9d6e6e0c11",
                            AuditCodes.MEDIA_DVD))
                    .study(study()).patient(patient());
            case DataImport -> b.destination(Participants.process("4711", "gateway").requestor(true))
                    .sourceMedia(Participants.media("file:///media/cdrom", AuditCodes.MEDIA_CD)).study(study())
                    .patient(patient());
            case DicomInstancesAccessed -> b.action(EventActionCode.UPDATE)
                    .user(Participants.person("rad", "example.org", "Rita Rad").requestor(true)).study(study())
                    .patient(patient());
            case DicomInstancesTransferred -> b.action(EventActionCode.CREATE)
                    .source(Participants.application("STORESCU", "192.0.2.10").requestor(true))
                    .destination(Participants.application("4711", List.of("GATEWAY"), "gw.example.org"))
                    .study(study(), true).patient(patient());
            case DicomStudyDeleted -> b.user(Participants.process("4711", "gateway")).study(Study.of(STUDY_UID))
                    .patient(patient());
            case NetworkEntry -> b.attach().node(Participants.node("gw.example.org", "192.0.2.1"));
            case Query -> b.source(Participants.application("FINDSCU", "192.0.2.10").requestor(true))
                    .destination(Participants.application("GATEWAY", "gw.example.org"))
                    .query(FIND, QUERY, AuditCodes.IMPLICIT_VR_LITTLE_ENDIAN);
            case SecurityAlert -> b.eventTypeCode(AuditCodes.TYPE_NODE_AUTHENTICATION).outcome(EventOutcome.MINOR_FAILURE)
                    .outcomeDescription("TLS handshake failed: certificate unknown")
                    .user(Participants.process("4711", "gateway"))
                    .alertSubjectNode("192.0.2.66", "rejected client certificate \"CN=evil\"");
            case UserAuthentication -> b.login().outcome(EventOutcome.SERIOUS_FAILURE)
                    .user(Participants.person("jdoe", "example.org", "John Doe").networkAccessPoint("192.0.2.77")
                            .requestor(true))
                    .node(Participants.node("gw.example.org", "gw.example.org"));
            case OrderRecord, PatientRecord -> b.action(EventActionCode.READ)
                    .user(Participants.person("clerk", "example.org", "Carl Clerk").requestor(true)).patient(patient());
            case ProcedureRecord -> b.action(EventActionCode.CREATE)
                    .user(Participants.person("tech", "example.org", "Tom Tech").requestor(true)).study(study())
                    .patient(patient());
        }
        return b.build();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
