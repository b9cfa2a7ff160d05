package org.cameldicomsecure.component.dicomsign;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * Options of the {@code dicomsign} component. Plain fields only: {@link DicomSignEndpoint} turns them into
 * {@code org.cameldicomsecure.sign}'s own options, and fails at start naming the option that is wrong.
 */
@UriParams
public class DicomSignConfiguration implements Cloneable {

    @UriPath(enums = "sign,verify,remove,encrypt,decrypt", description = "sign, verify or remove DICOM digital "
            + "signatures (PS3.15 Annex C); encrypt or decrypt a Secure DICOM File (PS3.10 7.4, PS3.15 Annex D)")
    @Metadata(required = true)
    private String operation;

    @UriParam(label = "sign", defaultValue = "CREATOR", enums = "BASE,CREATOR,AUTHORIZATION,SR,NONE", description = "Digital Signature Profile: BASE (C.1: every signable element, or exactly tags), CREATOR (C.2), AUTHORIZATION (C.3), SR (C.4; needs purpose; a VERIFIED report signed for purpose VERIFICATION also covers the verification attributes) - each signs exactly the attributes its profile requires that are present, plus tags - or NONE (no profile: tags, or every signable element). The four profiles are RSA profiles; ECDSA keys sign with NONE.")
    private String profile = "CREATOR";
    @UriParam(label = "sign", defaultValue = "SHA256", enums = "SHA256,SHA384,SHA512", description = "MAC Algorithm (0400,0015) of new signatures. RIPEMD160, MD5 and SHA1 (and the other terms of PS3.3 Table C.12.1.1.3.1.2-1) are accepted only when verifying.")
    private String macAlgorithm = "SHA256";
    @UriParam(label = "sign", description = "Elements to sign (comma-separated keywords such as SOPInstanceUID or ggggeeee hex tags): with BASE or NONE exactly these, with the other profiles these in addition.")
    private String tags;
    @UriParam(label = "sign", description = "Sign inside a sequence item instead of the top level: SEQUENCE[index] steps joined by dots, e.g. ReferencedImageSequence[0] or (0040,A730)[2].(0040,A730)[0]; index counts from 0.")
    private String itemPath;
    @UriParam(label = "sign", description = "Digital Signature Purpose (CID 7007): a code value 1-18 or a name such as AUTHOR, REVIEW, VERIFICATION; written as Digital Signature Purpose Code Sequence (0400,0401). Required by profile SR.")
    private String purpose;
    @UriParam(label = "sign", description = "RFC 3161 time-stamp authority (http or https URL): the Signature value is timestamped and stored as Certified Timestamp (0400,0310), type CMS_TSP.")
    private String timestampUrl;
    @UriParam(label = "sign", description = "TSA policy OID to request (default: the TSA's).")
    private String timestampPolicy;
    @UriParam(label = "sign", description = "Folder of PS3.10 files (searched with its sub-folders, indexed by SOP Instance UID at each exchange) holding the instances a Structured Report or Key Object Selection document references, for the Basic SR Digital Signatures Secure Use Profile (PS3.15 A.4); profile SR only. Before signing, every Referenced SOP Sequence item of Current Requested Procedure Evidence Sequence (0040,A375) and Pertinent Other Evidence Sequence (0040,A385) that has neither receives a Referenced SOP Instance MAC Sequence (0400,0403: macAlgorithm over every signable top-level element of the instance) and, for a signed instance, a Referenced Digital Signature Sequence (0400,0402); a reference that already has them must still match its instance. The exchange fails if such a reference cannot be completed (instance not in the folder, changed since referenced) or if a signature of the report already covers the evidence.")
    private String referencedInstances;
    @UriParam(label = "sign,security", description = "PEM file of the signer's certificate (sign; encrypt with innerContent=SIGNED), or of the recipient's certificate (decrypt).")
    private String certificate;
    @UriParam(label = "sign,security", description = "PEM file of the private key (RSA or EC): the signer's (sign, encrypt with SIGNED) or the recipient's (decrypt).")
    private String privateKey;
    @UriParam(label = "sign,security", secret = true, description = "Password of an encrypted privateKey.")
    private String privateKeyPassword;
    @UriParam(label = "sign,security", description = "PKCS12 key store holding the private key and certificate, instead of certificate and privateKey.")
    private String keyStore;
    @UriParam(label = "sign,security", secret = true, description = "Password of keyStore (also used for its key).")
    private String keyStorePassword;
    @UriParam(label = "sign,security", description = "Alias of the key entry in keyStore (default: its only key entry).")
    private String keyAlias;

