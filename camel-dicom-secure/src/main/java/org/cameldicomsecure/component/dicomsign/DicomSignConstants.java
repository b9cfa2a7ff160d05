package org.cameldicomsecure.component.dicomsign;

import org.apache.camel.spi.Metadata;
import org.cameldicomsecure.component.dicom.DicomHeaders;

/** The headers of the {@code dicomsign} component. None carries patient data. */
public final class DicomSignConstants {

    @Metadata(label = "verify", description = "Outcome of verify: VALID (every signature valid and the requirement met), "
            + "INVALID (a signature is invalid, or require is not met) or ABSENT (no signature).", javaType = "String",
              enums = "VALID,INVALID,ABSENT")
    public static final String SIGNATURE_STATUS = "CamelDicomSignatureStatus";
    @Metadata(label = "verify", description = "One map per signature found (top level and in sequence items): location "
            + "(item path, empty at the top level), uid, macIdNumber, dateTime, signerSubject, keyAlgorithm, macAlgorithm, "
            + "purpose, profiles (the PS3.15 profiles whose required attributes it covers), timestamped, timestampTime, "
            + "signedTags (ggggeeee list), valid and reason. After sign: the new signature's map.",
              javaType = "java.util.List<java.util.Map<String, Object>>")
    public static final String SIGNATURES = "CamelDicomSignatures";
    @Metadata(label = "verify", description = "Why the status is not VALID (never a value of the data set).",
              javaType = "String")
    public static final String SIGNATURE_FAILURE = "CamelDicomSignatureFailure";
    @Metadata(label = "sign", description = "Digital Signature UID (0400,0100) of the signature just added.",
              javaType = "String")
    public static final String SIGNATURE_UID = "CamelDicomSignatureUid";
    @Metadata(label = "remove", description = "How many signatures remove took out.", javaType = "Integer")
    public static final String SIGNATURES_REMOVED = "CamelDicomSignaturesRemoved";
    @Metadata(label = "decrypt", description = "Content encryption algorithm of the Secure DICOM File that was "
            + "decrypted (e.g. AES-128-CBC) or that encrypt used.", javaType = "String")
    public static final String CONTENT_CIPHER = "CamelDicomSecureFileCipher";
    @Metadata(label = "decrypt", description = "What the EnvelopedData wrapped: DATA, SIGNED (SignedData, whose "
            + "signature was verified) or DIGESTED (DigestedData, whose digest was checked).", javaType = "String")
    public static final String INNER_CONTENT = "CamelDicomSecureFileContent";
    @Metadata(label = "decrypt", description = "Subject of the signer of an inner SignedData.", javaType = "String")
    public static final String CONTENT_SIGNER = "CamelDicomSecureFileSigner";
    @Metadata(description = "SOP Instance UID of the instance.", javaType = "String")
    public static final String SOP_INSTANCE_UID = DicomHeaders.SOP_INSTANCE_UID;
    @Metadata(description = "SOP Class UID of the instance.", javaType = "String")
    public static final String SOP_CLASS_UID = DicomHeaders.SOP_CLASS_UID;

    private DicomSignConstants() {
    }
}
