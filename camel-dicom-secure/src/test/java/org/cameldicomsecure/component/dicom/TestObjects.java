package org.cameldicomsecure.component.dicom;

import java.math.BigInteger;
import java.util.UUID;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;

/** Small synthetic DICOM objects for the component tests, built in memory and encoded with our writer. */
final class TestObjects {

    /** A patient name that must never show up in a header or a log line. */
    static final String PATIENT_NAME = "Secret^Patient";

    private TestObjects() {
    }

    /** A UID under the 2.25 root, derived from a random UUID (PS3.5 §B.2). */
    static String newUid() {
        UUID u = UUID.randomUUID();
        BigInteger b = new BigInteger(1, toBytes(u));
        return "2.25." + b;
    }

    private static byte[] toBytes(UUID u) {
        byte[] b = new byte[16];
        long hi = u.getMostSignificantBits();
        long lo = u.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    /** A Secondary Capture image of 4 x 4 pixels with a patient name, as a PS3.10 file in {@code ts}. */
    static DicomFile secondaryCapture(String sopInstanceUid, TransferSyntax ts) {
        Dataset ds = new Dataset(ts.bigEndian());
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.PatientName, VR.PN, PATIENT_NAME);
        ds.setString(Tag.PatientID, VR.LO, "ID-4711");
        ds.setString(Tag.StudyInstanceUID, VR.UI, newUid());
        ds.setInt(Tag.Rows, VR.US, 4);
        ds.setInt(Tag.Columns, VR.US, 4);
        byte[] pixels = new byte[16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 16);
        }
        ds.setBytes(Tag.PixelData, VR.OB, pixels);

        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstanceUid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, ts);
    }
}
