package org.cameldicomsecure.component.dicommail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;

/** Generated DICOM instances for the dicommail tests. */
final class MailTestData {

    static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    private MailTestData() {
    }

    /** A CT image (PS3.10 file) of study {@code study}, patient {@code pid}, with {@code pixels} bytes of noise. */
    static byte[] instance(String uid, String study, String series, String pid, int pixels) throws Exception {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, CT);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
        ds.setString(Tag.StudyDate, VR.DA, "20261201");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC-" + pid);
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientName, VR.PN, "Mail^Patient^" + pid);
        ds.setString(Tag.PatientID, VR.LO, pid);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setString(Tag.SeriesNumber, VR.IS, "1");
        ds.setString(Tag.InstanceNumber, VR.IS, uid.substring(uid.lastIndexOf('.') + 1));
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        int side = (int) Math.sqrt(pixels / 2.0);
        ds.setInt(Tag.Rows, VR.US, side);
        ds.setInt(Tag.Columns, VR.US, side);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] px = new byte[side * side * 2];
        new Random(uid.hashCode()).nextBytes(px);
        ds.setBytes(Tag.PixelData, VR.OW, px);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, CT);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomWriter().toBytes(new DicomFile(new byte[128], meta, ds,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }

    /** {@code n} instances of one study of patient {@code pid}, in two series. */
    static List<byte[]> study(String root, String pid, int n) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(instance(root + ".1." + (i % 2 + 1) + "." + i, root, root + ".1." + (i % 2 + 1), pid, 4096));
        }
        return out;
    }
}
