package org.cameldicomsecure.component.dicommail;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * Options of the {@code dicommail} component. Plain fields only: {@link DicomMailEndpoint} turns them into the
 * options of {@code org.cameldicomsecure.mail} and fails at start naming the option that is wrong.
 */
@UriParams
public class DicomMailConfiguration implements Cloneable {

    @UriPath(enums = "encode,decode", description = "encode: DICOM instances into a signed and encrypted email "
            + "(PS3.15 B.8); decode: such an email into its DICOM instances")
    @Metadata(required = true)
    private String operation;

    // encode
    @UriParam(label = "encode,security", description = "PEM file of the sender's certificate (B.8: the sender signs), optionally followed by its CA chain. Its email address is the default From.")
    private String signingCertificate;
    @UriParam(label = "encode,security", description = "PEM file of the sender's private key (RSA or EC).")
    private String signingKey;
    @UriParam(label = "encode,security", secret = true, description = "Password of an encrypted signingKey.")
    private String signingKeyPassword;
    @UriParam(label = "encode,security", description = "PEM file(s) (comma-separated; a file may hold several certificates) of the recipients: the mail is encrypted for each end-entity certificate in them (CA certificates of a chain are skipped). Their email addresses are the default To.")
    private String recipients;
    @UriParam(label = "encode", description = "From address (default: the signing certificate's email address; receivers check that they match, RFC 8551).")
    private String from;
    @UriParam(label = "encode", description = "To addresses, comma-separated (default: the recipient certificates' email addresses). A header CamelDicomMailTo overrides it. camel-mail sends a MimeMessage body to its own recipients: its to option is not used.")
    private String to;
    @UriParam(label = "encode", description = "Cc addresses, comma-separated. A header CamelDicomMailCc overrides it.")
    private String cc;
    @UriParam(label = "encode", description = "Subject (travels in clear: no patient data). Default DICOM-ZIP; with format ZIP it must contain DICOM-ZIP (PS3.11 L.3.2). A header CamelDicomMailSubject overrides it.")
    private String subject;
    @UriParam(label = "encode", description = "Text of the body part (encrypted with the rest). Default: one sentence naming the attachment and the number of instances.")
    private String bodyText;
    @UriParam(label = "encode", defaultValue = "ZIP", enums = "ZIP,MIME", description = "ZIP: one DICOM.ZIP attachment holding a File-set with DICOMDIR (STD-GEN-SEC-ZIP-MAIL, PS3.11 Annex L; PS3.12 Annex V). MIME: DICOM MIME Media, one application/dicom part per file and the DICOMDIR (PS3.12 Annex K).")
    private String format = "ZIP";
    @UriParam(label = "encode", defaultValue = "DICOM_MAIL", description = "File-set ID (0004,1130) of the DICOMDIR (up to 16 characters A-Z, 0-9, _ and space).")
    private String fileSetId = "DICOM_MAIL";
    @UriParam(label = "encode,security", defaultValue = "AES256_CBC", enums = "AES128_CBC,AES192_CBC,AES256_CBC,AES128_GCM,AES256_GCM", description = "Content encryption (B.8 requires AES, RFC 3853). The GCM choices make AuthEnvelopedData (RFC 5083/5084), which older mail clients cannot read.")
    private String contentEncryption = "AES256_CBC";
    @UriParam(label = "encode,security", defaultValue = "RSA_PKCS1", enums = "RSA_PKCS1,RSA_OAEP", description = "Key transport for RSA recipients: RSA_PKCS1 (what mail clients and openssl smime use) or RSA_OAEP (SHA-256). EC recipients always use ECDH key agreement.")
    private String keyEncryption = "RSA_PKCS1";
    @UriParam(label = "encode,security", defaultValue = "SIGN_THEN_ENCRYPT", enums = "SIGN_THEN_ENCRYPT,ENCRYPT_THEN_SIGN", description = "B.8 allows signing before or after encryption; signing first hides the signer from everyone but the recipients.")
    private String signatureOrder = "SIGN_THEN_ENCRYPT";

    // decode
    @UriParam(label = "decode,security", description = "PEM file of the recipient's (our) private key, RSA or EC.")
    private String privateKey;
    @UriParam(label = "decode,security", secret = true, description = "Password of an encrypted privateKey.")
    private String privateKeyPassword;
    @UriParam(label = "decode,security", description = "PEM file of the recipient's (our) certificate: selects our RecipientInfo.")
    private String certificate;
    @UriParam(label = "decode,security", description = "PEM file(s) (comma-separated) of the CA certificates trusted for senders: the signer's certificate must chain to one of them.")
    private String trustedCertificates;
    @UriParam(label = "decode,security", description = "CRL file(s) (PEM or DER, comma-separated): when set, the signer's certificates are checked for revocation.")
    private String crlFiles;
    @UriParam(label = "decode,security", defaultValue = "true", description = "Refuse mail that is not signed by a trusted sender (B.8: the sender must sign).")
    private boolean requireSignature = true;
    @UriParam(label = "decode,security", defaultValue = "true", description = "Refuse mail that is not encrypted (B.8: the whole email is encrypted).")
    private boolean requireEncryption = true;
    @UriParam(label = "decode,security", defaultValue = "true", description = "When the signer's certificate names email addresses, the From address must be one of them (RFC 8551 3.1).")
    private boolean checkFromAddress = true;
    @UriParam(label = "decode,security", defaultValue = "false", description = "Accept SHA-1 signatures (MD5 never).")
    private boolean allowSha1;
    @UriParam(label = "decode", defaultValue = "10000", description = "Most DICOM instances one mail may hold.")
    private int maxInstances = 10000;
    @UriParam(label = "decode", defaultValue = "4294967296", description = "Most bytes of DICOM content (inflated) one mail may hold.")
    private long maxTotalSize = 4L << 30;
    @UriParam(label = "decode", defaultValue = "2147483648", description = "Most bytes of one instance (or ZIP entry, inflated).")
    private long maxInstanceSize = 2L << 30;
    @UriParam(label = "decode", defaultValue = "100", description = "A ZIP entry that inflates to more than this many times its compressed size (and beyond 1 MiB) is refused as a ZIP bomb.")
    private int maxCompressionRatio = 100;
    @UriParam(label = "advanced", defaultValue = "8388608", description = "Content up to this many bytes is held in memory, larger content in temporary files (both directions).")
    private int memoryThreshold = 8 << 20;

