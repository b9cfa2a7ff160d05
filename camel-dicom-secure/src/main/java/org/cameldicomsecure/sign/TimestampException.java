package org.cameldicomsecure.sign;

import java.util.Objects;

/**
 * An RFC 3161 certified timestamp (PS3.3 C.12.1.1.3.1.3, Certified Timestamp (0400,0310)) could not be obtained from a
 * TSA ({@link TimestampClient}) or does not verify ({@link TimestampVerifier}). The message names the TSA URL (without
 * user information, query or fragment), algorithms, PKI status and failure information, certificate subjects, issuers
 * and serial numbers; it never contains the timestamped data, digests of it or key material.
 */
public final class TimestampException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why it failed, so that callers can react without parsing messages. */
    public enum Reason {
        /** The TSA could not be reached or did not answer in time (connection refused, timeout, I/O error). */
        CONNECTION,
        /**
         * The TSA answered, but not with an RFC 3161 reply: an HTTP status other than 200, a content type other than
         * {@code application/timestamp-reply}, a body that is too large or is not a TimeStampResp.
         */
        BAD_RESPONSE,
        /** The TSA refused the request: PKIStatus other than granted or grantedWithMods, or no token in the reply. */
        REJECTED,
        /** The token does not answer our request: wrong nonce, wrong message imprint algorithm, wrong policy. */
        RESPONSE_MISMATCH,
        /** The bytes are not an RFC 3161 TimeStampToken (a CMS ContentInfo with SignedData over a TSTInfo). */
        NOT_A_TOKEN,
        /** The message imprint uses a hash algorithm this implementation does not accept (for example MD5). */
        UNSUPPORTED_ALGORITHM,
        /** The token's message imprint is not the hash of the given data: it timestamps other data. */
        IMPRINT_MISMATCH,
        /** Neither the token nor the trusted certificates hold the certificate named by the token's signer. */
        SIGNER_CERTIFICATE_MISSING,
        /**
         * The token's CMS signature does not verify with the TSA certificate, or its signing-certificate attribute
         * (RFC 5035 ESSCertIDv2 / RFC 2634 ESSCertID) does not identify that certificate.
         */
        SIGNATURE_INVALID,
        /**
         * The TSA certificate may not sign timestamps: RFC 3161 §2.3 requires exactly one, critical, extended key usage
         * {@code id-kp-timeStamping}.
         */
        NOT_A_TSA_CERTIFICATE,
        /** The token's time (genTime) lies outside the TSA certificate's validity period. */
        OUTSIDE_CERTIFICATE_VALIDITY,
        /** No certification path (PKIX, at the token's time, revocation not checked) leads from the TSA to a trust anchor. */
        UNTRUSTED
    }

    private final Reason reason;

    public TimestampException(Reason reason, String message) {
        this(reason, message, null);
    }

    public TimestampException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
