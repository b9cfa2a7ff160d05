package org.cameldicomsecure.sign;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * How {@link SignatureVerifier} checks signatures: the certificates it trusts (PKIX trust anchors for the Certificate
 * of Signer, checked at the signing time), optional CRLs (revocation is checked when any are given), the checker of
 * certified timestamps, and what the instance must carry. Immutable; made with {@link #builder()}.
 */
public final class VerificationOptions {

    private final List<X509Certificate> trustedCertificates;
    private final List<X509CRL> crls;
    private final TimestampValidator timestampValidator;
    private final SignatureRequirement requirement;

    private VerificationOptions(Builder b) {
        this.trustedCertificates = List.copyOf(b.trustedCertificates);
        this.crls = List.copyOf(b.crls);
        this.timestampValidator = b.timestampValidator;
        this.requirement = b.requirement;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    public List<X509CRL> crls() {
        return crls;
    }

    /** Null: a signature with a Certified Timestamp is invalid, as the timestamp cannot be checked. */
    public TimestampValidator timestampValidator() {
        return timestampValidator;
    }

    /** Null: no requirement (an unsigned instance is ABSENT, not INVALID). */
    public SignatureRequirement requirement() {
        return requirement;
    }

    public static final class Builder {
        private List<X509Certificate> trustedCertificates = List.of();
        private List<X509CRL> crls = List.of();
        private TimestampValidator timestampValidator;
        private SignatureRequirement requirement;

        private Builder() {
        }

        public Builder trustedCertificates(List<X509Certificate> certificates) {
            this.trustedCertificates = List.copyOf(certificates);
            return this;
        }

        public Builder crls(List<X509CRL> crls) {
            this.crls = List.copyOf(crls);
            return this;
        }

        public Builder timestampValidator(TimestampValidator validator) {
            this.timestampValidator = validator;
            return this;
        }

        public Builder requirement(SignatureRequirement requirement) {
            this.requirement = requirement;
            return this;
        }

        public VerificationOptions build() {
            return new VerificationOptions(this);
        }
    }
}
