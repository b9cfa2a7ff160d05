package org.cameldicomsecure.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.DcmtkReadInteropIT.Native;
import org.cameldicomsecure.it.RichDump.CharacterSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files written by our writer, read by the real peers:
 * <ul>
 * <li>a data set built with the {@link Dataset} API (every VR, multi-valued values, nested, empty and
 * defined/undefined-length sequences and items, a private block, text in ISO_IR 100 and ISO_IR 192, LT with CR LF),
 * held in either byte order and written as a PS3.10 file (File Meta Information with our test Implementation Class
 * UID, {@link ItUids#IMPLEMENTATION_CLASS_UID}) or as a bare data set, in every native transfer syntax:
 * {@code dcmdump} reads each with exit status 0 and no warning or error, lists exactly what we built, and decodes our
 * text to the strings we encoded;</li>
 * <li>a complete Secondary Capture Image (PS3.3 §A.8.1: Patient, General Study, General Series, SC Equipment, General
 * Image, Image Pixel, SC Image and SOP Common modules, every Type 1 and Type 2 attribute), in every native transfer
 * syntax: {@code dciodvfy} reports no error.</li>
 * </ul>
 */
class DcmtkWriteInteropIT {

    @TempDir
    static Path dir;
    static Peers peers;
    static final DicomWriter WRITER = new DicomWriter();

    @BeforeAll
    static void requirePeers() throws Exception {
        Peers.require("dcmdump", "dcmtk");
        Peers.require("dcmconv", "dcmtk");
        Peers.require("dciodvfy", "dicom3tools");
        peers = Peers.forTest(DcmtkWriteInteropIT.class);
    }

    static Stream<Arguments> richFiles() {
        List<Arguments> l = new ArrayList<>();
        for (CharacterSet cs : CharacterSet.values()) {
            for (boolean bigEndianInMemory : new boolean[] {false, true}) {
                for (Native ts : Native.values()) {
                    l.add(Arguments.of(cs, bigEndianInMemory ? "BE-in-memory" : "LE-in-memory", ts, true));
                }
            }
            l.add(Arguments.of(cs, "LE-in-memory", Native.IVRLE, false));
            l.add(Arguments.of(cs, "LE-in-memory", Native.EVRLE, false));
        }
        return l.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {2}, Part 10: {3}")
    @MethodSource("richFiles")
    void dcmdumpReadsWhatWeWrote(CharacterSet cs, String order, Native ts, boolean part10) throws Exception {
        Dataset ds = richDataset(cs, order.startsWith("BE"));
        String name = "rich-" + cs + "-" + order + "-" + ts + (part10 ? "" : "-bare");
        Path file = dir.resolve(name + ".dcm");
        DicomFile f = part10
                ? new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], fileMeta(UID.SecondaryCaptureImageStorage,
                        ds.getString(Tag.SOPInstanceUID), ts.ts), ds, ts.ts)
                : new DicomFile(null, null, ds, ts.ts);
        WRITER.write(f, file);

        // exit status 0 and no "W:" / "E:" line (Dcmdump.dump fails otherwise)
        Dcmdump.Listing dump = Dcmdump.dump(peers, "dcmdump-" + name, file);
        if (part10) {
            // the writer recomputes the placeholder (0002,0000): the length of the group after that element
            long groupLength = WRITER.encodedLength(f.fileMeta(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN) - 12;
            f.fileMeta().setInt(Tag.FileMetaInformationGroupLength, VR.UL, (int) groupLength);
            DcmtkReadInteropIT.assertLines(Canonical.of(f.fileMeta(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                    Canonical.of(dump.meta()), name + " File Meta Information");
        }
        // Implicit VR carries no VR: a private data element reaches the reader as UN (dcmdump prints "??")
        Dataset expected = ts.ts.explicitVr() ? ds : withPrivateElementsAsUnknown(ds, new Dataset(false));
        DcmtkReadInteropIT.assertLines(Canonical.of(expected, ts.ts), Canonical.of(dump.dataset()),
                name + " data set");

        // DCMTK decodes our text to the strings we encoded
        Dcmdump.Listing utf8 = Dcmdump.dump(peers, "dcmdump-U8-" + name, file, "+U8");
        assertEquals(cs.personName, utf8Value(utf8.dataset(), Tag.PatientName), "PN");
        assertEquals(cs.otherNames, utf8Value(utf8.dataset(), Tag.OtherPatientNames), "PN, two values");
        assertEquals(cs.longString, utf8Value(utf8.dataset(), Tag.ManufacturerModelName), "LO");
        assertEquals(cs.longText + "\r\nsecond line", utf8Value(utf8.dataset(), Tag.PatientComments), "LT");
        assertEquals(cs.longString, utf8Value(itemElements(utf8.dataset(), Tag.RequestAttributesSequence, 0),
                Tag.ScheduledProcedureStepDescription), "LO in an item, character set of the enclosing data set");
    }

    /**
     * Copies {@code from} into the little-endian {@code to}, private data elements (not their creators) as UN with
     * their little-endian bytes: what an Implicit VR Little Endian reader without a private dictionary sees.
     */
    private static Dataset withPrivateElementsAsUnknown(Dataset from, Dataset to) {
        for (int i = 0; i < from.size(); i++) {
            int tag = from.tagAt(i);
            VR vr = from.vrAt(i);
            Object v = from.valueAt(i);
            if (v instanceof Sequence s) {
                Sequence copy = to.newSequence(tag);
                copy.setUndefinedLength(s.undefinedLength());
                for (Dataset item : s) {
                    Dataset c = copy.addItem();
                    c.setUndefinedLength(item.undefinedLength());
                    withPrivateElementsAsUnknown(item, c);
                }
                continue;
            }
            byte[] b = ((byte[]) v).clone();
            if (from.bigEndian() && vr.kind() == VR.Kind.BINARY) {
                ByteOrderUtil.swap(b, 0, b.length, vr.unitSize());
            }
            boolean privateData = Tag.isPrivate(tag) && !Tag.isPrivateCreator(tag);
            to.setBytes(tag, privateData ? VR.UN : vr, b);
        }
        return to;
    }

    private static String utf8Value(List<Dcmdump.Node> nodes, int tag) {
        for (Dcmdump.Node n : nodes) {
            if (n.tag == tag) {
                return new String(n.value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)
                        .replaceAll(" +$", "");
            }
        }
        throw new AssertionError(Tag.toString(tag) + " missing from dcmdump's listing");
    }

    private static List<Dcmdump.Node> itemElements(List<Dcmdump.Node> nodes, int sequenceTag, int index) {
        for (Dcmdump.Node n : nodes) {
            if (n.tag == sequenceTag) {
                return n.children.get(index).children;
            }
        }
        throw new AssertionError(Tag.toString(sequenceTag) + " missing from dcmdump's listing");
    }

    /** PS3.10 §7.1 File Meta Information; (0002,0000) is a placeholder the writer recomputes. */
    static Dataset fileMeta(String sopClass, String sopInstance, TransferSyntax ts) {
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0x00, 0x01});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClass);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstance);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, ItUids.IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, ItUids.IMPLEMENTATION_VERSION_NAME);
        return meta;
    }

    /** Every VR, through the public API only. Binary values are encoded in the data set's byte order. */
    static Dataset richDataset(CharacterSet cs, boolean bigEndian) {
        Dataset ds = new Dataset(bigEndian);
        ds.setString(Tag.SpecificCharacterSet, VR.CS, cs.term);
        ds.setString(Tag.ImageType, VR.CS, "DERIVED", "SECONDARY", "OTHER");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, ItUids.fromName("DcmtkWriteInteropIT/rich/" + cs + bigEndian));
        ds.setString(Tag.StudyDate, VR.DA, "20240229");
        ds.setString(Tag.AcquisitionDateTime, VR.DT, "20240229101112.5+0100");
        ds.setString(Tag.StudyTime, VR.TM, "1011");
        ds.setString(Tag.RetrieveAETitle, VR.AE, "CDS_IT", "OTHER_AE");
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.InstitutionAddress, VR.ST, cs.shortText);
        ds.setString(Tag.ManufacturerModelName, VR.LO, cs.longString);
        ds.newSequence(Tag.ReferencedSeriesSequence); // empty, undefined length
        Sequence refs = ds.newSequence(Tag.ReferencedImageSequence);
        refs.setUndefinedLength(false);
        Dataset ref = refs.addItem();
        ref.setUndefinedLength(false);
        ref.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, ItUids.fromName("referenced"));
        ref.setString(0x00090010, VR.LO, RichDump.PRIVATE_CREATOR);
        ref.setString(0x00091001, VR.LO, "private in item");
        ds.setString(0x00090010, VR.LO, RichDump.PRIVATE_CREATOR);
        ds.setString(0x00091001, VR.LO, "private value");
        ds.setInt(0x00091002, VR.US, 42, 43);
        ds.setBytes(0x00091003, VR.OB, new byte[] {1, 2, 3});   // odd: padded by setBytes
        ds.setString(Tag.PatientName, VR.PN, cs.personName);
        ds.setString(Tag.PatientID, VR.LO, "PID-0001");
        ds.setString(Tag.OtherPatientNames, VR.PN, cs.otherNames.split("\\\\"));
        ds.setString(Tag.PatientAge, VR.AS, "042Y");
        ds.setString(Tag.PatientComments, VR.LT, cs.longText + "\r\nsecond line");
        ds.setInt(Tag.AcquisitionMatrix, VR.US, 64, 0, 0, 64);
        ds.setInt(Tag.InstanceNumber, VR.IS, 7);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 2);
        ds.setInt(Tag.Columns, VR.US, 2);
        ds.setString(Tag.PixelSpacing, VR.DS, "0.5", "0.25");
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 16);
        ds.setInt(Tag.HighBit, VR.US, 15);
        ds.setInt(Tag.PixelRepresentation, VR.US, 1);
        ds.setInt(Tag.SmallestImagePixelValue, VR.SS, -300);
        ds.setInt(Tag.LargestImagePixelValue, VR.SS, 1200);
        Sequence ras = ds.newSequence(Tag.RequestAttributesSequence);
        Dataset step = ras.addItem();
        step.setString(Tag.ScheduledProcedureStepDescription, VR.LO, cs.longString);
        Sequence codes = step.newSequence(Tag.ScheduledProtocolCodeSequence);
        codes.setUndefinedLength(false);
        Dataset code = codes.addItem();
        code.setString(Tag.CodeValue, VR.SH, "IT-1");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "99CDS");
        code.setString(Tag.CodeMeaning, VR.LO, cs.longString);
        Dataset ctx = code.newSequence(Tag.ProtocolContextSequence).addItem();
        ctx.setUndefinedLength(false);
        ctx.setString(Tag.ValueType, VR.CS, "TEXT");
        ctx.newSequence(Tag.ConceptNameCodeSequence).setUndefinedLength(false); // empty, defined length
        ctx.setString(Tag.TextValue, VR.UT, cs.longText);
        ras.addItem(); // empty item
        ds.setString(Tag.TextValue, VR.UT, "top-level " + cs.longText);

        ds.setBytes(Tag.SelectorATValue, VR.AT, u16(bigEndian, 0x0010, 0x0010, 0x7FE0, 0x0010));
        ds.setString(Tag.SelectorDAValue, VR.DA, "20240102", "19000101");
        ds.setString(Tag.SelectorCSValue, VR.CS, "A", "B C", "D_E");
        ds.setString(Tag.SelectorDTValue, VR.DT, "20240102030405.123456+0100", "2024");
        ds.setInt(Tag.SelectorISValue, VR.IS, 1, -2, Integer.MAX_VALUE);
        ds.setBytes(Tag.SelectorOBValue, VR.OB, new byte[] {0, 1, 0x7F, (byte) 0x80, (byte) 0xFF, 0});
        ds.setString(Tag.SelectorLOValue, VR.LO, "lo1", cs.longString);
        ds.setBytes(Tag.SelectorOFValue, VR.OF, f32(bigEndian, 1.5f, -2.25f, Float.MAX_VALUE, Float.MIN_VALUE));
        ds.setString(Tag.SelectorLTValue, VR.LT, "  two leading spaces \\ kept");
        ds.setBytes(Tag.SelectorOWValue, VR.OW, u16(bigEndian, 0x0001, 0xFFFF, 0x1234, 0x8000));
        ds.setString(Tag.SelectorPNValue, VR.PN, "Doe^John^^Dr.", cs.personName);
        ds.setString(Tag.SelectorTMValue, VR.TM, "010203.5", "2359");
        ds.setString(Tag.SelectorSHValue, VR.SH, "sh1", "sh2");
        ds.setBytes(Tag.SelectorUNValue, VR.UN, new byte[] {1, 2, 3, 4});
        ds.setString(Tag.SelectorSTValue, VR.ST, cs.shortText);
        ds.setString(Tag.SelectorUCValue, VR.UC, "uc1", cs.longString);
        ds.setString(Tag.SelectorUTValue, VR.UT, cs.longText);
        ds.setString(Tag.SelectorURValue, VR.UR, "https://example.com/a?b=c&d=%20e");
        ds.setString(Tag.SelectorDSValue, VR.DS, "1.5", "-2e3", "0");
        ds.setBytes(Tag.SelectorODValue, VR.OD, f64(bigEndian, 1.5, -2.5, Math.PI));
        ds.setBytes(Tag.SelectorFDValue, VR.FD, f64(bigEndian, Math.E, -0.5));
        ds.setBytes(Tag.SelectorOLValue, VR.OL, u32(bigEndian, 1, 0xFFFFFFFF, 0x80000000));
        ds.setBytes(Tag.SelectorFLValue, VR.FL, f32(bigEndian, 1.25f, -0.1f));
        ds.setInt(Tag.SelectorULValue, VR.UL, 0, 0xFFFFFFFF);
        ds.setInt(Tag.SelectorUSValue, VR.US, 0, 65535);
        ds.setInt(Tag.SelectorSLValue, VR.SL, Integer.MIN_VALUE, Integer.MAX_VALUE);
        ds.setInt(Tag.SelectorSSValue, VR.SS, Short.MIN_VALUE, Short.MAX_VALUE, -1);
        ds.setString(Tag.SelectorUIValue, VR.UI, "1.2.3", UID.ExplicitVRLittleEndian);
        ds.setBytes(Tag.SelectorOVValue, VR.OV, u64(bigEndian, 1, -1));
        ds.setBytes(Tag.SelectorSVValue, VR.SV, u64(bigEndian, Long.MIN_VALUE, Long.MAX_VALUE));
        ds.setBytes(Tag.SelectorUVValue, VR.UV, u64(bigEndian, 0, -1));
        ds.setBytes(Tag.PixelData, VR.OW, u16(bigEndian, 0x0001, 0x0002, 0xFED4, 0x04B0));
        return ds;
    }

    static byte[] u16(boolean be, int... v) {
        byte[] b = new byte[v.length * 2];
        for (int i = 0; i < v.length; i++) {
            ByteOrderUtil.putUint16(b, 2 * i, v[i], be);
        }
        return b;
    }

    static byte[] u32(boolean be, int... v) {
        byte[] b = new byte[v.length * 4];
        for (int i = 0; i < v.length; i++) {
            ByteOrderUtil.putInt32(b, 4 * i, v[i], be);
        }
        return b;
    }

    static byte[] u64(boolean be, long... v) {
        byte[] b = new byte[v.length * 8];
        for (int i = 0; i < v.length; i++) {
            ByteOrderUtil.putInt64(b, 8 * i, v[i], be);
        }
        return b;
    }

    static byte[] f32(boolean be, float... v) {
        return u32(be, toBits(v));
    }

    private static int[] toBits(float[] v) {
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToIntBits(v[i]);
        }
        return bits;
    }

    static byte[] f64(boolean be, double... v) {
        long[] bits = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Double.doubleToLongBits(v[i]);
        }
        return u64(be, bits);
    }

    // ------------------------------------------------------------------------------------------- dciodvfy

    /**
     * PS3.3 §A.8.1 Secondary Capture Image IOD, Table A.8-1: the mandatory modules and, in each, every Type 1 and
     * Type 2 attribute (Type 2C where the condition holds), following PS3.3 Tables C.7-1 (Patient), C.7-3 (General
     * Study), C.7-5a (General Series), C.8-24 (SC Equipment), C.7-9 (General Image), C.7-11a (Image Pixel), C.8-25
     * (SC Image, Type 3 only) and C.12-1 (SOP Common).
     */
    static Dataset secondaryCapture(boolean bigEndian) {
        Dataset ds = new Dataset(bigEndian);
        // SOP Common (C.12.1); Specific Character Set (1C) not needed: only the default repertoire is used
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, ItUids.fromName("DcmtkWriteInteropIT/sc/" + bigEndian));
        // General Study (C.7.2.1)
        ds.setString(Tag.StudyInstanceUID, VR.UI, ItUids.fromName("DcmtkWriteInteropIT/sc/study"));
        ds.setString(Tag.StudyDate, VR.DA, "20240229");
        ds.setString(Tag.StudyTime, VR.TM, "101112");
        ds.setBytes(Tag.ReferringPhysicianName, VR.PN, new byte[0]);
        ds.setString(Tag.StudyID, VR.SH, "IT-STUDY-1");
        ds.setBytes(Tag.AccessionNumber, VR.SH, new byte[0]);
        // General Series (C.7.3.1)
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, ItUids.fromName("DcmtkWriteInteropIT/sc/series"));
        ds.setInt(Tag.SeriesNumber, VR.IS, 1);
        ds.setBytes(Tag.Laterality, VR.CS, new byte[0]); // 2C: no paired body part, present and empty
        // SC Equipment (C.8.6.1)
        ds.setString(Tag.ConversionType, VR.CS, "WSD");
        // Patient (C.7.1.1)
        ds.setString(Tag.PatientName, VR.PN, "Capture^Secondary");
        ds.setString(Tag.PatientID, VR.LO, "IT-SC-0001");
        ds.setBytes(Tag.PatientBirthDate, VR.DA, new byte[0]);
        ds.setString(Tag.PatientSex, VR.CS, "O");
        // General Image (C.7.6.1)
        ds.setInt(Tag.InstanceNumber, VR.IS, 1);
        ds.setBytes(Tag.PatientOrientation, VR.CS, new byte[0]); // 2C: no Image Orientation (Patient)
        ds.setString(Tag.ContentDate, VR.DA, "20240229");
        ds.setString(Tag.ContentTime, VR.TM, "101112");
        // Image Pixel (C.7.6.3): 8 x 8 MONOCHROME2, 8 bits
        int rows = 8;
        int columns = 8;
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, columns);
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setInt(Tag.BitsStored, VR.US, 8);
        ds.setInt(Tag.HighBit, VR.US, 7);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[rows * columns];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 4);
        }
        ds.setBytes(Tag.PixelData, VR.OB, pixels);
        return ds;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Native.class)
    void dciodvfyFindsNoErrorInSecondaryCaptureImage(Native ts) throws Exception {
        Dataset ds = secondaryCapture(ts == Native.EVRBE);
        Path file = dir.resolve("sc-" + ts + ".dcm");
        WRITER.write(new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH],
                fileMeta(UID.SecondaryCaptureImageStorage, ds.getString(Tag.SOPInstanceUID), ts.ts), ds, ts.ts), file);
        Dcmdump.dump(peers, "dcmdump-sc-" + ts, file); // DCMTK reads it cleanly, too
        Path checked = file;
        if (ts == Native.DEFLATED) {
            // dicom3tools cannot read Deflated Explicit VR Little Endian (it fails on DCMTK's deflated files too):
            // DCMTK inflates ours, and dciodvfy checks the result
            checked = dir.resolve("sc-" + ts + "-inflated-by-dcmconv.dcm");
            peers.run("dcmconv-inflate-sc", dir, Peers.cmd("dcmconv", "+te", file, checked)).assertSuccess();
        }
        Peers.Result r = peers.run("dciodvfy-sc-" + ts, dir, Peers.cmd("dciodvfy", checked));
        String output = r.out() + r.err();
        List<String> errors = output.lines().filter(l -> l.contains("Error")).toList();
        assertEquals(List.of(), errors, "dciodvfy errors for " + file + " (full output in " + r.stderrLog() + ")");
        assertTrue(output.contains("SCImage"), "dciodvfy recognised the SC Image IOD:\n" + output);
    }
}
