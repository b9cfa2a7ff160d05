package org.cameldicomsecure.sign.cms;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.cameldicomsecure.sign.cms.SecureDicomFile.DigestAlgorithm;
import org.cameldicomsecure.sign.cms.SecureDicomFile.InnerContent;
import org.cameldicomsecure.sign.cms.SecureDicomFile.KeyTransport;

/**
 * How {@link SecureDicomFile#encrypt} makes a Secure DICOM File: the content cipher, the recipients (RSA certificates
 * and passwords) and what is encrypted (the DICOM File itself, or a SignedData or DigestedData around it).
 *
 * <p>Immutable and reusable; the builder only stores and copies its arguments, and {@link SecureDicomFile#encrypt}
 * checks them (before it writes anything). Passwords are copied in; {@link #toString()} shows neither passwords nor
 * keys.
 */
public final class SecureFileOptions {

    /** PBKDF2 iterations for a password RecipientInfo unless set (RFC 8018 §4.2 asks for at least 1,000). */
    public static final int DEFAULT_PBKDF2_ITERATIONS = 100_000;

    /** The fewest PBKDF2 iterations {@link SecureDicomFile#encrypt} accepts (RFC 8018 §4.2). */
    public static final int MIN_PBKDF2_ITERATIONS = 1_000;

    private final ContentCipher cipher;
    private final KeyTransport keyTransport;
    private final List<X509Certificate> recipients;
    private final List<char[]> passwords;
    private final int pbkdf2Iterations;
    private final InnerContent innerContent;
    private final DigestAlgorithm digestAlgorithm;
    private final PrivateKey signerKey;
    private final X509Certificate signerCertificate;
    private final List<X509Certificate> signerChain;

