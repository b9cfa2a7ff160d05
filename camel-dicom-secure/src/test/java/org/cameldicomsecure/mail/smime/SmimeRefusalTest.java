package org.cameldicomsecure.mail.smime;

import static org.cameldicomsecure.mail.smime.SmimeFixtures.bytes;
import static org.cameldicomsecure.mail.smime.SmimeFixtures.content;
import static org.cameldicomsecure.mail.smime.SmimeFixtures.message;
import static org.cameldicomsecure.mail.smime.SmimeFixtures.parse;
import static org.cameldicomsecure.mail.smime.SmimeFixtures.payloadOf;
import static org.cameldicomsecure.mail.smime.SmimeFixtures.random;
import static org.cameldicomsecure.mail.smime.SmimeRoundTripTest.ALICE;
import static org.cameldicomsecure.mail.smime.SmimeRoundTripTest.BOB;
import static org.cameldicomsecure.mail.smime.SmimeRoundTripTest.reader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.BEROctetString;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.ZlibCompressor;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.mail.smime.SMIMECompressedGenerator;
import org.bouncycastle.mail.smime.SMIMEEnvelopedGenerator;
import org.bouncycastle.mail.smime.SMIMESignedGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cameldicomsecure.mail.smime.SecureMailException.Reason;
import org.cameldicomsecure.mail.smime.SmimePki.Entity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmimeRefusalTest {

    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    final Entity alice = SmimePki.user("RSA", ALICE);
    final Entity bob = SmimePki.user("RSA", BOB);
    final byte[] payload = random(20_000, 11);

    byte[] write(Entity signer, String from, List<Entity> to, SmimeOptions opts) throws Exception {
        MimeMessage m = message(from);
        new SmimeWriter(signer == null ? null : signer.key(), signer == null ? null : List.of(signer.cert()),
                to.stream().map(Entity::cert).toList(), opts).writeTo(content(payload), m);
        return bytes(m);
    }

    static Reason refusal(SmimeReader reader, byte[] wire) {
        return assertThrows(SecureMailException.class, () -> reader.read(parse(wire)).close()).reason();
    }

    static byte[] der(byte[] wire) throws Exception {
        try (InputStream in = parse(wire).getInputStream()) {
            return in.readAllBytes();
        }
    }

    /** The message with the ciphertext octet {@code index} (negative: from the end) XORed with {@code mask}. */
    static byte[] tamperCiphertext(byte[] wire, int index, int mask) throws Exception {
        ContentInfo ci = ContentInfo.getInstance(ASN1Primitive.fromByteArray(der(wire)));
        ContentInfo out;
        if (ci.getContentType().equals(CMSObjectIdentifiers.envelopedData)) {
            EnvelopedData ed = EnvelopedData.getInstance(ci.getContent());
            EncryptedContentInfo eci = ed.getEncryptedContentInfo();
            byte[] ct = flip(eci.getEncryptedContent().getOctets(), index, mask);
            out = new ContentInfo(CMSObjectIdentifiers.envelopedData, new EnvelopedData(ed.getOriginatorInfo(),
                    ed.getRecipientInfos(), new EncryptedContentInfo(eci.getContentType(),
                            eci.getContentEncryptionAlgorithm(), new BEROctetString(ct)), ed.getUnprotectedAttrs()));
        } else {
            AuthEnvelopedData ad = AuthEnvelopedData.getInstance(ci.getContent());
            EncryptedContentInfo eci = ad.getAuthEncryptedContentInfo();
            byte[] ct = flip(eci.getEncryptedContent().getOctets(), index, mask);
            out = new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, new AuthEnvelopedData(ad.getOriginatorInfo(),
                    ad.getRecipientInfos(), new EncryptedContentInfo(eci.getContentType(),
                            eci.getContentEncryptionAlgorithm(), new BEROctetString(ct)), ad.getAuthAttrs(),
                    ad.getMac(), ad.getUnauthAttrs()));
        }
        String type = parse(wire).getContentType().contains("authEnveloped") ? "authEnveloped-data" : "enveloped-data";
        return bytes(SmimeFixtures.pkcs7Message(out.getEncoded(), type, ALICE));
    }

    static byte[] flip(byte[] b, int index, int mask) {
        byte[] c = b.clone();
        int i = index < 0 ? c.length + index : index;
        c[i] ^= (byte) mask;
        return c;
    }

    @Test
    void untamperedRebuildStillReads() throws Exception {
        // the tampering helper itself re-encodes correctly: a zero mask gives a message that reads
        byte[] wire = write(alice, ALICE, List.of(bob), SmimeOptions.DEFAULT);
        try (UnwrappedMail u = reader(bob).read(parse(tamperCiphertext(wire, 100, 0)))) {
            assertArrayEquals(payload, payloadOf(u.content()));
        }
    }

    @Test
    void tamperedCbcCiphertextInsideTheSignedContent() throws Exception {
        byte[] wire = write(alice, ALICE, List.of(bob), SmimeOptions.DEFAULT);
        int middle = der(wire).length / 2;
        assertEquals(Reason.SIGNATURE_INVALID, refusal(reader(bob), tamperCiphertext(wire, middle / 2, 0x01)));
    }

    @Test
    void tamperedCbcPadding() throws Exception {
        // the last byte of the next-to-last block XORs the padding length byte: 0x80 makes it > 16, always invalid
        byte[] wire = write(alice, ALICE, List.of(bob), SmimeOptions.DEFAULT);
        assertEquals(Reason.DECRYPTION_FAILED, refusal(reader(bob), tamperCiphertext(wire, -17, 0x80)));
    }

    @ParameterizedTest
    @EnumSource(value = ContentEncryption.class, names = {"AES128_GCM", "AES256_GCM"})
    void tamperedGcmCiphertext(ContentEncryption ce) throws Exception {
        byte[] wire = write(alice, ALICE, List.of(bob), SmimeOptions.DEFAULT.withContentEncryption(ce));
        assertEquals(Reason.DECRYPTION_FAILED, refusal(reader(bob), tamperCiphertext(wire, 10, 0x01)));
        assertEquals(Reason.DECRYPTION_FAILED, refusal(reader(bob), tamperCiphertext(wire, -1, 0x01)));
    }

    @Test
    void tamperedSignedContent() throws Exception {
        byte[] wire = write(alice, ALICE, List.of(), SmimeOptions.DEFAULT);
        SmimeReader r = reader(bob, SmimeReaderOptions.DEFAULT.withRequireEncryption(false));
        r.read(parse(wire)).close();
        String s = new String(wire, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("the study is attached");
        assertTrue(at > 0);
        byte[] tampered = wire.clone();
        tampered[at + 4] = 'S';
        assertEquals(Reason.SIGNATURE_INVALID, refusal(r, tampered));
        // a changed byte of the signature part itself (its base64): the signature no longer verifies
        // (near the end of its base64: the signature value)
        int body = s.lastIndexOf("\r\n--") - 30;
        byte[] tampered2 = wire.clone();
        tampered2[body] = (byte) (tampered2[body] == 'A' ? 'B' : 'A');
        Reason reason = refusal(r, tampered2);
        assertEquals(Reason.SIGNATURE_INVALID, reason);
    }

    @Test
    void unsignedWhenRequired() throws Exception {
        byte[] wire = write(null, ALICE, List.of(bob), SmimeOptions.DEFAULT);
        assertEquals(Reason.UNSIGNED, refusal(reader(bob), wire));
    }

    @Test
    void notEncryptedWhenRequired() throws Exception {
        byte[] wire = write(alice, ALICE, List.of(), SmimeOptions.DEFAULT);
        assertEquals(Reason.NOT_ENCRYPTED, refusal(reader(bob), wire));
        // plain mail, nothing required: the message itself is the content
        MimeMessage plain = message(ALICE);
        plain.setText("hello");
        try (UnwrappedMail u = reader(bob, SmimeReaderOptions.DEFAULT.withRequireEncryption(false)
                .withRequireSignature(false)).read(parse(bytes(plain)))) {
            assertTrue(u.layers().isEmpty());
            assertFalse(u.signed());
            assertEquals("hello", u.content().getContent());
        }
        assertEquals(Reason.NOT_ENCRYPTED, refusal(reader(bob), bytes(plain)));
        assertEquals(Reason.UNSIGNED, refusal(reader(bob, SmimeReaderOptions.DEFAULT.withRequireEncryption(false)),
                bytes(plain)));
    }

    @Test
    void notForUs() throws Exception {
        byte[] wire = write(alice, ALICE, List.of(bob, SmimePki.user("EC", "dave@example.org")), SmimeOptions.DEFAULT);
        assertEquals(Reason.NOT_FOR_RECIPIENT, refusal(reader(SmimePki.user("RSA", "carol@example.org")), wire));
        assertEquals(Reason.NOT_FOR_RECIPIENT, refusal(reader(SmimePki.user("EC", "carol@example.org")), wire));
        assertEquals(Reason.NOT_FOR_RECIPIENT, refusal(new SmimeReader(null, null, List.of(SmimePki.ca().cert()),
                SmimeReaderOptions.DEFAULT), wire));
    }

    @Test
    void wrongPrivateKey() throws Exception {
        byte[] wire = write(alice, ALICE, List.of(bob),
                SmimeOptions.DEFAULT.withContentEncryption(ContentEncryption.AES256_GCM));
        Entity carol = SmimePki.user("RSA", "carol@example.org");
        SmimeReader r = new SmimeReader(carol.key(), bob.cert(), List.of(SmimePki.ca().cert()),
                SmimeReaderOptions.DEFAULT);
        assertEquals(Reason.DECRYPTION_FAILED, refusal(r, wire));
        Entity ecBob = SmimePki.user("EC", "ecbob@example.org");
        byte[] wire2 = write(alice, ALICE, List.of(ecBob), SmimeOptions.DEFAULT);
        Entity ecCarol = SmimePki.user("EC", "eccarol@example.org");
        assertEquals(Reason.DECRYPTION_FAILED, refusal(new SmimeReader(ecCarol.key(), ecBob.cert(),
                List.of(SmimePki.ca().cert()), SmimeReaderOptions.DEFAULT), wire2));
    }

    @Test
    void untrustedSigner() throws Exception {
        Entity other = SmimePki.user("RSA", "alice@example.org", SmimePki.ca("Other CA"),
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(10)));
        byte[] wire = write(other, ALICE, List.of(bob), SmimeOptions.DEFAULT);
        assertEquals(Reason.SIGNER_UNTRUSTED, refusal(reader(bob), wire));
        assertEquals(Reason.SIGNER_UNTRUSTED, refusal(new SmimeReader(bob.key(), bob.cert(), List.of(),
                SmimeReaderOptions.DEFAULT), write(alice, ALICE, List.of(bob), SmimeOptions.DEFAULT)));
    }

    @Test
    void expiredSigner() throws Exception {
        Entity old = SmimePki.user("RSA", "alice@example.org", SmimePki.ca(), Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)));
        byte[] wire = write(old, ALICE, List.of(bob), SmimeOptions.DEFAULT);
        assertEquals(Reason.SIGNER_UNTRUSTED, refusal(reader(bob), wire));
    }

    /**
     * A signature made with a key whose certificate has expired, claiming a signing time inside the certificate's
     * validity (backdated): the claimed time does not replace the check at the current time.
     */
    @Test
    void backdatedSignatureOfAnExpiredCertificate() throws Exception {
        Instant notBefore = Instant.now().minus(Duration.ofDays(30));
        Entity old = SmimePki.user("RSA", ALICE, SmimePki.ca(), notBefore, Instant.now().minus(Duration.ofDays(1)));
        org.bouncycastle.asn1.ASN1EncodableVector attrs = new org.bouncycastle.asn1.ASN1EncodableVector();
        attrs.add(new org.bouncycastle.asn1.cms.Attribute(org.bouncycastle.asn1.cms.CMSAttributes.signingTime,
                new org.bouncycastle.asn1.DERSet(new org.bouncycastle.asn1.cms.Time(
                        java.util.Date.from(notBefore.plus(Duration.ofDays(10)))))));
        org.bouncycastle.mail.smime.SMIMESignedGenerator gen = new org.bouncycastle.mail.smime.SMIMESignedGenerator();
        gen.addSignerInfoGenerator(new org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder()
                .setSignedAttributeGenerator(new org.bouncycastle.asn1.cms.AttributeTable(attrs))
                .build("SHA256withRSA", old.key(), old.cert()));
        gen.addCertificates(new org.bouncycastle.cert.jcajce.JcaCertStore(List.of(old.cert())));
        MimeMessage m = message(ALICE);
        m.setContent(gen.generate(content(payload)));
        m.saveChanges();
        SmimeReader lenient = new SmimeReader(bob.key(), bob.cert(), List.of(SmimePki.ca().cert()),
                SmimeReaderOptions.DEFAULT.withRequireEncryption(false));
        assertEquals(Reason.SIGNER_UNTRUSTED, refusal(lenient, bytes(m)));
    }

    @Test
    void revokedSigner() throws Exception {
        Entity revoked = SmimePki.user("RSA", "alice@example.org", SmimePki.ca(),
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(10)));
        byte[] wire = write(revoked, ALICE, List.of(bob), SmimeOptions.DEFAULT);
        SmimeReaderOptions withCrl = SmimeReaderOptions.DEFAULT.withCrls(List.of(crl(revoked.cert().getSerialNumber())));
        assertEquals(Reason.SIGNER_UNTRUSTED, refusal(reader(bob, withCrl), wire));
        SmimeReaderOptions otherCrl = SmimeReaderOptions.DEFAULT.withCrls(List.of(crl(BigInteger.valueOf(424242))));
        reader(bob, otherCrl).read(parse(wire)).close();
    }

    static X509CRL crl(BigInteger serial) throws Exception {
        Entity ca = SmimePki.ca();
        Instant now = Instant.now();
        X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded()),
                Date.from(now.minus(Duration.ofHours(1))));
        b.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
        b.addCRLEntry(serial, Date.from(now.minus(Duration.ofHours(2))), CRLReason.keyCompromise);
        return new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.key())));
    }

    @Test
    void fromNotTheSigner() throws Exception {
        byte[] wire = write(alice, "mallory@example.org", List.of(bob), SmimeOptions.DEFAULT);
        assertEquals(Reason.SENDER_MISMATCH, refusal(reader(bob), wire));
        try (UnwrappedMail u = reader(bob, SmimeReaderOptions.DEFAULT.withCheckFromAddress(false)).read(parse(wire))) {
            assertEquals("mallory@example.org", u.from());
            assertEquals(List.of(ALICE), u.signerEmails());
        }
        // case does not matter
        reader(bob).read(parse(write(alice, "Alice@Example.ORG", List.of(bob), SmimeOptions.DEFAULT))).close();
    }

    @Test
    void tripleDesAndRc2AreWeak() throws Exception {
        for (var alg : List.of(CMSAlgorithm.DES_EDE3_CBC, CMSAlgorithm.RC2_CBC)) {
            SMIMEEnvelopedGenerator gen = new SMIMEEnvelopedGenerator();
            gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(bob.cert()).setProvider(BC));
            MimeBodyPart enc = gen.generate(content(payload),
                    new JceCMSContentEncryptorBuilder(alg).setProvider(BC).build());
            MimeMessage m = message(ALICE);
            m.setContent(enc.getContent(), enc.getContentType());
            m.setHeader("Content-Transfer-Encoding", "base64");
            m.saveChanges();
            assertEquals(Reason.WEAK_ALGORITHM, refusal(reader(bob), bytes(m)), alg.getId());
        }
    }

    @Test
    void sha1SignatureOnlyWhenAllowed() throws Exception {
        SMIMESignedGenerator gen = new SMIMESignedGenerator();
        gen.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider(BC)
                .build("SHA1withRSA", alice.key(), alice.cert()));
        gen.addCertificates(new JcaCertStore(List.of(alice.cert())));
        MimeMultipart mm = gen.generate(content(payload));
        MimeMessage m = message(ALICE);
        m.setContent(mm);
        m.saveChanges();
        byte[] wire = bytes(m);
        SmimeReaderOptions o = SmimeReaderOptions.DEFAULT.withRequireEncryption(false);
        assertEquals(Reason.WEAK_ALGORITHM, refusal(reader(bob, o), wire));
        try (UnwrappedMail u = reader(bob, o.withAllowSha1(true)).read(parse(wire))) {
            assertArrayEquals(payload, payloadOf(u.content()));
        }
    }

    @Test
    void opaqueSignedAndCompressedLayersAreRead() throws Exception {
        SMIMESignedGenerator gen = new SMIMESignedGenerator();
        gen.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider(BC)
                .build("SHA256withRSA", alice.key(), alice.cert()));
        gen.addCertificates(new JcaCertStore(List.of(alice.cert())));
        MimeBodyPart compressed = new SMIMECompressedGenerator().generate(content(payload), new ZlibCompressor());
        MimeBodyPart opaque = gen.generateEncapsulated(compressed);
        MimeMessage m = message(ALICE);
        m.setContent(opaque.getContent(), opaque.getContentType());
        m.setHeader("Content-Transfer-Encoding", "base64");
        m.saveChanges();
        try (UnwrappedMail u = reader(bob, SmimeReaderOptions.DEFAULT.withRequireEncryption(false))
                .read(parse(bytes(m)))) {
            assertEquals(List.of("signed-data", "compressed-data"), u.layers());
            assertEquals(alice.cert(), u.signer());
            assertArrayEquals(payload, payloadOf(u.content()));
        }
    }

    @Test
    void tooManyLayers() throws Exception {
        byte[] wire = write(alice, ALICE, List.of(bob), SmimeOptions.DEFAULT);
        assertEquals(Reason.TOO_MANY_LAYERS, refusal(reader(bob, SmimeReaderOptions.DEFAULT.withMaxLayers(1)), wire));
        // seven nested signatures against the default limit of six
        SmimeWriter signer = new SmimeWriter(alice.key(), List.of(alice.cert()), List.of(), SmimeOptions.DEFAULT);
        MimeBodyPart part = content(payload);
        byte[] nested = null;
        for (int i = 0; i < 7; i++) {
            MimeMessage m = message(ALICE);
            signer.writeTo(part, m);
            nested = bytes(m);
            if (i == 5) {
                try (UnwrappedMail u = reader(bob, SmimeReaderOptions.DEFAULT.withRequireEncryption(false))
                        .read(parse(nested))) {
                    assertEquals(6, u.layers().size());
                    assertArrayEquals(payload, payloadOf(u.content()));
                }
            }
            part = new MimeBodyPart(new java.io.ByteArrayInputStream(nested));
        }
        assertEquals(Reason.TOO_MANY_LAYERS, refusal(reader(bob,
                SmimeReaderOptions.DEFAULT.withRequireEncryption(false)), nested));
    }

    @Test
    void tooLarge() throws Exception {
        byte[] wire = write(alice, ALICE, List.of(bob), SmimeOptions.DEFAULT);
        assertEquals(Reason.TOO_LARGE, refusal(reader(bob, SmimeReaderOptions.DEFAULT.withMaxBytes(10_000)), wire));
    }

    @Test
    void malformed() throws Exception {
        byte[] garbage = bytes(SmimeFixtures.pkcs7Message("not CMS at all".getBytes(StandardCharsets.US_ASCII),
                "enveloped-data", ALICE));
        assertEquals(Reason.MALFORMED, refusal(reader(bob), garbage));
        byte[] truncated = der(write(alice, ALICE, List.of(bob), SmimeOptions.DEFAULT));
        byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length / 2);
        Reason r = refusal(reader(bob), bytes(SmimeFixtures.pkcs7Message(cut, "enveloped-data", ALICE)));
        assertTrue(r == Reason.MALFORMED || r == Reason.DECRYPTION_FAILED, r.toString());
        MimeMessage pgp = message(ALICE);
        pgp.setContent(new MimeMultipart("signed"));
        pgp.setHeader("Content-Type", "multipart/signed; protocol=\"application/pgp-signature\"; boundary=x");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("From: alice@example.org\r\nContent-Type: multipart/signed; protocol=\"application/pgp-signature\";"
                + " boundary=x\r\n\r\n--x\r\n\r\nhi\r\n--x\r\n\r\nsig\r\n--x--\r\n").getBytes(StandardCharsets.US_ASCII));
        assertEquals(Reason.MALFORMED, refusal(reader(bob), out.toByteArray()));
    }

    @Test
    void writerRefusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new SmimeWriter(null, null, List.of(), SmimeOptions.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new SmimeWriter(alice.key(), List.of(), List.of(bob.cert()),
                SmimeOptions.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> SmimeOptions.DEFAULT.withDigest("MD5"));
        assertThrows(IllegalArgumentException.class, () -> SmimeOptions.DEFAULT.withDigest("SHA-1"));
        // a certificate that may only sign cannot receive an encrypted key
        Entity ca = SmimePki.ca();
        assertThrows(IllegalArgumentException.class, () -> new SmimeWriter(alice.key(), List.of(alice.cert()),
                List.of(ca.cert()), SmimeOptions.DEFAULT));
    }

    @Test
    void messagesNameNoContent() throws Exception {
        byte[] wire = write(alice, "mallory@example.org", List.of(bob), SmimeOptions.DEFAULT);
        SecureMailException e = assertThrows(SecureMailException.class, () -> reader(bob).read(parse(wire)));
        assertTrue(e.getMessage().contains("SENDER_MISMATCH"));
        assertFalse(e.getMessage().contains("the study is attached"));
        assertTrue(e.getMessage().contains("CN=alice"), e.getMessage());
    }
}
