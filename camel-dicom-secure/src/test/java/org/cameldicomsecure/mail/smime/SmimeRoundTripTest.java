package org.cameldicomsecure.mail.smime;

import static org.cameldicomsecure.mail.smime.SmimeFixtures.bytes;
import static org.cameldicomsecure.mail.smime.SmimeFixtures.content;
import static org.cameldicomsecure.mail.smime.SmimeFixtures.message;
import static org.cameldicomsecure.mail.smime.SmimeFixtures.parse;
import static org.cameldicomsecure.mail.smime.SmimeFixtures.payloadOf;
import static org.cameldicomsecure.mail.smime.SmimeFixtures.random;
import static org.cameldicomsecure.mail.smime.SmimeFixtures.textOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.SharedFileInputStream;

import org.cameldicomsecure.mail.smime.SmimePki.Entity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SmimeRoundTripTest {

    static final String ALICE = "alice@example.org";
    static final String BOB = "bob@example.org";

    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        for (String signer : List.of("RSA", "EC")) {
            for (String recipient : List.of("RSA", "EC")) {
                for (ContentEncryption ce : ContentEncryption.values()) {
                    for (SignatureOrder order : SignatureOrder.values()) {
                        out.add(Arguments.of(signer, recipient, ce, order));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} signer, {1} recipient, {2}, {3}")
    @MethodSource("combinations")
    void roundTrip(String signerAlg, String recipientAlg, ContentEncryption ce, SignatureOrder order) throws Exception {
        Entity alice = SmimePki.user(signerAlg, ALICE);
        Entity bob = SmimePki.user(recipientAlg, BOB);
        byte[] payload = random(20_000, 1);
        SmimeOptions opts = SmimeOptions.DEFAULT.withContentEncryption(ce).withOrder(order);
        MimeMessage m = message(ALICE);
        new SmimeWriter(alice.key(), List.of(alice.cert(), SmimePki.ca().cert()), List.of(bob.cert()), opts)
                .writeTo(content(payload), m);
        byte[] wire = bytes(m);
        assertArrayEquals(wire, bytes(m), "re-writing gives the same bytes");

        Instant before = Instant.now().minusSeconds(60);
        try (UnwrappedMail u = reader(bob).read(parse(wire))) {
            assertArrayEquals(payload, payloadOf(u.content()));
            assertEquals(SmimeFixtures.TEXT, textOf(u.content()).replace("\r\n", "\n").replace("\n", "\r\n"));
            assertTrue(u.encrypted());
            assertEquals(ce, u.contentEncryption());
            assertTrue(u.signed());
            assertEquals(alice.cert(), u.signer());
            assertEquals(List.of(ALICE), u.signerEmails());
            assertEquals(ALICE, u.from());
            assertTrue(u.signerChain().contains(SmimePki.ca().cert()));
            assertNotNull(u.signingTime());
            assertTrue(u.signingTime().isAfter(before));
            String enc = ce.authenticated() ? "authEnveloped-data" : "enveloped-data";
            assertEquals(order == SignatureOrder.SIGN_THEN_ENCRYPT ? List.of(enc, "multipart/signed")
                    : List.of("multipart/signed", enc), u.layers());
            assertFalse(u.usedTemporaryFiles());
        }
    }

    @Test
    void headersOfTheMessage() throws Exception {
        Entity alice = SmimePki.user("RSA", ALICE);
        Entity bob = SmimePki.user("RSA", BOB);
        MimeMessage m = message(ALICE);
        new SmimeWriter(alice.key(), List.of(alice.cert()), List.of(bob.cert()), SmimeOptions.DEFAULT)
                .writeTo(content(random(100, 2)), m);
        MimeMessage p = parse(bytes(m));
        assertTrue(p.getContentType().startsWith("application/pkcs7-mime"), p.getContentType());
        assertTrue(p.getContentType().contains("smime-type=enveloped-data"));
        assertEquals("base64", p.getEncoding());
        assertEquals("1.0", p.getHeader("MIME-Version", null));
        assertEquals("smime.p7m", p.getFileName());
        assertEquals("DICOM study", p.getSubject());

        MimeMessage gcm = message(ALICE);
        new SmimeWriter(alice.key(), List.of(alice.cert()), List.of(bob.cert()),
                SmimeOptions.DEFAULT.withContentEncryption(ContentEncryption.AES128_GCM)).writeTo(content(new byte[1]), gcm);
        assertTrue(parse(bytes(gcm)).getContentType().contains("smime-type=authEnveloped-data"));

        MimeMessage signed = message(ALICE);
        new SmimeWriter(alice.key(), List.of(alice.cert()), List.of(), SmimeOptions.DEFAULT)
                .writeTo(content(new byte[1]), signed);
        String ct = parse(bytes(signed)).getContentType();
        assertTrue(ct.startsWith("multipart/signed"), ct);
        assertTrue(ct.contains("application/pkcs7-signature"), ct);
        assertTrue(ct.contains("sha-256"), ct);
    }

    @ParameterizedTest
    @EnumSource(KeyEncryption.class)
    void everyRecipientCanDecrypt(KeyEncryption ke) throws Exception {
        Entity alice = SmimePki.user("EC", ALICE);
        List<Entity> recipients = List.of(SmimePki.user("RSA", BOB), SmimePki.user("EC", "carol@example.org"),
                SmimePki.user("RSA", "dave@example.org"));
        byte[] payload = random(5000, 3);
        MimeMessage m = message(ALICE);
        new SmimeWriter(alice.key(), List.of(alice.cert()), recipients.stream().map(Entity::cert).toList(),
                SmimeOptions.DEFAULT.withKeyEncryption(ke)).writeTo(content(payload), m);
        byte[] wire = bytes(m);
        for (Entity r : recipients) {
            try (UnwrappedMail u = reader(r).read(parse(wire))) {
                assertArrayEquals(payload, payloadOf(u.content()), r.cert().getSubjectX500Principal().getName());
            }
        }
    }

    @Test
    void signedOnlyAndEncryptedOnly() throws Exception {
        Entity alice = SmimePki.user("RSA", ALICE);
        Entity bob = SmimePki.user("RSA", BOB);
        byte[] payload = random(3000, 4);
        MimeMessage s = message(ALICE);
        new SmimeWriter(alice.key(), List.of(alice.cert()), null, SmimeOptions.DEFAULT).writeTo(content(payload), s);
        try (UnwrappedMail u = reader(bob, SmimeReaderOptions.DEFAULT.withRequireEncryption(false))
                .read(parse(bytes(s)))) {
            assertArrayEquals(payload, payloadOf(u.content()));
            assertFalse(u.encrypted());
            assertNull(u.contentEncryption());
            assertEquals(alice.cert(), u.signer());
            assertEquals(List.of("multipart/signed"), u.layers());
        }
        MimeMessage e = message(ALICE);
        new SmimeWriter(null, null, List.of(bob.cert()), SmimeOptions.DEFAULT).writeTo(content(payload), e);
        try (UnwrappedMail u = reader(bob, SmimeReaderOptions.DEFAULT.withRequireSignature(false))
                .read(parse(bytes(e)))) {
            assertArrayEquals(payload, payloadOf(u.content()));
            assertTrue(u.encrypted());
            assertFalse(u.signed());
            assertNull(u.signer());
            assertTrue(u.signerEmails().isEmpty());
        }
    }

    @Test
    void textWithBareLineFeedsAndEightBitPartsAreCanonicalised() throws Exception {
        Entity alice = SmimePki.user("RSA", ALICE);
        Entity bob = SmimePki.user("RSA", BOB);
        jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
        text.setContent("line one\nline two\n", "text/plain; charset=us-ascii");
        text.setHeader("Content-Transfer-Encoding", "7bit");
        MimeMessage m = message(ALICE);
        new SmimeWriter(alice.key(), List.of(alice.cert()), List.of(bob.cert()), SmimeOptions.DEFAULT).writeTo(text, m);
        try (UnwrappedMail u = reader(bob).read(parse(bytes(m)))) {
            assertEquals("line one\r\nline two\r\n", u.content().getContent());
        }
        jakarta.mail.internet.MimeBodyPart bin = new jakarta.mail.internet.MimeBodyPart();
        byte[] payload = random(1000, 9);
        bin.setDataHandler(new jakarta.activation.DataHandler(
                new jakarta.mail.util.ByteArrayDataSource(payload, "application/octet-stream")));
        bin.setHeader("Content-Transfer-Encoding", "binary");
        MimeMessage m2 = message(ALICE);
        new SmimeWriter(alice.key(), List.of(alice.cert()), List.of(), SmimeOptions.DEFAULT).writeTo(bin, m2);
        try (UnwrappedMail u = reader(bob, SmimeReaderOptions.DEFAULT.withRequireEncryption(false))
                .read(parse(bytes(m2)))) {
            assertEquals("base64", u.content().getEncoding());
            try (InputStream in = u.content().getInputStream()) {
                assertArrayEquals(payload, in.readAllBytes());
            }
        }
    }

    @Test
    void validatesAtTheSigningTimeWhenTheCertificateExpiredSince() throws Exception {
        // a certificate valid now; the reader's PKIX check uses the signing time, so this passes
        Entity ca = SmimePki.ca();
        Entity shortLived = SmimePki.user("RSA", "erin@example.org", ca, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofMinutes(10)));
        Entity bob = SmimePki.user("RSA", BOB);
        MimeMessage m = message("erin@example.org");
        new SmimeWriter(shortLived.key(), List.of(shortLived.cert()), List.of(bob.cert()), SmimeOptions.DEFAULT)
                .writeTo(content(new byte[10]), m);
        try (UnwrappedMail u = reader(bob).read(parse(bytes(m)))) {
            assertEquals(shortLived.cert(), u.signer());
        }
    }

    /**
     * 24 MiB through the writer and the reader with a 1 MiB memory threshold: both must go through temporary files,
     * deleted by discard / close. (The heap bound itself is checked in a child JVM by {@code SmimeHeapTest}.)
     */
    @Test
    void largeContentGoesThroughTemporaryFiles(@TempDir Path dir) throws Exception {
        Entity alice = SmimePki.user("RSA", ALICE);
        Entity bob = SmimePki.user("EC", BOB);
        Path payloadFile = dir.resolve("payload.zip");
        byte[] chunk = random(1 << 20, 5);
        try (OutputStream out = Files.newOutputStream(payloadFile)) {
            for (int i = 0; i < 24; i++) {
                chunk[0] = (byte) i;
                out.write(chunk);
            }
        }
        byte[] expected;
        try (InputStream in = Files.newInputStream(payloadFile)) {
            expected = SmimeFixtures.sha256(in);
        }
        jakarta.mail.internet.MimeBodyPart zip = new jakarta.mail.internet.MimeBodyPart();
        zip.setDataHandler(new jakarta.activation.DataHandler(new jakarta.activation.FileDataSource(payloadFile.toFile())));
        zip.setHeader("Content-Type", "application/zip");
        zip.setFileName("DICOM.ZIP");
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(zip);
        jakarta.mail.internet.MimeBodyPart body = new jakarta.mail.internet.MimeBodyPart();
        body.setContent(mixed);

        MimeMessage m = message(ALICE);
        new SmimeWriter(alice.key(), List.of(alice.cert()), List.of(bob.cert()),
                SmimeOptions.DEFAULT.withMemoryThreshold(1 << 20))
                .writeTo(body, m);
        assertTrue(SmimeWriter.inTemporaryFile(m));
        Path writerTemp = SmimeWriter.temporaryFile(m);
        assertTrue(Files.exists(writerTemp));
        Path wire = dir.resolve("message.eml");
        try (OutputStream out = Files.newOutputStream(wire)) {
            m.writeTo(out);
        }
        SmimeWriter.discard(m);
        assertTrue(Files.size(wire) > 24L * (1 << 20) * 4 / 3, "base64 of 24 MiB");
        assertFalse(Files.exists(writerTemp), "discard deleted the writer's temporary file");

        List<Path> readerTemps;
        try (SharedFileInputStream in = new SharedFileInputStream(wire.toFile())) {
            MimeMessage received = new MimeMessage(SmimeFixtures.SESSION, in);
            try (UnwrappedMail u = reader(bob, SmimeReaderOptions.DEFAULT.withMemoryThreshold(1 << 20))
                    .read(received)) {
                assertTrue(u.usedTemporaryFiles());
                readerTemps = u.temporaryFiles();
                assertFalse(readerTemps.isEmpty());
                for (Path p : readerTemps) {
                    assertTrue(Files.exists(p));
                }
                MimeMultipart mp = (MimeMultipart) u.content().getContent();
                try (InputStream zin = mp.getBodyPart(0).getInputStream()) {
                    assertArrayEquals(expected, SmimeFixtures.sha256(zin));
                }
                assertEquals(ALICE, u.signerEmails().get(0));
            }
        }
        for (Path p : readerTemps) {
            assertFalse(Files.exists(p), "close() deleted " + p);
        }
    }

    static SmimeReader reader(Entity us) {
        return reader(us, SmimeReaderOptions.DEFAULT);
    }

    static SmimeReader reader(Entity us, SmimeReaderOptions options) {
        return new SmimeReader(us.key(), us.cert(), List.of(SmimePki.ca().cert()), options);
    }
}
