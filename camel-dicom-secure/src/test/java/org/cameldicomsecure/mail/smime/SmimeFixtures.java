package org.cameldicomsecure.mail.smime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Properties;
import java.util.Random;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.util.ByteArrayDataSource;

/** Contents and messages for the S/MIME tests. */
final class SmimeFixtures {

    static final Session SESSION = Session.getInstance(new Properties());
    static final String TEXT = "Dear colleague,\r\nthe study is attached.\r\n";

    private SmimeFixtures() {
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** multipart/mixed: a text part and an application/zip part with {@code payload}. */
    static MimeBodyPart content(byte[] payload) throws MessagingException {
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(TEXT, "US-ASCII");
        mixed.addBodyPart(text);
        MimeBodyPart zip = new MimeBodyPart();
        zip.setDataHandler(new DataHandler(new ByteArrayDataSource(payload, "application/zip")));
        zip.setFileName("DICOM.ZIP");
        mixed.addBodyPart(zip);
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(mixed);
        return body;
    }

    static MimeMessage message(String from) throws MessagingException {
        MimeMessage m = new MimeMessage(SESSION);
        m.setFrom(new InternetAddress(from));
        m.setRecipients(MimeMessage.RecipientType.TO, "bob@example.org");
        m.setSubject("DICOM study");
        return m;
    }

    static byte[] bytes(MimeMessage m) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    static MimeMessage parse(byte[] rfc5322) throws MessagingException {
        return new MimeMessage(SESSION, new ByteArrayInputStream(rfc5322));
    }

    /** The bytes of the application/zip part of an unwrapped content made by {@link #content}. */
    static byte[] payloadOf(MimePart content) throws Exception {
        MimeMultipart mp = (MimeMultipart) content.getContent();
        try (InputStream in = mp.getBodyPart(1).getInputStream()) {
            return in.readAllBytes();
        }
    }

    static String textOf(MimePart content) throws Exception {
        MimeMultipart mp = (MimeMultipart) content.getContent();
        return (String) mp.getBodyPart(0).getContent();
    }

    static byte[] sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) > 0;) {
            md.update(buf, 0, n);
        }
        return md.digest();
    }

    /** A message whose content is the CMS {@code der} as application/pkcs7-mime. */
    static MimeMessage pkcs7Message(byte[] der, String smimeType, String from) throws MessagingException {
        MimeMessage m = message(from);
        m.setDataHandler(new DataHandler(new ByteArrayDataSource(der, "application/pkcs7-mime")));
        m.setHeader("Content-Type", "application/pkcs7-mime; name=\"smime.p7m\"; smime-type=" + smimeType);
        m.setHeader("Content-Transfer-Encoding", "base64");
        m.saveChanges();
        return m;
    }
}
