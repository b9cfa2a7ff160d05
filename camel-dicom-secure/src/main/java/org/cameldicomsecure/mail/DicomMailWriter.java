package org.cameldicomsecure.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.mail.smime.CertificateEmails;
import org.cameldicomsecure.mail.smime.SecureMailException;
import org.cameldicomsecure.mail.smime.SmimeOptions;
import org.cameldicomsecure.mail.smime.SmimeWriter;
import org.cameldicomsecure.mail.smime.Spill;
import org.cameldicomsecure.media.DicomDirWriter;
import org.cameldicomsecure.media.FileIds;
import org.cameldicomsecure.media.FileSetEntry;
import org.cameldicomsecure.media.FileSetLayout;
import org.cameldicomsecure.media.ZipFileSetWriter;

/**
 * Composes secure DICOM email (PS3.15 B.8): the instances as one File-set ({@link DicomMailFormat#ZIP}: the
 * {@code DICOM.ZIP} attachment of PS3.11 L.3.2; {@link DicomMailFormat#MIME}: PS3.12 Annex K application/dicom parts),
 * with a text body part, the whole signed by the sender and encrypted with AES for every recipient ({@link SmimeWriter}).
 *
 * <p>The message is complete and can be written (sent) more than once: its encrypted content is held in memory up to
 * the S/MIME memory threshold, else in a temporary file. Headers: From, To, Cc, Subject (containing "DICOM-ZIP" in the
 * ZIP format, PS3.11 L.3.2), Date, MIME-Version, Message-ID. Neither the subject nor the body text carry patient data
 * unless the caller puts it there (the subject travels in clear).
 */
public final class DicomMailWriter {

    /** The phrase the subject of STD-GEN-SEC-ZIP-MAIL mail contains (PS3.11 L.3.2). */
    public static final String ZIP_SUBJECT_PHRASE = "DICOM-ZIP";
    /** The name, id and file name of the ZIP attachment (PS3.11 L.3.2). */
    public static final String ZIP_NAME = "DICOM.ZIP";
    /** The default File-set ID (0004,1130). */
    public static final String DEFAULT_FILE_SET_ID = "DICOM_MAIL";

    private final PrivateKey signingKey;
    private final List<X509Certificate> signerChain;
    private final List<X509Certificate> recipients;
    private final SmimeOptions smime;
    private final DicomMailFormat format;
    private final String fileSetId;
    private final String subject;
    private final String bodyText;

    private DicomMailWriter(Builder b) {
        this.signingKey = Objects.requireNonNull(b.signingKey, "signing key");
        this.signerChain = List.copyOf(b.signerChain);
        if (signerChain.isEmpty()) {
            throw new IllegalArgumentException("the signing certificate is missing (B.8: the sender must sign)");
        }
        this.recipients = List.copyOf(b.recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipient certificate: B.8 requires the whole email encrypted");
        }
        this.smime = b.smime;
        this.format = b.format;
        this.fileSetId = b.fileSetId;
        String s = b.subject != null ? b.subject : ZIP_SUBJECT_PHRASE;
        if (format == DicomMailFormat.ZIP && !s.contains(ZIP_SUBJECT_PHRASE)) {
            throw new IllegalArgumentException("the subject of STD-GEN-SEC-ZIP-MAIL mail must contain \""
                    + ZIP_SUBJECT_PHRASE + "\" (PS3.11 L.3.2)");
        }
        this.subject = s;
        this.bodyText = b.bodyText;
    }

    public static Builder builder() {
        return new Builder();
    }

    public DicomMailFormat format() {
        return format;
    }

    /**
     * The email addresses of the recipient certificates, the default To of {@link #write}; empty when none names one.
     */
    public List<String> recipientAddresses() {
        List<String> out = new ArrayList<>();
        for (X509Certificate c : recipients) {
            out.addAll(CertificateEmails.of(c));
        }
        return out;
    }

    /** The first email address of the signing certificate (the default From of {@link #write}), or null. */
    public String signerAddress() {
        List<String> e = CertificateEmails.of(signerChain.get(0));
        return e.isEmpty() ? null : e.get(0);
    }

