package org.cameldicomsecure.component.dicomaudit;

import java.util.Locale;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.audit.AuditEventType;
import org.cameldicomsecure.audit.CodedValue;
import org.cameldicomsecure.audit.EventActionCode;

/**
 * Emits one DICOM audit message (PS3.15 A.5.3) per exchange: {@code dicomaudit:<EventName>}, the event's name in
 * UpperCamelCase (DicomInstancesTransferred, SecurityAlert, ...). The message is built from the exchange (the DICOM
 * headers of dicomtls and dicomweb, the data set in the body, the route's outcome); the body is left untouched.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "dicomaudit", title = "DICOM Audit Trail",
             syntax = "dicomaudit:eventName", producerOnly = true, category = { Category.SECURITY, Category.MONITORING },
             headersClass = DicomAuditConstants.class)
public class DicomAuditEndpoint extends DefaultEndpoint {

    /** The path of the endpoint that takes records already made (header {@value #RECORD_HEADER}) to the sinks. */
    static final String FORWARD = "forward";
    /** The header holding the record to forward (set by kafka-audit's forwarding route). */
    static final String RECORD_HEADER = "DicomAuditRecord";

    @UriPath(description = "The A.5.3 event, in UpperCamelCase; or forward, which takes audit records already made "
            + "(the header DicomAuditRecord, as kafka-audit's forwarding route sets it) to this component's sinks "
            + "unchanged, keeping their IDs", enums = "ApplicationActivity,AuditLogUsed,"
            + "BeginTransferringDicomInstances,DataExport,DataImport,DicomInstancesAccessed,DicomInstancesTransferred,"
            + "DicomStudyDeleted,NetworkEntry,Query,SecurityAlert,UserAuthentication,OrderRecord,PatientRecord,"
            + "ProcedureRecord,forward")
    @Metadata(required = true)
    private String eventName;
    @UriParam(description = "The EventTypeCode: a DCM code value (110120...110147) or its meaning without spaces "
            + "(ApplicationStart, ApplicationStop, Login, Logout, Attach, Detach, NodeAuthentication, "
            + "UseOfRestrictedFunction, ...). Required for ApplicationActivity, NetworkEntry, SecurityAlert and "
            + "UserAuthentication; the header CamelDicomAuditEventTypeCode overrides it.")
    private String eventTypeCode;
    @UriParam(description = "The EventActionCode (C, R, U, D or E) where the event allows a choice; required for "
            + "DicomInstancesAccessed, OrderRecord, PatientRecord and ProcedureRecord unless the header "
            + "CamelDicomAuditAction gives it.", enums = "C,R,U,D,E")
    private String action;
    @UriParam(defaultValue = "received", enums = "received,sent", description = "For BeginTransferringDicomInstances, "
            + "DicomInstancesTransferred and Query: whether this application received the instances (the remote "
            + "application, from the CamelDicomCallingAet and CamelDicomRemoteHost headers, is the source) or sent "
            + "them (the remote application is remoteAet at remoteHost).")
    private String direction = "received";
    @UriParam(description = "The remote application's AE title when direction=sent (default: the header "
            + "CamelDicomCalledAet).")
    private String remoteAet;
    @UriParam(description = "The remote application's host when direction=sent (default: the header "
            + "CamelDicomRemoteHost).")
    private String remoteHost;
    @UriParam(description = "DataExport and DataImport: the medium, as a URI (file:/export/cd1, mailto:...) or a "
            + "description; the header CamelDicomAuditMedia overrides it.")
    private String media;
    @UriParam(description = "DataExport and DataImport: the medium's type from CID 405 (a DCM code value or its "
            + "meaning without spaces, e.g. URI, CD, DVD, USBDiskEmulation).", defaultValue = "URI")
    private String mediaType = "URI";
    @UriParam(defaultValue = "false", description = "Emit the message when the exchange completes (with outcome 0 if it "
            + "succeeded, 8 if it failed) rather than when the route reaches this endpoint.")
    private boolean onCompletion;

    private final AuditEventType type;

    public DicomAuditEndpoint(String uri, DicomAuditComponent component, AuditEventType type) {
        super(uri, component);
        this.type = type;
        this.eventName = type == null ? FORWARD : type.name();
    }

    @Override
    public DicomAuditComponent getComponent() {
        return (DicomAuditComponent) super.getComponent();
    }

    /** The event type, or null for {@code dicomaudit:forward}. */
    AuditEventType type() {
        return type;
    }

    @Override
    public Producer createProducer() throws Exception {
        return new DicomAuditProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("dicomaudit is a producer only: use it in to(...)");
    }

    @Override
    public boolean isRemote() {
        return false;
    }

    /** A CID 401/403 type code by DCM code value or by its meaning without spaces (case-insensitive). */
    static CodedValue typeCode(String value) {
        String v = value.strip();
        for (CodedValue c : AuditCodes.CID_401) {
            if (c.code().equals(v) || squash(c.originalText()).equals(squash(v))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown EventTypeCode '" + value + "'; use a DCM code value of CID 401/403 "
                + "or its meaning, e.g. 110122 or Login");
    }

    /** A CID 405 media type by DCM code value or by its meaning without spaces. */
    static CodedValue mediaTypeCode(String value) {
        String v = value.strip();
        for (CodedValue c : AuditCodes.CID_405) {
            if (c.code().equals(v) || squash(c.originalText()).equals(squash(v))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown media type '" + value + "'; use a CID 405 code value or meaning, "
                + "e.g. URI, CD, DVD");
    }

    static EventActionCode actionCode(String value) {
        return EventActionCode.ofCode(value.strip().toUpperCase(Locale.ROOT));
    }

    private static String squash(String s) {
        return s.replace(" ", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    public String getEventName() {
        return eventName;
    }

    public void setEventName(String eventName) {
        this.eventName = eventName;
    }

    public String getEventTypeCode() {
        return eventTypeCode;
    }

    public void setEventTypeCode(String eventTypeCode) {
        typeCode(eventTypeCode);
        this.eventTypeCode = eventTypeCode;
    }

    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        actionCode(action);
        this.action = action;
    }

    public String getDirection() {
        return direction;
    }

    public void setDirection(String direction) {
        String d = direction.strip().toLowerCase(Locale.ROOT);
        if (!d.equals("received") && !d.equals("sent")) {
            throw new IllegalArgumentException("direction must be received or sent, not '" + direction + "'");
        }
        this.direction = d;
    }

    public String getRemoteAet() {
        return remoteAet;
    }

    public void setRemoteAet(String remoteAet) {
        this.remoteAet = remoteAet;
    }

    public String getRemoteHost() {
        return remoteHost;
    }

    public void setRemoteHost(String remoteHost) {
        this.remoteHost = remoteHost;
    }

    public String getMedia() {
        return media;
    }

    public void setMedia(String media) {
        this.media = media;
    }

    public String getMediaType() {
        return mediaType;
    }

    public void setMediaType(String mediaType) {
        mediaTypeCode(mediaType);
        this.mediaType = mediaType;
    }

    public boolean isOnCompletion() {
        return onCompletion;
    }

    public void setOnCompletion(boolean onCompletion) {
        this.onCompletion = onCompletion;
    }
}
