package org.cameldicomsecure.component.dicomdeid;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
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
import org.cameldicomsecure.component.dicom.ResultFiles;
import org.cameldicomsecure.deid.BurnedInAnnotationPolicy;
import org.cameldicomsecure.deid.DeidentificationOptions;
import org.cameldicomsecure.deid.LongitudinalTemporal;
import org.cameldicomsecure.deid.PixelMask;
import org.cameldicomsecure.deid.PixelMaskFile;
import org.cameldicomsecure.tls.PemFiles;

/**
 * De-identify DICOM instances with the Basic Application Confidentiality Profile of PS3.15 Annex E and its options,
 * keeping the original values encrypted for the recipients of {@code encryptTo}; re-identify them with a
 * recipient's key (PS3.15 E.1.2).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "dicomdeid", title = "DICOM De-identification",
             syntax = "dicomdeid:operation", producerOnly = true, category = { Category.SECURITY, Category.TRANSFORMATION },
             headersClass = DicomDeidConstants.class)
public class DicomDeidEndpoint extends DefaultEndpoint {

    @UriParam
    private DicomDeidConfiguration configuration;

    public DicomDeidEndpoint(String uri, DicomDeidComponent component, DicomDeidConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    public DicomDeidConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DicomDeidConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() throws Exception {
        return new DicomDeidProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("dicomdeid is a producer only: use it in to(...)");
    }

    boolean isReidentify() {
        return "reidentify".equals(configuration.getOperation());
    }

    /** The library's options from the endpoint's; validates them (fails at start, naming the option). */
    DeidentificationOptions deidentificationOptions() throws IOException {
        DicomDeidConfiguration c = configuration;
        List<PixelMask> masks = List.of();
        if (c.getPixelMasks() != null) {
            masks = PixelMaskFile.read(Path.of(c.getPixelMasks()));
        }
        if ((c.isCleanPixelData() || c.isCleanRecognizableVisualFeatures()) && masks.isEmpty()) {
            throw new IllegalArgumentException("cleanPixelData and cleanRecognizableVisualFeatures need pixelMasks "
                    + "(a file of the regions to black out): without them no pixel would be cleaned");
        }
        List<X509Certificate> recipients = new ArrayList<>();
        for (String f : EndpointOptions.split(c.getEncryptTo())) {
            recipients.addAll(PemFiles.readCertificates("encryptTo", Path.of(f)));
        }
        DeidentificationOptions.Builder b = DeidentificationOptions.builder()
                .retainSafePrivate(c.isRetainSafePrivate())
                .retainUids(c.isRetainUids())
                .retainDeviceIdentity(c.isRetainDeviceIdentity())
                .retainInstitutionIdentity(c.isRetainInstitutionIdentity())
                .retainPatientCharacteristics(c.isRetainPatientCharacteristics())
                .retainLongitudinalTemporal(EndpointOptions.choice("retainLongitudinalTemporal", c.getRetainLongitudinalTemporal(),
                        LongitudinalTemporal.class))
                .cleanDescriptors(c.isCleanDescriptors())
                .cleanStructuredContent(c.isCleanStructuredContent())
                .cleanGraphics(c.isCleanGraphics())
                .cleanPixelData(c.isCleanPixelData())
                .cleanRecognizableVisualFeatures(c.isCleanRecognizableVisualFeatures())
                .burnedInAnnotation(EndpointOptions.choice("burnedInAnnotation", c.getBurnedInAnnotation(),
                        BurnedInAnnotationPolicy.class))
                .pixelMasks(masks)
                .encryptTo(recipients);
        if (c.getUidSecret() != null && !c.getUidSecret().isEmpty()) {
            b.uidSecret(c.getUidSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return b.build();
    }

    PrivateKey reidentificationKey() {
        DicomDeidConfiguration c = configuration;
        if (c.getPrivateKey() == null || c.getCertificate() == null) {
            throw new IllegalArgumentException("dicomdeid:reidentify needs privateKey and certificate (the "
                    + "recipient's PEM files)");
        }
        return PemFiles.readPrivateKey("privateKey", Path.of(c.getPrivateKey()), "privateKeyPassword",
                c.getPrivateKeyPassword() == null ? null : c.getPrivateKeyPassword().toCharArray());
    }

    X509Certificate reidentificationCertificate() {
        return PemFiles.readCertificates("certificate", Path.of(configuration.getCertificate())).get(0);
    }

    Path workDirectory() {
        return ResultFiles.directory(configuration.getWorkDirectory());
    }
}
