package org.cameldicomsecure.component.dicommail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.media.MediaInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two routes against real mail servers over TLS (GreenMail SMTPS and IMAPS on loopback, with a server
 * certificate of our test CA that the client verifies): a study goes out through camel-mail's smtps producer and comes
 * back through its imaps consumer, decoded into the same instances; a tampered mail in the mailbox fails its exchange
 * and stays unread (camel-mail does not acknowledge it).
 */
class DicomMailGreenMailTest extends CamelTestSupport {

    @TempDir
    static Path dir;
    static MailPki pki;
    static GreenMail mail;
    static int smtps;
    static int imaps;

    @BeforeAll
    static void servers() throws Exception {
        pki = new MailPki(dir);
        // GreenMail's TLS server socket factory reads its key store from these properties (once per JVM)
        System.setProperty("greenmail.tls.keystore.file", pki.serverKeyStore.toString());
        System.setProperty("greenmail.tls.keystore.password", MailPki.STORE_PASSWORD);
        System.setProperty("greenmail.tls.key.password", MailPki.STORE_PASSWORD);
        smtps = AvailablePortFinder.getNextAvailable();
        imaps = AvailablePortFinder.getNextAvailable();
        mail = new GreenMail(new ServerSetup[] {new ServerSetup(smtps, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS),
                new ServerSetup(imaps, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS)});
        mail.start();
        mail.setUser("recipient@hospital-b.test", "recipient", "imap-test-pw");
        mail.setUser("sender@hospital-a.test", "sender", "smtp-test-pw");
    }

    @AfterAll
    static void stop() {
        if (mail != null) {
            mail.stop();
        }
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        KeyStoreParameters trust = new KeyStoreParameters();
        trust.setResource("file:" + pki.trustStore);
        trust.setType("PKCS12");
        trust.setPassword(MailPki.STORE_PASSWORD);
        TrustManagersParameters tm = new TrustManagersParameters();
        tm.setKeyStore(trust);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(tm);
        ctx.getRegistry().bind("mailTls", tls);
        return ctx;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send")
                        .to("dicommail:encode?signingCertificate=" + pki.sender.certPem() + "&signingKey="
                                + pki.sender.keyPem() + "&recipients=" + pki.recipient.certPem())
                        .to("smtps://127.0.0.1:" + smtps + "?username=sender&password=smtp-test-pw"
                                + "&sslContextParameters=#mailTls");
                from("imaps://127.0.0.1:" + imaps + "?username=recipient&password=imap-test-pw"
                        + "&sslContextParameters=#mailTls&initialDelay=0&delay=300&delete=false&unseen=true")
                        .routeId("inbox")
                        .to("dicommail:decode?privateKey=" + pki.recipient.keyPem() + "&certificate="
                                + pki.recipient.certPem() + "&trustedCertificates=" + pki.ca.certPem())
                        .to("mock:received");
            }
        };
    }

    @Test
    void aStudyGoesOutBySmtpsAndComesInByImaps() throws Exception {
        MockEndpoint received = getMockEndpoint("mock:received");
        received.expectedMessageCount(1);
        List<byte[]> study = MailTestData.study("1.2.826.0.1.3680043.10.512.1", "PID-GM", 4);
        template.sendBody("direct:send", new ArrayList<>(study));
        received.assertIsSatisfied(30_000);

        List<?> instances = received.getExchanges().get(0).getMessage().getBody(List.class);
        assertEquals(study.size(), instances.size());
        java.util.Map<String, Dataset> byUid = new java.util.HashMap<>();
        for (Object o : instances) {
            Dataset got = new DicomReader().read(assertInstanceOf(MediaInstance.class, o).bytes()).dataset();
            byUid.put(got.getString(Tag.SOPInstanceUID), got);
        }
        for (byte[] s : study) {
            Dataset sent = new DicomReader().read(s).dataset();
            Dataset got = byUid.get(sent.getString(Tag.SOPInstanceUID));
            assertArrayEquals((byte[]) sent.value(Tag.PixelData), (byte[]) got.value(Tag.PixelData));
        }
        assertEquals("sender@hospital-a.test",
                received.getExchanges().get(0).getMessage().getHeader(DicomMailConstants.SENDER_EMAIL));
        // what travelled: one S/MIME enveloped message, nothing of the study in clear
        MimeMessage[] all = mail.getReceivedMessages();
        MimeMessage stored = all[all.length - 1];
        assertTrue(stored.getContentType().startsWith("application/pkcs7-mime"), stored.getContentType());
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        stored.writeTo(raw);
        assertFalse(raw.toString(StandardCharsets.ISO_8859_1).contains("PID-GM"), "no patient data in clear");
        // processed, so marked as read (camel-mail does so after the exchange completed)
        long end = System.nanoTime() + 10_000_000_000L;
        while (!inbox().get(inbox().size() - 1).isSet(Flags.Flag.SEEN) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertTrue(inbox().get(inbox().size() - 1).isSet(Flags.Flag.SEEN));
    }

    @Test
    void aTamperedMailFailsAndStaysUnread() throws Exception {
        MockEndpoint received = getMockEndpoint("mock:received");
        received.expectedMessageCount(0);
        // encode without sending, damage the ciphertext, deliver it ourselves over SMTPS
        MimeMessage good = template.requestBody("dicommail:encode?signingCertificate=" + pki.sender.certPem()
                + "&signingKey=" + pki.sender.keyPem() + "&recipients=" + pki.recipient.certPem(),
                MailTestData.study("1.2.826.0.1.3680043.10.512.2", "PID-GM2", 1), MimeMessage.class);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        good.writeTo(raw);
        String text = raw.toString(StandardCharsets.ISO_8859_1);
        int body = text.indexOf("\r\n\r\n") + 4;
        int at = body + (text.length() - body) / 2;
        char c = text.charAt(at);
        String tampered = text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1);
        int before = inbox().size();
        Properties p = new Properties();
        p.put("mail.smtps.ssl.trust", "127.0.0.1");
        Session s = Session.getInstance(p);
        MimeMessage bad = new MimeMessage(s,
                new java.io.ByteArrayInputStream(tampered.getBytes(StandardCharsets.ISO_8859_1)));
        try (Transport t = s.getTransport("smtps")) {
            t.connect("127.0.0.1", smtps, "sender", "smtp-test-pw");
            t.sendMessage(bad, bad.getAllRecipients());
        }
        long end = System.nanoTime() + 10_000_000_000L;
        while (inbox().size() == before && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        Thread.sleep(2000); // several polls of the consumer
        received.assertIsSatisfied();
        StoredMessage m = inbox().get(inbox().size() - 1);
        assertFalse(m.isSet(Flags.Flag.SEEN), "a refused mail is not acknowledged");
        assertFalse(m.isSet(Flags.Flag.DELETED));
    }

    private static List<StoredMessage> inbox() throws Exception {
        return mail.getManagers().getImapHostManager()
                .getInbox(mail.getUserManager().getUser("recipient")).getMessages();
    }
}
