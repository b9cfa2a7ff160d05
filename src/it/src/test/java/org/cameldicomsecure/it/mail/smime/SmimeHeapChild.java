package org.cameldicomsecure.it.mail.smime;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.SharedFileInputStream;

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
import org.cameldicomsecure.mail.smime.ContentEncryption;
import org.cameldicomsecure.mail.smime.SmimeOptions;
import org.cameldicomsecure.mail.smime.SmimeReader;
import org.cameldicomsecure.mail.smime.SmimeReaderOptions;
import org.cameldicomsecure.mail.smime.SmimeWriter;
import org.cameldicomsecure.mail.smime.UnwrappedMail;

/**
 * Run by {@link SmimeHeapIT} in a JVM with a heap smaller than the content: writes a signed and encrypted message
 * around {@code args[0]/payload.zip} to {@code args[0]/large.eml}, reads it back and prints the SHA-256 of the
 * application/zip part it decrypted; also writes bob.key / bob.pem / ca.pem for openssl.
 */
public final class SmimeHeapChild {

    private SmimeHeapChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ContentEncryption ce = ContentEncryption.valueOf(args[1]);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair caPair = g.generateKeyPair();
        KeyPair alicePair = g.generateKeyPair();
        KeyPair bobPair = g.generateKeyPair();
        X500Name caName = new X500Name("CN=Heap IT CA");
        X509Certificate ca = cert(caName, caPair, caName, caPair, null, 1, true);
        X509Certificate alice = cert(new X500Name("CN=alice"), alicePair, caName, caPair, "alice@example.org", 2, false);
        X509Certificate bob = cert(new X500Name("CN=bob"), bobPair, caName, caPair, "bob@example.org", 3, false);
        try (Writer w = Files.newBufferedWriter(dir.resolve("bob.key")); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(bobPair.getPrivate());
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve("bob.pem")); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(bob);
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve("ca.pem")); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(ca);
        }

        Session session = Session.getInstance(new Properties());
        MimeBodyPart zip = new MimeBodyPart();
        zip.setDataHandler(new DataHandler(new FileDataSource(dir.resolve("payload.zip").toFile())));
        zip.setHeader("Content-Type", "application/zip");
        zip.setFileName("DICOM.ZIP");
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(zip);
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(mixed);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("alice@example.org"));
        m.setSubject("large");
        new SmimeWriter(alicePair.getPrivate(), List.of(alice), List.of(bob),
                SmimeOptions.DEFAULT.withContentEncryption(ce)).writeTo(body, m);
        Path eml = dir.resolve("large.eml");
        try (OutputStream out = Files.newOutputStream(eml)) {
            m.writeTo(out);
        }
        SmimeWriter.discard(m);

        try (SharedFileInputStream in = new SharedFileInputStream(eml.toFile());
                UnwrappedMail u = new SmimeReader(bobPair.getPrivate(), bob, List.of(ca), SmimeReaderOptions.DEFAULT)
                        .read(new MimeMessage(session, in))) {
            MimeMultipart mp = (MimeMultipart) u.content().getContent();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream zin = mp.getBodyPart(0).getInputStream()) {
                byte[] buf = new byte[65536];
                for (int n; (n = zin.read(buf)) > 0;) {
                    md.update(buf, 0, n);
                }
            }
            Runtime rt = Runtime.getRuntime();
            System.out.println("SHA256 " + HexFormat.of().formatHex(md.digest()) + " maxHeap " + rt.maxMemory()
                    + " temp " + u.usedTemporaryFiles() + " signer " + u.signer().getSubjectX500Principal().getName());
        }
    }

    private static X509Certificate cert(X500Name subject, KeyPair pair, X500Name issuer, KeyPair issuerPair,
            String email, long serial, boolean ca) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial),
                Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(1))),
                subject, pair.getPublic());
        if (ca) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(
                new JcaContentSignerBuilder("SHA256withRSA").build(issuerPair.getPrivate())));
    }
}
