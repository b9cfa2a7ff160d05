package org.cameldicomsecure.deid;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.dict.Dictionary;

/**
 * Test instances built from the generated Table E.1-1: one value for every attribute the table lists, with the VR
 * the dictionary gives (the first one for multi-VR tags), at top level or inside an item of a sequence the table does
 * not list.
 */
final class TestInstances {

    static final String STUDY = "1.2.826.0.1.3680043.2.1125.1.1";
    static final String SERIES = "1.2.826.0.1.3680043.2.1125.1.2";
    static final String SOP = "1.2.826.0.1.3680043.2.1125.1.3";
    static final String FRAME_OF_REFERENCE = "1.2.826.0.1.3680043.2.1125.1.4";
    static final String PATIENT_ID = "PID-4711";
    /** A public sequence Table E.1-1 does not list (Anatomic Region Sequence): its items are only recursed into. */
    static final int CONTAINER = Tag.AnatomicRegionSequence;
    /** Free text that the cleaner reduces to "CT HEAD". */
    static final String FREE_TEXT = "CT head John Doe 2020-03-15";
    static final String DATE = "20200315";
    static final String TIME = "101010";
    static final String DATE_TIME = "20200315101010.5+0100";

    private TestInstances() {
    }

    /** Rows of the table that name one tag of the data set (not File Meta, not command elements, not patterns). */
    static List<ProfileTable.Row> dataSetRows() {
        List<ProfileTable.Row> out = new ArrayList<>();
        for (ProfileTable.Row r : ProfileTable.standard().rows()) {
            int group = r.tag() >>> 16;
            if (!r.isPattern() && group != 0x0000 && group != 0x0002) {
                out.add(r);
            }
        }
        return out;
    }

    static VR vrOf(int tag) {
        return Dictionary.standard().vrOf(tag);
    }

    /** A CT instance with every row's attribute at top level. */
    static DicomFile everyAttribute() {
        Dataset ds = base();
        for (ProfileTable.Row r : dataSetRows()) {
            if (r.tag() != Tag.SOPInstanceUID && r.tag() != Tag.StudyInstanceUID && r.tag() != Tag.SeriesInstanceUID
                    && r.tag() != Tag.PatientID && r.tag() != Tag.FrameOfReferenceUID) {
                put(ds, r.tag(), vrOf(r.tag()));
            }
        }
        patterns(ds);
        return part10(ds);
    }

    /** A CT instance with every row's attribute inside the one item of {@link #CONTAINER}. */
    static DicomFile everyAttributeNested() {
        Dataset ds = base();
        Dataset item = ds.newSequence(CONTAINER).addItem();
        for (ProfileTable.Row r : dataSetRows()) {
            put(item, r.tag(), vrOf(r.tag()));
        }
        return part10(ds);
    }

    /** Overlay, curve and private attributes (the pattern rows). */
    static void patterns(Dataset ds) {
        ds.setInt(0x60000010, VR.US, 4);
        ds.setInt(0x60000011, VR.US, 4);
        ds.setString(0x60000040, VR.CS, "G");
        ds.setInt(0x60000050, VR.SS, 1, 1);
        ds.setInt(0x60000100, VR.US, 1);
        ds.setInt(0x60000102, VR.US, 0);
        ds.setBytes(Tag.OverlayData, VR.OW, new byte[] {(byte) 0xFF, 0x0F});
        ds.setString(0x60004000, VR.LT, FREE_TEXT);
        ds.setBytes(0x50003000, VR.OW, new byte[] {1, 2, 3, 4});
        ds.setString(0x50002500, VR.LO, FREE_TEXT);
        ds.setString(0x00090010, VR.LO, "UNKNOWN CREATOR");
        ds.setString(0x00091001, VR.LO, "private value");
    }

    static Dataset base() {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, SOP);
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, SERIES);
        ds.setString(Tag.FrameOfReferenceUID, VR.UI, FRAME_OF_REFERENCE);
        ds.setString(Tag.PatientID, VR.LO, PATIENT_ID);
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.Manufacturer, VR.LO, "ACME");
        ds.setInt(Tag.Rows, VR.US, 4);
        ds.setInt(Tag.Columns, VR.US, 4);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[32];
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (byte) (i + 1);
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }

    static DicomFile part10(Dataset ds) {
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, ds.getString(Tag.SOPClassUID));
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        meta.setString(Tag.ImplementationClassUID, VR.UI, "1.2.3.4");
        meta.setString(Tag.SourceApplicationEntityTitle, VR.AE, "SECRET_AE");
        byte[] preamble = new byte[DicomFile.PREAMBLE_LENGTH];
        preamble[0] = 'X';
        return new DicomFile(preamble, meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** The test value of an attribute with this VR, set into {@code ds}. */
    static void put(Dataset ds, int tag, VR vr) {
        switch (vr) {
            case SQ -> {
                Sequence s = ds.newSequence(tag);
                Dataset item = s.addItem();
                item.setString(Tag.PatientName, VR.PN, "Nested^Name");
                item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, uid(tag, 1));
                item.setString(Tag.CodeValue, VR.SH, "T-A0100");
            }
            case UI -> ds.setString(tag, vr, uid(tag, 0));
            case AE -> ds.setString(tag, vr, "STATION_7");
            case AS -> ds.setString(tag, vr, "045Y");
            case CS -> ds.setString(tag, vr, "JOHNDOE");
            case DA -> ds.setString(tag, vr, DATE);
            case TM -> ds.setString(tag, vr, TIME);
            case DT -> ds.setString(tag, vr, DATE_TIME);
            case DS -> ds.setString(tag, vr, "12.5");
            case IS -> ds.setString(tag, vr, "7");
            case PN -> ds.setString(tag, vr, "Doe^John");
            case LO, LT, SH, ST, UT, UC -> ds.setString(tag, vr, vr == VR.SH ? "HEAD Doe" : FREE_TEXT);
            case UR -> ds.setString(tag, vr, "http://example.org/john");
            case US, SS -> ds.setInt(tag, vr, 3);
            case UL, SL -> ds.setInt(tag, vr, 5);
            case FL, OF -> ds.setBytes(tag, vr, new byte[] {0, 0, (byte) 0x80, 0x3F});
            case FD, OD, SV, UV, OV -> ds.setBytes(tag, vr, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            case AT -> ds.setBytes(tag, vr, new byte[] {0x10, 0, 0x10, 0});
            default -> ds.setBytes(tag, vr, "binary-value".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A distinct non-standard UID per tag. */
    static String uid(int tag, int n) {
        return "1.2.826.0.1.3680043.2.1125.9." + Integer.toUnsignedString(tag) + "." + n;
    }
}
