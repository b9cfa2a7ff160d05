package org.cameldicomsecure.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The codes against the text of PS3.16 2024c (tables CID 400–405, copied here from the standard by hand) and PS3.15
 * 2024c A.5.1.2.4.
 */
class AuditCodesTest {

    /** CID 400 Audit Event ID, PS3.16 2024c. */
    private static final String CID_400 = """
            110100 Application Activity
            110101 Audit Log Used
            110102 Begin Transferring DICOM Instances
            110103 DICOM Instances Accessed
            110104 DICOM Instances Transferred
            110105 DICOM Study Deleted
            110106 Export
            110107 Import
            110108 Network Entry
            110109 Order Record
            110110 Patient Record
            110111 Procedure Record
            110112 Query
            110113 Security Alert
            110114 User Authentication
            """;

    /** CID 401 Audit Event Type Code, PS3.16 2024c; CID 403 Security Alert Type Code has the same 28 members. */
    private static final String CID_401_403 = """
            110120 Application Start
            110121 Application Stop
            110122 Login
            110123 Logout
            110124 Attach
            110125 Detach
            110126 Node Authentication
            110127 Emergency Override Started
            110128 Network Configuration
            110129 Security Configuration
            110130 Hardware Configuration
            110131 Software Configuration
            110132 Use of Restricted Function
            110133 Audit Recording Stopped
            110134 Audit Recording Started
            110135 Object Security Attributes Changed
            110136 Security Roles Changed
            110137 User Security Attributes Changed
            110138 Emergency Override Stopped
            110139 Remote Service Operation Started
            110140 Remote Service Operation Stopped
            110141 Local Service Operation Started
            110142 Local Service Operation Stopped
            110143 Authentication Decision
            110144 Authorization Decision
            110145 Session start
            110146 Session stop
            110147 Access Control Decision
            """;

    /** CID 402, 404 and 405, PS3.16 2024c. */
    private static final String CID_402_404_405 = """
            110150 Application
            110151 Application Launcher
            110152 Destination Role ID
            110153 Source Role ID
            110154 Destination Media
            110155 Source Media
            110180 Study Instance UID
            110181 SOP Class UID
            110182 Node ID
            110030 USB Disk Emulation
            110031 Email
            110032 CD
            110033 DVD
            110034 Compact Flash
            110035 Multi-media Card
            110036 Secure Digital Card
            110037 URI
            110010 Film
            110038 Paper Document
            """;

    /** PS3.15 2024c Table A.5.1.2.4-1. */
    private static final String RFC_3881_ID_TYPES = """
            1 Medical Record Number
            2 Patient Number
            3 Encounter Number
            4 Enrollee Number
            5 Social Security Number
            6 Account Number
            7 Guarantor Number
            8 Report Name
            9 Report Number
            10 Search Criteria
            11 User Identifier
            12 URI
            """;

    @Test
    void everyDcmConstantIsInTheStandardWithItsMeaning() throws Exception {
        Map<String, String> standard = table(CID_400 + CID_401_403 + CID_402_404_405);
        Map<String, String> ours = new LinkedHashMap<>();
        for (CodedValue c : constants()) {
            if ("DCM".equals(c.codeSystemName())) {
                ours.put(c.code(), c.originalText());
                assertEquals(standard.get(c.code()), c.originalText(), "meaning of DCM " + c.code());
            }
        }
        assertEquals(standard, ours, "every code of CID 400-405 has a constant");
    }

    @Test
    void rfc3881IdTypes() throws Exception {
        Map<String, String> standard = table(RFC_3881_ID_TYPES);
        Map<String, String> ours = new LinkedHashMap<>();
        for (CodedValue c : constants()) {
            if ("RFC-3881".equals(c.codeSystemName())) {
                ours.put(c.code(), c.originalText());
            }
        }
        assertEquals(standard, ours);
    }

    @Test
    void contextGroupsInTheStandardsOrder() {
        assertEquals(List.copyOf(table(CID_401_403).keySet()), AuditCodes.CID_401.stream().map(CodedValue::code).toList());
        assertEquals(AuditCodes.CID_401, AuditCodes.CID_403);
        assertEquals(List.of("110030", "110031", "110032", "110033", "110034", "110035", "110036", "110037", "110010",
                "110038"), AuditCodes.CID_405.stream().map(CodedValue::code).toList());
    }

