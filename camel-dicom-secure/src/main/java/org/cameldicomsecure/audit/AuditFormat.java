package org.cameldicomsecure.audit;

/** How an audit message is written for the sinks. */
public enum AuditFormat {
    /** The XML of PS3.15 A.5.1 (RFC 3881 lineage), valid against the standard's RELAX NG schema. UTF-8. */
    DICOM_XML("application/xml"),
    /** A FHIR R4 AuditEvent in JSON, following IHE Basic Audit Log Patterns (BALP). UTF-8. */
    FHIR_AUDITEVENT_JSON("application/fhir+json");

    private final String mediaType;

    AuditFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The media type of a message in this format. */
    public String mediaType() {
        return mediaType;
    }
}