    /**
     * The signed and encrypted message of {@code instances} (PS3.10 files or bare data sets; at least one).
     *
     * @param from    the From address, or null for the signing certificate's address
     * @param to      the To addresses, or empty for the recipient certificates' addresses
     * @param cc      the Cc addresses (may be empty)
     * @param subject the subject, or null for the writer's; in the ZIP format it must contain "DICOM-ZIP"
     * @throws DicomMailException the instances cannot form a File-set, or signing/encryption failed
     * @throws IllegalArgumentException no address can be found for From or To, or a bad subject
     */
    public MimeMessage write(Session session, List<DicomFile> instances, String from, List<String> to,
            List<String> cc, String subject) throws IOException {
        Objects.requireNonNull(session, "session");
        if (instances == null || instances.isEmpty()) {
            throw new IllegalArgumentException("no DICOM instance to send");
        }
        String subj = subject != null ? subject : this.subject;
        if (format == DicomMailFormat.ZIP && !subj.contains(ZIP_SUBJECT_PHRASE)) {
            throw new IllegalArgumentException("the subject of STD-GEN-SEC-ZIP-MAIL mail must contain \""
                    + ZIP_SUBJECT_PHRASE + "\" (PS3.11 L.3.2)");
        }
        String sender = from != null ? from : signerAddress();
        if (sender == null) {
            throw new IllegalArgumentException("no From address: set one, or use a signing certificate that names "
                    + "the sender's email address");
        }
        List<String> toList = to == null || to.isEmpty() ? recipientAddresses() : to;
        if (toList.isEmpty()) {
            throw new IllegalArgumentException("no To address: set one, or use recipient certificates that name "
                    + "email addresses");
        }
        List<Spill> spills = new ArrayList<>();
        try {
            MimeBodyPart payload = payload(instances, spills);
            MimeMessage message = new MimeMessage(session);
            new SmimeWriter(signingKey, signerChain, recipients, smime).writeTo(payload, message);
            message.setFrom(address("From", sender));
            message.setRecipients(Message.RecipientType.TO, addresses("To", toList));
            if (cc != null && !cc.isEmpty()) {
                message.setRecipients(Message.RecipientType.CC, addresses("Cc", cc));
            }
            message.setSubject(subj, StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            message.saveChanges();
            return message;
        } catch (SecureMailException e) {
            throw DicomMailException.of(e);
        } catch (MessagingException e) {
            throw new DicomMailException(DicomMailException.MALFORMED, false,
                    "the email could not be composed: " + e.getMessage(), e);
        } finally {
            // the S/MIME writer materialised the signed and encrypted content: the payload is no longer needed
            spills.forEach(Spill::close);
        }
    }

    /** The entity that is signed and encrypted: multipart/mixed with the text part and the DICOM payload. */
    private MimeBodyPart payload(List<DicomFile> instances, List<Spill> spills) throws IOException,
            MessagingException {
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(bodyText != null ? bodyText : defaultText(instances.size()), StandardCharsets.UTF_8.name());
        mixed.addBodyPart(text);
        int threshold = (int) Math.min(Integer.MAX_VALUE, smime.memoryThreshold());
        if (format == DicomMailFormat.ZIP) {
            Spill zip = new Spill(threshold, Long.MAX_VALUE);
            spills.add(zip);
            try (OutputStream out = zip.output()) {
                ZipFileSetWriter.write(fileSetId, instances, out);
            }
            MimeBodyPart part = new MimeBodyPart();
            String type = "application/zip; id=\"" + ZIP_NAME + "\"; name=\"" + ZIP_NAME + "\"";
            part.setDataHandler(new DataHandler(zip.dataSource(type, ZIP_NAME)));
            part.setHeader("Content-Type", type);
            part.setHeader("Content-Disposition", "attachment; filename=\"" + ZIP_NAME + "\"");
            part.setHeader("Content-Transfer-Encoding", "base64");
            mixed.addBodyPart(part);
        } else {
            List<FileSetEntry> entries = FileSetLayout.assign(instances);
            DicomFile dicomdir = new DicomDirWriter().build(fileSetId, entries);
            mixed.addBodyPart(dicomPart(dicomdir, "DICOMDIR", "DICOMDIR", threshold, spills));
            for (FileSetEntry e : entries) {
                mixed.addBodyPart(dicomPart(e.file(), FileIds.mimeId(e.fileId()), FileIds.mimeName(e.fileId()),
                        threshold, spills));
            }
        }
        MimeBodyPart entity = new MimeBodyPart();
        entity.setContent(mixed);
        return entity;
    }

    private static MimeBodyPart dicomPart(DicomFile file, String id, String name, int threshold, List<Spill> spills)
            throws IOException, MessagingException {
        Spill bytes = new Spill(threshold, Long.MAX_VALUE);
        spills.add(bytes);
        try (OutputStream out = bytes.output()) {
            new DicomWriter().write(file, out);
        }
        String type = "application/dicom; id=\"" + id + "\"; name=\"" + name + "\"";
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(bytes.dataSource(type, name)));
        part.setHeader("Content-Type", type);
        part.setHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
        part.setHeader("Content-Transfer-Encoding", "base64");
        return part;
    }

