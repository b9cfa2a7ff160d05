package org.cameldicomsecure.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Implementation;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;

/** Test instances, ZIPs and ZIP bombs made in the tests (nothing is committed as a binary). */
final class MediaTestData {

    static final String ROOT = "2.25.1234567890123456789";
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    private MediaTestData() {
    }

    static String uid(String kind, int n) {
        return ROOT + "." + kind + "." + n;
    }

    /** A small CT image data set (all Type 1 keys of PATIENT / STUDY / SERIES / IMAGE records present). */
    static Dataset dataset(String patientId, int study, int series, int instance, int pixelBytes) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.setString(Tag.SOPClassUID, VR.UI, CT);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid("3", study * 10000 + series * 100 + instance));
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC" + study);
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.StudyDescription, VR.LO, "Study " + study);
        if (patientId != null) {
            ds.setString(Tag.PatientName, VR.PN, "Müller^Hans " + patientId);
            ds.setString(Tag.PatientID, VR.LO, patientId);
        } else {
            ds.setString(Tag.PatientName, VR.PN, "Anonymous");
        }
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, uid("1", study));
        ds.setString(Tag.SeriesInstanceUID, VR.UI, uid("2", study * 100 + series));
        ds.setString(Tag.StudyID, VR.SH, "S" + study);
        ds.setString(Tag.SeriesNumber, VR.IS, Integer.toString(series));
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(instance));
        if (pixelBytes > 0) {
            int side = (int) Math.sqrt(pixelBytes / 2.0);
            ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
            ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
            ds.setInt(Tag.Rows, VR.US, side);
            ds.setInt(Tag.Columns, VR.US, side);
            ds.setInt(Tag.BitsAllocated, VR.US, 16);
            ds.setInt(Tag.BitsStored, VR.US, 12);
            ds.setInt(Tag.HighBit, VR.US, 11);
            ds.setInt(Tag.PixelRepresentation, VR.US, 0);
            byte[] px = new byte[side * side * 2];
            long seed = 0x9E3779B97F4A7C15L * (instance + 31L * series + 1009L * study);
            for (int i = 0; i < px.length; i += 2) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                px[i] = (byte) (seed >>> 56);
                px[i + 1] = (byte) ((seed >>> 48) & 0x0F);
            }
            ds.setBytes(Tag.PixelData, VR.OW, px);
        }
        return ds;
    }

    static DicomFile part10(Dataset ds) {
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, ds.getString(Tag.SOPClassUID));
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        meta.setString(Tag.ImplementationClassUID, VR.UI, Implementation.CLASS_UID);
        return new DicomFile(new byte[128], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    static DicomFile instance(String patientId, int study, int series, int instance) {
        return part10(dataset(patientId, study, series, instance, 512));
    }

    static byte[] bytes(DicomFile f) throws IOException {
        return new DicomWriter().toBytes(f);
    }

    static byte[] datasetBytes(DicomFile f) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DicomWriter().writeDataset(f.dataset(), f.transferSyntax(), out);
        return out.toByteArray();
    }

    /** A ZIP of the given entries (names as given, null value: a directory entry). */
    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bos)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getValue() != null) {
                    zip.write(e.getValue());
                }
                zip.closeEntry();
            }
        }
        return bos.toByteArray();
    }

    /**
     * A ZIP stream (one entry, flagged with a data descriptor so no size is in the header) whose entry inflates to
     * {@code inflatedBytes} zeros. It is generated as it is read, from one deflated MiB of zeros repeated: about
     * 1 KiB of ZIP per inflated MiB, and nothing is held in memory.
     */
    static CountingBomb bomb(String name, long inflatedBytes) {
        return new CountingBomb(name, inflatedBytes);
    }

    static final class CountingBomb extends InputStream {
        private final byte[] header;
        private final byte[] chunk;
        private final byte[] tail = {0x03, 0x00}; // final empty fixed-Huffman block
        private final long chunks;
        private long chunkIndex;
        private int part; // 0 header, 1 chunks, 2 tail, 3 end
        private int pos;
        long served;

        CountingBomb(String name, long inflatedBytes) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            header = new byte[30 + n.length];
            putInt(header, 0, 0x04034b50);
            putShort(header, 4, 20);
            putShort(header, 6, 0x0008);
            putShort(header, 8, 8);
            putShort(header, 26, n.length);
            System.arraycopy(n, 0, header, 30, n.length);
            Deflater d = new Deflater(9, true);
            d.setInput(new byte[1 << 20]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            int k;
            while ((k = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
                out.write(buf, 0, k);
            }
            d.end();
            chunk = out.toByteArray();
            chunks = inflatedBytes >> 20;
        }

        int chunkLength() {
            return chunk.length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (true) {
                byte[] src = switch (part) {
                    case 0 -> header;
                    case 1 -> chunkIndex < chunks ? chunk : null;
                    case 2 -> tail;
                    default -> null;
                };
                if (part == 1 && src == null) {
                    part = 2;
                    pos = 0;
                    continue;
                }
                if (src == null) {
                    return -1;
                }
                if (pos == src.length) {
                    pos = 0;
                    if (part == 1) {
                        chunkIndex++;
                    } else {
                        part++;
                    }
                    continue;
                }
                int n = Math.min(len, src.length - pos);
                System.arraycopy(src, pos, b, off, n);
                pos += n;
                served += n;
                return n;
            }
        }

        private static void putInt(byte[] b, int off, int v) {
            for (int i = 0; i < 4; i++) {
                b[off + i] = (byte) (v >>> (8 * i));
            }
        }

        private static void putShort(byte[] b, int off, int v) {
            b[off] = (byte) v;
            b[off + 1] = (byte) (v >>> 8);
        }
    }
}
