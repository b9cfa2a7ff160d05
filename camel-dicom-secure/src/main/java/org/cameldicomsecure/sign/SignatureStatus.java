package org.cameldicomsecure.sign;

/** The outcome of verifying the digital signatures of an instance. */
public enum SignatureStatus {
    /** Every signature is valid and the requirement (if any) is met. */
    VALID,
    /** A signature is invalid, or the requirement is not met. */
    INVALID,
    /** The instance holds no digital signature. */
    ABSENT
}
