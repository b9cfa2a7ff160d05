package org.cameldicomsecure.audit;

import java.util.List;

/**
 * A SOPClass of a ParticipantObjectDescription: one SOP Class of a study, with its number of instances and optionally
 * their UIDs.
 *
 * @param uid               the SOP Class UID, or null (the schema makes it optional)
 * @param numberOfInstances the NumberOfInstances (required, not negative)
 * @param instanceUids      the SOP Instance UIDs written as Instance elements, possibly empty (A.5.2: usually omitted)
 */
public record SopClass(String uid, int numberOfInstances, List<String> instanceUids) {

    public SopClass {
        if (uid != null) {
            CodedValue.requireText(uid, "SOPClass UID");
        }
        if (numberOfInstances < 0) {
            throw new IllegalArgumentException("SOPClass NumberOfInstances must not be negative: " + numberOfInstances);
        }
        instanceUids = instanceUids == null ? List.of() : List.copyOf(instanceUids);
        for (String i : instanceUids) {
            CodedValue.requireText(i, "Instance UID");
        }
    }

    /** A SOP class with a count and no instance UIDs. */
    public static SopClass of(String uid, int numberOfInstances) {
        return new SopClass(uid, numberOfInstances, List.of());
    }
}
