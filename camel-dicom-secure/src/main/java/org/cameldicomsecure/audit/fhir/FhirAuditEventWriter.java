package org.cameldicomsecure.audit.fhir;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.cameldicomsecure.audit.ActiveParticipant;
import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditSourceIdentification;
import org.cameldicomsecure.audit.CodedValue;
import org.cameldicomsecure.audit.EventIdentification;
import org.cameldicomsecure.audit.ParticipantObjectDescription;
import org.cameldicomsecure.audit.ParticipantObjectDetail;
import org.cameldicomsecure.audit.ParticipantObjectIdentification;
import org.cameldicomsecure.audit.SopClass;

/**
 * Writes a DICOM audit message (PS3.15 A.5) as a FHIR R4 (4.0.1) {@code AuditEvent} resource in JSON: the
 * {@link AuditFormat#FHIR_AUDITEVENT_JSON} format. One message is one JSON object on one line (no line break inside,
 * none at the end), UTF-8, escaped per RFC 8259 (see {@link JsonWriter}).
 *
 * <p>The mapping is the "DICOM" mapping of the R4 AuditEvent resource (its {@code http://nema.org/dicom} mapping
 * column), which IHE Basic Audit Log Patterns (BALP) names as the mapping of the ATNA / DICOM audit messages to FHIR,
 * with BALP's conventions for codes (DICOM codes in {@code http://dicom.nema.org/resources/ontology/DCM}, e.g.
 * {@code agent.type} 110153 "Source Role ID"; {@code source.type} from {@code security-source-type}):
 * <table>
 * <caption>DICOM audit message to FHIR R4 AuditEvent</caption>
 * <tr><th>DICOM (A.5.1)</th><th>AuditEvent</th></tr>
 * <tr><td>EventID</td><td>{@code type} (Coding, required)</td></tr>
 * <tr><td>EventTypeCode</td><td>{@code subtype[]}</td></tr>
 * <tr><td>EventActionCode</td><td>{@code action}: the code C/R/U/D/E of {@code http://hl7.org/fhir/audit-event-action}
 * (R4 types it {@code code}, so the system is implied by the required binding and not written)</td></tr>
 * <tr><td>EventDateTime</td><td>{@code recorded} (instant, required), with the message's own UTC offset; BALP records
 * the event's time there. ({@code period} is left out: DICOM gives a moment, not a span.)</td></tr>
 * <tr><td>EventOutcomeIndicator</td><td>{@code outcome}: 0, 4, 8 or 12 of
 * {@code http://hl7.org/fhir/audit-event-outcome} (a {@code code} in R4)</td></tr>
 * <tr><td>EventOutcomeDescription</td><td>{@code outcomeDesc}</td></tr>
 * <tr><td>ActiveParticipant</td><td>{@code agent[]} (at least one, as the model guarantees)</td></tr>
 * <tr><td>UserID</td><td>{@code agent.who.identifier.value}</td></tr>
 * <tr><td>AlternativeUserID</td><td>{@code agent.altId}</td></tr>
 * <tr><td>UserName</td><td>{@code agent.name}</td></tr>
 * <tr><td>UserIsRequestor</td><td>{@code agent.requestor} (always written: required in R4)</td></tr>
 * <tr><td>RoleIDCode</td><td>the first RoleIDCode of the DCM scheme (CID 402) becomes {@code agent.type}, as in BALP;
 * every other RoleIDCode (further DCM codes, local access-control roles) becomes an {@code agent.role[]}
 * entry</td></tr>
 * <tr><td>MediaIdentifier/MediaType</td><td>{@code agent.media} (Coding, DCM, CID 405)</td></tr>
 * <tr><td>NetworkAccessPointID / TypeCode</td><td>{@code agent.network.address} / {@code agent.network.type} (1–5 of
 * {@code http://hl7.org/fhir/network-type}, a {@code code} in R4)</td></tr>
 * <tr><td>AuditSourceID</td><td>{@code source.observer.identifier.value} (observer is required in R4)</td></tr>
 * <tr><td>AuditEnterpriseSiteID</td><td>{@code source.site}</td></tr>
 * <tr><td>AuditSourceTypeCode</td><td>{@code source.type[]}: codes 1–9 (bare, or of scheme RFC-3881) in
 * {@code http://terminology.hl7.org/CodeSystem/security-source-type} with FHIR's display; other codes as
 * below</td></tr>
 * <tr><td>ParticipantObjectIdentification</td><td>{@code entity[]}</td></tr>
 * <tr><td>ParticipantObjectID and IDTypeCode</td><td>{@code entity.what.identifier.value} and
 * {@code entity.what.identifier.type} (a CodeableConcept of the ID type code)</td></tr>
 * <tr><td>ParticipantObjectTypeCode</td><td>{@code entity.type}, 1–4 of
 * {@code http://terminology.hl7.org/CodeSystem/audit-entity-type}</td></tr>
 * <tr><td>ParticipantObjectTypeCodeRole</td><td>{@code entity.role}, 1–26 of
 * {@code http://terminology.hl7.org/CodeSystem/object-role} (FHIR's display for 1–24, the codes R4 lists; 25 and 26
 * were added to that code system later and are written without display)</td></tr>
 * <tr><td>ParticipantObjectDataLifeCycle</td><td>{@code entity.lifecycle}, 1–15 of
 * {@code http://terminology.hl7.org/CodeSystem/dicom-audit-lifecycle}</td></tr>
 * <tr><td>ParticipantObjectSensitivity</td><td>{@code entity.securityLabel[0]}: the local term as the Coding's code
 * (no system: A.5.2 defines it as a local term), or as its display if it is not a valid FHIR code</td></tr>
 * <tr><td>ParticipantObjectName</td><td>{@code entity.name}</td></tr>
 * <tr><td>ParticipantObjectQuery</td><td>{@code entity.query} (base64Binary)</td></tr>
 * <tr><td>ParticipantObjectDetail</td><td>{@code entity.detail[]}: {@code type}, and {@code valueString} when the
 * value bytes are well-formed UTF-8 text without control characters other than TAB, CR and LF (R4: "string when known
 * to be a string"; its UTF-8 encoding gives back the very bytes), else {@code valueBase64Binary}</td></tr>
 * <tr><td>ParticipantObjectDescription</td><td>the R4 core extensions that FHIR defines on {@code AuditEvent.entity}
 * for exactly this DICOM content ({@code http://hl7.org/fhir/StructureDefinition/auditevent-*}): {@code MPPS}
 * (Identifier), {@code Accession} (Identifier typed v2-0203 ACSN), {@code SOPClass} (Reference by identifier),
 * {@code NumberOfInstances} (integer), {@code Instance} (Identifier), {@code Encrypted} and {@code Anonymized}
 * (boolean), {@code ParticipantObjectContainsStudy} (Identifier). UIDs are Identifiers with system
 * {@code urn:dicom:uid} and value {@code urn:oid:<uid>}, as FHIR's ImagingStudy writes DICOM UIDs. See the losses
 * below.</td></tr>
 * </table>
 *
 * <p>Coded values (CodedValue) become Codings: {@code code} = csd-code, {@code display} = originalText (the DICOM code
 * meaning; the optional displayName is not written), {@code system} from the coding scheme designator: "DCM" →
 * {@code http://dicom.nema.org/resources/ontology/DCM}; the FHIR URIs that PS3.16 Table 8-1 gives for "LN", "SCT",
 * "UCUM", "RADLEX", "RXNORM"; an OID → {@code urn:oid:<oid>}; a designator that already is a URI (has a colon) → as
 * it is; "RFC-3881" → {@code urn:ietf:rfc:3881} (PS3.16 registers this designator without UID or FHIR URI, and FHIR R4
 * has no code system for RFC 3881's ParticipantObjectIDTypeCodes, so the URN of the defining RFC names the system);
 * any other designator → no system (the code and display are kept).
 *
 * <p>What the FHIR form cannot carry, and what happens instead (the DICOM XML format stays the lossless one):
 * <ul>
 * <li>R4's NumberOfInstances extension is per entity (0..1), not per SOP class: it carries the sum over all SOPClass
 * elements, so with several SOP classes the per-class counts are lost (the class UIDs are kept). A SOPClass without
 * UID counts but has no SOPClass extension. If the sum does not fit a FHIR integer it is left out.</li>
 * <li>Encrypted and Anonymized are 0..1: written when every description that states them agrees, left out on a
 * conflict (A.5.2 asks for two messages in that case anyway).</li>
 * <li>ParticipantObjectContainsStudy is 0..1: the first StudyIDs UID goes there, any further one into an
 * {@code entity.detail} of type "ParticipantObjectContainsStudy" with the UID as {@code valueString}.</li>
 * <li>FHIR forbids empty strings: an empty optional text (AlternativeUserID, UserName, site, name, outcome
 * description) is left out; an empty ParticipantObjectDetail value or ParticipantObjectQuery, which must be there,
 * is written as the primitive's {@code _value} extension {@code data-absent-reason} = {@code unsupported}.</li>
 * <li>Text is never altered: a control character in a name stays (escaped), even though FHIR strings should not
 * contain them.</li>
 * </ul>
 *
 * <p>The resource carries no {@code id}, {@code meta}, narrative or profile claim: a repository assigns the id, and
 * none of BALP's profiles (which are for FHIR RESTful events) fits the DICOM events as a whole. Instances are
 * stateless and thread-safe.
 */
