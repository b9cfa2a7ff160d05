package org.cameldicomsecure.component.dicom;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.TypeConversionException;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.DicomParseException;

/**
 * The binding between our DICOM model and a Camel {@link Message}: the body becomes a {@link DicomFile} (through
 * {@link DicomConverter}) and the identifying values of its data set become the shared {@link DicomHeaders}. No
 * patient data is ever copied into a header.
 *
 * <p>Usable as a bean from every DSL, for example in YAML:
 * <pre>
 * - bean:
 *     beanType: org.cameldicomsecure.component.dicom.DicomBinding
 *     method: parseBody
 * </pre>
 */
public class DicomBinding {

    /**
     * Replaces the body with the {@link DicomFile} it encodes and sets the headers of {@link #setHeaders}.
     *
     * @throws DicomParseException     if the body is not well-formed DICOM: the reader's own exception, not Camel's
     *                                 conversion wrappers, so that {@code ${exception.message}} names the problem
     * @throws InvalidPayloadException if the body is empty or of a type no converter handles
     */
    public void parseBody(Exchange exchange) throws DicomParseException, InvalidPayloadException {
        Message message = exchange.getMessage();
        DicomFile file = toDicomFile(message);
        message.setBody(file);
        setHeaders(message, file);
    }

    /**
     * The body as a {@link DicomFile}.
     *
     * @throws DicomParseException     if the body is not well-formed DICOM
     * @throws InvalidPayloadException if the body is empty or cannot be converted for another reason
     */
    public static DicomFile toDicomFile(Message message) throws DicomParseException, InvalidPayloadException {
        try {
            return message.getMandatoryBody(DicomFile.class);
        } catch (InvalidPayloadException | TypeConversionException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof DicomParseException dpe) {
                    throw dpe;
                }
            }
            throw e;
        }
    }

    /**
     * The body as a {@link DicomFile}, for a producer of {@code scheme}: a body that is not DICOM fails with a
     * {@link CamelExchangeException} "SCHEME: the body is not a readable DICOM instance: WHY", WHY naming what the
     * reader found (never a value).
     */
    public static DicomFile readableInstance(Exchange exchange, String scheme) throws CamelExchangeException {
        try {
            return toDicomFile(exchange.getIn());
        } catch (DicomParseException | InvalidPayloadException | TypeConversionException e) {
            throw new CamelExchangeException(scheme + ": the body is not a readable DICOM instance: " + rootMessage(e),
                    exchange, e);
        }
    }

    /** The message of the innermost cause of {@code t} (its class name if it has none). */
    public static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() != null ? c.getMessage() : c.toString();
    }

    /**
     * Sets {@link DicomHeaders#SOP_CLASS_UID}, {@link DicomHeaders#SOP_INSTANCE_UID},
     * {@link DicomHeaders#STUDY_INSTANCE_UID} and {@link DicomHeaders#TRANSFER_SYNTAX_UID} from {@code file}. A UID
     * the data set lacks removes its header, so that no value of an earlier message survives.
     */
    public static void setHeaders(Message message, DicomFile file) {
        Dataset ds = file.dataset();
        put(message, DicomHeaders.SOP_CLASS_UID, ds.getString(Tag.SOPClassUID));
        put(message, DicomHeaders.SOP_INSTANCE_UID, ds.getString(Tag.SOPInstanceUID));
        put(message, DicomHeaders.STUDY_INSTANCE_UID, ds.getString(Tag.StudyInstanceUID));
        message.setHeader(DicomHeaders.TRANSFER_SYNTAX_UID, file.transferSyntax().uid());
    }

    private static void put(Message message, String name, String value) {
        if (value != null) {
            message.setHeader(name, value);
        } else {
            message.removeHeader(name);
        }
    }
}