    private String defaultText(int n) {
        return format == DicomMailFormat.ZIP
                ? "A DICOM File-set (" + n + (n == 1 ? " instance" : " instances") + ") is attached as " + ZIP_NAME
                        + ".\r\n"
                : "A DICOM File-set (" + n + (n == 1 ? " instance" : " instances")
                        + ") is attached as application/dicom parts.\r\n";
    }

    private static InternetAddress address(String header, String a) {
        try {
            InternetAddress ia = new InternetAddress(a, true);
            return ia;
        } catch (AddressException e) {
            throw new IllegalArgumentException("bad " + header + " address: " + e.getMessage());
        }
    }

    private static InternetAddress[] addresses(String header, List<String> list) {
        InternetAddress[] out = new InternetAddress[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = address(header, list.get(i).trim());
        }
        return out;
    }

    /** Builder of a {@link DicomMailWriter}. */
    public static final class Builder {
        private PrivateKey signingKey;
        private List<X509Certificate> signerChain = List.of();
        private List<X509Certificate> recipients = List.of();
        private SmimeOptions smime = SmimeOptions.DEFAULT;
        private DicomMailFormat format = DicomMailFormat.ZIP;
        private String fileSetId = DEFAULT_FILE_SET_ID;
        private String subject;
        private String bodyText;

        private Builder() {
        }

        /** The sender's key and certificate chain (the signing certificate first). */
        public Builder signer(PrivateKey key, List<X509Certificate> chain) {
            this.signingKey = key;
            this.signerChain = chain;
            return this;
        }

        /** The certificates of the recipients: each can decrypt. */
        public Builder recipients(List<X509Certificate> certificates) {
            this.recipients = certificates;
            return this;
        }

        public Builder smime(SmimeOptions options) {
            this.smime = Objects.requireNonNull(options, "options");
            return this;
        }

        public Builder format(DicomMailFormat f) {
            this.format = Objects.requireNonNull(f, "format");
            return this;
        }

        /** File-set ID (0004,1130) of the DICOMDIR: up to 16 characters of A-Z, 0-9, _ and space. */
        public Builder fileSetId(String id) {
            if (id == null || id.isEmpty() || id.length() > 16
                    || !id.toUpperCase(Locale.ROOT).equals(id) || !id.matches("[A-Z0-9_ ]+")) {
                throw new IllegalArgumentException("fileSetId must be 1 to 16 characters of A-Z, 0-9, _ and space "
                        + "(CS, PS3.5 6.2)");
            }
            this.fileSetId = id;
            return this;
        }

        /** The default subject (sent in clear: no patient data). */
        public Builder subject(String s) {
            this.subject = s;
            return this;
        }

        /** The text of the body part (default: one sentence naming the attachment, no patient data). */
        public Builder bodyText(String s) {
            this.bodyText = s;
            return this;
        }

        public DicomMailWriter build() {
            return new DicomMailWriter(this);
        }
    }
}
