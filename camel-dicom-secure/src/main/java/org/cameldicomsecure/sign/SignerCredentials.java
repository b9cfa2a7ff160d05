package org.cameldicomsecure.sign;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * The signer of a DICOM digital signature: a private key and the X.509 certificate of its public key, which goes into
 * Certificate of Signer (0400,0115).
 *
 * <p>Checked when made: the key is RSA or EC, the certificate carries the public key of that private key, and, if it
 * has a key usage extension, allows digitalSignature or nonRepudiation.
 */
public final class SignerCredentials {

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final List<X509Certificate> chain;

    private SignerCredentials(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain) {
        this.key = key;
        this.certificate = certificate;
        this.chain = chain;
    }

    /**
     * Credentials from a key and its certificate chain (the signer's certificate first; the others are not written).
     *
     * @throws SignatureException if the key cannot sign DICOM objects or does not belong to the certificate
     */
    public static SignerCredentials of(PrivateKey key, List<X509Certificate> chain) throws SignatureException {
        Objects.requireNonNull(key, "key");
        if (chain == null || chain.isEmpty()) {
            throw new SignatureException("no certificate of signer: a signature needs the certificate of the private key");
        }
        X509Certificate cert = chain.get(0);
        String alg = key.getAlgorithm();
        if (!"RSA".equals(alg) && !"EC".equals(alg)) {
            throw new SignatureException("a " + alg + " private key cannot make a DICOM digital signature: RSA "
                    + "(PS3.15 C.1) or ECDSA keys only");
        }
        if (!alg.equals(cert.getPublicKey().getAlgorithm())) {
            throw new SignatureException("the private key is " + alg + " but the certificate of "
                    + cert.getSubjectX500Principal().getName() + " holds a " + cert.getPublicKey().getAlgorithm() + " key");
        }
        boolean[] usage = cert.getKeyUsage();
        if (usage != null && !usage[0] && !(usage.length > 1 && usage[1])) {
            throw new SignatureException("the certificate of " + cert.getSubjectX500Principal().getName()
                    + " may not sign: its key usage allows neither digitalSignature nor nonRepudiation");
        }
        try {
            String sigAlg = MacAlgorithm.SHA256.signatureName(alg);
            byte[] probe = "camel-dicom-secure key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Jca.signature(sigAlg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Jca.signature(sigAlg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            if (!v.verify(sig)) {
                throw new SignatureException("the private key does not belong to the certificate of "
                        + cert.getSubjectX500Principal().getName());
            }
        } catch (GeneralSecurityException e) {
            throw new SignatureException("the private key cannot sign with the certificate of "
                    + cert.getSubjectX500Principal().getName() + ": " + e.getMessage(), e);
        }
        return new SignerCredentials(key, cert, List.copyOf(chain));
    }

    /** Credentials from a key and its certificate. */
    public static SignerCredentials of(PrivateKey key, X509Certificate certificate) throws SignatureException {
        return of(key, certificate == null ? List.of() : List.of(certificate));
    }

    /**
     * Checks that the certificate is valid at {@code when}: a new signature must not be made with an expired or
     * not yet valid certificate.
     */
    void checkValidAt(Date when) throws SignatureException {
        try {
            certificate.checkValidity(when);
        } catch (CertificateExpiredException e) {
            throw new SignatureException("the certificate of signer " + certificate.getSubjectX500Principal().getName()
                    + " expired on " + certificate.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new SignatureException("the certificate of signer " + certificate.getSubjectX500Principal().getName()
                    + " is not valid before " + certificate.getNotBefore().toInstant());
        }
    }

    public PrivateKey key() {
        return key;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    /** "RSA" or "EC". */
    public String keyAlgorithm() {
        return key.getAlgorithm();
    }
}
