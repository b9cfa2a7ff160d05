package org.cameldicomsecure.dicom.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.ByteRegion;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.FileRegion;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DicomCodecTest {

    static Stream<TransferSyntax> nativeSyntaxes() {
        return Stream.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** A data set with every VR, multi-valued values, nested sequences of both length forms, and private elements. */
    static Dataset sample(boolean bigEndian) {
        Dataset ds = new Dataset(bigEndian);
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4.5.6.7");
        ds.setString(Tag.StudyDate, VR.DA, "20261201");
        ds.setString(Tag.StudyTime, VR.TM, "101500.123");
        ds.setString(Tag.AcquisitionDateTime, VR.DT, "20261201101500.000000+0100");
        ds.setString(Tag.RetrieveAETitle, VR.AE, "PACS");
        ds.setString(Tag.PatientAge, VR.AS, "042Y");
        ds.setString(Tag.PatientName, VR.PN, "Grüß^Jörg=山田^太郎");
        ds.setString(Tag.PatientID, VR.LO, "PID-1");
        ds.setString(Tag.StationName, VR.SH, "CT01");
        ds.setString(Tag.ImageComments, VR.LT, "  leading spaces kept");
        ds.setString(Tag.InstitutionAddress, VR.ST, "Street 1");
        ds.setString(Tag.PixelSpacing, VR.DS, "0.5", "0.5");
        ds.setString(Tag.InstanceNumber, VR.IS, "7");
        ds.setString(Tag.RetrieveURL, VR.UR, "https://pacs.example.org/dicom-web");
        ds.setString(Tag.TextValue, VR.UT, "unlimited text");
        ds.setString(Tag.StrainAdditionalInformation, VR.UT, "strain info");
        ds.setString(Tag.StrainDescription, VR.UC, "UC value");
        ds.setInt(Tag.Rows, VR.US, 2);
        ds.setInt(Tag.Columns, VR.US, 2);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setInt(Tag.ReferencePixelX0, VR.SL, -5);
        ds.setInt(Tag.TagAngleSecondAxis, VR.SS, -3);
        ds.setInt(Tag.SimpleFrameList, VR.UL, 1, 2, 3);
        ds.setBytes(Tag.FrameIncrementPointer, VR.AT, le(bigEndian, 0x0018, 0x1063));
        ds.setBytes(Tag.TablePosition, VR.FD, new byte[8]);
        ds.setBytes(Tag.RecommendedDisplayFrameRateInFloat, VR.FL, new byte[4]);
        ds.setBytes(Tag.SelectorOVValue, VR.OV, new byte[16]);
        ds.setBytes(Tag.SelectorSVValue, VR.SV, new byte[8]);
        ds.setBytes(Tag.SelectorUVValue, VR.UV, new byte[8]);
        ds.setBytes(Tag.FloatPixelData, VR.OF, new byte[8]);
        ds.setBytes(Tag.DoubleFloatPixelData, VR.OD, new byte[16]);
        ds.setBytes(Tag.LongPrimitivePointIndexList, VR.OL, new byte[8]);
        ds.setBytes(0x00090010, VR.LO, "ACME 1.0".getBytes()); // private creator
        ds.setBytes(0x00091001, VR.UN, new byte[] {1, 2, 3, 4});
        Sequence seq = ds.newSequence(Tag.ReferencedImageSequence);
        Dataset item = seq.addItem();
        item.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.4.5.6.8");
        Sequence nested = item.newSequence(Tag.PurposeOfReferenceCodeSequence);
        nested.setUndefinedLength(false);
        Dataset code = nested.addItem();
        code.setUndefinedLength(false);
        code.setString(Tag.CodeValue, VR.SH, "121311");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        code.setString(Tag.CodeMeaning, VR.LO, "Localizer");
        seq.addItem();
        ds.newSequence(Tag.SourceImageSequence);
        ds.setBytes(Tag.PixelData, VR.OW, le(bigEndian, 1, 2, 3, 4));
        return ds;
    }

    private static byte[] le(boolean bigEndian, int... shorts) {
        byte[] b = new byte[shorts.length * 2];
        for (int i = 0; i < shorts.length; i++) {
            org.cameldicomsecure.dicom.ByteOrderUtil.putUint16(b, i * 2, shorts[i], bigEndian);
        }
        return b;
    }

    static DicomFile part10(Dataset ds, TransferSyntax ts) {
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, ds.getString(Tag.SOPClassUID));
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomFile(new byte[128], meta, ds, ts);
    }

    /** A listing of every element, recursively, with values in big-endian-independent form. */
    static List<String> listing(Dataset ds) {
        List<String> out = new ArrayList<>();
        list(ds, "", out);
        return out;
    }

    private static void list(Dataset ds, String indent, List<String> out) {
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            VR vr = ds.vrAt(i);
            Object v = ds.valueAt(i);
            if (v instanceof Sequence s) {
                out.add(indent + Tag.toString(tag) + " SQ items=" + s.size());
                for (Dataset item : s) {
                    list(item, indent + "  ", out);
                }
            } else if (v instanceof Fragments f) {
                out.add(indent + Tag.toString(tag) + " " + vr + " fragments=" + f.size());
            } else if (v instanceof BulkData || vr == VR.OW || vr == VR.OB) {
                byte[] b = ds.getBytes(tag).clone();
                if (ds.bigEndian()) {
                    org.cameldicomsecure.dicom.ByteOrderUtil.swap(b, 0, b.length, vr.unitSize());
                }
                out.add(indent + Tag.toString(tag) + " " + vr + " crc=" + crc(b));
            } else if (Tag.isGroupLength(tag)) {
                out.add(indent + Tag.toString(tag) + " UL (group length)");
            } else {
                out.add(indent + Tag.toString(tag) + " " + vr + " " + String.join("\\", ds.getStrings(tag)));
            }
        }
    }

    private static long crc(byte[] b) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(b);
        return c.getValue() ^ ((long) b.length << 32);
    }

    @ParameterizedTest
    @MethodSource("nativeSyntaxes")
    void roundTripsEveryVrInEveryNativeSyntaxBitForBit(TransferSyntax ts) throws Exception {
        DicomFile file = part10(sample(ts.bigEndian()), ts);
        byte[] encoded = new DicomWriter().toBytes(file);
        DicomFile read = new DicomReader().read(encoded);
        assertEquals(ts, read.transferSyntax());
        assertEquals(listing(file.dataset()), listing(read.dataset()));
        assertArrayEquals(encoded, new DicomWriter().toBytes(read), "re-encoding must be bit-identical");
        assertEquals("Grüß^Jörg=山田^太郎", read.dataset().getString(Tag.PatientName));
        assertEquals(-5, read.dataset().getInt(Tag.ReferencePixelX0, 0));
        assertEquals(-3, read.dataset().getInt(Tag.TagAngleSecondAxis, 0));
        assertEquals("00181063", read.dataset().getString(Tag.FrameIncrementPointer));
        assertEquals("  leading spaces kept", read.dataset().getString(Tag.ImageComments));
    }

    @ParameterizedTest
    @MethodSource("nativeSyntaxes")
    void transcodesBetweenSyntaxes(TransferSyntax target) throws Exception {
        for (TransferSyntax source : nativeSyntaxes().toList()) {
            DicomFile read = new DicomReader().read(new DicomWriter().toBytes(part10(sample(source.bigEndian()), source)));
            DicomFile converted = read.withTransferSyntax(target);
            DicomFile back = new DicomReader().read(new DicomWriter().toBytes(converted));
            assertEquals(listing(sample(false)), listing(back.dataset()), source.uid() + " -> " + target.uid());
            assertEquals(1, back.dataset().getInt(Tag.SimpleFrameList, 0));
        }
    }

    @Test
    void recomputesGroupLengthsAndDefinedLengthsAfterAChange() throws Exception {
        Dataset ds = sample(false);
        ds.getSequence(Tag.ReferencedImageSequence).get(0).getSequence(Tag.PurposeOfReferenceCodeSequence)
                .setUndefinedLength(false);
        DicomFile file = part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        DicomFile read = new DicomReader().read(new DicomWriter().toBytes(file));
        Dataset code = read.dataset().getSequence(Tag.ReferencedImageSequence).get(0)
                .getSequence(Tag.PurposeOfReferenceCodeSequence).get(0);
        code.setString(Tag.CodeMeaning, VR.LO, "A much longer code meaning than before");
        byte[] changed = new DicomWriter().toBytes(read);
        DicomFile again = new DicomReader().read(changed);
        assertEquals("A much longer code meaning than before", again.dataset()
                .getSequence(Tag.ReferencedImageSequence).get(0).getSequence(Tag.PurposeOfReferenceCodeSequence)
                .get(0).getString(Tag.CodeMeaning));
        long metaLength = again.fileMeta().getInt(Tag.FileMetaInformationGroupLength, -1);
        assertEquals(new DicomWriter().encodedLength(again.fileMeta(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN) - 12,
                metaLength);
    }

    @Test
    void keepsEncapsulatedFragments() throws Exception {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
        Fragments f = new Fragments(VR.OB);
        f.add(new byte[0]);
        f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, (byte) 0xFF, (byte) 0xD9});
        f.add(new byte[] {9, 9});
        ds.setFragments(Tag.PixelData, f);
        TransferSyntax jpeg = TransferSyntax.of("1.2.840.10008.1.2.4.50");
        assertTrue(jpeg.encapsulated());
        byte[] encoded = new DicomWriter().toBytes(part10(ds, jpeg));
        DicomFile read = new DicomReader().read(encoded);
        Fragments back = read.dataset().getFragments(Tag.PixelData);
        assertEquals(3, back.size());
        assertArrayEquals(f.bytes(1), back.bytes(1));
        assertArrayEquals(encoded, new DicomWriter().toBytes(read));
    }

    @Test
    void largeValuesStayOutOfTheHeap(@TempDir Path dir) throws Exception {
        Dataset ds = sample(false);
        byte[] pixels = new byte[200_000];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31);
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        byte[] encoded = new DicomWriter().toBytes(part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        Path file = dir.resolve("a.dcm");
        Files.write(file, encoded);
        DicomReader reader = new DicomReader(DicomReaderOptions.DEFAULT.withBulkDataThreshold(64 * 1024)
                .withSpillDirectory(dir));

        DicomFile fromPath = reader.read(file);
        FileRegion region = assertInstanceOf(FileRegion.class, fromPath.dataset().value(Tag.PixelData));
        assertEquals(file, region.file());
        DicomFile fromBytes = reader.read(encoded);
        assertInstanceOf(ByteRegion.class, fromBytes.dataset().value(Tag.PixelData));
        DicomFile fromStream = reader.read(new ByteArrayInputStream(encoded));
        FileRegion spilled = assertInstanceOf(FileRegion.class, fromStream.dataset().value(Tag.PixelData));
        assertFalse(spilled.file().equals(file));

        for (DicomFile f : List.of(fromPath, fromBytes, fromStream)) {
            assertEquals(listing(ds), listing(f.dataset()));
            assertArrayEquals(pixels, ((BulkData) f.dataset().value(Tag.PixelData)).toByteArray());
            assertArrayEquals(encoded, new DicomWriter().toBytes(f));
            Path out = dir.resolve("out.dcm");
            new DicomWriter().write(f, out);
            assertArrayEquals(encoded, Files.readAllBytes(out));
        }
        // big endian output swaps bulk data on the fly
        DicomFile be = fromPath.withTransferSyntax(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        DicomFile beRead = new DicomReader().read(new DicomWriter().toBytes(be));
        byte[] swapped = beRead.dataset().getBytes(Tag.PixelData);
        assertEquals(pixels[0], swapped[1]);
        assertEquals(pixels[1], swapped[0]);
    }

    @Test
    void readsBareDataSetsAndGuessesTheirEncoding() throws Exception {
        for (TransferSyntax ts : List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            new DicomWriter().writeDataset(sample(false), ts, bos);
            DicomFile read = new DicomReader().read(bos.toByteArray());
            assertFalse(read.isPart10());
            assertEquals(ts, read.transferSyntax());
            assertEquals("PID-1", read.dataset().getString(Tag.PatientID));
            assertArrayEquals(bos.toByteArray(), new DicomWriter().toBytes(read));
        }
    }

    @Test
    void keepsCp246UnknownSequences() throws Exception {
        // a private sequence sent as UN with undefined length: items in Implicit VR Little Endian (PS3.5 §6.2.2)
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        bos.write(new byte[] {0x09, 0x00, 0x10, 0x00, 'L', 'O', 4, 0, 'A', 'C', 'M', 'E'});
        bos.write(new byte[] {0x09, 0x00, 0x01, 0x10, 'U', 'N', 0, 0, -1, -1, -1, -1});
        bos.write(new byte[] {-2, -1, 0, -32, -1, -1, -1, -1}); // item, undefined length
        bos.write(new byte[] {0x10, 0x00, 0x20, 0x00, 4, 0, 0, 0, 'P', 'I', 'D', ' '}); // implicit (0010,0020)
        bos.write(new byte[] {-2, -1, 13, -32, 0, 0, 0, 0}); // item delimitation
        bos.write(new byte[] {-2, -1, -35, -32, 0, 0, 0, 0}); // sequence delimitation
        byte[] bytes = bos.toByteArray();
        Dataset ds = new DicomReader().readDataset(bytes, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Sequence seq = ds.getSequence(0x00091001);
        assertNotNull(seq);
        assertTrue(seq.encodedAsUnknown());
        assertEquals("PID", seq.get(0).getString(Tag.PatientID));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DicomWriter().writeDataset(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, out);
        assertArrayEquals(bytes, out.toByteArray());
    }

    @Test
    void outOfOrderElementsAreSorted() throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        bos.write(new byte[] {0x10, 0x00, 0x20, 0x00, 'L', 'O', 2, 0, 'B', ' '});
        bos.write(new byte[] {0x10, 0x00, 0x10, 0x00, 'P', 'N', 2, 0, 'A', ' '});
        Dataset ds = new DicomReader().readDataset(bos.toByteArray(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertEquals(Tag.PatientName, ds.tagAt(0));
        assertEquals(Tag.PatientID, ds.tagAt(1));
    }
}
