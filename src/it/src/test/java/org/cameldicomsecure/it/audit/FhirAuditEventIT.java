package org.cameldicomsecure.it.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.cameldicomsecure.audit.ActiveParticipant;
import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.audit.AuditEventType;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditMessages;
import org.cameldicomsecure.audit.AuditSourceIdentification;
import org.cameldicomsecure.audit.CodedValue;
import org.cameldicomsecure.audit.EventActionCode;
import org.cameldicomsecure.audit.EventIdentification;
import org.cameldicomsecure.audit.EventOutcome;
import org.cameldicomsecure.audit.NetworkAccessPointType;
import org.cameldicomsecure.audit.ParticipantObjectDataLifeCycle;
import org.cameldicomsecure.audit.ParticipantObjectDescription;
import org.cameldicomsecure.audit.ParticipantObjectDetail;
import org.cameldicomsecure.audit.ParticipantObjectIdentification;
import org.cameldicomsecure.audit.ParticipantObjectTypeCode;
import org.cameldicomsecure.audit.ParticipantObjectTypeCodeRole;
import org.cameldicomsecure.audit.Participants;
import org.cameldicomsecure.audit.Patient;
import org.cameldicomsecure.audit.SopClass;
import org.cameldicomsecure.audit.Study;
import org.cameldicomsecure.audit.fhir.FhirAuditEventWriter;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;

/**
 * The {@code FHIR_AUDITEVENT_JSON} format against the HL7 reference validator: the JSON that
 * {@link FhirAuditEventWriter} makes of a message of every PS3.15 A.5.3 event type (built by the library's own
 * {@link AuditMessages} builders), and of a message that uses every optional field of the model, is validated by HAPI
 * FHIR's {@link FhirInstanceValidator} against the FHIR R4 core profiles, extensions and terminology (the
 * {@code DefaultProfileValidationSupport}, the in-memory terminology service and the common code systems), with no
 * ERROR or FATAL message allowed; HAPI's own JSON parser reads it back into an R4 {@link AuditEvent} whose fields are
 * the message's. The number of warnings is printed (they come from extensible bindings the DICOM codes do not fit
 * and code systems, such as DCM, that the R4 package does not hold).
 */
class FhirAuditEventIT {

    private static final OffsetDateTime TIME = OffsetDateTime.of(2024, 5, 17, 9, 31, 2, 123_456_000,
            ZoneOffset.ofHours(2));
    private static final String STUDY_UID = "2.25.299792458123456789";
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    private static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";

    private static FhirContext fhir;
    private static FhirValidator validator;
    private static final FhirAuditEventWriter WRITER = new FhirAuditEventWriter();

