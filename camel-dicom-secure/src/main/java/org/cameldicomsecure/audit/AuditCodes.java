package org.cameldicomsecure.audit;

import java.util.List;

/**
 * The codes of the DICOM audit messages, as in PS3.16 2024c (CID 400–405) and PS3.15 2024c A.5.1.2 (codeSystemName
 * "RFC-3881" is the coding scheme designator registered in PS3.16 Table 8-1 for RFC 3881's codes). Every meaning is the
 * Code Meaning of the standard, letter for letter.
 */
public final class AuditCodes {

    private AuditCodes() {
    }

    /** The DICOM coding scheme designator. */
    public static final String DCM = "DCM";
    /** The coding scheme designator of RFC 3881's codes (PS3.16 Table 8-1). */
    public static final String RFC_3881 = "RFC-3881";

    // CID 400 Audit Event ID
    public static final CodedValue EVENT_APPLICATION_ACTIVITY = CodedValue.dcm("110100", "Application Activity");
    public static final CodedValue EVENT_AUDIT_LOG_USED = CodedValue.dcm("110101", "Audit Log Used");
    public static final CodedValue EVENT_BEGIN_TRANSFERRING_DICOM_INSTANCES =
            CodedValue.dcm("110102", "Begin Transferring DICOM Instances");
    public static final CodedValue EVENT_DICOM_INSTANCES_ACCESSED = CodedValue.dcm("110103", "DICOM Instances Accessed");
    public static final CodedValue EVENT_DICOM_INSTANCES_TRANSFERRED =
            CodedValue.dcm("110104", "DICOM Instances Transferred");
    public static final CodedValue EVENT_DICOM_STUDY_DELETED = CodedValue.dcm("110105", "DICOM Study Deleted");
    public static final CodedValue EVENT_EXPORT = CodedValue.dcm("110106", "Export");
    public static final CodedValue EVENT_IMPORT = CodedValue.dcm("110107", "Import");
    public static final CodedValue EVENT_NETWORK_ENTRY = CodedValue.dcm("110108", "Network Entry");
    public static final CodedValue EVENT_ORDER_RECORD = CodedValue.dcm("110109", "Order Record");
    public static final CodedValue EVENT_PATIENT_RECORD = CodedValue.dcm("110110", "Patient Record");
    public static final CodedValue EVENT_PROCEDURE_RECORD = CodedValue.dcm("110111", "Procedure Record");
    public static final CodedValue EVENT_QUERY = CodedValue.dcm("110112", "Query");
    public static final CodedValue EVENT_SECURITY_ALERT = CodedValue.dcm("110113", "Security Alert");
    public static final CodedValue EVENT_USER_AUTHENTICATION = CodedValue.dcm("110114", "User Authentication");

    // CID 401 Audit Event Type Code (also CID 403 Security Alert Type Code, which in 2024c holds all of them)
    public static final CodedValue TYPE_APPLICATION_START = CodedValue.dcm("110120", "Application Start");
    public static final CodedValue TYPE_APPLICATION_STOP = CodedValue.dcm("110121", "Application Stop");
    public static final CodedValue TYPE_LOGIN = CodedValue.dcm("110122", "Login");
    public static final CodedValue TYPE_LOGOUT = CodedValue.dcm("110123", "Logout");
    public static final CodedValue TYPE_ATTACH = CodedValue.dcm("110124", "Attach");
    public static final CodedValue TYPE_DETACH = CodedValue.dcm("110125", "Detach");
    public static final CodedValue TYPE_NODE_AUTHENTICATION = CodedValue.dcm("110126", "Node Authentication");
    public static final CodedValue TYPE_EMERGENCY_OVERRIDE_STARTED = CodedValue.dcm("110127", "Emergency Override Started");
    public static final CodedValue TYPE_NETWORK_CONFIGURATION = CodedValue.dcm("110128", "Network Configuration");
    public static final CodedValue TYPE_SECURITY_CONFIGURATION = CodedValue.dcm("110129", "Security Configuration");
    public static final CodedValue TYPE_HARDWARE_CONFIGURATION = CodedValue.dcm("110130", "Hardware Configuration");
    public static final CodedValue TYPE_SOFTWARE_CONFIGURATION = CodedValue.dcm("110131", "Software Configuration");
    public static final CodedValue TYPE_USE_OF_RESTRICTED_FUNCTION = CodedValue.dcm("110132", "Use of Restricted Function");
    public static final CodedValue TYPE_AUDIT_RECORDING_STOPPED = CodedValue.dcm("110133", "Audit Recording Stopped");
    public static final CodedValue TYPE_AUDIT_RECORDING_STARTED = CodedValue.dcm("110134", "Audit Recording Started");
    public static final CodedValue TYPE_OBJECT_SECURITY_ATTRIBUTES_CHANGED =
            CodedValue.dcm("110135", "Object Security Attributes Changed");
    public static final CodedValue TYPE_SECURITY_ROLES_CHANGED = CodedValue.dcm("110136", "Security Roles Changed");
    public static final CodedValue TYPE_USER_SECURITY_ATTRIBUTES_CHANGED =
            CodedValue.dcm("110137", "User Security Attributes Changed");
    public static final CodedValue TYPE_EMERGENCY_OVERRIDE_STOPPED = CodedValue.dcm("110138", "Emergency Override Stopped");
    public static final CodedValue TYPE_REMOTE_SERVICE_OPERATION_STARTED =
            CodedValue.dcm("110139", "Remote Service Operation Started");
    public static final CodedValue TYPE_REMOTE_SERVICE_OPERATION_STOPPED =
            CodedValue.dcm("110140", "Remote Service Operation Stopped");
    public static final CodedValue TYPE_LOCAL_SERVICE_OPERATION_STARTED =
            CodedValue.dcm("110141", "Local Service Operation Started");
    public static final CodedValue TYPE_LOCAL_SERVICE_OPERATION_STOPPED =
            CodedValue.dcm("110142", "Local Service Operation Stopped");
    public static final CodedValue TYPE_AUTHENTICATION_DECISION = CodedValue.dcm("110143", "Authentication Decision");
    public static final CodedValue TYPE_AUTHORIZATION_DECISION = CodedValue.dcm("110144", "Authorization Decision");
    public static final CodedValue TYPE_SESSION_START = CodedValue.dcm("110145", "Session start");
    public static final CodedValue TYPE_SESSION_STOP = CodedValue.dcm("110146", "Session stop");
    public static final CodedValue TYPE_ACCESS_CONTROL_DECISION = CodedValue.dcm("110147", "Access Control Decision");

