package org.cameldicomsecure.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI under a temporary directory, made with Bouncy Castle: a CA, an unrelated CA, RSA 2048 and EC P-256
 * server and client certificates, an expired one, a revoked one with CRLs (PEM and DER), an RSA 1024 one and a
 * SHA-1-signed one. Serials stay below 2^63 (DCMTK prints larger ones as -1). Nothing is committed.
 */
public final class TestPki {

    public static final String PASSWORD = "s3cret-pw";

    private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 1000L);

    /** A certificate with its key, written as PEM files. */
    public record Issued(X509Certificate cert, PrivateKey key, Path certPem, Path keyPem, Issued issuer) {

        BigInteger serial() {
            return cert.getSerialNumber();
        }
    }

    public final Path dir;
    public final Issued ca;
    public final Issued otherCa;
    public final Issued serverRsa;
    public final Issued serverEc;
    public final Issued clientRsa;
    public final Issued clientEc;
    public final Issued clientExpired;
    public final Issued clientRevoked;
    public final Issued clientOtherCa;
    public final Issued clientRsa1024;
    public final Issued clientSha1;
    public final Issued serverRsa1024;
    public final Path crlPem;
    public final Path crlDer;
    public final Path emptyCrlPem;

    private TestPki(Path dir) throws Exception {
        this.dir = dir;
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(30));
        ca = selfSigned("ca", "CN=Test DICOM CA,O=camel-dicom-secure tests", rsa(2048), from, to);
        otherCa = selfSigned("other-ca", "CN=Unrelated CA,O=camel-dicom-secure tests", rsa(2048), from, to);
        List<GeneralName> serverNames = List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "*.dicom.example"));
        serverRsa = issue("server-rsa", "CN=localhost,O=server rsa", rsa(2048), ca, from, to, serverNames,
                "SHA256withRSA");
        serverEc = issue("server-ec", "CN=localhost,O=server ec", ec(), ca, from, to, serverNames, "SHA256withRSA");
        serverRsa1024 = issue("server-rsa1024", "CN=localhost,O=server rsa 1024", rsa(1024), ca, from, to,
                serverNames, "SHA256withRSA");
        clientRsa = issue("client-rsa", "CN=STORESCU,O=client rsa", rsa(2048), ca, from, to, List.of(),
                "SHA256withRSA");
        clientEc = issue("client-ec", "CN=STORESCU,O=client ec", ec(), ca, from, to, List.of(), "SHA256withRSA");
        clientExpired = issue("client-expired", "CN=STORESCU,O=client expired", rsa(2048), ca,
                now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30)), List.of(), "SHA256withRSA");
        clientRevoked = issue("client-revoked", "CN=STORESCU,O=client revoked", rsa(2048), ca, from, to, List.of(),
                "SHA256withRSA");
        clientOtherCa = issue("client-other-ca", "CN=STORESCU,O=client other ca", rsa(2048), otherCa, from, to,
                List.of(), "SHA256withRSA");
        clientRsa1024 = issue("client-rsa1024", "CN=STORESCU,O=client rsa 1024", rsa(1024), ca, from, to,
                List.of(), "SHA256withRSA");
        clientSha1 = issue("client-sha1", "CN=STORESCU,O=client sha1", rsa(2048), ca, from, to, List.of(),
                "SHA1withRSA");
        X509CRL crl = crl(ca, List.of(clientRevoked.serial()));
        crlPem = writePem(dir.resolve("ca-crl.pem"), crl);
        crlDer = Files.write(dir.resolve("ca-crl.der"), crl.getEncoded());
        emptyCrlPem = writePem(dir.resolve("ca-crl-empty.pem"), crl(ca, List.of()));
    }

    public static TestPki create(Path dir) throws Exception {
        return new TestPki(dir);
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private Issued selfSigned(String name, String dn, KeyPair kp, Instant from, Instant to) throws Exception {
        X500Principal subject = new X500Principal(dn);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, nextSerial(), Date.from(from),
                Date.from(to), subject, kp.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        X509Certificate cert = sign(b, kp.getPrivate(), "SHA256withRSA");
        return write(name, cert, kp.getPrivate(), null);
    }

    /** Issues an end-entity certificate (serverAuth and clientAuth) and writes it and its key as PEM. */
    Issued issue(String name, String dn, KeyPair kp, Issued issuer, Instant from, Instant to,
                 List<GeneralName> sans, String sigAlg) throws Exception {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        boolean rsaKey = kp.getPublic().getAlgorithm().equals("RSA");
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer.cert(), nextSerial(), Date.from(from),
                Date.from(to), new X500Principal(dn), kp.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(rsaKey
                        ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(issuer.cert()))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        if (!sans.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(new GeneralName[0])));
        }
        return write(name, sign(b, issuer.key(), sigAlg), kp.getPrivate(), issuer);
    }

    /** A fresh server certificate for localhost (for reload tests). */
    Issued newServer(String name, KeyPair kp) throws Exception {
        Instant now = Instant.now();
        return issue(name, "CN=localhost,O=" + name, kp, ca, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)), List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")), "SHA256withRSA");
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key, String alg) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder(alg).build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    X509CRL crl(Issued issuer, List<BigInteger> revoked) throws Exception {
        Date now = new Date();
        X509v2CRLBuilder b = new JcaX509v2CRLBuilder(issuer.cert(), new Date(now.getTime() - 60_000));
        b.setNextUpdate(new Date(now.getTime() + 86_400_000L));
        for (BigInteger serial : revoked) {
            b.addCRLEntry(serial, new Date(now.getTime() - 30_000), CRLReason.keyCompromise);
        }
        b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.getTime())));
        b.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.cert()));
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuer.key());
        return new JcaX509CRLConverter().getCRL(b.build(signer));
    }

    private Issued write(String name, X509Certificate cert, PrivateKey key, Issued issuer) throws IOException {
        Path certPem = writePem(dir.resolve(name + ".crt.pem"), cert);
        Path keyPem = writePkcs8(dir.resolve(name + ".key.pem"), key, null);
        return new Issued(cert, key, certPem, keyPem, issuer);
    }

    /** Certificates (or CRLs) as PEM. */
    static Path writePem(Path file, Object... objects) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        return atomicWrite(file, sw.toString().getBytes(StandardCharsets.US_ASCII));
    }


    /** A PKCS#8 key ("PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" with AES-256-CBC/PBKDF2 when a password is given). */
    static Path writePkcs8(Path file, PrivateKey key, String password) throws IOException {
        try {
            PKCS8Generator gen = password == null ? new JcaPKCS8Generator(key, null)
                    : new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(new BouncyCastleProvider()).setPassword(password.toCharArray()).build());
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                w.writeObject(gen);
            }
            return atomicWrite(file, sw.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException(e);
        }
    }

    /** A traditional OpenSSL key ("RSA PRIVATE KEY" / "EC PRIVATE KEY"), encrypted with AES-128-CBC if asked. */
    static Path writeTraditional(Path file, PrivateKey key, String password) throws IOException {
        Object pem = key;
        if (key instanceof java.security.interfaces.ECPrivateKey ec) {
            // as OpenSSL writes it: SEC1 with the curve OID and the public key inside (the JDK's PKCS#8 encoding
            // keeps the curve in the algorithm identifier only)
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            org.bouncycastle.math.ec.ECPoint q = org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util
                    .convertPoint(ec.getParams(), ec.getParams().getGenerator()).multiply(ec.getS()).normalize();
            ECPrivateKey sec1 = new ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                    new DERBitString(q.getEncoded(false)), info.getPrivateKeyAlgorithm().getParameters());
            pem = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), sec1);
        }
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            if (password == null) {
                w.writeObject(pem instanceof PrivateKey k ? new JcaMiscPEMGenerator(k)
                        : new JcaMiscPEMGenerator(pem));
            } else {
                w.writeObject(new JcaMiscPEMGenerator(pem, new JcePEMEncryptorBuilder("AES-128-CBC")
                        .setProvider(new BouncyCastleProvider()).build(password.toCharArray())));
            }
        }
        return atomicWrite(file, sw.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** A PKCS12 key store with one key entry (store and key password alike). */
    static Path writePkcs12(Path file, Issued issued, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", issued.key(), password.toCharArray(), new X509Certificate[] {issued.cert()});
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
        return file;
    }

    /** A PKCS12 trust store of trusted certificate entries. */
    static Path writeTrustStore(Path file, String password, X509Certificate... certs) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : certs) {
            ks.setCertificateEntry("ca" + i++, c);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
        return file;
    }

    /**
     * Replaces a file the way certificate renewal tools do (write aside, rename over), and moves its modification
     * time forward so that the change is visible even on file systems with coarse timestamps.
     */
    static Path atomicWrite(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, content);
        if (Files.exists(file)) {
            FileTime old = Files.getLastModifiedTime(file);
            Files.setLastModifiedTime(tmp, FileTime.fromMillis(Math.max(System.currentTimeMillis(),
                    old.toMillis() + 2000)));
        }
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Copies {@code source}'s content over {@code target} (atomic replace). */
    static void replace(Path target, Path source) throws IOException {
        atomicWrite(target, Files.readAllBytes(source));
    }
}
