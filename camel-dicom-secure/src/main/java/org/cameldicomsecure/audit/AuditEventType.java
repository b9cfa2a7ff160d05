package org.cameldicomsecure.audit;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The DICOM-specific audit messages of PS3.15 2024c A.5.3, named as in {@code dicomaudit:<EventName>}, each with its
 * EventID (CID 400) and section.
 */
public enum AuditEventType {
    ApplicationActivity(AuditCodes.EVENT_APPLICATION_ACTIVITY, "A.5.3.1"),
    AuditLogUsed(AuditCodes.EVENT_AUDIT_LOG_USED, "A.5.3.2"),
    BeginTransferringDicomInstances(AuditCodes.EVENT_BEGIN_TRANSFERRING_DICOM_INSTANCES, "A.5.3.3"),
    DataExport(AuditCodes.EVENT_EXPORT, "A.5.3.4"),
    DataImport(AuditCodes.EVENT_IMPORT, "A.5.3.5"),
    DicomInstancesAccessed(AuditCodes.EVENT_DICOM_INSTANCES_ACCESSED, "A.5.3.6"),
    DicomInstancesTransferred(AuditCodes.EVENT_DICOM_INSTANCES_TRANSFERRED, "A.5.3.7"),
    DicomStudyDeleted(AuditCodes.EVENT_DICOM_STUDY_DELETED, "A.5.3.8"),
    NetworkEntry(AuditCodes.EVENT_NETWORK_ENTRY, "A.5.3.9"),
    Query(AuditCodes.EVENT_QUERY, "A.5.3.10"),
    SecurityAlert(AuditCodes.EVENT_SECURITY_ALERT, "A.5.3.11"),
    UserAuthentication(AuditCodes.EVENT_USER_AUTHENTICATION, "A.5.3.12"),
    OrderRecord(AuditCodes.EVENT_ORDER_RECORD, "A.5.3.13"),
    PatientRecord(AuditCodes.EVENT_PATIENT_RECORD, "A.5.3.14"),
    ProcedureRecord(AuditCodes.EVENT_PROCEDURE_RECORD, "A.5.3.15");

    private final CodedValue eventId;
    private final String section;

    AuditEventType(CodedValue eventId, String section) {
        this.eventId = eventId;
        this.section = section;
    }

    /** The EventID (DCM 1101xx). */
    public CodedValue eventId() {
        return eventId;
    }

    /** The section of PS3.15 that defines the message, e.g. "A.5.3.7". */
    public String section() {
        return section;
    }

    /**
     * The event type of the name used in {@code dicomaudit:<EventName>} (exact UpperCamelCase, as in
     * {@link #name()}).
     *
     * @throws IllegalArgumentException naming the valid names when {@code name} is none of them
     */
    public static AuditEventType ofName(String name) {
        for (AuditEventType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        String hint = "";
        if (name != null) {
            for (AuditEventType t : values()) {
                if (t.name().equalsIgnoreCase(name.replace("-", "").replace("_", "").replace(" ", ""))) {
                    hint = " (did you mean " + t.name() + "?)";
                }
            }
        }
        throw new IllegalArgumentException("unknown audit event '" + name + "'" + hint + "; valid: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** The event type whose EventID has the code and scheme of {@code eventId}, or null. */
    public static AuditEventType forEventId(CodedValue eventId) {
        for (AuditEventType t : values()) {
            if (t.eventId.sameCode(eventId)) {
                return t;
            }
        }
        return null;
    }
}
