package org.cameldicomsecure.sign;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;

/** Small instances for the signature tests, made in memory. */
public final class SignTestData {

    private SignTestData() {
    }

    /** A 4 x 4 CT image with a patient name and an Anatomic Region Sequence item. */
    public static Dataset ct(boolean bigEndian) {
        Dataset ds = new Dataset(bigEndian);
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.1001");
        ds.setString(Tag.StudyInstanceUID, VR.UI, "2.25.1002");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.1003");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.Manufacturer, VR.LO, "ACME");
        ds.setString(Tag.PatientName, VR.PN, "Doe^John");
        ds.setString(Tag.PatientID, VR.LO, "PID-1");
        Dataset code = ds.newSequence(Tag.AnatomicRegionSequence).addItem();
        code.setString(Tag.CodeValue, VR.SH, "T-A0100");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "SRT");
        code.setString(Tag.CodeMeaning, VR.LO, "Brain");
        ds.setInt(Tag.Rows, VR.US, 4);
        ds.setInt(Tag.Columns, VR.US, 4);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[32];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }

    public static DicomFile part10(Dataset ds, TransferSyntax ts) {
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, ds.getString(Tag.SOPClassUID));
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, ts);
    }

}
