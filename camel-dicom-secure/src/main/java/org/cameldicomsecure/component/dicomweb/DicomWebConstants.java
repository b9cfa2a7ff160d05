package org.cameldicomsecure.component.dicomweb;

import org.apache.camel.spi.Metadata;
import org.cameldicomsecure.component.dicom.DicomHeaders;

/** The message headers of the {@code dicomweb:} component. */
public final class DicomWebConstants {

    @Metadata(label = "consumer", description = "The SOP Class UID of the received instance (STOW-RS consumer).", javaType = "String")
    public static final String SOP_CLASS_UID = DicomHeaders.SOP_CLASS_UID;
    @Metadata(description = "The SOP Instance UID: of the received instance (STOW-RS consumer); the instance to retrieve "
            + "(WADO-RS consumer and producer).", javaType = "String")
    public static final String SOP_INSTANCE_UID = DicomHeaders.SOP_INSTANCE_UID;
    @Metadata(description = "The Study Instance UID: of the received instance (STOW-RS consumer); the study to retrieve "
            + "(WADO-RS) or to search in (QIDO-RS).",
            javaType = "String")
    public static final String STUDY_INSTANCE_UID = DicomHeaders.STUDY_INSTANCE_UID;
    @Metadata(description = "The Series Instance UID to retrieve (WADO-RS) or to search in (QIDO-RS).", javaType = "String")
    public static final String SERIES_INSTANCE_UID = DicomHeaders.SERIES_INSTANCE_UID;
    @Metadata(label = "consumer", description = "The transfer syntax UID of the received instance.", javaType = "String")
    public static final String TRANSFER_SYNTAX_UID = DicomHeaders.TRANSFER_SYNTAX_UID;
    @Metadata(label = "consumer", description = "The IP address of the HTTP client.", javaType = "String")
    public static final String REMOTE_HOST = DicomHeaders.REMOTE_HOST;
    @Metadata(label = "consumer", description = "The subject of the client's TLS certificate, when it sent one.",
            javaType = "String")
    public static final String REMOTE_CERTIFICATE_SUBJECT = DicomHeaders.REMOTE_CERTIFICATE_SUBJECT;
    @Metadata(label = "consumer", description = "The authenticated principal: the access token's subject (or the claim "
            + "named by jwtPrincipalClaim). Absent when the endpoint requires no token.", javaType = "String")
    public static final String USERNAME = DicomHeaders.USERNAME;
    @Metadata(label = "consumer", description = "The scopes granted by the access token.", javaType = "java.util.Set<String>")
    public static final String SCOPES = "CamelDicomWebScopes";
    @Metadata(description = "QIDO-RS query level: STUDY, SERIES or INSTANCE (consumer: what was asked; producer: "
            + "overrides the queryLevel option).", javaType = "String")
    public static final String QUERY_LEVEL = "CamelDicomWebQueryLevel";
    @Metadata(description = "QIDO-RS query parameters (attribute keywords or tags, includefield, limit, offset, "
            + "fuzzymatching): consumer: what was asked, a Map<String, List<String>>; producer: a Map (values a String or "
            + "a List) or a query string such as PatientID=123&ModalitiesInStudy=CT.", javaType = "java.util.Map")
    public static final String QUERY = "CamelDicomWebQuery";
    @Metadata(label = "producer", description = "The HTTP status of the DICOMweb response.", javaType = "int")
    public static final String HTTP_STATUS = "CamelDicomWebHttpStatus";
    @Metadata(label = "producer", description = "STOW-RS: the parsed response (instances stored and failed).",
            javaType = "org.cameldicomsecure.web.StowResponse")
    public static final String STOW_RESPONSE = "CamelDicomWebStowResponse";

    private DicomWebConstants() {
    }
}
