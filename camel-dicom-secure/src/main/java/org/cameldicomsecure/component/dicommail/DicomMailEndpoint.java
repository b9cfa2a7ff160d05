package org.cameldicomsecure.component.dicommail;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.cameldicomsecure.component.dicom.EndpointOptions;
import org.cameldicomsecure.mail.DicomMailFormat;
import org.cameldicomsecure.mail.DicomMailReader;
import org.cameldicomsecure.mail.DicomMailWriter;
import org.cameldicomsecure.mail.smime.ContentEncryption;
import org.cameldicomsecure.mail.smime.KeyEncryption;
import org.cameldicomsecure.mail.smime.SignatureOrder;
import org.cameldicomsecure.mail.smime.SmimeOptions;
import org.cameldicomsecure.mail.smime.SmimeReader;
import org.cameldicomsecure.mail.smime.SmimeReaderOptions;
import org.cameldicomsecure.media.MediaLimits;
import org.cameldicomsecure.tls.PemFiles;

/**
 * Secure DICOM email (PS3.15 B.8; Supplement 113): {@code encode} DICOM instances into a signed, AES-encrypted
 * S/MIME message for camel-mail's smtp/smtps producer, {@code decode} such a message (from camel-mail's
 * imap/imaps/pop3 consumer, or its RFC 5322 bytes) into its DICOM instances.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "dicommail", title = "Secure DICOM Email",
             syntax = "dicommail:operation", producerOnly = true, category = { Category.SECURITY, Category.MAIL },
             headersClass = DicomMailConstants.class)
public class DicomMailEndpoint extends DefaultEndpoint {

    @UriParam
    private DicomMailConfiguration configuration;

    public DicomMailEndpoint(String uri, DicomMailComponent component, DicomMailConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    public DicomMailConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DicomMailConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() throws Exception {
        return new DicomMailProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("dicommail is a producer only: use it in to(...) after a mail "
                + "consumer (decode) or before a mail producer (encode)");
    }

    boolean encoding() {
        return "encode".equals(configuration.getOperation());
    }

    /** The writer of {@code encode}; reads the key material now (fails naming the option). */
    DicomMailWriter writer() {
        DicomMailConfiguration c = configuration;
        if (c.getSigningKey() == null || c.getSigningCertificate() == null) {
            throw new IllegalArgumentException("dicommail:encode needs the sender's signingKey and "
                    + "signingCertificate (PEM files): PS3.15 B.8 requires the sender to sign");
        }
        if (c.getRecipients() == null || c.getRecipients().isBlank()) {
            throw new IllegalArgumentException("dicommail:encode needs recipients (PEM certificates): PS3.15 B.8 "
                    + "requires the whole email encrypted");
        }
        PrivateKey key = PemFiles.readPrivateKey("signingKey", Path.of(c.getSigningKey()), "signingKeyPassword",
                c.getSigningKeyPassword() == null ? null : c.getSigningKeyPassword().toCharArray());
        List<X509Certificate> chain = PemFiles.readCertificates("signingCertificate",
                Path.of(c.getSigningCertificate()));
        SmimeOptions smime = SmimeOptions.DEFAULT
                .withContentEncryption(EndpointOptions.choice("contentEncryption", c.getContentEncryption(),
                        ContentEncryption.class))
                .withKeyEncryption(EndpointOptions.choice("keyEncryption", c.getKeyEncryption(), KeyEncryption.class))
                .withOrder(EndpointOptions.choice("signatureOrder", c.getSignatureOrder(), SignatureOrder.class))
                .withMemoryThreshold(c.getMemoryThreshold());
        DicomMailWriter.Builder b = DicomMailWriter.builder().signer(key, chain)
                .recipients(recipients(c.getRecipients())).smime(smime)
                .format(EndpointOptions.choice("format", c.getFormat(), DicomMailFormat.class))
                .fileSetId(c.getFileSetId()).subject(c.getSubject()).bodyText(c.getBodyText());
        return b.build();
    }

    /** The reader of {@code decode}; reads the key material now (fails naming the option). */
    DicomMailReader reader() {
        DicomMailConfiguration c = configuration;
        if (c.getPrivateKey() == null || c.getCertificate() == null) {
            throw new IllegalArgumentException("dicommail:decode needs our privateKey and certificate (PEM files) "
                    + "to decrypt");
        }
        List<X509Certificate> trusted = EndpointOptions.certificates("trustedCertificates", c.getTrustedCertificates());
        if (trusted.isEmpty() && c.isRequireSignature()) {
            throw new IllegalArgumentException("dicommail:decode needs trustedCertificates (the senders' CAs) to "
                    + "verify signatures, or requireSignature=false");
        }
        PrivateKey key = PemFiles.readPrivateKey("privateKey", Path.of(c.getPrivateKey()), "privateKeyPassword",
                c.getPrivateKeyPassword() == null ? null : c.getPrivateKeyPassword().toCharArray());
        X509Certificate cert = PemFiles.readCertificates("certificate", Path.of(c.getCertificate())).get(0);
        List<X509CRL> crls = EndpointOptions.crls("crlFiles", c.getCrlFiles());
        SmimeReaderOptions options = SmimeReaderOptions.DEFAULT.withRequireSignature(c.isRequireSignature())
                .withRequireEncryption(c.isRequireEncryption()).withCheckFromAddress(c.isCheckFromAddress())
                .withCrls(crls).withAllowSha1(c.isAllowSha1()).withMemoryThreshold(c.getMemoryThreshold());
        MediaLimits limits = MediaLimits.DEFAULT.withMaxInstances(positive("maxInstances", c.getMaxInstances()))
                .withMaxTotalBytes(positive("maxTotalSize", c.getMaxTotalSize()))
                .withMaxEntryBytes(positive("maxInstanceSize", c.getMaxInstanceSize()))
                .withMaxCompressionRatio(positive("maxCompressionRatio", c.getMaxCompressionRatio()))
                .withMemoryThreshold(positive("memoryThreshold", c.getMemoryThreshold()));
        return new DicomMailReader(new SmimeReader(key, cert, trusted, options), limits);
    }

    /**
     * The recipient certificates of {@code recipients}: every end-entity certificate of the files; CA certificates
     * (a chain that came with a recipient's certificate) are not recipients and are left out.
     */
    private static List<X509Certificate> recipients(String files) {
        List<X509Certificate> out = new ArrayList<>();
        for (X509Certificate c : EndpointOptions.certificates("recipients", files)) {
            if (c.getBasicConstraints() < 0) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("recipients: the files '" + files + "' hold no end-entity "
                    + "certificate, only CA certificates");
        }
        return out;
    }

    private static int positive(String option, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(option + " must be positive, not " + v);
        }
        return v;
    }

    private static long positive(String option, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(option + " must be positive, not " + v);
        }
        return v;
    }

}
