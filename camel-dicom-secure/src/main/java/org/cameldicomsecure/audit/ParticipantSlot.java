package org.cameldicomsecure.audit;

/**
 * The kinds of ActiveParticipant the messages of A.5.3 name ("Process Sending the Data", "Media", …). A slot with a
 * Role ID code gets that code added when a participant is put into it.
 */
public enum ParticipantSlot {
    /** The application started or stopped (A.5.3.1): (110150, DCM, "Application"). */
    APPLICATION(AuditCodes.ROLE_APPLICATION),
    /** A person or process that started or stopped the application (A.5.3.1): (110151, DCM, "Application Launcher"). */
    LAUNCHER(AuditCodes.ROLE_APPLICATION_LAUNCHER),
    /** The process sending the data, issuing the query, or exporting: (110153, DCM, "Source Role ID"). */
    SOURCE(AuditCodes.ROLE_SOURCE),
    /** The process receiving the data, responding to the query, or importing: (110152, DCM, "Destination Role ID"). */
    DESTINATION(AuditCodes.ROLE_DESTINATION),
    /** The medium written by a Data Export (A.5.3.4): (110154, DCM, "Destination Media"). */
    DESTINATION_MEDIA(AuditCodes.ROLE_DESTINATION_MEDIA),
    /** The medium read by a Data Import (A.5.3.5): (110155, DCM, "Source Media"). */
    SOURCE_MEDIA(AuditCodes.ROLE_SOURCE_MEDIA),
    /**
     * The person and/or process acting (1..2: using the audit log, accessing, deleting, manipulating records,
     * reporting a security alert) or the person authenticated (A.5.3.12). No Role ID code.
     */
    USER(null),
    /** A person or process performing what a Security Alert reports (A.5.3.11); never the requestor. */
    PERFORMER(null),
    /**
     * The node entering or leaving the network (A.5.3.9), or the node performing a user authentication (A.5.3.12).
     */
    NODE(null),
    /** Any other participant known, especially a third-party requestor (A.5.3.3, A.5.3.7, A.5.3.10). */
    OTHER(null);

    private final CodedValue role;

    ParticipantSlot(CodedValue role) {
        this.role = role;
    }

    /** The Role ID code of this slot, or null. */
    public CodedValue role() {
        return role;
    }
}
