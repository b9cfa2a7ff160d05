package org.cameldicomsecure.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.web.json.DicomJsonReader;
import org.cameldicomsecure.web.json.DicomJsonWriter;

/**
 * The response of a STOW-RS Store Instances transaction (PS3.18 10.5.3), the Store Instances Response Module of
 * PS3.18 Annex I (Table I.1-1): Retrieve URL (0008,1190) of the study; Referenced SOP Sequence (0008,1199) with one
 * item per stored instance (Referenced SOP Class / Instance UID (0008,1150) / (0008,1155), Retrieve URL, Warning
 * Reason (0008,1196) if accepted with a warning); Failed SOP Sequence (0008,1198) with one item per instance not
 * stored (UIDs and Failure Reason (0008,1197)); Other Failures Sequence (0008,119A) for failures not tied to an
 * instance. Written and parsed as {@code application/dicom+json} (PS3.18 Annex F) and {@code application/dicom+xml}
 * (PS3.19 A.1 Native DICOM Model, as the example of PS3.18 I.3).
 */
public final class StowResponse {

    /** PS3.18 Table I.2-2: Refused out of Resources (A7xx). */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** PS3.18 Table I.2-2: Error: Data Set does not match SOP Class (A9xx). */
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** PS3.18 Table I.2-2: Error: Cannot understand (Cxxx). */
    public static final int CANNOT_UNDERSTAND = 0xC000;
    /** PS3.18 Table I.2-2: Referenced Transfer Syntax not supported. */
    public static final int TRANSFER_SYNTAX_NOT_SUPPORTED = 0xC122;
    /** PS3.18 Table I.2-2: Processing failure. */
    public static final int PROCESSING_FAILURE = 0x0110;
    /** PS3.18 Table I.2-2: Referenced SOP Class not supported. */
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;

    /** PS3.18 Table I.2-1 (Warning Reason): Coercion of Data Elements. */
    public static final int WARNING_COERCION_OF_DATA_ELEMENTS = 0xB000;
    /** PS3.18 Table I.2-1: Elements Discarded. */
    public static final int WARNING_ELEMENTS_DISCARDED = 0xB006;
    /** PS3.18 Table I.2-1: Data Set does not match SOP Class. */
    public static final int WARNING_DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xB007;

    /** The media type of the JSON form. */
    public static final String DICOM_JSON = "application/dicom+json";
    /** The media type of the XML form. */
    public static final String DICOM_XML = "application/dicom+xml";

    private static final String NATIVE_NS = "http://dicom.nema.org/PS3.19/models/NativeDICOM";

    /** An instance that was stored; {@code warningReason} is null when it was stored without a warning. */
    public record Stored(String sopClassUid, String sopInstanceUid, String retrieveUrl, Integer warningReason) {
        public boolean hasWarning() {
            return warningReason != null;
        }
    }

    /** An instance that was not stored, with the Failure Reason (0008,1197). */
    public record Failed(String sopClassUid, String sopInstanceUid, int failureReason) {
    }

    private final String retrieveUrl;
    private final List<Stored> stored;
    private final List<Failed> failed;
    private final List<Integer> otherFailures;

