package org.cameldicomsecure.sign;

import java.time.Instant;
import java.util.Objects;

/**
 * What a verified RFC 3161 timestamp token states ({@link TimestampVerifier#verify}).
 *
 * @param genTime       the TSA's time (TSTInfo genTime, RFC 3161 §2.4.2)
 * @param tsaSubject    the subject of the TSA certificate that signed the token, RFC 2253
 *                      ({@link javax.security.auth.x500.X500Principal#getName()})
 * @param policyOid     the TSA policy (TSTInfo policy), dotted OID
 * @param hashAlgorithm the message imprint's hash algorithm, as a JCA name ({@code SHA-256}, {@code SHA-384}, ...)
 */
public record TimestampInfo(Instant genTime, String tsaSubject, String policyOid, String hashAlgorithm) {

    public TimestampInfo {
        Objects.requireNonNull(genTime, "genTime");
        Objects.requireNonNull(tsaSubject, "tsaSubject");
        Objects.requireNonNull(policyOid, "policyOid");
        Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
    }
}
