package org.cameldicomsecure.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class AuditXmlTest {

    private static final String TRICKY = "line1\r\nline2\nline3\rend\t<tag attr=\"x\">&amp; 'q' ]]> \u00e9\u4e2d\uD83D\uDE00";

    @Test
    void compactOutputInSchemaOrder() {
        AuditMessage m = new AuditMessage(
                new EventIdentification(AuditCodes.EVENT_DICOM_INSTANCES_TRANSFERRED, EventActionCode.CREATE,
                        AuditSamples.TIME, EventOutcome.SUCCESS, List.of(), null),
                List.of(AuditSamples.sender().role(AuditCodes.ROLE_SOURCE).requestor(true).build()),
                new AuditSourceIdentification("gw", null, List.of(AuditCodes.SOURCE_APPLICATION_SERVER)),
                List.of(AuditSamples.patient().toParticipantObject()));
        String expected = "<AuditMessage><EventIdentification EventActionCode=\"C\" "
                + "EventDateTime=\"2024-05-17T14:03:21.250+02:00\" EventOutcomeIndicator=\"0\">"
                + "<EventID csd-code=\"110104\" codeSystemName=\"DCM\" originalText=\"DICOM Instances Transferred\"/>"
                + "</EventIdentification>"
                + "<ActiveParticipant UserID=\"STORESCU\" AlternativeUserID=\"AETITLES=STORESCU\" UserIsRequestor=\"true\" "
                + "NetworkAccessPointID=\"192.0.2.10\" NetworkAccessPointTypeCode=\"2\">"
                + "<RoleIDCode csd-code=\"110153\" codeSystemName=\"DCM\" originalText=\"Source Role ID\"/>"
                + "</ActiveParticipant>"
                + "<AuditSourceIdentification AuditSourceID=\"gw\"><AuditSourceTypeCode csd-code=\"4\"/>"
                + "</AuditSourceIdentification>"
                + "<ParticipantObjectIdentification ParticipantObjectID=\"PID-000123\" ParticipantObjectTypeCode=\"1\" "
                + "ParticipantObjectTypeCodeRole=\"1\">"
                + "<ParticipantObjectIDTypeCode csd-code=\"2\" codeSystemName=\"RFC-3881\" originalText=\"Patient Number\"/>"
                + "<ParticipantObjectName>DOE^JANE</ParticipantObjectName></ParticipantObjectIdentification>"
                + "</AuditMessage>";
        assertEquals(expected, AuditXml.toXml(m));
        AuditSchema.assertValid(AuditXml.toBytes(m));
    }

    @Test
    void everyOptionalPartIsWrittenInSchemaOrderAndValid() {
        ParticipantObjectIdentification full = ParticipantObjectIdentification
                .builder("urn:x", CodedValue.of("99", "1.2.3.4", "local").withDisplayName("Local ID"))
                .typeCode(ParticipantObjectTypeCode.OTHER).role(ParticipantObjectTypeCodeRole.JOB)
                .dataLifeCycle(ParticipantObjectDataLifeCycle.PERMANENT_ERASURE).sensitivity("VIP").name("n")
                .detail("a", "1").detail(new ParticipantObjectDetail("b", new byte[] {0, (byte) 0xff}))
                .description(new ParticipantObjectDescription(List.of("1.2.1"), List.of("ACC"),
                        List.of(new SopClass(null, 0, List.of()), new SopClass("1.2.2", 1, List.of("1.2.3"))),
                        List.of("1.2.4", "1.2.5"), false, true))
                .description(new ParticipantObjectDescription(null, null, null, List.of(), null, null)).build();
        AuditMessage m = new AuditMessage(
                new EventIdentification(AuditCodes.EVENT_SECURITY_ALERT, EventActionCode.EXECUTE, AuditSamples.TIME,
                        EventOutcome.MAJOR_FAILURE, List.of(AuditCodes.TYPE_SOFTWARE_CONFIGURATION,
                                AuditCodes.TYPE_SECURITY_CONFIGURATION), "outcome text"),
                List.of(AuditSamples.person().role(AuditCodes.ROLE_DESTINATION_MEDIA).mediaType(AuditCodes.MEDIA_URI)
                        .networkAccessPoint(NetworkAccessPointType.URI, "https://x.example.org/").build(),
                        ActiveParticipant.builder("p").build()),
                new AuditSourceIdentification("gw", "SITE", List.of(AuditCodes.SOURCE_SECURITY_SERVER,
                        CodedValue.of("X1", "99LOCAL", "Local source type"))),
                List.of(full, ParticipantObjectIdentification.builder("q", AuditCodes.ID_SEARCH_CRITERIA)
                        .query(new byte[0]).build()));
        String xml = AuditXml.toXml(m);
        AuditSchema.assertValid(AuditXml.toBytes(m));
        assertTrue(xml.contains("<ParticipantObjectDescription><MPPS UID=\"1.2.1\"/><Accession Number=\"ACC\"/>"
                + "<SOPClass NumberOfInstances=\"0\"/><SOPClass UID=\"1.2.2\" NumberOfInstances=\"1\">"
                + "<Instance UID=\"1.2.3\"/></SOPClass><ParticipantObjectContainsStudy><StudyIDs UID=\"1.2.4\"/>"
                + "<StudyIDs UID=\"1.2.5\"/></ParticipantObjectContainsStudy><Encrypted>false</Encrypted>"
                + "<Anonymized>true</Anonymized></ParticipantObjectDescription>"
                + "<ParticipantObjectDescription><ParticipantObjectContainsStudy/></ParticipantObjectDescription>"), xml);
        assertTrue(xml.contains("<ParticipantObjectDetail type=\"b\" value=\"AP8=\"/>"), xml);
        assertTrue(xml.contains("<ParticipantObjectQuery></ParticipantObjectQuery>"), xml);
        assertTrue(xml.contains("displayName=\"Local ID\""), xml);
        assertTrue(xml.contains("<MediaIdentifier><MediaType csd-code=\"110037\" codeSystemName=\"DCM\" "
                + "originalText=\"URI\"/></MediaIdentifier>"), xml);
        assertTrue(xml.contains("<EventOutcomeDescription>outcome text</EventOutcomeDescription></EventIdentification>"),
                xml);
    }

    @Test
    void neverARawLineBreakAndValuesSurviveParsing() throws Exception {
        AuditMessage m = AuditMessages.dicomInstancesTransferred().eventDateTime(AuditSamples.TIME).outcome(8)
                .outcomeDescription(TRICKY)
                .auditSource(new AuditSourceIdentification("gw\nsrc", null, List.of()))
                .source(AuditSamples.sender().userName(TRICKY).requestor(true))
                .destination(ActiveParticipant.builder(TRICKY).alternativeUserId(TRICKY))
                .study(AuditSamples.study()).patient(new Patient("PID\r\n1", TRICKY)).build();
        byte[] bytes = AuditXml.toBytes(m);
        for (byte b : bytes) {
            assertFalse(b == '\n' || b == '\r', "raw line break in the output");
        }
        String xml = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(xml.contains("line1&#13;&#10;line2&#10;line3&#13;end"), xml);
        AuditSchema.assertValid(bytes);

        Document d = parse(bytes);
        Element src = (Element) d.getElementsByTagName("ActiveParticipant").item(0);
        assertEquals(TRICKY, src.getAttribute("UserName"));
        Element dst = (Element) d.getElementsByTagName("ActiveParticipant").item(1);
        assertEquals(TRICKY, dst.getAttribute("UserID"));
        assertEquals(TRICKY, dst.getAttribute("AlternativeUserID"));
        assertEquals(TRICKY, d.getElementsByTagName("EventOutcomeDescription").item(0).getTextContent());
        assertEquals(TRICKY, d.getElementsByTagName("ParticipantObjectName").item(1).getTextContent());
        assertEquals("PID\r\n1", ((Element) d.getElementsByTagName("ParticipantObjectIdentification").item(1))
                .getAttribute("ParticipantObjectID"));
    }

    @Test
    void markupIsEscaped() {
        String xml = AuditXml.toXml(AuditSamples.builder(AuditEventType.PatientRecord).reset().eventDateTime(AuditSamples.TIME)
                .outcome(0).action(EventActionCode.READ).auditSource("a&b")
                .user(Participants.person("x\"y", "d<e>", "O'Brien & <Sons>")).patient(new Patient("1", "]]>")).build());
        assertTrue(xml.contains("UserID=\"x&quot;y@d&lt;e&gt;\""), xml);
        assertTrue(xml.contains("UserName=\"O'Brien &amp; &lt;Sons&gt;\""), xml);
        assertTrue(xml.contains("AuditSourceID=\"a&amp;b\""), xml);
        assertTrue(xml.contains("<ParticipantObjectName>]]&gt;</ParticipantObjectName>"), xml);
        AuditSchema.assertValid(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void charactersXmlCannotCarryBecomeReplacementCharacters() throws Exception {
        String bad = "a\u0000b\u0001c\u001fd\uFFFEe\uD800f\uDC00g\u0085h\u2028i\u2029j\u007f";
        AuditMessage m = AuditSamples.builder(AuditEventType.NetworkEntry).outcomeDescription(bad).build();
        byte[] bytes = AuditXml.toBytes(m);
        AuditSchema.assertValid(bytes);
        String xml = new String(bytes, StandardCharsets.UTF_8);
        assertFalse(xml.contains("\u2028") || xml.contains("\u2029") || xml.contains("\u0085"), xml);
        assertEquals("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\u0085h\u2028i\u2029j\u007f",
                parse(bytes).getElementsByTagName("EventOutcomeDescription").item(0).getTextContent());
    }

    @Test
    void timeZoneIsAlwaysWritten() {
        assertEquals("2024-05-17T12:03:21.250Z", AuditXml.formatDateTime(AuditSamples.TIME.withOffsetSameInstant(
                ZoneOffset.UTC)));
        assertEquals("2024-01-02T03:04:05.000-05:30", AuditXml.formatDateTime(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0,
                ZoneOffset.ofHoursMinutes(-5, -30))));
        AuditMessage m = AuditSamples.builder(AuditEventType.NetworkEntry)
                .eventDateTime(Instant.parse("2024-07-01T10:00:00.123456Z"), ZoneId.of("Europe/Zurich")).build();
        assertTrue(AuditXml.toXml(m).contains("EventDateTime=\"2024-07-01T12:00:00.123+02:00\""), AuditXml.toXml(m));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditSamples.builder(AuditEventType.NetworkEntry)
                        .eventDateTime(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHoursMinutesSeconds(1, 0, 30)))
                        .build());
        assertTrue(e.getMessage().contains("time zone offset must be whole minutes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AuditSamples.builder(AuditEventType.NetworkEntry)
                .eventDateTime(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(15))).build());
    }

    @Test
    void emptyParticipantObjectNameWhenNeitherNameNorQuery() {
        AuditMessage m = AuditSamples.builder(AuditEventType.DicomStudyDeleted).build();
        String xml = AuditXml.toXml(m);
        assertTrue(xml.contains("<ParticipantObjectIDTypeCode csd-code=\"110180\" codeSystemName=\"DCM\" "
                + "originalText=\"Study Instance UID\"/><ParticipantObjectName/>"), xml);
        AuditSchema.assertValid(AuditXml.toBytes(m));
    }

    @Test
    void schemaHelperRejectsWhatTheStandardForbids() {
        String ok = AuditXml.toXml(AuditSamples.message(AuditEventType.NetworkEntry));
        AuditSchema.assertValid(ok.getBytes(StandardCharsets.UTF_8));
        // a namespace
        assertFalse(AuditSchema.isValid(ok.replace("<AuditMessage>", "<AuditMessage xmlns=\"urn:x\">")
                .getBytes(StandardCharsets.UTF_8)));
        // coded value without originalText
        assertFalse(AuditSchema.isValid(ok.replace(" originalText=\"Network Entry\"", "").getBytes(StandardCharsets.UTF_8)));
        // wrong child order: AuditSourceIdentification before ActiveParticipant
        int ap = ok.indexOf("<ActiveParticipant");
        int as = ok.indexOf("<AuditSourceIdentification");
        int ae = ok.indexOf("</AuditSourceIdentification>") + "</AuditSourceIdentification>".length();
        String reordered = ok.substring(0, ap) + ok.substring(as, ae) + ok.substring(ap, as) + ok.substring(ae);
        assertFalse(reordered.equals(ok));
        List<String> errors = AuditSchema.errors(reordered.getBytes(StandardCharsets.UTF_8));
        assertFalse(errors.isEmpty());
        // not XML at all
        assertFalse(AuditSchema.errors("<AuditMessage>".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertThrows(AssertionError.class, () -> AuditSchema.assertValid("<x/>".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void schemaResourceNamesItsSource() throws Exception {
        try (var in = AuditXmlTest.class.getResourceAsStream(AuditSchema.RESOURCE)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("# DICOM Audit Message schema"), text.substring(0, 80));
            assertTrue(text.contains("PS3.15 2024c, Section A.5.1.1"));
            assertTrue(text.contains("start = message"));
        }
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }
}
