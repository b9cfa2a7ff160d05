package org.cameldicomsecure.web.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;

class DicomJsonTest {

    private static List<Dataset> read(String json) throws IOException {
        return new DicomJsonReader().readAll(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String write(Dataset ds) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomJsonWriter.write(ds, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static DicomJsonException readError(String json) {
        return assertThrows(DicomJsonException.class, () -> read(json));
    }

    /** PS3.18 F.4 (comments removed, the URL the page layout broke re-joined): the QIDO-RS example of two studies. */
    @Test
    void readsTheExampleOfPs3_18_F4() throws IOException {
        List<Dataset> all;
        try (InputStream in = DicomJsonTest.class.getResourceAsStream("ps3.18-F.4-example.json")) {
            all = new DicomJsonReader().readAll(in);
        }
        assertEquals(2, all.size());
        Dataset a = all.get(0);
        assertEquals("ISO_IR 192", a.getString(Tag.SpecificCharacterSet));
        assertEquals("20130409", a.getString(Tag.StudyDate));
        assertEquals(List.of("CT", "PET"), List.of(a.getStrings(Tag.ModalitiesInStudy)));
        assertEquals("^Bob^^Dr.", a.getString(Tag.ReferringPhysicianName));
        assertEquals("Wang^XiaoDong=王^小東", a.getString(Tag.PatientName));
        assertEquals("http://wado.nema.org/studies/1.2.392.200036.9116.2.2.2.1762893313.1029997326.945873",
                a.getString(Tag.RetrieveURL));
        assertEquals(VR.UN, a.vrOf(0x00091002));
        assertArrayEquals(Base64.getDecoder().decode("z0x9c8v7"), a.getBytes(0x00091002));
        Sequence other = a.getSequence(Tag.OtherPatientIDsSequence);
        assertEquals(2, other.size());
        assertEquals("24680", other.get(1).getString(Tag.PatientID));
        assertEquals(4, a.getInt(Tag.NumberOfStudyRelatedSeries, -1));
        assertEquals(942, a.getInt(Tag.NumberOfStudyRelatedInstances, -1));
        // and back: the writer gives a document the reader turns into the same data sets
        for (Dataset ds : all) {
            Dataset again = read(write(ds)).get(0);
            assertEquals(write(ds), write(again));
            assertEquals(ds.describeTags(), again.describeTags());
        }
    }

    @Test
    void valueBeforeVrAsJsonCppAndOrthancWriteIt() throws IOException {
        String json = "{\"00081199\":{\"Value\":[{\"00081150\":{\"Value\":[\"1.2.840.10008.5.1.4.1.1.7\"],\"vr\":\"UI\"},"
                + "\"00081155\":{\"Value\":[\"1.2.3\"],\"vr\":\"UI\"}},{}],\"vr\":\"SQ\"},"
                + "\"00100010\":{\"Value\":[{\"Alphabetic\":\"Doe^John\"}],\"vr\":\"PN\"},"
                + "\"00201206\":{\"Value\":[3],\"vr\":\"IS\"},"
                + "\"00280010\":{\"Value\":[512],\"vr\":\"US\"}}";
        Dataset ds = read(json).get(0);
        Sequence s = ds.getSequence(Tag.ReferencedSOPSequence);
        assertEquals(2, s.size());
        assertEquals("1.2.3", s.get(0).getString(Tag.ReferencedSOPInstanceUID));
        assertTrue(s.get(1).isEmpty());
        assertEquals("Doe^John", ds.getString(Tag.PatientName));
        assertEquals(3, ds.getInt(Tag.NumberOfStudyRelatedSeries, -1));
        assertEquals(512, ds.getInt(Tag.Rows, -1));
    }

    @Test
    void everyVrRoundTripsThroughJsonAndAPart10Encoding() throws IOException {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "", "AXIAL");
        ds.setString(Tag.StudyDate, VR.DA, "20240101");
        ds.setString(Tag.RetrieveAETitle, VR.AE, "ORTHANC");
        ds.setString(Tag.PatientName, VR.PN, "Müller^Jürgen=ミュラー^ユルゲン", "", "Doe^Jane");
        ds.setString(Tag.AdditionalPatientHistory, VR.LT, "line1\r\nline2 \\ with backslash");
        ds.setString(Tag.PixelSpacing, VR.DS, "+0.5", "1e3");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4.5");
        ds.setString(Tag.SliceThickness, VR.DS, "1.25");
        ds.setString(Tag.InstanceNumber, VR.IS, "007");
        ds.setString(Tag.SeriesNumber, VR.IS, "-12");
        ds.setString(Tag.TextValue, VR.UT, "unlimited text");
        ds.setString(Tag.SelectorSTValue, VR.ST, "short text");
        ds.setString(Tag.SelectorUCValue, VR.UC, "uc1", "uc2");
        ds.setString(Tag.SelectorURValue, VR.UR, "https://example.org/a b");
        ds.setInt(Tag.PixelPaddingValue, VR.SS, -2000);
        ds.setInt(Tag.SimpleFrameList, VR.UL, -1, 7);
        ds.setInt(Tag.ReferencePixelX0, VR.SL, Integer.MIN_VALUE);
        ds.setInt(Tag.Rows, VR.US, 65535);
        ds.setBytes(Tag.FrameIncrementPointer, VR.AT, new byte[] {0x18, 0, 0x63, 0x10, 0x28, 0, 0x09, 0});
        ds.setBytes(Tag.RecommendedDisplayFrameRateInFloat, VR.FL, le32(Float.floatToIntBits(29.97f)));
        ds.setBytes(Tag.SelectorFDValue, VR.FD, concat(le64(Double.doubleToLongBits(Math.PI)),
                le64(Double.doubleToLongBits(Double.NaN))));
        ds.setBytes(Tag.SelectorSVValue, VR.SV, le64(Long.MIN_VALUE));
        ds.setBytes(Tag.SelectorUVValue, VR.UV, le64(-1L)); // 2^64 - 1
        ds.setBytes(Tag.SelectorOBValue, VR.OB, new byte[] {1, 2, 3, 4});
        ds.setBytes(Tag.SelectorOWValue, VR.OW, new byte[] {1, 2, 3, 4});
        ds.setBytes(Tag.SelectorOFValue, VR.OF, le32(Float.floatToIntBits(1.5f)));
        ds.setBytes(Tag.SelectorODValue, VR.OD, le64(Double.doubleToLongBits(2.5)));
        ds.setBytes(Tag.SelectorOLValue, VR.OL, le32(42));
        ds.setBytes(Tag.SelectorOVValue, VR.OV, le64(43));
        ds.setBytes(0x00091010, VR.UN, new byte[] {9, 8});
        ds.setBytes(Tag.StudyDescription, VR.LO, new byte[0]);
        Sequence seq = ds.newSequence(Tag.ReferencedSOPSequence);
        seq.addItem().setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3");
        seq.addItem();
        ds.newSequence(Tag.OtherPatientIDsSequence);

        String json = write(ds);
        assertFalse(json.contains("\"00020000\""));
        assertTrue(json.contains("\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Müller^Jürgen\","
                + "\"Ideographic\":\"ミュラー^ユルゲン\"},null,{\"Alphabetic\":\"Doe^Jane\"}]}"), json);
        assertTrue(json.contains("\"00080008\":{\"vr\":\"CS\",\"Value\":[\"ORIGINAL\",null,\"AXIAL\"]}"), json);
        assertTrue(json.contains("\"00280030\":{\"vr\":\"DS\",\"Value\":[\"+0.5\",1e3]}"), json);
        assertTrue(json.contains("\"00200013\":{\"vr\":\"IS\",\"Value\":[\"007\"]}"), json);
        assertTrue(json.contains("\"00200011\":{\"vr\":\"IS\",\"Value\":[-12]}"), json);
        assertTrue(json.contains("\"00280009\":{\"vr\":\"AT\",\"Value\":[\"00181063\",\"00280009\"]}"), json);
        assertTrue(json.contains("\"00081161\":{\"vr\":\"UL\",\"Value\":[4294967295,7]}"), json);
        assertTrue(json.contains("\"00720083\":{\"vr\":\"UV\",\"Value\":[18446744073709551615]}"), json);
        assertTrue(json.contains("\"00720082\":{\"vr\":\"SV\",\"Value\":[-9223372036854775808]}"), json);
        assertTrue(json.contains("\"00720074\":{\"vr\":\"FD\",\"Value\":[3.141592653589793,\"NaN\"]}"), json);
        assertTrue(json.contains("\"00720065\":{\"vr\":\"OB\",\"InlineBinary\":\"AQIDBA==\"}"), json);
        assertTrue(json.contains("\"00081030\":{\"vr\":\"LO\"}"), json);
        assertTrue(json.contains("\"00101002\":{\"vr\":\"SQ\"}"), json);
        assertTrue(json.contains("\"00081199\":{\"vr\":\"SQ\",\"Value\":[{\"00081155\":{\"vr\":\"UI\",\"Value\":"
                + "[\"1.2.3\"]}},{}]}"), json);

        Dataset back = read(json).get(0);
        assertEquals(json, write(back));
        assertEquals(ds.describeTags(), back.describeTags());
        for (int tag : ds.tags()) {
            if (ds.vrOf(tag) != VR.SQ) {
                assertArrayEquals(ds.getBytes(tag), back.getBytes(tag), Tag.toString(tag));
            }
        }
        // the JSON data set is a valid DICOM data set: encodes and re-parses
        DicomWriter w = new DicomWriter();
        ByteArrayOutputStream enc = new ByteArrayOutputStream();
        w.writeDataset(back, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, enc);
        Dataset parsed = new DicomReader().readDataset(enc.toByteArray(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertEquals(json, write(parsed));
    }

    @Test
    void nonAsciiTextGetsUtf8CharacterSet() throws IOException {
        Dataset ds = read("[{\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 100\"]},"
                + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Ŝ^Ő\"}]}}]").get(0);
        assertEquals("ISO_IR 192", ds.getString(Tag.SpecificCharacterSet));
        assertEquals("Ŝ^Ő", ds.getString(Tag.PatientName));
        Dataset ascii = read("{\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 100\"]},"
                + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe\"}]}}").get(0);
        assertEquals("ISO_IR 192", ascii.getString(Tag.SpecificCharacterSet));
        Dataset none = read("{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe\"}]}}").get(0);
        assertFalse(none.contains(Tag.SpecificCharacterSet));
        Dataset unknown = read("{\"00080005\":{\"vr\":\"CS\",\"Value\":[\"NO SUCH TERM\"]},"
                + "\"00080050\":{\"vr\":\"SH\",\"Value\":[\"A1\"]}}").get(0);
        assertEquals("A1", unknown.getString(Tag.AccessionNumber));
    }

    @Test
    void bulkDataUriIsKept() throws IOException {
        String json = "{\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"https://h/studies/1/bulk/7FE00010\"}}";
        Dataset ds = read(json).get(0);
        BulkDataUri ref = assertInstanceOf(BulkDataUri.class, ds.value(Tag.PixelData));
        assertEquals("https://h/studies/1/bulk/7FE00010", ref.uri());
        assertEquals(json, write(ds));
        assertThrows(IOException.class, () -> new DicomWriter().writeDataset(ds,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, new ByteArrayOutputStream()));
        assertEquals("{\"7FE00010\":{\"vr\":\"OB\",\"BulkDataURI\":\"u\"}}", writeWithUris());
    }

    private static String writeWithUris() throws IOException {
        Dataset ds = new Dataset();
        ds.setBytes(Tag.PixelData, VR.OB, new byte[100]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DicomJsonWriter w = new DicomJsonWriter(out).bulkDataUris(e -> e.tag() == Tag.PixelData ? "u" : null)) {
            w.write(ds);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void arrayOfDatasetsIsStreamed() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Dataset a = new Dataset();
        a.setString(Tag.StudyInstanceUID, VR.UI, "1.1");
        Dataset b = new Dataset();
        b.setString(Tag.StudyInstanceUID, VR.UI, "1.2");
        DicomJsonWriter.writeArray(List.of(a, b), out);
        assertEquals("[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.1\"]}},{\"0020000D\":{\"vr\":\"UI\","
                + "\"Value\":[\"1.2\"]}}]", out.toString(StandardCharsets.UTF_8));
        List<String> seen = new java.util.ArrayList<>();
        int n = new DicomJsonReader().read(new ByteArrayInputStream(out.toByteArray()),
                ds -> seen.add(ds.getString(Tag.StudyInstanceUID)));
        assertEquals(2, n);
        assertEquals(List.of("1.1", "1.2"), seen);
        assertEquals(0, read("[]").size());
    }

    @Test
    void malformedInputsNameThePathAndTheProblemNeverTheValue() {
        assertEquals("malformed JSON at line 1, column 2", readError("{x").getMessage().replaceAll(
                "column \\d+", "column 2"));
        assertTrue(readError("").getMessage().startsWith("empty document"));
        assertTrue(readError("\"x\"").getMessage().startsWith("a JSON array or object is expected, found a string"));
        assertTrue(readError("[1]").getMessage().startsWith("[0]: a data set object is expected, found a number"));
        assertTrue(readError("{\"0010001\":{}}").getMessage().contains("attribute name is not 8 hexadecimal digits"));
        assertTrue(readError("{\"00100010\":{\"Value\":[\"SECRET\"]}}").getMessage()
                .startsWith("(0010,0010): attribute has no \"vr\""));
        DicomJsonException e = readError("{\"00100010\":{\"vr\":\"XX\"}}");
        assertEquals("(0010,0010)", e.path());
        assertTrue(e.getMessage().contains("is not a Value Representation"));
        e = readError("{\"00280010\":{\"vr\":\"US\",\"Value\":[70000]}}");
        assertTrue(e.getMessage().startsWith("(0028,0010) Value[0]: VR US value is out of range"), e.getMessage());
        assertFalse(e.getMessage().contains("70000"));
        e = readError("{\"00280010\":{\"vr\":\"US\",\"Value\":[\"SECRET\"]}}");
        assertFalse(e.getMessage().contains("SECRET"));
        e = readError("{\"00081199\":{\"vr\":\"SQ\",\"Value\":[{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"A\\\\B\"]}}]}}");
        assertTrue(e.getMessage().startsWith("(0008,1199)[0].(0010,0020) Value[0]: value contains a backslash"),
                e.getMessage());
        e = readError("{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.é\"]}}");
        assertTrue(e.getMessage().contains("allows only the default character repertoire"));
        e = readError("{\"00091002\":{\"vr\":\"UN\",\"InlineBinary\":\"***\"}}");
        assertTrue(e.getMessage().contains("not valid base64"));
        e = readError("{\"00091002\":{\"vr\":\"OB\",\"Value\":[1]}}");
        assertTrue(e.getMessage().contains("InlineBinary or BulkDataURI is expected"));
        e = readError("{\"00100010\":{\"vr\":\"PN\",\"Value\":[\"a\"],\"InlineBinary\":\"AA==\"}}");
        assertTrue(e.getMessage().contains("more than one of"));
        e = readError("{\"00100010\":{\"vr\":\"LO\"},\"00100010\":{\"vr\":\"LO\"}}");
        assertTrue(e.getMessage().startsWith("duplicate member name"), e.getMessage());
        e = readError("{\"00280010\":{\"vr\":\"US\",\"Value\":[null]}}");
        assertTrue(e.getMessage().contains("empty values cannot be encoded in a binary VR"));
        e = readError("{\"00100010\":{\"vr\":\"LT\",\"Value\":[\"a\",\"b\"]}}");
        assertTrue(e.getMessage().contains("VR LT allows one value"));
        e = readError("{\"00280010\":{\"Value\":[{\"00100010\":{\"vr\":\"LO\"}}],\"vr\":\"US\"}}");
        assertTrue(e.getMessage().contains("only SQ has items"), e.getMessage());
        e = readError("{} {}");
        assertTrue(e.getMessage().contains("content after the end"), e.getMessage());
    }

    @Test
    void nestingIsLimited() {
        StringBuilder sb = new StringBuilder();
        int depth = 70;
        for (int i = 0; i < depth; i++) {
            sb.append("{\"00081199\":{\"vr\":\"SQ\",\"Value\":[");
        }
        sb.append("{}");
        for (int i = 0; i < depth; i++) {
            sb.append("]}}");
        }
        DicomJsonException e = readError(sb.toString());
        assertTrue(e.getMessage().contains("sequences nested deeper than 64 levels"), e.getMessage());
    }

    @Test
    void readOneWantsExactlyOne() throws IOException {
        DicomJsonReader r = new DicomJsonReader();
        assertEquals(0, r.readOne(new ByteArrayInputStream("[{}]".getBytes(StandardCharsets.UTF_8))).size());
        assertThrows(DicomJsonException.class,
                () -> r.readOne(new ByteArrayInputStream("[{},{}]".getBytes(StandardCharsets.UTF_8))));
        assertNull(null);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    private static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >> (8 * i));
        }
        return b;
    }
}
