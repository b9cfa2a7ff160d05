package org.cameldicomsecure.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.tsp.MessageImprint;
import org.bouncycastle.asn1.tsp.TSTInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.cameldicomsecure.sign.TimestampException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TimestampVerifier} against tokens made here by Bouncy Castle's {@link TimeStampTokenGenerator} with a
 * throw-away TSA ({@link Pki}): the good cases (RSA and ECDSA TSAs, SHA-256/384/512 and SHA3 imprints, ESSCertID and
 * ESSCertIDv2, an intermediate CA, a directly trusted TSA, OB padding, a certificate expired now but valid at genTime)
 * and every refusal reason.
 */
class TimestampVerifierTest {

    /** A Signature (0400,0120) value stand-in: the data a DICOM certified timestamp covers. */
    private static final byte[] DATA = "the Signature value of a Digital Signatures Sequence item"
            .getBytes(StandardCharsets.US_ASCII);

    /** An RSA TSA; the other TSAs of these tests have EC P-256 keys (quick to generate). */
    private static final Pki.Tsa TSA = Pki.tsa("TimestampVerifierTest TSA", Pki.Options.defaults().withRsa());

    // ---- good ----

    @Test
    void acceptsTokenOfTrustedTsa() throws Exception {
        Instant genTime = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        byte[] token = TSA.token(DATA, "SHA-256", genTime);
        TimestampInfo info = TimestampVerifier.verify(token, DATA, List.of(TSA.ca()));
        assertEquals(genTime, info.genTime());
        assertEquals(TSA.cert().getSubjectX500Principal().getName(), info.tsaSubject());
        assertTrue(info.tsaSubject().contains("CN=TimestampVerifierTest TSA"), info.tsaSubject());
        assertEquals(Pki.POLICY, info.policyOid());
        assertEquals("SHA-256", info.hashAlgorithm());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA-1", "SHA-224", "SHA-384", "SHA-512", "SHA3-256", "SHA3-512"})
    void acceptsOtherImprintHashes(String hash) throws Exception {
        byte[] token = TSA.token(DATA, hash, Instant.now());
        assertEquals(hash, TimestampVerifier.verify(token, DATA, List.of(TSA.ca())).hashAlgorithm());
    }

    @Test
    void acceptsEcdsaTsaAndEssCertIdVersion1() throws Exception {
        Pki.Tsa ec = Pki.tsa("EC TSA", Pki.Options.defaults().withEssCertIdSha1());
        byte[] token = ec.token(DATA, "SHA-256", Instant.now());
        TimestampInfo info = TimestampVerifier.verify(token, DATA, List.of(ec.ca()));
        assertEquals(ec.cert().getSubjectX500Principal().getName(), info.tsaSubject());
        assertTrue(info.tsaSubject().contains("CN=EC TSA"), info.tsaSubject());
    }

    @Test
    void buildsPathThroughIntermediateCarriedInToken() throws Exception {
        Pki.Tsa viaSub = Pki.tsa("TSA under sub-CA", Pki.Options.defaults().withIntermediate());
        byte[] token = viaSub.token(DATA, "SHA-256", Instant.now());
        assertEquals(2, viaSub.chain().size());
        TimestampVerifier.verify(token, DATA, List.of(viaSub.ca()));

        // without the intermediate in the token there is no path
        byte[] bare = viaSub.token(DATA, "SHA-256", Instant.now(), List.of(viaSub.cert()));
        TimestampException e = assertThrows(TimestampException.class,
                () -> TimestampVerifier.verify(bare, DATA, List.of(viaSub.ca())));
        assertEquals(Reason.UNTRUSTED, e.reason());
    }

    @Test
    void trustsTsaCertificateThatIsItselfATrustAnchor() throws Exception {
        byte[] token = TSA.token(DATA, "SHA-256", Instant.now());
        Pki.Tsa other = Pki.tsa("unrelated");
        TimestampVerifier.verify(token, DATA, List.of(other.ca(), TSA.cert()));
    }

    @Test
    void findsTsaCertificateAmongTrustAnchorsWhenTokenCarriesNone() throws Exception {
        byte[] token = TSA.token(DATA, "SHA-256", Instant.now(), List.of());
        TimestampException e = assertThrows(TimestampException.class,
                () -> TimestampVerifier.verify(token, DATA, List.of(TSA.ca())));
        assertEquals(Reason.SIGNER_CERTIFICATE_MISSING, e.reason());
        assertTrue(e.getMessage().contains("does not carry the TSA certificate"), e.getMessage());
        assertTrue(e.getMessage().contains("serial number " + TSA.cert().getSerialNumber()), e.getMessage());

        TimestampInfo info = TimestampVerifier.verify(token, DATA, List.of(TSA.ca(), TSA.cert()));
        assertEquals(TSA.cert().getSubjectX500Principal().getName(), info.tsaSubject());
    }

    @Test
    void acceptsOneObPaddingByteOnly() throws Exception {
        byte[] token = TSA.token(DATA, "SHA-256", Instant.now());
        byte[] padded = Arrays.copyOf(token, token.length + 1);
        TimestampVerifier.verify(padded, DATA, List.of(TSA.ca()));

        byte[] twoZeros = Arrays.copyOf(token, token.length + 2);
        assertReason(Reason.NOT_A_TOKEN, "byte(s) follow", twoZeros, DATA, List.of(TSA.ca()));
        byte[] notZero = Arrays.copyOf(token, token.length + 1);
        notZero[token.length] = 1;
        assertReason(Reason.NOT_A_TOKEN, "byte(s) follow", notZero, DATA, List.of(TSA.ca()));
    }

    @Test
    void judgesTsaCertificateAtGenTimeNotNow() throws Exception {
        Instant now = Instant.now();
        Pki.Tsa expired = Pki.tsa("expired TSA", Pki.Options.defaults()
                .withValidity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(5))));
        byte[] token = expired.token(DATA, "SHA-256", now.minus(Duration.ofDays(7)));
        TimestampInfo info = TimestampVerifier.verify(token, DATA, List.of(expired.ca()));
        assertEquals(now.minus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS), info.genTime());
    }

    // ---- refusals ----

    @Test
    void refusesWhatIsNotAToken() throws Exception {
        List<X509Certificate> trust = List.of(TSA.ca());
        assertReason(Reason.NOT_A_TOKEN, "no bytes", new byte[0], DATA, trust);
        assertReason(Reason.NOT_A_TOKEN, "no bytes", null, DATA, trust);
        assertReason(Reason.NOT_A_TOKEN, "ASN.1", "not DER at all".getBytes(StandardCharsets.US_ASCII), DATA, trust);
        byte[] token = TSA.token(DATA, "SHA-256", Instant.now());
        assertReason(Reason.NOT_A_TOKEN, "ASN.1", Arrays.copyOf(token, token.length - 10), DATA, trust);
        assertReason(Reason.NOT_A_TOKEN, "ContentInfo", new ASN1Integer(5).getEncoded(), DATA, trust);

        // a ContentInfo of another type
        byte[] data = new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(DATA)).getEncoded();
        assertReason(Reason.NOT_A_TOKEN, "content type " + CMSObjectIdentifiers.data.getId(), data, DATA, trust);

        // a SignedData over id-data instead of a TSTInfo
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withRSA", TSA.key(),
                TSA.cert()));
        byte[] signedData = g.generate(new CMSProcessableByteArray(DATA), true).getEncoded();
        assertReason(Reason.NOT_A_TOKEN, "not an RFC 3161 timestamp token", signedData, DATA, trust);

        // the whole TimeStampResp instead of its token
        TimeStampRequest req = new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA256, sha("SHA-256", DATA));
        byte[] resp = new TimeStampResponseGenerator(TSA.generator(), TSPAlgorithms.ALLOWED)
                .generate(req, BigInteger.ONE, new Date()).getEncoded();
        assertReason(Reason.NOT_A_TOKEN, "TimeStampResp", resp, DATA, trust);
    }

    @Test
    void refusesTokenOfOtherData() throws Exception {
        byte[] token = TSA.token(DATA, "SHA-256", Instant.now());
        byte[] other = DATA.clone();
        other[0] ^= 1;
        TimestampException e = assertReason(Reason.IMPRINT_MISMATCH, "timestamps other data", token, other,
                List.of(TSA.ca()));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void refusesMd5Imprint() throws Exception {
        byte[] token = TSA.token(DATA, "MD5", Instant.now());
        assertReason(Reason.UNSUPPORTED_ALGORITHM, TSPAlgorithms.MD5.getId(), token, DATA, List.of(TSA.ca()));
    }

    @Test
    void refusesChangedSignature() throws Exception {
        byte[] token = TSA.token(DATA, "SHA-256", Instant.now());
        // the SignerInfo is the last element of the SignedData and its signature the last field of the SignerInfo
        byte[] bad = token.clone();
        bad[bad.length - 1] ^= 0x01;
        assertReason(Reason.SIGNATURE_INVALID, "signature", bad, DATA, List.of(TSA.ca()));
    }

    @Test
    void refusesChangedTstInfo() throws Exception {
        Instant genTime = Instant.parse("2025-03-04T05:06:07Z");
        byte[] token = TSA.token(DATA, "SHA-256", genTime);
        byte[] bad = replaceOnce(token, "20250304050607Z", "20250304050608Z");
        // the verifier sees the changed time, but the signature no longer covers it
        assertReason(Reason.SIGNATURE_INVALID, "signature", bad, DATA, List.of(TSA.ca()));
    }

    @Test
    void refusesTokenSignedByAnotherKey() throws Exception {
        Pki.Tsa impostor = Pki.tsa("impostor", Pki.Options.defaults().withRsa());
        // signed with the impostor's key, but names and carries the real TSA certificate
        byte[] token = Pki.manualToken(impostor.key(), TSA.cert(), List.of(TSA.cert()), DATA, Instant.now(), null);
        assertReason(Reason.SIGNATURE_INVALID, "does not verify", token, DATA, List.of(TSA.ca()));
    }

    @Test
    void refusesSigningCertificateAttributeNamingAnotherCertificate() throws Exception {
        // same issuer, serial number and key, but another certificate than the one the ESSCertIDv2 hashes
        X509Certificate twin = Pki.certificate(TSA.cert().getSubjectX500Principal().getName(), TSA.keyPair(),
                TSA.issuerCert(), TSA.issuerKey(), TSA.cert().getSerialNumber(),
                TSA.cert().getNotBefore().toInstant(), TSA.cert().getNotAfter().toInstant().minusSeconds(60),
                false, Pki.Eku.TIME_STAMPING);
        byte[] token = TSA.token(DATA, "SHA-256", Instant.now(), List.of(twin));
        assertReason(Reason.SIGNATURE_INVALID, "signing-certificate attribute", token, DATA, List.of(TSA.ca()));
    }

    @Test
    void refusesCertificateWithoutTimeStampingUsage() throws Exception {
        for (Pki.Eku eku : List.of(Pki.Eku.NONE, Pki.Eku.TIME_STAMPING_NOT_CRITICAL,
                Pki.Eku.TIME_STAMPING_AND_SERVER_AUTH)) {
            Pki.Tsa notTsa = Pki.tsa("not a TSA " + eku, Pki.Options.defaults().withEku(eku));
            byte[] token = Pki.manualToken(notTsa.key(), notTsa.cert(), List.of(notTsa.cert()), DATA,
                    Instant.now(), null);
            String expected = switch (eku) {
                case NONE -> "has no extended key usage";
                case TIME_STAMPING_NOT_CRITICAL -> "not marked critical";
                default -> "requires only id-kp-timeStamping";
            };
            TimestampException e = assertReason(Reason.NOT_A_TSA_CERTIFICATE, expected, token, DATA,
                    List.of(notTsa.ca()));
            assertTrue(e.getMessage().contains("RFC 3161 §2.3"), e.getMessage());
        }
    }

    @Test
    void refusesUntrustedTsa() throws Exception {
        byte[] token = TSA.token(DATA, "SHA-256", Instant.now());
        Pki.Tsa other = Pki.tsa("other CA's TSA");
        TimestampException e = assertReason(Reason.UNTRUSTED, "not trusted", token, DATA, List.of(other.ca()));
        assertTrue(e.getMessage().contains(TSA.cert().getSubjectX500Principal().getName()), e.getMessage());
        assertReason(Reason.UNTRUSTED, "no trusted certificates", token, DATA, List.of());
    }

    @Test
    void refusesTokenMadeOutsideCertificateValidity() throws Exception {
        Instant now = Instant.now();
        Pki.Tsa expired = Pki.tsa("expired TSA", Pki.Options.defaults()
                .withValidity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(5))));
        byte[] after = expired.token(DATA, "SHA-256", now);
        assertReason(Reason.OUTSIDE_CERTIFICATE_VALIDITY, "outside the validity", after, DATA,
                List.of(expired.ca()));
        byte[] before = expired.token(DATA, "SHA-256", now.minus(Duration.ofDays(11)));
        assertReason(Reason.OUTSIDE_CERTIFICATE_VALIDITY, "outside the validity", before, DATA,
                List.of(expired.ca()));
    }

    @Test
    void messagesCarryNoDataOrDigest() throws Exception {
        byte[] token = TSA.token(DATA, "SHA-256", Instant.now());
        byte[] other = "zebra-data".getBytes(StandardCharsets.US_ASCII);
        TimestampException e = assertThrows(TimestampException.class,
                () -> TimestampVerifier.verify(token, other, List.of(TSA.ca())));
        for (byte[] digest : List.of(sha("SHA-256", DATA), sha("SHA-256", other))) {
            String hex = HexFormat.of().formatHex(digest);
            assertFalse(e.getMessage().toLowerCase(Locale.ROOT).contains(hex.substring(0, 16)), e.getMessage());
        }
        assertFalse(e.getMessage().contains("zebra"), e.getMessage());
        assertFalse(e.getMessage().contains("Signature value"), e.getMessage());
    }

    // ---- helpers ----

    static TimestampException assertReason(Reason reason, String fragment, byte[] token, byte[] data,
            Collection<X509Certificate> trust) {
        TimestampException e = assertThrows(TimestampException.class,
                () -> TimestampVerifier.verify(token, data, trust));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        return e;
    }

    static byte[] sha(String algorithm, byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance(algorithm).digest(data);
    }

    private static byte[] replaceOnce(byte[] in, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(StandardCharsets.US_ASCII);
        int found = -1;
        for (int i = 0; i + f.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + f.length, f, 0, f.length)) {
                if (found >= 0) {
                    throw new AssertionError(from + " occurs more than once");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new AssertionError(from + " not found");
        }
        byte[] out = in.clone();
        System.arraycopy(t, 0, out, found, t.length);
        return out;
    }

    /**
     * A throw-away PKI for timestamp tests: a root CA, optionally an intermediate CA, and a TSA certificate (critical
     * extended key usage id-kp-timeStamping unless asked otherwise), keys generated in the test. Tokens come from Bouncy
     * Castle's {@link TimeStampTokenGenerator}; {@link #manualToken} builds one by hand with {@link
     * CMSSignedDataGenerator} for certificates that generator refuses (it checks the key usage itself).
     */
    static final class Pki {

        /** The TSA policy of these tokens: a UUID-derived OID (ITU-T X.667, arc 2.25), fixed for the run. */
        static final String POLICY = "2.25." + new BigInteger(1, randomBytes(16));
        static final String OTHER_POLICY = "2.25." + new BigInteger(1, randomBytes(16));

        private static final BouncyCastleProvider BC = new BouncyCastleProvider();
        private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();
        private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 1000L);

        enum Eku { TIME_STAMPING, TIME_STAMPING_NOT_CRITICAL, TIME_STAMPING_AND_SERVER_AUTH, NONE }

        record Options(boolean rsa, boolean essSha1, boolean intermediate, Instant notBefore, Instant notAfter,
                Eku eku) {

            static Options defaults() {
                Instant now = Instant.now();
                return new Options(false, false, false, now.minus(Duration.ofDays(30)),
                        now.plus(Duration.ofDays(30)), Eku.TIME_STAMPING);
            }

            Options withRsa() {
                return new Options(true, essSha1, intermediate, notBefore, notAfter, eku);
            }

            Options withEssCertIdSha1() {
                return new Options(rsa, true, intermediate, notBefore, notAfter, eku);
            }

            Options withIntermediate() {
                return new Options(rsa, essSha1, true, notBefore, notAfter, eku);
            }

            Options withValidity(Instant from, Instant to) {
                return new Options(rsa, essSha1, intermediate, from, to, eku);
            }

            Options withEku(Eku e) {
                return new Options(rsa, essSha1, intermediate, notBefore, notAfter, e);
            }
        }

        /**
         * A TSA: its key and certificate, the root CA to trust, the issuer (root or intermediate), and the
         * certificates its tokens carry by default (the TSA certificate, then the intermediate if any).
         */
        record Tsa(KeyPair keyPair, X509Certificate cert, X509Certificate ca, KeyPair issuerKeys,
                X509Certificate issuerCert, List<X509Certificate> chain, Options options) {

            PrivateKey key() {
                return keyPair.getPrivate();
            }

            PrivateKey issuerKey() {
                return issuerKeys.getPrivate();
            }

            String signatureAlgorithm() {
                return options.rsa() ? "SHA256withRSA" : "SHA256withECDSA";
            }

            /**
             * Bouncy Castle's token generator for this TSA, default policy {@link #POLICY}, carrying {@code certs},
             * signingTime {@code signingTime} (a real TSA signs at genTime).
             */
            TimeStampTokenGenerator generator(List<X509Certificate> certs, Instant signingTime) throws Exception {
                DigestCalculator essHash = new JcaDigestCalculatorProviderBuilder().build()
                        .get(new AlgorithmIdentifier(options.essSha1() ? OIWObjectIdentifiers.idSHA1
                                : NISTObjectIdentifiers.id_sha256));
                SignerInfoGenerator signer = new JcaSimpleSignerInfoGeneratorBuilder().setProvider(BC)
                        .setSignedAttributeGenerator(signingTime(signingTime))
                        .build(signatureAlgorithm(), key(), cert);
                TimeStampTokenGenerator g = new TimeStampTokenGenerator(signer, essHash,
                        new ASN1ObjectIdentifier(POLICY));
                if (!certs.isEmpty()) {
                    g.addCertificates(new JcaCertStore(certs));
                }
                return g;
            }

            TimeStampTokenGenerator generator() throws Exception {
                return generator(chain, Instant.now());
            }

            /** A token over {@code data} made at {@code genTime} (whole seconds), carrying the chain. */
            byte[] token(byte[] data, String hash, Instant genTime) throws Exception {
                return token(data, hash, genTime, chain);
            }

            byte[] token(byte[] data, String hash, Instant genTime, List<X509Certificate> certs) throws Exception {
                ASN1ObjectIdentifier oid = "MD5".equals(hash) ? TSPAlgorithms.MD5 : TimestampVerifier.hashOid(hash);
                TimeStampRequestGenerator rg = new TimeStampRequestGenerator();
                rg.setCertReq(!certs.isEmpty());
                TimeStampRequest req = rg.generate(oid, sha(hash, data), new BigInteger(64, new SecureRandom()));
                return generator(certs, genTime).generate(req, BigInteger.valueOf(SERIAL.incrementAndGet()),
                        Date.from(genTime)).getEncoded(ASN1Encoding.DER);
            }
        }

        static Tsa tsa(String name) {
            return tsa(name, Options.defaults());
        }

        static Tsa tsa(String name, Options o) {
            Instant now = Instant.now();
            Instant caFrom = now.minus(Duration.ofDays(365));
            Instant caTo = now.plus(Duration.ofDays(365));
            KeyPair caKeys = keys("EC-ca-" + name);
            X509Certificate ca = certificate("CN=" + name + " Root CA,O=camel-dicom-secure test", caKeys, null, null,
                    next(), caFrom, caTo, true, Eku.NONE);
            KeyPair issuerKeys = caKeys;
            X509Certificate issuer = ca;
            if (o.intermediate()) {
                issuerKeys = keys("EC-sub-" + name);
                issuer = certificate("CN=" + name + " Sub CA,O=camel-dicom-secure test", issuerKeys, ca,
                        caKeys.getPrivate(), next(), caFrom, caTo, true, Eku.NONE);
            }
            KeyPair tsaKeys = keys((o.rsa() ? "RSA-tsa-" : "EC-tsa-") + name);
            X509Certificate cert = certificate("CN=" + name + ",O=camel-dicom-secure test", tsaKeys, issuer,
                    issuerKeys.getPrivate(), next(), o.notBefore(), o.notAfter(), false, o.eku());
            List<X509Certificate> chain = o.intermediate() ? List.of(cert, issuer) : List.of(cert);
            return new Tsa(tsaKeys, cert, ca, issuerKeys, issuer, chain, o);
        }

        /**
         * A certificate for {@code keys}, signed by {@code issuerKey} (self-signed when {@code issuer} is null);
         * {@code ca} makes a CA certificate (basic constraints, keyCertSign), otherwise a digitalSignature end entity
         * with the given extended key usage.
         */
        static X509Certificate certificate(String subject, KeyPair keys, X509Certificate issuer, PrivateKey issuerKey,
                BigInteger serial, Instant from, Instant to, boolean ca, Eku eku) {
            try {
                X500Name subjectName = new X500Name(subject);
                X500Name issuerName = issuer == null ? subjectName
                        : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, serial, Date.from(from),
                        Date.from(to), subjectName, keys.getPublic());
                JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                b.addExtension(Extension.subjectKeyIdentifier, false,
                        ext.createSubjectKeyIdentifier(keys.getPublic()));
                if (issuer != null) {
                    b.addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(issuer));
                }
                if (ca) {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                } else {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    switch (eku) {
                        case TIME_STAMPING -> b.addExtension(Extension.extendedKeyUsage, true,
                                new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
                        case TIME_STAMPING_NOT_CRITICAL -> b.addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
                        case TIME_STAMPING_AND_SERVER_AUTH -> b.addExtension(Extension.extendedKeyUsage, true,
                                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_timeStamping,
                                    KeyPurposeId.id_kp_serverAuth}));
                        case NONE -> { }
                        default -> throw new IllegalArgumentException(eku.name());
                    }
                }
                PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuerKey;
                String alg = signingKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
                return new JcaX509CertificateConverter().getCertificate(
                        b.build(new JcaContentSignerBuilder(alg).setProvider(BC).build(signingKey)));
            } catch (Exception e) {
                throw new IllegalStateException("cannot make a test certificate", e);
            }
        }

        /**
         * A TimeStampToken built by hand (what TimeStampTokenGenerator does, without its check of the certificate):
         * TSTInfo (policy {@link #POLICY}, SHA-256 imprint of {@code data}, {@code nonce} if not null) in a SignedData
         * signed with {@code key}, signer identified by {@code cert}, signingCertificateV2 naming {@code cert}.
         */
        static byte[] manualToken(PrivateKey key, X509Certificate cert, List<X509Certificate> carried, byte[] data,
                Instant genTime, BigInteger nonce) throws Exception {
            TSTInfo tst = new TSTInfo(new ASN1ObjectIdentifier(POLICY),
                    new MessageImprint(new AlgorithmIdentifier(TSPAlgorithms.SHA256), sha("SHA-256", data)),
                    new ASN1Integer(SERIAL.incrementAndGet()),
                    new ASN1GeneralizedTime(Date.from(genTime.truncatedTo(ChronoUnit.SECONDS))), null,
                    ASN1Boolean.FALSE, nonce == null ? null : new ASN1Integer(nonce), null, null);
            ESSCertIDv2 id = new ESSCertIDv2(sha("SHA-256", cert.getEncoded()));
            AttributeTable signed = signingTime(genTime).add(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                    new SigningCertificateV2(id));
            String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            SignerInfoGenerator signer = new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(signed))
                    .build(new JcaContentSignerBuilder(alg).setProvider(BC).build(key), cert);
            CMSSignedDataGenerator g = new CMSSignedDataGenerator();
            g.addSignerInfoGenerator(signer);
            if (!carried.isEmpty()) {
                g.addCertificates(new JcaCertStore(carried));
            }
            CMSSignedData sd = g.generate(new CMSProcessableByteArray(PKCSObjectIdentifiers.id_ct_TSTInfo,
                    tst.getEncoded(ASN1Encoding.DER)), true);
            return sd.toASN1Structure().getEncoded(ASN1Encoding.DER);
        }

        static AttributeTable signingTime(Instant t) {
            return new AttributeTable(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(t)))));
        }

        static KeyPair keys(String name) {
            return KEYS.computeIfAbsent(name, n -> {
                try {
                    if (n.startsWith("EC")) {
                        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                        g.initialize(new ECGenParameterSpec("secp256r1"));
                        return g.generateKeyPair();
                    }
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    return g.generateKeyPair();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        private static BigInteger next() {
            return BigInteger.valueOf(SERIAL.incrementAndGet());
        }

        private static byte[] randomBytes(int n) {
            byte[] b = new byte[n];
            new SecureRandom().nextBytes(b);
            return b;
        }
    }
}
