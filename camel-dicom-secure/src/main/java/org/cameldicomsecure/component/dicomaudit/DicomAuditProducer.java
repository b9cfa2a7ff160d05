package org.cameldicomsecure.component.dicomaudit;

import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.List;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.SynchronizationAdapter;
import org.cameldicomsecure.audit.ActiveParticipant;
import org.cameldicomsecure.audit.AuditEventType;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditMessages;
import org.cameldicomsecure.audit.CodedValue;
import org.cameldicomsecure.audit.Participants;
import org.cameldicomsecure.audit.Patient;
import org.cameldicomsecure.audit.Study;
import org.cameldicomsecure.audit.trail.AuditRecord;
import org.cameldicomsecure.audit.trail.SpooledRecord;
import org.cameldicomsecure.component.dicom.DicomBinding;
import org.cameldicomsecure.component.dicom.DicomHeaders;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.net.dimse.Status;

/**
 * Builds the audit message of the endpoint's event from the exchange and appends it to the audit trail; sets
 * {@link DicomAuditConstants#RECORD_ID} and {@link DicomAuditConstants#SEQUENCE}. The body is not changed (a one-shot
 * stream body is replaced by a re-readable copy of the same bytes). A message that does not meet A.5.3 fails the
 * exchange with the rule it breaks; nothing is emitted then.
 */
public class DicomAuditProducer extends DefaultProducer {

    /** What the exchange says, read when the route reaches the endpoint. */
    private record Facts(String callingAet, String calledAet, String remoteHost, String username, String userId,
            String studyUid, String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String accession,
            String patientId, String patientName, boolean tls, String bodyProblem, Integer outcomeHeader,
            String outcomeDescription, String actionHeader, String typeHeader, String alertDescription,
            String alertSubject, String media, byte[] query, String auditLogUri, Integer dimseStatus) {
    }

