package org.cameldicomsecure.it;

import java.nio.charset.StandardCharsets;

import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.UID;

/**
 * A dump2dcm text dump of a data set that holds every VR DCMTK 3.6.7's dump2dcm accepts (all 34 of PS3.5 Table 6.2-1:
 * AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV), with
 * multi-valued values, sequences nested three deep (and a fourth, empty one), an empty sequence, an empty item, two
 * private blocks (one inside an item), a small OW Pixel Data and extreme numbers. Tags come from {@link Tag}, never
 * typed by hand; the private ones are ours.
 *
 * <p>Two variants differ in Specific Character Set: ISO_IR 100 (Latin-1, the dump file is written in ISO-8859-1) and
 * ISO_IR 192 (UTF-8). dump2dcm copies the bytes of a value as they are in the dump.
 *
 * <p>dump2dcm's syntax, learnt by running it: text in brackets, binary values as numbers separated by backslashes
 * (OB/UN/OW in hex, OL/OV/OF/OD in decimal), AT as {@code (gggg,eeee)}; one line per element (so no CR/LF in values);
 * trailing spaces of a value are dropped.
 */
final class RichDump {

    /** The private creator of our private block (0009,10xx). */
    static final String PRIVATE_CREATOR = "CAMEL DICOM SECURE IT";

    /** Specific Character Set variants. */
    enum CharacterSet {
        LATIN1("ISO_IR 100", StandardCharsets.ISO_8859_1,
                "Müller^Jürgen", "Größe Æøå ñ", "  Façade café, crème brûlée", "Straße 1, Zürich",
                "Ça^Va\\Ölfaß^Ünal"),
        UTF8("ISO_IR 192", StandardCharsets.UTF_8,
                "山田^太郎=やまだ^たろう", "Ελληνικά Кириллица", "  日本語のテキスト ✓ 😀",
                "Straße 1, Zürich",
                "Иванов^Иван\\Παπαδόπουλος^Γιώργος");

        final String term;
        final java.nio.charset.Charset encoding;
        final String personName;
        final String longString;
        final String longText;
        final String shortText;
        final String otherNames;

        CharacterSet(String term, java.nio.charset.Charset encoding, String personName, String longString,
                String longText, String shortText, String otherNames) {
            this.term = term;
            this.encoding = encoding;
            this.personName = personName;
            this.longString = longString;
            this.longText = longText;
            this.shortText = shortText;
            this.otherNames = otherNames;
        }
    }

    private final StringBuilder b = new StringBuilder();

    private RichDump() {
    }

    /** The dump text; write it with {@link CharacterSet#encoding}. */
    static String text(CharacterSet cs) {
        return new RichDump().build(cs);
    }

    static String sopInstanceUid(CharacterSet cs) {
        return ItUids.fromName("DcmtkReadInteropIT/rich/" + cs.name());
    }

