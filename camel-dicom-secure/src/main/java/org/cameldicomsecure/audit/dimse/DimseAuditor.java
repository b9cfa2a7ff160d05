package org.cameldicomsecure.audit.dimse;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.cameldicomsecure.audit.ActiveParticipant;
import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditMessages;
import org.cameldicomsecure.audit.AuditSourceIdentification;
import org.cameldicomsecure.audit.EventActionCode;
import org.cameldicomsecure.audit.Participants;
import org.cameldicomsecure.audit.Patient;
import org.cameldicomsecure.audit.Study;
import org.cameldicomsecure.net.assoc.AssociationInfo;
import org.cameldicomsecure.net.assoc.AssociationListener;
import org.cameldicomsecure.net.pdu.AAssociateRJ;

/**
 * Automatic auditing of DICOM associations (PS3.15 A.5.3): turns the events of the network layer, and the instances
 * the DIMSE service users report with {@link #instance}, into audit messages.
 * <ul>
 * <li>Begin Transferring DICOM Instances (A.5.3.3) when the first instance of a study (and patient) is seen on an
 * association; DICOM Instances Transferred (A.5.3.7) per study and patient when the association ends (released or
 * aborted): one message for the instances that were stored, another, with outcome 8, for those that were not (A.5.2:
 * mixed results make two messages). Encrypted is true on TLS associations.</li>
 * <li>User Authentication (A.5.3.12): Login (outcome 0) when an acceptor accepts an authenticated user identity, Login
 * with outcome 4 when it refuses one, and Logout when that association ends.</li>
 * <li>Security Alert (A.5.3.11), type (110126, DCM, "Node Authentication"), outcome 4 (the attempt was stopped): failed
 * TLS handshakes (protocol, cipher or certificate refused) and association requests refused for their calling or
 * called AE title. Malformed or unexpected PDUs: type (110132, DCM, "Use of Restricted Function"), outcome 4. The alert
 * subject is the peer's address (110182, DCM, "Node ID"); the description says why, never with patient data.</li>
 * </ul>
 * Methods run on Netty event loops or DIMSE threads: they build the message and hand it to the sink, which must not
 * block (the audit trail queues it). A message that cannot be built is reported to {@code errors}, never thrown into
 * the network layer.
 */
public final class DimseAuditor implements AssociationListener {

    /** What the auditor knows of an instance: its UIDs and its patient (from the data set). */
    public record InstanceFacts(String sopClassUid, String sopInstanceUid, String studyInstanceUid, String patientId,
            String patientName, String accessionNumber) {

        public InstanceFacts {
            Objects.requireNonNull(sopClassUid, "sopClassUid");
        }

        /** What the auditor needs of a data set: its UIDs, study and patient. */
        public static InstanceFacts of(org.cameldicomsecure.dicom.Dataset ds) {
            return new InstanceFacts(ds.getString(org.cameldicomsecure.dicom.Tag.SOPClassUID),
                    ds.getString(org.cameldicomsecure.dicom.Tag.SOPInstanceUID),
                    ds.getString(org.cameldicomsecure.dicom.Tag.StudyInstanceUID),
                    ds.getString(org.cameldicomsecure.dicom.Tag.PatientID),
                    ds.getString(org.cameldicomsecure.dicom.Tag.PatientName),
                    ds.getString(org.cameldicomsecure.dicom.Tag.AccessionNumber));
        }

        @Override
        public String toString() {
            return "InstanceFacts[" + sopClassUid + "]"; // patient data: never in logs
        }
    }

    private record StudyKey(String studyUid, String patientId, boolean stored) {
    }

    /** The studies seen on one association. */
    private static final class Transfers {
        final Map<StudyKey, Study.Builder> studies = new LinkedHashMap<>();
        final Map<StudyKey, InstanceFacts> first = new LinkedHashMap<>();
        final java.util.Set<String> begun = new java.util.HashSet<>();
    }

    private final AuditSourceIdentification source;
    private final String localProcess;
    private final String localHost;
    private final ZoneId zone;
    private final boolean includeInstanceUids;
    private final Consumer<AuditMessage> sink;
    private final Consumer<RuntimeException> errors;
    private final Map<AssociationInfo, Transfers> transfers = Collections.synchronizedMap(new IdentityHashMap<>());

