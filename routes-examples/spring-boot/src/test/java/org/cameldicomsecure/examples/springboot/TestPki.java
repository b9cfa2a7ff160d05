package org.cameldicomsecure.examples.springboot;

import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI made with Bouncy Castle at test time (as src/it's ItPki does): a CA, a server certificate for
 * localhost and 127.0.0.1 (the application's), a client certificate CN=STORESCU (storescu's). RSA 2048, SHA-256,
 * valid from yesterday for 90 days, serials below 2^63 (DCMTK prints larger ones as -1). Nothing is committed.
 */
final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 1000L);

    /** A certificate and its unencrypted PKCS#8 key as PEM files. */
    record Issued(X509Certificate certificate, PrivateKey privateKey, Path cert, Path key) {
    }

    final Issued ca;
    final Issued server;
    final Issued client;

    private TestPki(Path dir) throws Exception {
        Instant from = Instant.now().minus(Duration.ofDays(1));
        Instant to = from.plus(Duration.ofDays(90));
        ca = issue(dir, "ca", "CN=spring-boot IT CA,O=camel-dicom-secure tests", null, from, to, true, List.of());
        server = issue(dir, "server", "CN=localhost,O=spring-boot IT server", ca, from, to, false,
                List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        client = issue(dir, "client", "CN=STORESCU,O=spring-boot IT client", ca, from, to, false, List.of());
    }

    static TestPki create(Path dir) throws Exception {
        Files.createDirectories(dir);
        return new TestPki(dir);
    }

    private static Issued issue(Path dir, String name, String dn, Issued issuer, Instant from, Instant to,
            boolean isCa, List<GeneralName> sans) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        X500Principal subject = new X500Principal(dn);
        X500Principal issuerName = issuer == null ? subject : issuer.certificate().getSubjectX500Principal();
        PrivateKey signer = issuer == null ? kp.getPrivate() : issuer.privateKey();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), subject, kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                    | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
        }
        if (!sans.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(GeneralName[]::new)));
        }
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
        Path certPem = dir.resolve(name + ".crt.pem");
        Path keyPem = dir.resolve(name + ".key.pem");
        try (Writer w = Files.newBufferedWriter(certPem, StandardCharsets.US_ASCII);
                JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(cert);
        }
        try (Writer w = Files.newBufferedWriter(keyPem, StandardCharsets.US_ASCII);
                JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(new JcaPKCS8Generator(kp.getPrivate(), null));
        }
        return new Issued(cert, kp.getPrivate(), certPem, keyPem);
    }
}
