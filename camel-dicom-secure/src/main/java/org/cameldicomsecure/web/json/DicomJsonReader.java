package org.cameldicomsecure.web.json;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;

/**
 * Reads the DICOM JSON Model (PS3.18 Annex F) with jackson-core's streaming {@link JsonParser}: a top-level array of
 * data set objects (F.2.1) or one object. The array is streamed: each data set is built and handed out before the next
 * is read ({@link #read(InputStream, Consumer)}); within one data set, each attribute object is read whole (its members
 * may come in any order), then converted by its VR (Table F.2.3-1), the inverse of {@link DicomJsonWriter}.
 *
 * <p>Text is stored UTF-8 encoded: a data set that has non-ASCII text in a VR subject to the Specific Character Set,
 * or a (0008,0005) of its own, gets (0008,0005) "ISO_IR 192" (F.2: the repertoire of DICOM JSON is UTF-8), replacing
 * what the document said (the text is Unicode whatever the document's term, which may even be unknown). BulkDataURI values become {@link BulkDataUri}s; InlineBinary is
 * decoded (little endian, F.2.7). Errors are {@link DicomJsonException}s naming the element's path, the problem and
 * the line and column, never a value. Limits: nesting depth of sequences ({@link #maxDepth(int)}, default 64), and
 * jackson's default string and number length limits.
 */
public final class DicomJsonReader {

    private static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    private static final String UTF8_TERM = "ISO_IR 192";

    private int maxDepth = 64;
    private final JsonFactory factory;

