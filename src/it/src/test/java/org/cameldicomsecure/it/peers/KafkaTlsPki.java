package org.cameldicomsecure.it.peers;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

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
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for Kafka over mutual TLS, made with Bouncy Castle in a folder of the test: a CA, the broker's
 * certificate (IP address 127.0.0.1, serverAuth) and a client certificate (clientAuth), as PKCS12 key stores with a
 * password made for the run, and a PKCS12 trust store with the CA. Valid one day; nothing is committed.
 */
public final class KafkaTlsPki {

    private final Path brokerKeyStore;
    private final Path clientKeyStore;
    private final Path trustStore;
    private final String password;

    private KafkaTlsPki(Path brokerKeyStore, Path clientKeyStore, Path trustStore, String password) {
        this.brokerKeyStore = brokerKeyStore;
        this.clientKeyStore = clientKeyStore;
        this.trustStore = trustStore;
        this.password = password;
    }

    public static KafkaTlsPki create(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        SecureRandom random = new SecureRandom();
        byte[] pw = new byte[12];
        random.nextBytes(pw);
        String password = HexFormat.of().formatHex(pw);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair ca = g.generateKeyPair();
        X500Principal caName = new X500Principal("CN=Kafka audit IT CA");
        X509Certificate caCert = issue(caName, ca, caName, ca.getPrivate(), true, null, random);
        KeyPair broker = g.generateKeyPair();
        X509Certificate brokerCert = issue(new X500Principal("CN=127.0.0.1"), broker, caName, ca.getPrivate(), false,
                KeyPurposeId.id_kp_serverAuth, random);
        KeyPair client = g.generateKeyPair();
        X509Certificate clientCert = issue(new X500Principal("CN=dicom-audit-client"), client, caName,
                ca.getPrivate(), false, KeyPurposeId.id_kp_clientAuth, random);
        KafkaTlsPki pki = new KafkaTlsPki(dir.resolve("broker.p12"), dir.resolve("client.p12"),
                dir.resolve("trust.p12"), password);
        pki.writeKeyStore(pki.brokerKeyStore, broker.getPrivate(), brokerCert, caCert);
        pki.writeKeyStore(pki.clientKeyStore, client.getPrivate(), clientCert, caCert);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", caCert);
        try (OutputStream out = Files.newOutputStream(pki.trustStore)) {
            trust.store(out, password.toCharArray());
        }
        return pki;
    }

    private static X509Certificate issue(X500Principal subject, KeyPair subjectKeys, X500Principal issuer,
            PrivateKey issuerKey, boolean ca, KeyPurposeId purpose, SecureRandom random)
            throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(62, random).add(
                BigInteger.ONE), Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))),
                subject, subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private void writeKeyStore(Path file, PrivateKey key, X509Certificate cert, X509Certificate caCert)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", key, password.toCharArray(), new Certificate[] {cert, caCert});
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
    }

    public Path brokerKeyStore() {
        return brokerKeyStore;
    }

    public Path clientKeyStore() {
        return clientKeyStore;
    }

    public Path trustStore() {
        return trustStore;
    }

    /** The password of every store (made for this run). */
    public String password() {
        return password;
    }
}
