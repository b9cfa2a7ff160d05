package org.cameldicomsecure.web.json;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomElement;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;

/**
 * Writes data sets as the DICOM JSON Model (PS3.18 Annex F) to a stream, in UTF-8, with jackson-core's
 * {@link JsonGenerator}: one object per data set, attributes in ascending tag order, group lengths left out (F.2.2).
 * Per VR (Table F.2.3-1): text as strings (several values split at the backslash, empty values as {@code null},
 * F.2.5), PN as objects of Alphabetic / Ideographic / Phonetic component groups, AT as 8 uppercase hex digits, US SS
 * UL SL FL FD SV UV as numbers (a NaN or infinite FL/FD as the string Jackson quotes), IS and DS as numbers when their
 * text is a valid JSON number (else as strings, which F.2.3 allows to keep the original format), OB OD OF OL OV OW UN
 * as InlineBinary base64 of the little endian value (F.2.7), streamed for bulk data, sequences as arrays of item
 * objects. A {@link BulkDataUri} value is written as BulkDataURI; a {@linkplain #bulkDataUris provider} may turn other
 * binary values into BulkDataURIs. Encapsulated (fragmented) Pixel Data has no inline form and needs the provider.
 *
 * <p>Use {@link #write(Dataset, OutputStream)} or {@link #writeArray(Iterable, OutputStream)}, or an instance for a
 * streamed array: {@link #startArray()}, {@link #write(Dataset)} per data set, {@link #endArray()}, {@link #close()}
 * (which flushes but does not close the target stream).
 */
public final class DicomJsonWriter implements Closeable, Flushable {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private final JsonGenerator gen;
    private Function<DicomElement, String> bulkDataUris = e -> null;

    /** A writer to {@code out} (not closed by {@link #close()}). */
    public DicomJsonWriter(OutputStream out) throws IOException {
        this.gen = FACTORY.createGenerator(Objects.requireNonNull(out, "out"), JsonEncoding.UTF8);
    }

    /**
     * Binary values (OB OD OF OL OV OW UN, bulk data and encapsulated pixel data) for which {@code provider} returns a
     * URI are written as BulkDataURI instead of InlineBinary. The provider sees elements at any nesting level.
     */
    public DicomJsonWriter bulkDataUris(Function<DicomElement, String> provider) {
        this.bulkDataUris = Objects.requireNonNull(provider, "provider");
        return this;
    }

    /** Pretty-prints (for humans and tests; the default is compact). */
    public DicomJsonWriter prettyPrint() {
        gen.useDefaultPrettyPrinter();
        return this;
    }

    /** {@code ds} as one JSON object. */
    public static void write(Dataset ds, OutputStream out) throws IOException {
        try (DicomJsonWriter w = new DicomJsonWriter(out)) {
            w.write(ds);
        }
    }

    /** {@code datasets} as a JSON array of objects (F.2.1), as QIDO-RS answers. */
    public static void writeArray(Iterable<Dataset> datasets, OutputStream out) throws IOException {
        try (DicomJsonWriter w = new DicomJsonWriter(out)) {
            w.startArray();
            for (Dataset ds : datasets) {
                w.write(ds);
            }
            w.endArray();
        }
    }

    public void startArray() throws IOException {
        gen.writeStartArray();
    }

    public void endArray() throws IOException {
        gen.writeEndArray();
    }

    /** Writes {@code ds} as one JSON object (inside an array if one was started). */
    public void write(Dataset ds) throws IOException {
        dataset(ds, "");
    }

    private void dataset(Dataset ds, String path) throws IOException {
        gen.writeStartObject();
        for (int i = 0, n = ds.size(); i < n; i++) {
            int tag = ds.tagAt(i);
            if (Tag.isGroupLength(tag)) {
                continue;
            }
            element(ds, tag, ds.vrAt(i), ds.valueAt(i), path);
        }
        gen.writeEndObject();
    }

    private void element(Dataset ds, int tag, VR vr, Object value, String path) throws IOException {
        String here = path.isEmpty() ? Tag.toString(tag) : path + "." + Tag.toString(tag);
        gen.writeFieldName(hex8(tag));
        gen.writeStartObject();
        gen.writeStringField("vr", vr.name());
        if (value instanceof BulkDataUri ref) {
            gen.writeStringField("BulkDataURI", ref.uri());
        } else if (value instanceof Sequence seq) {
            if (!seq.isEmpty()) {
                gen.writeArrayFieldStart("Value");
                int k = 0;
                for (Dataset item : seq) {
                    dataset(item, here + "[" + k++ + "]");
                }
                gen.writeEndArray();
            }
        } else if (value instanceof Fragments) {
            String uri = bulkDataUris.apply(new DicomElement(tag, vr, value));
            if (uri == null) {
                throw new DicomJsonException(here, "encapsulated (fragmented) pixel data has no DICOM JSON inline form;"
                        + " a BulkDataURI is needed");
            }
            gen.writeStringField("BulkDataURI", uri);
        } else if (length(value) > 0) {
            valueField(ds, tag, vr, value, here);
        }
        gen.writeEndObject();
    }

    private static long length(Object value) {
        if (value instanceof byte[] b) {
            return b.length;
        }
        if (value instanceof BulkData bd) {
            return bd.length();
        }
        return 0;
    }