    /** CID 401 Audit Event Type Code, in the standard's order. */
    public static final List<CodedValue> CID_401 = List.of(TYPE_APPLICATION_START, TYPE_APPLICATION_STOP, TYPE_LOGIN,
            TYPE_LOGOUT, TYPE_ATTACH, TYPE_DETACH, TYPE_NODE_AUTHENTICATION, TYPE_EMERGENCY_OVERRIDE_STARTED,
            TYPE_NETWORK_CONFIGURATION, TYPE_SECURITY_CONFIGURATION, TYPE_HARDWARE_CONFIGURATION,
            TYPE_SOFTWARE_CONFIGURATION, TYPE_USE_OF_RESTRICTED_FUNCTION, TYPE_AUDIT_RECORDING_STOPPED,
            TYPE_AUDIT_RECORDING_STARTED, TYPE_OBJECT_SECURITY_ATTRIBUTES_CHANGED, TYPE_SECURITY_ROLES_CHANGED,
            TYPE_USER_SECURITY_ATTRIBUTES_CHANGED, TYPE_EMERGENCY_OVERRIDE_STOPPED,
            TYPE_REMOTE_SERVICE_OPERATION_STARTED, TYPE_REMOTE_SERVICE_OPERATION_STOPPED,
            TYPE_LOCAL_SERVICE_OPERATION_STARTED, TYPE_LOCAL_SERVICE_OPERATION_STOPPED, TYPE_AUTHENTICATION_DECISION,
            TYPE_AUTHORIZATION_DECISION, TYPE_SESSION_START, TYPE_SESSION_STOP, TYPE_ACCESS_CONTROL_DECISION);

    /**
     * CID 403 Security Alert Type Code as in PS3.16 2024c: the same 28 codes as CID 401 (110120 to 110147), in the
     * same order.
     */
    public static final List<CodedValue> CID_403 = CID_401;

    // CID 402 Audit Active Participant Role ID Code
    public static final CodedValue ROLE_APPLICATION = CodedValue.dcm("110150", "Application");
    public static final CodedValue ROLE_APPLICATION_LAUNCHER = CodedValue.dcm("110151", "Application Launcher");
    public static final CodedValue ROLE_DESTINATION = CodedValue.dcm("110152", "Destination Role ID");
    public static final CodedValue ROLE_SOURCE = CodedValue.dcm("110153", "Source Role ID");
    public static final CodedValue ROLE_DESTINATION_MEDIA = CodedValue.dcm("110154", "Destination Media");
    public static final CodedValue ROLE_SOURCE_MEDIA = CodedValue.dcm("110155", "Source Media");

    // CID 404 Audit Participant Object ID Type Code
    public static final CodedValue ID_STUDY_INSTANCE_UID = CodedValue.dcm("110180", "Study Instance UID");
    public static final CodedValue ID_SOP_CLASS_UID = CodedValue.dcm("110181", "SOP Class UID");
    public static final CodedValue ID_NODE_ID = CodedValue.dcm("110182", "Node ID");

