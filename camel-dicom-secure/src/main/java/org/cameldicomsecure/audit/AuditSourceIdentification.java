package org.cameldicomsecure.audit;

import java.util.List;

/**
 * The AuditSourceIdentification of an audit message: the system that detected the event and wrote the message.
 *
 * @param auditSourceId        the AuditSourceID, required
 * @param auditEnterpriseSiteId the AuditEnterpriseSiteID, or null
 * @param typeCodes            the AuditSourceTypeCodes, possibly empty: bare codes 1–9 ({@link AuditCodes}) or full
 *                             coded values
 */
public record AuditSourceIdentification(String auditSourceId, String auditEnterpriseSiteId,
        List<CodedValue> typeCodes) {

    public AuditSourceIdentification {
        CodedValue.requireText(auditSourceId, "AuditSourceID");
        if (auditEnterpriseSiteId != null && auditEnterpriseSiteId.isBlank()) {
            auditEnterpriseSiteId = null;
        }
        typeCodes = typeCodes == null ? List.of() : List.copyOf(typeCodes);
    }

    /** A source with only an AuditSourceID. */
    public static AuditSourceIdentification of(String auditSourceId) {
        return new AuditSourceIdentification(auditSourceId, null, List.of());
    }

    /** A source with an ID and one type code (e.g. {@link AuditCodes#SOURCE_APPLICATION_SERVER}). */
    public static AuditSourceIdentification of(String auditSourceId, CodedValue typeCode) {
        return new AuditSourceIdentification(auditSourceId, null, List.of(typeCode));
    }
}
