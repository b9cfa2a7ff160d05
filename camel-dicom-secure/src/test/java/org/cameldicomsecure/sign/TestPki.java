package org.cameldicomsecure.sign;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for the signature tests, made in memory (nothing is committed): one RSA CA and signers issued by
 * it. Key pairs are cached per name so that each RSA key is generated once per run. Serials stay below 63 bits
 * (DCMTK prints larger ones as -1, shared/PEERS.md).
 */
public final class TestPki {

    /** A key and its certificate. */
    public record Signer(PrivateKey key, X509Certificate cert) {
    }

    private static final Map<String, KeyPair> PAIRS = new ConcurrentHashMap<>();
    private static final Map<String, Signer> SIGNERS = new ConcurrentHashMap<>();
    private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 1000L);
    private static volatile Signer ca;

    private TestPki() {
    }

    /** The test CA (self-signed, RSA 2048). */
    public static synchronized Signer ca() {
        if (ca == null) {
            KeyPair pair = pair("RSA", "ca");
            ca = issue(pair, "CN=camel-dicom-secure test CA", pair, "CN=camel-dicom-secure test CA", true,
                    Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)),
                    KeyUsage.keyCertSign | KeyUsage.cRLSign);
        }
        return ca;
    }

    /** The RSA 2048 signer {@code name} (one certificate per name and run) issued by the CA, valid from yesterday for 30 days, key usage digitalSignature. */
    public static Signer rsa(String name) {
        return SIGNERS.computeIfAbsent("RSA-" + name, n -> signer("RSA", name, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)),
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
    }

    /** The RSA 2048 encryption recipient {@code name} (key usage keyEncipherment), issued by the CA. */
    public static Signer recipient(String name) {
        return SIGNERS.computeIfAbsent("RSA-recipient-" + name, n -> signer("RSA", name,
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)),
                KeyUsage.keyEncipherment | KeyUsage.digitalSignature));
    }

    /** An ECDSA P-256 signer issued by the CA. */
    public static Signer ec(String name) {
        return SIGNERS.computeIfAbsent("EC-" + name, n -> signer("EC", name, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)),
                KeyUsage.digitalSignature));
    }

    /** A signer of key type {@code alg} ("RSA" or "EC") with the given validity and key usage bits. */
    public static Signer signer(String alg, String name, Instant notBefore, Instant notAfter, int keyUsage) {
        Signer issuer = ca();
        KeyPair pair = pair(alg, name);
        return issue(pair, "CN=" + name + ",O=camel-dicom-secure test", keyPairOf(issuer),
                issuer.cert().getSubjectX500Principal().getName(), false, notBefore, notAfter, keyUsage);
    }

    /** A CRL of the CA revoking {@code revoked}. */
    public static X509CRL crlRevoking(X509Certificate... revoked) {
        try {
            Signer issuer = ca();
            Instant now = Instant.now();
            X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(issuer.cert().getSubjectX500Principal().getName()),
                    Date.from(now.minus(Duration.ofHours(1))));
            b.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
            for (X509Certificate c : revoked) {
                b.addCRLEntry(c.getSerialNumber(), Date.from(now.minus(Duration.ofMinutes(30))), CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withRSA")
                    .build(issuer.key())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test CRL", e);
        }
    }

    private static KeyPair keyPairOf(Signer s) {
        return new KeyPair(s.cert().getPublicKey(), s.key());
    }

    private static KeyPair pair(String alg, String name) {
        return PAIRS.computeIfAbsent(alg + "-" + name, n -> {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
                if ("EC".equals(alg)) {
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                } else {
                    g.initialize(2048);
                }
                return g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Signer issue(KeyPair subjectPair, String subject, KeyPair issuerPair, String issuer, boolean isCa,
            Instant notBefore, Instant notAfter, int keyUsage) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subject), subjectPair.getPublic());
            if (isCa) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            }
            if (keyUsage != 0) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            }
            String sigAlg = "RSA".equals(issuerPair.getPrivate().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(sigAlg).build(issuerPair.getPrivate())));
            return new Signer(subjectPair.getPrivate(), cert);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }
}
