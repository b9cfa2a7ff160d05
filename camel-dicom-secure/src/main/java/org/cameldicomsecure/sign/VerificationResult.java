package org.cameldicomsecure.sign;

import java.util.List;

/**
 * The verification of every digital signature of an instance, top level and nested.
 *
 * @param status     VALID, INVALID or ABSENT ({@link SignatureStatus})
 * @param signatures one check per Digital Signatures Sequence item, in data set order (depth first)
 * @param reason     why the status is not VALID, or null
 */
public record VerificationResult(SignatureStatus status, List<SignatureCheck> signatures, String reason) {

    public VerificationResult {
        signatures = List.copyOf(signatures);
    }
}
