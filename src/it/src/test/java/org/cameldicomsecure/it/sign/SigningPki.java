package org.cameldicomsecure.it.sign;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * A throw-away PKI for the signature integration tests, made with Bouncy Castle under a temporary directory (nothing
 * is committed): a self-signed RSA 2048 CA, an RSA 2048 and an ECDSA P-256 signer issued by it (key usage
 * digitalSignature and nonRepudiation), and an unrelated CA that trusts nobody here. Every key and certificate is also
 * written as a PEM file, the key as unencrypted PKCS #8, which DCMTK's {@code dcmsign} reads with its default
 * {@code --pem-keys} and without asking for a password. Certificates are valid from yesterday for 30 days, so that a
 * signature made now lies well inside their validity; serial numbers stay below 2^63 (DCMTK prints larger ones as
 * -1, shared/PEERS.md).
 */
public final class SigningPki {

    private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 1000L);

    /** A key and its certificate, in memory and as PEM files. */
    public record Issued(PrivateKey key, X509Certificate cert, Path keyPem, Path certPem) {
    }

    /** The directory holding the PEM files. */
    public final Path dir;
    /** The trusted CA (self-signed, RSA 2048, key usage keyCertSign and cRLSign). */
    public final Issued ca;
    /** A CA that issued none of the signers, for "untrusted" checks. */
    public final Issued otherCa;
    /** The RSA 2048 signer. */
    public final Issued rsa;
    /** The ECDSA P-256 signer. */
    public final Issued ec;

    private SigningPki(Path dir) throws IOException, GeneralSecurityException {
        this.dir = dir;
        Instant notBefore = Instant.now().minus(Duration.ofDays(1));
        Instant notAfter = Instant.now().plus(Duration.ofDays(30));
        KeyPair caPair = rsaPair();
        String caName = "CN=camel-dicom-secure signing IT CA,O=camel-dicom-secure test";
        ca = write("ca", caPair.getPrivate(), issue(caPair, caName, caPair, caName, true, notBefore, notAfter));
        KeyPair otherPair = rsaPair();
        String otherName = "CN=camel-dicom-secure unrelated CA,O=camel-dicom-secure test";
        otherCa = write("other-ca", otherPair.getPrivate(),
                issue(otherPair, otherName, otherPair, otherName, true, notBefore, notAfter));
        KeyPair rsaPair = rsaPair();
        rsa = write("rsa-signer", rsaPair.getPrivate(), issue(rsaPair, "CN=RSA modality signer,O=camel-dicom-secure test",
                caPair, caName, false, notBefore, notAfter));
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ecPair = g.generateKeyPair();
        ec = write("ec-signer", ecPair.getPrivate(), issue(ecPair, "CN=ECDSA modality signer,O=camel-dicom-secure test",
                caPair, caName, false, notBefore, notAfter));
    }

    /** Makes the PKI and writes its PEM files into {@code dir}. */
    public static SigningPki create(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        return new SigningPki(dir);
    }

    private static KeyPair rsaPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate issue(KeyPair subjectPair, String subject, KeyPair issuerPair, String issuer,
            boolean isCa, Instant notBefore, Instant notAfter) throws GeneralSecurityException, IOException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                new X500Name(subject), subjectPair.getPublic());
        if (isCa) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerPair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a test certificate", e);
        }
    }

    private Issued write(String name, PrivateKey key, X509Certificate cert) throws IOException {
        Path certPem = writePem(dir.resolve(name + ".cert.pem"), cert);
        Path keyPem = writePem(dir.resolve(name + ".key.pem"), new JcaPKCS8Generator(key, null));
        return new Issued(key, cert, keyPem, certPem);
    }

    private static Path writePem(Path file, Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            if (o instanceof PemObjectGenerator g) {
                w.writeObject(g);
            } else {
                w.writeObject(o);
            }
        }
        return Files.writeString(file, sw.toString(), StandardCharsets.US_ASCII);
    }
}
