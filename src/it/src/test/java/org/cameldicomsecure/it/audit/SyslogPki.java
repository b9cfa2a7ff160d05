package org.cameldicomsecure.it.audit;

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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

import org.cameldicomsecure.tls.TlsSettings;

/**
 * A throw-away PKI for the syslog ITs, made with Bouncy Castle in a folder of the test (nothing committed): a CA, the
 * rsyslog server certificate for {@code localhost} and 127.0.0.1, the audit client's certificate (CN and SAN dNSName
 * {@value #CLIENT_NAME}, the name rsyslog's x509/name mode permits), a certificate of the same CA with another name,
 * and an unrelated CA with a client and a server certificate of its own. RSA 2048, SHA-256, keys as unencrypted
 * PKCS#8 PEM (GnuTLS and we both read it).
 */
final class SyslogPki {

    static final String CLIENT_NAME = "audit-client.camel-dicom-secure.test";
    static final String OTHER_NAME = "someone-else.camel-dicom-secure.test";

    private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 1000L);

    record Issued(X509Certificate cert, PrivateKey key, Path certPem, Path keyPem) {
    }

    final Path dir;
    final Issued ca;
    final Issued server;
    final Issued client;
    /** Same CA, not a permitted peer. */
    final Issued otherName;
    final Issued otherCa;
    /** CN {@value #CLIENT_NAME}, but from {@link #otherCa}. */
    final Issued untrustedClient;
    /** For localhost and 127.0.0.1, from {@link #otherCa}. */
    final Issued untrustedServer;

    SyslogPki(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        Instant from = Instant.now().minus(Duration.ofDays(1));
        Instant to = Instant.now().plus(Duration.ofDays(7));
        ca = selfSigned("ca", "CN=syslog IT CA,O=camel-dicom-secure tests", from, to);
        otherCa = selfSigned("other-ca", "CN=Unrelated CA,O=camel-dicom-secure tests", from, to);
        List<GeneralName> local = List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        server = issue("server", "CN=localhost,O=syslog IT server", ca, from, to, local);
        client = issue("client", "CN=" + CLIENT_NAME + ",O=syslog IT client", ca, from, to,
                List.of(new GeneralName(GeneralName.dNSName, CLIENT_NAME)));
        otherName = issue("other-name", "CN=" + OTHER_NAME + ",O=syslog IT client", ca, from, to,
                List.of(new GeneralName(GeneralName.dNSName, OTHER_NAME)));
        untrustedClient = issue("untrusted-client", "CN=" + CLIENT_NAME + ",O=syslog IT rogue", otherCa, from, to,
                List.of(new GeneralName(GeneralName.dNSName, CLIENT_NAME)));
        untrustedServer = issue("untrusted-server", "CN=localhost,O=syslog IT rogue", otherCa, from, to, local);
    }

    /** Mutual TLS as the audit client: {@code client}'s certificate and key, trusting {@code trust}'s CA. */
    TlsSettings clientTls(Issued client, Issued trust) {
        TlsSettings.Builder b = TlsSettings.builder().trustedCertificates(trust.certPem());
        if (client != null) {
            b.certificate(client.certPem()).privateKey(client.keyPem());
        }
        return b.build();
    }

    private static KeyPair rsa2048() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private Issued selfSigned(String name, String dn, Instant from, Instant to) throws Exception {
        KeyPair kp = rsa2048();
        X500Principal subject = new X500Principal(dn);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(from),
                Date.from(to), subject, kp.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        return write(name, sign(b, kp.getPrivate()), kp.getPrivate());
    }

    private Issued issue(String name, String dn, Issued issuer, Instant from, Instant to, List<GeneralName> sans)
            throws Exception {
        KeyPair kp = rsa2048();
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer.cert(), serial(), Date.from(from),
                Date.from(to), new X500Principal(dn), kp.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(issuer.cert()))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()))
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(new GeneralName[0])));
        return write(name, sign(b, issuer.key()), kp.getPrivate());
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
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
