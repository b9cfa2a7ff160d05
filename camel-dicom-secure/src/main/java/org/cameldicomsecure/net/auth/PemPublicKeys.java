package org.cameldicomsecure.net.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one public key from a PEM file: {@code PUBLIC KEY} (SubjectPublicKeyInfo) or {@code CERTIFICATE}. */
final class PemPublicKeys {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private PemPublicKeys() {
    }

    static PublicKey read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String label = m.group(1);
            if (label.contains("PRIVATE KEY")) {
                throw new IOException(file + " holds a private key (" + label + "); give the public key");
            }
            if (label.equals("RSA PUBLIC KEY")) {
                throw new IOException(file + ": PKCS#1 'RSA PUBLIC KEY' is not supported; convert it to "
                        + "'PUBLIC KEY' (openssl rsa -RSAPublicKey_in -pubout)");
            }
            if (!label.equals("PUBLIC KEY") && !label.equals("CERTIFICATE")) {
                continue;
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": bad base64 in the " + label + " block");
            }
            try {
                if (label.equals("CERTIFICATE")) {
                    return CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                }
                return publicKey(der);
            } catch (GeneralSecurityException e) {
                throw new IOException(file + ": cannot decode the " + label + " block (" + e.getMessage() + ")", e);
            }
        }
        throw new IOException(file + " holds no PEM 'PUBLIC KEY' or 'CERTIFICATE' block");
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException first = null;
        for (String alg : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                first = first == null ? e : first;
            }
        }
        throw new GeneralSecurityException("neither an RSA nor an EC public key", first);
    }
}
