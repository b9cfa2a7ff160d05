package org.cameldicomsecure.component.dicomdeid;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * Options of the {@code dicomdeid} component: the Basic Application Confidentiality Profile's options of PS3.15
 * Table E.1-1 and the key material for re-identification. Plain fields only: {@link DicomDeidEndpoint} translates them
 * into {@code org.cameldicomsecure.deid}'s own options.
 */
@UriParams
public class DicomDeidConfiguration implements Cloneable {

    @UriPath(enums = "deidentify,reidentify", description = "deidentify (PS3.15 Annex E) or reidentify (E.1.2)")
    @Metadata(required = true)
    private String operation;
    @UriParam(label = "deidentify", defaultValue = "false", description = "Retain Safe Private Option (PS3.15 E.3.10, code 113111): keep the private attributes known to be safe (Table E.3.10-1, blocks marked SAFE, Nonidentifying Private Elements) with their Private Creator elements; all other private attributes are removed either way.")
    private boolean retainSafePrivate = false;
    @UriParam(label = "deidentify", defaultValue = "false", description = "Retain UIDs Option (E.3.9, 113110): keep UIDs instead of replacing them.")
    private boolean retainUids = false;
    @UriParam(label = "deidentify", defaultValue = "false", description = "Retain Device Identity Option (E.3.8, 113109): keep device identity (serial numbers and the like); AE titles are cleaned.")
    private boolean retainDeviceIdentity = false;
    @UriParam(label = "deidentify", defaultValue = "false", description = "Retain Institution Identity Option (E.3.11, 113112).")
    private boolean retainInstitutionIdentity = false;
    @UriParam(label = "deidentify", defaultValue = "false", description = "Retain Patient Characteristics Option (E.3.7, 113108): keep age, sex, size, weight and similar.")
    private boolean retainPatientCharacteristics = false;
    @UriParam(label = "deidentify", defaultValue = "OFF", enums = "OFF,FULL,MODIFIED", description = "Retain Longitudinal Temporal Information (E.3.6): OFF (dates and times removed or emptied as the Basic Profile says; (0028,0303) = REMOVED), FULL (Full Dates Option 113106: kept; UNMODIFIED) or MODIFIED (Modified Dates Option 113107: shifted by a per-patient offset derived from uidSecret, intervals kept; MODIFIED).")
    private String retainLongitudinalTemporal = "OFF";
    @UriParam(label = "deidentify", defaultValue = "false", description = "Clean Descriptors Option (E.3.5, 113105): clean free-text descriptors instead of removing them (see deid-rules.md for how).")
    private boolean cleanDescriptors = false;
    @UriParam(label = "deidentify", defaultValue = "false", description = "Clean Structured Content Option (E.3.4, 113104): clean SR content, acquisition context and specimen preparation items by concept name (Table E.3.4-1).")
    private boolean cleanStructuredContent = false;
    @UriParam(label = "deidentify", defaultValue = "false", description = "Clean Graphics Option (E.3.3, 113103): clean, instead of remove, graphics and text annotations.")
    private boolean cleanGraphics = false;
    @UriParam(label = "deidentify", defaultValue = "false", description = "Clean Pixel Data Option (E.3.1, 113101): black out the regions of pixelMasks in native (uncompressed) Pixel Data; an image no mask matches, or compressed Pixel Data, fails the exchange. Sets Burned In Annotation to NO.")
    private boolean cleanPixelData = false;
    @UriParam(label = "deidentify", defaultValue = "false", description = "Clean Recognizable Visual Features Option (E.3.2, 113102): like cleanPixelData, the pixelMasks regions are blacked out (no face detection is done); sets Recognizable Visual Features to NO.")
    private boolean cleanRecognizableVisualFeatures = false;
    @UriParam(label = "deidentify", description = "File of pixel masks for cleanPixelData and cleanRecognizableVisualFeatures: one per line, 'modality=US; manufacturer=ACME; rows=480; columns=640; region=x,y,width,height; region=...' (any criterion may be left out).")
    private String pixelMasks;
    @UriParam(label = "deidentify", defaultValue = "REJECT", enums = "REJECT,ALLOW", description = "What to do with an instance whose Burned In Annotation (0028,0301) is YES when cleanPixelData is off: REJECT fails the exchange, ALLOW lets it pass.")
    private String burnedInAnnotation = "REJECT";
    @UriParam(label = "deidentify,security", secret = true, description = "Secret (at least 16 bytes) from which replacement UIDs (HMAC-SHA256, in the 2.25 form) and per-patient date shifts are derived: the same secret gives the same UIDs across instances, studies and restarts. Without it, a random secret is made at start (with a warning), so UIDs are consistent only until the route restarts.")
    private String uidSecret;
    @UriParam(label = "deidentify,security", description = "PEM files (comma-separated) of the recipient certificates (RSA) to which the original values are encrypted, as CMS EnvelopedData in Encrypted Attributes Sequence (0400,0500), for later reidentify; without it the original values are not kept.")
    private String encryptTo;
    @UriParam(label = "reidentify,security", description = "PEM file of the recipient's private key (reidentify).")
    private String privateKey;
    @UriParam(label = "reidentify,security", secret = true, description = "Password of an encrypted privateKey.")
    private String privateKeyPassword;
    @UriParam(label = "reidentify,security", description = "PEM file of the recipient's certificate (reidentify), which identifies the recipient entry to decrypt.")
    private String certificate;
    @UriParam(label = "advanced", description = "Folder for the result files (the result is written streaming to a temporary file there, deleted when the exchange completes); default: the JVM's temporary folder.")
    private String workDirectory;