    public DicomAuditProducer(DicomAuditEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public DicomAuditEndpoint getEndpoint() {
        return (DicomAuditEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        AuditService service = getEndpoint().getComponent().service();
        if (getEndpoint().type() == null) {
            AuditRecord record = exchange.getMessage().getHeader(DicomAuditEndpoint.RECORD_HEADER, AuditRecord.class);
            if (record == null) {
                throw new CamelExchangeException("dicomaudit:forward needs the audit record in the header "
                        + DicomAuditEndpoint.RECORD_HEADER + " (as kafka-audit's forwarding route sets it)", exchange);
            }
            SpooledRecord r = service.emit(record);
            exchange.getMessage().setHeader(DicomAuditConstants.RECORD_ID, record.id());
            exchange.getMessage().setHeader(DicomAuditConstants.SEQUENCE, r.sequence());
            return;
        }
        Facts f = facts(exchange);
        if (getEndpoint().isOnCompletion()) {
            AuditMessage check = build(service, f, 0); // refuse a non-conforming message now, not at completion
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    int outcome = f.outcomeHeader() != null ? f.outcomeHeader() : done.isFailed() ? 8 : 0;
                    try {
                        service.emit(outcome == 0 ? check : build(service, f, outcome));
                    } catch (Exception e) {
                        org.slf4j.LoggerFactory.getLogger(DicomAuditProducer.class).error(
                                "AUDIT ALARM: the {} message of a completed exchange was not accepted: {}",
                                getEndpoint().type(), e.getMessage());
                    }
                }
            });
            return;
        }
        AuditMessage m = build(service, f, outcome(exchange, f));
        SpooledRecord r = service.emit(m);
        Message out = exchange.getMessage();
        out.setHeader(DicomAuditConstants.RECORD_ID, r.record().id());
        out.setHeader(DicomAuditConstants.SEQUENCE, r.sequence());
    }

    /** EventOutcomeIndicator: the header, else 8 for a failed or handled-failed exchange, else from a DIMSE status. */
    private static int outcome(Exchange exchange, Facts f) {
        if (f.outcomeHeader() != null) {
            return f.outcomeHeader();
        }
        if (exchange.getException() != null || exchange.getProperty(Exchange.EXCEPTION_CAUGHT) != null) {
            return 8;
        }
        if (f.dimseStatus() != null) {
            int s = f.dimseStatus();
            return Status.isSuccess(s) ? 0 : Status.isWarning(s) ? 4 : 8;
        }
        return 0;
    }

    private Facts facts(Exchange exchange) throws CamelExchangeException {
        Message in = exchange.getMessage();
        String study = in.getHeader(DicomHeaders.STUDY_INSTANCE_UID, String.class);
        String sopClass = in.getHeader(DicomHeaders.SOP_CLASS_UID, String.class);
        String sopInstance = in.getHeader(DicomHeaders.SOP_INSTANCE_UID, String.class);
        String accession = null;
        String patientId = in.getHeader(DicomAuditConstants.PATIENT_ID, String.class);
        String patientName = in.getHeader(DicomAuditConstants.PATIENT_NAME, String.class);
        String problem = null;
        BodyFacts b = bodyFacts(exchange);
        if (b != null) {
            study = first(b.study(), study);
            sopClass = first(b.sopClass(), sopClass);
            sopInstance = first(b.sopInstance(), sopInstance);
            accession = b.accession();
            patientId = first(b.patientId(), patientId);
            patientName = first(b.patientName(), patientName);
            problem = b.problem();
        }
        Integer outcome = in.getHeader(DicomAuditConstants.OUTCOME, Integer.class);
        if (outcome != null && outcome != 0 && outcome != 4 && outcome != 8 && outcome != 12) {
            throw new CamelExchangeException(DicomAuditConstants.OUTCOME + " must be 0, 4, 8 or 12, not " + outcome,
                    exchange);
        }
        return new Facts(in.getHeader(DicomHeaders.CALLING_AET, String.class),
                in.getHeader(DicomHeaders.CALLED_AET, String.class),
                in.getHeader(DicomHeaders.REMOTE_HOST, String.class),
                in.getHeader(DicomHeaders.USERNAME, String.class),
                in.getHeader(DicomAuditConstants.USER_ID, String.class), study, sopClass, sopInstance,
                in.getHeader(DicomHeaders.TRANSFER_SYNTAX_UID, String.class), accession, patientId, patientName,
                in.getHeader(DicomHeaders.REMOTE_CERTIFICATE_SUBJECT) != null, problem, outcome,
                in.getHeader(DicomAuditConstants.OUTCOME_DESCRIPTION, String.class),
                in.getHeader(DicomAuditConstants.ACTION, String.class),
                in.getHeader(DicomAuditConstants.EVENT_TYPE_CODE, String.class),
                in.getHeader(DicomAuditConstants.ALERT_DESCRIPTION, String.class),
                in.getHeader(DicomAuditConstants.ALERT_SUBJECT, String.class),
                in.getHeader(DicomAuditConstants.MEDIA, String.class),
                in.getHeader(DicomAuditConstants.QUERY, byte[].class),
                in.getHeader(DicomAuditConstants.AUDIT_LOG_URI, String.class),
                in.getHeader(DicomHeaders.STATUS, Integer.class));
    }

    /** What the body's data set says, kept on the exchange while the body stays the same object. */
    private record BodyFacts(Object body, String study, String sopClass, String sopInstance, String accession,
            String patientId, String patientName, String problem) {

        @Override
        public String toString() {
            return "BodyFacts[...]"; // patient data: never in logs
        }
    }

    private static final String BODY_FACTS = "CamelDicomAuditBodyFacts";

    /**
     * The data set's facts of the body, or null when the body is not binary (none, or text). Read once per body: a
     * route with several dicomaudit endpoints parses the instance once. A one-shot stream becomes a re-readable
     * copy of the same bytes.
     */
    private static BodyFacts bodyFacts(Exchange exchange) {
        Message in = exchange.getMessage();
        Object body = in.getBody();
        if (body == null || body instanceof String) {
            return null;
        }
        BodyFacts cached = exchange.getProperty(BODY_FACTS, BodyFacts.class);
        if (cached != null && cached.body() == body) {
            return cached;
        }
        if (body instanceof InputStream && !(body instanceof StreamCache)) {
            StreamCache cache = exchange.getContext().getTypeConverter().convertTo(StreamCache.class, exchange, body);
            if (cache != null) {
                in.setBody(cache);
                body = cache;
            }
        }
        BodyFacts f;
        try {
            Dataset ds = DicomBinding.toDicomFile(in).dataset();
            f = new BodyFacts(body, ds.getString(Tag.StudyInstanceUID), ds.getString(Tag.SOPClassUID),
                    ds.getString(Tag.SOPInstanceUID), ds.getString(Tag.AccessionNumber), ds.getString(Tag.PatientID),
                    ds.getString(Tag.PatientName), null);
        } catch (Exception e) {
            f = new BodyFacts(body, null, null, null, null, null, null,
                    "the body is not a readable DICOM instance (" + DicomBinding.rootMessage(e) + ")");
        } finally {
            if (body instanceof StreamCache sc) {
                sc.reset();
            }
        }
        exchange.setProperty(BODY_FACTS, f);
        return f;
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private AuditMessage build(AuditService service, Facts f, int outcome) {
        DicomAuditEndpoint ep = getEndpoint();
        AuditEventType type = ep.type();
        AuditMessages.Builder b = AuditMessages.builder(type);
        b.eventDateTime(OffsetDateTime.now(service.zone())).outcome(outcome).auditSource(service.source());
        if (f.outcomeDescription() != null) {
            b.outcomeDescription(f.outcomeDescription());
        }
        String action = f.actionHeader() != null ? f.actionHeader() : ep.getAction();
        if (action != null) {
            b.action(DicomAuditEndpoint.actionCode(action));
        }
        String typeCode = f.typeHeader() != null ? f.typeHeader() : ep.getEventTypeCode();
        if (typeCode != null) {
            b.eventTypeCode(DicomAuditEndpoint.typeCode(typeCode));
        }
        ActiveParticipant.Builder self = Participants.application(service.processName(),
                f.calledAet() != null && "received".equals(ep.getDirection()) ? List.of(f.calledAet()) : List.of(),
                service.localHost());
        switch (type) {
            case ApplicationActivity -> b.application(self.requestor(false));
            case NetworkEntry -> b.node(Participants.node(service.localHost(), service.localHost()).requestor(false));
            case BeginTransferringDicomInstances, DicomInstancesTransferred, Query -> {
                boolean received = "received".equals(ep.getDirection());
                ActiveParticipant.Builder remote;
                if (received) {
                    remote = Participants.application(require(f.callingAet(), "the remote application's AE title "
                            + "(header " + DicomHeaders.CALLING_AET + ")"), f.remoteHost());
                    b.source(remote.requestor(true)).destination(self.requestor(false));
                } else {
                    String ae = ep.getRemoteAet() != null ? ep.getRemoteAet() : f.calledAet();
                    remote = Participants.application(require(ae, "the remote application's AE title (option "
                            + "remoteAet or header " + DicomHeaders.CALLED_AET + ")"),
                            ep.getRemoteHost() != null ? ep.getRemoteHost() : f.remoteHost());
                    ActiveParticipant.Builder local = Participants.application(service.processName(),
                            f.callingAet() != null ? List.of(f.callingAet()) : List.of(), service.localHost());
                    b.source(local.requestor(true)).destination(remote.requestor(false));
                }
                if (type == AuditEventType.Query) {
                    byte[] q = f.query();
                    if (q == null) {
                        throw new IllegalArgumentException("a Query message needs the query (header "
                                + DicomAuditConstants.QUERY + ")");
                    }
                    b.query(require(f.sopClassUid(), "the queried SOP Class UID (header "
                            + DicomHeaders.SOP_CLASS_UID + ")"), q, f.transferSyntaxUid());
                } else {
                    studyAndPatient(b, f, true);
                }
            }
            case DataExport -> {
                b.source(user(service, f, self).requestor(true));
                b.destinationMedia(medium(f));
                studyAndPatient(b, f, false);
            }
            case DataImport -> {
                b.destination(user(service, f, self).requestor(true));
                b.sourceMedia(medium(f));
                studyAndPatient(b, f, false);
            }
            case SecurityAlert -> {
                b.user(user(service, f, self));
                String subject = f.alertSubject() != null ? f.alertSubject() : f.remoteHost();
                if (subject != null) {
                    String why = f.alertDescription() != null ? f.alertDescription() : "reported by a route";
                    if (subject.contains(":/") || subject.startsWith("urn:")) {
                        b.alertSubjectUri(subject, why);
                    } else {
                        b.alertSubjectNode(subject, why);
                    }
                }
            }
            case UserAuthentication -> {
                String user = f.userId() != null ? f.userId() : f.username();
                b.user(Participants.person(require(user, "the user (header " + DicomAuditConstants.USER_ID + " or "
                        + DicomHeaders.USERNAME + ")")).requestor(true)
                        .networkAccessPoint(require(f.remoteHost(), "the user's network address (header "
                                + DicomHeaders.REMOTE_HOST + "; A.5.3.12 makes it M)")));
                b.node(self.requestor(false));
            }
            case AuditLogUsed -> {
                b.user(user(service, f, self));
                b.auditLog(f.auditLogUri() != null ? f.auditLogUri() : java.nio.file.Path.of(
                        service.auditTrail().spoolDirectory().toString()).toUri().toString());
            }
            case DicomInstancesAccessed, DicomStudyDeleted, ProcedureRecord -> {
                b.user(user(service, f, self));
                studyAndPatient(b, f, type != AuditEventType.ProcedureRecord || f.studyUid() != null);
            }
            case OrderRecord, PatientRecord -> {
                b.user(user(service, f, self));
                b.patient(patient(f));
            }
        }
        return b.build();
    }

    /** The acting person (from the headers) or, if none, this application; never both marked requestor. */
    private static ActiveParticipant.Builder user(AuditService service, Facts f, ActiveParticipant.Builder self) {
        String user = f.userId() != null ? f.userId() : f.username();
        if (user != null) {
            return Participants.person(user).requestor(true);
        }
        return self.requestor(false);
    }

    private ActiveParticipant.Builder medium(Facts f) {
        DicomAuditEndpoint ep = getEndpoint();
        String m = f.media() != null ? f.media() : ep.getMedia();
        CodedValue type = DicomAuditEndpoint.mediaTypeCode(ep.getMediaType());
        return Participants.media(require(m, "the medium (option media or header " + DicomAuditConstants.MEDIA + ")"),
                type);
    }

    private void studyAndPatient(AuditMessages.Builder b, Facts f, boolean studyRequired) {
        if (f.studyUid() != null) {
            Study.Builder s = Study.builder(f.studyUid()).accessionNumber(f.accession());
            if (f.sopClassUid() != null) {
                s.addInstance(f.sopClassUid(), null);
            }
            if (f.tls()) {
                s.encrypted(true);
            }
            b.study(s.build());
        } else if (studyRequired) {
            throw new IllegalArgumentException(getEndpoint().type() + " needs the study: the Study Instance UID of the "
                    + "body's data set or the header " + DicomHeaders.STUDY_INSTANCE_UID
                    + (f.bodyProblem() != null ? "; " + f.bodyProblem() : ""));
        }
        b.patient(patient(f));
    }

    private Patient patient(Facts f) {
        if (f.patientId() == null || f.patientId().isBlank()) {
            throw new IllegalArgumentException(getEndpoint().type() + " needs the patient: the Patient ID of the body's "
                    + "data set or the header " + DicomAuditConstants.PATIENT_ID
                    + (f.bodyProblem() != null ? "; " + f.bodyProblem() : ""));
        }
        return new Patient(f.patientId(), f.patientName());
    }

    private static String require(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing " + what);
        }
        return v;
    }
}
