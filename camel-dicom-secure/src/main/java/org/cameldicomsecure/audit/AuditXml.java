package org.cameldicomsecure.audit;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * Writes an {@link AuditMessage} as the XML of PS3.15 A.5.1: root {@code AuditMessage} without namespace, children in
 * the schema's order, compact, UTF-8, without XML declaration, and always on <b>one line</b>: a CR, LF or TAB in a
 * value is written as a character reference ({@code &#13;}, {@code &#10;}, {@code &#9;}) and never raw, so sinks can
 * write one message per line; so are NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR (U+0085, U+2028, U+2029), which
 * some line readers also split at. Characters XML 1.0 cannot carry (other C0 controls, U+FFFE, U+FFFF, unpaired surrogates)
 * are written as U+FFFD. Thread safe; no state.
 */
public final class AuditXml {

    /** xsd:dateTime with milliseconds and always an offset ("Z" for UTC). */
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private AuditXml() {
    }

    /** The message as UTF-8 bytes, one line, no trailing newline. */
    public static byte[] toBytes(AuditMessage message) {
        return toXml(message).getBytes(StandardCharsets.UTF_8);
    }

    /** The message as a string, one line, no trailing newline. */
    public static String toXml(AuditMessage message) {
        StringBuilder b = new StringBuilder(1024);
        write(message, b);
        return b.toString();
    }

    /** The EventDateTime as written in the message (xsd:dateTime with time zone). */
    public static String formatDateTime(OffsetDateTime time) {
        return DATE_TIME.format(time);
    }

    private static void write(AuditMessage m, StringBuilder b) {
        b.append("<AuditMessage>");
        EventIdentification e = m.event();
        b.append("<EventIdentification");
        if (e.actionCode() != null) {
            attr(b, "EventActionCode", e.actionCode().code());
        }
        attr(b, "EventDateTime", formatDateTime(e.dateTime()));
        attr(b, "EventOutcomeIndicator", Integer.toString(e.outcome().code()));
        b.append('>');
        coded(b, "EventID", e.eventId());
        for (CodedValue c : e.eventTypeCodes()) {
            coded(b, "EventTypeCode", c);
        }
        if (e.outcomeDescription() != null) {
            b.append("<EventOutcomeDescription>");
            text(b, e.outcomeDescription());
            b.append("</EventOutcomeDescription>");
        }
        b.append("</EventIdentification>");

        for (ActiveParticipant p : m.participants()) {
            b.append("<ActiveParticipant");
            attr(b, "UserID", p.userId());
            optAttr(b, "AlternativeUserID", p.alternativeUserId());
            optAttr(b, "UserName", p.userName());
            attr(b, "UserIsRequestor", p.userIsRequestor() ? "true" : "false");
            if (p.networkAccessPointType() != null) {
                attr(b, "NetworkAccessPointID", p.networkAccessPointId());
                attr(b, "NetworkAccessPointTypeCode", Integer.toString(p.networkAccessPointType().code()));
            }
            if (p.roleIdCodes().isEmpty() && p.mediaType() == null) {
                b.append("/>");
                continue;
            }
            b.append('>');
            for (CodedValue c : p.roleIdCodes()) {
                coded(b, "RoleIDCode", c);
            }
            if (p.mediaType() != null) {
                b.append("<MediaIdentifier>");
                coded(b, "MediaType", p.mediaType());
                b.append("</MediaIdentifier>");
            }
            b.append("</ActiveParticipant>");
        }

        AuditSourceIdentification s = m.source();
        b.append("<AuditSourceIdentification");
        optAttr(b, "AuditEnterpriseSiteID", s.auditEnterpriseSiteId());
        attr(b, "AuditSourceID", s.auditSourceId());
        if (s.typeCodes().isEmpty()) {
            b.append("/>");
        } else {
            b.append('>');
            for (CodedValue c : s.typeCodes()) {
                coded(b, "AuditSourceTypeCode", c);
            }
            b.append("</AuditSourceIdentification>");
        }

        for (ParticipantObjectIdentification o : m.objects()) {
            object(b, o);
        }
        b.append("</AuditMessage>");
    }

    private static void object(StringBuilder b, ParticipantObjectIdentification o) {
        b.append("<ParticipantObjectIdentification");
        attr(b, "ParticipantObjectID", o.objectId());
        if (o.typeCode() != null) {
            attr(b, "ParticipantObjectTypeCode", Integer.toString(o.typeCode().code()));
        }
        if (o.typeCodeRole() != null) {
            attr(b, "ParticipantObjectTypeCodeRole", Integer.toString(o.typeCodeRole().code()));
        }
        if (o.dataLifeCycle() != null) {
            attr(b, "ParticipantObjectDataLifeCycle", Integer.toString(o.dataLifeCycle().code()));
        }
        optAttr(b, "ParticipantObjectSensitivity", o.sensitivity());
        b.append('>');
        coded(b, "ParticipantObjectIDTypeCode", o.idTypeCode());
        byte[] query = o.query();
        if (query != null) {
            b.append("<ParticipantObjectQuery>").append(Base64.getEncoder().encodeToString(query))
                    .append("</ParticipantObjectQuery>");
        } else if (o.name().isEmpty()) {
            b.append("<ParticipantObjectName/>");
        } else {
            b.append("<ParticipantObjectName>");
            text(b, o.name());
            b.append("</ParticipantObjectName>");
        }
        for (ParticipantObjectDetail d : o.details()) {
            b.append("<ParticipantObjectDetail");
            attr(b, "type", d.type());
            attr(b, "value", Base64.getEncoder().encodeToString(d.value()));
            b.append("/>");
        }
        for (ParticipantObjectDescription d : o.descriptions()) {
            description(b, d);
        }
        b.append("</ParticipantObjectIdentification>");
    }

    private static void description(StringBuilder b, ParticipantObjectDescription d) {
        b.append("<ParticipantObjectDescription>");
        uids(b, "MPPS", "UID", d.mppsUids());
        uids(b, "Accession", "Number", d.accessionNumbers());
        for (SopClass c : d.sopClasses()) {
            b.append("<SOPClass");
            optAttr(b, "UID", c.uid());
            attr(b, "NumberOfInstances", Integer.toString(c.numberOfInstances()));
            if (c.instanceUids().isEmpty()) {
                b.append("/>");
            } else {
                b.append('>');
                uids(b, "Instance", "UID", c.instanceUids());
                b.append("</SOPClass>");
            }
        }
        if (d.containsStudyUids() != null) {
            if (d.containsStudyUids().isEmpty()) {
                b.append("<ParticipantObjectContainsStudy/>");
            } else {
                b.append("<ParticipantObjectContainsStudy>");
                uids(b, "StudyIDs", "UID", d.containsStudyUids());
                b.append("</ParticipantObjectContainsStudy>");
            }
        }
        if (d.encrypted() != null) {
            b.append("<Encrypted>").append(d.encrypted() ? "true" : "false").append("</Encrypted>");
        }
        if (d.anonymized() != null) {
            b.append("<Anonymized>").append(d.anonymized() ? "true" : "false").append("</Anonymized>");
        }
        b.append("</ParticipantObjectDescription>");
    }

    private static void uids(StringBuilder b, String element, String attribute, List<String> values) {
        for (String v : values) {
            b.append('<').append(element);
            attr(b, attribute, v);
            b.append("/>");
        }
    }

    private static void coded(StringBuilder b, String element, CodedValue c) {
        b.append('<').append(element);
        attr(b, "csd-code", c.code());
        if (!c.isBare()) {
            attr(b, "codeSystemName", c.codeSystemName());
            optAttr(b, "displayName", c.displayName());
            attr(b, "originalText", c.originalText());
        }
        b.append("/>");
    }

    private static void optAttr(StringBuilder b, String name, String value) {
        if (value != null) {
            attr(b, name, value);
        }
    }

    private static void attr(StringBuilder b, String name, String value) {
        b.append(' ').append(name).append("=\"");
        escape(b, value, true);
        b.append('"');
    }

    private static void text(StringBuilder b, String value) {
        escape(b, value, false);
    }

    /** Escapes markup and line breaks; replaces characters XML 1.0 cannot carry with U+FFFD. */
    static void escape(StringBuilder b, String s, boolean attribute) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append(attribute ? "&quot;" : "\"");
                case '\r' -> b.append("&#13;");
                case '\n' -> b.append("&#10;");
                case '\t' -> b.append(attribute ? "&#9;" : "\t");
                case '\u0085' -> b.append("&#133;");
                case '\u2028' -> b.append("&#8232;");
                case '\u2029' -> b.append("&#8233;");
                default -> {
                    if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                        b.append('\uFFFD');
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            b.append(c).append(s.charAt(++i));
                        } else {
                            b.append('\uFFFD');
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }
}