public final class FhirAuditEventWriter {

    /** The FHIR system of the DICOM coding scheme "DCM" (PS3.16 Table 8-1). */
    public static final String DCM_SYSTEM = "http://dicom.nema.org/resources/ontology/DCM";
    /** The system written for the coding scheme "RFC-3881" (see the class comment). */
    public static final String RFC_3881_SYSTEM = "urn:ietf:rfc:3881";
    /** AuditEvent.source.type's code system (codes 1–9). */
    public static final String SOURCE_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/security-source-type";
    /** AuditEvent.entity.type's code system (codes 1–4). */
    public static final String ENTITY_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    /** AuditEvent.entity.role's code system (codes 1–26). */
    public static final String OBJECT_ROLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/object-role";
    /** AuditEvent.entity.lifecycle's code system for the DICOM life cycle (codes 1–15). */
    public static final String LIFECYCLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/dicom-audit-lifecycle";
    /** The prefix of the R4 core AuditEvent extensions for the DICOM ParticipantObjectDescription. */
    public static final String EXTENSION_PREFIX = "http://hl7.org/fhir/StructureDefinition/auditevent-";
    /** The identifier system of DICOM UIDs (values {@code urn:oid:<uid>}). */
    public static final String DICOM_UID_SYSTEM = "urn:dicom:uid";

