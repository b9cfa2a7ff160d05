package org.cameldicomsecure.it.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.HeaderTerm;

import org.cameldicomsecure.it.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Proves the private mail peers with plain Jakarta Mail (Angus Mail) before the DICOM email tests use them: a
 * message sent to Postfix over implicit TLS (and over STARTTLS) is delivered by Postfix's LMTP client to Dovecot and
 * read back over IMAPS, both TLS connections verifying the servers' test certificate (CA and host name 127.0.0.1);
 * Postfix refuses mail before STARTTLS, and a client that does not trust the test CA cannot connect. The peers'
 * start-up times are written to the test's log folder ({@code startup-times.txt}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailPeersIT {

    private static Peers peers;
    private static MailPki pki;
    private static DovecotPeer dovecot;
    private static PostfixPeer postfix;
    private static SSLSocketFactory tls;

    @BeforeAll
    static void startPeers() throws Exception {
        peers = Peers.forTest(MailPeersIT.class);
        Path work = Paths.get(System.getProperty("it.work.dir", "target/it-work")).toAbsolutePath();
        Files.createDirectories(work);
        pki = MailPki.create(Files.createTempDirectory(work, "mail-pki-"));
        SSLContext ctx = pki.clientContext();
        tls = ctx.getSocketFactory();
        long t0 = System.nanoTime();
        dovecot = DovecotPeer.start(peers, pki.server, List.of("recipient", "other"));
        long t1 = System.nanoTime();
        postfix = PostfixPeer.start(peers, pki.server, pki.ca, dovecot);
        long t2 = System.nanoTime();
        String times = "dovecot start-up (process start to IMAPS and LMTP listening): " + dovecot.startMillis()
                + " ms; DovecotPeer.start in all (files, doveconf check, start): " + (t1 - t0) / 1_000_000
                + " ms\npostfix start-up (master start to both SMTP ports listening): " + postfix.startMillis()
                + " ms; PostfixPeer.start in all (folders, postconf check, start): " + (t2 - t1) / 1_000_000
                + " ms\n";
        Files.writeString(peers.logDir().resolve("startup-times.txt"), times, StandardCharsets.US_ASCII);
        System.out.print(times);
    }

    @AfterAll
    static void stopPeers() throws Exception {
        long t0 = System.nanoTime();
        try {
            if (postfix != null) {
                postfix.close();
            }
        } finally {
            if (dovecot != null) {
                dovecot.close();
            }
        }
        if (peers != null) {
            String stop = "both stopped (SIGTERM to each master, waited for exit, folders deleted) in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms\n";
            Files.writeString(peers.logDir().resolve("startup-times.txt"), stop, StandardCharsets.US_ASCII,
                    java.nio.file.StandardOpenOption.APPEND);
            System.out.print(stop);
        }
    }

    /** The Angus Mail properties for {@code protocol} (smtp, smtps, imaps) with our trust and host name checks. */
    static Properties tlsProperties(String protocol, SSLSocketFactory factory) {
        Properties p = new Properties();
        p.put("mail." + protocol + ".ssl.socketFactory", factory);
        p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        p.put("mail." + protocol + ".connectiontimeout", "10000");
        p.put("mail." + protocol + ".timeout", "10000");
        return p;
    }

    private static MimeMessage message(Session session, String marker, String to) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(DovecotPeer.address("sender")));
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject("peer check " + marker);
        m.setHeader("X-Cds-Marker", marker);
        m.setText("Hello through Postfix and Dovecot, " + marker + "\r\n", "UTF-8");
        m.saveChanges();
        return m;
    }

    /** Reads the one INBOX message of {@code address} carrying the marker header, with its content and flags. */
    private static String[] readBack(String address, String marker) throws Exception {
        Session s = Session.getInstance(tlsProperties("imaps", tls));
        try (Store store = s.getStore("imaps")) {
            store.connect("127.0.0.1", dovecot.imapsPort(), address, dovecot.password(address));
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                Message[] found = inbox.search(new HeaderTerm("X-Cds-Marker", marker));
                assertEquals(1, found.length, "messages with marker " + marker + " in " + address + "'s INBOX");
                Message m = found[0];
                return new String[] {m.getSubject(), String.valueOf(m.getContent()),
                        String.join("\n", m.getHeader("Received")),
                        String.valueOf(m.getFlags().contains(Flags.Flag.SEEN))};
            } finally {
                inbox.close(false);
            }
        }
    }

    @Test
    void implicitTlsSubmissionIsDeliveredThroughPostfixToDovecot() throws Exception {
        String marker = UUID.randomUUID().toString();
        String to = DovecotPeer.address("recipient");
        Properties props = tlsProperties("smtps", tls);
        Session session = Session.getInstance(props);
        int before = postfix.awaitDelivered(to, dovecot.lmtpPort(), 0, 0).size();
        String reply;
        try (Transport t = session.getTransport("smtps")) {
            t.connect("127.0.0.1", postfix.smtpsPort(), null, null);
            MimeMessage m = message(session, marker, to);
            t.sendMessage(m, m.getAllRecipients());
            reply = ((org.eclipse.angus.mail.smtp.SMTPTransport) t).getLastServerResponse();
        }
        List<String> queued = PostfixPeer.queueIds(reply);
        assertEquals(1, queued.size(), "Postfix's reply to DATA: " + reply);

        List<String> delivered = postfix.awaitDelivered(to, dovecot.lmtpPort(), before + 1, 15_000);
        assertTrue(delivered.contains(queued.get(0)), "the maillog names queue ID " + queued.get(0)
                + " as delivered by LMTP to Dovecot; delivered: " + delivered + "\n" + postfix.log());
        String[] got = readBack(to, marker);
        assertEquals("peer check " + marker, got[0]);
        assertEquals("Hello through Postfix and Dovecot, " + marker + "\r\n", got[1]);
        // Postfix's Received header: from the TLS client, with the queue ID of its reply
        assertTrue(got[2].contains("by mail.dicom.test (Postfix) with ESMTPS id " + queued.get(0)),
                "Received headers: " + got[2]);
        assertTrue(got[2].contains("(using TLSv1."), "Received headers name the TLS version: " + got[2]);
        assertEquals("false", got[3], "not read yet");
        assertTrue(dovecot.log().contains("lmtp("), "Dovecot's log shows the LMTP session:\n" + dovecot.log());
    }

    @Test
    void startTlsSubmissionIsDelivered() throws Exception {
        String marker = UUID.randomUUID().toString();
        String to = DovecotPeer.address("other");
        Properties props = tlsProperties("smtp", tls);
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        Session session = Session.getInstance(props);
        int before = postfix.awaitDelivered(to, dovecot.lmtpPort(), 0, 0).size();
        String reply;
        try (Transport t = session.getTransport("smtp")) {
            t.connect("127.0.0.1", postfix.submissionPort(), null, null);
            MimeMessage m = message(session, marker, to);
            t.sendMessage(m, m.getAllRecipients());
            reply = ((org.eclipse.angus.mail.smtp.SMTPTransport) t).getLastServerResponse();
        }
        List<String> queued = PostfixPeer.queueIds(reply);
        assertEquals(1, queued.size(), "Postfix's reply to DATA: " + reply);
        assertTrue(postfix.awaitDelivered(to, dovecot.lmtpPort(), before + 1, 15_000).contains(queued.get(0)),
                postfix.log());
        String[] got = readBack(to, marker);
        assertEquals("peer check " + marker, got[0]);
        assertTrue(got[2].contains("with ESMTPS id " + queued.get(0)), "Received headers: " + got[2]);
    }

    @Test
    void postfixRefusesMailBeforeStartTls() throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(props);
        MessagingException e = assertThrows(MessagingException.class, () -> {
            try (Transport t = session.getTransport("smtp")) {
                t.connect("127.0.0.1", postfix.submissionPort(), null, null);
                MimeMessage m = message(session, "plain", DovecotPeer.address("recipient"));
                t.sendMessage(m, m.getAllRecipients());
            }
        });
        String all = e + " " + e.getCause() + " " + e.getNextException();
        assertTrue(all.contains("530") && all.contains("STARTTLS"), "refused with 530 ... STARTTLS: " + all);
    }

    @Test
    void clientsNotTrustingTheTestCaCannotConnect() throws Exception {
        // the JDK's default trust store does not hold the test CA
        Properties props = tlsProperties("imaps", SSLContext.getDefault().getSocketFactory());
        Session s = Session.getInstance(props);
        MessagingException e = assertThrows(MessagingException.class, () -> {
            try (Store store = s.getStore("imaps")) {
                String a = DovecotPeer.address("recipient");
                store.connect("127.0.0.1", dovecot.imapsPort(), a, dovecot.password(a));
            }
        });
        Throwable c = e;
        while (c.getCause() != null && !(c instanceof javax.net.ssl.SSLException)) {
            c = c.getCause();
        }
        assertTrue(c instanceof javax.net.ssl.SSLException, "a TLS failure: " + e);

        Properties sp = tlsProperties("smtps", SSLContext.getDefault().getSocketFactory());
        Session ss = Session.getInstance(sp);
        assertThrows(MessagingException.class, () -> {
            try (Transport t = ss.getTransport("smtps")) {
                t.connect("127.0.0.1", postfix.smtpsPort(), null, null);
            }
        });
    }

    /** Last: after a failed login Dovecot delays further logins from the same IP (its auth penalty). */
    @Test
    @Order(Integer.MAX_VALUE)
    void wrongImapPasswordIsRefused() throws Exception {
        Session s = Session.getInstance(tlsProperties("imaps", tls));
        assertThrows(jakarta.mail.AuthenticationFailedException.class, () -> {
            try (Store store = s.getStore("imaps")) {
                store.connect("127.0.0.1", dovecot.imapsPort(), DovecotPeer.address("recipient"), "wrong");
            }
        });
    }
}
