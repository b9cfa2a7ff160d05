package org.cameldicomsecure.audit;

import static org.cameldicomsecure.audit.ParticipantSlot.APPLICATION;
import static org.cameldicomsecure.audit.ParticipantSlot.DESTINATION;
import static org.cameldicomsecure.audit.ParticipantSlot.DESTINATION_MEDIA;
import static org.cameldicomsecure.audit.ParticipantSlot.LAUNCHER;
import static org.cameldicomsecure.audit.ParticipantSlot.NODE;
import static org.cameldicomsecure.audit.ParticipantSlot.OTHER;
import static org.cameldicomsecure.audit.ParticipantSlot.PERFORMER;
import static org.cameldicomsecure.audit.ParticipantSlot.SOURCE;
import static org.cameldicomsecure.audit.ParticipantSlot.SOURCE_MEDIA;
import static org.cameldicomsecure.audit.ParticipantSlot.USER;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builders of the DICOM-specific audit messages of PS3.15 2024c A.5.3, one per {@link AuditEventType}. A builder
 * collects the event, the participants (each in a {@link ParticipantSlot}, whose Role ID code it adds), the audit
 * source and the participant objects; {@link Builder#build()} checks every rule of A.5.2 and of the event's section
 * and refuses a message that would not conform with an {@link IllegalArgumentException} naming each broken rule and
 * its section. No message is returned unless it conforms.
 *
 * <pre>{@code
 * AuditMessage m = AuditMessages.dicomInstancesTransferred()
 *         .outcome(EventOutcome.SUCCESS).action(EventActionCode.CREATE)
 *         .source(Participants.application("STORESCU", "192.0.2.10").requestor(true))
 *         .destination(Participants.application("gateway", List.of("GATEWAY"), "pacs.example.org"))
 *         .auditSource("gateway")
 *         .study(study).patient(new Patient("PID1", "DOE^JANE"))
 *         .build();
 * }</pre>
 */
public final class AuditMessages {

    private AuditMessages() {
    }

    /** A builder of the message of this event type. */
    public static Builder builder(AuditEventType type) {
        return new Builder(Objects.requireNonNull(type, "event type"));
    }

    /** A builder of the message named as in {@code dicomaudit:<EventName>}; see {@link AuditEventType#ofName}. */
    public static Builder builder(String eventName) {
        return builder(AuditEventType.ofName(eventName));
    }

    /** A.5.3.1. */
    public static Builder applicationActivity() {
        return builder(AuditEventType.ApplicationActivity);
    }

    /** A.5.3.2. */
    public static Builder auditLogUsed() {
        return builder(AuditEventType.AuditLogUsed);
    }

    /** A.5.3.3. */
    public static Builder beginTransferringDicomInstances() {
        return builder(AuditEventType.BeginTransferringDicomInstances);
    }

    /** A.5.3.4. */
    public static Builder dataExport() {
        return builder(AuditEventType.DataExport);
    }

    /** A.5.3.5. */
    public static Builder dataImport() {
        return builder(AuditEventType.DataImport);
    }

    /** A.5.3.6. */
    public static Builder dicomInstancesAccessed() {
        return builder(AuditEventType.DicomInstancesAccessed);
    }

    /** A.5.3.7. */
    public static Builder dicomInstancesTransferred() {
        return builder(AuditEventType.DicomInstancesTransferred);
    }

    /** A.5.3.8. */
    public static Builder dicomStudyDeleted() {
        return builder(AuditEventType.DicomStudyDeleted);
    }

    /** A.5.3.9. */
    public static Builder networkEntry() {
        return builder(AuditEventType.NetworkEntry);
    }

    /** A.5.3.10. */
    public static Builder query() {
        return builder(AuditEventType.Query);
    }

    /** A.5.3.11. */
    public static Builder securityAlert() {
        return builder(AuditEventType.SecurityAlert);
    }

    /** A.5.3.12. */
    public static Builder userAuthentication() {
        return builder(AuditEventType.UserAuthentication);
    }

    /** A.5.3.13. */
    public static Builder orderRecord() {
        return builder(AuditEventType.OrderRecord);
    }

    /** A.5.3.14. */
    public static Builder patientRecord() {
        return builder(AuditEventType.PatientRecord);
    }

    /** A.5.3.15. */
    public static Builder procedureRecord() {
        return builder(AuditEventType.ProcedureRecord);
    }

    /** How many of something a message has: min..max (max -1 for N). */
    private record Count(int min, int max) {
        static final Count ONE = new Count(1, 1);
        static final Count ONE_OR_TWO = new Count(1, 2);
        static final Count ANY = new Count(0, -1);
        static final Count SOME = new Count(1, -1);
        static final Count NONE = new Count(0, 0);
        static final Count OPTIONAL = new Count(0, 1);

        boolean allows(int n) {
            return n >= min && (max < 0 || n <= max);
        }

        @Override
        public String toString() {
            return min + ".." + (max < 0 ? "N" : Integer.toString(max));
        }
    }

    /** What A.5.3 says of one message. */
    private record Spec(Set<EventActionCode> actions, EventActionCode defaultAction,
            Map<ParticipantSlot, Count> slots, ParticipantSlot defaultSlot, Count studies, Count patients,
            boolean exactlyOneRequestor) {
    }

    private static Map<ParticipantSlot, Count> slots(Object... pairs) {
        Map<ParticipantSlot, Count> m = new EnumMap<>(ParticipantSlot.class);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((ParticipantSlot) pairs[i], (Count) pairs[i + 1]);
        }
        return m;
    }

    private static final Set<EventActionCode> E = EnumSet.of(EventActionCode.EXECUTE);
    private static final Set<EventActionCode> CRUD = EnumSet.of(EventActionCode.CREATE, EventActionCode.READ,
            EventActionCode.UPDATE, EventActionCode.DELETE);

    private static Spec spec(AuditEventType type) {
        return switch (type) {
            case ApplicationActivity -> new Spec(E, EventActionCode.EXECUTE,
                    slots(APPLICATION, Count.ONE, LAUNCHER, Count.ANY), LAUNCHER, Count.NONE, Count.NONE, false);
            case AuditLogUsed -> new Spec(EnumSet.of(EventActionCode.READ), EventActionCode.READ,
                    slots(USER, Count.ONE_OR_TWO), USER, Count.NONE, Count.NONE, false);
            case BeginTransferringDicomInstances -> new Spec(E, EventActionCode.EXECUTE,
                    slots(SOURCE, Count.ONE, DESTINATION, Count.ONE, OTHER, Count.ANY), OTHER, Count.SOME, Count.ONE,
                    false);
            case DataExport -> new Spec(EnumSet.of(EventActionCode.READ), EventActionCode.READ,
                    slots(DESTINATION, Count.ANY, SOURCE, Count.ONE_OR_TWO, DESTINATION_MEDIA, Count.ONE), null,
                    Count.ANY, Count.SOME, true);
            case DataImport -> new Spec(EnumSet.of(EventActionCode.CREATE), EventActionCode.CREATE,
                    slots(DESTINATION, Count.SOME, SOURCE_MEDIA, Count.ONE, SOURCE, Count.ANY), null, Count.ANY,
                    Count.SOME, true);
            case DicomInstancesAccessed -> new Spec(CRUD, null, slots(USER, Count.ONE_OR_TWO), USER, Count.SOME,
                    Count.ONE, false);
            case DicomInstancesTransferred -> new Spec(
                    EnumSet.of(EventActionCode.CREATE, EventActionCode.READ, EventActionCode.UPDATE),
                    EventActionCode.READ, slots(SOURCE, Count.ONE, DESTINATION, Count.ONE, OTHER, Count.ANY), OTHER,
                    Count.SOME, Count.ONE, false);
            case DicomStudyDeleted -> new Spec(EnumSet.of(EventActionCode.DELETE), EventActionCode.DELETE,
                    slots(USER, Count.ONE_OR_TWO), USER, Count.SOME, Count.ONE, false);
            case NetworkEntry -> new Spec(E, EventActionCode.EXECUTE, slots(NODE, Count.ONE), NODE, Count.NONE,
                    Count.NONE, false);
            case Query -> new Spec(E, EventActionCode.EXECUTE,
                    slots(SOURCE, Count.ONE, DESTINATION, Count.ONE, OTHER, Count.ANY), OTHER, Count.NONE, Count.NONE,
                    false);
            case SecurityAlert -> new Spec(E, EventActionCode.EXECUTE,
                    slots(USER, Count.ONE_OR_TWO, PERFORMER, Count.ANY), USER, Count.NONE, Count.NONE, false);
            case UserAuthentication -> new Spec(E, EventActionCode.EXECUTE, slots(USER, Count.ONE, NODE,
                    Count.OPTIONAL), USER, Count.NONE, Count.NONE, false);
            case OrderRecord, PatientRecord -> new Spec(CRUD, null, slots(USER, Count.ONE_OR_TWO), USER, Count.NONE,
                    Count.ONE, false);
            case ProcedureRecord -> new Spec(CRUD, null, slots(USER, Count.ONE_OR_TWO), USER, Count.ANY, Count.ONE,
                    false);
        };
    }

    private record Placed(ParticipantSlot slot, ActiveParticipant participant) {
    }

    /** Builds one audit message of one {@link AuditEventType}; not thread safe. */
    public static final class Builder {
        private final AuditEventType type;
        private final Spec spec;
        private OffsetDateTime dateTime;
        private EventOutcome outcome;
        private String outcomeDescription;
        private EventActionCode action;
        private final List<CodedValue> eventTypeCodes = new ArrayList<>();
        private final List<Placed> participants = new ArrayList<>();
        private AuditSourceIdentification auditSource;
        private final List<ParticipantObjectIdentification> objects = new ArrayList<>();

        private Builder(AuditEventType type) {
            this.type = type;
            this.spec = spec(type);
        }

        /** Forgets everything given so far: the builder is as new. */
        public Builder reset() {
            dateTime = null;
            outcome = null;
            outcomeDescription = null;
            action = null;
            eventTypeCodes.clear();
            participants.clear();
            auditSource = null;
            objects.clear();
            return this;
        }

        /** The event type this builder makes. */
        public AuditEventType type() {
            return type;
        }

        /** The EventDateTime (with its offset); default: the time {@link #build()} is called, in the system zone. */
        public Builder eventDateTime(OffsetDateTime time) {
            dateTime = Objects.requireNonNull(time, "EventDateTime");
            return this;
        }

        /** The EventDateTime as an instant in a zone. */
        public Builder eventDateTime(Instant time, ZoneId zone) {
            return eventDateTime(OffsetDateTime.ofInstant(time, zone));
        }

        /** The EventOutcomeIndicator (required). */
        public Builder outcome(EventOutcome v) {
            outcome = Objects.requireNonNull(v, "EventOutcomeIndicator");
            return this;
        }

        /** The EventOutcomeIndicator as 0, 4, 8 or 12 (required). */
        public Builder outcome(int code) {
            return outcome(EventOutcome.ofCode(code));
        }

        /** The EventOutcomeDescription (free text), or null. */
        public Builder outcomeDescription(String v) {
            outcomeDescription = v;
            return this;
        }

        /** The EventActionCode; when the message allows one value only it is the default. */
        public Builder action(EventActionCode v) {
            action = v;
            return this;
        }

        /** Adds an EventTypeCode (DCID 401; DCID 403 for a Security Alert). */
        public Builder eventTypeCode(CodedValue code) {
            CodedValue.requireFull(code, "EventTypeCode");
            if (eventTypeCodes.stream().noneMatch(code::sameCode)) {
                eventTypeCodes.add(code);
            }
            return this;
        }

        /** Adds (110120, DCM, "Application Start"). */
        public Builder applicationStart() {
            return eventTypeCode(AuditCodes.TYPE_APPLICATION_START);
        }

        /** Adds (110121, DCM, "Application Stop"). */
        public Builder applicationStop() {
            return eventTypeCode(AuditCodes.TYPE_APPLICATION_STOP);
        }

        /** Adds (110122, DCM, "Login"). */
        public Builder login() {
            return eventTypeCode(AuditCodes.TYPE_LOGIN);
        }

        /** Adds (110123, DCM, "Logout"). */
        public Builder logout() {
            return eventTypeCode(AuditCodes.TYPE_LOGOUT);
        }

        /** Adds (110124, DCM, "Attach"). */
        public Builder attach() {
            return eventTypeCode(AuditCodes.TYPE_ATTACH);
        }

        /** Adds (110125, DCM, "Detach"). */
        public Builder detach() {
            return eventTypeCode(AuditCodes.TYPE_DETACH);
        }

        /**
         * Adds a participant into a slot: the slot's Role ID code (if any) is added to the participant's.
         */
        public Builder participant(ParticipantSlot slot, ActiveParticipant p) {
            Objects.requireNonNull(slot, "slot");
            Objects.requireNonNull(p, "participant");
            ActiveParticipant placed = slot.role() == null || p.hasRole(slot.role()) ? p
                    : p.toBuilder().role(slot.role()).build();
            participants.add(new Placed(slot, placed));
            return this;
        }

        public Builder participant(ParticipantSlot slot, ActiveParticipant.Builder p) {
            return participant(slot, p.build());
        }

        /**
         * Adds a participant into the slot its Role ID codes name (110150 to 110155), else into this message's
         * default slot (the person/process of a 1..2 message, the other participants of a transfer or query, the
         * launcher of an Application Activity, the node of a Network Entry). Data Export and Data Import have no
         * default: their participants need a role.
         */
        public Builder participant(ActiveParticipant p) {
            Objects.requireNonNull(p, "participant");
            for (ParticipantSlot s : spec.slots().keySet()) {
                if (s.role() != null && p.hasRole(s.role())) {
                    return participant(s, p);
                }
            }
            if (spec.defaultSlot() != null) {
                return participant(spec.defaultSlot(), p);
            }
            participants.add(new Placed(null, p)); // refused by build(): this message has no default slot
            return this;
        }

        public Builder participant(ActiveParticipant.Builder p) {
            return participant(p.build());
        }

        /** The application started or stopped (110150). */
        public Builder application(ActiveParticipant.Builder p) {
            return participant(APPLICATION, p);
        }

        /** A person or process that started or stopped the application (110151). */
        public Builder launcher(ActiveParticipant.Builder p) {
            return participant(LAUNCHER, p);
        }

        /** The sender, querier or exporter (110153). */
        public Builder source(ActiveParticipant.Builder p) {
            return participant(SOURCE, p);
        }

        /** The receiver, query responder or importer (110152). */
        public Builder destination(ActiveParticipant.Builder p) {
            return participant(DESTINATION, p);
        }

        /** The medium of a Data Export (110154). */
        public Builder destinationMedia(ActiveParticipant.Builder p) {
            return participant(DESTINATION_MEDIA, p);
        }

        /** The medium of a Data Import (110155). */
        public Builder sourceMedia(ActiveParticipant.Builder p) {
            return participant(SOURCE_MEDIA, p);
        }

        /** The person or process acting, or the person authenticated. */
        public Builder user(ActiveParticipant.Builder p) {
            return participant(USER, p);
        }

        /** A performer of what a Security Alert reports. */
        public Builder performer(ActiveParticipant.Builder p) {
            return participant(PERFORMER, p);
        }

        /** The node entering/leaving the network, or performing a user authentication. */
        public Builder node(ActiveParticipant.Builder p) {
            return participant(NODE, p);
        }

        /** Another participant (e.g. a third-party requestor of a transfer or query). */
        public Builder other(ActiveParticipant.Builder p) {
            return participant(OTHER, p);
        }

        /** The AuditSourceIdentification (required). */
        public Builder auditSource(AuditSourceIdentification v) {
            auditSource = Objects.requireNonNull(v, "AuditSourceIdentification");
            return this;
        }

        /** An AuditSourceIdentification of an AuditSourceID only. */
        public Builder auditSource(String auditSourceId) {
            return auditSource(AuditSourceIdentification.of(auditSourceId));
        }

        /** Adds a study object (without instance UIDs). */
        public Builder study(Study s) {
            return object(s.toParticipantObject(false));
        }

        /** Adds a study object, with the instance UIDs if {@code withInstanceUids}. */
        public Builder study(Study s, boolean withInstanceUids) {
            return object(s.toParticipantObject(withInstanceUids));
        }

        /** Adds a patient object. */
        public Builder patient(Patient p) {
            return object(p.toParticipantObject());
        }

        /** Adds any participant object (checked against the message's rules by {@link #build()}). */
        public Builder object(ParticipantObjectIdentification o) {
            objects.add(Objects.requireNonNull(o, "participant object"));
            return this;
        }

        /** Adds the audit log object of an Audit Log Used message (A.5.3.2): the log's URI. */
        public Builder auditLog(String uri) {
            return object(ParticipantObjectIdentification.builder(uri, AuditCodes.ID_URI)
                    .typeCode(ParticipantObjectTypeCode.SYSTEM_OBJECT)
                    .role(ParticipantObjectTypeCodeRole.SECURITY_RESOURCE).name("Security Audit Log").build());
        }

        /**
         * Adds the query object of a DICOM Query (A.5.3.10): ID type (110181, DCM, "SOP Class UID"), the queried SOP
         * Class UID, the query data set (its bytes as sent, written base64) and the "TransferSyntax" detail.
         */
        public Builder query(String sopClassUid, byte[] dataset, String transferSyntaxUid) {
            ParticipantObjectIdentification.Builder b = ParticipantObjectIdentification
                    .builder(sopClassUid, AuditCodes.ID_SOP_CLASS_UID).typeCode(ParticipantObjectTypeCode.SYSTEM_OBJECT)
                    .role(ParticipantObjectTypeCodeRole.REPORT).query(Objects.requireNonNull(dataset, "query data set"));
            if (transferSyntaxUid != null) {
                b.detail(AuditCodes.DETAIL_TRANSFER_SYNTAX, transferSyntaxUid);
            }
            return object(b.build());
        }

        /** Adds the query object of a non-DICOM query: its ID type and ID, and the query in the protocol's format. */
        public Builder query(CodedValue idType, String id, byte[] query) {
            return object(ParticipantObjectIdentification.builder(id, idType)
                    .typeCode(ParticipantObjectTypeCode.SYSTEM_OBJECT).role(ParticipantObjectTypeCodeRole.REPORT)
                    .query(Objects.requireNonNull(query, "query")).build());
        }

        /**
         * Adds an alert subject of a Security Alert (A.5.3.11): type code 2, the given ID type (12 URI or
         * (110182, DCM, "Node ID")) and ID, role (5 or 13, or null) and the required "Alert Description" detail.
         */
        public Builder alertSubject(CodedValue idType, String id, ParticipantObjectTypeCodeRole role,
                String alertDescription) {
            ParticipantObjectIdentification.Builder b = ParticipantObjectIdentification.builder(id, idType)
                    .typeCode(ParticipantObjectTypeCode.SYSTEM_OBJECT).role(role);
            if (alertDescription != null) {
                b.detail(AuditCodes.DETAIL_ALERT_DESCRIPTION, alertDescription);
            }
            return object(b.build());
        }

        /** An alert subject that is a node: {@code node_name@domain_name} or an IP address. */
        public Builder alertSubjectNode(String nodeId, String alertDescription) {
            return alertSubject(AuditCodes.ID_NODE_ID, nodeId, ParticipantObjectTypeCodeRole.SECURITY_RESOURCE,
                    alertDescription);
        }

        /** An alert subject that is a file or other resource named by a URI. */
        public Builder alertSubjectUri(String uri, String alertDescription) {
            return alertSubject(AuditCodes.ID_URI, uri, ParticipantObjectTypeCodeRole.SECURITY_RESOURCE,
                    alertDescription);
        }

        /**
         * The message, checked against A.5.1 (schema), A.5.2 and the event's section of A.5.3.
         *
         * @throws IllegalArgumentException naming every rule the message would break
         */
        public AuditMessage build() {
            List<String> errors = new ArrayList<>();
            String sec = type.section();

            // Event
            EventActionCode act = action;
            if (act == null) {
                act = spec.defaultAction();
                if (act == null) {
                    errors.add("EventActionCode is M, one of " + codes(spec.actions()) + " (" + sec + ")");
                }
            } else if (!spec.actions().contains(act)) {
                errors.add("EventActionCode shall be " + codes(spec.actions()) + ", not " + act.code() + " (" + sec
                        + ")");
            }
            if (outcome == null) {
                errors.add("EventOutcomeIndicator is M (A.5.2)");
            }
            checkEventTypes(errors);
            if (auditSource == null) {
                errors.add("AuditSourceIdentification with an AuditSourceID is M (A.5.2)");
            }

            // Participants
            List<ActiveParticipant> all = new ArrayList<>();
            Map<ParticipantSlot, Integer> counts = new EnumMap<>(ParticipantSlot.class);
            for (Placed p : participants) {
                all.add(p.participant());
                if (p.slot() == null) {
                    errors.add("every participant of " + type + " needs a Role ID code: one of "
                            + roles(spec.slots().keySet()) + " (" + sec + ")");
                    continue;
                }
                if (!spec.slots().containsKey(p.slot())) {
                    errors.add(type + " has no participant of the kind " + p.slot() + "; its kinds: "
                            + spec.slots().keySet() + " (" + sec + ")");
                    continue;
                }
                counts.merge(p.slot(), 1, Integer::sum);
                checkParticipant(p, errors);
            }
            spec.slots().forEach((slot, count) -> {
                int n = counts.getOrDefault(slot, 0);
                if (!count.allows(n)) {
                    errors.add(type + " needs " + count + " " + describe(slot) + ", not " + n + " (" + sec + ")");
                }
            });
            long requestors = all.stream().filter(ActiveParticipant::userIsRequestor).count();
            if (requestors > 1) {
                errors.add("at most one ActiveParticipant has UserIsRequestor true, not " + requestors + " (A.5.2)");
            } else if (spec.exactlyOneRequestor() && requestors != 1) {
                errors.add("exactly one ActiveParticipant (local or remote) shall be the requestor (UserIsRequestor "
                        + "true), not " + requestors + " (" + (type == AuditEventType.DataExport ? "A.5.3.4.1" : sec)
                        + ")");
            }

            // Participant objects
            List<ParticipantObjectIdentification> objs = objects.stream().distinct().toList();
            checkObjects(objs, errors);

            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(type + " audit message does not conform to PS3.15: "
                        + String.join("; ", errors));
            }
            OffsetDateTime time = dateTime != null ? dateTime
                    : OffsetDateTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.MILLIS);
            EventIdentification event = new EventIdentification(type.eventId(), act, time, outcome, eventTypeCodes,
                    outcomeDescription);
            return new AuditMessage(event, all, auditSource, objs);
        }

        private void checkEventTypes(List<String> errors) {
            String sec = type.section();
            switch (type) {
                case ApplicationActivity -> exactlyOneOf(errors, sec, AuditCodes.TYPE_APPLICATION_START,
                        AuditCodes.TYPE_APPLICATION_STOP);
                case NetworkEntry -> exactlyOneOf(errors, sec, AuditCodes.TYPE_ATTACH, AuditCodes.TYPE_DETACH);
                case UserAuthentication -> {
                    if (eventTypeCodes.isEmpty()) {
                        errors.add("EventTypeCode is M: " + AuditCodes.TYPE_LOGIN + " or " + AuditCodes.TYPE_LOGOUT
                                + " (" + sec + ")");
                    } else if (has(AuditCodes.TYPE_LOGIN) && has(AuditCodes.TYPE_LOGOUT)) {
                        errors.add("EventTypeCode is Login or Logout, not both (" + sec + ")");
                    }
                }
                case SecurityAlert -> {
                    if (eventTypeCodes.isEmpty()) {
                        errors.add("EventTypeCode is M, from DCID 403 \"Security Alert Type Code\" (" + sec + ")");
                    }
                }
                default -> {
                }
            }
        }

        private void exactlyOneOf(List<String> errors, String sec, CodedValue a, CodedValue b) {
            if (has(a) == has(b)) {
                errors.add("EventTypeCode is M: exactly one of " + a + " and " + b + " (" + sec + ")");
            }
        }

        private boolean has(CodedValue c) {
            return eventTypeCodes.stream().anyMatch(c::sameCode);
        }

        private void checkParticipant(Placed placed, List<String> errors) {
            ActiveParticipant p = placed.participant();
            String sec = type.section();
            switch (placed.slot()) {
                case DESTINATION_MEDIA, SOURCE_MEDIA -> {
                    if (p.userIsRequestor()) {
                        errors.add("the media participant's UserIsRequestor shall be FALSE (" + sec + ")");
                    }
                    if (p.mediaType() == null) {
                        errors.add("the media participant needs a MediaIdentifier with a MediaType from DCID 405 "
                                + "\"Media Type Code\" (" + sec + ")");
                    }
                }
                case PERFORMER -> {
                    if (p.userIsRequestor()) {
                        errors.add("a performing person or process has UserIsRequestor FALSE (" + sec + ")");
                    }
                }
                case NODE -> {
                    if (type == AuditEventType.NetworkEntry && p.userIsRequestor()) {
                        errors.add("the node entering or leaving the network has UserIsRequestor FALSE (" + sec
                                + ")");
                    }
                }
                case USER -> {
                    if (type == AuditEventType.UserAuthentication && p.networkAccessPointType() == null) {
                        errors.add("the person authenticated needs NetworkAccessPointTypeCode and "
                                + "NetworkAccessPointID (both M, " + sec + ")");
                    }
                }
                default -> {
                }
            }
        }

        private void checkObjects(List<ParticipantObjectIdentification> objs, List<String> errors) {
            String sec = type.section();
            int studies = 0;
            int patients = 0;
            int queries = 0;
            int logs = 0;
            for (ParticipantObjectIdentification o : objs) {
                if (o.isStudy()) {
                    studies++;
                    if (spec.studies().max() != 0) {
                        checkStudy(o, errors, sec);
                    }
                } else if (o.isPatient() || o.hasIdType(AuditCodes.ID_PATIENT_NUMBER)) {
                    patients++;
                    if (!o.isPatient() || !o.idTypeCode().equals(AuditCodes.ID_PATIENT_NUMBER)) {
                        errors.add("a patient object has ParticipantObjectTypeCode 1, ParticipantObjectTypeCodeRole 1 "
                                + "and ParticipantObjectIDTypeCode " + AuditCodes.ID_PATIENT_NUMBER + " (" + sec + ")");
                    }
                } else if (type == AuditEventType.Query) {
                    queries++;
                    checkQuery(o, errors, sec);
                } else if (type == AuditEventType.AuditLogUsed) {
                    logs++;
                    if (!o.hasIdType(AuditCodes.ID_URI) || o.typeCode() != ParticipantObjectTypeCode.SYSTEM_OBJECT
                            || o.typeCodeRole() != ParticipantObjectTypeCodeRole.SECURITY_RESOURCE) {
                        errors.add("the audit log object has ParticipantObjectTypeCode 2, "
                                + "ParticipantObjectTypeCodeRole 13 and ParticipantObjectIDTypeCode " + AuditCodes.ID_URI
                                + " (" + sec + ")");
                    }
                } else if (type == AuditEventType.SecurityAlert) {
                    checkAlertSubject(o, errors, sec);
                } else {
                    errors.add(type + " has no participant object of ID type " + o.idTypeCode() + " (" + sec + ")");
                }
            }
            count(errors, sec, "study objects", spec.studies(), studies);
            if (patients > 1 && spec.patients().max() == 1) {
                errors.add(type + " may only include information about a single patient, not " + patients
                        + " patient objects (" + sec + ")");
            } else {
                count(errors, sec, "patient objects", spec.patients(), patients);
            }
            if (type == AuditEventType.Query) {
                count(errors, sec, "query objects (the SOP Class queried and the query)", Count.ONE, queries);
            }
            if (type == AuditEventType.AuditLogUsed) {
                count(errors, sec, "audit log objects", Count.ONE, logs);
            }
        }

        private void count(List<String> errors, String sec, String what, Count c, int n) {
            if (!c.allows(n)) {
                errors.add(type + " needs " + c + " " + what + ", not " + n + " (" + sec + ")");
            }
        }

        private static void checkStudy(ParticipantObjectIdentification o, List<String> errors, String sec) {
            if (o.typeCode() != ParticipantObjectTypeCode.SYSTEM_OBJECT
                    || o.typeCodeRole() != ParticipantObjectTypeCodeRole.REPORT) {
                errors.add("a study object has ParticipantObjectTypeCode 2 and ParticipantObjectTypeCodeRole 3 (" + sec
                        + ")");
            }
            for (ParticipantObjectDescription d : o.descriptions()) {
                if (d.sopClasses().isEmpty() && d.hasStudyContentDescription()) {
                    errors.add("SOPClass is MC: required in a study object's ParticipantObjectDescription that has "
                            + "Accession, MPPS, Encrypted or Anonymized (A.5.2)");
                }
            }
        }

        private static void checkQuery(ParticipantObjectIdentification o, List<String> errors, String sec) {
            if (o.typeCode() != ParticipantObjectTypeCode.SYSTEM_OBJECT
                    || o.typeCodeRole() != ParticipantObjectTypeCodeRole.REPORT) {
                errors.add("the query object has ParticipantObjectTypeCode 2 and ParticipantObjectTypeCodeRole 3 ("
                        + sec + ")");
            }
            if (o.query() == null) {
                errors.add("ParticipantObjectQuery is M in the query object (" + sec + ")");
            }
            if (o.hasIdType(AuditCodes.ID_SOP_CLASS_UID)) {
                ParticipantObjectDetail ts = o.detail(AuditCodes.DETAIL_TRANSFER_SYNTAX);
                if (ts == null) {
                    errors.add("ParticipantObjectDetail \"TransferSyntax\" with the UID of the query's transfer syntax "
                            + "is MC: required for ID type " + AuditCodes.ID_SOP_CLASS_UID + " (" + sec + ")");
                } else if (!ts.text().matches("[0-2](\\.(0|[1-9][0-9]*))+")) {
                    errors.add("the \"TransferSyntax\" detail shall hold a DICOM Transfer Syntax UID (" + sec + ")");
                }
            }
        }

        private static void checkAlertSubject(ParticipantObjectIdentification o, List<String> errors, String sec) {
            if (o.typeCode() != ParticipantObjectTypeCode.SYSTEM_OBJECT) {
                errors.add("an alert subject has ParticipantObjectTypeCode 2 (" + sec + ")");
            }
            ParticipantObjectDetail d = o.detail(AuditCodes.DETAIL_ALERT_DESCRIPTION);
            if (d == null || d.text().isBlank()) {
                errors.add("an alert subject needs a ParticipantObjectDetail of type \"Alert Description\" with a free "
                        + "text description of the alert (M, " + sec + ")");
            }
        }

        private static String codes(Set<EventActionCode> actions) {
            return String.join("/", actions.stream().map(EventActionCode::code).toList());
        }

        private static String roles(Set<ParticipantSlot> slots) {
            return String.join(", ", slots.stream().filter(s -> s.role() != null).map(s -> s.role().toString())
                    .toList());
        }

        private static String describe(ParticipantSlot slot) {
            return slot.role() == null ? slot + " participant(s)" : slot + " participant(s) " + slot.role();
        }
    }
}