    private static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";
    private static final String DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    private static final String CONTAINS_STUDY = "ParticipantObjectContainsStudy";

    /** FHIR R4 instant: seconds always, the fraction as far as it goes, {@code Z} or {@code ±hh:mm}. */
    private static final DateTimeFormatter INSTANT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendOffset("+HH:MM", "Z")
            .toFormatter(Locale.ROOT);

    /** The FHIR R4 {@code code} datatype. */
    private static final Pattern FHIR_CODE = Pattern.compile("[^\\s]+( [^\\s]+)*");
    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");

    /** PS3.16 Table 8-1's FHIR column, for the designators a DICOM audit message may plausibly carry. */
    private static final Map<String, String> SYSTEMS = Map.of(
            "DCM", DCM_SYSTEM,
            "LN", "http://loinc.org",
            "SCT", "http://snomed.info/sct",
            "UCUM", "http://unitsofmeasure.org",
            "RADLEX", "http://www.radlex.org",
            "RXNORM", "http://www.nlm.nih.gov/research/umls/rxnorm",
            "RFC-3881", RFC_3881_SYSTEM);

    /** Displays of security-source-type 1–9 (FHIR R4). */
    private static final String[] SOURCE_TYPES = {null, "User Device", "Data Interface", "Web Server",
        "Application Server", "Database Server", "Security Server", "Network Device", "Network Router", "Other"};
    /** Displays of audit-entity-type 1–4 (FHIR R4). */
    private static final String[] ENTITY_TYPES = {null, "Person", "System Object", "Organization", "Other"};
    /** Displays of object-role 1–24 (FHIR R4). */
    private static final String[] OBJECT_ROLES = {null, "Patient", "Location", "Report", "Domain Resource",
        "Master file", "User", "List", "Doctor", "Subscriber", "Guarantor", "Security User Entity",
        "Security User Group", "Security Resource", "Security Granularity Definition", "Practitioner",
        "Data Destination", "Data Repository", "Schedule", "Customer", "Job", "Job Stream", "Table",
        "Routing Criteria", "Query"};
    /** Displays of dicom-audit-lifecycle 1–15 (FHIR R4). */
    private static final String[] LIFECYCLES = {null, "Origination / Creation", "Import / Copy", "Amendment",
        "Verification", "Translation", "Access / Use", "De-identification", "Aggregation / summarization / derivation",
        "Report", "Export", "Disclosure", "Receipt of disclosure", "Archiving", "Logical deletion",
        "Permanent erasure / Physical destruction"};

