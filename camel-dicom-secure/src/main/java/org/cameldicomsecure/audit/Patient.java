package org.cameldicomsecure.audit;

/**
 * A patient as the audit messages of A.5.3 describe it: a participant object with type code 1 (person), role 1
 * (patient), ID type (2, RFC-3881, "Patient Number"), the Patient ID as ParticipantObjectID and the patient's name as
 * ParticipantObjectName.
 *
 * @param id   the Patient ID (0010,0020), required; as in the data set (an issuer may be appended by the caller, e.g.
 *             {@code ID^^^ISSUER})
 * @param name the Patient's Name (0010,0010), or null
 */
public record Patient(String id, String name) {

    public Patient {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a patient participant object needs a patient ID (ParticipantObjectID "
                    + "is M in A.5.3)");
        }
        if (name != null && name.isBlank()) {
            name = null;
        }
    }

    /** A patient with an ID and no name. */
    public static Patient of(String id) {
        return new Patient(id, null);
    }

    /** The ParticipantObjectIdentification of this patient. */
    public ParticipantObjectIdentification toParticipantObject() {
        return ParticipantObjectIdentification.builder(id, AuditCodes.ID_PATIENT_NUMBER)
                .typeCode(ParticipantObjectTypeCode.PERSON).role(ParticipantObjectTypeCodeRole.PATIENT).name(name)
                .build();
    }

    @Override
    public String toString() {
        return "Patient[...]"; // patient data: never in logs
    }
}
