package org.cameldicomsecure.component.dicommail;

import org.apache.camel.spi.Metadata;

/** The headers of the {@code dicommail} component. None carries patient data. */
public final class DicomMailConstants {

    @Metadata(label = "decode", description = "Subject (RFC 2253) of the signer's certificate; absent when the mail was not signed.", javaType = "String")
    public static final String SENDER = "CamelDicomMailSender";
    @Metadata(label = "decode", description = "First email address of the signer's certificate.", javaType = "String")
    public static final String SENDER_EMAIL = "CamelDicomMailSenderEmail";
    @Metadata(label = "decode", description = "The signer's certificate.", javaType = "java.security.cert.X509Certificate")
    public static final String SENDER_CERTIFICATE = "CamelDicomMailSenderCertificate";
    @Metadata(label = "decode", description = "The From address of the mail.", javaType = "String")
    public static final String FROM = "CamelDicomMailFrom";
    @Metadata(label = "decode", description = "Whether a signature was verified.", javaType = "Boolean")
    public static final String SIGNED = "CamelDicomMailSigned";
    @Metadata(label = "decode", description = "Whether the mail was encrypted.", javaType = "Boolean")
    public static final String ENCRYPTED = "CamelDicomMailEncrypted";
    @Metadata(label = "decode", description = "Content encryption of the mail (decode) or used (encode), e.g. AES256_CBC.", javaType = "String")
    public static final String CONTENT_ENCRYPTION = "CamelDicomMailContentEncryption";
    @Metadata(description = "How the File-set travelled: ZIP (DICOM.ZIP) or MIME (application/dicom parts).", javaType = "String", enums = "ZIP,MIME")
    public static final String FORMAT = "CamelDicomMailFormat";
    @Metadata(description = "Number of DICOM instances in the mail.", javaType = "Integer")
    public static final String INSTANCE_COUNT = "CamelDicomMailInstanceCount";
    @Metadata(label = "decode", description = "File-set ID of the mail's DICOMDIR, when it has one and names it.", javaType = "String")
    public static final String FILE_SET_ID = "CamelDicomMailFileSetId";
    @Metadata(label = "decode", description = "S/MIME layers from the outside in, e.g. [enveloped-data, multipart/signed].", javaType = "java.util.List<String>")
    public static final String LAYERS = "CamelDicomMailLayers";
    @Metadata(label = "decode", description = "Signing time the signer claims, when present.", javaType = "java.time.Instant")
    public static final String SIGNING_TIME = "CamelDicomMailSigningTime";
    @Metadata(description = "Message-ID of the mail (decode: as received; encode: the one made).", javaType = "String")
    public static final String MESSAGE_ID = "CamelDicomMailMessageId";
    @Metadata(label = "encode", description = "To addresses (comma-separated) for this exchange, instead of the to option.", javaType = "String")
    public static final String TO = "CamelDicomMailTo";
    @Metadata(label = "encode", description = "Cc addresses (comma-separated) for this exchange, instead of the cc option.", javaType = "String")
    public static final String CC = "CamelDicomMailCc";
    @Metadata(label = "encode", description = "Subject for this exchange, instead of the subject option.", javaType = "String")
    public static final String SUBJECT = "CamelDicomMailSubject";
    @Metadata(description = "Why the mail was refused (decode) or could not be made (encode), in a stable form: e.g. SIGNATURE_INVALID, SIGNER_UNTRUSTED, UNSIGNED, NOT_FOR_RECIPIENT, NO_DICOM_CONTENT, NOT_DICOM, UNSAFE_ENTRY_NAME, LIMIT_EXCEEDED. Set on the failed exchange.", javaType = "String")
    public static final String FAILURE_REASON = "CamelDicomMailFailureReason";

    private DicomMailConstants() {
    }
}
