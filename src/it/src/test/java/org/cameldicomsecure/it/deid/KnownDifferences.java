package org.cameldicomsecure.it.deid;

/**
 * The documented differences between our Basic Profile and Orthanc 1.10.1's (docs/deid-vs-orthanc.md), asserted
 * exactly by {@link OrthancComparisonIT}: key "instance path", our outcome, Orthanc's, and the verdict (which side
 * follows PS3.15 Table E.1-1, and why). A change of either side's behaviour must update this list and the document.
 */
final class KnownDifferences {

    /** Receives one known difference. */
    interface Sink {
        void add(String key, String ours, String orthanc, String verdict);
    }

    static final String CREATION_DATE =
            "ours (current standard): row X/D added after 2021b (present in 2023b), Type 3 in SOP "
            + "Common so X; Orthanc follows 2021b, which has no row";

    static final String CREATION_TIME =
            "ours (current standard): row X/Z/D added after 2021b (present in 2023b), Type 3 so X; "
            + "Orthanc follows 2021b, which has no row";

    static final String REFERENCED_IMAGES =
            "ours (letter of X/Z/U*: Type 3 in General Image, so X); Orthanc keeps the items with new"
            + " UIDs (the Type 1 alternative): protective, not the minimum action";

    static final String SOURCE_IMAGES =
            "ours (letter of X/Z/U*: Type 3 in General Reference, so X); Orthanc keeps the items with"
            + " new UIDs (the Type 1 alternative): protective, not the minimum action";

    static final String PATIENT_NAME =
            "both: Z allows zero length or a dummy (Table E.1-1a); Orthanc writes AnonymizedN (a "
            + "counter of its database)";

    static final String PATIENT_ID =
            "both: 2021b Z, 2024b Z/D (changed in 2024b), Type 2 so Z; Z allows a dummy; Orthanc "
            + "writes a random UUID per call (breaks patient consistency, E.1.1)";

    static final String CURVE =
            "ours: (50xx,xxxx) is X in 2021b and 2024b; Orthanc 1.10.1 does not implement the curve "
            + "row (a TODO in its generated table)";

    static final String OVERLAY_PLANE =
            "table silent (no row); ours removes the rest of a plane whose Overlay Data is removed "
            + "(deid-rules.md), Orthanc keeps it; both permitted";

    static final String OVERLAY_DATA =
            "ours: (60xx,3000) is X in both editions; Orthanc 1.10.1 does not implement the overlay "
            + "rows (TODO in its generated table)";

    static final String OVERLAY_COMMENTS =
            "ours: (60xx,4000) is X in both editions; Orthanc 1.10.1 does not implement the overlay "
            + "rows (TODO in its generated table)";

    static final String METHOD_CODES =
            "both: E.1.1 asks for (0012,0064) codes and/or (0012,0063) text; ours writes both, "
            + "Orthanc only the text";

    static final String LONGITUDINAL =
            "both: optional (Type 3); ours writes REMOVED (dates removed/emptied), Orthanc nothing";

    static final String SR_CONTENT_DATE =
            "ours: Z/D, and Content Date is Type 1 in SR Document General (C.17.2), so D; Orthanc "
            + "empties a Type 1 attribute";

    static final String SR_CONTENT_TIME =
            "ours: Z/D, and Content Time is Type 1 in SR Document General (C.17.2), so D; Orthanc "
            + "empties a Type 1 attribute";

    static final String SR_REFERENCED_PPS =
            "ours: X/Z/D, Type 2 in SR Document General, so Z; Orthanc removes a Type 2 attribute";

    static final String VERIFYING_OBSERVER =
            "ours on the action (D: one stand-in item, dummies inside); Orthanc empties a D sequence "
            + "(zero length is not D; Type 1C when VERIFIED)";

    static final String CONTENT_SEQUENCE =
            "ours on the action (D: non-zero length): one stand-in item that stays a valid content "
            + "item (Relationship Type, Value Type, Concept Name kept; Person Name dummy, C.17.3); "
            + "Orthanc empties (Z, not D)";

    static final String REFERENCED_REQUEST_STUDY =
            "ours: X/Z, Type 2 in the Referenced Request Macro (C.17.2.8) of the SR's Referenced "
            + "Request Sequence, so Z (the input's sequence is already empty: kept); Orthanc takes X "
            + "inside sequences and removes a Type 2 attribute";