    @UriParam(label = "verify,security", description = "PEM file(s) (comma-separated) of the trusted CA certificates: the Certificate of Signer must chain to one of them at the signing time (the certified time if timestamped, else Digital Signature DateTime). decrypt: the trusted signers' CAs for an inner SignedData.")
    private String trustedCertificates;
    @UriParam(label = "verify,security", description = "CRL file(s) (PEM or DER, comma-separated): when set, every certificate of signer is checked for revocation and must be covered by a CRL.")
    private String crlFiles;
    @UriParam(label = "verify,security", description = "PEM file(s) of the CAs trusted for certified timestamps; default: trustedCertificates.")
    private String timestampTrustedCertificates;
    @UriParam(label = "verify", enums = "ANY,CREATOR,AUTHORIZATION,SR", description = "What the instance must carry: ANY (at least one valid signature), CREATOR, AUTHORIZATION or SR (a valid signature covering what that profile requires; one in a sequence item counts). With require set, an unsigned instance fails.")
    private String require;
    @UriParam(label = "verify", description = "Folder of PS3.10 files (searched with its sub-folders, indexed by SOP Instance UID at each exchange) holding the instances the report references: every Referenced SOP Sequence item of (0040,A375) and (0040,A385) must carry a Referenced SOP Instance MAC Sequence or Referenced Digital Signature Sequence (PS3.15 A.4) that matches its instance in the folder (MAC recomputed; Digital Signature UID held with the same Signature value). A reference that has neither, whose instance is not in the folder, or that does not match makes the status INVALID; the failure names its SOP Instance UID.")
    private String checkReferencedInstances;
    @UriParam(label = "verify", defaultValue = "true", description = "Fail the exchange when the status is INVALID (or ABSENT while require is set). When false, the headers tell and the exchange goes on.")
    private boolean failOnInvalid = true;

    @UriParam(label = "remove", description = "Digital Signature UID of the signature to remove; when not set, all signatures (and MAC parameters) are removed, at every level.")
    private String signatureUid;

    @UriParam(label = "encrypt,security", description = "PEM file(s) (comma-separated) of the recipients' RSA certificates: the content-encryption key is encrypted to each (PS3.15 D.1 allows RSA key transport or password-based keys).")
    private String recipients;
    @UriParam(label = "encrypt,decrypt,security", secret = true, description = "Password for a password-based recipient (PBKDF2 and AES key wrap, RFC 3211) when encrypting, or to decrypt with. ISO-IR 6 (printable US-ASCII) only, as D.1 requires.")
    private String password;
    @UriParam(label = "encrypt", defaultValue = "AES128", enums = "AES128,AES256", description = "Content encryption: AES-128-CBC (default) or AES-256-CBC. (Triple-DES files are decrypted, never made.)")
    private String contentEncryption = "AES128";
    @UriParam(label = "encrypt", defaultValue = "RSA_PKCS1", enums = "RSA_PKCS1,RSA_OAEP", description = "RSA key transport: RSAES-PKCS1-v1_5 (RFC 3370, what D.1 names) or RSAES-OAEP.")
    private String keyTransport = "RSA_PKCS1";
    @UriParam(label = "encrypt", defaultValue = "DATA", enums = "DATA,SIGNED,DIGESTED", description = "What is encrypted: DATA (the PS3.10 file itself, as openssl cms -encrypt makes it), SIGNED (CMS SignedData over it, by certificate and privateKey, for integrity and origin) or DIGESTED (DigestedData, SHA-256).")
    private String innerContent = "DATA";