    public DicomMailConfiguration copy() {
        try {
            return (DicomMailConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    public String getSigningCertificate() {
        return signingCertificate;
    }

    public void setSigningCertificate(String signingCertificate) {
        this.signingCertificate = signingCertificate;
    }

    public String getSigningKey() {
        return signingKey;
    }

    public void setSigningKey(String signingKey) {
        this.signingKey = signingKey;
    }

    public String getSigningKeyPassword() {
        return signingKeyPassword;
    }

    public void setSigningKeyPassword(String signingKeyPassword) {
        this.signingKeyPassword = signingKeyPassword;
    }

    public String getRecipients() {
        return recipients;
    }

    public void setRecipients(String recipients) {
        this.recipients = recipients;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public String getCc() {
        return cc;
    }

    public void setCc(String cc) {
        this.cc = cc;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getBodyText() {
        return bodyText;
    }

    public void setBodyText(String bodyText) {
        this.bodyText = bodyText;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public String getFileSetId() {
        return fileSetId;
    }

    public void setFileSetId(String fileSetId) {
        this.fileSetId = fileSetId;
    }

    public String getContentEncryption() {
        return contentEncryption;
    }

    public void setContentEncryption(String contentEncryption) {
        this.contentEncryption = contentEncryption;
    }

    public String getKeyEncryption() {
        return keyEncryption;
    }

    public void setKeyEncryption(String keyEncryption) {
        this.keyEncryption = keyEncryption;
    }

    public String getSignatureOrder() {
        return signatureOrder;
    }

    public void setSignatureOrder(String signatureOrder) {
        this.signatureOrder = signatureOrder;
    }

    public String getPrivateKey() {
        return privateKey;
    }

    public void setPrivateKey(String privateKey) {
        this.privateKey = privateKey;
    }

    public String getPrivateKeyPassword() {
        return privateKeyPassword;
    }

    public void setPrivateKeyPassword(String privateKeyPassword) {
        this.privateKeyPassword = privateKeyPassword;
    }

    public String getCertificate() {
        return certificate;
    }

    public void setCertificate(String certificate) {
        this.certificate = certificate;
    }

    public String getTrustedCertificates() {
        return trustedCertificates;
    }

    public void setTrustedCertificates(String trustedCertificates) {
        this.trustedCertificates = trustedCertificates;
    }

    public String getCrlFiles() {
        return crlFiles;
    }

    public void setCrlFiles(String crlFiles) {
        this.crlFiles = crlFiles;
    }

    public boolean isRequireSignature() {
        return requireSignature;
    }

    public void setRequireSignature(boolean requireSignature) {
        this.requireSignature = requireSignature;
    }

    public boolean isRequireEncryption() {
        return requireEncryption;
    }

    public void setRequireEncryption(boolean requireEncryption) {
        this.requireEncryption = requireEncryption;
    }

    public boolean isCheckFromAddress() {
        return checkFromAddress;
    }

    public void setCheckFromAddress(boolean checkFromAddress) {
        this.checkFromAddress = checkFromAddress;
    }

    public boolean isAllowSha1() {
        return allowSha1;
    }

    public void setAllowSha1(boolean allowSha1) {
        this.allowSha1 = allowSha1;
    }

    public int getMaxInstances() {
        return maxInstances;
    }

    public void setMaxInstances(int maxInstances) {
        this.maxInstances = maxInstances;
    }

    public long getMaxTotalSize() {
        return maxTotalSize;
    }

    public void setMaxTotalSize(long maxTotalSize) {
        this.maxTotalSize = maxTotalSize;
    }

    public long getMaxInstanceSize() {
        return maxInstanceSize;
    }

    public void setMaxInstanceSize(long maxInstanceSize) {
        this.maxInstanceSize = maxInstanceSize;
    }

    public int getMaxCompressionRatio() {
        return maxCompressionRatio;
    }

    public void setMaxCompressionRatio(int maxCompressionRatio) {
        this.maxCompressionRatio = maxCompressionRatio;
    }

    public int getMemoryThreshold() {
        return memoryThreshold;
    }

    public void setMemoryThreshold(int memoryThreshold) {
        this.memoryThreshold = memoryThreshold;
    }
}