    private SecureFileOptions(Builder b) {
        this.cipher = b.cipher;
        this.keyTransport = b.keyTransport;
        this.recipients = List.copyOf(b.recipients);
        List<char[]> pw = new ArrayList<>();
        for (char[] p : b.passwords) {
            pw.add(p.clone());
        }
        this.passwords = List.copyOf(pw);
        this.pbkdf2Iterations = b.pbkdf2Iterations;
        this.innerContent = b.innerContent;
        this.digestAlgorithm = b.digestAlgorithm;
        this.signerKey = b.signerKey;
        this.signerCertificate = b.signerCertificate;
        this.signerChain = List.copyOf(b.signerChain);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The content-encryption algorithm; {@link SecureDicomFile#DEFAULT_CIPHER} unless set. */
    public ContentCipher cipher() {
        return cipher;
    }

    /** How the content-encryption key is encrypted for each recipient certificate; PKCS #1 v1.5 unless set. */
    public KeyTransport keyTransport() {
        return keyTransport;
    }

    /** The RSA recipient certificates, in order; one KeyTransRecipientInfo each. */
    public List<X509Certificate> recipients() {
        return recipients;
    }

    /** How many passwords were given; one password RecipientInfo (RFC 3211) each. */
    public int passwordCount() {
        return passwords.size();
    }

    /** The passwords themselves (the stored arrays, not copies): for {@link SecureDicomFile} only. */
    List<char[]> passwords() {
        return passwords;
    }

    public int pbkdf2Iterations() {
        return pbkdf2Iterations;
    }

    /** What the EnvelopedData encrypts; {@link InnerContent#DATA} unless set or a signer is given. */
    public InnerContent innerContent() {
        return innerContent;
    }

    /** The digest of an inner SignedData or DigestedData; SHA-256 unless set. */
    public DigestAlgorithm digestAlgorithm() {
        return digestAlgorithm;
    }

    /** The signer's private key for an inner SignedData, or {@code null}: for {@link SecureDicomFile} only. */
    PrivateKey signerKey() {
        return signerKey;
    }

    /** The signer's certificate for an inner SignedData, or {@code null}. */
    public X509Certificate signerCertificate() {
        return signerCertificate;
    }

    /** Further certificates put in the SignedData besides the signer's (its issuing CAs, for example). */
    public List<X509Certificate> signerChain() {
        return signerChain;
    }

    @Override
    public String toString() {
        return "SecureFileOptions[cipher=" + cipher + ", keyTransport=" + keyTransport + ", recipients="
                + recipients.size() + ", passwords=" + passwords.size() + ", pbkdf2Iterations=" + pbkdf2Iterations
                + ", inner=" + innerContent + ", digest=" + digestAlgorithm
                + (signerCertificate != null ? ", signer='" + signerCertificate.getSubjectX500Principal().getName()
                        + "'" : "")
                + "]";
    }

    /** Builds {@link SecureFileOptions}; nothing is checked before {@link SecureDicomFile#encrypt}. */
    public static final class Builder {

        private ContentCipher cipher = SecureDicomFile.DEFAULT_CIPHER;
        private KeyTransport keyTransport = KeyTransport.RSAES_PKCS1_V1_5;
        private final List<X509Certificate> recipients = new ArrayList<>();
        private final List<char[]> passwords = new ArrayList<>();
        private int pbkdf2Iterations = DEFAULT_PBKDF2_ITERATIONS;
        private InnerContent innerContent = InnerContent.DATA;
        private DigestAlgorithm digestAlgorithm = DigestAlgorithm.SHA_256;
        private PrivateKey signerKey;
        private X509Certificate signerCertificate;
        private final List<X509Certificate> signerChain = new ArrayList<>();

        private Builder() {
        }

        public Builder cipher(ContentCipher cipher) {
            this.cipher = Objects.requireNonNull(cipher, "cipher");
            return this;
        }

        public Builder keyTransport(KeyTransport keyTransport) {
            this.keyTransport = Objects.requireNonNull(keyTransport, "keyTransport");
            return this;
        }

        /** Adds an RSA recipient certificate. */
        public Builder recipient(X509Certificate certificate) {
            recipients.add(Objects.requireNonNull(certificate, "certificate"));
            return this;
        }

        /** Adds RSA recipient certificates. */
        public Builder recipients(Collection<X509Certificate> certificates) {
            for (X509Certificate c : Objects.requireNonNull(certificates, "certificates")) {
                recipient(c);
            }
            return this;
        }

        /**
         * Adds a password recipient (RFC 3211 PWRI: PBKDF2 with HMAC-SHA-256, then the RFC 3211 key wrap with the
         * content cipher). The array is copied; the caller may clear its own.
         */
        public Builder password(char[] password) {
            passwords.add(Objects.requireNonNull(password, "password").clone());
            return this;
        }

        public Builder pbkdf2Iterations(int iterations) {
            this.pbkdf2Iterations = iterations;
            return this;
        }

        public Builder innerContent(InnerContent innerContent) {
            this.innerContent = Objects.requireNonNull(innerContent, "innerContent");
            return this;
        }

        public Builder digestAlgorithm(DigestAlgorithm digestAlgorithm) {
            this.digestAlgorithm = Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
            return this;
        }

        /**
         * Signs the DICOM File in an inner SignedData (sets {@link InnerContent#SIGNED}): RSA (PKCS #1 v1.5, as PS3.15
         * D.1 requires) or ECDSA (beyond D.1), with {@code certificate} and {@code chain} put in the SignedData.
         */
        public Builder signer(PrivateKey key, X509Certificate certificate, X509Certificate... chain) {
            this.signerKey = Objects.requireNonNull(key, "key");
            this.signerCertificate = Objects.requireNonNull(certificate, "certificate");
            this.signerChain.clear();
            for (X509Certificate c : Objects.requireNonNull(chain, "chain")) {
                this.signerChain.add(Objects.requireNonNull(c, "chain element"));
            }
            this.innerContent = InnerContent.SIGNED;
            return this;
        }

        public SecureFileOptions build() {
            return new SecureFileOptions(this);
        }
    }
}
