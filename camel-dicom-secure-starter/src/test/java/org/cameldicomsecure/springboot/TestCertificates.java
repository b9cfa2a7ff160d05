package org.cameldicomsecure.springboot;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed EC P-256 certificates with chosen validity, made at test time (none is committed). */
final class TestCertificates {

    private TestCertificates() {
    }

    /** Writes {@code name.crt.pem} and {@code name.key.pem} into {@code dir}; returns the certificate's path. */
    static Path selfSigned(Path dir, String name, String dn, Instant notBefore, Instant notAfter) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X500Principal subject = new X500Principal(dn);
        var holder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(System.nanoTime() & Long.MAX_VALUE),
                Date.from(notBefore), Date.from(notAfter), subject, kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        var cert = new JcaX509CertificateConverter().getCertificate(holder);
        Path crt = dir.resolve(name + ".crt.pem");
        Path key = dir.resolve(name + ".key.pem");
        write(crt, cert);
        write(key, new JcaPKCS8Generator(kp.getPrivate(), null));
        return crt;
    }

    private static void write(Path file, Object o) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter p = new JcaPEMWriter(w)) {
            if (o instanceof org.bouncycastle.util.io.pem.PemObjectGenerator gen) {
                p.writeObject(gen);
            } else {
                p.writeObject(o);
            }
        }
    }
}
