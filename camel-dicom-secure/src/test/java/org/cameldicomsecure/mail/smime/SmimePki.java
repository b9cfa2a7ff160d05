package org.cameldicomsecure.mail.smime;

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
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away S/MIME PKI made in memory for the tests (nothing committed): CAs and end-entity certificates with
 * rfc822Name subject alternative names, key usage and extended key usage emailProtection. Keys are cached per name.
 */
public final class SmimePki {

    /** A key and its certificate. */
    public record Entity(PrivateKey key, X509Certificate cert) {
    }

    private static final Map<String, KeyPair> PAIRS = new ConcurrentHashMap<>();
    private static final Map<String, Entity> ENTITIES = new ConcurrentHashMap<>();
    private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 5000L);

    private SmimePki() {
    }

    /** The self-signed RSA CA {@code name}. */
    public static Entity ca(String name) {
        return ENTITIES.computeIfAbsent("CA-" + name, n -> {
            KeyPair pair = pair("RSA", "ca-" + name);
            return issue(pair, "CN=" + name + ",O=camel-dicom-secure S/MIME test", pair,
                    new X500Name("CN=" + name + ",O=camel-dicom-secure S/MIME test"), null, true, Instant.now().minus(Duration.ofDays(2)),
                    Instant.now().plus(Duration.ofDays(30)), KeyUsage.keyCertSign | KeyUsage.cRLSign);
        });
    }

    /** The main test CA. */
    public static Entity ca() {
        return ca("S/MIME test CA");
    }

    /** A mail user of key type alg ("RSA" or "EC") with address {@code email}, issued by {@link #ca()}. */
    public static Entity user(String alg, String email) {
        return ENTITIES.computeIfAbsent(alg + "-" + email, n -> user(alg, email, ca(), Instant.now().minus(
                Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30))));
    }

    /** A mail user with the given issuer and validity (not cached). */
    public static Entity user(String alg, String email, Entity issuer, Instant notBefore, Instant notAfter) {
        int usage = "RSA".equals(alg) ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                : KeyUsage.digitalSignature | KeyUsage.keyAgreement;
        return issue(pair(alg, email), "CN=" + email.substring(0, email.indexOf('@')) + ",O=camel-dicom-secure test",
                new KeyPair(issuer.cert().getPublicKey(), issuer.key()),
                X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()), email, false, notBefore, notAfter, usage);
    }

    static KeyPair pair(String alg, String name) {
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

    private static Entity issue(KeyPair subjectPair, String subject, KeyPair issuerPair, X500Name issuer, String email,
            boolean isCa, Instant notBefore, Instant notAfter, int keyUsage) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subject), subjectPair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectPair.getPublic()));
            if (isCa) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            } else {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
            }
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            if (email != null) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
            }
            return new Entity(subjectPair.getPrivate(), new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerPair.getPrivate()))));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }
}
