package org.cameldicomsecure.it.dicomtls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * A throw-away PKI for the dicomtls integration tests, made with Bouncy Castle under a temporary directory: a CA and
 * an unrelated CA, a server certificate for {@code localhost} and the IP address 127.0.0.1, client certificates named
 * after the AE titles the tests use, an expired client certificate, a revoked one and the CA's CRL that revokes it.
 * RSA 2048 (EC P-256 where {@link #issueServer} is asked for it) and SHA-256 signatures; serial numbers stay below
 * 2^63 (DCMTK prints larger ones as -1, shared/PEERS.md).
 * No key or certificate is committed.
 */
public final class ItPki {

    private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 1000L);

    /** A certificate and its key, as PEM files (the key unencrypted PKCS#8, which DCMTK and we both read). */
    public record Issued(X509Certificate cert, PrivateKey key, Path certPem, Path keyPem) {

        /** The subject as RFC 2253, the form of the CamelDicomRemoteCertificateSubject header. */
        String subject() {
            return cert.getSubjectX500Principal().getName();
        }
    }

    final Path dir;
    public final Issued ca;
    final Issued otherCa;
    /** CN=localhost, SAN DNS localhost and IP 127.0.0.1: our consumer's and storescp's server certificate. */
    public final Issued server;
    /** CN=STORESCU: storescu's client certificate (its default calling AE title). */
    final Issued storescu;
    /** CN=GATEWAY: our producer's client certificate. */
    final Issued gateway;
    /** CN=MODALITY: for AE title binding. */
    final Issued modality;
    /** CN=STORESCU, valid 60 to 30 days ago. */
    final Issued expired;
    /** CN=STORESCU, revoked by {@link #crl}. */
    final Issued revoked;
    /** CN=STORESCU, signed by {@link #otherCa}, which no test trusts. */
    final Issued untrusted;
    /** The CA's CRL (PEM), revoking {@link #revoked}. */
    final Path crl;

    private ItPki(Path dir) throws Exception {
        this.dir = dir;
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(30));
        ca = selfSigned("ca", "CN=dicomtls IT CA,O=camel-dicom-secure tests", from, to);
        otherCa = selfSigned("other-ca", "CN=Unrelated CA,O=camel-dicom-secure tests", from, to);
        server = issue("server", "CN=localhost,O=dicomtls IT server", ca, from, to,
                List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        storescu = issue("storescu", "CN=STORESCU,O=dicomtls IT client", ca, from, to, List.of());
        gateway = issue("gateway", "CN=GATEWAY,O=dicomtls IT client", ca, from, to, List.of());
        modality = issue("modality", "CN=MODALITY,O=dicomtls IT client", ca, from, to, List.of());
        expired = issue("expired", "CN=STORESCU,O=dicomtls IT expired", ca, now.minus(Duration.ofDays(60)),
                now.minus(Duration.ofDays(30)), List.of());
        revoked = issue("revoked", "CN=STORESCU,O=dicomtls IT revoked", ca, from, to, List.of());
        untrusted = issue("untrusted", "CN=STORESCU,O=dicomtls IT untrusted", otherCa, from, to, List.of());
        crl = writePem(dir.resolve("ca-crl.pem"), crl(ca, List.of(revoked.cert().getSerialNumber())));
    }

    public static ItPki create(Path dir) throws Exception {
        Files.createDirectories(dir);
        return new ItPki(dir);
    }

    /** A JDK client context (TLS 1.2/1.3) that trusts {@link #ca} only (for HTTPS clients of our consumers). */
    public javax.net.ssl.SSLContext clientContext() throws Exception {
        java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca.cert());
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        javax.net.ssl.SSLContext c = javax.net.ssl.SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), new SecureRandom());
        return c;
    }

    /** A server's TLS options for our endpoints: {@code certificate=...&privateKey=...} of {@link #server}. */
    public String serverOptions() {
        return "certificate=" + server.certPem() + "&privateKey=" + server.keyPem();
    }

    private static KeyPair rsa2048() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static KeyPair ecP256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /**
     * Another certificate of {@link #ca} for {@code localhost} and 127.0.0.1, valid like {@link #server}, with a key
     * of its own ({@code "RSA"} 2048 or {@code "EC"} P-256) and a new serial number, written as {@code name.crt.pem}
     * and {@code name.key.pem}: a renewed server certificate, or an EC one.
     */
    Issued issueServer(String name, String dn, String keyAlgorithm) throws Exception {
        Instant now = Instant.now();
        return issue(name, dn, ca, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")),
                keyAlgorithm.equals("EC") ? ecP256() : rsa2048());
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private Issued selfSigned(String name, String dn, Instant from, Instant to) throws Exception {
        KeyPair kp = rsa2048();
        X500Principal subject = new X500Principal(dn);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, nextSerial(), Date.from(from),
                Date.from(to), subject, kp.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        return write(name, sign(b, kp.getPrivate()), kp.getPrivate());
    }

    /** An end-entity certificate usable for both serverAuth and clientAuth. */
    private Issued issue(String name, String dn, Issued issuer, Instant from, Instant to, List<GeneralName> sans)
            throws Exception {
        return issue(name, dn, issuer, from, to, sans, rsa2048());
    }

    private Issued issue(String name, String dn, Issued issuer, Instant from, Instant to, List<GeneralName> sans,
            KeyPair kp) throws Exception {
        // an EC key signs (ECDHE_ECDSA); an RSA key may also encipher (RSA key transport of the retired profiles)
        int usage = kp.getPublic().getAlgorithm().equals("EC") ? KeyUsage.digitalSignature
                : KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer.cert(), nextSerial(), Date.from(from),
                Date.from(to), new X500Principal(dn), kp.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(issuer.cert()))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        if (!sans.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(new GeneralName[0])));
        }
        return write(name, sign(b, issuer.key()), kp.getPrivate());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    }

    private static X509CRL crl(Issued issuer, List<BigInteger> revoked) throws Exception {
        Date now = new Date();
        X509v2CRLBuilder b = new JcaX509v2CRLBuilder(issuer.cert(), new Date(now.getTime() - 60_000));
        b.setNextUpdate(new Date(now.getTime() + 86_400_000L));
        for (BigInteger serial : revoked) {
            b.addCRLEntry(serial, new Date(now.getTime() - 30_000), CRLReason.keyCompromise);
        }
        b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
        b.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.cert()));
        return new JcaX509CRLConverter()
                .getCRL(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.key())));
    }

    private Issued write(String name, X509Certificate cert, PrivateKey key) throws IOException {
        Path certPem = writePem(dir.resolve(name + ".crt.pem"), cert);
        Path keyPem = writePem(dir.resolve(name + ".key.pem"), new JcaPKCS8Generator(key, null));
        return new Issued(cert, key, certPem, keyPem);
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
