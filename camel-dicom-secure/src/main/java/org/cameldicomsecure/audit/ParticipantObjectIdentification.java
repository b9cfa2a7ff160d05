package org.cameldicomsecure.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A ParticipantObjectIdentification of an audit message: a study, patient, query, audit log, or other object the
 * event acted on. The schema requires exactly one of {@code ParticipantObjectName} and
 * {@code ParticipantObjectQuery} although the tables of A.5.3 mark both optional: when neither is given the name is
 * the empty string, written as an empty {@code ParticipantObjectName} element (valid: an empty xsd:token).
 *
 * @param objectId      the ParticipantObjectID, required
 * @param idTypeCode    the ParticipantObjectIDTypeCode (DCID 404 or RFC-3881), required
 * @param typeCode      the ParticipantObjectTypeCode, or null
 * @param typeCodeRole  the ParticipantObjectTypeCodeRole, or null
 * @param dataLifeCycle the ParticipantObjectDataLifeCycle, or null
 * @param sensitivity   the ParticipantObjectSensitivity, or null
 * @param name          the ParticipantObjectName; not together with a query; empty when neither is given
 * @param query         the ParticipantObjectQuery bytes (written base64), or null
 * @param details       the ParticipantObjectDetails, possibly empty
 * @param descriptions  the ParticipantObjectDescriptions, possibly empty
 */
public record ParticipantObjectIdentification(String objectId, CodedValue idTypeCode, ParticipantObjectTypeCode typeCode,
        ParticipantObjectTypeCodeRole typeCodeRole, ParticipantObjectDataLifeCycle dataLifeCycle, String sensitivity,
        String name, byte[] query, List<ParticipantObjectDetail> details,
        List<ParticipantObjectDescription> descriptions) {

    public ParticipantObjectIdentification {
        CodedValue.requireText(objectId, "ParticipantObjectID");
        CodedValue.requireFull(idTypeCode, "ParticipantObjectIDTypeCode");
        if (name != null && query != null) {
            throw new IllegalArgumentException("a ParticipantObjectIdentification has exactly one of "
                    + "ParticipantObjectName and ParticipantObjectQuery (schema A.5.1.1), not both; ID type "
                    + idTypeCode);
        }
        if (name == null && query == null) {
            name = ""; // the schema requires one of them although A.5.3 makes both optional: an empty name
        }
        if (sensitivity != null && sensitivity.isBlank()) {
            sensitivity = null;
        }
        query = query == null ? null : query.clone();
        details = details == null ? List.of() : List.copyOf(details);
        descriptions = descriptions == null ? List.of() : List.copyOf(descriptions);
    }

    @Override
    public byte[] query() {
        return query == null ? null : query.clone();
    }

    /** True when the ID type code has the code and scheme of {@code code}. */
    public boolean hasIdType(CodedValue code) {
        return idTypeCode.sameCode(code);
    }

    /** The first detail of this type, or null. */
    public ParticipantObjectDetail detail(String type) {
        return details.stream().filter(d -> d.type().equals(type)).findFirst().orElse(null);
    }

    /** True for a patient object: type code 1 (person), role 1 (patient). */
    public boolean isPatient() {
        return typeCode == ParticipantObjectTypeCode.PERSON && typeCodeRole == ParticipantObjectTypeCodeRole.PATIENT;
    }

    /** True for a study object: ID type (110180, DCM, "Study Instance UID"). */
    public boolean isStudy() {
        return hasIdType(AuditCodes.ID_STUDY_INSTANCE_UID);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParticipantObjectIdentification p && objectId.equals(p.objectId)
                && idTypeCode.equals(p.idTypeCode) && typeCode == p.typeCode && typeCodeRole == p.typeCodeRole
                && dataLifeCycle == p.dataLifeCycle && Objects.equals(sensitivity, p.sensitivity)
                && Objects.equals(name, p.name) && Arrays.equals(query, p.query) && details.equals(p.details)
                && descriptions.equals(p.descriptions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(objectId, idTypeCode, typeCode, typeCodeRole, name, details, descriptions)
                + Arrays.hashCode(query);
    }

    @Override
    public String toString() {
        // never the ID or name: they may be patient data
        return "ParticipantObjectIdentification[" + idTypeCode + ", type " + typeCode + ", role " + typeCodeRole + "]";
    }

    /** A builder of an object with this ID and ID type. */
    public static Builder builder(String objectId, CodedValue idTypeCode) {
        return new Builder(objectId, idTypeCode);
    }

    /** Builds a {@link ParticipantObjectIdentification}. */
    public static final class Builder {
        private final String objectId;
        private final CodedValue idTypeCode;
        private ParticipantObjectTypeCode typeCode;
        private ParticipantObjectTypeCodeRole role;
        private ParticipantObjectDataLifeCycle lifeCycle;
        private String sensitivity;
        private String name;
        private byte[] query;
        private final List<ParticipantObjectDetail> details = new ArrayList<>();
        private final List<ParticipantObjectDescription> descriptions = new ArrayList<>();

        private Builder(String objectId, CodedValue idTypeCode) {
            this.objectId = objectId;
            this.idTypeCode = idTypeCode;
        }

        public Builder typeCode(ParticipantObjectTypeCode v) {
            typeCode = v;
            return this;
        }

        public Builder role(ParticipantObjectTypeCodeRole v) {
            role = v;
            return this;
        }

        public Builder dataLifeCycle(ParticipantObjectDataLifeCycle v) {
            lifeCycle = v;
            return this;
        }

        public Builder sensitivity(String v) {
            sensitivity = v;
            return this;
        }

        /** The ParticipantObjectName (replaces a query). */
        public Builder name(String v) {
            name = v;
            if (v != null) {
                query = null;
            }
            return this;
        }

        /** The ParticipantObjectQuery (replaces a name). */
        public Builder query(byte[] v) {
            query = v;
            if (v != null) {
                name = null;
            }
            return this;
        }

        public Builder detail(ParticipantObjectDetail d) {
            details.add(Objects.requireNonNull(d, "detail"));
            return this;
        }

        public Builder detail(String type, String text) {
            return detail(ParticipantObjectDetail.of(type, text));
        }

        public Builder description(ParticipantObjectDescription d) {
            descriptions.add(Objects.requireNonNull(d, "description"));
            return this;
        }

        public ParticipantObjectIdentification build() {
            return new ParticipantObjectIdentification(objectId, idTypeCode, typeCode, role, lifeCycle, sensitivity,
                    name, query, details, descriptions);
        }
    }
}
