package org.cameldicomsecure.component.dicommail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jakarta.activation.DataHandler;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.mail.smime.SMIMEEnvelopedGenerator;
import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.TempFiles;
import org.cameldicomsecure.mail.DicomMailException;
import org.cameldicomsecure.mail.smime.SignatureOrder;
import org.cameldicomsecure.mail.smime.SmimeOptions;
import org.cameldicomsecure.mail.smime.SmimeWriter;
import org.cameldicomsecure.media.MediaInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dicommail:encode and dicommail:decode in routes: round trips in both payload formats, every refusal the issue names
 * (tampered, unsigned, untrusted, not for us, no DICOM part, a fake application/dicom part, ZIP entries leaving the
 * File-set, a ZIP bomb) and the audit trail (Data Export, Data Import, Security Alert) through a dicomaudit file sink.
 */
class DicomMailComponentTest extends CamelTestSupport {

    @TempDir
    static Path dir;
    static MailPki pki;

    private Path auditFile;
    private final Session session = Session.getInstance(new Properties());

    @BeforeAll
    static void keys() throws Exception {
        pki = new MailPki(dir);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        DicomAuditComponent audit = new DicomAuditComponent();
        auditFile = dir.resolve("audit-" + System.nanoTime() + ".log");
        audit.setFile(auditFile.toString());
        audit.setSpoolDirectory(dir.resolve("spool-" + System.nanoTime()).toString());
        audit.setAuditSourceId("MAIL-GATEWAY-TEST");
        ctx.addComponent("dicomaudit", audit);
        return ctx;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        String signer = "signingCertificate=" + pki.sender.certPem() + "&signingKey=" + pki.sender.keyPem();
        String decode = "dicommail:decode?privateKey=" + pki.recipient.keyPem() + "&certificate="
                + pki.recipient.certPem() + "&trustedCertificates=" + pki.ca.certPem();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:encode").to("dicommail:encode?" + signer + "&recipients=" + pki.recipient.certPem()
                        + "," + pki.recipientEc.certPem());
                from("direct:encodeMime").to("dicommail:encode?" + signer + "&recipients="
                        + pki.recipientEc.certPem() + "&format=MIME&contentEncryption=AES128_GCM&subject=Images");
                from("direct:decode").to(decode).to("mock:decoded");
                // the instances are read within the exchange: their temporary files go when it completes
                from("direct:decodeToBytes").to(decode).process(e -> {
                    List<byte[]> copies = new ArrayList<>();
                    for (Object o : e.getMessage().getBody(List.class)) {
                        copies.add(((MediaInstance) o).bytes());
                    }
                    e.getMessage().setBody(copies);
                });
                // as a mail route does: the message is written (sent) within the exchange that made it
                from("direct:encodeToBytes").to("dicommail:encode?" + signer + "&recipients="
                        + pki.recipient.certPem()).process(e -> e.getMessage().setBody(bytes(e.getMessage()
                                .getBody(MimeMessage.class))));
                from("direct:decodeEc").to("dicommail:decode?privateKey=" + pki.recipientEc.keyPem()
                        + "&certificate=" + pki.recipientEc.certPem() + "&trustedCertificates=" + pki.ca.certPem())
                        .to("mock:decoded");
            }
        };
    }

    private static byte[] bytes(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    private static Dataset readQuietly(byte[] b) {
        try {
            return new DicomReader(org.cameldicomsecure.dicom.io.DicomReaderOptions.DEFAULT
                    .withBulkDataThreshold(Integer.MAX_VALUE)).read(b).dataset();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertSameInstances(List<byte[]> sent, List<?> received) throws Exception {
        assertEquals(sent.size(), received.size(), "one entry per instance");
        java.util.Map<String, Dataset> byUid = new java.util.HashMap<>();
        for (Object o : received) {
            MediaInstance mi = assertInstanceOf(MediaInstance.class, o);
            Dataset b = new DicomReader().read(mi.bytes()).dataset();
            assertEquals(mi.sopInstanceUid(), b.getString(Tag.SOPInstanceUID));
            byUid.put(mi.sopInstanceUid(), b);
        }
        for (byte[] s : sent) {
            Dataset a = new DicomReader().read(s).dataset();
            Dataset b = byUid.get(a.getString(Tag.SOPInstanceUID));
            assertNotNull(b, "instance " + a.getString(Tag.SOPInstanceUID) + " came back");
            assertEquals(a.getString(Tag.PatientID), b.getString(Tag.PatientID));
            assertArrayEquals((byte[]) a.value(Tag.PixelData), (byte[]) b.value(Tag.PixelData), "pixel data");
        }
    }

    @Test
    void aStudyTravelsAsDicomZipAndComesBackWhole() throws Exception {
        List<byte[]> study = MailTestData.study("1.2.826.0.1.3680043.10.511.1", "PID-1", 5);
        Exchange enc = template.request("direct:encode", e -> e.getIn().setBody(new ArrayList<>(study)));
        assertNull(enc.getException());
        MimeMessage m = assertInstanceOf(MimeMessage.class, enc.getMessage().getBody());
        assertTrue(m.getSubject().contains("DICOM-ZIP"), "PS3.11 L.3.2 subject");
        assertEquals("sender@hospital-a.test", ((InternetAddress) m.getFrom()[0]).getAddress());
        Set<String> to = Set.of(((InternetAddress) m.getAllRecipients()[0]).getAddress(),
                ((InternetAddress) m.getAllRecipients()[1]).getAddress());
        assertEquals(Set.of("recipient@hospital-b.test", "ec-recipient@hospital-b.test"), to);
        assertTrue(m.getContentType().startsWith("application/pkcs7-mime"), m.getContentType());
        assertEquals(5, enc.getMessage().getHeader(DicomMailConstants.INSTANCE_COUNT));
        byte[] raw = bytes(m);
        String text = new String(raw, StandardCharsets.US_ASCII);
        assertFalse(text.contains("PID-1"), "no patient data in clear");
        assertFalse(text.contains("DICOM.ZIP"), "the attachment is inside the encryption");

        MockEndpoint decoded = getMockEndpoint("mock:decoded");
        decoded.expectedMessageCount(2);
        Exchange dec = template.request("direct:decode", e -> e.getIn().setBody(raw));
        assertNull(dec.getException());
        assertSameInstances(study, dec.getMessage().getBody(List.class));
        assertEquals(true, dec.getMessage().getHeader(DicomMailConstants.SIGNED));
        assertEquals(true, dec.getMessage().getHeader(DicomMailConstants.ENCRYPTED));
        assertEquals("ZIP", dec.getMessage().getHeader(DicomMailConstants.FORMAT));
        assertEquals("AES256_CBC", dec.getMessage().getHeader(DicomMailConstants.CONTENT_ENCRYPTION));
        assertEquals("sender@hospital-a.test", dec.getMessage().getHeader(DicomMailConstants.SENDER_EMAIL));
        assertTrue(dec.getMessage().getHeader(DicomMailConstants.SENDER, String.class).contains("CN=Test Sender"));
        assertEquals(5, dec.getMessage().getHeader(DicomMailConstants.INSTANCE_COUNT));
        // the other recipient (EC, key agreement) reads the same mail
        Exchange ec = template.request("direct:decodeEc", e -> e.getIn().setBody(raw));
        assertNull(ec.getException());
        assertSameInstances(study, ec.getMessage().getBody(List.class));
        decoded.assertIsSatisfied();
    }

    @Test
    void dicomMimeMediaWithAuthEnvelopedData() throws Exception {
        List<byte[]> study = MailTestData.study("1.2.826.0.1.3680043.10.511.2", "PID-2", 3);
        Exchange enc = template.request("direct:encodeMime", e -> e.getIn().setBody(new ArrayList<>(study)));
        assertNull(enc.getException());
        MimeMessage m = enc.getMessage().getBody(MimeMessage.class);
        assertEquals("Images", m.getSubject());
        assertEquals("ec-recipient@hospital-b.test", ((InternetAddress) m.getAllRecipients()[0]).getAddress());
        Exchange dec = template.request("direct:decodeEc", e -> e.getIn().setBody(m));
        assertNull(dec.getException());
        assertSameInstances(study, dec.getMessage().getBody(List.class));
        assertEquals("MIME", dec.getMessage().getHeader(DicomMailConstants.FORMAT));
        assertEquals("AES128_GCM", dec.getMessage().getHeader(DicomMailConstants.CONTENT_ENCRYPTION));
        assertEquals("DICOM_MAIL", dec.getMessage().getHeader(DicomMailConstants.FILE_SET_ID));
        // each instance converts like any other DICOM body
        Object first = dec.getMessage().getBody(List.class).get(0);
        assertNotNull(context.getTypeConverter().convertTo(DicomFile.class, first));
        assertNotNull(context.getTypeConverter().convertTo(byte[].class, first));
    }

    @Test
    void decodedInstancesLeaveNoTemporaryFilesBehind() throws Exception {
        int before = TempFiles.liveCount();
        // 3 instances of ~9 MiB: above the memory threshold, so each is held in a temporary file
        List<byte[]> big = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            big.add(MailTestData.instance("1.2.826.0.1.3680043.10.511.3.1." + i, "1.2.826.0.1.3680043.10.511.3",
                    "1.2.826.0.1.3680043.10.511.3.1", "PID-3", 9 << 20));
        }
        Exchange enc = template.request("direct:encodeToBytes", e -> e.getIn().setBody(big));
        assertNull(enc.getException());
        byte[] raw = enc.getMessage().getBody(byte[].class);
        assertEquals(before, TempFiles.liveCount(), "the encoded mail's temporary file deleted with its exchange");
        Exchange dec = template.request("direct:decodeToBytes", e -> e.getIn().setBody(raw));
        assertNull(dec.getException());
        List<?> copies = dec.getMessage().getBody(List.class);
        assertEquals(3, copies.size());
        for (Object c : copies) {
            byte[] b = (byte[]) c;
            assertTrue(big.stream().anyMatch(x -> java.util.Arrays.equals(
                    (byte[]) readQuietly(x).value(Tag.PixelData), (byte[]) readQuietly(b).value(Tag.PixelData))));
        }
        assertEquals(before, TempFiles.liveCount(), "temporary files deleted when the exchange completed");
    }

    // ---- refusals ----

    private Exchange refused(String route, Object body, String... reasons) throws Exception {
        MockEndpoint decoded = getMockEndpoint("mock:decoded");
        decoded.reset();
        decoded.expectedMessageCount(0);
        int before = TempFiles.liveCount();
        Exchange out = template.request(route, e -> e.getIn().setBody(body));
        DicomMailException e = assertInstanceOf(DicomMailException.class, out.getException(),
                () -> "expected a DicomMailException, got " + out.getException());
        assertTrue(Set.of(reasons).contains(e.reason()), "reason " + e.reason() + " (" + e.getMessage() + ")");
        assertEquals(e.reason(), out.getIn().getHeader(DicomMailConstants.FAILURE_REASON));
        decoded.assertIsSatisfied();
        assertEquals(before, TempFiles.liveCount(), "nothing left behind");
        return out;
    }

    /** A signed (by {@code signer}) and encrypted (for our RSA recipient) message of {@code payload}. */
    private MimeMessage secure(MimeBodyPart payload, MailPki.Party signer, SmimeOptions options) throws Exception {
        MimeMessage m = new MimeMessage(session);
        new SmimeWriter(signer.key(), pki.chain(signer), List.of(pki.recipient.cert()), options).writeTo(payload, m);
        m.setFrom(new InternetAddress(signer.email()));
        m.setRecipients(MimeMessage.RecipientType.TO, "recipient@hospital-b.test");
        m.setSubject("DICOM-ZIP");
        m.saveChanges();
        return m;
    }

    private static MimeBodyPart mixed(MimeBodyPart... parts) throws Exception {
        MimeMultipart mp = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("test mail");
        mp.addBodyPart(text);
        for (MimeBodyPart p : parts) {
            mp.addBodyPart(p);
        }
        MimeBodyPart entity = new MimeBodyPart();
        entity.setContent(mp);
        return entity;
    }

    private static MimeBodyPart attachment(byte[] data, String type, String name) throws Exception {
        MimeBodyPart p = new MimeBodyPart();
        p.setDataHandler(new DataHandler(new ByteArrayDataSource(data, type)));
        p.setHeader("Content-Type", type);
        p.setFileName(name);
        p.setHeader("Content-Transfer-Encoding", "base64");
        return p;
    }

    private static byte[] zip(String... namesAndContent) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (int i = 0; i < namesAndContent.length; i += 2) {
                z.putNextEntry(new ZipEntry(namesAndContent[i]));
                z.write(namesAndContent[i + 1].getBytes(StandardCharsets.US_ASCII));
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    @Test
    void aTamperedMailIsRefusedAndNothingPassesOn() throws Exception {
        List<byte[]> study = MailTestData.study("1.2.826.0.1.3680043.10.511.4", "PID-4", 2);
        // encrypted, then signed: a changed byte of the signed content must fail the signature check
        MimeMessage m = new MimeMessage(session);
        MimeBodyPart payload = mixed(attachment(study.get(0), "application/dicom", "IMG1.dcm"));
        new SmimeWriter(pki.sender.key(), pki.chain(pki.sender), List.of(pki.recipient.cert()),
                SmimeOptions.DEFAULT.withOrder(SignatureOrder.ENCRYPT_THEN_SIGN)).writeTo(payload, m);
        m.setFrom(new InternetAddress("sender@hospital-a.test"));
        m.saveChanges();
        String text = new String(bytes(m), StandardCharsets.ISO_8859_1);
        int p7m = text.indexOf("smime.p7m");
        int body = text.indexOf("\r\n\r\n", p7m) + 4;
        int at = body + 40;
        char c = text.charAt(at);
        String tampered = text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1);
        refused("direct:decode", tampered.getBytes(StandardCharsets.ISO_8859_1), "SIGNATURE_INVALID");
        assertTrue(waitFor(AuditCodes.EVENT_SECURITY_ALERT.code(), "110126"), "Security Alert, Node Authentication");
    }

    @Test
    void unsignedMailIsRefusedWhenASignatureIsRequired() throws Exception {
        byte[] dcm = MailTestData.study("1.2.826.0.1.3680043.10.511.5", "PID-5", 1).get(0);
        SMIMEEnvelopedGenerator gen = new SMIMEEnvelopedGenerator();
        gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(pki.recipient.cert()));
        MimeBodyPart enc = gen.generate(mixed(attachment(dcm, "application/dicom", "IMG1.dcm")),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build());
        MimeMessage m = new MimeMessage(session);
        m.setContent(enc.getContent(), enc.getContentType());
        m.setFrom(new InternetAddress("sender@hospital-a.test"));
        m.saveChanges();
        refused("direct:decode", bytes(m), "UNSIGNED");
    }

    @Test
    void aSignerOfAnotherCaIsNotTrusted() throws Exception {
        byte[] dcm = MailTestData.study("1.2.826.0.1.3680043.10.511.6", "PID-6", 1).get(0);
        MimeMessage m = secure(mixed(attachment(dcm, "application/dicom", "IMG1.dcm")), pki.rogueSender,
                SmimeOptions.DEFAULT);
        refused("direct:decode", m, "SIGNER_UNTRUSTED");
    }

    @Test
    void mailForSomeoneElseCannotBeDecrypted() throws Exception {
        byte[] dcm = MailTestData.study("1.2.826.0.1.3680043.10.511.7", "PID-7", 1).get(0);
        MimeMessage m = new MimeMessage(session);
        new SmimeWriter(pki.sender.key(), pki.chain(pki.sender), List.of(pki.recipientEc.cert()),
                SmimeOptions.DEFAULT).writeTo(mixed(attachment(dcm, "application/dicom", "IMG1.dcm")), m);
        m.setFrom(new InternetAddress("sender@hospital-a.test"));
        m.saveChanges();
        refused("direct:decode", m, "NOT_FOR_RECIPIENT");
    }

    @Test
    void mailWithoutDicomContentIsRefused() throws Exception {
        MimeMessage m = secure(mixed(attachment("just a report".getBytes(StandardCharsets.US_ASCII),
                "application/pdf", "report.pdf")), pki.sender, SmimeOptions.DEFAULT);
        refused("direct:decode", m, DicomMailException.NO_DICOM_CONTENT);
        assertTrue(waitFor(AuditCodes.EVENT_SECURITY_ALERT.code(), "110132"), "Security Alert, restricted function");
    }

    @Test
    void aPartClaimingApplicationDicomThatIsNotIsRefused() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        MimeMessage m = secure(mixed(attachment(png, "application/dicom", "IMG1.dcm")), pki.sender,
                SmimeOptions.DEFAULT);
        refused("direct:decode", m, "NOT_DICOM");
    }

    @Test
    void zipEntriesOutsideTheFileSetAreRefused() throws Exception {
        for (String name : List.of("../../etc/cron.d/x", "/etc/passwd", "C:\\Windows\\x", "a/../../b")) {
            byte[] zip = zip(name, "SECRET-CONTENT-42", "DICOMDIR", "x");
            MimeMessage m = secure(mixed(attachment(zip, "application/zip", "DICOM.ZIP")), pki.sender,
                    SmimeOptions.DEFAULT);
            Exchange out = refused("direct:decode", m, "UNSAFE_ENTRY_NAME");
            assertFalse(out.getException().getMessage().contains("SECRET"), "never the content");
        }
        assertFalse(Files.exists(Path.of("/etc/cron.d/x")));
    }

    @Test
    void aZipBombIsStopped() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("DICOMDIR"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) { // 64 MiB of zeros: ~64 KiB compressed
                z.write(zeros);
            }
            z.closeEntry();
        }
        MimeMessage m = secure(mixed(attachment(b.toByteArray(), "application/zip", "DICOM.ZIP")), pki.sender,
                SmimeOptions.DEFAULT);
        refused("direct:decode", m, "LIMIT_EXCEEDED");
    }

    @Test
    void exportsAndImportsAreAudited() throws Exception {
        List<byte[]> study = MailTestData.study("1.2.826.0.1.3680043.10.511.8", "PID-8", 2);
        Exchange enc = template.request("direct:encode", e -> e.getIn().setBody(new ArrayList<>(study)));
        assertNull(enc.getException());
        Exchange dec = template.request("direct:decode", e -> e.getIn().setBody(bytes(enc.getMessage()
                .getBody(MimeMessage.class))));
        assertNull(dec.getException());
        assertTrue(waitFor(AuditCodes.EVENT_EXPORT.code(), "mailto:recipient@hospital-b.test"), "Data Export");
        assertTrue(waitFor(AuditCodes.EVENT_IMPORT.code(), "mailto:sender@hospital-a.test"), "Data Import");
        String trail = Files.readString(auditFile);
        assertTrue(trail.contains("PID-8"), "the patient is a participant object");
        assertTrue(trail.contains("110031"), "media type Email");
    }

    private boolean waitFor(String eventCode, String contains) throws Exception {
        long end = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < end) {
            if (Files.exists(auditFile)) {
                for (String l : Files.readAllLines(auditFile, StandardCharsets.UTF_8)) {
                    if (l.contains("<EventID csd-code=\"" + eventCode + "\"") && l.contains(contains)) {
                        return true;
                    }
                }
            }
            Thread.sleep(50);
        }
        return false;
    }
}
