package org.cameldicomsecure.it.mail;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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

/**
 * A throw-away PKI for the mail ITs, made with Bouncy Castle in a folder of the test: a CA; the mail servers' TLS
 * certificate (CN=localhost, SAN DNS localhost and IP 127.0.0.1, serverAuth); and S/MIME certificates (SAN
 * rfc822Name, key usage digitalSignature and keyEncipherment, extended key usage emailProtection) for a sender and a
 * recipient at {@code dicom.test}. RSA 2048, SHA-256. Keys are unencrypted PKCS#8 PEM. Nothing is committed.
 */
public final class MailPki {

    private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 1000L);

    /** A certificate, its key and both as PEM files. */
    public record Issued(X509Certificate cert, PrivateKey key, Path certPem, Path keyPem) {
    }

    public final Issued ca;
    /** The TLS server certificate of Postfix and Dovecot. */
    public final Issued server;
    /** S/MIME signer: {@code sender@dicom.test}. */
    public final Issued sender;
    /** S/MIME recipient: {@code recipient@dicom.test}. */
    public final Issued recipient;

    private final Path dir;

    private MailPki(Path dir) throws Exception {
        this.dir = dir;
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(30));
        ca = selfSigned("ca", "CN=mail IT CA,O=camel-dicom-secure tests", from, to);
        server = issue("server", "CN=localhost,O=mail IT server", from, to,
                List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")),
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, KeyPurposeId.id_kp_serverAuth);
        sender = smime("sender", "sender@" + DovecotPeer.DOMAIN, from, to);
        recipient = smime("recipient", "recipient@" + DovecotPeer.DOMAIN, from, to);
    }

    public static MailPki create(Path dir) throws Exception {
        Files.createDirectories(dir);
        return new MailPki(dir);
    }

    /** A JDK TLS client context that trusts {@link #ca} only. */
    public SSLContext clientContext() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), new SecureRandom());
        return c;
    }

    /** A PKCS#12 trust store file holding {@link #ca} (password {@code changeit}: public data only). */
    public Path trustStore() throws Exception {
        Path p = dir.resolve("truststore.p12");
        if (!Files.exists(p)) {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", ca.cert());
            try (var out = Files.newOutputStream(p)) {
                ts.store(out, "changeit".toCharArray());
            }
        }
        return p;
    }

    private Issued smime(String name, String email, Instant from, Instant to) throws Exception {
        return issue(name, "CN=" + name + ",O=mail IT", from, to,
                List.of(new GeneralName(GeneralName.rfc822Name, email)),
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, KeyPurposeId.id_kp_emailProtection);
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
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(from), Date.from(to), subject, kp.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        return write(name, sign(b, kp.getPrivate()), kp.getPrivate());
    }

    private Issued issue(String name, String dn, Instant from, Instant to, List<GeneralName> sans, int usage,
            KeyPurposeId purpose) throws Exception {
        KeyPair kp = rsa2048();
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), new X500Principal(dn),
                kp.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.cert()))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()))
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(new GeneralName[0])));
        return write(name, sign(b, ca.key()), kp.getPrivate());
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
