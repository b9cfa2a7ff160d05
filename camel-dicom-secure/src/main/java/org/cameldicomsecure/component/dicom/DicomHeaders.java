package org.cameldicomsecure.component.dicom;

/**
 * Names of the message headers shared by all DICOM components of this project. They are a public contract: each
 * component's {@code XxxConstants} class re-exposes the same strings with {@code @Metadata}.
 *
 * <p>Every header carries an identifier or a protocol value, never patient data.
 */
public final class DicomHeaders {

    /** SOP Class UID (0008,0016) of the data set, a {@code String}. */
    public static final String SOP_CLASS_UID = "CamelDicomSopClassUid";
    /** SOP Instance UID (0008,0018) of the data set, a {@code String}. */
    public static final String SOP_INSTANCE_UID = "CamelDicomSopInstanceUid";
    /** Study Instance UID (0020,000D) of the data set, a {@code String}. */
    public static final String STUDY_INSTANCE_UID = "CamelDicomStudyInstanceUid";
    /** Series Instance UID (0020,000E) of the data set, a {@code String}. */
    public static final String SERIES_INSTANCE_UID = "CamelDicomSeriesInstanceUid";
    /** UID of the transfer syntax the data set is encoded in, a {@code String}. */
    public static final String TRANSFER_SYNTAX_UID = "CamelDicomTransferSyntaxUid";
    /** AE title of the calling (requesting) application entity of an association, a {@code String}. */
    public static final String CALLING_AET = "CamelDicomCallingAet";
    /** AE title of the called (accepting) application entity of an association, a {@code String}. */
    public static final String CALLED_AET = "CamelDicomCalledAet";

    private DicomHeaders() {
    }
    /** Host address of the peer of an association, a {@code String}. */
    public static final String REMOTE_HOST = "CamelDicomRemoteHost";
    /** Subject (RFC 2253) of the peer's TLS certificate, a {@code String}; absent without a client certificate. */
    public static final String REMOTE_CERTIFICATE_SUBJECT = "CamelDicomRemoteCertificateSubject";
    /** The user identity the peer authenticated as (PS3.7 D.3.3.7), a {@code String}. */
    public static final String USERNAME = "CamelDicomUsername";
    /** The DIMSE response status, an {@code Integer}. */
    public static final String STATUS = "CamelDicomStatus";
}
