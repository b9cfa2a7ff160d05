package org.cameldicomsecure.runner;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The secure gateway's development key material, made on first start when its folder holds none: a local CA, the
 * gateway's TLS server certificate (localhost, 127.0.0.1 and this host's name), a client certificate for a test
 * sender such as DCMTK's {@code storescu}, the signing certificate of {@code dicomsign:sign}, and the secret of
 * {@code dicomdeid}'s UIDs. Private keys and the secret are readable by the owner only. For development and trials:
 * in production, put the hospital PKI's files under the same names (or point the gateway's options elsewhere).
 */
final class GatewayPki {

    static final String CA = "ca.pem";
    static final String CA_KEY = "ca-key-dev-only.pem";
    static final String SERVER = "server.pem";
    static final String SERVER_KEY = "server-key.pem";
    static final String CLIENT = "client.pem";
    static final String CLIENT_KEY = "client-key.pem";
    static final String SIGNER = "signer.pem";
    static final String SIGNER_KEY = "signer-key.pem";
    static final String UID_SECRET = "uid-secret";

    private static final Duration VALIDITY = Duration.ofDays(365);

    private final Path dir;
    private final SecureRandom random = new SecureRandom();

    GatewayPki(Path dir) {
        this.dir = dir;
    }

    /** Whether the server's key material is there (then nothing is made). */
    boolean present() {
        return Files.isRegularFile(dir.resolve(SERVER)) && Files.isRegularFile(dir.resolve(SERVER_KEY))
                && Files.isRegularFile(dir.resolve(CA));
    }

    /** Makes every missing file; returns the names made. Files already there are kept as they are. */
    List<String> ensure() throws Exception {
        Files.createDirectories(dir);
        List<String> made = new ArrayList<>();
        if (!Files.isRegularFile(dir.resolve(UID_SECRET))) {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            writePrivate(UID_SECRET, HexFormat.of().formatHex(secret));
            made.add(UID_SECRET);
        }
        if (present() && Files.isRegularFile(dir.resolve(SIGNER))) {
            return made;
        }
        if (Files.exists(dir.resolve(CA))) {
            throw new IllegalStateException(dir.resolve(CA) + " exists but the gateway's other key material is "
                    + "incomplete: add " + SERVER + ", " + SERVER_KEY + " and " + SIGNER + "/" + SIGNER_KEY
                    + " issued by it, or remove the folder to have a new development CA made");
        }
        Instant now = Instant.now();
        KeyPair caKey = rsa();
        X500Name caName = new X500Name("CN=camel-dicom-secure development CA " + HexFormat.of().formatHex(
                random.generateSeed(4)) + ",O=development only");
        JcaX509v3CertificateBuilder cab = builder(caName, caName, caKey, now);
        cab.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        cab.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        cab.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKey.getPublic()));
        X509Certificate ca = sign(cab, caKey.getPrivate());
        write(CA, pem(ca));
        writePrivate(CA_KEY, pem(caKey.getPrivate()));
        made.add(CA);

        List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (!host.isBlank() && !host.equals("localhost") && host.matches("[A-Za-z0-9.-]+")) {
                names.add(new GeneralName(GeneralName.dNSName, host));
            }
        } catch (IOException e) {
            // no host name: localhost and 127.0.0.1 only
        }
        issue("CN=GATEWAY,O=camel-dicom-secure development", caName, caKey, ca, now, SERVER, SERVER_KEY,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, KeyPurposeId.id_kp_serverAuth,
                names.toArray(new GeneralName[0]));
        issue("CN=STORESCU,O=camel-dicom-secure development", caName, caKey, ca, now, CLIENT, CLIENT_KEY,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, KeyPurposeId.id_kp_clientAuth);
        issue("CN=GATEWAY signer,O=camel-dicom-secure development", caName, caKey, ca, now, SIGNER, SIGNER_KEY,
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation, null);
        made.addAll(List.of(SERVER, CLIENT, SIGNER));
        return made;
    }

    private void issue(String subject, X500Name caName, KeyPair caKey, X509Certificate ca, Instant now, String cert,
            String key, int usage, KeyPurposeId purpose, GeneralName... san) throws Exception {
        KeyPair kp = rsa();
        JcaX509v3CertificateBuilder b = builder(caName, new X500Name(subject), kp, now);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        if (purpose != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        if (san.length > 0) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
        }
        JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
        b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
        b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(ca));
        write(cert, pem(sign(b, caKey.getPrivate())) + pem(ca));
        writePrivate(key, pem(kp.getPrivate()));
    }

    private JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair kp, Instant now) {
        // serials below 2^63: DCMTK prints larger ones as -1
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE | 1),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject,
                kp.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    }

    private KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, random);
        return g.generateKeyPair();
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o instanceof PrivateKey k ? new JcaPKCS8Generator(k, null) : o);
        }
        return w.toString();
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    }

    /** Created readable by the owner only (on POSIX file systems), before anything is written into it. */
    private void writePrivate(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        try {
            Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(p);
        } catch (FileAlreadyExistsException e) {
            // replaced below
        }
        Files.writeString(p, content, StandardCharsets.US_ASCII);
    }
}