    /** A copy for an endpoint. */
    public DicomDeidConfiguration copy() {
        try {
            return (DicomDeidConfiguration) clone();
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

    public boolean isRetainSafePrivate() {
        return retainSafePrivate;
    }

    public void setRetainSafePrivate(boolean retainSafePrivate) {
        this.retainSafePrivate = retainSafePrivate;
    }

    public boolean isRetainUids() {
        return retainUids;
    }

    public void setRetainUids(boolean retainUids) {
        this.retainUids = retainUids;
    }

    public boolean isRetainDeviceIdentity() {
        return retainDeviceIdentity;
    }

    public void setRetainDeviceIdentity(boolean retainDeviceIdentity) {
        this.retainDeviceIdentity = retainDeviceIdentity;
    }

    public boolean isRetainInstitutionIdentity() {
        return retainInstitutionIdentity;
    }

    public void setRetainInstitutionIdentity(boolean retainInstitutionIdentity) {
        this.retainInstitutionIdentity = retainInstitutionIdentity;
    }

    public boolean isRetainPatientCharacteristics() {
        return retainPatientCharacteristics;
    }

    public void setRetainPatientCharacteristics(boolean retainPatientCharacteristics) {
        this.retainPatientCharacteristics = retainPatientCharacteristics;
    }

    public String getRetainLongitudinalTemporal() {
        return retainLongitudinalTemporal;
    }

    public void setRetainLongitudinalTemporal(String retainLongitudinalTemporal) {
        this.retainLongitudinalTemporal = retainLongitudinalTemporal;
    }

    public boolean isCleanDescriptors() {
        return cleanDescriptors;
    }

    public void setCleanDescriptors(boolean cleanDescriptors) {
        this.cleanDescriptors = cleanDescriptors;
    }

    public boolean isCleanStructuredContent() {
        return cleanStructuredContent;
    }

    public void setCleanStructuredContent(boolean cleanStructuredContent) {
        this.cleanStructuredContent = cleanStructuredContent;
    }

    public boolean isCleanGraphics() {
        return cleanGraphics;
    }

    public void setCleanGraphics(boolean cleanGraphics) {
        this.cleanGraphics = cleanGraphics;
    }

    public boolean isCleanPixelData() {
        return cleanPixelData;
    }

    public void setCleanPixelData(boolean cleanPixelData) {
        this.cleanPixelData = cleanPixelData;
    }

    public boolean isCleanRecognizableVisualFeatures() {
        return cleanRecognizableVisualFeatures;
    }

    public void setCleanRecognizableVisualFeatures(boolean cleanRecognizableVisualFeatures) {
        this.cleanRecognizableVisualFeatures = cleanRecognizableVisualFeatures;
    }

    public String getPixelMasks() {
        return pixelMasks;
    }

    public void setPixelMasks(String pixelMasks) {
        this.pixelMasks = pixelMasks;
    }

    public String getBurnedInAnnotation() {
        return burnedInAnnotation;
    }

    public void setBurnedInAnnotation(String burnedInAnnotation) {
        this.burnedInAnnotation = burnedInAnnotation;
    }

    public String getUidSecret() {
        return uidSecret;
    }

    public void setUidSecret(String uidSecret) {
        this.uidSecret = uidSecret;
    }

    public String getEncryptTo() {
        return encryptTo;
    }

    public void setEncryptTo(String encryptTo) {
        this.encryptTo = encryptTo;
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

    public String getWorkDirectory() {
        return workDirectory;
    }

    public void setWorkDirectory(String workDirectory) {
        this.workDirectory = workDirectory;
    }
}