    /** The format this writer produces. */
    public AuditFormat format() {
        return AuditFormat.FHIR_AUDITEVENT_JSON;
    }

    /** The AuditEvent JSON of {@code message}, UTF-8, one line without line end. */
    public byte[] write(AuditMessage message) {
        return toJson(message).getBytes(StandardCharsets.UTF_8);
    }

    /** The AuditEvent JSON of {@code message}, one line without line end. */
    public String toJson(AuditMessage message) {
        Objects.requireNonNull(message, "audit message");
        StringBuilder sb = new StringBuilder(1024);
        JsonWriter w = new JsonWriter(sb);
        w.beginObject().member("resourceType", "AuditEvent");
        event(w, message.event());
        w.name("agent").beginArray();
        for (ActiveParticipant p : message.participants()) {
            agent(w, p);
        }
        w.endArray();
        source(w, message.source());
        if (!message.objects().isEmpty()) {
            w.name("entity").beginArray();
            for (ParticipantObjectIdentification o : message.objects()) {
                entity(w, o);
            }
            w.endArray();
        }
        w.endObject();
        if (!w.isComplete()) {
            throw new IllegalStateException("AuditEvent JSON incomplete");
        }
        return sb.toString();
    }

    /** The FHIR system of a DICOM coding scheme designator, or null when there is none (see the class comment). */
    public static String systemOf(String codingSchemeDesignator) {
        if (codingSchemeDesignator == null || codingSchemeDesignator.isBlank()) {
            return null;
        }
        String known = SYSTEMS.get(codingSchemeDesignator);
        if (known != null) {
            return known;
        }
        if (OID.matcher(codingSchemeDesignator).matches()) {
            return "urn:oid:" + codingSchemeDesignator;
        }
        if (codingSchemeDesignator.indexOf(':') > 0
                && codingSchemeDesignator.chars().noneMatch(Character::isWhitespace)) {
            return codingSchemeDesignator;
        }
        return null;
    }

    /** An EventDateTime as a FHIR instant. */
    static String instant(OffsetDateTime t) {
        return INSTANT.format(t);
    }

    private static void event(JsonWriter w, EventIdentification e) {
        w.name("type");
        coding(w, e.eventId());
        if (!e.eventTypeCodes().isEmpty()) {
            w.name("subtype").beginArray();
            for (CodedValue c : e.eventTypeCodes()) {
                coding(w, c);
            }
            w.endArray();
        }
        if (e.actionCode() != null) {
            w.member("action", e.actionCode().code());
        }
        w.member("recorded", instant(e.dateTime()));
        w.member("outcome", Integer.toString(e.outcome().code()));
        w.optional("outcomeDesc", e.outcomeDescription());
    }

    private static void agent(JsonWriter w, ActiveParticipant p) {
        w.beginObject();
        CodedValue type = null;
        List<CodedValue> roles = new ArrayList<>();
        for (CodedValue r : p.roleIdCodes()) {
            if (type == null && "DCM".equals(r.codeSystemName())) {
                type = r;
            } else {
                roles.add(r);
            }
        }
        if (type != null) {
            w.name("type");
            codeableConcept(w, type);
        }
        if (!roles.isEmpty()) {
            w.name("role").beginArray();
            for (CodedValue r : roles) {
                codeableConcept(w, r);
            }
            w.endArray();
        }
        w.name("who").beginObject().name("identifier").beginObject().member("value", p.userId()).endObject()
                .endObject();
        w.optional("altId", p.alternativeUserId());
        w.optional("name", p.userName());
        w.name("requestor").value(p.userIsRequestor());
        if (p.mediaType() != null) {
            w.name("media");
            coding(w, p.mediaType());
        }
        if (p.networkAccessPointType() != null) {
            w.name("network").beginObject().member("address", p.networkAccessPointId())
                    .member("type", Integer.toString(p.networkAccessPointType().code())).endObject();
        }
        w.endObject();
    }

