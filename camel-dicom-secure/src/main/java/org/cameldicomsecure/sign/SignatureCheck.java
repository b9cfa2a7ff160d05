package org.cameldicomsecure.sign;

import java.time.Instant;
import java.util.Set;

/**
 * The verification of one digital signature.
 *
 * @param info          what the signature item says
 * @param valid         whether the MAC, the signature, the certificate of signer and the timestamp (if any) all check out
 * @param reason        why it is not valid (null if valid); never a value of the data set
 * @param profiles      the PS3.15 profiles whose required attributes the signature covers (empty for non-RSA keys)
 * @param timestampTime the time certified by a valid Certified Timestamp, or null
 */
public record SignatureCheck(SignatureInfo info, boolean valid, String reason, Set<SignatureProfile> profiles,
        Instant timestampTime) {

    public SignatureCheck {
        profiles = Set.copyOf(profiles);
    }
}
