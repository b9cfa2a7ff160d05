package org.cameldicomsecure.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.dict.Dictionary;

/**
 * The two synthetic instances the benchmarks (ours and DCMTK's) run on, built with our data model. Both are PS3.10
 * files in Explicit VR Little Endian, contain no patient data and are the same on every run (no clock, no random).
 * <ul>
 * <li>{@link Kind#CT}: a CT image, 512 x 512 16-bit native pixel data (512 KiB) and a typical CT header of about 100
 * elements;</li>
 * <li>{@link Kind#METADATA}: a metadata-heavy instance, about 5,000 elements, most of them in nested sequences (an SR
 * content tree), no pixel data.</li>
 * </ul>
 */
public final class BenchData {

    /** Which instance. */
    public enum Kind {
        CT("ct.dcm"),
        METADATA("metadata.dcm");

        private final String fileName;

        Kind(String fileName) {
            this.fileName = fileName;
        }

        public String fileName() {
            return fileName;
        }
    }

    private static final Dictionary DICT = Dictionary.standard();
    private static final String ROOT = "2.25.31415926535897932384626433832795";

    private BenchData() {
    }

    public static DicomFile create(Kind kind) {
        return switch (kind) {
            case CT -> part10(UID.CTImageStorage, ct());
            case METADATA -> part10(UID.ComprehensiveSRStorage, metadataHeavy());
        };
    }

    /** Number of data elements, counting those inside sequence items (not items or delimiters). */
    public static int countElements(Dataset ds) {
        int n = 0;
        for (int i = 0; i < ds.size(); i++) {
            n++;
            if (ds.valueAt(i) instanceof Sequence s) {
                for (Dataset item : s) {
                    n += countElements(item);
                }
            }
        }
        return n;
    }

