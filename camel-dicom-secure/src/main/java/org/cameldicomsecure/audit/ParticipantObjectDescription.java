package org.cameldicomsecure.audit;

import java.util.List;

/**
 * A ParticipantObjectDescription (the schema's DICOMObjectDescriptionContents), children in the schema's order.
 *
 * @param mppsUids          MPPS UIDs, possibly empty
 * @param accessionNumbers  Accession numbers, possibly empty
 * @param sopClasses        SOPClass elements, possibly empty
 * @param containsStudyUids the StudyIDs of a ParticipantObjectContainsStudy element, or null for no such element
 * @param encrypted         Encrypted, or null
 * @param anonymized        Anonymized, or null
 */
public record ParticipantObjectDescription(List<String> mppsUids, List<String> accessionNumbers,
        List<SopClass> sopClasses, List<String> containsStudyUids, Boolean encrypted, Boolean anonymized) {

    public ParticipantObjectDescription {
        mppsUids = copy(mppsUids, "MPPS UID");
        accessionNumbers = copy(accessionNumbers, "Accession Number");
        sopClasses = sopClasses == null ? List.of() : List.copyOf(sopClasses);
        containsStudyUids = containsStudyUids == null ? null : copy(containsStudyUids, "StudyIDs UID");
    }

    private static List<String> copy(List<String> values, String name) {
        if (values == null) {
            return List.of();
        }
        List<String> copy = List.copyOf(values);
        for (String v : copy) {
            CodedValue.requireText(v, name);
        }
        return copy;
    }

    /** True when any of Accession, MPPS, SOPClass (NumberOfInstances, Instances), Encrypted or Anonymized is given. */
    public boolean hasStudyContentDescription() {
        return !mppsUids.isEmpty() || !accessionNumbers.isEmpty() || !sopClasses.isEmpty() || encrypted != null
                || anonymized != null;
    }
}