    static final String REFERENCED_REQUEST_DESCRIPTION =
            "ours: X/Z, Type 2 in the Referenced Request Macro (C.17.2.8), so Z; Orthanc removes a "
            + "Type 2 attribute";

    private KnownDifferences() {
    }

    static void register(Sink k) {
        k.add("CT (0008,0012)", "REMOVED", "KEPT", CREATION_DATE);
        k.add("CT (0008,0013)", "REMOVED", "KEPT", CREATION_TIME);
        k.add("CT (0008,1140)", "REMOVED", "KEPT", REFERENCED_IMAGES);
        k.add("CT (0008,2112)", "REMOVED", "KEPT", SOURCE_IMAGES);
        k.add("CT (0010,0010)", "EMPTIED", "REPLACED", PATIENT_NAME);
        k.add("CT (0010,0020)", "EMPTIED", "REPLACED", PATIENT_ID);
        k.add("CT (5000,0005)", "REMOVED", "KEPT", CURVE);
        k.add("CT (5000,0010)", "REMOVED", "KEPT", CURVE);
        k.add("CT (5000,0020)", "REMOVED", "KEPT", CURVE);
        k.add("CT (5000,0022)", "REMOVED", "KEPT", CURVE);
        k.add("CT (5000,0103)", "REMOVED", "KEPT", CURVE);
        k.add("CT (5000,3000)", "REMOVED", "KEPT", CURVE);
        k.add("CT (6000,0010)", "REMOVED", "KEPT", OVERLAY_PLANE);
        k.add("CT (6000,0011)", "REMOVED", "KEPT", OVERLAY_PLANE);
        k.add("CT (6000,0022)", "REMOVED", "KEPT", OVERLAY_PLANE);
        k.add("CT (6000,0040)", "REMOVED", "KEPT", OVERLAY_PLANE);
        k.add("CT (6000,0050)", "REMOVED", "KEPT", OVERLAY_PLANE);
        k.add("CT (6000,0100)", "REMOVED", "KEPT", OVERLAY_PLANE);
        k.add("CT (6000,0102)", "REMOVED", "KEPT", OVERLAY_PLANE);
        k.add("CT (6000,3000)", "REMOVED", "KEPT", OVERLAY_DATA);
        k.add("CT (6000,4000)", "REMOVED", "KEPT", OVERLAY_COMMENTS);
        k.add("CT (0012,0064)", "ADDED", "ABSENT", METHOD_CODES);
        k.add("CT (0028,0303)", "ADDED", "ABSENT", LONGITUDINAL);
        k.add("SR (0008,0012)", "REMOVED", "KEPT", CREATION_DATE);
        k.add("SR (0008,0013)", "REMOVED", "KEPT", CREATION_TIME);
        k.add("SR (0008,0023)", "REPLACED", "EMPTIED", SR_CONTENT_DATE);
        k.add("SR (0008,0033)", "REPLACED", "EMPTIED", SR_CONTENT_TIME);
        k.add("SR (0008,1111)", "EMPTIED", "REMOVED", SR_REFERENCED_PPS);
        k.add("SR (0010,0010)", "EMPTIED", "REPLACED", PATIENT_NAME);
        k.add("SR (0010,0020)", "EMPTIED", "REPLACED", PATIENT_ID);
        k.add("SR (0040,A073)", "KEPT", "EMPTIED", VERIFYING_OBSERVER);
        k.add("SR (0040,A730)", "REPLACED", "EMPTIED", CONTENT_SEQUENCE);
        k.add("SR (0040,A370)[0]/(0008,1110)", "KEPT", "REMOVED", REFERENCED_REQUEST_STUDY);
        k.add("SR (0040,A370)[0]/(0032,1060)", "EMPTIED", "REMOVED", REFERENCED_REQUEST_DESCRIPTION);
        k.add("SR (0012,0064)", "ADDED", "ABSENT", METHOD_CODES);
        k.add("SR (0028,0303)", "ADDED", "ABSENT", LONGITUDINAL);
        k.add("US (0008,0012)", "REMOVED", "KEPT", CREATION_DATE);
        k.add("US (0010,0010)", "EMPTIED", "REPLACED", PATIENT_NAME);
        k.add("US (0010,0020)", "EMPTIED", "REPLACED", PATIENT_ID);
        k.add("US (0012,0064)", "ADDED", "ABSENT", METHOD_CODES);
        k.add("US (0028,0303)", "ADDED", "ABSENT", LONGITUDINAL);
    }
}
