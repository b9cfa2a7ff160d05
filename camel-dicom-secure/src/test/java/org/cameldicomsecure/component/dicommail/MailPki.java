package org.cameldicomsecure.component.dicommail;

import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-only keys and certificates for the dicommail tests, made fresh in a temporary folder (nothing committed): a CA,
 * senders and recipients whose certificates name their email addresses (rfc822Name), a sender of another CA, and a
 * TLS server certificate for 127.0.0.1 in a PKCS12 key store for GreenMail.
 */
final class MailPki {

    static final String STORE_PASSWORD = "test-only-pw";
    private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 5000L);

    /** A key and certificate and their PEM files. */
    record Party(PrivateKey key, X509Certificate cert, Path certPem, Path keyPem, String email) {
    }

    final Path dir;
    final Party ca;
    final Party sender;
    final Party senderEc;
    final Party recipient;
    final Party recipientEc;
    final Party otherCa;
    final Party rogueSender;
    final Party server;
    final Path serverKeyStore;
    final Path trustStore;

    MailPki(Path dir) throws Exception {
        this.dir = dir;
        ca = issue("ca", "CN=Test Mail CA (test only)", null, null, rsa(), true, null);
        sender = issue("sender", "CN=Test Sender,O=Hospital A", "sender@hospital-a.test", ca, rsa(), false, null);
        senderEc = issue("sender-ec", "CN=Test EC Sender,O=Hospital A", "ec-sender@hospital-a.test", ca, ec(), false,
                null);
        recipient = issue("recipient", "CN=Test Recipient,O=Hospital B", "recipient@hospital-b.test", ca, rsa(), false,
                null);
        recipientEc = issue("recipient-ec", "CN=Test EC Recipient,O=Hospital B", "ec-recipient@hospital-b.test", ca,
                ec(), false, null);
        otherCa = issue("other-ca", "CN=Other CA (test only)", null, null, rsa(), true, null);
        rogueSender = issue("rogue", "CN=Rogue Sender", "sender@hospital-a.test", otherCa, rsa(), false, null);
        server = issue("server", "CN=127.0.0.1", null, ca, rsa(), false, "127.0.0.1");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("greenmail", server.key(), STORE_PASSWORD.toCharArray(),
                new Certificate[] {server.cert(), ca.cert()});
        serverKeyStore = dir.resolve("server-test-only.p12");
        try (OutputStream out = Files.newOutputStream(serverKeyStore)) {
            ks.store(out, STORE_PASSWORD.toCharArray());
        }
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca.cert());
        trustStore = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            ts.store(out, STORE_PASSWORD.toCharArray());
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private Party issue(String name, String subject, String email, Party issuer, KeyPair pair, boolean isCa,
            String ip) throws Exception {
        Instant now = Instant.now();
        X500Name issuerName = new X500Name(issuer == null ? subject
                : issuer.cert().getSubjectX500Principal().getName());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject), pair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else if (ip != null) {
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, ip)));
        } else {
            boolean ecKey = pair.getPublic().getAlgorithm().equals("EC");
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                    | (ecKey ? KeyUsage.keyAgreement : KeyUsage.keyEncipherment)));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
        }
        PrivateKey signingKey = issuer == null ? pair.getPrivate() : issuer.key();
        String alg = signingKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signingKey)));
        Path certPem = dir.resolve(name + ".pem");
        Path keyPem = dir.resolve(name + "-key-test-only.pem");
        Files.writeString(certPem, pem(cert));
        Files.writeString(keyPem, pem(pair.getPrivate()));
        return new Party(pair.getPrivate(), cert, certPem, keyPem, email);
    }

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null)
                    : o);
        }
        return w.toString();
    }

    List<X509Certificate> chain(Party p) {
        return List.of(p.cert());
    }
}
