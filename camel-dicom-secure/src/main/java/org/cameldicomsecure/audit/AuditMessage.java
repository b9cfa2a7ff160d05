package org.cameldicomsecure.audit;

import java.util.List;
import java.util.Objects;

/**
 * An audit message of PS3.15 A.5 (RFC 3881 lineage): immutable. The constructor checks what the schema and A.5.2
 * require of every message (at least one ActiveParticipant, at most one requestor); {@link AuditMessages} builds the
 * messages of A.5.3 and checks their own rules. {@link AuditXml} writes it.
 *
 * @param event        the EventIdentification
 * @param participants the ActiveParticipants, at least one, at most one with UserIsRequestor true
 * @param source       the AuditSourceIdentification
 * @param objects      the ParticipantObjectIdentifications, possibly empty
 */
public record AuditMessage(EventIdentification event, List<ActiveParticipant> participants,
        AuditSourceIdentification source, List<ParticipantObjectIdentification> objects) {

    public AuditMessage {
        Objects.requireNonNull(event, "EventIdentification");
        Objects.requireNonNull(source, "AuditSourceIdentification");
        participants = participants == null ? List.of() : List.copyOf(participants);
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("an audit message has at least one ActiveParticipant (schema A.5.1.1)");
        }
        if (participants.stream().filter(ActiveParticipant::userIsRequestor).count() > 1) {
            throw new IllegalArgumentException("at most one ActiveParticipant has UserIsRequestor true (A.5.2.1)");
        }
        objects = objects == null ? List.of() : List.copyOf(objects);
    }

    /** The event type of this message's EventID, or null for an EventID that is not one of A.5.3. */
    public AuditEventType eventType() {
        return AuditEventType.forEventId(event.eventId());
    }

    /** The EventOutcomeIndicator (0, 4, 8 or 12). */
    public int outcome() {
        return event.outcome().code();
    }

    /** The patient objects (type code 1, role 1). */
    public List<ParticipantObjectIdentification> patients() {
        return objects.stream().filter(ParticipantObjectIdentification::isPatient).toList();
    }

    /** The study objects (ID type 110180). */
    public List<ParticipantObjectIdentification> studies() {
        return objects.stream().filter(ParticipantObjectIdentification::isStudy).toList();
    }

    @Override
    public String toString() {
        // never participant or object values: they may be patient data
        return "AuditMessage[" + event.eventId() + ", outcome " + event.outcome().code() + ", " + participants.size()
                + " participants, " + objects.size() + " objects]";
    }
}