    // PS3.15 A.5.1.2.4 Participant Object ID Type Code (RFC 3881)
    public static final CodedValue ID_MEDICAL_RECORD_NUMBER = CodedValue.of("1", RFC_3881, "Medical Record Number");
    public static final CodedValue ID_PATIENT_NUMBER = CodedValue.of("2", RFC_3881, "Patient Number");
    public static final CodedValue ID_ENCOUNTER_NUMBER = CodedValue.of("3", RFC_3881, "Encounter Number");
    public static final CodedValue ID_ENROLLEE_NUMBER = CodedValue.of("4", RFC_3881, "Enrollee Number");
    public static final CodedValue ID_SOCIAL_SECURITY_NUMBER = CodedValue.of("5", RFC_3881, "Social Security Number");
    public static final CodedValue ID_ACCOUNT_NUMBER = CodedValue.of("6", RFC_3881, "Account Number");
    public static final CodedValue ID_GUARANTOR_NUMBER = CodedValue.of("7", RFC_3881, "Guarantor Number");
    public static final CodedValue ID_REPORT_NAME = CodedValue.of("8", RFC_3881, "Report Name");
    public static final CodedValue ID_REPORT_NUMBER = CodedValue.of("9", RFC_3881, "Report Number");
    public static final CodedValue ID_SEARCH_CRITERIA = CodedValue.of("10", RFC_3881, "Search Criteria");
    public static final CodedValue ID_USER_IDENTIFIER = CodedValue.of("11", RFC_3881, "User Identifier");
    public static final CodedValue ID_URI = CodedValue.of("12", RFC_3881, "URI");

    // CID 405 Media Type Code
    public static final CodedValue MEDIA_USB_DISK_EMULATION = CodedValue.dcm("110030", "USB Disk Emulation");
    public static final CodedValue MEDIA_EMAIL = CodedValue.dcm("110031", "Email");
    public static final CodedValue MEDIA_CD = CodedValue.dcm("110032", "CD");
    public static final CodedValue MEDIA_DVD = CodedValue.dcm("110033", "DVD");
    public static final CodedValue MEDIA_COMPACT_FLASH = CodedValue.dcm("110034", "Compact Flash");
    public static final CodedValue MEDIA_MULTI_MEDIA_CARD = CodedValue.dcm("110035", "Multi-media Card");
    public static final CodedValue MEDIA_SECURE_DIGITAL_CARD = CodedValue.dcm("110036", "Secure Digital Card");
    public static final CodedValue MEDIA_URI = CodedValue.dcm("110037", "URI");
    public static final CodedValue MEDIA_FILM = CodedValue.dcm("110010", "Film");
    public static final CodedValue MEDIA_PAPER_DOCUMENT = CodedValue.dcm("110038", "Paper Document");

    /** CID 405 Media Type Code, in the standard's order. */
    public static final List<CodedValue> CID_405 = List.of(MEDIA_USB_DISK_EMULATION, MEDIA_EMAIL, MEDIA_CD, MEDIA_DVD,
            MEDIA_COMPACT_FLASH, MEDIA_MULTI_MEDIA_CARD, MEDIA_SECURE_DIGITAL_CARD, MEDIA_URI, MEDIA_FILM,
            MEDIA_PAPER_DOCUMENT);

    // PS3.15 A.5.1.2.1 Audit Source Type Code (bare codes 1-9)
    public static final CodedValue SOURCE_END_USER_INTERFACE = CodedValue.bare("1");
    public static final CodedValue SOURCE_DATA_ACQUISITION_DEVICE = CodedValue.bare("2");
    public static final CodedValue SOURCE_WEB_SERVER = CodedValue.bare("3");
    public static final CodedValue SOURCE_APPLICATION_SERVER = CodedValue.bare("4");
    public static final CodedValue SOURCE_DATABASE_SERVER = CodedValue.bare("5");
    public static final CodedValue SOURCE_SECURITY_SERVER = CodedValue.bare("6");
    public static final CodedValue SOURCE_NETWORK_COMPONENT = CodedValue.bare("7");
    public static final CodedValue SOURCE_OPERATING_SOFTWARE = CodedValue.bare("8");
    public static final CodedValue SOURCE_OTHER = CodedValue.bare("9");

    // ParticipantObjectDetail types used by A.5.3
    /** The detail of a Query (A.5.3.10) carrying the Transfer Syntax UID of the query data set. */
    public static final String DETAIL_TRANSFER_SYNTAX = "TransferSyntax";
    /** The detail of a Security Alert's object (A.5.3.11): free text describing the alert. */
    public static final String DETAIL_ALERT_DESCRIPTION = "Alert Description";
    /** The optional detail of a study object (A.5.3.3 and others) listing a SOP Class UID of the study. */
    public static final String DETAIL_CONTAINS_SOP_CLASS = "ContainsSOPClass";

    /** The UID of the Implicit VR Little Endian transfer syntax, the default for a C-FIND identifier. */
    public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
}
