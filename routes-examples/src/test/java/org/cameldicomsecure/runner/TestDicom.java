package org.cameldicomsecure.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;

/** Synthetic DICOM objects for the runner tests, encoded with our own writer, and the checks on what came out. */
final class TestDicom {

    /** A patient name that must never show up in a log line. */
    static final String PATIENT_NAME = "Confidential^Patient";

    private TestDicom() {
    }

    /** A UID under the 2.25 root, derived from a random UUID (PS3.5 §B.2). */
    static String newUid() {
        UUID u = UUID.randomUUID();
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (u.getMostSignificantBits() >>> (56 - 8 * i));
            b[8 + i] = (byte) (u.getLeastSignificantBits() >>> (56 - 8 * i));
        }
        return "2.25." + new BigInteger(1, b);
    }

    /** A Secondary Capture image with a patient name and a sequence, as a PS3.10 file in {@code ts}. */
    static DicomFile image(String sopInstanceUid, TransferSyntax ts) {
        return part10(dataset(sopInstanceUid, ts), ts);
    }

    static Dataset dataset(String sopInstanceUid, TransferSyntax ts) {
        Dataset ds = new Dataset(ts.bigEndian());
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.PatientName, VR.PN, PATIENT_NAME);
        ds.setString(Tag.PatientID, VR.LO, "PID-0815");
        ds.setString(Tag.StudyInstanceUID, VR.UI, newUid());
        Sequence refs = ds.newSequence(Tag.ReferencedImageSequence);
        Dataset item = refs.addItem();
        item.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, newUid());
        ds.setInt(Tag.Rows, VR.US, 4);
        ds.setInt(Tag.Columns, VR.US, 4);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        // 16-bit pixels as OW, which is also how Implicit VR Little Endian reads Pixel Data (PS3.5 §A.1)
        byte[] pixelBytes = new byte[32];
        for (int i = 0; i < 16; i++) {
            ByteOrderUtil.putUint16(pixelBytes, 2 * i, i * 4099, ts.bigEndian());
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixelBytes);
        return ds;
    }

    static DicomFile part10(Dataset ds, TransferSyntax ts) {
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, ds.getString(Tag.SOPClassUID));
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, ts);
    }

    static byte[] encode(DicomFile f) throws IOException {
        return new DicomWriter().toBytes(f);
    }

    /** Writes {@code content} under a dot name (which the file consumer skips) and renames it into place. */
    static Path drop(Path folder, String name, byte[] content) throws IOException {
        Files.createDirectories(folder);
        Path tmp = folder.resolve(".writing-" + name);
        Files.write(tmp, content);
        return Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Asserts that two data sets hold the same elements: tags, VRs and value bytes, items recursively. */
    static void assertSameDataset(Dataset expected, Dataset actual) throws IOException {
        assertEquals(expected.describeTags(), actual.describeTags());
        assertEquals(expected.bigEndian(), actual.bigEndian());
        for (int i = 0; i < expected.size(); i++) {
            Object e = expected.valueAt(i);
            Object a = actual.valueAt(i);
            String where = Tag.toString(expected.tagAt(i));
            if (e instanceof Sequence es) {
                Sequence as = assertInstanceOf(Sequence.class, a, where);
                assertEquals(es.size(), as.size(), where);
                for (int j = 0; j < es.size(); j++) {
                    assertSameDataset(es.get(j), as.get(j));
                }
            } else {
                assertArrayEquals(bytes(e), bytes(a), where);
            }
        }
    }

    private static byte[] bytes(Object v) throws IOException {
        return v instanceof BulkData bd ? bd.toByteArray() : (byte[]) v;
    }
}
