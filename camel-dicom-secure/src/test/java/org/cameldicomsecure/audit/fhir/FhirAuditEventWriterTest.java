package org.cameldicomsecure.audit.fhir;

import static org.cameldicomsecure.audit.fhir.StrictJson.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.audit.AuditEventType;
import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditSourceIdentification;
import org.cameldicomsecure.audit.CodedValue;
import org.cameldicomsecure.audit.EventActionCode;
import org.cameldicomsecure.audit.EventIdentification;
import org.cameldicomsecure.audit.EventOutcome;
import org.cameldicomsecure.audit.ParticipantObjectDataLifeCycle;
import org.cameldicomsecure.audit.ParticipantObjectDescription;
import org.cameldicomsecure.audit.ParticipantObjectDetail;
import org.cameldicomsecure.audit.ParticipantObjectIdentification;
import org.cameldicomsecure.audit.ParticipantObjectTypeCode;
import org.cameldicomsecure.audit.ParticipantObjectTypeCodeRole;
import org.cameldicomsecure.audit.ActiveParticipant;
import org.cameldicomsecure.audit.SopClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FhirAuditEventWriterTest {

    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private final FhirAuditEventWriter writer = new FhirAuditEventWriter();

    private Object json(AuditMessage m) {
        byte[] bytes = writer.write(m);
        String text = strictUtf8(bytes);
        assertEquals(text, writer.toJson(m));
        return StrictJson.parse(text);
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new AssertionError("not UTF-8", e);
        }
    }

    @ParameterizedTest
    @EnumSource(AuditEventType.class)
    void everyA53MessageConvertsWithTheRequiredR4Elements(AuditEventType type) {
        AuditMessage m = SampleMessages.of(type);
        byte[] bytes = writer.write(m);
        for (byte b : bytes) {
            assertTrue(b != '\n' && b != '\r', "one line");
        }
        Object doc = StrictJson.parse(strictUtf8(bytes));
        assertEquals("AuditEvent", at(doc, "resourceType"));
        assertEquals(DCM, at(doc, "type", "system"));
        assertEquals(type.eventId().code(), at(doc, "type", "code"));
        assertEquals(type.eventId().originalText(), at(doc, "type", "display"));
        assertEquals(m.event().actionCode().code(), at(doc, "action"));
        assertEquals("2024-03-05T14:07:09.123+01:00", at(doc, "recorded"));
        assertEquals(Integer.toString(m.outcome()), at(doc, "outcome"));
        List<?> agents = (List<?>) at(doc, "agent");
        assertEquals(m.participants().size(), agents.size());
        for (int i = 0; i < agents.size(); i++) {
            ActiveParticipant p = m.participants().get(i);
            assertEquals(p.userIsRequestor(), at(agents.get(i), "requestor"));
            assertEquals(p.userId(), at(agents.get(i), "who", "identifier", "value"));
        }
        assertEquals("gateway@example.org", at(doc, "source", "observer", "identifier", "value"));
        assertEquals("Radiology", at(doc, "source", "site"));
        assertEquals(Map.of("system", "http://terminology.hl7.org/CodeSystem/security-source-type", "code", "4",
                "display", "Application Server"), at(doc, "source", "type", 0));
        if (m.objects().isEmpty()) {
            assertFalse(((Map<?, ?>) doc).containsKey("entity"));
        } else {
            assertEquals(m.objects().size(), ((List<?>) at(doc, "entity")).size());
        }
        for (CodedValue c : m.event().eventTypeCodes()) {
            assertTrue(((List<?>) at(doc, "subtype")).contains(Map.of("system", DCM, "code", c.code(), "display",
                    c.originalText())), "subtype " + c);
        }
    }

    @Test
    void transferredMapsParticipantsStudyAndPatient() {
        Object doc = json(SampleMessages.of(AuditEventType.DicomInstancesTransferred));
        assertEquals("C", at(doc, "action"));
        assertEquals("0", at(doc, "outcome"));
        Object sender = at(doc, "agent", 0);
        assertEquals(Map.of("coding", List.of(Map.of("system", DCM, "code", "110153", "display", "Source Role ID"))),
                at(sender, "type"));
        assertEquals("STORESCU", at(sender, "who", "identifier", "value"));
        assertEquals("AETITLES=STORESCU", at(sender, "altId"));
        assertEquals(true, at(sender, "requestor"));
        assertEquals(Map.of("address", "192.0.2.10", "type", "2"), at(sender, "network"));
        Object receiver = at(doc, "agent", 1);
        assertEquals("110152", at(receiver, "type", "coding", 0, "code"));
        assertEquals(false, at(receiver, "requestor"));
        assertEquals("1", at(receiver, "network", "type"));
        assertEquals("gw.example.org", at(receiver, "network", "address"));

        Object study = at(doc, "entity", 0);
        assertEquals(SampleMessages.STUDY_UID, at(study, "what", "identifier", "value"));
        assertEquals(Map.of("coding", List.of(Map.of("system", DCM, "code", "110180", "display",
                "Study Instance UID"))), at(study, "what", "identifier", "type"));
        assertEquals(Map.of("system", "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code", "2",
                "display", "System Object"), at(study, "type"));
        assertEquals(Map.of("system", "http://terminology.hl7.org/CodeSystem/object-role", "code", "3", "display",
                "Report"), at(study, "role"));
        assertEquals("CT chest", at(study, "name"));
        List<?> ext = (List<?>) at(study, "extension");
        String p = FhirAuditEventWriter.EXTENSION_PREFIX;
        assertTrue(ext.contains(Map.of("url", p + "MPPS", "valueIdentifier", Map.of("system", "urn:dicom:uid",
                "value", "urn:oid:1.2.3.4.99"))), ext.toString());
        assertTrue(ext.contains(Map.of("url", p + "Accession", "valueIdentifier", Map.of("type", Map.of("coding",
                List.of(Map.of("system", "http://terminology.hl7.org/CodeSystem/v2-0203", "code", "ACSN", "display",
                        "Accession ID"))), "value", "ACC-1"))), ext.toString());
        assertTrue(ext.contains(Map.of("url", p + "SOPClass", "valueReference", Map.of("identifier", Map.of(
                "system", "urn:dicom:uid", "value", "urn:oid:" + SampleMessages.CT)))), ext.toString());
        assertTrue(ext.contains(Map.of("url", p + "SOPClass", "valueReference", Map.of("identifier", Map.of(
                "system", "urn:dicom:uid", "value", "urn:oid:" + SampleMessages.MR)))), ext.toString());
        assertTrue(ext.contains(Map.of("url", p + "NumberOfInstances", "valueInteger", 4L)), ext.toString());
        assertTrue(ext.contains(Map.of("url", p + "Instance", "valueIdentifier", Map.of("system", "urn:dicom:uid",
                "value", "urn:oid:1.2.3.4.5.6"))), ext.toString());
        assertTrue(ext.contains(Map.of("url", p + "Encrypted", "valueBoolean", true)), ext.toString());
        assertFalse(ext.toString().contains("Anonymized"));

        Object patient = at(doc, "entity", 1);
        assertEquals("PID-1", at(patient, "what", "identifier", "value"));
        assertEquals(Map.of("coding", List.of(Map.of("system", "urn:ietf:rfc:3881", "code", "2", "display",
                "Patient Number"))), at(patient, "what", "identifier", "type"));
        assertEquals("1", at(patient, "type", "code"));
        assertEquals("Person", at(patient, "type", "display"));
        assertEquals("Patient", at(patient, "role", "display"));
        assertEquals("Doe^Jane", at(patient, "name"));
        assertFalse(((Map<?, ?>) patient).containsKey("extension"));
    }

    @Test
    void queryKeepsTheDataSetAndTheTransferSyntax() {
        Object doc = json(SampleMessages.of(AuditEventType.Query));
        assertEquals("E", at(doc, "action"));
        Object q = at(doc, "entity", 0);
        assertEquals("110181", at(q, "what", "identifier", "type", "coding", 0, "code"));
        assertEquals(SampleMessages.FIND, at(q, "what", "identifier", "value"));
        assertEquals(Base64.getEncoder().encodeToString(SampleMessages.QUERY), at(q, "query"));
        assertFalse(((Map<?, ?>) q).containsKey("name"), "R4 sev-1: name or query, not both");
        assertEquals(List.of(Map.of("type", "TransferSyntax", "valueString", "1.2.840.10008.1.2")), at(q, "detail"));
    }

    @Test
    void securityAlertHasSubtypeOutcomeDescriptionAndAlertDetail() {
        Object doc = json(SampleMessages.of(AuditEventType.SecurityAlert));
        assertEquals(List.of(Map.of("system", DCM, "code", "110126", "display", "Node Authentication")),
                at(doc, "subtype"));
        assertEquals("4", at(doc, "outcome"));
        assertEquals("TLS handshake failed: certificate unknown", at(doc, "outcomeDesc"));
        Object subject = at(doc, "entity", 0);
        assertEquals("110182", at(subject, "what", "identifier", "type", "coding", 0, "code"));
        assertEquals("13", at(subject, "role", "code"));
        assertEquals("Security Resource", at(subject, "role", "display"));
        assertEquals(List.of(Map.of("type", "Alert Description", "valueString",
                "rejected client certificate \"CN=evil\"")), at(subject, "detail"));
    }

    @Test
    void applicationAndMediaParticipants() {
        Object app = json(SampleMessages.of(AuditEventType.ApplicationActivity));
        assertEquals("110120", at(app, "subtype", 0, "code"));
        assertEquals("110150", at(app, "agent", 0, "type", "coding", 0, "code"));
        assertEquals("AETITLES=GATEWAY;GATEWAY2", at(app, "agent", 0, "altId"));
        assertEquals("110151", at(app, "agent", 1, "type", "coding", 0, "code"));
        assertEquals("admin@example.org", at(app, "agent", 1, "who", "identifier", "value"));
        assertEquals("Ada Admin", at(app, "agent", 1, "name"));

        Object export = json(SampleMessages.of(AuditEventType.DataExport));
        Object media = ((List<?>) at(export, "agent")).stream()
                .filter(a -> "110154".equals(at(a, "type", "coding", 0, "code"))).findFirst().orElseThrow();
        assertEquals(Map.of("system", DCM, "code", "110033", "display", "DVD"), at(media, "media"));
        assertEquals(false, at(media, "requestor"));
    }

    @Test
    void everyOptionalFieldOfTheModelIsMapped() {
        ActiveParticipant p = ActiveParticipant.builder("u1").alternativeUserId("alt").userName("User One")
                .requestor(true).role(CodedValue.of("RBAC-9", "99LOCAL", "Night shift"))
                .role(AuditCodes.ROLE_SOURCE).role(AuditCodes.ROLE_DESTINATION)
                .networkAccessPoint(org.cameldicomsecure.audit.NetworkAccessPointType.URI, "https://x.example/a")
                .build();
        ParticipantObjectIdentification o = ParticipantObjectIdentification.builder("obj-1", AuditCodes.ID_URI)
                .typeCode(ParticipantObjectTypeCode.OTHER).role(ParticipantObjectTypeCodeRole.PROCESSING_ELEMENT)
                .dataLifeCycle(ParticipantObjectDataLifeCycle.DE_IDENTIFICATION).sensitivity("VIP").name("thing")
                .detail(new ParticipantObjectDetail("bin", new byte[] {0, 1, (byte) 0xff}))
                .detail(new ParticipantObjectDetail("empty", new byte[0]))
                .detail(ParticipantObjectDetail.of("text", "line1\nline2\täö€😀"))
                .description(new ParticipantObjectDescription(List.of(), List.of(), List.of(SopClass.of(null, 2)),
                        List.of("1.2.3", "1.2.4"), false, true))
                .description(new ParticipantObjectDescription(List.of(), List.of(), List.of(SopClass.of("1.2.5", 3)),
                        null, true, true))
                .build();
        AuditMessage m = new AuditMessage(new EventIdentification(CodedValue.dcm("110100", "Application Activity"),
                null, OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC), EventOutcome.MAJOR_FAILURE,
                List.of(), ""), List.of(p), new AuditSourceIdentification("src", null, List.of(
                        CodedValue.of("X1", "1.2.840.99", "Thing"), CodedValue.bare("9"))), List.of(o));
        Object doc = json(m);
        assertFalse(((Map<?, ?>) doc).containsKey("action"));
        assertFalse(((Map<?, ?>) doc).containsKey("outcomeDesc"), "FHIR has no empty strings");
        assertEquals("2024-01-02T03:04:05Z", at(doc, "recorded"));
        assertEquals("12", at(doc, "outcome"));
        Object a = at(doc, "agent", 0);
        assertEquals("110153", at(a, "type", "coding", 0, "code"), "the first DCM role is the type");
        assertEquals(List.of(Map.of("coding", List.of(Map.of("code", "RBAC-9", "display", "Night shift"))),
                Map.of("coding", List.of(Map.of("system", DCM, "code", "110152", "display", "Destination Role ID")))),
                at(a, "role"));
        assertEquals("alt", at(a, "altId"));
        assertEquals("User One", at(a, "name"));
        assertEquals(Map.of("address", "https://x.example/a", "type", "5"), at(a, "network"));
        assertEquals(List.of(Map.of("system", "urn:oid:1.2.840.99", "code", "X1", "display", "Thing"),
                Map.of("system", "http://terminology.hl7.org/CodeSystem/security-source-type", "code", "9", "display",
                        "Other")), at(doc, "source", "type"));
        assertFalse(((Map<?, ?>) at(doc, "source")).containsKey("site"));

        Object e = at(doc, "entity", 0);
        assertEquals(Map.of("system", "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code", "4",
                "display", "Other"), at(e, "type"));
        assertEquals(Map.of("system", "http://terminology.hl7.org/CodeSystem/object-role", "code", "26"),
                at(e, "role"));
        assertEquals(Map.of("system", "http://terminology.hl7.org/CodeSystem/dicom-audit-lifecycle", "code", "7",
                "display", "De-identification"), at(e, "lifecycle"));
        assertEquals(List.of(Map.of("code", "VIP")), at(e, "securityLabel"));
        assertEquals(Map.of("coding", List.of(Map.of("system", "urn:ietf:rfc:3881", "code", "12", "display", "URI"))),
                at(e, "what", "identifier", "type"));
        List<?> details = (List<?>) at(e, "detail");
        assertEquals(Map.of("type", "bin", "valueBase64Binary", "AAH/"), details.get(0));
        assertEquals(Map.of("type", "empty", "_valueBase64Binary", Map.of("extension", List.of(Map.of("url",
                "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode", "unsupported")))),
                details.get(1));
        assertEquals(Map.of("type", "text", "valueString", "line1\nline2\täö€😀"), details.get(2));
        assertEquals(Map.of("type", "ParticipantObjectContainsStudy", "valueString", "1.2.4"), details.get(3));
        List<?> ext = (List<?>) at(e, "extension");
        String px = FhirAuditEventWriter.EXTENSION_PREFIX;
        assertEquals(List.of(
                Map.of("url", px + "SOPClass", "valueReference", Map.of("identifier", Map.of("system",
                        "urn:dicom:uid", "value", "urn:oid:1.2.5"))),
                Map.of("url", px + "NumberOfInstances", "valueInteger", 5L),
                Map.of("url", px + "Anonymized", "valueBoolean", true),
                Map.of("url", px + "ParticipantObjectContainsStudy", "valueIdentifier", Map.of("system",
                        "urn:dicom:uid", "value", "urn:oid:1.2.3"))), ext,
                "Encrypted conflicts (false, true) and is left out");
    }

    @Test
    void sensitivityThatIsNoFhirCodeBecomesTheDisplay() {
        ParticipantObjectIdentification o = ParticipantObjectIdentification.builder("PID", AuditCodes.ID_PATIENT_NUMBER)
                .typeCode(ParticipantObjectTypeCode.PERSON).role(ParticipantObjectTypeCodeRole.PATIENT)
                .sensitivity(" very  restricted").name("x").build();
        Object doc = json(message(List.of(o)));
        assertEquals(List.of(Map.of("display", " very  restricted")), at(doc, "entity", 0, "securityLabel"));
    }

    @Test
    void emptyQueryIsMarkedAbsent() {
        ParticipantObjectIdentification o = ParticipantObjectIdentification.builder("q", AuditCodes.ID_SEARCH_CRITERIA)
                .query(new byte[0]).build();
        Object doc = json(message(List.of(o)));
        assertNotNull(at(doc, "entity", 0, "_query", "extension"));
        assertFalse(((Map<?, ?>) at(doc, "entity", 0)).containsKey("query"));
    }

    @Test
    void textIsEscapedAndStaysOneLine() {
        String nasty = "Dö\"e\\^J\u0000a\u001fn\u007fe\u0085\u2028\u2029\r\n\t/😀\ud800x\udc00";
        ParticipantObjectIdentification o = ParticipantObjectIdentification.builder("P\"1", AuditCodes.ID_PATIENT_NUMBER)
                .typeCode(ParticipantObjectTypeCode.PERSON).role(ParticipantObjectTypeCodeRole.PATIENT).name(nasty)
                .build();
        AuditMessage m = message(List.of(o));
        byte[] bytes = writer.write(m);
        String text = strictUtf8(bytes);
        assertTrue(text.contains("\"name\":\"D\u00f6\\\"e\\\\^J\\u0000a\\u001fn\\u007fe\\u0085\\u2028\\u2029\\r\\n\\t/"
                + "\ud83d\ude00\\ud800x\\udc00\""), text);
        for (byte b : bytes) {
            assertTrue(b >= 0x20 || b < 0, "no raw control byte: " + b);
        }
        assertTrue(containsSequence(bytes, new byte[] {(byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80}),
                "non-BMP as 4-byte UTF-8");
        Object doc = StrictJson.parse(text);
        assertEquals(nasty, at(doc, "entity", 0, "name"), "round trip");
        assertEquals("P\"1", at(doc, "entity", 0, "what", "identifier", "value"));
    }

    @Test
    void instantsKeepTheOffsetAndTheFraction() {
        assertEquals("2024-03-05T14:07:09+05:30", FhirAuditEventWriter.instant(
                OffsetDateTime.of(2024, 3, 5, 14, 7, 9, 0, ZoneOffset.ofHoursMinutes(5, 30))));
        assertEquals("0001-01-01T00:00:00.000000001-14:00", FhirAuditEventWriter.instant(
                OffsetDateTime.of(1, 1, 1, 0, 0, 0, 1, ZoneOffset.ofHours(-14))));
        assertEquals("2024-12-31T23:59:59.5Z", FhirAuditEventWriter.instant(
                OffsetDateTime.of(2024, 12, 31, 23, 59, 59, 500_000_000, ZoneOffset.UTC)));
    }

    @Test
    void codingSchemeDesignatorsMapToFhirSystems() {
        assertEquals(DCM, FhirAuditEventWriter.systemOf("DCM"));
        assertEquals("http://loinc.org", FhirAuditEventWriter.systemOf("LN"));
        assertEquals("http://snomed.info/sct", FhirAuditEventWriter.systemOf("SCT"));
        assertEquals("urn:ietf:rfc:3881", FhirAuditEventWriter.systemOf("RFC-3881"));
        assertEquals("urn:oid:1.2.840.10008.2.16.4", FhirAuditEventWriter.systemOf("1.2.840.10008.2.16.4"));
        assertEquals("http://example.org/cs", FhirAuditEventWriter.systemOf("http://example.org/cs"));
        assertNull(FhirAuditEventWriter.systemOf("99LOCAL"));
        assertNull(FhirAuditEventWriter.systemOf("01.2"));
        assertNull(FhirAuditEventWriter.systemOf(null));
    }

    @Test
    void detailTextOnlyForCleanUtf8() {
        assertEquals("1.2.840.10008.1.2", FhirAuditEventWriter.textOf("1.2.840.10008.1.2".getBytes(
                StandardCharsets.US_ASCII)));
        assertNull(FhirAuditEventWriter.textOf(new byte[] {(byte) 0xc3}), "truncated UTF-8");
        assertNull(FhirAuditEventWriter.textOf(new byte[] {'a', 0, 'b'}), "NUL");
        assertNull(FhirAuditEventWriter.textOf(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}), "CESU surrogate");
        assertNull(FhirAuditEventWriter.textOf(new byte[0]));
    }

    @Test
    void formatAndNullMessage() {
        assertEquals(AuditFormat.FHIR_AUDITEVENT_JSON, writer.format());
        assertThrows(NullPointerException.class, () -> writer.write(null));
    }

    @Test
    void jsonWriterRefusesMisuse() {
        assertThrows(IllegalStateException.class, () -> new JsonWriter(new StringBuilder()).beginObject().value("x"));
        assertThrows(IllegalStateException.class, () -> new JsonWriter(new StringBuilder()).beginArray().name("x"));
        assertThrows(IllegalStateException.class, () -> new JsonWriter(new StringBuilder()).beginObject().endArray());
        assertThrows(IllegalStateException.class, () -> new JsonWriter(new StringBuilder()).beginObject().name("a")
                .endObject());
        assertThrows(IllegalStateException.class, () -> new JsonWriter(new StringBuilder()).value(1).value(2));
        StringBuilder sb = new StringBuilder();
        JsonWriter w = new JsonWriter(sb).beginObject().name("a").beginArray().value(1).value(true).beginObject()
                .endObject().beginArray().endArray().endArray().member("b", "c").endObject();
        assertTrue(w.isComplete());
        assertEquals("{\"a\":[1,true,{},[]],\"b\":\"c\"}", sb.toString());
    }

    private static AuditMessage message(List<ParticipantObjectIdentification> objects) {
        return new AuditMessage(new EventIdentification(AuditCodes.EVENT_PATIENT_RECORD, EventActionCode.READ,
                SampleMessages.TIME, EventOutcome.SUCCESS, List.of(), null),
                List.of(ActiveParticipant.builder("u").build()), AuditSourceIdentification.of("s"), objects);
    }

    private static boolean containsSequence(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