    @UriParam(label = "advanced", description = "Folder for the result files (written streaming to a temporary file there, deleted when the exchange completes); default: the JVM's temporary folder.")
    private String workDirectory;

    /** A copy for an endpoint. */
    public DicomSignConfiguration copy() {
        try {
            return (DicomSignConfiguration) clone();
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

    public String getProfile() {
        return profile;
    }

    public void setProfile(String profile) {
        this.profile = profile;
    }

    public String getMacAlgorithm() {
        return macAlgorithm;
    }

    public void setMacAlgorithm(String macAlgorithm) {
        this.macAlgorithm = macAlgorithm;
    }

    public String getTags() {
        return tags;
    }

    public void setTags(String tags) {
        this.tags = tags;
    }

    public String getItemPath() {
        return itemPath;
    }

    public void setItemPath(String itemPath) {
        this.itemPath = itemPath;
    }

    public String getPurpose() {
        return purpose;
    }

    public void setPurpose(String purpose) {
        this.purpose = purpose;
    }

    public String getTimestampUrl() {
        return timestampUrl;
    }

    public void setTimestampUrl(String timestampUrl) {
        this.timestampUrl = timestampUrl;
    }

    public String getTimestampPolicy() {
        return timestampPolicy;
    }

    public void setTimestampPolicy(String timestampPolicy) {
        this.timestampPolicy = timestampPolicy;
    }

    public String getReferencedInstances() {
        return referencedInstances;
    }

    public void setReferencedInstances(String referencedInstances) {
        this.referencedInstances = referencedInstances;
    }

    public String getCertificate() {
        return certificate;
    }

    public void setCertificate(String certificate) {
        this.certificate = certificate;
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

    public String getKeyStore() {
        return keyStore;
    }

    public void setKeyStore(String keyStore) {
        this.keyStore = keyStore;
    }

    public String getKeyStorePassword() {
        return keyStorePassword;
    }

    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = keyStorePassword;
    }

    public String getKeyAlias() {
        return keyAlias;
    }

    public void setKeyAlias(String keyAlias) {
        this.keyAlias = keyAlias;
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

    public String getTimestampTrustedCertificates() {
        return timestampTrustedCertificates;
    }

    public void setTimestampTrustedCertificates(String timestampTrustedCertificates) {
        this.timestampTrustedCertificates = timestampTrustedCertificates;
    }

    public String getRequire() {
        return require;
    }

    public void setRequire(String require) {
        this.require = require;
    }

    public String getCheckReferencedInstances() {
        return checkReferencedInstances;
    }

    public void setCheckReferencedInstances(String checkReferencedInstances) {
        this.checkReferencedInstances = checkReferencedInstances;
    }

    public boolean isFailOnInvalid() {
        return failOnInvalid;
    }

    public void setFailOnInvalid(boolean failOnInvalid) {
        this.failOnInvalid = failOnInvalid;
    }

    public String getSignatureUid() {
        return signatureUid;
    }

    public void setSignatureUid(String signatureUid) {
        this.signatureUid = signatureUid;
    }

    public String getRecipients() {
        return recipients;
    }

    public void setRecipients(String recipients) {
        this.recipients = recipients;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getContentEncryption() {
        return contentEncryption;
    }

    public void setContentEncryption(String contentEncryption) {
        this.contentEncryption = contentEncryption;
    }

    public String getKeyTransport() {
        return keyTransport;
    }

    public void setKeyTransport(String keyTransport) {
        this.keyTransport = keyTransport;
    }

    public String getInnerContent() {
        return innerContent;
    }

    public void setInnerContent(String innerContent) {
        this.innerContent = innerContent;
    }

    public String getWorkDirectory() {
        return workDirectory;
    }

    public void setWorkDirectory(String workDirectory) {
        this.workDirectory = workDirectory;
    }
}