    private String build(CharacterSet cs) {
        b.append("# camel-dicom-secure integration test: rich data set, Specific Character Set ").append(cs.term)
                .append('\n');
        String sop = sopInstanceUid(cs);
        el(0, Tag.FileMetaInformationVersion, "OB", "00\\01");
        el(0, Tag.MediaStorageSOPClassUID, "UI", text(UID.SecondaryCaptureImageStorage));
        el(0, Tag.MediaStorageSOPInstanceUID, "UI", text(sop));
        el(0, Tag.TransferSyntaxUID, "UI", text(UID.ExplicitVRLittleEndian));

        el(0, Tag.SpecificCharacterSet, "CS", text(cs.term));
        el(0, Tag.ImageType, "CS", text("ORIGINAL\\PRIMARY\\OTHER"));
        el(0, Tag.SOPClassUID, "UI", text(UID.SecondaryCaptureImageStorage));
        el(0, Tag.SOPInstanceUID, "UI", text(sop));
        el(0, Tag.StudyDate, "DA", text("20240229"));
        el(0, Tag.AcquisitionDateTime, "DT", text("20240229101112.123456+0100"));
        el(0, Tag.StudyTime, "TM", text("101112.123456"));
        el(0, Tag.RetrieveAETitle, "AE", text("AE_ONE\\AE TWO"));
        el(0, Tag.Modality, "CS", text("OT"));
        el(0, Tag.InstitutionAddress, "ST", text(cs.shortText));
        el(0, Tag.ManufacturerModelName, "LO", text(cs.longString));
        sq(0, Tag.ReferencedSeriesSequence, 0);                 // an empty sequence
        end(0);
        sq(0, Tag.ReferencedImageSequence, 1);
        item(1, 4);
        el(2, Tag.ReferencedSOPClassUID, "UI", text(UID.SecondaryCaptureImageStorage));
        el(2, Tag.ReferencedSOPInstanceUID, "UI", text(ItUids.fromName("referenced image")));
        el(2, 0x00090010, "LO", text(PRIVATE_CREATOR));       // a private block inside an item
        el(2, 0x00091001, "LO", text("private in item"));
        endItem(1);
        end(0);
        el(0, 0x00090010, "LO", text(PRIVATE_CREATOR));
        el(0, 0x00090011, "LO", text(PRIVATE_CREATOR + " 2"));
        el(0, 0x00091001, "LO", text("private long string"));
        el(0, 0x00091002, "US", "42\\43\\65535");
        el(0, 0x00091003, "OB", "01\\02\\03\\fe");
        el(0, 0x00091004, "SH", text("private sh"));
        el(0, 0x00091005, "FD", "2.5\\-0.125");
        el(0, 0x00091101, "DS", text("1.5\\-2.25"));
        el(0, Tag.PatientName, "PN", text(cs.personName));
        el(0, Tag.PatientID, "LO", text("PID-0001"));
        el(0, Tag.OtherPatientNames, "PN", text(cs.otherNames));
        el(0, Tag.PatientAge, "AS", text("042Y"));
        el(0, Tag.PatientComments, "LT", text(cs.longText));
        el(0, Tag.AcquisitionMatrix, "US", "64\\0\\0\\64");
        el(0, Tag.InstanceNumber, "IS", text("7"));
        el(0, Tag.SamplesPerPixel, "US", "1");
        el(0, Tag.PhotometricInterpretation, "CS", text("MONOCHROME2"));
        el(0, Tag.Rows, "US", "2");
        el(0, Tag.Columns, "US", "2");
        el(0, Tag.PixelSpacing, "DS", text("0.5\\0.25"));
        el(0, Tag.BitsAllocated, "US", "16");
        el(0, Tag.BitsStored, "US", "12");
        el(0, Tag.HighBit, "US", "11");
        el(0, Tag.PixelRepresentation, "US", "1");
        // US or SS in PS3.6: SS because Pixel Representation is 1, in every transfer syntax
        el(0, Tag.SmallestImagePixelValue, "SS", "-5");
        el(0, Tag.LargestImagePixelValue, "SS", "100");
        // three levels of sequences, a fourth empty one, and an empty item
        sq(0, Tag.RequestAttributesSequence, 2);
        item(1, 2);
        el(2, Tag.ScheduledProcedureStepDescription, "LO", text(cs.longString));
        sq(2, Tag.ScheduledProtocolCodeSequence, 1);
        item(3, 4);
        el(4, Tag.CodeValue, "SH", text("IT-1"));
        el(4, Tag.CodingSchemeDesignator, "SH", text("99CDS"));
        el(4, Tag.CodeMeaning, "LO", text(cs.longString));
        sq(4, Tag.ProtocolContextSequence, 1);
        item(5, 3);
        el(6, Tag.ValueType, "CS", text("TEXT"));
        sq(6, Tag.ConceptNameCodeSequence, 0);
        end(6);
        el(6, Tag.TextValue, "UT", text(cs.longText + " \\ with a backslash"));
        endItem(5);
        end(4);
        endItem(3);
        end(2);
        endItem(1);
        item(1, 0); // an empty item
        endItem(1);
        end(0);
        el(0, Tag.TextValue, "UT", text("top-level UT " + cs.longText));
        // one element of each VR, in the Selector Attribute Value family (0072,0060-0083)
        el(0, Tag.SelectorATValue, "AT", "(0010,0010)\\(7fe0,0010)\\(0009,1001)");
        el(0, Tag.SelectorDAValue, "DA", text("20240102\\19000101"));
        el(0, Tag.SelectorCSValue, "CS", text("A\\B C\\D_E"));
        el(0, Tag.SelectorDTValue, "DT", text("20240102030405.123456+0100\\2024"));
        el(0, Tag.SelectorISValue, "IS", text("1\\-2\\+3\\2147483647"));
        el(0, Tag.SelectorOBValue, "OB", "00\\01\\7f\\80\\ff");                  // odd: padded to 6
        el(0, Tag.SelectorLOValue, "LO", text(" lead\\" + cs.longString));
        el(0, Tag.SelectorOFValue, "OF", "1.5\\-2.25\\3.4028235e38\\1.4e-45");
        el(0, Tag.SelectorLTValue, "LT", text("  two leading spaces \\ kept"));
        el(0, Tag.SelectorOWValue, "OW", "0001\\ffff\\1234\\8000");
        el(0, Tag.SelectorPNValue, "PN", text("Doe^John^^Dr.\\" + cs.personName));
        el(0, Tag.SelectorTMValue, "TM", text("010203.5\\2359\\00"));
        el(0, Tag.SelectorSHValue, "SH", text("sh1\\sh2"));
        el(0, Tag.SelectorUNValue, "UN", "01\\02\\03\\04");
        el(0, Tag.SelectorSTValue, "ST", text(cs.shortText + " \\ one value"));
        el(0, Tag.SelectorUCValue, "UC", text("uc1\\" + cs.longString));
        el(0, Tag.SelectorUTValue, "UT", text(cs.longText));
        el(0, Tag.SelectorURValue, "UR", text("http://example.com/a?b=c&d=%20e"));
        el(0, Tag.SelectorDSValue, "DS", text("1.5\\-2e3\\0.0\\+7"));
        el(0, Tag.SelectorODValue, "OD", "1.5\\-2.5\\1e300");
        el(0, Tag.SelectorFDValue, "FD", "3.141592653589793\\-0.5\\1e-300");
        el(0, Tag.SelectorOLValue, "OL", "1\\4294967295\\2147483648");
        el(0, Tag.SelectorFLValue, "FL", "1.25\\-0.1\\16777216");
        el(0, Tag.SelectorULValue, "UL", "0\\4294967295");
        el(0, Tag.SelectorUSValue, "US", "0\\65535");
        el(0, Tag.SelectorSLValue, "SL", "-2147483648\\2147483647");
        el(0, Tag.SelectorSSValue, "SS", "-32768\\32767\\-1");
        el(0, Tag.SelectorUIValue, "UI", text("1.2.3\\" + UID.ExplicitVRLittleEndian));
        el(0, Tag.SelectorOVValue, "OV", "1\\18446744073709551615");
        el(0, Tag.SelectorSVValue, "SV", "-9223372036854775808\\9223372036854775807");
        el(0, Tag.SelectorUVValue, "UV", "0\\18446744073709551615");
        el(0, Tag.PixelData, "OW", "0001\\0002\\fffb\\0064");
        return b.toString();
    }

