package org.cameldicomsecure.component.dicomdeid;

import org.apache.camel.spi.Metadata;
import org.cameldicomsecure.component.dicom.DicomHeaders;

/** The headers of the {@code dicomdeid} component. None carries patient data. */
public final class DicomDeidConstants {

    @Metadata(description = "Study Instance UID of the result: the new UID after deidentify (unless retainUids), the "
            + "restored one after reidentify.", javaType = "String")
    public static final String STUDY_INSTANCE_UID = DicomHeaders.STUDY_INSTANCE_UID;
    @Metadata(description = "Series Instance UID of the result (new after deidentify, restored after reidentify).",
              javaType = "String")
    public static final String SERIES_INSTANCE_UID = DicomHeaders.SERIES_INSTANCE_UID;
    @Metadata(description = "SOP Instance UID of the result (new after deidentify, restored after reidentify).",
              javaType = "String")
    public static final String SOP_INSTANCE_UID = DicomHeaders.SOP_INSTANCE_UID;
    @Metadata(description = "SOP Class UID of the instance (never changed).", javaType = "String")
    public static final String SOP_CLASS_UID = DicomHeaders.SOP_CLASS_UID;
    @Metadata(description = "Transfer syntax UID of the result.", javaType = "String")
    public static final String TRANSFER_SYNTAX_UID = DicomHeaders.TRANSFER_SYNTAX_UID;
    @Metadata(label = "deidentify", description = "The Study Instance UID before de-identification, so that a route "
            + "can keep a mapping table.", javaType = "String")
    public static final String ORIGINAL_STUDY_INSTANCE_UID = "CamelDicomOriginalStudyInstanceUid";
    @Metadata(label = "deidentify", description = "The Series Instance UID before de-identification.",
              javaType = "String")
    public static final String ORIGINAL_SERIES_INSTANCE_UID = "CamelDicomOriginalSeriesInstanceUid";
    @Metadata(label = "deidentify", description = "The SOP Instance UID before de-identification.",
              javaType = "String")
    public static final String ORIGINAL_SOP_INSTANCE_UID = "CamelDicomOriginalSopInstanceUid";
    @Metadata(label = "deidentify", description = "The CID 7050 code values (scheme DCM) of the profile and options "
            + "applied, as in De-identification Method Code Sequence (0012,0064), comma-separated.",
              javaType = "String")
    public static final String DEIDENTIFICATION_METHOD_CODES = "CamelDicomDeidentificationMethodCodes";

    private DicomDeidConstants() {
    }
}
