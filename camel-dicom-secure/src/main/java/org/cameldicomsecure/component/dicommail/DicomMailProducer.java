package org.cameldicomsecure.component.dicommail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.SharedFileInputStream;

import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.SynchronizationAdapter;
import org.cameldicomsecure.audit.dimse.DimseAuditor.InstanceFacts;
import org.cameldicomsecure.audit.mail.MailAuditor;
import org.cameldicomsecure.component.dicom.EndpointOptions;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.io.TempFiles;
import org.cameldicomsecure.mail.DecodedMail;
import org.cameldicomsecure.mail.DicomMailException;
import org.cameldicomsecure.mail.DicomMailReader;
import org.cameldicomsecure.mail.DicomMailWriter;
import org.cameldicomsecure.mail.smime.SmimeWriter;
import org.cameldicomsecure.media.MediaInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code encode}: the body (one DICOM instance, or a collection or array of them) becomes a signed and encrypted
 * {@link MimeMessage}. {@code decode}: the body (camel-mail's mail message, a {@link MimeMessage}, or the RFC 5322
 * bytes as anything convertible to an {@link InputStream}) becomes a {@code List<MediaInstance>}; the instances'
 * temporary files are deleted when the exchange completes (unless {@linkplain MediaInstance#detach() detached}).
 * A refused mail fails the exchange with a {@link DicomMailException} (header {@code CamelDicomMailFailureReason}),
 * nothing is passed on, and a Security Alert is audited.
 */
public class DicomMailProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(DicomMailProducer.class);

    private final DicomMailEndpoint endpoint;
    private final Session session = Session.getInstance(new Properties());
    private DicomMailWriter writer;
    private DicomMailReader reader;
    private MailAuditor auditor;

    public DicomMailProducer(DicomMailEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (endpoint.encoding()) {
            writer = endpoint.writer();
        } else {
            reader = endpoint.reader();
        }
        auditor = DicomAuditComponent.autoMailAuditor(endpoint.getCamelContext());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (writer != null) {
            encode(exchange);
        } else {
            decode(exchange);
        }
    }

    private void encode(Exchange exchange) throws Exception {
        DicomMailConfiguration c = endpoint.getConfiguration();
        List<DicomFile> files = instances(exchange);
        String toHeader = exchange.getIn().getHeader(DicomMailConstants.TO, String.class);
        String ccHeader = exchange.getIn().getHeader(DicomMailConstants.CC, String.class);
        String subject = exchange.getIn().getHeader(DicomMailConstants.SUBJECT, String.class);
        List<String> to = EndpointOptions.split(toHeader != null ? toHeader : c.getTo());
        List<String> cc = EndpointOptions.split(ccHeader != null ? ccHeader : c.getCc());
        MimeMessage message;
        try {
            message = writer.write(session, files, c.getFrom() == null || c.getFrom().isBlank() ? null : c.getFrom().trim(),
                    to, cc, subject == null || subject.isBlank() ? null : subject);
        } catch (DicomMailException e) {
            exchange.getIn().setHeader(DicomMailConstants.FAILURE_REASON, e.reason());
            throw e;
        }
        if (SmimeWriter.inTemporaryFile(message)) {
            // a large mail's encrypted content is in a temporary file: deleted when the exchange (and so the sending
            // by the route's mail producer) is done, not only when the message is collected
            MimeMessage made = message;
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange ex) {
                    SmimeWriter.discard(made);
                }
            });
        }
        if (auditor != null) {
            List<String> recipients = new ArrayList<>();
            for (jakarta.mail.Address a : message.getAllRecipients()) {
                recipients.add(a instanceof jakarta.mail.internet.InternetAddress ia ? ia.getAddress() : a.toString());
            }
            auditor.exported(facts(files), recipients);
        }
        org.apache.camel.Message out = exchange.getMessage();
        out.setBody(message);
        out.setHeader(DicomMailConstants.INSTANCE_COUNT, files.size());
        out.setHeader(DicomMailConstants.FORMAT, writer.format().name());
        out.setHeader(DicomMailConstants.CONTENT_ENCRYPTION, c.getContentEncryption());
        out.setHeader(DicomMailConstants.MESSAGE_ID, message.getMessageID());
    }

    /** The body as DICOM files: one instance, or each element of a collection or array. */
    private static List<DicomFile> instances(Exchange exchange) throws Exception {
        Object body = exchange.getIn().getBody();
        if (body == null) {
            throw new IllegalArgumentException("dicommail:encode: the body is empty, not a DICOM instance");
        }
        List<Object> elements = new ArrayList<>();
        if (body instanceof Collection<?> col) {
            elements.addAll(col);
        } else if (body instanceof Object[] arr) {
            elements.addAll(List.of(arr));
        } else {
            elements.add(body);
        }
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("dicommail:encode: the body is an empty list: no DICOM instance");
        }
        List<DicomFile> files = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            Object o = elements.get(i);
            if (o instanceof MediaInstance mi) {
                files.add(mi.file());
                continue;
            }
            try {
                files.add(exchange.getContext().getTypeConverter().mandatoryConvertTo(DicomFile.class, exchange, o));
            } catch (Exception e) {
                throw new IllegalArgumentException("dicommail:encode: element " + (i + 1) + " of the body ("
                        + (o == null ? "null" : o.getClass().getName()) + ") is not a DICOM instance: "
                        + rootMessage(e), e);
            }
        }
        return files;
    }

    private void decode(Exchange exchange) throws Exception {
        List<Runnable> cleanup = new ArrayList<>();
        MimeMessage message = message(exchange, cleanup);
        DecodedMail mail;
        try {
            mail = reader.read(message);
        } catch (DicomMailException e) {
            cleanup.forEach(Runnable::run);
            String from = from(message);
            exchange.getIn().setHeader(DicomMailConstants.FAILURE_REASON, e.reason());
            if (auditor != null) {
                auditor.refused(from, e.security(), e.getMessage());
            }
            LOG.warn("refused a mail{}: {} ({})", from == null ? "" : " from " + from, e.getMessage(), e.reason());
            throw e;
        }
        cleanup.add(mail::close);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange ex) {
                cleanup.forEach(Runnable::run);
            }
        });
        if (auditor != null) {
            List<InstanceFacts> facts = new ArrayList<>();
            for (MediaInstance i : mail.instances()) {
                facts.add(InstanceFacts.of(i.file().dataset()));
            }
            auditor.imported(facts, mail.from(), mail.signerEmails().isEmpty() ? null : mail.signerEmails().get(0),
                    mail.signerSubject());
        }
        org.apache.camel.Message out = exchange.getMessage();
        out.setBody(new ArrayList<>(mail.instances()));
        out.setHeader(DicomMailConstants.INSTANCE_COUNT, mail.instances().size());
        out.setHeader(DicomMailConstants.FORMAT, mail.format().name());
        out.setHeader(DicomMailConstants.SIGNED, mail.signed());
        out.setHeader(DicomMailConstants.ENCRYPTED, mail.encrypted());
        out.setHeader(DicomMailConstants.LAYERS, mail.layers());
        setIfPresent(out, DicomMailConstants.FROM, mail.from());
        setIfPresent(out, DicomMailConstants.SENDER, mail.signerSubject());
        setIfPresent(out, DicomMailConstants.SENDER_EMAIL,
                mail.signerEmails().isEmpty() ? null : mail.signerEmails().get(0));
        setIfPresent(out, DicomMailConstants.SENDER_CERTIFICATE, mail.signer());
        setIfPresent(out, DicomMailConstants.CONTENT_ENCRYPTION,
                mail.contentEncryption() == null ? null : mail.contentEncryption().name());
        setIfPresent(out, DicomMailConstants.FILE_SET_ID, mail.fileSetId());
        setIfPresent(out, DicomMailConstants.SIGNING_TIME, mail.signingTime());
        setIfPresent(out, DicomMailConstants.MESSAGE_ID, mail.messageId());
    }

    private static void setIfPresent(org.apache.camel.Message m, String header, Object value) {
        if (value != null) {
            m.setHeader(header, value);
        } else {
            m.removeHeader(header);
        }
    }

    /**
     * The body as a MIME message: camel-mail's original message, a {@link MimeMessage}, or RFC 5322 bytes (read into
     * memory up to the memory threshold, else into a temporary file that {@code cleanup} deletes).
     */
    private MimeMessage message(Exchange exchange, List<Runnable> cleanup) throws Exception {
        org.apache.camel.Message in = exchange.getIn();
        Object body = in.getBody();
        if (in instanceof MailMessage mm && mm.getOriginalMessage() != null) {
            body = mm.getOriginalMessage();
        }
        if (body instanceof MimeMessage m) {
            return m;
        }
        if (body instanceof Message m) {
            return copy(m, cleanup);
        }
        if (body == null) {
            throw new IllegalArgumentException("dicommail:decode: the body is empty, not a mail");
        }
        if (body instanceof byte[] bytes) {
            return new MimeMessage(session, new SharedByteArrayInputStream(bytes));
        }
        InputStream stream = exchange.getContext().getTypeConverter().tryConvertTo(InputStream.class, exchange, body);
        if (stream == null) {
            throw new IllegalArgumentException("dicommail:decode: the body (" + body.getClass().getName()
                    + ") is not a mail: give camel-mail's message, a MimeMessage or the RFC 5322 bytes");
        }
        try (InputStream s = stream) {
            return spooled(s, cleanup);
        }
    }

    private MimeMessage copy(Message m, List<Runnable> cleanup) throws IOException, MessagingException {
        Path tmp = Files.createTempFile("cds-mail-in-", ".eml");
        Runnable delete = TempFiles.register(tmp);
        cleanup.add(delete);
        try (var out = Files.newOutputStream(tmp)) {
            m.writeTo(out);
        }
        return new MimeMessage(session, new SharedFileInputStream(tmp.toFile()));
    }

    private MimeMessage spooled(InputStream s, List<Runnable> cleanup) throws IOException, MessagingException {
        int threshold = endpoint.getConfiguration().getMemoryThreshold();
        byte[] head = s.readNBytes(threshold + 1);
        if (head.length <= threshold) {
            return new MimeMessage(session, new SharedByteArrayInputStream(head));
        }
        Path tmp = Files.createTempFile("cds-mail-in-", ".eml");
        Runnable delete = TempFiles.register(tmp);
        cleanup.add(delete);
        try (var out = Files.newOutputStream(tmp)) {
            out.write(head);
            s.transferTo(out);
        }
        SharedFileInputStream shared = new SharedFileInputStream(tmp.toFile());
        cleanup.add(0, () -> {
            try {
                shared.close();
            } catch (IOException e) {
                // deleting anyway
            }
        });
        return new MimeMessage(session, shared);
    }

    private static String from(MimeMessage m) {
        try {
            jakarta.mail.Address[] from = m.getFrom();
            if (from != null && from.length > 0) {
                return from[0] instanceof jakarta.mail.internet.InternetAddress ia ? ia.getAddress() : null;
            }
        } catch (MessagingException e) {
            // an unreadable From is no sender
        }
        return null;
    }

    private static List<InstanceFacts> facts(List<DicomFile> files) {
        List<InstanceFacts> out = new ArrayList<>(files.size());
        for (DicomFile f : files) {
            out.add(InstanceFacts.of(f.dataset()));
        }
        return out;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
