package org.cameldicomsecure.deid;

/**
 * The Basic Profile and the Options of PS3.15 E.2/E.3 with their CID 7050 codes (scheme DCM, code meanings as PS3.16
 * CID 7050 prints them) and the column of the generated Table E.1-1 that holds their actions.
 */
enum ProfileOption {
    BASIC("113100", "Basic Application Confidentiality Profile", "basicProfile"),
    CLEAN_PIXEL_DATA("113101", "Clean Pixel Data Option", null),
    CLEAN_RECOGNIZABLE_VISUAL_FEATURES("113102", "Clean Recognizable Visual Features Option", null),
    CLEAN_GRAPHICS("113103", "Clean Graphics Option", "cleanGraphOpt"),
    CLEAN_STRUCTURED_CONTENT("113104", "Clean Structured Content Option", "cleanStructContOpt"),
    CLEAN_DESCRIPTORS("113105", "Clean Descriptors Option", "cleanDescOpt"),
    RETAIN_LONGITUDINAL_FULL_DATES("113106", "Retain Longitudinal Temporal Information Full Dates Option",
            "rtnLongFullDatesOpt"),
    RETAIN_LONGITUDINAL_MODIFIED_DATES("113107", "Retain Longitudinal Temporal Information Modified Dates Option",
            "rtnLongModifDatesOpt"),
    RETAIN_PATIENT_CHARACTERISTICS("113108", "Retain Patient Characteristics Option", "rtnPatCharsOpt"),
    RETAIN_DEVICE_IDENTITY("113109", "Retain Device Identity Option", "rtnDevIdOpt"),
    RETAIN_UIDS("113110", "Retain UIDs Option", "rtnUIDsOpt"),
    RETAIN_SAFE_PRIVATE("113111", "Retain Safe Private Option", "rtnSafePrivOpt"),
    RETAIN_INSTITUTION_IDENTITY("113112", "Retain Institution Identity Option", "rtnInstIdOpt");

    /** Coding Scheme Designator of every CID 7050 code. */
    static final String SCHEME = "DCM";

    private final String code;
    private final String meaning;
    private final String column;

    ProfileOption(String code, String meaning, String column) {
        this.code = code;
        this.meaning = meaning;
        this.column = column;
    }

    String code() {
        return code;
    }

    String meaning() {
        return meaning;
    }

    /** Column name in confidentiality-profile.tsv, or {@code null} for the pixel Options that have no column. */
    String column() {
        return column;
    }

    /** Whether {@code o} switches this Option on (BASIC always). */
    boolean enabledIn(DeidentificationOptions o) {
        return switch (this) {
            case BASIC -> true;
            case CLEAN_PIXEL_DATA -> o.cleanPixelData();
            case CLEAN_RECOGNIZABLE_VISUAL_FEATURES -> o.cleanRecognizableVisualFeatures();
            case CLEAN_GRAPHICS -> o.cleanGraphics();
            case CLEAN_STRUCTURED_CONTENT -> o.cleanStructuredContent();
            case CLEAN_DESCRIPTORS -> o.cleanDescriptors();
            case RETAIN_LONGITUDINAL_FULL_DATES -> o.retainLongitudinalTemporal() == LongitudinalTemporal.FULL;
            case RETAIN_LONGITUDINAL_MODIFIED_DATES -> o.retainLongitudinalTemporal() == LongitudinalTemporal.MODIFIED;
            case RETAIN_PATIENT_CHARACTERISTICS -> o.retainPatientCharacteristics();
            case RETAIN_DEVICE_IDENTITY -> o.retainDeviceIdentity();
            case RETAIN_UIDS -> o.retainUids();
            case RETAIN_SAFE_PRIVATE -> o.retainSafePrivate();
            case RETAIN_INSTITUTION_IDENTITY -> o.retainInstitutionIdentity();
        };
    }
}