    private StowResponse(String retrieveUrl, List<Stored> stored, List<Failed> failed, List<Integer> otherFailures) {
        this.retrieveUrl = retrieveUrl;
        this.stored = Collections.unmodifiableList(new ArrayList<>(stored));
        this.failed = Collections.unmodifiableList(new ArrayList<>(failed));
        this.otherFailures = Collections.unmodifiableList(new ArrayList<>(otherFailures));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The top-level Retrieve URL (of the study), or null. */
    public String retrieveUrl() {
        return retrieveUrl;
    }

    public List<Stored> stored() {
        return stored;
    }

    public List<Failed> failed() {
        return failed;
    }

    /** Failure Reasons of the Other Failures Sequence (not associated with an instance). */
    public List<Integer> otherFailures() {
        return otherFailures;
    }

    /** Whether some stored instance has a Warning Reason. */
    public boolean hasWarnings() {
        return stored.stream().anyMatch(Stored::hasWarning);
    }

    /** Collects the outcome instance by instance. */
    public static final class Builder {
        private String retrieveUrl;
        private final List<Stored> stored = new ArrayList<>();
        private final List<Failed> failed = new ArrayList<>();
        private final List<Integer> otherFailures = new ArrayList<>();

        private Builder() {
        }

        /** The top-level Retrieve URL (of the study); null for none. */
        public Builder retrieveUrl(String url) {
            this.retrieveUrl = url;
            return this;
        }

        public Builder stored(String sopClassUid, String sopInstanceUid, String retrieveUrl) {
            return stored(sopClassUid, sopInstanceUid, retrieveUrl, null);
        }

        /** A stored instance; {@code warningReason} (PS3.18 Table I.2-1, 0..0xFFFF) or null. */
        public Builder stored(String sopClassUid, String sopInstanceUid, String retrieveUrl, Integer warningReason) {
            if (warningReason != null) {
                checkUs("warning reason", warningReason);
            }
            stored.add(new Stored(sopClassUid, sopInstanceUid, retrieveUrl, warningReason));
            return this;
        }

        /** An instance not stored, with its Failure Reason (PS3.18 Table I.2-2, 0..0xFFFF). */
        public Builder failed(String sopClassUid, String sopInstanceUid, int failureReason) {
            checkUs("failure reason", failureReason);
            failed.add(new Failed(sopClassUid, sopInstanceUid, failureReason));
            return this;
        }

        /** A failure not associated with an instance (Other Failures Sequence). */
        public Builder otherFailure(int failureReason) {
            checkUs("failure reason", failureReason);
            otherFailures.add(failureReason);
            return this;
        }

        public StowResponse build() {
            return new StowResponse(retrieveUrl, stored, failed, otherFailures);
        }

        private static void checkUs(String what, int v) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException(what + " " + v + " is not a 16-bit unsigned value");
            }
        }
    }

    // --- the data set -------------------------------------------------------------------------------------------

    /** The response as a data set (the Store Instances Response Module). */
    public Dataset toDataset() {
        Dataset ds = new Dataset();
        if (retrieveUrl != null) {
            ds.setString(Tag.RetrieveURL, VR.UR, retrieveUrl);
        }
        if (!failed.isEmpty()) {
            Sequence seq = ds.newSequence(Tag.FailedSOPSequence);
            for (Failed f : failed) {
                Dataset item = seq.addItem();
                uids(item, f.sopClassUid(), f.sopInstanceUid());
                item.setInt(Tag.FailureReason, VR.US, f.failureReason());
            }
        }
        if (!stored.isEmpty()) {
            Sequence seq = ds.newSequence(Tag.ReferencedSOPSequence);
            for (Stored s : stored) {
                Dataset item = seq.addItem();
                uids(item, s.sopClassUid(), s.sopInstanceUid());
                if (s.retrieveUrl() != null) {
                    item.setString(Tag.RetrieveURL, VR.UR, s.retrieveUrl());
                } else {
                    item.setBytes(Tag.RetrieveURL, VR.UR, new byte[0]); // Type 2
                }
                if (s.warningReason() != null) {
                    item.setInt(Tag.WarningReason, VR.US, s.warningReason());
                }
            }
        }
        if (!otherFailures.isEmpty()) {
            Sequence seq = ds.newSequence(Tag.OtherFailuresSequence);
            for (int r : otherFailures) {
                seq.addItem().setInt(Tag.FailureReason, VR.US, r);
            }
        }
        return ds;
    }

    private static void uids(Dataset item, String cls, String inst) {
        if (cls != null) {
            item.setString(Tag.ReferencedSOPClassUID, VR.UI, cls);
        }
        if (inst != null) {
            item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, inst);
        }
    }

    /** Reads a Store Instances Response Module; items without a Failure Reason are refused. */
    public static StowResponse fromDataset(Dataset ds) throws DicomWebException {
        Builder b = builder().retrieveUrl(ds.getString(Tag.RetrieveURL));
        Sequence failedSeq = ds.getSequence(Tag.FailedSOPSequence);
        if (failedSeq != null) {
            int k = 0;
            for (Dataset item : failedSeq) {
                int reason = us(item, Tag.FailureReason, -1, "Failed SOP Sequence item " + (k + 1));
                if (reason < 0) {
                    throw new DicomWebException("STOW-RS response: Failed SOP Sequence item " + (k + 1)
                            + " has no Failure Reason (0008,1197)");
                }
                b.failed(item.getString(Tag.ReferencedSOPClassUID), item.getString(Tag.ReferencedSOPInstanceUID),
                        reason);
                k++;
            }
        }
        Sequence storedSeq = ds.getSequence(Tag.ReferencedSOPSequence);
        if (storedSeq != null) {
            int k = 0;
            for (Dataset item : storedSeq) {
                int warning = us(item, Tag.WarningReason, -1, "Referenced SOP Sequence item " + (k + 1));
                b.stored(item.getString(Tag.ReferencedSOPClassUID), item.getString(Tag.ReferencedSOPInstanceUID),
                        item.getString(Tag.RetrieveURL), warning < 0 ? null : warning);
                k++;
            }
        }
        Sequence other = ds.getSequence(Tag.OtherFailuresSequence);
        if (other != null) {
            int k = 0;
            for (Dataset item : other) {
                int reason = us(item, Tag.FailureReason, -1, "Other Failures Sequence item " + (k + 1));
                if (reason >= 0) {
                    b.otherFailure(reason);
                }
                k++;
            }
        }
        return b.build();
    }

    /** A US value (some servers send the reasons with another integer VR, or as IS). */
    private static int us(Dataset item, int tag, int dflt, String where) throws DicomWebException {
        VR vr = item.vrOf(tag);
        if (vr == null) {
            return dflt;
        }
        try {
            int v = switch (vr) {
                case US, SS, UL, SL, IS -> item.getInt(tag, dflt);
                default -> throw new DicomWebException("STOW-RS response: " + where + " " + Tag.toString(tag)
                        + " has VR " + vr + ", US is expected");
            };
            if (v != dflt && (v < 0 || v > 0xFFFF)) {
                throw new DicomWebException("STOW-RS response: " + where + " " + Tag.toString(tag)
                        + " is out of the US range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new DicomWebException("STOW-RS response: " + where + " " + Tag.toString(tag) + " is not a number");
        }
    }

    // --- JSON ---------------------------------------------------------------------------------------------------

    /** Writes the response as {@code application/dicom+json}: one object (as Orthanc and dcm4chee answer). */
    public void toJson(OutputStream out) throws IOException {
        DicomJsonWriter.write(toDataset(), out);
    }

    // --- XML ----------------------------------------------------------------------------------------------------

    /** Writes the response as {@code application/dicom+xml} (PS3.19 Native DICOM Model, UTF-8). */
    public void toXml(OutputStream out) throws IOException {
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("NativeDicomModel");
            w.writeDefaultNamespace(NATIVE_NS);
            xmlDataset(w, toDataset());
            w.writeEndElement();
            w.writeEndDocument();
            w.flush();
            w.close();
            out.flush();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write the STOW-RS response XML", e);
        }
    }

    private static void xmlDataset(XMLStreamWriter w, Dataset ds) throws XMLStreamException {
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            VR vr = ds.vrAt(i);
            w.writeStartElement("DicomAttribute");
            w.writeAttribute("tag", String.format("%08X", tag));
            w.writeAttribute("vr", vr.name());
            String keyword = keyword(tag);
            if (keyword != null) {
                w.writeAttribute("keyword", keyword);
            }
            if (vr == VR.SQ) {
                int n = 1;
                for (Dataset item : ds.getSequence(tag)) {
                    w.writeStartElement("Item");
                    w.writeAttribute("number", Integer.toString(n++));
                    xmlDataset(w, item);
                    w.writeEndElement();
                }
            } else {
                String[] values = ds.getStrings(tag);
                for (int v = 0; v < values.length; v++) {
                    w.writeStartElement("Value");
                    w.writeAttribute("number", Integer.toString(v + 1));
                    w.writeCharacters(values[v]);
                    w.writeEndElement();
                }
            }
            w.writeEndElement();
        }
    }

    private static String keyword(int tag) {
        return switch (tag) {
            case Tag.RetrieveURL -> "RetrieveURL";
            case Tag.FailedSOPSequence -> "FailedSOPSequence";
            case Tag.ReferencedSOPSequence -> "ReferencedSOPSequence";
            case Tag.OtherFailuresSequence -> "OtherFailuresSequence";
            case Tag.FailureReason -> "FailureReason";
            case Tag.WarningReason -> "WarningReason";
            case Tag.ReferencedSOPClassUID -> "ReferencedSOPClassUID";
            case Tag.ReferencedSOPInstanceUID -> "ReferencedSOPInstanceUID";
            default -> null;
        };
    }

    // --- parsing ------------------------------------------------------------------------------------------------

    /**
     * Parses a STOW-RS response body of {@code mediaType} ({@code application/dicom+json}, also {@code
     * application/json}, or {@code application/dicom+xml}, also {@code application/xml} and {@code text/xml};
     * parameters are ignored). An empty body is an empty response (no instance reported).
     */
    public static StowResponse parse(String mediaType, InputStream body) throws IOException {
        Objects.requireNonNull(body, "body");
        String mt = mediaType == null ? "" : mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        byte[] first = body.readNBytes(1);
        if (first.length == 0) {
            return builder().build();
        }
        InputStream in = new java.io.SequenceInputStream(new ByteArrayInputStream(first), body);
        switch (mt) {
            case DICOM_JSON, "application/json" -> {
                try {
                    return fromDataset(new DicomJsonReader().readOne(in));
                } catch (DicomWebException e) {
                    throw e;
                } catch (IOException e) {
                    throw new DicomWebException("STOW-RS response is not valid DICOM JSON: " + e.getMessage(), e);
                }
            }
            case DICOM_XML, "application/xml", "text/xml" -> {
                return fromDataset(parseXml(in));
            }
            default -> throw new DicomWebException("STOW-RS response has media type "
                    + (mt.isEmpty() ? "(none)" : mt.replaceAll("[^\\x21-\\x7e]", "?"))
                    + "; application/dicom+json or application/dicom+xml is expected");
        }
    }

    /** The Native DICOM Model document as a data set: the text VRs and US/SS/UL/SL values, and sequences. */
    static Dataset parseXml(InputStream in) throws DicomWebException {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        XMLStreamReader r = null;
        try {
            r = f.createXMLStreamReader(withoutBadDeclaration(in));
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    break;
                }
                if (ev == XMLStreamConstants.DTD) {
                    throw new DicomWebException("STOW-RS response XML has a document type declaration (refused)");
                }
            }
            if (!r.isStartElement() || !r.getLocalName().equals("NativeDicomModel")) {
                throw new DicomWebException("STOW-RS response XML: the root element is not NativeDicomModel");
            }
            Dataset ds = new Dataset();
            xmlInto(r, ds, "", 0);
            return ds;
        } catch (XMLStreamException e) {
            throw new DicomWebException("STOW-RS response is not well-formed XML"
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNumber() + ")"), e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException e) {
                    // nothing to release
                }
            }
        }
    }

    /**
     * The example of PS3.18 I.3 (and servers copying it) puts {@code xml:space="preserve"} into the XML declaration,
     * which is not well-formed: such a declaration is dropped (UTF-8 is assumed, as DICOM XML requires).
     */
    private static InputStream withoutBadDeclaration(InputStream in) throws DicomWebException {
        try {
            java.io.PushbackInputStream pin = new java.io.PushbackInputStream(in, 512);
            byte[] head = pin.readNBytes(512);
            String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
            int end = text.indexOf("?>");
            if (text.startsWith("<?xml") && end > 0 && text.substring(0, end).contains("xml:space")) {
                pin.unread(head, end + 2, head.length - end - 2);
            } else {
                pin.unread(head);
            }
            return pin;
        } catch (IOException e) {
            throw new DicomWebException("cannot read the STOW-RS response", e);
        }
    }

    /** Reads DicomAttribute children up to the end of the current element. */
    private static void xmlInto(XMLStreamReader r, Dataset ds, String path, int depth)
            throws XMLStreamException, DicomWebException {
        if (depth > 16) {
            throw new DicomWebException("STOW-RS response XML: " + path + " nested too deeply");
        }
        while (r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.END_ELEMENT) {
                return;
            }
            if (ev != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            if (!r.getLocalName().equals("DicomAttribute")) {
                skip(r);
                continue;
            }
            String tagText = r.getAttributeValue(null, "tag");
            String vrText = r.getAttributeValue(null, "vr");
            int tag;
            try {
                if (tagText == null || tagText.length() != 8) {
                    throw new NumberFormatException();
                }
                tag = Integer.parseUnsignedInt(tagText, 16);
            } catch (NumberFormatException e) {
                throw new DicomWebException("STOW-RS response XML: " + (path.isEmpty() ? "" : path + ": ")
                        + "DicomAttribute tag is not 8 hexadecimal digits");
            }
            String here = path.isEmpty() ? Tag.toString(tag) : path + "." + Tag.toString(tag);
            VR vr = vrText != null && vrText.length() == 2 ? VR.ofCode((vrText.charAt(0) << 8) | vrText.charAt(1))
                    : null;
            if (vr == null) {
                throw new DicomWebException("STOW-RS response XML: " + here + " has no valid vr attribute");
            }
            if (vr == VR.SQ) {
                Sequence seq = ds.newSequence(tag);
                int k = 0;
                while (r.hasNext()) {
                    int e = r.next();
                    if (e == XMLStreamConstants.END_ELEMENT) {
                        break;
                    }
                    if (e == XMLStreamConstants.START_ELEMENT) {
                        if (r.getLocalName().equals("Item")) {
                            xmlInto(r, seq.addItem(), here + "[" + k++ + "]", depth + 1);
                        } else {
                            skip(r);
                        }
                    }
                }
                continue;
            }
            List<String> values = new ArrayList<>();
            while (r.hasNext()) {
                int e = r.next();
                if (e == XMLStreamConstants.END_ELEMENT) {
                    break;
                }
                if (e == XMLStreamConstants.START_ELEMENT) {
                    if (r.getLocalName().equals("Value")) {
                        values.add(r.getElementText().strip());
                    } else {
                        skip(r);
                    }
                }
            }
            try {
                switch (vr.kind()) {
                    case TEXT -> ds.setString(tag, vr, values.toArray(String[]::new));
                    default -> {
                        if (vr == VR.US || vr == VR.SS || vr == VR.UL || vr == VR.SL) {
                            ds.setInt(tag, vr, values.stream().mapToInt(v -> Integer.parseInt(v.strip())).toArray());
                        }
                        // other binary VRs are not part of the response module: ignored
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new DicomWebException("STOW-RS response XML: " + here + " has a value invalid for VR " + vr);
            }
        }
    }

    private static void skip(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0 && r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    @Override
    public String toString() {
        return "StowResponse[stored " + stored.size() + ", failed " + failed.size()
                + (otherFailures.isEmpty() ? "" : ", other failures " + otherFailures.size()) + "]";
    }
}