    @BeforeAll
    static void validator() {
        fhir = FhirContext.forR4();
        ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir), new CommonCodeSystemsTerminologyService(fhir));
        validator = fhir.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    static Stream<Arguments> messages() {
        List<Arguments> list = new ArrayList<>();
        for (AuditEventType t : AuditEventType.values()) {
            list.add(Arguments.of(t.name(), message(t)));
        }
        list.add(Arguments.of("DicomInstancesTransferred, several SOP classes and instance UIDs",
                transferredWithInstances()));
        list.add(Arguments.of("every optional field", everything()));
        return list.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void validatesAgainstFhirR4(String name, AuditMessage m) {
        byte[] bytes = WRITER.write(m);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(json.indexOf('\n') < 0 && json.indexOf('\r') < 0, "one line");

        ValidationResult result = validator.validateWithResult(json);
        List<SingleValidationMessage> errors = result.getMessages().stream()
                .filter(v -> v.getSeverity() == ResultSeverityEnum.ERROR || v.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
        List<SingleValidationMessage> warnings = result.getMessages().stream()
                .filter(v -> v.getSeverity() == ResultSeverityEnum.WARNING).toList();
        System.out.println("FhirAuditEventIT " + name + ": " + bytes.length + " bytes, " + errors.size()
                + " errors, " + warnings.size() + " warnings"
                + warnings.stream().map(w -> "\n  WARNING " + w.getLocationString() + ": " + w.getMessage())
                        .collect(Collectors.joining()));
        assertTrue(errors.isEmpty(), name + ": " + errors.stream()
                .map(e -> e.getSeverity() + " " + e.getLocationString() + ": " + e.getMessage())
                .collect(Collectors.joining("\n")));

        // HAPI reads back what the message says
        AuditEvent e = fhir.newJsonParser().parseResource(AuditEvent.class, json);
        assertEquals(m.event().eventId().code(), e.getType().getCode());
        assertEquals(FhirAuditEventWriter.DCM_SYSTEM, e.getType().getSystem());
        assertEquals(m.event().eventTypeCodes().size(), e.getSubtype().size());
        if (m.event().actionCode() != null) {
            assertEquals(m.event().actionCode().code(), e.getAction().toCode());
        }
        // HAPI keeps milliseconds (java.util.Date); the JSON carries the full fraction and the offset
        assertEquals(m.event().dateTime().toInstant().truncatedTo(ChronoUnit.MILLIS), e.getRecorded().toInstant());
        assertTrue(json.contains("\"recorded\":\"2024-05-17T09:31:02.123456+02:00\""), json);
        assertEquals(Integer.toString(m.outcome()), e.getOutcome().toCode());
        assertEquals(m.participants().size(), e.getAgent().size());
        for (int i = 0; i < m.participants().size(); i++) {
            ActiveParticipant p = m.participants().get(i);
            AuditEvent.AuditEventAgentComponent a = e.getAgent().get(i);
            assertEquals(p.userId(), a.getWho().getIdentifier().getValue());
            assertEquals(p.userIsRequestor(), a.getRequestor());
            if (p.networkAccessPointType() != null) {
                assertEquals(p.networkAccessPointId(), a.getNetwork().getAddress());
                assertEquals(Integer.toString(p.networkAccessPointType().code()), a.getNetwork().getType().toCode());
            }
        }
        assertEquals(m.source().auditSourceId(), e.getSource().getObserver().getIdentifier().getValue());
        assertEquals(m.objects().size(), e.getEntity().size());
        for (int i = 0; i < m.objects().size(); i++) {
            ParticipantObjectIdentification o = m.objects().get(i);
            AuditEvent.AuditEventEntityComponent x = e.getEntity().get(i);
            assertEquals(o.objectId(), x.getWhat().getIdentifier().getValue());
            assertEquals(o.idTypeCode().code(), x.getWhat().getIdentifier().getType().getCodingFirstRep().getCode());
            if (o.query() != null && o.query().length > 0) {
                assertEquals(java.util.Arrays.toString(o.query()), java.util.Arrays.toString(x.getQuery()));
            }
            assertEquals(o.details().size(), x.getDetail().stream()
                    .filter(d -> !d.getType().equals("ParticipantObjectContainsStudy")).count());
        }
    }

    /**
     * DICOM codes newer than FHIR R4 (4.0.1, 2019): the EventTypeCodes 110143 to 110147 of CID 401/403 (PS3.16 2024c)
     * are not in R4's audit-event-sub-type value set, and object-role codes 25 and 26 are not in R4's copy of that
     * code system (they are in later HL7 terminology). HAPI's R4 validator reports exactly these as unknown codes,
     * nothing else: the writer keeps the standard's codes rather than drop them.
     */
    @Test
    void codesNewerThanR4AreTheOnlyErrors() {
        AuditMessage alert = AuditMessages.securityAlert().eventDateTime(TIME).outcome(EventOutcome.SERIOUS_FAILURE)
                .eventTypeCode(AuditCodes.TYPE_AUTHORIZATION_DECISION).auditSource(auditSource())
                .user(Participants.process("31337", "gateway"))
                .alertSubject(AuditCodes.ID_URI, "https://pacs.example.org/studies",
                        ParticipantObjectTypeCodeRole.PROCESSING_ELEMENT, "access refused")
                .build();
        List<SingleValidationMessage> errors = validator.validateWithResult(WRITER.toJson(alert)).getMessages()
                .stream().filter(v -> v.getSeverity() == ResultSeverityEnum.ERROR
                        || v.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
        System.out.println("FhirAuditEventIT codes newer than R4: " + errors.stream()
                .map(e -> "\n  " + e.getSeverity() + " " + e.getLocationString() + ": " + e.getMessage())
                .collect(Collectors.joining()));
        assertEquals(List.of("AuditEvent.subtype[0]", "AuditEvent.entity[0].role"),
                errors.stream().map(SingleValidationMessage::getLocationString).toList());
        assertTrue(errors.get(0).getMessage().contains("Unknown code") && errors.get(0).getMessage().contains("110144"));
        assertTrue(errors.get(1).getMessage().contains("Unknown code") && errors.get(1).getMessage().contains("#26"));
    }

    @Test
    void everyEventTypeIsCovered() {
        assertEquals(AuditEventType.values().length + 2, messages().count());
    }

    private static AuditSourceIdentification auditSource() {
        return new AuditSourceIdentification("gateway@pacs.example.org", "Radiology",
                List.of(AuditCodes.SOURCE_APPLICATION_SERVER));
    }

    private static Study study() {
        return Study.builder(STUDY_UID).addInstances(CT, 120).accessionNumber("ACC-2024-17").mppsUid("2.25.4711")
                .name("CT Thorax").build();
    }

    private static Patient patient() {
        return new Patient("PID-0815", "Müller^Jürgen^Ä");
    }

    private static AuditMessage message(AuditEventType type) {
        AuditMessages.Builder b = AuditMessages.builder(type).eventDateTime(TIME).outcome(EventOutcome.SUCCESS)
                .auditSource(auditSource());
        switch (type) {
            case ApplicationActivity -> b.applicationStart()
                    .application(Participants.application("31337", List.of("GATEWAY"), "pacs.example.org"))
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
            case DataImport -> b.destination(Participants.process("31337", "gateway").requestor(true))
                    .sourceMedia(Participants.media("file:///media/cdrom", AuditCodes.MEDIA_CD)).study(study())
                    .patient(patient());
            case DicomInstancesAccessed -> b.action(EventActionCode.UPDATE)
                    .user(Participants.person("rad", "example.org", "Rita Rad").requestor(true)).study(study())
                    .patient(patient());
            case DicomInstancesTransferred -> b.action(EventActionCode.CREATE)
                    .source(Participants.application("STORESCU", "192.0.2.10").requestor(true))
                    .destination(Participants.application("31337", List.of("GATEWAY"), "pacs.example.org"))
                    .study(study()).patient(patient());
            case DicomStudyDeleted -> b.user(Participants.process("31337", "gateway")).study(Study.of(STUDY_UID))
                    .patient(patient());
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
            case OrderRecord, PatientRecord -> b.action(EventActionCode.READ)
                    .user(Participants.person("clerk", "example.org", "Carl Clerk").requestor(true)).patient(patient());
            case ProcedureRecord -> b.action(EventActionCode.CREATE)
                    .user(Participants.person("tech", "example.org", "Tom Tech").requestor(true)).study(study())
                    .patient(patient());
        }
        return b.build();
    }

    private static AuditMessage transferredWithInstances() {
        Study.Builder s = Study.builder(STUDY_UID).accessionNumber("ACC-1").accessionNumber("ACC-2").encrypted(true)
                .anonymized(false);
        for (int i = 1; i <= 3; i++) {
            s.addInstance(CT, STUDY_UID + ".1." + i);
            s.addInstance(MR, STUDY_UID + ".2." + i);
        }
        return AuditMessages.dicomInstancesTransferred().eventDateTime(TIME).outcome(EventOutcome.MINOR_FAILURE)
                .outcomeDescription("2 of 8 instances refused: out of resources").action(EventActionCode.UPDATE)
                .source(Participants.application("MODALITY", "192.0.2.10").requestor(true))
                .destination(Participants.application("31337", List.of("GATEWAY", "GATEWAY_TLS"), "pacs.example.org"))
                .other(Participants.person("jdoe", "example.org", "John Doe"))
                .auditSource(auditSource()).study(s.build(), true).patient(patient()).build();
    }

    /** A message using every optional field of the model, outside any A.5.3 message. */
    private static AuditMessage everything() {
        ActiveParticipant p = ActiveParticipant.builder("jdoe@example.org").alternativeUserId("jdoe@EXAMPLE.ORG")
                .userName("John Doe").requestor(true).role(AuditCodes.ROLE_SOURCE)
                .role(CodedValue.of("RBAC-9", "99LOCAL", "Night shift radiologist"))
                .networkAccessPoint(NetworkAccessPointType.URI, "https://viewer.example.org/").build();
        ActiveParticipant media = ActiveParticipant.builder("mailto:export@example.org")
                .role(AuditCodes.ROLE_DESTINATION_MEDIA).mediaType(AuditCodes.MEDIA_URI)
                .networkAccessPoint(NetworkAccessPointType.EMAIL_ADDRESS, "export@example.org").build();
        ParticipantObjectIdentification study = ParticipantObjectIdentification
                .builder(STUDY_UID, AuditCodes.ID_STUDY_INSTANCE_UID).typeCode(ParticipantObjectTypeCode.SYSTEM_OBJECT)
                .role(ParticipantObjectTypeCodeRole.REPORT).dataLifeCycle(ParticipantObjectDataLifeCycle.EXPORT)
                .sensitivity("VIP").name("CT Thorax")
                .detail(ParticipantObjectDetail.of(AuditCodes.DETAIL_CONTAINS_SOP_CLASS, CT))
                .detail(new ParticipantObjectDetail("binary", new byte[] {0, 1, 2, (byte) 0xff}))
                .detail(new ParticipantObjectDetail("empty", new byte[0]))
                .description(new ParticipantObjectDescription(List.of("2.25.1"), List.of("ACC-9"),
                        List.of(new SopClass(CT, 2, List.of("2.25.11", "2.25.12")), SopClass.of(null, 1)),
                        List.of("2.25.7", "2.25.8"), true, true))
                .build();
        ParticipantObjectIdentification report = ParticipantObjectIdentification
                .builder("RPT-1", AuditCodes.ID_REPORT_NUMBER).typeCode(ParticipantObjectTypeCode.OTHER)
                .role(ParticipantObjectTypeCodeRole.DATA_ARCHIVE).sensitivity("very restricted  data")
                .query(new byte[0]).build();
        return new AuditMessage(new EventIdentification(AuditCodes.EVENT_EXPORT, EventActionCode.READ, TIME,
                EventOutcome.MAJOR_FAILURE, List.of(AuditCodes.TYPE_USE_OF_RESTRICTED_FUNCTION), "refused"),
                List.of(p, media), new AuditSourceIdentification("gateway", "Site A", List.of(
                        AuditCodes.SOURCE_SECURITY_SERVER, CodedValue.of("X1", "1.2.840.99999", "Local source type"))),
                List.of(study, report));
    }
}