    private static String text(String s) {
        return "[" + s + "]";
    }

    private void indent(int depth) {
        b.append("  ".repeat(depth));
    }

    private void el(int depth, int tag, String vr, String value) {
        indent(depth);
        b.append(Dcmdump.tagText(tag)).append(' ').append(vr).append(' ').append(value).append('\n');
    }

    private void sq(int depth, int tag, int items) {
        indent(depth);
        b.append(Dcmdump.tagText(tag)).append(" SQ (Sequence with explicit length #=").append(items).append(")\n");
    }

    private void end(int depth) {
        indent(depth);
        b.append("(FFFE,E0DD) na (SequenceDelimitationItem for re-encod.)\n");
    }

    private void item(int depth, int elements) {
        indent(depth);
        b.append("(FFFE,E000) na (Item with explicit length #=").append(elements).append(")\n");
    }

    private void endItem(int depth) {
        indent(depth);
        b.append("(FFFE,E00D) na (ItemDelimitationItem for re-encoding)\n");
    }

    /** Encodes the dump text for dump2dcm. */
    static byte[] bytes(CharacterSet cs) {
        java.nio.charset.Charset enc = cs.encoding;
        String t = text(cs);
        if (!enc.newEncoder().canEncode(t)) {
            throw new IllegalStateException("dump text not representable in " + enc);
        }
        return t.getBytes(enc);
    }
}
