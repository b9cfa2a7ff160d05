package org.cameldicomsecure.component.dicomtls;

import org.apache.camel.spi.Metadata;
import org.cameldicomsecure.component.dicom.DicomHeaders;

/** The headers of the {@code dicomtls} component. */
public final class DicomTlsConstants {

    @Metadata(label = "consumer", description = "AE title of the calling (requesting) application entity.",
              javaType = "String")
    public static final String CALLING_AET = DicomHeaders.CALLING_AET;
    @Metadata(label = "consumer", description = "AE title of the called (accepting) application entity.",
              javaType = "String")
    public static final String CALLED_AET = DicomHeaders.CALLED_AET;
    @Metadata(label = "consumer", description = "Host address of the peer.", javaType = "String")
    public static final String REMOTE_HOST = DicomHeaders.REMOTE_HOST;
    @Metadata(label = "consumer",
              description = "Subject (RFC 2253) of the peer's TLS client certificate; absent when it sent none.",
              javaType = "String")
    public static final String REMOTE_CERTIFICATE_SUBJECT = DicomHeaders.REMOTE_CERTIFICATE_SUBJECT;
    @Metadata(label = "consumer",
              description = "The user identity the peer authenticated as (User Identity Negotiation); absent without one.",
              javaType = "String")
    public static final String USERNAME = DicomHeaders.USERNAME;
    @Metadata(description = "SOP Class UID of the instance.", javaType = "String")
    public static final String SOP_CLASS_UID = DicomHeaders.SOP_CLASS_UID;
    @Metadata(description = "SOP Instance UID of the instance.", javaType = "String")
    public static final String SOP_INSTANCE_UID = DicomHeaders.SOP_INSTANCE_UID;
    @Metadata(label = "consumer", description = "Study Instance UID of the instance.", javaType = "String")
    public static final String STUDY_INSTANCE_UID = DicomHeaders.STUDY_INSTANCE_UID;
    @Metadata(description = "Transfer syntax UID in which the instance was received or sent.", javaType = "String")
    public static final String TRANSFER_SYNTAX_UID = DicomHeaders.TRANSFER_SYNTAX_UID;
    @Metadata(label = "producer", description = "The status of the DIMSE response (C-STORE-RSP or C-ECHO-RSP).",
              javaType = "Integer")
    public static final String STATUS = DicomHeaders.STATUS;

    private DicomTlsConstants() {
    }
}