    private void valueField(Dataset ds, int tag, VR vr, Object value, String here) throws IOException {
        switch (vr) {
            case OB, OD, OF, OL, OV, OW, UN -> {
                String uri = bulkDataUris.apply(new DicomElement(tag, vr, value));
                if (uri != null) {
                    gen.writeStringField("BulkDataURI", uri);
                } else {
                    inlineBinary(ds, vr, value, here);
                }
            }
            case PN -> {
                gen.writeArrayFieldStart("Value");
                for (String v : strings(ds, tag, here)) {
                    personName(v);
                }
                gen.writeEndArray();
            }
            case AT, US, SS, UL, SL, FL, FD, SV, UV -> {
                byte[] b = bytes(ds, tag, here);
                int unit = vr == VR.AT ? 4 : vr.unitSize();
                if (b.length % unit != 0) {
                    throw new DicomJsonException(here, "VR " + vr + " value length " + b.length
                            + " is not a multiple of " + unit);
                }
                gen.writeArrayFieldStart("Value");
                boolean be = ds.bigEndian();
                for (int off = 0; off < b.length; off += unit) {
                    binaryNumber(vr, b, off, be);
                }
                gen.writeEndArray();
            }
            default -> {
                gen.writeArrayFieldStart("Value");
                for (String v : strings(ds, tag, here)) {
                    if (v.isEmpty()) {
                        gen.writeNull();
                    } else if ((vr == VR.IS || vr == VR.DS) && JSON_NUMBER.matcher(v.strip()).matches()) {
                        gen.writeNumber(v.strip());
                    } else {
                        gen.writeString(v);
                    }
                }
                gen.writeEndArray();
            }
        }
    }

    private void binaryNumber(VR vr, byte[] b, int off, boolean be) throws IOException {
        switch (vr) {
            case AT -> gen.writeString(String.format("%04X%04X", ByteOrderUtil.uint16(b, off, be),
                    ByteOrderUtil.uint16(b, off + 2, be)));
            case US -> gen.writeNumber(ByteOrderUtil.uint16(b, off, be));
            case SS -> gen.writeNumber((short) ByteOrderUtil.uint16(b, off, be));
            case UL -> gen.writeNumber(ByteOrderUtil.int32(b, off, be) & 0xFFFFFFFFL);
            case SL -> gen.writeNumber(ByteOrderUtil.int32(b, off, be));
            case FL -> gen.writeNumber(Float.intBitsToFloat(ByteOrderUtil.int32(b, off, be)));
            case FD -> gen.writeNumber(Double.longBitsToDouble(ByteOrderUtil.int64(b, off, be)));
            case SV -> gen.writeNumber(ByteOrderUtil.int64(b, off, be));
            case UV -> {
                long v = ByteOrderUtil.int64(b, off, be);
                gen.writeNumber(v >= 0 ? BigInteger.valueOf(v) : BigInteger.valueOf(v).add(TWO_64));
            }
            default -> throw new IllegalStateException(vr.name());
        }
    }

    private void personName(String v) throws IOException {
        if (v.isEmpty()) {
            gen.writeNull();
            return;
        }
        String[] groups = v.split("=", -1);
        gen.writeStartObject();
        String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
        for (int g = 0; g < Math.min(3, groups.length); g++) {
            String s = stripTrailingSpaces(groups[g]);
            if (!s.isEmpty()) {
                gen.writeStringField(names[g], s);
            }
        }
        gen.writeEndObject();
    }

    private static String stripTrailingSpaces(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == ' ') {
            e--;
        }
        return s.substring(0, e);
    }

    private void inlineBinary(Dataset ds, VR vr, Object value, String here) throws IOException {
        boolean swap = ds.bigEndian() && vr.unitSize() > 1;
        gen.writeFieldName("InlineBinary");
        if (value instanceof byte[] b) {
            if (swap) {
                b = b.clone();
                ByteOrderUtil.swap(b, 0, b.length - b.length % vr.unitSize(), vr.unitSize());
            }
            gen.writeBinary(b);
        } else {
            BulkData bd = (BulkData) value;
            if (swap) {
                byte[] b = bd.toByteArray();
                ByteOrderUtil.swap(b, 0, b.length - b.length % vr.unitSize(), vr.unitSize());
                gen.writeBinary(b);
            } else {
                try (InputStream in = bd.openStream()) {
                    if (bd.length() > Integer.MAX_VALUE) {
                        throw new DicomJsonException(here, "bulk value of " + bd.length()
                                + " bytes is too large for InlineBinary; a BulkDataURI is needed");
                    }
                    gen.writeBinary(in, (int) bd.length());
                }
            }
        }
    }

    private static byte[] bytes(Dataset ds, int tag, String here) throws DicomJsonException {
        try {
            return ds.getBytes(tag);
        } catch (RuntimeException e) {
            throw new DicomJsonException(here, "value cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static String[] strings(Dataset ds, int tag, String here) throws DicomJsonException {
        try {
            return ds.getStrings(tag);
        } catch (RuntimeException e) {
            throw new DicomJsonException(here, "text cannot be decoded with the Specific Character Set ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static String hex8(int tag) {
        String h = Integer.toHexString(tag).toUpperCase(java.util.Locale.ROOT);
        return "00000000".substring(h.length()) + h;
    }

    @Override
    public void flush() throws IOException {
        gen.flush();
    }

    /** Flushes and closes the generator; the target stream stays open. */
    @Override
    public void close() throws IOException {
        gen.close();
    }
}