    public DicomJsonReader() {
        this.factory = JsonFactory.builder()
                .disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE)
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).build())
                .build();
    }

    /** Most nested sequence levels accepted (default 64). */
    public DicomJsonReader maxDepth(int depth) {
        if (depth < 1 || depth > 400) {
            throw new IllegalArgumentException("maxDepth must be 1..400");
        }
        this.maxDepth = depth;
        return this;
    }

    /** All data sets of {@code in}: an array of objects, or one object (a list of one). The stream is not closed. */
    public List<Dataset> readAll(InputStream in) throws IOException {
        List<Dataset> out = new ArrayList<>();
        read(in, out::add);
        return out;
    }

    /** Exactly one data set: one object, or an array of exactly one. */
    public Dataset readOne(InputStream in) throws IOException {
        List<Dataset> all = readAll(in);
        if (all.size() != 1) {
            throw new DicomJsonException("", "one data set expected, the document has " + all.size());
        }
        return all.get(0);
    }

    /** Hands each data set of {@code in} to {@code sink} as soon as it is read; returns how many there were. */
    public int read(InputStream in, Consumer<Dataset> sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        try (JsonParser p = factory.createParser(Objects.requireNonNull(in, "in"))) {
            JsonToken t = p.nextToken();
            int count = 0;
            if (t == null) {
                throw error(p, "", "empty document: a JSON array or object is expected");
            }
            if (t == JsonToken.START_OBJECT) {
                sink.accept(dataset(p, "", null, 0));
                count = 1;
            } else if (t == JsonToken.START_ARRAY) {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.START_OBJECT) {
                        throw error(p, "[" + count + "]", "a data set object is expected, found " + describe(t));
                    }
                    sink.accept(dataset(p, "[" + count + "]", null, 0));
                    count++;
                }
            } else {
                throw error(p, "", "a JSON array or object is expected, found " + describe(t));
            }
            if (p.nextToken() != null) {
                throw error(p, "", "content after the end of the document");
            }
            return count;
        } catch (java.io.CharConversionException e) {
            throw new DicomJsonException("", "the document is not in a Unicode encoding (UTF-8 is expected)", e);
        } catch (StreamConstraintsException e) {
            throw new DicomJsonException("", "document exceeds a parser limit: " + e.getOriginalMessage(), e);
        } catch (JsonParseException e) {
            JsonLocation l = e.getLocation();
            String what = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "duplicate member name (an attribute or a member given twice)" : "malformed JSON";
            throw new DicomJsonException("", what + (l == null ? "" : " at line " + l.getLineNr()
                    + ", column " + l.getColumnNr()), e);
        }
    }

    /** Convenience: {@code new DicomJsonReader().readAll(in)}. */
    public static List<Dataset> parse(InputStream in) throws IOException {
        return new DicomJsonReader().readAll(in);
    }

    // --- data sets ------------------------------------------------------------------------------------------------

    /** Tracks non-ASCII text in the top-level data set and its items. */
    private static final class Top {
        boolean nonAscii;
        final List<Dataset> withCharset = new ArrayList<>();
    }

    /** Reads the object at START_OBJECT into {@code target} (a new data set, or an item of a sequence). */
    private Dataset dataset(JsonParser p, String path, Dataset target, int depth) throws IOException {
        Dataset ds = target != null ? target : new Dataset();
        Top top = target == null ? new Top() : null;
        readInto(p, path, ds, depth, top != null ? top : currentTop, null);
        if (top != null) {
            finishCharset(ds, top);
        }
        return ds;
    }

    private Top currentTop;

    /** Reads attributes up to END_OBJECT; {@code first}, if not null, is the already current first FIELD_NAME. */
    private void readInto(JsonParser p, String path, Dataset ds, int depth, Top top, JsonToken first)
            throws IOException {
        Top saved = currentTop;
        currentTop = top;
        try {
            Set<Integer> seen = new HashSet<>();
            JsonToken t = first != null ? first : p.nextToken();
            for (; t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                int tag = parseTag(p, path, name);
                String here = join(path, Tag.toString(tag));
                if (!seen.add(tag)) {
                    throw error(p, here, "attribute given twice");
                }
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw error(p, here, "an attribute object is expected, found " + describe(p.currentToken()));
                }
                attribute(p, here, ds, tag, depth, top);
            }
        } finally {
            currentTop = saved;
        }
    }

    private static boolean isHex8(String name) {
        if (name == null || name.length() != 8) {
            return false;
        }
        for (int i = 0; i < 8; i++) {
            if (Character.digit(name.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int parseTag(JsonParser p, String path, String name) throws DicomJsonException {
        if (name == null || name.length() != 8) {
            throw error(p, path, "attribute name is not 8 hexadecimal digits");
        }
        int tag = 0;
        for (int i = 0; i < 8; i++) {
            int d = Character.digit(name.charAt(i), 16);
            if (d < 0) {
                throw error(p, path, "attribute name is not 8 hexadecimal digits");
            }
            tag = (tag << 4) | d;
        }
        return tag;
    }

    // --- one attribute object -------------------------------------------------------------------------------------

    /** One JSON value of a "Value" array, read before the VR is known. */
    private record Num(String text, boolean integral) {
    }

    private void attribute(JsonParser p, String here, Dataset ds, int tag, int depth, Top top) throws IOException {
        VR vr = null;
        List<Object> values = null;
        String inline = null;
        String bulkUri = null;
        // the attribute object is read as a whole, so "vr" may follow "Value" (JSON members are unordered); sequence
        // items are parsed straight into the data set, which needs "vr" first (as every implementation writes it)
        Sequence seq = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            String member = p.currentName();
            t = p.nextToken();
            switch (member) {
                case "vr" -> {
                    if (t != JsonToken.VALUE_STRING) {
                        throw error(p, here, "\"vr\" is not a string");
                    }
                    vr = vrOf(p, here, p.getText());
                }
                case "Value" -> {
                    if (t != JsonToken.START_ARRAY) {
                        throw error(p, here, "\"Value\" is not an array");
                    }
                    if (vr == VR.SQ) {
                        seq = ds.newSequence(tag);
                        items(p, here, seq, depth, top, null);
                        values = List.of();
                    } else if (vr != null) {
                        values = valueArray(p, here, vr, null);
                    } else {
                        // "Value" before "vr" (JsonCpp, hence Orthanc, sorts "Value" first): an array of objects whose
                        // first member is a tag, or empty, is a sequence; anything else is read as values
                        JsonToken first = p.nextToken();
                        JsonToken second = first == JsonToken.START_OBJECT ? p.nextToken() : null;
                        if (second == JsonToken.END_OBJECT
                                || (second == JsonToken.FIELD_NAME && isHex8(p.currentName()))) {
                            seq = ds.newSequence(tag);
                            items(p, here, seq, depth, top, second);
                            values = List.of();
                        } else {
                            values = valueArray(p, here, null, first == JsonToken.START_OBJECT ? second : first);
                        }
                    }
                }
                case "InlineBinary" -> {
                    if (t != JsonToken.VALUE_STRING) {
                        throw error(p, here, "\"InlineBinary\" is not a string");
                    }
                    inline = p.getText();
                }
                case "BulkDataURI" -> {
                    if (t != JsonToken.VALUE_STRING) {
                        throw error(p, here, "\"BulkDataURI\" is not a string");
                    }
                    bulkUri = p.getText();
                }
                default -> p.skipChildren(); // unknown members (e.g. "keyword") are ignored
            }
        }
        if (vr == null) {
            throw error(p, here, "attribute has no \"vr\"");
        }
        int given = (values != null ? 1 : 0) + (inline != null ? 1 : 0) + (bulkUri != null ? 1 : 0);
        if (given > 1) {
            throw error(p, here, "attribute has more than one of \"Value\", \"InlineBinary\" and \"BulkDataURI\"");
        }
        if (Tag.isGroupLength(tag)) {
            return; // F.2.2: group lengths are not part of the model; ignored when present
        }
        if (vr == VR.SQ) {
            if (inline != null || bulkUri != null) {
                throw error(p, here, "VR SQ has \"InlineBinary\" or \"BulkDataURI\"");
            }
            if (seq == null) {
                if (values != null && !values.isEmpty()) {
                    throw error(p, here, "VR SQ \"Value\" has members that are not item objects");
                }
                ds.newSequence(tag);
            }
            return;
        }
        if (seq != null) {
            ds.remove(tag);
            throw error(p, here, "VR " + vr + " has a \"Value\" of data set objects (only SQ has items)");
        }
        if (values != null && values.contains(SEQUENCE_BEFORE_VR)) {
            throw error(p, here, "VR " + vr + " value is an object that is not a person name");
        }
        if (bulkUri != null) {
            if (!allowsBulkDataUri(vr)) {
                throw error(p, here, "VR " + vr + " cannot have a \"BulkDataURI\" (F.2.2)");
            }
            ds.setBulkData(tag, vr, new BulkDataUri(bulkUri));
            return;
        }
        if (inline != null) {
            if (!isOther(vr)) {
                throw error(p, here, "VR " + vr + " cannot have \"InlineBinary\" (F.2.2)");
            }
            byte[] b;
            try {
                b = Base64.getDecoder().decode(inline.replaceAll("[\r\n\t ]", ""));
            } catch (IllegalArgumentException e) {
                throw error(p, here, "\"InlineBinary\" is not valid base64");
            }
            if (vr.unitSize() > 1 && b.length % vr.unitSize() != 0) {
                throw error(p, here, "VR " + vr + " InlineBinary of " + b.length + " bytes is not a multiple of "
                        + vr.unitSize());
            }
            ds.setBytes(tag, vr, b);
            return;
        }
        if (values == null || values.isEmpty()) {
            ds.setBytes(tag, vr, new byte[0]); // F.2.5: present but empty
            return;
        }
        if (isOther(vr)) {
            throw error(p, here, "VR " + vr + " has a \"Value\" array; InlineBinary or BulkDataURI is expected");
        }
        ds.setBytes(tag, vr, encode(p, here, vr, values, top));
        if (tag == SPECIFIC_CHARACTER_SET) {
            top.withCharset.add(ds);
        }
    }

    private static final Object SEQUENCE_BEFORE_VR = new Object();

    /**
     * Reads the items of a "Value" array up to its end. {@code inFirst}, if not null, is the current token inside the
     * first item object (whose START_OBJECT was consumed): its first FIELD_NAME, or END_OBJECT.
     */
    private void items(JsonParser p, String here, Sequence seq, int depth, Top top, JsonToken inFirst)
            throws IOException {
        if (depth + 1 > maxDepth) {
            throw error(p, here, "sequences nested deeper than " + maxDepth + " levels");
        }
        int k = 0;
        if (inFirst != null) {
            Dataset item = seq.addItem();
            if (inFirst != JsonToken.END_OBJECT) {
                readInto(p, here + "[0]", item, depth + 1, top, inFirst);
            }
            k++;
        }
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String at = here + "[" + k + "]";
            if (t == JsonToken.VALUE_NULL) {
                seq.addItem(); // tolerated: an empty item
            } else if (t != JsonToken.START_OBJECT) {
                throw error(p, at, "a sequence item object is expected, found " + describe(t));
            } else {
                readInto(p, at, seq.addItem(), depth + 1, top, null);
            }
            k++;
        }
    }

    /**
     * The members of a non-SQ "Value" array: String, Num, Map (PN) or null. {@code pending}, if not null, is the
     * current token: the first member (or END_ARRAY), or, after a consumed START_OBJECT, the first token inside it.
     */
    private List<Object> valueArray(JsonParser p, String here, VR vr, JsonToken pending) throws IOException {
        List<Object> out = new ArrayList<>();
        JsonToken t;
        if (pending == JsonToken.FIELD_NAME || pending == JsonToken.END_OBJECT) {
            Map<String, String> m = new LinkedHashMap<>();
            out.add(personNameObject(p, here + " Value[0]", m, pending) ? m : SEQUENCE_BEFORE_VR);
            pending = null;
        }
        while ((t = pending != null ? pending : p.nextToken()) != JsonToken.END_ARRAY) {
            pending = null;
            String at = here + " Value[" + out.size() + "]";
            switch (t) {
                case VALUE_NULL -> out.add(null);
                case VALUE_STRING -> out.add(p.getText());
                case VALUE_NUMBER_INT -> out.add(new Num(p.getText(), true));
                case VALUE_NUMBER_FLOAT -> out.add(new Num(p.getText(), false));
                case START_OBJECT -> {
                    if (vr == null) {
                        // an object before "vr": a PN or a sequence item; PN objects are small, items are refused
                        Map<String, String> m = new LinkedHashMap<>();
                        if (!personNameObject(p, at, m, null)) {
                            out.add(SEQUENCE_BEFORE_VR);
                        } else {
                            out.add(m);
                        }
                    } else {
                        Map<String, String> m = new LinkedHashMap<>();
                        if (!personNameObject(p, at, m, null)) {
                            throw error(p, at, "an object is allowed only for VR PN and SQ, this is VR " + vr);
                        }
                        out.add(m);
                    }
                }
                default -> throw error(p, at, "unexpected " + describe(t) + " in \"Value\"");
            }
        }
        return out;
    }

    /** Reads a PN object; false (and the object skipped) if it has a member that is not a PN component group. */
    private static boolean personNameObject(JsonParser p, String at, Map<String, String> m, JsonToken pending)
            throws IOException {
        boolean pn = true;
        JsonToken t;
        while ((t = pending != null ? pending : p.nextToken()) != JsonToken.END_OBJECT) {
            pending = null;
            String name = p.currentName();
            t = p.nextToken();
            if (pn && (name.equals("Alphabetic") || name.equals("Ideographic") || name.equals("Phonetic"))
                    && (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NULL)) {
                if (t == JsonToken.VALUE_STRING) {
                    m.put(name, p.getText());
                }
            } else {
                pn = false;
                p.skipChildren();
            }
        }
        return pn;
    }

    // --- values by VR --------------------------------------------------------------------------------------------

    private byte[] encode(JsonParser p, String here, VR vr, List<Object> values, Top top) throws DicomJsonException {
        switch (vr) {
            case AT, US, SS, UL, SL, FL, FD, SV, UV -> {
                int unit = vr == VR.AT ? 4 : vr.unitSize();
                byte[] b = new byte[values.size() * unit];
                for (int i = 0; i < values.size(); i++) {
                    binary(p, here + " Value[" + i + "]", vr, values.get(i), b, i * unit);
                }
                return b;
            }
            default -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < values.size(); i++) {
                    String at = here + " Value[" + i + "]";
                    if (i > 0) {
                        if (!vr.multiValued()) {
                            throw error(p, here, "VR " + vr + " allows one value, \"Value\" has " + values.size());
                        }
                        sb.append('\\');
                    }
                    String s = text(p, at, vr, values.get(i));
                    if (vr.multiValued() && s.indexOf('\\') >= 0) {
                        throw error(p, at, "value contains a backslash, the value delimiter of VR " + vr);
                    }
                    sb.append(s);
                }
                String joined = sb.toString();
                boolean ascii = isAscii(joined);
                if (!ascii && !vr.usesSpecificCharacterSet()) {
                    throw error(p, here, "VR " + vr + " allows only the default character repertoire");
                }
                if (!ascii) {
                    top.nonAscii = true;
                }
                return joined.getBytes(ascii ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8);
            }
        }
    }

    private static String text(JsonParser p, String at, VR vr, Object v) throws DicomJsonException {
        if (v == null) {
            return "";
        }
        if (vr == VR.PN) {
            if (v instanceof String s) {
                return s; // tolerated: the DICOM form "A=I=P" as a string
            }
            if (v instanceof Map<?, ?> m) {
                String[] g = {(String) m.get("Alphabetic"), (String) m.get("Ideographic"), (String) m.get("Phonetic")};
                int last = g[2] != null ? 2 : g[1] != null ? 1 : 0;
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i <= last; i++) {
                    if (i > 0) {
                        sb.append('=');
                    }
                    if (g[i] != null) {
                        if (g[i].indexOf('=') >= 0) {
                            throw error(p, at, "a PN component group contains '='");
                        }
                        sb.append(g[i]);
                    }
                }
                return sb.toString();
            }
            throw error(p, at, "VR PN value is a " + kind(v) + ", an object is expected");
        }
        if (v instanceof Num n) {
            if (vr == VR.IS || vr == VR.DS) {
                if (vr == VR.IS && !n.integral()) {
                    throw error(p, at, "VR IS value is not an integer");
                }
                return n.text();
            }
            throw error(p, at, "VR " + vr + " value is a number, a string is expected");
        }
        if (v instanceof String s) {
            return s;
        }
        throw error(p, at, "VR " + vr + " value is a " + kind(v) + ", a string is expected");
    }

    private static void binary(JsonParser p, String at, VR vr, Object v, byte[] b, int off)
            throws DicomJsonException {
        if (v == null) {
            throw error(p, at, "VR " + vr + " value is null: empty values cannot be encoded in a binary VR");
        }
        if (vr == VR.AT) {
            if (!(v instanceof String s) || s.length() != 8) {
                throw error(p, at, "VR AT value is not 8 hexadecimal digits");
            }
            int tag = parseTag(p, at, s);
            ByteOrderUtil.putUint16(b, off, tag >>> 16, false);
            ByteOrderUtil.putUint16(b, off + 2, tag & 0xFFFF, false);
            return;
        }
        String text;
        if (v instanceof Num n) {
            text = n.text();
        } else if (v instanceof String s && (vr == VR.SV || vr == VR.UV || vr == VR.FL || vr == VR.FD)) {
            text = s.strip(); // F.2.3: SV and UV may be strings; FL/FD NaN and infinities can only be strings
        } else {
            throw error(p, at, "VR " + vr + " value is a " + kind(v) + ", a number is expected");
        }
        try {
            switch (vr) {
                case FL -> ByteOrderUtil.putInt32(b, off, Float.floatToIntBits(floatOf(text)), false);
                case FD -> ByteOrderUtil.putInt64(b, off, Double.doubleToLongBits(doubleOf(text)), false);
                default -> {
                    BigInteger i = new BigDecimal(text).toBigIntegerExact();
                    BigInteger[] range = range(vr);
                    if (i.compareTo(range[0]) < 0 || i.compareTo(range[1]) > 0) {
                        throw error(p, at, "VR " + vr + " value is out of range");
                    }
                    long l = i.longValue();
                    switch (vr) {
                        case US, SS -> ByteOrderUtil.putUint16(b, off, (int) l, false);
                        case UL, SL -> ByteOrderUtil.putInt32(b, off, (int) l, false);
                        default -> ByteOrderUtil.putInt64(b, off, l, false);
                    }
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw error(p, at, "VR " + vr + " value is not " + (vr == VR.FL || vr == VR.FD ? "a number"
                    : "an integer"));
        }
    }

    private static float floatOf(String s) {
        return switch (s) {
            case "NaN" -> Float.NaN;
            case "Infinity", "INF" -> Float.POSITIVE_INFINITY;
            case "-Infinity", "-INF" -> Float.NEGATIVE_INFINITY;
            default -> Float.parseFloat(checkDecimal(s));
        };
    }

    private static double doubleOf(String s) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "Infinity", "INF" -> Double.POSITIVE_INFINITY;
            case "-Infinity", "-INF" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(checkDecimal(s));
        };
    }

    /** Java's parser also takes hex floats and suffixes ("1f", "0x1p3"): only decimal numbers are accepted. */
    private static String checkDecimal(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                throw new NumberFormatException();
            }
        }
        return s;
    }

    private static final BigInteger[] US_RANGE = {BigInteger.ZERO, BigInteger.valueOf(0xFFFF)};
    private static final BigInteger[] SS_RANGE = {BigInteger.valueOf(Short.MIN_VALUE),
        BigInteger.valueOf(Short.MAX_VALUE)};
    private static final BigInteger[] UL_RANGE = {BigInteger.ZERO, BigInteger.valueOf(0xFFFFFFFFL)};
    private static final BigInteger[] SL_RANGE = {BigInteger.valueOf(Integer.MIN_VALUE),
        BigInteger.valueOf(Integer.MAX_VALUE)};
    private static final BigInteger[] SV_RANGE = {BigInteger.valueOf(Long.MIN_VALUE),
        BigInteger.valueOf(Long.MAX_VALUE)};
    private static final BigInteger[] UV_RANGE = {BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)};

    private static BigInteger[] range(VR vr) {
        return switch (vr) {
            case US -> US_RANGE;
            case SS -> SS_RANGE;
            case UL -> UL_RANGE;
            case SL -> SL_RANGE;
            case SV -> SV_RANGE;
            default -> UV_RANGE;
        };
    }

    private static boolean isOther(VR vr) {
        return switch (vr) {
            case OB, OD, OF, OL, OV, OW, UN -> true;
            default -> false;
        };
    }

    private static boolean allowsBulkDataUri(VR vr) {
        return switch (vr) {
            case DS, FL, FD, IS, LT, OB, OD, OF, OL, OV, OW, SL, SS, ST, SV, UC, UL, UN, US, UT, UV -> true;
            default -> false;
        };
    }

    private static VR vrOf(JsonParser p, String here, String name) throws DicomJsonException {
        if (name.length() == 2) {
            VR vr = VR.ofCode((name.charAt(0) << 8) | name.charAt(1));
            if (vr != null) {
                return vr;
            }
        }
        throw error(p, here, "\"vr\" is not a Value Representation of PS3.5");
    }

    private void finishCharset(Dataset ds, Top top) {
        if (top.nonAscii || !top.withCharset.isEmpty()) {
            ds.setString(SPECIFIC_CHARACTER_SET, VR.CS, UTF8_TERM);
            for (Dataset item : top.withCharset) {
                if (item != ds) {
                    item.setString(SPECIFIC_CHARACTER_SET, VR.CS, UTF8_TERM);
                }
            }
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String kind(Object v) {
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Num) {
            return "number";
        }
        if (v instanceof Map) {
            return "object";
        }
        return "value";
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the document";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    private static String join(String path, String tag) {
        return path.isEmpty() || path.startsWith("[") && !path.contains("(") ? path + (path.isEmpty() ? "" : ".") + tag
                : path + "." + tag;
    }

    private static DicomJsonException error(JsonParser p, String path, String problem) {
        JsonLocation l = p.currentLocation();
        return new DicomJsonException(path, problem + (l == null ? "" : " (line " + l.getLineNr() + ", column "
                + l.getColumnNr() + ")"));
    }
}
