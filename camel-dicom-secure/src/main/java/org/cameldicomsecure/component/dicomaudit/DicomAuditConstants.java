package org.cameldicomsecure.component.dicomaudit;

import org.apache.camel.spi.Metadata;

/**
 * The headers of the {@code dicomaudit} component. Input headers refine the message built from the exchange; output
 * headers say what was emitted. None of the output headers carries patient data.
 */
public final class DicomAuditConstants {

    @Metadata(description = "EventOutcomeIndicator to use instead of the one derived from the exchange: 0 (success), "
            + "4 (minor failure), 8 (serious failure) or 12 (major failure).", javaType = "Integer")
    public static final String OUTCOME = "CamelDicomAuditOutcome";
    @Metadata(description = "EventOutcomeDescription (free text).", javaType = "String")
    public static final String OUTCOME_DESCRIPTION = "CamelDicomAuditOutcomeDescription";
    @Metadata(description = "EventActionCode to use: C, R, U, D or E (where the event allows several).",
              javaType = "String")
    public static final String ACTION = "CamelDicomAuditAction";
    @Metadata(description = "The EventTypeCode, as a DCM code value (e.g. 110122 Login, 110126 Node Authentication) "
            + "or its name as the endpoint option eventTypeCode takes it.", javaType = "String")
    public static final String EVENT_TYPE_CODE = "CamelDicomAuditEventTypeCode";
    @Metadata(description = "UserID of the person or process the event is about (user@domain for a person).",
              javaType = "String")
    public static final String USER_ID = "CamelDicomAuditUserId";
    @Metadata(description = "Security Alert: the Alert Description (free text, never patient data).",
              javaType = "String")
    public static final String ALERT_DESCRIPTION = "CamelDicomAuditAlertDescription";
    @Metadata(description = "Security Alert: the alert subject (a node name or IP address, or a URI).",
              javaType = "String")
    public static final String ALERT_SUBJECT = "CamelDicomAuditAlertSubject";
    @Metadata(description = "Data Export or Data Import: the medium (a URI, a mailto: address, or a description).",
              javaType = "String")
    public static final String MEDIA = "CamelDicomAuditMedia";
    @Metadata(description = "Query: the query (the identifier data set's bytes, or a DICOMweb query string).",
              javaType = "byte[]")
    public static final String QUERY = "CamelDicomAuditQuery";
    @Metadata(description = "Audit Log Used: the URI of the audit log.", javaType = "String")
    public static final String AUDIT_LOG_URI = "CamelDicomAuditLogUri";

    @Metadata(description = "Patient ID when the body is not a DICOM instance (e.g. Patient Record from an HL7 "
            + "message); the data set's Patient ID (0010,0020) otherwise.", javaType = "String")
    public static final String PATIENT_ID = "CamelDicomAuditPatientId";
    @Metadata(description = "Patient's name when the body is not a DICOM instance.", javaType = "String")
    public static final String PATIENT_NAME = "CamelDicomAuditPatientName";

    @Metadata(label = "producer", description = "Output: the ID (a UUID) of the audit record emitted; the same on "
            + "every sink, and in the Kafka header dicom-audit-id.", javaType = "String")
    public static final String RECORD_ID = "CamelDicomAuditRecordId";
    @Metadata(label = "producer", description = "Output: the record's sequence number in the spool.", javaType = "Long")
    public static final String SEQUENCE = "CamelDicomAuditSequence";

    private DicomAuditConstants() {
    }
}
