package org.cameldicomsecure.sign.cms;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throw-away recipients for the CMS tests: key pairs generated in the test (nothing is committed) and self-signed
 * certificates made with Bouncy Castle. Key pairs are cached per name so that the suite generates each RSA key once.
 */
public final class TestRecipients {

    /** A private key and its certificate. */
    public record Recipient(PrivateKey key, X509Certificate cert) {
    }

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final Map<String, KeyPair> PAIRS = new ConcurrentHashMap<>();
    private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 1000L);

    private TestRecipients() {
    }

    /** An RSA recipient of {@code bits} (key pair cached under {@code name}), with a fresh certificate. */
    public static Recipient rsa(String name, int bits) {
        KeyPair pair = PAIRS.computeIfAbsent("RSA-" + bits + "-" + name, n -> generate("RSA", bits));
        return certify(pair, "CN=" + name + ",O=camel-dicom-secure test", BigInteger.valueOf(SERIAL.incrementAndGet()),
                true, "SHA256withRSA");
    }

    /** Another certificate (issuer {@code subject}, given serial) for the key pair of {@code rsa(name, bits)}. */
    public static Recipient rsa(String name, int bits, String subject, BigInteger serial, boolean keyEncipherment) {
        KeyPair pair = PAIRS.computeIfAbsent("RSA-" + bits + "-" + name, n -> generate("RSA", bits));
        return certify(pair, subject, serial, keyEncipherment, "SHA256withRSA");
    }

    /** An EC P-256 recipient, which PS3.15 E.1.1 does not allow. */
    public static Recipient ec(String name) {
        KeyPair pair = PAIRS.computeIfAbsent("EC-" + name, n -> {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                return g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        return certify(pair, "CN=" + name + ",O=camel-dicom-secure test", BigInteger.valueOf(SERIAL.incrementAndGet()),
                false, "SHA256withECDSA");
    }

    private static KeyPair generate(String algorithm, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Recipient certify(KeyPair pair, String subject, BigInteger serial, boolean keyEncipherment,
            String signatureAlgorithm) {
        try {
            Instant now = Instant.now();
            X500Name name = new X500Name(subject);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), name,
                    pair.getPublic());
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyEncipherment
                    ? KeyUsage.keyEncipherment | KeyUsage.digitalSignature
                    : KeyUsage.digitalSignature));
            X509Certificate cert = new JcaX509CertificateConverter().setProvider(BC).getCertificate(
                    b.build(new JcaContentSignerBuilder(signatureAlgorithm).setProvider(BC).build(pair.getPrivate())));
            return new Recipient(pair.getPrivate(), cert);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }
}