    private static DicomFile part10(String sopClass, Dataset ds) {
        Dataset meta = new Dataset(false);
        meta.setInt(Tag.FileMetaInformationGroupLength, VR.UL, 0); // recomputed by the writer
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClass);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, ROOT + ".9");
        meta.setString(Tag.ImplementationVersionName, VR.SH, "CDS_BENCH");
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    static Dataset ct() {
        Dataset ds = new Dataset(false);
        patientStudySeries(ds, UID.CTImageStorage, "CT");
        put(ds, Tag.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        put(ds, Tag.AcquisitionDate, "20240102");
        put(ds, Tag.AcquisitionTime, "101530.250000");
        put(ds, Tag.ContentDate, "20240102");
        put(ds, Tag.ContentTime, "101531.000000");
        put(ds, Tag.ScanOptions, "HELICAL MODE");
        put(ds, Tag.SliceThickness, "1.25");
        put(ds, Tag.KVP, "120");
        put(ds, Tag.DataCollectionDiameter, "500");
        put(ds, Tag.DeviceSerialNumber, "SN-000042");
        put(ds, Tag.SoftwareVersions, "bench 1.0");
        put(ds, Tag.ProtocolName, "CHEST ROUTINE");
        put(ds, Tag.ReconstructionDiameter, "360");
        put(ds, Tag.DistanceSourceToDetector, "949.075012");
        put(ds, Tag.DistanceSourceToPatient, "541");
        put(ds, Tag.GantryDetectorTilt, "0");
        put(ds, Tag.TableHeight, "168");
        put(ds, Tag.RotationDirection, "CW");
        put(ds, Tag.ExposureTime, "500");
        put(ds, Tag.XRayTubeCurrent, "250");
        put(ds, Tag.Exposure, "125");
        put(ds, Tag.FilterType, "BODY FILTER");
        put(ds, Tag.GeneratorPower, "30000");
        put(ds, Tag.FocalSpots, "0.7");
        put(ds, Tag.ConvolutionKernel, "STANDARD");
        put(ds, Tag.PatientPosition, "FFS");
        put(ds, Tag.RevolutionTime, "0.5");
        put(ds, Tag.SingleCollimationWidth, "0.625");
        put(ds, Tag.TotalCollimationWidth, "40");
        put(ds, Tag.TableSpeed, "78.75");
        put(ds, Tag.TableFeedPerRotation, "39.375");
        put(ds, Tag.SpiralPitchFactor, "0.984375");
        put(ds, Tag.DataCollectionCenterPatient, "0", "-168", "-200");
        put(ds, Tag.ReconstructionTargetCenterPatient, "0", "-168", "-200");
        put(ds, Tag.ExposureModulationType, "ANGULAR");
        put(ds, Tag.CTDIvol, "12.5");
        put(ds, Tag.AcquisitionNumber, "1");
        put(ds, Tag.InstanceNumber, "57");
        put(ds, Tag.ImagePositionPatient, "-180", "-348", "-271.25");
        put(ds, Tag.ImageOrientationPatient, "1", "0", "0", "0", "1", "0");
        put(ds, Tag.FrameOfReferenceUID, ROOT + ".4");
        put(ds, Tag.PositionReferenceIndicator, "SN");
        put(ds, Tag.SliceLocation, "-271.25");
        put(ds, Tag.SamplesPerPixel, "1");
        put(ds, Tag.PhotometricInterpretation, "MONOCHROME2");
        put(ds, Tag.Rows, "512");
        put(ds, Tag.Columns, "512");
        put(ds, Tag.PixelSpacing, "0.703125", "0.703125");
        put(ds, Tag.BitsAllocated, "16");
        put(ds, Tag.BitsStored, "16");
        put(ds, Tag.HighBit, "15");
        put(ds, Tag.PixelRepresentation, "1");
        put(ds, Tag.BurnedInAnnotation, "NO");
        put(ds, Tag.WindowCenter, "40", "-600");
        put(ds, Tag.WindowWidth, "400", "1500");
        put(ds, Tag.RescaleIntercept, "-1024");
        put(ds, Tag.RescaleSlope, "1");
        put(ds, Tag.RescaleType, "HU");
        put(ds, Tag.WindowCenterWidthExplanation, "SOFT TISSUE", "LUNG");
        put(ds, Tag.LossyImageCompression, "00");
        put(ds, Tag.IrradiationEventUID, ROOT + ".5");
        Sequence src = ds.newSequence(Tag.SourceImageSequence);
        for (int i = 0; i < 2; i++) {
            Dataset item = src.addItem();
            put(item, Tag.ReferencedSOPClassUID, UID.CTImageStorage);
            put(item, Tag.ReferencedSOPInstanceUID, ROOT + ".6." + i);
        }
        Sequence anatomy = ds.newSequence(Tag.AnatomicRegionSequence);
        code(anatomy.addItem(), "T-D3000", "SRT", "Chest");
        Sequence request = ds.newSequence(Tag.RequestAttributesSequence);
        Dataset req = request.addItem();
        put(req, Tag.RequestedProcedureID, "RP-1");
        put(req, Tag.ScheduledProcedureStepID, "SPS-1");
        put(req, Tag.ScheduledProcedureStepDescription, "CT CHEST");
        // 512 x 512 x 16 bit: a smooth ramp with some texture, not all zeros
        byte[] pixels = new byte[512 * 512 * 2];
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                int v = ((x * 3 + y * 5) & 0x3FF) + ((x ^ y) & 0x1F) - 1024;
                int p = (y * 512 + x) * 2;
                pixels[p] = (byte) v;
                pixels[p + 1] = (byte) (v >> 8);
            }
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }

    /** About 5,000 elements: an SR document whose content tree has 380 items, each with nested code sequences. */
    static Dataset metadataHeavy() {
        Dataset ds = new Dataset(false);
        patientStudySeries(ds, UID.ComprehensiveSRStorage, "SR");
        put(ds, Tag.ContentDate, "20240102");
        put(ds, Tag.ContentTime, "120000");
        put(ds, Tag.InstanceNumber, "1");
        put(ds, Tag.ValueType, "CONTAINER");
        Sequence title = ds.newSequence(Tag.ConceptNameCodeSequence);
        code(title.addItem(), "126000", "DCM", "Imaging Measurement Report");
        put(ds, Tag.ContinuityOfContent, "SEPARATE");
        put(ds, Tag.CompletionFlag, "COMPLETE");
        put(ds, Tag.VerificationFlag, "UNVERIFIED");
        Sequence content = ds.newSequence(Tag.ContentSequence);
        for (int i = 0; i < 380; i++) {
            Dataset item = content.addItem();
            // mix the two item encodings, as real files do
            item.setUndefinedLength(i % 2 == 0);
            put(item, Tag.RelationshipType, "CONTAINS");
            put(item, Tag.ValueType, "NUM");
            code(item.newSequence(Tag.ConceptNameCodeSequence).addItem(), "G-D7FE", "SRT", "Measurement " + i);
            Sequence measured = item.newSequence(Tag.MeasuredValueSequence);
            measured.setUndefinedLength(i % 3 != 0);
            Dataset value = measured.addItem();
            put(value, Tag.NumericValue, Double.toString(i * 1.25));
            code(value.newSequence(Tag.MeasurementUnitsCodeSequence).addItem(), "mm", "UCUM", "millimeter");
            put(item, Tag.ObservationDateTime, "20240102120000");
        }
        return ds;
    }

    private static void patientStudySeries(Dataset ds, String sopClass, String modality) {
        put(ds, Tag.SpecificCharacterSet, "ISO_IR 100");
        put(ds, Tag.InstanceCreationDate, "20240102");
        put(ds, Tag.InstanceCreationTime, "101532");
        put(ds, Tag.SOPClassUID, sopClass);
        put(ds, Tag.SOPInstanceUID, ROOT + "." + modality.length() + ".1");
        put(ds, Tag.StudyDate, "20240102");
        put(ds, Tag.SeriesDate, "20240102");
        put(ds, Tag.StudyTime, "101500");
        put(ds, Tag.SeriesTime, "101510");
        put(ds, Tag.AccessionNumber, "A0000001");
        put(ds, Tag.Modality, modality);
        put(ds, Tag.Manufacturer, "Synthetic");
        put(ds, Tag.InstitutionName, "Bench Institute");
        put(ds, Tag.InstitutionAddress, "1 Example Street");
        put(ds, Tag.ReferringPhysicianName, "Referrer^Bench");
        put(ds, Tag.StationName, "BENCH01");
        put(ds, Tag.StudyDescription, "BENCHMARK STUDY");
        put(ds, Tag.SeriesDescription, "BENCHMARK SERIES");
        put(ds, Tag.InstitutionalDepartmentName, "Radiology");
        put(ds, Tag.PerformingPhysicianName, "Performer^Bench");
        put(ds, Tag.OperatorsName, "Operator^Bench");
        put(ds, Tag.ManufacturerModelName, "Model 0");
        put(ds, Tag.TimezoneOffsetFromUTC, "+0000");
        Sequence study = ds.newSequence(Tag.ReferencedStudySequence);
        Dataset ref = study.addItem();
        put(ref, Tag.ReferencedSOPClassUID, "1.2.840.10008.3.1.2.3.1");
        put(ref, Tag.ReferencedSOPInstanceUID, ROOT + ".7");
        Sequence procedure = ds.newSequence(Tag.ProcedureCodeSequence);
        code(procedure.addItem(), "P-0001", "99BENCH", "Benchmark procedure");
        put(ds, Tag.PatientName, "Synthetic^Patient");
        put(ds, Tag.PatientID, "BENCH-0001");
        put(ds, Tag.PatientBirthDate, "19700101");
        put(ds, Tag.PatientSex, "O");
        put(ds, Tag.PatientAge, "054Y");
        put(ds, Tag.PatientSize, "1.75");
        put(ds, Tag.PatientWeight, "70");
        put(ds, Tag.BodyPartExamined, "CHEST");
        put(ds, Tag.StudyInstanceUID, ROOT + ".1");
        put(ds, Tag.SeriesInstanceUID, ROOT + ".2");
        put(ds, Tag.StudyID, "S1");
        put(ds, Tag.SeriesNumber, "3");
        put(ds, Tag.PerformedProcedureStepStartDate, "20240102");
        put(ds, Tag.PerformedProcedureStepID, "PPS-1");
        put(ds, Tag.PerformedProcedureStepDescription, "CT CHEST");
    }

    private static void code(Dataset item, String value, String scheme, String meaning) {
        put(item, Tag.CodeValue, value);
        put(item, Tag.CodingSchemeDesignator, scheme);
        put(item, Tag.CodeMeaning, meaning);
    }

    /** Sets a value with the tag's VR from the dictionary: text as is, binary numbers parsed from the text. */
    private static void put(Dataset ds, int tag, String... values) {
        VR vr = DICT.vrOf(tag);
        switch (vr) {
            case US, SS, UL, SL -> ds.setString(tag, vr, values);
            case FD, FL -> {
                int unit = vr == VR.FD ? 8 : 4;
                ByteBuffer b = ByteBuffer.allocate(values.length * unit).order(ByteOrder.LITTLE_ENDIAN);
                for (String v : values) {
                    if (vr == VR.FD) {
                        b.putDouble(Double.parseDouble(v));
                    } else {
                        b.putFloat(Float.parseFloat(v));
                    }
                }
                ds.setBytes(tag, vr, b.array());
            }
            default -> ds.setString(tag, vr, values);
        }
    }
}
