package org.cameldicomsecure.it.dicomtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.ItUids;

/**
 * Test instances for the dicomtls ITs, written by our writer as PS3.10 files (Explicit VR Little Endian), and a
 * reader of the File Meta Information that does not use our codec: it walks the group 0002 elements to find where the
 * data set starts, so that "what arrived" can be compared byte for byte after the File Meta Information, whoever
 * wrote that.
 */
final class ItData {

    /** Secondary Capture Image Storage. */
    static final String SC = "1.2.840.10008.5.1.4.1.1.7";
    static final String EXPLICIT_LE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();

    private static final DicomWriter WRITER = new DicomWriter();

    /** One written instance. */
    record Instance(Path file, String sopInstanceUid, String studyInstanceUid) {
    }

    private ItData() {
    }

    /** A fresh UUID-derived UID (PS3.5 §B.2). */
    static String newUid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    /**
     * Writes {@code large} instances of 512 x 512 16-bit pixels (512 KiB of pixel data) and {@code small} ones of
     * 16 x 16 pixels into {@code dir}, all of one study. Pixel values are pseudo-random (seeded), so the files differ.
     */
    static List<Instance> write(Path dir, String name, int large, int small) throws IOException {
        Files.createDirectories(dir);
        String study = newUid();
        String series = newUid();
        Random random = new Random(name.hashCode());
        List<Instance> out = new ArrayList<>();
        for (int i = 0; i < large + small; i++) {
            int size = i < large ? 512 : 16;
            String uid = newUid();
            Path file = dir.resolve(String.format("%s-%03d.dcm", name, i));
            WRITER.write(instance(uid, study, series, i + 1, size, random), file);
            out.add(new Instance(file, uid, study));
        }
        return out;
    }

    private static DicomFile instance(String uid, String study, String series, int number, int size, Random random) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, SC);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.ConversionType, VR.CS, "WSD");
        // odd lengths: padded by the writer
        ds.setString(Tag.PatientName, VR.PN, "Test^Dicomtls^IT");
        ds.setString(Tag.PatientID, VR.LO, "IT-" + number);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setInt(Tag.InstanceNumber, VR.IS, number);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, size);
        ds.setInt(Tag.Columns, VR.US, size);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[size * size * 2];
        random.nextBytes(pixels);
        for (int i = 1; i < pixels.length; i += 2) {
            pixels[i] &= 0x0F; // 12 bits stored
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, SC);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, EXPLICIT_LE);
        meta.setString(Tag.ImplementationClassUID, VR.UI, ItUids.IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, ItUids.IMPLEMENTATION_VERSION_NAME);
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    // ------------------------------------------------------------------ File Meta Information, read by hand

    /** A PS3.10 file split at the end of its File Meta Information. */
    record Part10(Map<Integer, String> meta, byte[] dataSet) {

        String sopInstanceUid() {
            return meta.get(Tag.MediaStorageSOPInstanceUID);
        }

        String transferSyntaxUid() {
            return meta.get(Tag.TransferSyntaxUID);
        }
    }

    /**
     * Splits a PS3.10 file: preamble, "DICM", then group 0002 in Explicit VR Little Endian (PS3.10 §7.1) walked
     * element by element; the data set is everything after the last group 0002 element. Text values of the meta
     * elements are returned without padding.
     */
    static Part10 split(byte[] file) {
        assertTrue(file.length > 132 && file[128] == 'D' && file[129] == 'I' && file[130] == 'C' && file[131] == 'M',
                "not a PS3.10 file (no DICM prefix)");
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 132;
        Map<Integer, String> meta = new LinkedHashMap<>();
        while (pos + 8 <= file.length && b.getShort(pos) == 0x0002) {
            int tag = (b.getShort(pos) & 0xFFFF) << 16 | (b.getShort(pos + 2) & 0xFFFF);
            String vr = new String(file, pos + 4, 2, StandardCharsets.US_ASCII);
            long len;
            int header;
            if (List.of("OB", "OW", "OF", "SQ", "UT", "UN", "UC", "UR", "OD", "OL", "OV").contains(vr)) {
                len = b.getInt(pos + 8) & 0xFFFFFFFFL;
                header = 12;
            } else {
                len = b.getShort(pos + 6) & 0xFFFF;
                header = 8;
            }
            if (!vr.equals("OB") && !vr.equals("UL")) {
                meta.put(tag, new String(file, pos + header, (int) len, StandardCharsets.US_ASCII)
                        .replaceAll("[\\u0000 ]+$", ""));
            }
            pos += header + (int) len;
        }
        byte[] ds = new byte[file.length - pos];
        System.arraycopy(file, pos, ds, 0, ds.length);
        return new Part10(meta, ds);
    }

    static Part10 split(Path file) throws IOException {
        return split(Files.readAllBytes(file));
    }

    /** The data sets of all files in {@code dir} (not recursive), by the SOP Instance UID of their meta information. */
    static Map<String, byte[]> dataSetsByInstanceUid(Path dir) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                Part10 p = split(f);
                byte[] old = out.put(p.sopInstanceUid(), p.dataSet());
                assertEquals(null, old, "two files in " + dir + " hold " + p.sopInstanceUid());
            }
        }
        return out;
    }
}
