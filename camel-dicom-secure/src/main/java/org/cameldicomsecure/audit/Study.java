package org.cameldicomsecure.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A study as the audit messages of A.5.3 describe it: a participant object with type code 2 (system object), role 3
 * (report), ID type (110180, DCM, "Study Instance UID"), and a ParticipantObjectDescription with the accession
 * numbers, MPPS UIDs, SOP classes (instance counts, optionally instance UIDs), Encrypted and Anonymized.
 *
 * @param studyInstanceUid the Study Instance UID, required
 * @param accessionNumbers the accession numbers, possibly empty
 * @param mppsUids         the MPPS SOP Instance UIDs, possibly empty
 * @param sopClasses       the SOP classes with their instance counts, possibly empty
 * @param encrypted        whether the data was encrypted, or null when not stated
 * @param anonymized       whether all patient identifying information was removed, or null when not stated
 * @param name             the ParticipantObjectName (e.g. the study description), or null
 */
public record Study(String studyInstanceUid, List<String> accessionNumbers, List<String> mppsUids,
        List<SopClass> sopClasses, Boolean encrypted, Boolean anonymized, String name) {

    public Study {
        if (studyInstanceUid == null || studyInstanceUid.isBlank()) {
            throw new IllegalArgumentException("a study participant object needs a Study Instance UID");
        }
        accessionNumbers = accessionNumbers == null ? List.of()
                : accessionNumbers.stream().filter(a -> a != null && !a.isBlank()).distinct().toList();
        mppsUids = mppsUids == null ? List.of() : mppsUids.stream().filter(a -> a != null && !a.isBlank()).distinct()
                .toList();
        sopClasses = sopClasses == null ? List.of() : List.copyOf(sopClasses);
        if (name != null && name.isBlank()) {
            name = null;
        }
    }

    /** A study with only its UID. */
    public static Study of(String studyInstanceUid) {
        return new Study(studyInstanceUid, List.of(), List.of(), List.of(), null, null, null);
    }

    /** The total number of instances over all SOP classes. */
    public int numberOfInstances() {
        return sopClasses.stream().mapToInt(SopClass::numberOfInstances).sum();
    }

    /**
     * The ParticipantObjectIdentification of this study; its ParticipantObjectDescription is written only when there
     * is something to describe.
     *
     * @param withInstanceUids whether to list the SOP Instance UIDs (A.5.2: usually omitted, they make large messages)
     */
    public ParticipantObjectIdentification toParticipantObject(boolean withInstanceUids) {
        ParticipantObjectIdentification.Builder b = ParticipantObjectIdentification
                .builder(studyInstanceUid, AuditCodes.ID_STUDY_INSTANCE_UID)
                .typeCode(ParticipantObjectTypeCode.SYSTEM_OBJECT).role(ParticipantObjectTypeCodeRole.REPORT)
                .name(name);
        List<SopClass> classes = withInstanceUids ? sopClasses
                : sopClasses.stream().map(c -> SopClass.of(c.uid(), c.numberOfInstances())).toList();
        if (!accessionNumbers.isEmpty() || !mppsUids.isEmpty() || !classes.isEmpty() || encrypted != null
                || anonymized != null) {
            b.description(new ParticipantObjectDescription(mppsUids, accessionNumbers, classes, null, encrypted,
                    anonymized));
        }
        return b.build();
    }

    /** The object without instance UIDs. */
    public ParticipantObjectIdentification toParticipantObject() {
        return toParticipantObject(false);
    }

    /** A builder that counts instances per SOP class as they arrive. */
    public static Builder builder(String studyInstanceUid) {
        return new Builder(studyInstanceUid);
    }

    @Override
    public String toString() {
        return "Study[" + sopClasses.size() + " SOP classes, " + numberOfInstances() + " instances]";
    }

    /** Collects a study's instances (not thread safe). */
    public static final class Builder {
        private final String uid;
        private final Set<String> accessions = new LinkedHashSet<>();
        private final Set<String> mpps = new LinkedHashSet<>();
        private final Map<String, List<String>> instances = new LinkedHashMap<>();
        private final Map<String, Integer> counts = new LinkedHashMap<>();
        private Boolean encrypted;
        private Boolean anonymized;
        private String name;

        private Builder(String uid) {
            this.uid = uid;
        }

        /** Counts one instance of a SOP class; {@code sopInstanceUid} may be null when not to be listed. */
        public Builder addInstance(String sopClassUid, String sopInstanceUid) {
            Objects.requireNonNull(sopClassUid, "sopClassUid");
            counts.merge(sopClassUid, 1, Integer::sum);
            List<String> list = instances.computeIfAbsent(sopClassUid, k -> new ArrayList<>());
            if (sopInstanceUid != null && !sopInstanceUid.isBlank()) {
                list.add(sopInstanceUid);
            }
            return this;
        }

        /** Adds {@code count} instances of a SOP class without instance UIDs. */
        public Builder addInstances(String sopClassUid, int count) {
            Objects.requireNonNull(sopClassUid, "sopClassUid");
            if (count < 0) {
                throw new IllegalArgumentException("instance count must not be negative");
            }
            counts.merge(sopClassUid, count, Integer::sum);
            instances.computeIfAbsent(sopClassUid, k -> new ArrayList<>());
            return this;
        }

        public Builder accessionNumber(String accession) {
            if (accession != null && !accession.isBlank()) {
                accessions.add(accession);
            }
            return this;
        }

        public Builder mppsUid(String uid) {
            if (uid != null && !uid.isBlank()) {
                mpps.add(uid);
            }
            return this;
        }

        public Builder encrypted(Boolean v) {
            encrypted = v;
            return this;
        }

        public Builder anonymized(Boolean v) {
            anonymized = v;
            return this;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Study build() {
            List<SopClass> classes = new ArrayList<>();
            counts.forEach((cls, n) -> classes.add(new SopClass(cls, n, instances.get(cls))));
            return new Study(uid, List.copyOf(accessions), List.copyOf(mpps), classes, encrypted, anonymized, name);
        }
    }
}
