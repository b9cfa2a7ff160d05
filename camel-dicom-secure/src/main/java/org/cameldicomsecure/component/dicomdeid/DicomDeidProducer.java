package org.cameldicomsecure.component.dicomdeid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import org.cameldicomsecure.component.dicom.DicomBinding;
import org.cameldicomsecure.component.dicom.ResultFiles;
import org.cameldicomsecure.deid.DeidentificationResult;
import org.cameldicomsecure.deid.Deidentifier;
import org.cameldicomsecure.deid.Reidentifier;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Deidentifier} or {@link Reidentifier} on the body. The result replaces the body as a PS3.10 file
 * ({@link java.io.File}, written streaming to {@code workDirectory} and deleted when the exchange completes), so large
 * pixel data never has to be in the heap. A failure fails the exchange and leaves the body as it was: nothing half
 * de-identified goes on.
 */
public class DicomDeidProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(DicomDeidProducer.class);
    private static final DicomWriter WRITER = new DicomWriter();

    private Deidentifier deidentifier;
    private Reidentifier reidentifier;

    public DicomDeidProducer(DicomDeidEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public DicomDeidEndpoint getEndpoint() {
        return (DicomDeidEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        DicomDeidEndpoint e = getEndpoint();
        if (e.isReidentify()) {
            reidentifier = new Reidentifier(e.reidentificationKey(), e.reidentificationCertificate());
        } else {
            deidentifier = new Deidentifier(e.deidentificationOptions());
            if (deidentifier.secretWasGenerated()) {
                LOG.warn("dicomdeid: no uidSecret set: replacement UIDs and date shifts come from a random secret made "
                        + "now, so they stay consistent only until this route restarts; set uidSecret (e.g. "
                        + "{{deid.secret}}) for UIDs that are stable across restarts");
            }
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        DicomFile input = DicomBinding.readableInstance(exchange, "dicomdeid");
        DicomFile result;
        if (reidentifier != null) {
            result = reidentifier.reidentify(input);
        } else {
            DeidentificationResult r = deidentifier.deidentify(input);
            result = r.file();
            setIfPresent(in, DicomDeidConstants.ORIGINAL_STUDY_INSTANCE_UID, r.originalStudyInstanceUid());
            setIfPresent(in, DicomDeidConstants.ORIGINAL_SERIES_INSTANCE_UID, r.originalSeriesInstanceUid());
            setIfPresent(in, DicomDeidConstants.ORIGINAL_SOP_INSTANCE_UID, r.originalSopInstanceUid());
            in.setHeader(DicomDeidConstants.DEIDENTIFICATION_METHOD_CODES, String.join(",", r.appliedOptionCodes()));
        }
        ResultFiles.replaceBody(exchange, write(result));
        setIfPresent(in, DicomDeidConstants.STUDY_INSTANCE_UID, result.dataset().getString(Tag.StudyInstanceUID));
        setIfPresent(in, DicomDeidConstants.SERIES_INSTANCE_UID, result.dataset().getString(Tag.SeriesInstanceUID));
        setIfPresent(in, DicomDeidConstants.SOP_INSTANCE_UID, result.dataset().getString(Tag.SOPInstanceUID));
        setIfPresent(in, DicomDeidConstants.SOP_CLASS_UID, result.dataset().getString(Tag.SOPClassUID));
        in.setHeader(DicomDeidConstants.TRANSFER_SYNTAX_UID, result.transferSyntax().uid());
    }

    private Path write(DicomFile result) throws IOException {
        Path out = ResultFiles.create(getEndpoint().workDirectory(), "dicomdeid-", ".dcm");
        try {
            WRITER.write(result, out);
            return out;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            throw e;
        }
    }

    private static void setIfPresent(Message m, String header, String value) {
        if (value != null) {
            m.setHeader(header, value);
        } else {
            m.removeHeader(header);
        }
    }
}