    private static void source(JsonWriter w, AuditSourceIdentification s) {
        w.name("source").beginObject();
        w.optional("site", s.auditEnterpriseSiteId());
        w.name("observer").beginObject().name("identifier").beginObject().member("value", s.auditSourceId())
                .endObject().endObject();
        if (!s.typeCodes().isEmpty()) {
            w.name("type").beginArray();
            for (CodedValue c : s.typeCodes()) {
                int n = smallCode(c.code());
                if (n >= 1 && n <= 9 && (c.isBare() || "RFC-3881".equals(c.codeSystemName()))) {
                    fhirCoding(w, SOURCE_TYPE_SYSTEM, c.code(), SOURCE_TYPES[n]);
                } else {
                    coding(w, c);
                }
            }
            w.endArray();
        }
        w.endObject();
    }

    private static void entity(JsonWriter w, ParticipantObjectIdentification o) {
        w.beginObject();
        List<String> extraStudies = descriptionExtensions(w, o.descriptions());
        w.name("what").beginObject().name("identifier").beginObject();
        w.name("type");
        codeableConcept(w, o.idTypeCode());
        w.member("value", o.objectId());
        w.endObject().endObject();
        if (o.typeCode() != null) {
            int n = o.typeCode().code();
            w.name("type");
            fhirCoding(w, ENTITY_TYPE_SYSTEM, Integer.toString(n), ENTITY_TYPES[n]);
        }
        if (o.typeCodeRole() != null) {
            int n = o.typeCodeRole().code();
            w.name("role");
            fhirCoding(w, OBJECT_ROLE_SYSTEM, Integer.toString(n), n < OBJECT_ROLES.length ? OBJECT_ROLES[n] : null);
        }
        if (o.dataLifeCycle() != null) {
            int n = o.dataLifeCycle().code();
            w.name("lifecycle");
            fhirCoding(w, LIFECYCLE_SYSTEM, Integer.toString(n), LIFECYCLES[n]);
        }
        if (o.sensitivity() != null) {
            w.name("securityLabel").beginArray().beginObject();
            if (FHIR_CODE.matcher(o.sensitivity()).matches()) {
                w.member("code", o.sensitivity());
            } else {
                w.member("display", o.sensitivity());
            }
            w.endObject().endArray();
        }
        w.optional("name", o.name());
        byte[] query = o.query();
        if (query != null) {
            base64(w, "query", query);
        }
        if (!o.details().isEmpty() || !extraStudies.isEmpty()) {
            w.name("detail").beginArray();
            for (ParticipantObjectDetail d : o.details()) {
                w.beginObject().member("type", d.type());
                byte[] v = d.value();
                String text = textOf(v);
                if (text != null) {
                    w.member("valueString", text);
                } else {
                    base64(w, "valueBase64Binary", v);
                }
                w.endObject();
            }
            for (String uid : extraStudies) {
                w.beginObject().member("type", CONTAINS_STUDY).member("valueString", uid).endObject();
            }
            w.endArray();
        }
        w.endObject();
    }

