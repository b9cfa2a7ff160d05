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
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
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
 * A throw-away PKI for {@link OcspIT}, made with Bouncy Castle in the test's temporary directory: a CA, an OCSP
 * responder certificate delegated by it (id-kp-OCSPSigning, id-pkix-ocsp-nocheck), a server certificate for
 * {@code localhost}/127.0.0.1, and two client certificates CN=STORESCU ("good" and "revoked") whose Authority
 * Information Access names the responder ({@code id-ad-ocsp}, {@code http://127.0.0.1:<port>/}) and which have no
 * CRL distribution point, so that OCSP is the only source of revocation status. RSA 2048, SHA256withRSA; serial
 * numbers random below 2^63. Keys are unencrypted PKCS#8 PEM test keys that exist only under the temporary directory.
 *
 * <p>{@link #writeIndex} writes the {@code openssl ca} index file that {@code openssl ocsp -index} answers from.
 */
final class OcspPki {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter INDEX_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    final Path dir;
    final String responderUrl;
    final ItPki.Issued ca;
    final ItPki.Issued responder;
    final ItPki.Issued server;
    final ItPki.Issued good;
    final ItPki.Issued revoked;
    /** When {@link #revoked} is revoked, as written to the index. */
    final Instant revokedAt;

    private OcspPki(Path dir, int responderPort) throws Exception {
        this.dir = dir;
        this.responderUrl = "http://127.0.0.1:" + responderPort + "/";
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(30));
        revokedAt = now.minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

        KeyPair caKeys = rsa2048();
        X500Principal caName = new X500Principal("CN=OcspIT CA,O=camel-dicom-secure tests");
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        ca = write("ca", sign(new JcaX509v3CertificateBuilder(caName, serial(), Date.from(from), Date.from(to),
                caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        ext.createSubjectKeyIdentifier(caKeys.getPublic())), caKeys.getPrivate()),
                caKeys.getPrivate());

        // RFC 6960 4.2.2.2: a delegated responder is issued by the CA with id-kp-OCSPSigning; id-pkix-ocsp-nocheck
        // (4.2.2.2.1) says that its own status is not to be asked of it
        KeyPair rk = rsa2048();
        responder = write("ocsp", sign(endEntity("CN=OcspIT OCSP responder,O=camel-dicom-secure tests", rk, from, to,
                KeyUsage.digitalSignature, KeyPurposeId.id_kp_OCSPSigning)
                .addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE), caKeys.getPrivate()),
                rk.getPrivate());

        KeyPair sk = rsa2048();
        server = write("server", sign(endEntity("CN=localhost,O=OcspIT server", sk, from, to,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, KeyPurposeId.id_kp_serverAuth)
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")})), caKeys.getPrivate()), sk.getPrivate());

        good = client("good", "CN=STORESCU,O=OcspIT good", from, to, caKeys.getPrivate());
        revoked = client("revoked", "CN=STORESCU,O=OcspIT revoked", from, to, caKeys.getPrivate());
    }

    static OcspPki create(Path dir, int responderPort) throws Exception {
        Files.createDirectories(dir);
        return new OcspPki(dir, responderPort);
    }

    private ItPki.Issued client(String name, String dn, Instant from, Instant to, PrivateKey caKey) throws Exception {
        KeyPair kp = rsa2048();
        X509v3CertificateBuilder b = endEntity(dn, kp, from, to,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, KeyPurposeId.id_kp_clientAuth)
                .addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        new AccessDescription(AccessDescription.id_ad_ocsp,
                                new GeneralName(GeneralName.uniformResourceIdentifier, responderUrl))));
        return write(name, sign(b, caKey), kp.getPrivate());
    }

    private X509v3CertificateBuilder endEntity(String dn, KeyPair kp, Instant from, Instant to, int keyUsage,
            KeyPurposeId purpose) throws Exception {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        return new JcaX509v3CertificateBuilder(ca.cert(), serial(), Date.from(from),
                Date.from(to), new X500Principal(dn), kp.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.cert()))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
    }

    /**
     * The {@code openssl ca} database ({@code index.txt}) that {@code openssl ocsp -index} looks serial numbers up
     * in: one tab-separated line per certificate: status (V or R), expiry, revocation time and reason (R only),
     * serial number as {@link #indexSerial}, file name ("unknown"), subject in OpenSSL's {@code /CN=...} form.
     */
    Path writeIndex() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(indexLine("V", good, ""));
        lines.add(indexLine("R", revoked, INDEX_TIME.format(revokedAt) + ",keyCompromise"));
        return Files.write(dir.resolve("index.txt"), lines, StandardCharsets.US_ASCII);
    }

    private static String indexLine(String status, ItPki.Issued c, String revocation) {
        return String.join("\t", status, INDEX_TIME.format(c.cert().getNotAfter().toInstant()), revocation,
                indexSerial(c), "unknown", opensslSubject(c.cert()));
    }

    /**
     * The serial number as OpenSSL writes and looks it up (BN_bn2hex): upper-case hexadecimal, two digits per byte,
     * so an even number of digits.
     */
    static String indexSerial(ItPki.Issued c) {
        String hex = c.cert().getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    /** The subject in OpenSSL's one-line {@code /O=.../CN=...} form: the RDNs in their DER order (CN and O named). */
    static String opensslSubject(X509Certificate c) {
        StringBuilder sb = new StringBuilder();
        for (RDN rdn : X500Name.getInstance(c.getSubjectX500Principal().getEncoded()).getRDNs()) {
            for (AttributeTypeAndValue a : rdn.getTypesAndValues()) {
                sb.append('/').append((a.getType().equals(BCStyle.CN) ? "CN" : a.getType().equals(BCStyle.O) ? "O" : a.getType().getId()))
                        .append('=').append(IETFUtils.valueToString(a.getValue()));
            }
        }
        return sb.toString();
    }

    private static KeyPair rsa2048() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** Random, positive, below 2^63 (DCMTK prints larger ones as -1, shared/PEERS.md). */
    private static BigInteger serial() {
        return BigInteger.valueOf((RANDOM.nextLong() >>> 1) | 0x1000L);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    }

    private ItPki.Issued write(String name, X509Certificate cert, PrivateKey key) throws IOException {
        Path certPem = writePem(dir.resolve(name + ".crt.pem"), cert);
        Path keyPem = writePem(dir.resolve(name + ".key.pem"), new JcaPKCS8Generator(key, null));
        return new ItPki.Issued(cert, key, certPem, keyPem);
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
