package org.cameldicomsecure.it.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.HeaderTerm;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.ItUids;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.media.MediaInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The two routes against Debian's Postfix and Dovecot (private instances on loopback, {@link PostfixPeer},
 * {@link DovecotPeer}): {@code dicommail:encode} then camel-mail's {@code smtps} producer (implicit TLS) or
 * {@code smtp} with mandatory STARTTLS (AES-GCM, RSA-OAEP), as a ZIP File-set or as DICOM MIME parts; Postfix delivers by LMTP to Dovecot; camel-mail's {@code imaps} consumer
 * reads the mailbox and {@code dicommail:decode} gives back the same instances (SOP Instance UIDs, the files byte for
 * byte through the type converter, the data sets) with the sender's identity in the CamelDicomMail* headers. Every TLS
 * connection trusts only the test CA and checks the server's name. A mail tampered in transit fails its exchange and
 * is left unread and undeleted in Dovecot (camel-mail does not acknowledge it), while good mail keeps flowing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DicomMailPostfixDovecotIT {

    private static final String SC = "1.2.840.10008.5.1.4.1.1.7";
    private static final String SENDER = DovecotPeer.address("sender");
    private static final String RECIPIENT = DovecotPeer.address("recipient");

    private static Peers peers;
    private static MailPki pki;
    private static DovecotPeer dovecot;
    private static PostfixPeer postfix;
    private static CamelContext camel;
    private static ProducerTemplate template;
    private static String encodeUri;

    @BeforeAll
    static void start() throws Exception {
        peers = Peers.forTest(DicomMailPostfixDovecotIT.class);
        Path work = Paths.get(System.getProperty("it.work.dir", "target/it-work")).toAbsolutePath();
        Files.createDirectories(work);
        pki = MailPki.create(Files.createTempDirectory(work, "mail-pki-"));
        dovecot = DovecotPeer.start(peers, pki.server, List.of("recipient"));
        postfix = PostfixPeer.start(peers, pki.server, pki.ca, dovecot);

        camel = new DefaultCamelContext();
        KeyStoreParameters trust = new KeyStoreParameters();
        // the JDK has no PEM key store type: a PKCS#12 trust store holding the test CA only
        trust.setResource("file:" + pki.trustStore());
        trust.setType("PKCS12");
        trust.setPassword("changeit");
        TrustManagersParameters tm = new TrustManagersParameters();
        tm.setKeyStore(trust);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(tm);
        camel.getRegistry().bind("mailTls", tls);
        Properties extra = new Properties();
        for (String protocol : List.of("smtp", "smtps", "imaps")) {
            extra.put("mail." + protocol + ".ssl.checkserveridentity", "true");
            extra.put("mail." + protocol + ".connectiontimeout", "10000");
            extra.put("mail." + protocol + ".timeout", "10000");
        }
        extra.put("mail.smtp.starttls.enable", "true");
        extra.put("mail.smtp.starttls.required", "true");
        camel.getRegistry().bind("mailProps", extra);

        encodeUri = "dicommail:encode?signingCertificate=" + pki.sender.certPem() + "&signingKey="
                + pki.sender.keyPem() + "&recipients=" + pki.recipient.certPem() + "&from=" + SENDER + "&to="
                + RECIPIENT;
        String decodeUri = "dicommail:decode?privateKey=" + pki.recipient.keyPem() + "&certificate="
                + pki.recipient.certPem() + "&trustedCertificates=" + pki.ca.certPem();
        String imaps = "imaps://127.0.0.1:" + dovecot.imapsPort() + "?username=" + RECIPIENT + "&password=RAW("
                + dovecot.password(RECIPIENT) + ")&sslContextParameters=#mailTls"
                + "&additionalJavaMailProperties=#mailProps&initialDelay=0&delay=250&delete=false&unseen=true";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").routeId("send-smtps")
                        .to(encodeUri)
                        .to("smtps://127.0.0.1:" + postfix.smtpsPort()
                                + "?sslContextParameters=#mailTls&additionalJavaMailProperties=#mailProps");
                from("direct:sendStartTls").routeId("send-starttls")
                        .to(encodeUri + "&contentEncryption=AES128_GCM&keyEncryption=RSA_OAEP")
                        .to("smtp://127.0.0.1:" + postfix.submissionPort()
                                + "?sslContextParameters=#mailTls&additionalJavaMailProperties=#mailProps");
                from("direct:sendMime").routeId("send-mime")
                        .to(encodeUri + "&format=MIME")
                        .to("smtps://127.0.0.1:" + postfix.smtpsPort()
                                + "?sslContextParameters=#mailTls&additionalJavaMailProperties=#mailProps");
                from(imaps).routeId("inbox")
                        // record the failure, leave the exchange failed so that camel-mail rolls the mail back
                        .onException(Exception.class).handled(false).to("mock:failed").end()
                        .to(decodeUri)
                        .process(DicomMailPostfixDovecotIT::recordBytes)
                        .to("mock:in");
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    /** The instances as bytes through the type converter, while their exchange (and temp files) are alive. */
    private static void recordBytes(Exchange e) {
        List<?> body = e.getMessage().getBody(List.class);
        List<byte[]> bytes = new ArrayList<>();
        for (Object o : body) {
            bytes.add(e.getContext().getTypeConverter().convertTo(byte[].class, e, o));
        }
        e.setProperty("instanceBytes", bytes);
        List<Dataset> datasets = new ArrayList<>();
        for (Object o : body) {
            datasets.add(assertInstanceOf(MediaInstance.class, o).file().dataset());
        }
        List<byte[]> encoded = new ArrayList<>();
        for (Dataset d : datasets) {
            encoded.add(encodeDataset(d));
        }
        e.setProperty("datasetBytes", encoded);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (camel != null) {
                camel.stop();
            }
        } finally {
            try {
                if (postfix != null) {
                    postfix.close();
                }
            } finally {
                if (dovecot != null) {
                    dovecot.close();
                }
            }
        }
    }

    // ------------------------------------------------------------------ test data

    private static String newUid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    /** {@code n} Secondary Capture instances of one study (two series), PS3.10 files written by our writer. */
    private static List<byte[]> study(String patientId, int n, int size) throws Exception {
        String study = newUid();
        List<String> series = List.of(newUid(), newUid());
        Random random = new Random(patientId.hashCode());
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String uid = newUid();
            Dataset ds = new Dataset();
            ds.setString(Tag.SOPClassUID, VR.UI, SC);
            ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
            ds.setString(Tag.StudyDate, VR.DA, "20240102");
            ds.setString(Tag.StudyTime, VR.TM, "101500");
            ds.setString(Tag.AccessionNumber, VR.SH, "ACC" + patientId);
            ds.setString(Tag.Modality, VR.CS, "OT");
            ds.setString(Tag.ConversionType, VR.CS, "WSD");
            ds.setString(Tag.PatientName, VR.PN, "Mail^Peers^IT");
            ds.setString(Tag.PatientID, VR.LO, patientId);
            ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
            ds.setString(Tag.PatientSex, VR.CS, "O");
            ds.setString(Tag.StudyInstanceUID, VR.UI, study);
            ds.setString(Tag.StudyID, VR.SH, "1");
            ds.setString(Tag.SeriesInstanceUID, VR.UI, series.get(i % 2));
            ds.setInt(Tag.SeriesNumber, VR.IS, i % 2 + 1);
            ds.setInt(Tag.InstanceNumber, VR.IS, i + 1);
            ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
            ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
            ds.setInt(Tag.Rows, VR.US, size);
            ds.setInt(Tag.Columns, VR.US, size);
            ds.setInt(Tag.BitsAllocated, VR.US, 16);
            ds.setInt(Tag.BitsStored, VR.US, 12);
            ds.setInt(Tag.HighBit, VR.US, 11);
            ds.setInt(Tag.PixelRepresentation, VR.US, 0);
            byte[] pixels = new byte[size * size * 2];
            random.nextBytes(pixels);
            for (int p = 1; p < pixels.length; p += 2) {
                pixels[p] &= 0x0F;
            }
            ds.setBytes(Tag.PixelData, VR.OW, pixels);
            Dataset meta = new Dataset();
            meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
            meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
            meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, SC);
            meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
            meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
            meta.setString(Tag.ImplementationClassUID, VR.UI, ItUids.IMPLEMENTATION_CLASS_UID);
            meta.setString(Tag.ImplementationVersionName, VR.SH, ItUids.IMPLEMENTATION_VERSION_NAME);
            out.add(new DicomWriter().toBytes(new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds,
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
        }
        return out;
    }

    private static byte[] encodeDataset(Dataset d) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new DicomWriter().writeDataset(d, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ tests

    /** Sends {@code study} through {@code endpoint} and checks what the inbox route decoded. */
    private void roundTrip(String endpoint, List<byte[]> study, String format, String encryption) throws Exception {
        MockEndpoint in = camel.getEndpoint("mock:in", MockEndpoint.class);
        in.reset();
        in.expectedMessageCount(1);
        int delivered = postfix.awaitDelivered(RECIPIENT, dovecot.lmtpPort(), 0, 0).size();
        Exchange sent = template.request(endpoint, e -> e.getIn().setBody(new ArrayList<>(study)));
        if (sent.getException() != null) {
            throw sent.getException();
        }
        String messageId = sent.getMessage().getHeader("CamelDicomMailMessageId", String.class);
        assertNotNull(messageId, "encode names the Message-ID it made");
        assertTrue(postfix.awaitDelivered(RECIPIENT, dovecot.lmtpPort(), delivered + 1, 15_000).size() > delivered,
                "Postfix delivered the mail to Dovecot by LMTP:\n" + postfix.log());
        in.assertIsSatisfied(20_000);

        Exchange got = in.getExchanges().get(0);
        org.apache.camel.Message m = got.getMessage();
        List<?> instances = m.getBody(List.class);
        assertEquals(study.size(), instances.size());
        @SuppressWarnings("unchecked")
        List<byte[]> bytes = got.getProperty("instanceBytes", List.class);
        @SuppressWarnings("unchecked")
        List<byte[]> datasets = got.getProperty("datasetBytes", List.class);
        // the list comes in the File-set's (DICOMDIR's) order: match the instances by SOP Instance UID
        java.util.Map<String, Integer> received = new java.util.HashMap<>();
        for (int j = 0; j < instances.size(); j++) {
            received.put(assertInstanceOf(MediaInstance.class, instances.get(j)).sopInstanceUid(), j);
        }
        for (int i = 0; i < study.size(); i++) {
            DicomFile expected = new DicomReader().read(study.get(i));
            String uid = expected.dataset().getString(Tag.SOPInstanceUID);
            Integer j = received.get(uid);
            assertNotNull(j, "instance " + i + " (" + uid + ") arrived; got " + received.keySet());
            assertArrayEquals(encodeDataset(expected.dataset()), datasets.get(j), "data set of instance " + i);
            assertArrayEquals(study.get(i), bytes.get(j), "the file of instance " + i + ", byte for byte");
        }
        assertEquals(study.size(), received.size(), "no instance twice");
        assertEquals(study.size(), m.getHeader("CamelDicomMailInstanceCount", Integer.class));
        assertEquals(format, m.getHeader("CamelDicomMailFormat"));
        assertEquals(Boolean.TRUE, m.getHeader("CamelDicomMailSigned"));
        assertEquals(Boolean.TRUE, m.getHeader("CamelDicomMailEncrypted"));
        assertEquals(encryption, m.getHeader("CamelDicomMailContentEncryption"));
        assertEquals(SENDER, m.getHeader("CamelDicomMailSenderEmail"));
        assertEquals(SENDER, m.getHeader("CamelDicomMailFrom"));
        assertEquals(pki.sender.cert().getSubjectX500Principal().getName(), m.getHeader("CamelDicomMailSender"));
        assertEquals(messageId, m.getHeader("CamelDicomMailMessageId"));

        // Dovecot holds it, acknowledged (Seen, not deleted), with Postfix's Received header; nothing in clear
        List<Flags> stored = imapFlags(messageId);
        assertEquals(1, stored.size());
        assertTrue(stored.get(0).contains(Flags.Flag.SEEN), "processed mail is marked \\Seen");
        assertFalse(stored.get(0).contains(Flags.Flag.DELETED));
    }

    @Test
    @Order(1)
    void aStudyTravelsAsZipOverSmtpsThroughPostfixAndDovecot() throws Exception {
        roundTrip("direct:send", study("PID-MAIL-1", 5, 64), "ZIP", "AES256_CBC");
        // nothing of the study in clear in the stored mail
        String all = maildirText();
        assertFalse(all.contains("PID-MAIL-1") || all.contains("Mail^Peers^IT"), "no patient data in the mailbox");
        assertTrue(all.contains("application/pkcs7-mime"), "stored as S/MIME enveloped data");
    }

    @Test
    @Order(2)
    void aStudyTravelsOverStartTlsWithAesGcmAndRsaOaep() throws Exception {
        roundTrip("direct:sendStartTls", study("PID-MAIL-2", 3, 32), "ZIP", "AES128_GCM");
    }

    @Test
    @Order(3)
    void aStudyTravelsAsDicomMimeParts() throws Exception {
        roundTrip("direct:sendMime", study("PID-MAIL-3", 3, 32), "MIME", "AES256_CBC");
    }

    @Test
    @Order(4)
    void aTamperedMailFailsItsExchangeAndStaysUnreadInDovecot() throws Exception {
        MockEndpoint in = camel.getEndpoint("mock:in", MockEndpoint.class);
        MockEndpoint failed = camel.getEndpoint("mock:failed", MockEndpoint.class);
        in.reset();
        failed.reset();
        MimeMessage good = template.requestBody(encodeUri, study("PID-MAIL-4", 2, 16), MimeMessage.class);
        String messageId = good.getMessageID();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        good.writeTo(raw);
        String text = raw.toString(StandardCharsets.ISO_8859_1);
        int body = text.indexOf("\r\n\r\n") + 4;
        int at = body + (text.length() - body) / 2;
        while (!Character.isLetterOrDigit(text.charAt(at))) {
            at++; // a base64 character, not a line break
        }
        char c = text.charAt(at);
        String tampered = text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1);

        int delivered = postfix.awaitDelivered(RECIPIENT, dovecot.lmtpPort(), 0, 0).size();
        Properties p = MailPeersIT.tlsProperties("smtps", pki.clientContext().getSocketFactory());
        Session s = Session.getInstance(p);
        MimeMessage bad = new MimeMessage(s,
                new java.io.ByteArrayInputStream(tampered.getBytes(StandardCharsets.ISO_8859_1)));
        try (Transport t = s.getTransport("smtps")) {
            t.connect("127.0.0.1", postfix.smtpsPort(), null, null);
            t.sendMessage(bad, bad.getAllRecipients());
        }
        assertTrue(postfix.awaitDelivered(RECIPIENT, dovecot.lmtpPort(), delivered + 1, 15_000).size() > delivered,
                postfix.log());

        // the consumer polls every 250 ms: the unacknowledged mail comes back, and fails, on every poll
        List<Exchange> ours = new ArrayList<>();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (ours.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            ours.clear();
            for (Exchange e : failed.getExchanges()) {
                if (messageId.equals(e.getMessage().getHeader("Message-ID", String.class))) {
                    ours.add(e);
                }
            }
        }
        assertTrue(ours.size() >= 2, "the tampered mail failed on two polls at least: " + ours.size()
                + " failed exchanges of it among " + failed.getReceivedCounter());
        Exchange f = ours.get(0);
        String reason = f.getMessage().getHeader("CamelDicomMailFailureReason", String.class);
        assertTrue(Set.of("SIGNATURE_INVALID", "DECRYPTION_FAILED", "MALFORMED").contains(reason),
                "refused as tampered: " + reason + " / " + f.getProperty(Exchange.EXCEPTION_CAUGHT));
        for (Exchange e : in.getExchanges()) {
            assertFalse(messageId.equals(e.getMessage().getHeader("Message-ID", String.class)), "nothing passed on");
        }

        List<Flags> stored = imapFlags(messageId);
        assertEquals(1, stored.size(), "the tampered mail is still in the INBOX");
        assertFalse(stored.get(0).contains(Flags.Flag.SEEN), "not acknowledged: not \\Seen");
        assertFalse(stored.get(0).contains(Flags.Flag.DELETED), "not deleted");
        Files.writeString(peers.logDir().resolve("tampered-reason.txt"), reason + "\n");
    }

    /**
     * The flags of the INBOX messages with this Message-ID, read over IMAPS in a session of their own (the folder
     * opened read-only: nothing is changed).
     */
    private static List<Flags> imapFlags(String messageId) throws Exception {
        Session s = Session.getInstance(MailPeersIT.tlsProperties("imaps", pki.clientContext().getSocketFactory()));
        try (Store store = s.getStore("imaps")) {
            store.connect("127.0.0.1", dovecot.imapsPort(), RECIPIENT, dovecot.password(RECIPIENT));
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                List<Flags> flags = new ArrayList<>();
                for (Message m : inbox.search(new HeaderTerm("Message-ID", messageId))) {
                    flags.add(m.getFlags());
                }
                return flags;
            } finally {
                inbox.close(false);
            }
        }
    }

    private static String maildirText() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Path p : dovecot.maildirFiles("recipient")) {
            sb.append(Files.readString(p, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }
}
