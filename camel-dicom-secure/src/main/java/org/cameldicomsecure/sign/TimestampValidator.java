package org.cameldicomsecure.sign;

import java.time.Instant;

/** Checks a Certified Timestamp (0400,0310) of type CMS_TSP against the Signature value it certifies. */
@FunctionalInterface
public interface TimestampValidator {

    /**
     * The certified time of {@code token}.
     *
     * @throws SignatureException naming why the token is not a valid timestamp of {@code signature}
     */
    Instant validate(byte[] token, byte[] signature) throws SignatureException;
}
