package org.cameldicomsecure.sign.cms;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.cameldicomsecure.sign.cms.SecureDicomFile.InnerContent;

/**
 * How {@link SecureDicomFile#decrypt} opens a Secure DICOM File: a private key with its certificate and/or a password,
 * and what it accepts inside (trust anchors for the signer of an inner SignedData, the inner content types allowed).
 *
 * <p>Immutable and reusable. The password is copied in; {@link #toString()} shows neither the password nor the key.
 */
public final class SecureFileDecryptOptions {

    /** The most PBKDF2 iterations accepted from a file unless set: a bound on the work a hostile file can demand. */
    public static final int DEFAULT_MAX_PBKDF2_ITERATIONS = 10_000_000;

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final char[] password;
    private final List<X509Certificate> trustAnchors;
    private final boolean revocationEnabled;
    private final Set<InnerContent> allowedInnerContent;
    private final int maxPbkdf2Iterations;

    private SecureFileDecryptOptions(Builder b) {
        this.privateKey = b.privateKey;
        this.certificate = b.certificate;
        this.password = b.password == null ? null : b.password.clone();
        this.trustAnchors = List.copyOf(b.trustAnchors);
        this.revocationEnabled = b.revocationEnabled;
        this.allowedInnerContent = Set.copyOf(b.allowedInnerContent);
        this.maxPbkdf2Iterations = b.maxPbkdf2Iterations;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The recipient's private key, or {@code null}: for {@link SecureDicomFile} only. */
    PrivateKey privateKey() {
        return privateKey;
    }

    /** The recipient's certificate (matched by issuer and serial number or subject key identifier), or null. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The password (the stored array), or {@code null}: for {@link SecureDicomFile} only. */
    char[] password() {
        return password;
    }

    public boolean hasPassword() {
        return password != null;
    }

    /** Trust anchors for the signer of an inner SignedData; empty: the signature is verified, the signer not. */
    public List<X509Certificate> trustAnchors() {
        return trustAnchors;
    }

    /** Whether PKIX checks revocation (the JDK's CRL distribution point / OCSP support); false unless set. */
    public boolean revocationEnabled() {
        return revocationEnabled;
    }

    /** The inner content types accepted; all three unless set. */
    public Set<InnerContent> allowedInnerContent() {
        return allowedInnerContent;
    }

    public int maxPbkdf2Iterations() {
        return maxPbkdf2Iterations;
    }

    @Override
    public String toString() {
        return "SecureFileDecryptOptions[certificate=" + (certificate == null ? "none"
                : "'" + certificate.getSubjectX500Principal().getName() + "'") + ", password="
                + (password == null ? "no" : "yes") + ", trustAnchors=" + trustAnchors.size() + ", revocation="
                + revocationEnabled + ", allowed=" + allowedInnerContent + "]";
    }

    /** Builds {@link SecureFileDecryptOptions}. */
    public static final class Builder {

        private PrivateKey privateKey;
        private X509Certificate certificate;
        private char[] password;
        private List<X509Certificate> trustAnchors = List.of();
        private boolean revocationEnabled;
        private Set<InnerContent> allowedInnerContent = EnumSet.allOf(InnerContent.class);
        private int maxPbkdf2Iterations = DEFAULT_MAX_PBKDF2_ITERATIONS;

        private Builder() {
        }

        /** Opens key transport RecipientInfos (RSA) that name {@code certificate}, with {@code key}. */
        public Builder recipient(PrivateKey key, X509Certificate certificate) {
            this.privateKey = Objects.requireNonNull(key, "key");
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /** Opens password RecipientInfos (RFC 3211). The array is copied; the caller may clear its own. */
        public Builder password(char[] password) {
            this.password = Objects.requireNonNull(password, "password").clone();
            return this;
        }

        /** Validates the signer of an inner SignedData with PKIX up to one of these certificates. */
        public Builder trustAnchors(Collection<X509Certificate> anchors) {
            this.trustAnchors = List.copyOf(Objects.requireNonNull(anchors, "anchors"));
            return this;
        }

        public Builder revocationEnabled(boolean enabled) {
            this.revocationEnabled = enabled;
            return this;
        }

        /**
         * The inner content types accepted, checked before anything is decrypted: for example only
         * {@link InnerContent#SIGNED} to insist on data origin authentication, or SIGNED and DIGESTED for the two
         * choices of PS3.15 D.1.
         */
        public Builder allowedInnerContent(Collection<InnerContent> allowed) {
            if (Objects.requireNonNull(allowed, "allowed").isEmpty()) {
                throw new IllegalArgumentException("allow at least one inner content type");
            }
            this.allowedInnerContent = EnumSet.copyOf(allowed);
            return this;
        }

        public Builder maxPbkdf2Iterations(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPbkdf2Iterations must be positive");
            }
            this.maxPbkdf2Iterations = max;
            return this;
        }

        public SecureFileDecryptOptions build() {
            return new SecureFileDecryptOptions(this);
        }
    }
}