    /**
     * Writes the {@code extension} array of an entity from its ParticipantObjectDescriptions; returns the StudyIDs
     * UIDs beyond the first, for which the 0..1 extension has no room.
     */
    private static List<String> descriptionExtensions(JsonWriter w, List<ParticipantObjectDescription> descriptions) {
        List<String> mpps = new ArrayList<>();
        List<String> accessions = new ArrayList<>();
        List<String> sopClassUids = new ArrayList<>();
        List<String> instances = new ArrayList<>();
        List<String> studies = new ArrayList<>();
        long numberOfInstances = 0;
        boolean anySopClass = false;
        Boolean encrypted = null;
        Boolean anonymized = null;
        boolean encryptedConflict = false;
        boolean anonymizedConflict = false;
        for (ParticipantObjectDescription d : descriptions) {
            mpps.addAll(d.mppsUids());
            accessions.addAll(d.accessionNumbers());
            for (SopClass s : d.sopClasses()) {
                anySopClass = true;
                numberOfInstances += s.numberOfInstances();
                if (s.uid() != null) {
                    sopClassUids.add(s.uid());
                }
                instances.addAll(s.instanceUids());
            }
            if (d.containsStudyUids() != null) {
                studies.addAll(d.containsStudyUids());
            }
            if (d.encrypted() != null) {
                encryptedConflict |= encrypted != null && !encrypted.equals(d.encrypted());
                encrypted = d.encrypted();
            }
            if (d.anonymized() != null) {
                anonymizedConflict |= anonymized != null && !anonymized.equals(d.anonymized());
                anonymized = d.anonymized();
            }
        }
        boolean count = anySopClass && numberOfInstances <= Integer.MAX_VALUE;
        boolean writeEncrypted = encrypted != null && !encryptedConflict;
        boolean writeAnonymized = anonymized != null && !anonymizedConflict;
        if (mpps.isEmpty() && accessions.isEmpty() && sopClassUids.isEmpty() && !count && instances.isEmpty()
                && studies.isEmpty() && !writeEncrypted && !writeAnonymized) {
            return List.of();
        }
        w.name("extension").beginArray();
        for (String uid : mpps) {
            extensionStart(w, "MPPS").name("valueIdentifier");
            uidIdentifier(w, uid);
            w.endObject();
        }
        for (String accession : accessions) {
            extensionStart(w, "Accession").name("valueIdentifier").beginObject().name("type").beginObject()
                    .name("coding").beginArray();
            fhirCoding(w, V2_0203, "ACSN", "Accession ID");
            w.endArray().endObject().member("value", accession).endObject();
            w.endObject();
        }
        for (String uid : sopClassUids) {
            extensionStart(w, "SOPClass").name("valueReference").beginObject().name("identifier");
            uidIdentifier(w, uid);
            w.endObject().endObject();
        }
        if (count) {
            extensionStart(w, "NumberOfInstances").name("valueInteger").value(numberOfInstances);
            w.endObject();
        }
        for (String uid : instances) {
            extensionStart(w, "Instance").name("valueIdentifier");
            uidIdentifier(w, uid);
            w.endObject();
        }
        if (writeEncrypted) {
            extensionStart(w, "Encrypted").name("valueBoolean").value(encrypted.booleanValue());
            w.endObject();
        }
        if (writeAnonymized) {
            extensionStart(w, "Anonymized").name("valueBoolean").value(anonymized.booleanValue());
            w.endObject();
        }
        if (!studies.isEmpty()) {
            extensionStart(w, CONTAINS_STUDY).name("valueIdentifier");
            uidIdentifier(w, studies.get(0));
            w.endObject();
        }
        w.endArray();
        return studies.size() > 1 ? studies.subList(1, studies.size()) : List.of();
    }

    private static JsonWriter extensionStart(JsonWriter w, String name) {
        return w.beginObject().member("url", EXTENSION_PREFIX + name);
    }

    private static void uidIdentifier(JsonWriter w, String uid) {
        w.beginObject().member("system", DICOM_UID_SYSTEM).member("value", "urn:oid:" + uid).endObject();
    }

    private static void codeableConcept(JsonWriter w, CodedValue c) {
        w.beginObject().name("coding").beginArray();
        coding(w, c);
        w.endArray().endObject();
    }

    private static void coding(JsonWriter w, CodedValue c) {
        fhirCoding(w, c.isBare() ? null : systemOf(c.codeSystemName()), c.code(), c.originalText());
    }

    private static void fhirCoding(JsonWriter w, String system, String code, String display) {
        w.beginObject();
        w.optional("system", system);
        w.member("code", code);
        w.optional("display", display);
        w.endObject();
    }

    /** A base64Binary member; an empty value, which FHIR cannot write, as a data-absent-reason on the primitive. */
    private static void base64(JsonWriter w, String name, byte[] value) {
        if (value.length > 0) {
            w.member(name, Base64.getEncoder().encodeToString(value));
        } else {
            w.name("_" + name).beginObject().name("extension").beginArray().beginObject()
                    .member("url", DATA_ABSENT_REASON).member("valueCode", "unsupported").endObject().endArray()
                    .endObject();
        }
    }

    /** The value as text when it is non-empty, well-formed UTF-8 without control characters but TAB, CR, LF. */
    static String textOf(byte[] value) {
        if (value.length == 0) {
            return null;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars;
        try {
            chars = decoder.decode(ByteBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) {
                return null;
            }
        }
        return chars.toString();
    }

    private static int smallCode(String code) {
        if (code.length() != 1 || code.charAt(0) < '0' || code.charAt(0) > '9') {
            return -1;
        }
        return code.charAt(0) - '0';
    }
}
