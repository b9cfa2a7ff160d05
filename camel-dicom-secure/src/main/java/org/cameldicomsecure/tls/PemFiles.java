package org.cameldicomsecure.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM certificates, PEM private keys (PKCS#8 or traditional OpenSSL, RSA or EC, optionally encrypted) and
 * CRLs (PEM or DER). Errors name the option and the file; they never contain a password or key bytes.
 */
public final class PemFiles {

    private PemFiles() {
    }

    /** Fails unless {@code file} is a readable regular file. */
    static void requireReadable(String option, Path file) {
        if (!Files.exists(file)) {
            throw new TlsConfigurationException(option + " file '" + file + "' does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new TlsConfigurationException(option + " file '" + file + "' is not a readable file");
        }
    }

    /** All X.509 certificates of a PEM file, in file order; at least one. */
    public static List<X509Certificate> readCertificates(String option, Path file) {
        requireReadable(option, file);
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    certs.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsConfigurationException(option + " file '" + file + "' is not a valid PEM certificate file: "
                    + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new TlsConfigurationException(option + " file '" + file
                    + "' contains no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    /**
     * The private key of a PEM file: PKCS#8 ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY") or traditional OpenSSL ("RSA
     * PRIVATE KEY", "EC PRIVATE KEY", encrypted with a Proc-Type header). Other PEM objects in the file (EC
     * parameters, certificates) are skipped.
     */
    public static PrivateKey readPrivateKey(String option, Path file, String passwordOption, char[] password) {
        requireReadable(option, file);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof PEMKeyPair kp) {
                    // an "EC PRIVATE KEY" may come without its public key: use the private part only
                    return converter.getPrivateKey(kp.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMEncryptedKeyPair ekp) {
                    requirePassword(option, file, passwordOption, password);
                    PEMKeyPair kp;
                    try {
                        kp = ekp.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                                .setProvider(JsseProvider.bouncyCastle()).build(password));
                    } catch (IOException | RuntimeException e) {
                        throw wrongPassword(option, file, passwordOption, e);
                    }
                    return converter.getPrivateKey(kp.getPrivateKeyInfo());
                }
                if (o instanceof PKCS8EncryptedPrivateKeyInfo epki) {
                    requirePassword(option, file, passwordOption, password);
                    PrivateKeyInfo info;
                    try {
                        InputDecryptorProvider dec = new JceOpenSSLPKCS8DecryptorProviderBuilder()
                                .setProvider(JsseProvider.bouncyCastle()).build(password);
                        info = epki.decryptPrivateKeyInfo(dec);
                    } catch (Exception e) {
                        throw wrongPassword(option, file, passwordOption, e);
                    }
                    return converter.getPrivateKey(info);
                }
            }
        } catch (TlsConfigurationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new TlsConfigurationException(option + " file '" + file + "' is not a valid PEM private key file: "
                    + e.getMessage(), e);
        }
        throw new TlsConfigurationException(option + " file '" + file + "' contains no PEM private key");
    }

    private static void requirePassword(String option, Path file, String passwordOption, char[] password) {
        if (password == null || password.length == 0) {
            throw new TlsConfigurationException(option + " file '" + file + "' is encrypted: set " + passwordOption);
        }
    }

    private static TlsConfigurationException wrongPassword(String option, Path file, String passwordOption,
                                                           Exception e) {
        // the cause's message names the algorithm at most; the password itself is never part of it
        return new TlsConfigurationException(option + " file '" + file + "' cannot be decrypted: wrong "
                + passwordOption + "?", e);
    }

    /** The CRLs of a file, PEM ("-----BEGIN X509 CRL-----") or DER; at least one. */
    public static List<X509CRL> readCrls(String option, Path file) {
        requireReadable(option, file);
        List<X509CRL> crls = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (CRL c : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                if (c instanceof X509CRL x) {
                    crls.add(x);
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new TlsConfigurationException(option + " file '" + file + "' is not a CRL (PEM or DER): "
                    + e.getMessage(), e);
        }
        if (crls.isEmpty()) {
            throw new TlsConfigurationException(option + " file '" + file + "' contains no CRL");
        }
        return crls;
    }
}