    @Test
    void spotChecks() {
        assertEquals(CodedValue.of("110104", "DCM", "DICOM Instances Transferred"),
                AuditCodes.EVENT_DICOM_INSTANCES_TRANSFERRED);
        assertEquals(CodedValue.of("110106", "DCM", "Export"), AuditEventType.DataExport.eventId());
        assertEquals(CodedValue.of("110107", "DCM", "Import"), AuditEventType.DataImport.eventId());
        assertEquals(CodedValue.of("110153", "DCM", "Source Role ID"), AuditCodes.ROLE_SOURCE);
        assertEquals(CodedValue.of("2", "RFC-3881", "Patient Number"), AuditCodes.ID_PATIENT_NUMBER);
        assertEquals("4", AuditCodes.SOURCE_APPLICATION_SERVER.code());
        assertTrue(AuditCodes.SOURCE_APPLICATION_SERVER.isBare());
        assertEquals("1.2.840.10008.1.2", AuditCodes.IMPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void eventTypesAreTheMessagesOfA53WithTheirEventIds() {
        assertEquals(List.of("ApplicationActivity", "AuditLogUsed", "BeginTransferringDicomInstances", "DataExport",
                "DataImport", "DicomInstancesAccessed", "DicomInstancesTransferred", "DicomStudyDeleted", "NetworkEntry",
                "Query", "SecurityAlert", "UserAuthentication", "OrderRecord", "PatientRecord", "ProcedureRecord"),
                Arrays.stream(AuditEventType.values()).map(Enum::name).toList());
        Map<String, String> cid400 = table(CID_400);
        assertEquals(cid400.keySet(), new java.util.HashSet<>(Arrays.stream(AuditEventType.values())
                .map(t -> t.eventId().code()).toList()), "one event type per CID 400 code");
        for (AuditEventType t : AuditEventType.values()) {
            assertEquals(cid400.get(t.eventId().code()), t.eventId().originalText());
            assertSame(t, AuditEventType.forEventId(t.eventId()));
            assertSame(t, AuditEventType.ofName(t.name()));
            assertTrue(t.section().matches("A\\.5\\.3\\.\\d+"));
        }
        assertEquals("A.5.3.1", AuditEventType.ApplicationActivity.section());
        assertEquals("A.5.3.15", AuditEventType.ProcedureRecord.section());
    }

    @Test
    void unknownEventNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditEventType.ofName("InstancesStored"));
        assertTrue(e.getMessage().startsWith("unknown audit event 'InstancesStored'; valid: ApplicationActivity, "
                + "AuditLogUsed, "), e.getMessage());
        assertTrue(e.getMessage().endsWith("PatientRecord, ProcedureRecord"), e.getMessage());
        IllegalArgumentException hint = assertThrows(IllegalArgumentException.class,
                () -> AuditEventType.ofName("dicom-instances-transferred"));
        assertTrue(hint.getMessage().contains("(did you mean DicomInstancesTransferred?)"), hint.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AuditEventType.ofName(null));
    }

    @Test
    void enumeratedCodesOfTheSchema() {
        assertEquals(List.of("C", "R", "U", "D", "E"), Arrays.stream(EventActionCode.values())
                .map(EventActionCode::code).toList());
        assertEquals(List.of(0, 4, 8, 12), Arrays.stream(EventOutcome.values()).map(EventOutcome::code).toList());
        assertEquals(5, NetworkAccessPointType.URI.code());
        assertEquals(26, ParticipantObjectTypeCodeRole.values().length);
        assertEquals(24, ParticipantObjectTypeCodeRole.QUERY.code());
        assertEquals(13, ParticipantObjectTypeCodeRole.SECURITY_RESOURCE.code());
        assertEquals(15, ParticipantObjectDataLifeCycle.values().length);
        assertEquals(10, ParticipantObjectDataLifeCycle.EXPORT.code());
        assertEquals(4, ParticipantObjectTypeCode.OTHER.code());
        for (int i = 1; i <= 26; i++) {
            assertEquals(i, ParticipantObjectTypeCodeRole.ofCode(i).code());
        }
        assertThrows(IllegalArgumentException.class, () -> EventOutcome.ofCode(1));
        assertThrows(IllegalArgumentException.class, () -> EventActionCode.ofCode("X"));
    }

    private static Map<String, String> table(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.strip().split("\n")) {
            int sp = line.indexOf(' ');
            m.put(line.substring(0, sp), line.substring(sp + 1));
        }
        return m;
    }

    private static List<CodedValue> constants() throws IllegalAccessException {
        List<CodedValue> list = new ArrayList<>();
        for (Field f : AuditCodes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == CodedValue.class) {
                list.add((CodedValue) f.get(null));
            }
        }
        return list;
    }
}
