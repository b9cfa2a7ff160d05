package org.cameldicomsecure.it.dicomweb;

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
 * A throw-away PKI for the DICOMweb ITs, made with Bouncy Castle in a temporary folder: a CA, a server certificate
 * for {@code localhost} and 127.0.0.1 (our consumer's, and Orthanc's HTTPS), a client certificate, and a server
 * certificate of an unrelated CA. RSA 2048, SHA-256; serials below 2^63. Nothing is committed.
 */
public final class WebPki {

    private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 1000L);

    /** A certificate and its key as PEM files (the key unencrypted PKCS#8). */
    public record Issued(X509Certificate cert, PrivateKey key, Path certPem, Path keyPem) {

        /** One PEM file with the certificate and then the key (Orthanc's {@code SslCertificate}). */
        public Path certAndKeyPem() throws IOException {
            Path p = certPem.resolveSibling(certPem.getFileName().toString().replace(".crt.pem", ".both.pem"));
            if (!Files.exists(p)) {
                Files.writeString(p, Files.readString(certPem) + Files.readString(keyPem));
            }
            return p;
        }
    }

    public final Path dir;
    public final Issued ca;
    public final Issued otherCa;
    /** CN=localhost, SAN DNS localhost and IP 127.0.0.1. */
    public final Issued server;
    /** CN=DICOMWEB-CLIENT. */
    public final Issued client;
    /** CN=localhost signed by {@link #otherCa}, which nobody trusts. */
    public final Issued untrustedServer;

    private WebPki(Path dir) throws Exception {
        this.dir = dir;
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(30));
        ca = selfSigned("ca", "CN=dicomweb IT CA,O=camel-dicom-secure tests", from, to);
        otherCa = selfSigned("other-ca", "CN=Unrelated CA,O=camel-dicom-secure tests", from, to);
        List<GeneralName> local = List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        server = issue("server", "CN=localhost,O=dicomweb IT server", ca, from, to, local);
        client = issue("client", "CN=DICOMWEB-CLIENT,O=dicomweb IT client", ca, from, to, List.of());
        untrustedServer = issue("untrusted-server", "CN=localhost,O=dicomweb IT untrusted", otherCa, from, to, local);
    }

    public static WebPki create(Path dir) throws Exception {
        Files.createDirectories(dir);
        return new WebPki(dir);
    }

    /** A JDK client context (TLS 1.2/1.3) that trusts {@link #ca} only. */
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

    /** Our consumer's TLS options: {@code certificate=...&privateKey=...}. */
    public String serverOptions() {
        return "certificate=" + server.certPem() + "&privateKey=" + server.keyPem();
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
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        if (!sans.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(new GeneralName[0])));
        }
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
