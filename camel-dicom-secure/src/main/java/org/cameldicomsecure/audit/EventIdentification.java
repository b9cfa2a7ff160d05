package org.cameldicomsecure.audit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * The EventIdentification of an audit message.
 *
 * @param eventId            the EventID (DCID 400), required
 * @param actionCode         the EventActionCode, or null when not given
 * @param dateTime           the EventDateTime: always with its time zone offset (A.5.2: it must include a time zone);
 *                           the offset must be a whole number of minutes within ±14:00 (xsd:dateTime)
 * @param outcome            the EventOutcomeIndicator, required
 * @param eventTypeCodes     the EventTypeCodes (DCID 401), possibly empty
 * @param outcomeDescription the EventOutcomeDescription, or null
 */
public record EventIdentification(CodedValue eventId, EventActionCode actionCode, OffsetDateTime dateTime,
        EventOutcome outcome, List<CodedValue> eventTypeCodes, String outcomeDescription) {

    public EventIdentification {
        CodedValue.requireFull(eventId, "EventID");
        Objects.requireNonNull(dateTime, "EventDateTime");
        Objects.requireNonNull(outcome, "EventOutcomeIndicator");
        ZoneOffset offset = dateTime.getOffset();
        if (offset.getTotalSeconds() % 60 != 0 || Math.abs(offset.getTotalSeconds()) > 14 * 3600) {
            throw new IllegalArgumentException("EventDateTime's time zone offset must be whole minutes within "
                    + "+-14:00 (xsd:dateTime), not " + offset);
        }
        if (dateTime.getYear() < 1 || dateTime.getYear() > 9999) {
            throw new IllegalArgumentException("EventDateTime's year must be 0001 to 9999, not " + dateTime.getYear());
        }
        eventTypeCodes = eventTypeCodes == null ? List.of() : List.copyOf(eventTypeCodes);
        for (CodedValue c : eventTypeCodes) {
            CodedValue.requireFull(c, "EventTypeCode");
        }
    }

    /** True when one of the EventTypeCodes has the code and scheme of {@code code}. */
    public boolean hasEventType(CodedValue code) {
        return eventTypeCodes.stream().anyMatch(code::sameCode);
    }
}