    /**
     * @param source              the AuditSourceIdentification of every message
     * @param localProcess        the UserID of this application in the messages (a process name of the local logs)
     * @param localHost           this node's host name or address (the NetworkAccessPointID of this side), or null
     * @param zone                the time zone of EventDateTime
     * @param includeInstanceUids whether DICOM Instances Transferred lists the SOP Instance UIDs (A.5.2: usually not)
     * @param sink                receives the messages; must not block
     * @param errors              receives a message that could not be built (a bug or missing data), never thrown
     */
    public DimseAuditor(AuditSourceIdentification source, String localProcess, String localHost, ZoneId zone,
            boolean includeInstanceUids, Consumer<AuditMessage> sink, Consumer<RuntimeException> errors) {
        this.source = Objects.requireNonNull(source, "source");
        this.localProcess = Objects.requireNonNull(localProcess, "localProcess");
        this.localHost = localHost;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.includeInstanceUids = includeInstanceUids;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    /**
     * An instance is about to be sent, or has arrived and is about to be processed, on {@code association}: the first
     * one of its study and patient there emits Begin Transferring DICOM Instances (A.5.3.3). Returns whether the
     * instance can be audited (it has a Study Instance UID and a Patient ID; if not, {@code errors} is told).
     */
    public boolean beginning(AssociationInfo association, InstanceFacts facts) {
        String pid = auditable(association, facts);
        if (pid == null) {
            return false;
        }
        boolean begin;
        Transfers t = transfers(association);
        synchronized (t) {
            begin = t.begun.add(facts.studyInstanceUid() + '\u0000' + pid);
        }
        if (begin) {
            emit(() -> transferMessage(AuditMessages.beginTransferringDicomInstances(), association,
                    Study.of(facts.studyInstanceUid()), new Patient(pid, facts.patientName()), 0, null).build());
        }
        return true;
    }

    /**
     * An instance was sent or received on {@code association}; {@code stored} whether the receiver stored it (a
     * success or warning status). Counted into the DICOM Instances Transferred message of its study, emitted when the
     * association ends. Callers report the instance to {@link #beginning} first (which tells {@code errors} about an
     * instance that cannot be audited); an instance without study or patient is ignored here.
     */
    public void instance(AssociationInfo association, InstanceFacts facts, boolean stored) {
        if (isBlank(facts.studyInstanceUid()) || isBlank(facts.patientId())) {
            return;
        }
        beginning(association, facts); // a no-op when its study was begun
        StudyKey key = new StudyKey(facts.studyInstanceUid(), facts.patientId(), stored);
        Transfers t = transfers(association);
        synchronized (t) {
            Study.Builder b = t.studies.computeIfAbsent(key, k -> Study.builder(k.studyUid())
                    .encrypted(association.tls() != null));
            b.addInstance(facts.sopClassUid(), includeInstanceUids ? facts.sopInstanceUid() : null);
            b.accessionNumber(facts.accessionNumber());
            t.first.putIfAbsent(key, facts);
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private Transfers transfers(AssociationInfo association) {
        synchronized (transfers) {
            return transfers.computeIfAbsent(association, k -> new Transfers());
        }
    }

    /** The Patient ID of an instance A.5.3.3/A.5.3.7 can describe, or null (and {@code errors} is told why not). */
    private String auditable(AssociationInfo association, InstanceFacts facts) {
        if (facts.studyInstanceUid() == null || facts.studyInstanceUid().isBlank()) {
            errors.accept(new IllegalArgumentException("an instance without Study Instance UID was transferred on "
                    + association.name() + ": it cannot be audited per study (A.5.3.7)"));
            return null;
        }
        if (facts.patientId() == null || facts.patientId().isBlank()) {
            errors.accept(new IllegalArgumentException("an instance without Patient ID was transferred on "
                    + association.name() + ": A.5.3.7 needs the patient"));
            return null;
        }
        return facts.patientId();
    }

    @Override
    public void accepted(AssociationInfo association) {
        if (!association.requestor() && association.username() != null) {
            emit(() -> authentication(association.username(), association.remote(), association.callingAet(), 0,
                    null, true));
        }
    }

    @Override
    public void authenticationFailed(SocketAddress peer, String callingAet, String why) {
        emit(() -> authentication("unknown", peer, callingAet, 4, why, true));
    }

    @Override
    public void rejected(SocketAddress peer, String callingAet, String calledAet, AAssociateRJ rj, String why) {
        if (rj == null || rj.source() != AAssociateRJ.SOURCE_SERVICE_USER) {
            return;
        }
        int reason = rj.reason();
        if (reason == AAssociateRJ.USER_CALLING_AE_TITLE_NOT_RECOGNIZED
                || reason == AAssociateRJ.USER_CALLED_AE_TITLE_NOT_RECOGNIZED) {
            emit(() -> alert(AuditCodes.TYPE_NODE_AUTHENTICATION, peer,
                    "association request from calling AE " + callingAet + " to called AE " + calledAet
                            + " refused: " + why));
        }
    }

    @Override
    public void tlsFailed(SocketAddress peer, String why) {
        emit(() -> alert(AuditCodes.TYPE_NODE_AUTHENTICATION, peer, why));
    }

    @Override
    public void protocolError(AssociationInfo association, SocketAddress peer, String why) {
        emit(() -> alert(AuditCodes.TYPE_USE_OF_RESTRICTED_FUNCTION, peer,
                "malformed or unexpected DICOM message" + (association != null ? " on " + association.name() : "")
                        + ": " + why));
    }

    @Override
    public void released(AssociationInfo association) {
        ended(association);
    }

    @Override
    public void aborted(AssociationInfo association, SocketAddress peer, String why) {
        if (association != null) {
            ended(association);
        }
    }

    /** Emits what an association that ended leaves: DICOM Instances Transferred per study, and the Logout. */
    private void ended(AssociationInfo association) {
        Transfers t = transfers.remove(association);
        if (t != null) {
            List<Map.Entry<StudyKey, Study.Builder>> studies;
            synchronized (t) {
                studies = new ArrayList<>(t.studies.entrySet());
            }
            for (Map.Entry<StudyKey, Study.Builder> e : studies) {
                StudyKey k = e.getKey();
                InstanceFacts f = t.first.get(k);
                emit(() -> transferMessage(AuditMessages.dicomInstancesTransferred(), association, e.getValue().build(),
                        new Patient(k.patientId(), f.patientName()), k.stored() ? 0 : 8,
                        k.stored() ? null : "the receiver did not store these instances").build());
            }
        }
        if (!association.requestor() && association.username() != null) {
            emit(() -> authentication(association.username(), association.remote(), association.callingAet(), 0,
                    null, false));
        }
    }

    private AuditMessages.Builder transferMessage(AuditMessages.Builder b, AssociationInfo a, Study study,
            Patient patient, int outcome, String description) {
        ActiveParticipant.Builder remote = Participants.application(a.requestor() ? a.calledAet() : a.callingAet(),
                a.remote().getAddress().getHostAddress());
        ActiveParticipant.Builder local = Participants.application(localProcess,
                List.of(a.requestor() ? a.callingAet() : a.calledAet()), localHost);
        remote.requestor(!a.requestor());
        local.requestor(a.requestor());
        if (a.requestor()) {
            b.source(local).destination(remote);
        } else {
            b.source(remote).destination(local);
        }
        if (b.type() == org.cameldicomsecure.audit.AuditEventType.DicomInstancesTransferred) {
            // A.5.3.7: "If the Audit Source is either not the receiver, or otherwise does not know whether or not
            // the instances previously were held by the receiving node, then use R". A gateway never knows.
            b.action(EventActionCode.READ);
        }
        if (a.username() != null && !a.requestor()) {
            b.other(Participants.person(a.username()).requestor(false));
        }
        b.eventDateTime(now()).outcome(outcome).auditSource(source).study(study, includeInstanceUids)
                .patient(patient);
        if (description != null) {
            b.outcomeDescription(description);
        }
        return b;
    }

    private AuditMessage authentication(String user, SocketAddress peer, String callingAet, int outcome,
            String why, boolean login) {
        AuditMessages.Builder b = AuditMessages.userAuthentication();
        if (login) {
            b.login();
        } else {
            b.logout();
        }
        ActiveParticipant.Builder person = Participants.person(user).requestor(true)
                .networkAccessPoint(host(peer));
        if (callingAet != null) {
            person.alternativeUserId(Participants.aeTitles(List.of(callingAet)));
        }
        b.user(person);
        b.node(Participants.application(localProcess, List.of(), localHost).requestor(false));
        b.eventDateTime(now()).outcome(outcome).auditSource(source);
        if (why != null) {
            b.outcomeDescription(why);
        }
        return b.build();
    }

    private AuditMessage alert(org.cameldicomsecure.audit.CodedValue type, SocketAddress peer, String why) {
        String node = host(peer);
        return AuditMessages.securityAlert().eventTypeCode(type)
                .user(Participants.application(localProcess, List.of(), localHost).requestor(false))
                .alertSubjectNode(node != null ? node : "unknown", why)
                .eventDateTime(now()).outcome(4).auditSource(source).build();
    }

    private static String host(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
        }
        return null;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(Instant.now(), zone);
    }

    private void emit(java.util.function.Supplier<AuditMessage> message) {
        try {
            sink.accept(message.get());
        } catch (RuntimeException e) {
            errors.accept(e);
        }
    }
}
