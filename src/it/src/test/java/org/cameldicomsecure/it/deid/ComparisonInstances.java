package org.cameldicomsecure.it.deid;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.it.ItUids;

/**
 * The synthetic instances of {@link OrthancComparisonIT} (no patient data; every "identifying" value is invented):
 * a CT image, a Comprehensive SR that reports on it, and an ultrasound image. Together they hold about a hundred
 * attributes that Table E.1-1 lists, at the top level and inside sequences, plus overlays, a curve and a private block.
 * Tags are written as numbers with the PS3.6 name beside them.
 */
final class ComparisonInstances {

    static final String PATIENT_ID = "PID-0042";
    static final String CT_DETACHED_STUDY = "1.2.840.10008.3.1.2.3.1";
    static final String MPPS_SOP_CLASS = "1.2.840.10008.3.1.2.3.3";
    static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";
    static final String US_IMAGE = "1.2.840.10008.5.1.4.1.1.6.1";

    final String study = ItUids.fromName("OrthancComparisonIT study");
    final String ctSeries = study + ".1";
    final String ctSop = study + ".1.1";
    final String srSeries = study + ".2";
    final String srSop = study + ".2.1";
    final String usStudy = ItUids.fromName("OrthancComparisonIT US study");
    final String usSeries = usStudy + ".1";
    final String usSop = usStudy + ".1.1";

    // ------------------------------------------------------------------------------------------------ CT

    DicomFile ct() {
        Dataset ds = new Dataset(false);
        s(ds, 0x00080005, VR.CS, "ISO_IR 100");                       // Specific Character Set
        s(ds, 0x00080008, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");     // Image Type
        s(ds, 0x00080012, VR.DA, "20240102");                         // Instance Creation Date
        s(ds, 0x00080013, VR.TM, "101700");                           // Instance Creation Time
        s(ds, 0x00080014, VR.UI, study + ".9.1");                     // Instance Creator UID
        s(ds, 0x00080016, VR.UI, UID.CTImageStorage);                 // SOP Class UID
        s(ds, 0x00080018, VR.UI, ctSop);                              // SOP Instance UID
        s(ds, 0x00080020, VR.DA, "20240102");                         // Study Date
        s(ds, 0x00080021, VR.DA, "20240102");                         // Series Date
        s(ds, 0x00080022, VR.DA, "20240102");                         // Acquisition Date
        s(ds, 0x00080023, VR.DA, "20240102");                         // Content Date
        s(ds, 0x0008002A, VR.DT, "20240102101530.123");               // Acquisition DateTime
        s(ds, 0x00080030, VR.TM, "101500");                           // Study Time
        s(ds, 0x00080031, VR.TM, "101600");                           // Series Time
        s(ds, 0x00080032, VR.TM, "101530");                           // Acquisition Time
        s(ds, 0x00080033, VR.TM, "101530");                           // Content Time
        s(ds, 0x00080050, VR.SH, "ACC-0042");                         // Accession Number
        s(ds, 0x00080060, VR.CS, "CT");                               // Modality
        s(ds, 0x00080070, VR.LO, "Synthetic Medical");                // Manufacturer
        s(ds, 0x00080080, VR.LO, "Example Hospital");                 // Institution Name
        s(ds, 0x00080081, VR.ST, "1 Example Street, Exampletown");    // Institution Address
        s(ds, 0x00080090, VR.PN, "Referrer^Rita");                    // Referring Physician's Name
        s(ds, 0x00080092, VR.ST, "2 Clinic Road, Exampletown");       // Referring Physician's Address
        s(ds, 0x00080094, VR.SH, "555-0101");                         // Referring Physician's Telephone Numbers
        s(ds, 0x00080201, VR.SH, "+0100");                            // Timezone Offset From UTC
        s(ds, 0x00081010, VR.SH, "CT01");                             // Station Name
        s(ds, 0x00081030, VR.LO, "CT CHEST Jane Doe");                // Study Description
        s(ds, 0x0008103E, VR.LO, "AXIAL 1.25");                       // Series Description
        s(ds, 0x00081040, VR.LO, "Radiology Dept 3");                 // Institutional Department Name
        s(ds, 0x00081048, VR.PN, "Record^Ralph");                     // Physician(s) of Record
        s(ds, 0x00081050, VR.PN, "Performer^Paula");                  // Performing Physician's Name
        s(ds, 0x00081060, VR.PN, "Reader^Rob");                       // Name of Physician(s) Reading Study
        s(ds, 0x00081070, VR.PN, "Operator^Otto");                    // Operators' Name
        s(ds, 0x00081090, VR.LO, "Model 7");                          // Manufacturer's Model Name
        Dataset refStudy = ds.newSequence(0x00081110).addItem();      // Referenced Study Sequence
        s(refStudy, 0x00081150, VR.UI, CT_DETACHED_STUDY);
        s(refStudy, 0x00081155, VR.UI, study + ".7");
        Dataset refPps = ds.newSequence(0x00081111).addItem();        // Referenced Performed Procedure Step Sequence
        s(refPps, 0x00081150, VR.UI, MPPS_SOP_CLASS);
        s(refPps, 0x00081155, VR.UI, study + ".8");
        Sequence refImages = ds.newSequence(0x00081140);              // Referenced Image Sequence
        for (int i = 1; i <= 2; i++) {
            Dataset item = refImages.addItem();
            s(item, 0x00081150, VR.UI, UID.CTImageStorage);           // Referenced SOP Class UID
            s(item, 0x00081155, VR.UI, study + ".98." + i);           // Referenced SOP Instance UID
        }
        s(ds, 0x00082111, VR.ST, "Derived by Dr Who");                // Derivation Description
        Dataset source = ds.newSequence(0x00082112).addItem();        // Source Image Sequence
        s(source, 0x00081150, VR.UI, UID.CTImageStorage);
        s(source, 0x00081155, VR.UI, study + ".99.1");
        code(source.newSequence(0x0040A170).addItem(), "121320", "DCM", "Uncompressed predecessor"); // Purpose of Ref.
        code(ds.newSequence(0x00082218).addItem(), "51185008", "SCT", "Thorax"); // Anatomic Region Sequence
        s(ds, 0x00083010, VR.UI, study + ".6");                       // Irradiation Event UID
        s(ds, 0x00100010, VR.PN, "Doe^Jane^Q");                       // Patient's Name
        s(ds, 0x00100020, VR.LO, PATIENT_ID);                         // Patient ID
        s(ds, 0x00100021, VR.LO, "HOSP");                             // Issuer of Patient ID
        s(ds, 0x00100030, VR.DA, "19700101");                         // Patient's Birth Date
        s(ds, 0x00100032, VR.TM, "0830");                             // Patient's Birth Time
        s(ds, 0x00100040, VR.CS, "F");                                // Patient's Sex
        s(ds, 0x00101000, VR.LO, "OLD-0042");                         // Other Patient IDs (retired)
        s(ds, 0x00101001, VR.PN, "Roe^Jane");                         // Other Patient Names
        Dataset other = ds.newSequence(0x00101002).addItem();         // Other Patient IDs Sequence
        s(other, 0x00100020, VR.LO, "OLD-0042");
        s(other, 0x00100021, VR.LO, "OLDHOSP");
        s(other, 0x00100022, VR.CS, "TEXT");                          // Type of Patient ID
        s(ds, 0x00101010, VR.AS, "054Y");                             // Patient's Age
        s(ds, 0x00101020, VR.DS, "1.68");                             // Patient's Size
        s(ds, 0x00101030, VR.DS, "61");                               // Patient's Weight
        s(ds, 0x00101040, VR.LO, "3 Home Lane, Exampletown");         // Patient's Address
        s(ds, 0x00102160, VR.SH, "ETHNIC-X");                         // Ethnic Group
        s(ds, 0x00104000, VR.LT, "Allergic to iodine; sister Joan Doe"); // Patient Comments
        s(ds, 0x00180010, VR.LO, "IOPAMIDOL");                        // Contrast/Bolus Agent
        s(ds, 0x00180015, VR.CS, "CHEST");                            // Body Part Examined
        s(ds, 0x00180050, VR.DS, "1.25");                             // Slice Thickness
        s(ds, 0x00180060, VR.DS, "120");                              // KVP
        s(ds, 0x00181000, VR.LO, "SN-000042");                        // Device Serial Number
        s(ds, 0x00181002, VR.UI, study + ".5");                       // Device UID
        s(ds, 0x00181020, VR.LO, "VE11");                             // Software Versions
        s(ds, 0x00181030, VR.LO, "CHEST ROUTINE JDOE");               // Protocol Name
        s(ds, 0x0020000D, VR.UI, study);                              // Study Instance UID
        s(ds, 0x0020000E, VR.UI, ctSeries);                           // Series Instance UID
        s(ds, 0x00200010, VR.SH, "S1");                               // Study ID
        s(ds, 0x00200011, VR.IS, "3");                                // Series Number
        s(ds, 0x00200013, VR.IS, "1");                                // Instance Number
        s(ds, 0x00200032, VR.DS, "-16", "-16", "-1.25");              // Image Position (Patient)
        s(ds, 0x00200037, VR.DS, "1", "0", "0", "0", "1", "0");       // Image Orientation (Patient)
        s(ds, 0x00200052, VR.UI, study + ".4");                       // Frame of Reference UID
        s(ds, 0x00201040, VR.LO, "XY");                               // Position Reference Indicator
        s(ds, 0x00204000, VR.LT, "Call Dr Who on 555-1234");          // Image Comments
        ds.setInt(0x00280002, VR.US, 1);                              // Samples per Pixel
        s(ds, 0x00280004, VR.CS, "MONOCHROME2");                      // Photometric Interpretation
        ds.setInt(0x00280010, VR.US, 64);                             // Rows
        ds.setInt(0x00280011, VR.US, 64);                             // Columns
        s(ds, 0x00280030, VR.DS, "0.5", "0.5");                       // Pixel Spacing
        ds.setInt(0x00280100, VR.US, 16);                             // Bits Allocated
        ds.setInt(0x00280101, VR.US, 16);                             // Bits Stored
        ds.setInt(0x00280102, VR.US, 15);                             // High Bit
        ds.setInt(0x00280103, VR.US, 1);                              // Pixel Representation
        s(ds, 0x00280301, VR.CS, "NO");                               // Burned In Annotation
        s(ds, 0x00281050, VR.DS, "40");                               // Window Center
        s(ds, 0x00281051, VR.DS, "400");                              // Window Width
        s(ds, 0x00281052, VR.DS, "-1024");                            // Rescale Intercept
        s(ds, 0x00281053, VR.DS, "1");                                // Rescale Slope
        Dataset request = ds.newSequence(0x00400275).addItem();       // Request Attributes Sequence
        s(request, 0x00080050, VR.SH, "ACC-0042");
        s(request, 0x00321060, VR.LO, "CT thorax Jane Doe");           // Requested Procedure Description
        s(request, 0x00400007, VR.LO, "CT CHEST");                     // Scheduled Procedure Step Description
        s(request, 0x00400009, VR.SH, "SPS-77");                       // Scheduled Procedure Step ID
        s(request, 0x00401001, VR.SH, "RP-77");                        // Requested Procedure ID
        s(ds, 0x00400244, VR.DA, "20240102");                         // Performed Procedure Step Start Date
        s(ds, 0x00400245, VR.TM, "101400");                           // Performed Procedure Step Start Time
        s(ds, 0x00400253, VR.SH, "PPS-9");                            // Performed Procedure Step ID
        s(ds, 0x00400254, VR.LO, "CT CHEST Jane Doe");                // Performed Procedure Step Description
        Dataset icon = ds.newSequence(0x00880200).addItem();          // Icon Image Sequence
        icon.setInt(0x00280002, VR.US, 1);
        s(icon, 0x00280004, VR.CS, "MONOCHROME2");
        icon.setInt(0x00280010, VR.US, 8);
        icon.setInt(0x00280011, VR.US, 8);
        icon.setInt(0x00280100, VR.US, 8);
        icon.setInt(0x00280101, VR.US, 8);
        icon.setInt(0x00280102, VR.US, 7);
        icon.setInt(0x00280103, VR.US, 0);
        icon.setBytes(0x7FE00010, VR.OB, ramp(64, 3));
        // a retired curve (PS3.3-2004 C.10.2): Curve Data and everything in group 5000 is X
        ds.setInt(0x50000005, VR.US, 2);                              // Curve Dimensions
        ds.setInt(0x50000010, VR.US, 4);                              // Number of Points
        s(ds, 0x50000020, VR.CS, "ECG");                              // Type of Data
        s(ds, 0x50000022, VR.LO, "ECG of Jane Doe");                  // Curve Description
        ds.setInt(0x50000103, VR.US, 0);                              // Data Value Representation
        ds.setBytes(0x50003000, VR.OW, ramp(16, 5));                  // Curve Data
        // an overlay plane with comments and a description
        ds.setInt(0x60000010, VR.US, 64);                             // Overlay Rows
        ds.setInt(0x60000011, VR.US, 64);                             // Overlay Columns
        s(ds, 0x60000022, VR.LO, "Marker for Jane Doe");              // Overlay Description
        s(ds, 0x60000040, VR.CS, "G");                                // Overlay Type
        ds.setInt(0x60000050, VR.SS, 1, 1);                           // Overlay Origin
        ds.setInt(0x60000100, VR.US, 1);                              // Overlay Bits Allocated
        ds.setInt(0x60000102, VR.US, 0);                              // Overlay Bit Position
        ds.setBytes(0x60003000, VR.OW, ramp(64 * 64 / 8, 7));         // Overlay Data
        s(ds, 0x60004000, VR.LT, "Drawn by Dr Who");                  // Overlay Comments
        // a private block
        s(ds, 0x00090010, VR.LO, "CAMEL DICOM SECURE IT");            // Private Creator
        s(ds, 0x00091001, VR.LO, "private note about Jane Doe");
        s(ds, 0x00091002, VR.DS, "42");
        byte[] pixels = new byte[64 * 64 * 2];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int v = ((x * 7 + y * 13) & 0x3FF) - 1024;
                pixels[(y * 64 + x) * 2] = (byte) v;
                pixels[(y * 64 + x) * 2 + 1] = (byte) (v >> 8);
            }
        }
        ds.setBytes(0x7FE00010, VR.OW, pixels);                       // Pixel Data
        return file(ds, UID.CTImageStorage, ctSop);
    }

    // ------------------------------------------------------------------------------------------------ SR

    DicomFile sr() {
        Dataset ds = new Dataset(false);
        s(ds, 0x00080005, VR.CS, "ISO_IR 100");
        s(ds, 0x00080012, VR.DA, "20240103");                         // Instance Creation Date
        s(ds, 0x00080013, VR.TM, "120500");                           // Instance Creation Time
        s(ds, 0x00080016, VR.UI, COMPREHENSIVE_SR);
        s(ds, 0x00080018, VR.UI, srSop);
        s(ds, 0x00080020, VR.DA, "20240102");                         // Study Date
        s(ds, 0x00080023, VR.DA, "20240103");                         // Content Date (Type 1 in SR)
        s(ds, 0x00080030, VR.TM, "101500");                           // Study Time
        s(ds, 0x00080033, VR.TM, "120000");                           // Content Time (Type 1 in SR)
        s(ds, 0x00080050, VR.SH, "ACC-0042");                         // Accession Number
        s(ds, 0x00080060, VR.CS, "SR");
        s(ds, 0x00080070, VR.LO, "Synthetic Reporting");
        s(ds, 0x00080080, VR.LO, "Example Hospital");                 // Institution Name
        s(ds, 0x00080090, VR.PN, "Referrer^Rita");
        s(ds, 0x00081030, VR.LO, "CT CHEST Jane Doe");                // Study Description
        s(ds, 0x0008103E, VR.LO, "Report");                           // Series Description
        Dataset refPps = ds.newSequence(0x00081111).addItem();        // Referenced PPS Sequence (Type 2 in SR)
        s(refPps, 0x00081150, VR.UI, MPPS_SOP_CLASS);
        s(refPps, 0x00081155, VR.UI, study + ".8");
        s(ds, 0x00100010, VR.PN, "Doe^Jane^Q");
        s(ds, 0x00100020, VR.LO, PATIENT_ID);
        s(ds, 0x00100030, VR.DA, "19700101");
        s(ds, 0x00100040, VR.CS, "F");
        s(ds, 0x0020000D, VR.UI, study);
        s(ds, 0x0020000E, VR.UI, srSeries);
        s(ds, 0x00200010, VR.SH, "S1");
        s(ds, 0x00200011, VR.IS, "99");
        s(ds, 0x00200013, VR.IS, "1");
        s(ds, 0x0040A040, VR.CS, "CONTAINER");                        // Value Type
        code(ds.newSequence(0x0040A043).addItem(), "18748-4", "LN", "Diagnostic Imaging Report"); // Concept Name
        s(ds, 0x0040A050, VR.CS, "SEPARATE");                         // Continuity Of Content
        Dataset verifying = ds.newSequence(0x0040A073).addItem();     // Verifying Observer Sequence
        s(verifying, 0x0040A027, VR.LO, "Example Hospital");          // Verifying Organization
        s(verifying, 0x0040A030, VR.DT, "20240103120000");            // Verification DateTime
        s(verifying, 0x0040A075, VR.PN, "Reader^Rob");                // Verifying Observer Name
        // Verifying Observer Identification Code Sequence
        code(verifying.newSequence(0x0040A088).addItem(), "RR01", "LOCAL", "Reader Rob");
        Dataset request = ds.newSequence(0x0040A370).addItem();       // Referenced Request Sequence (not in E.1-1)
        s(request, 0x00080050, VR.SH, "ACC-0042");                    // Accession Number
        request.newSequence(0x00081110);                              // Referenced Study Sequence, empty
        s(request, 0x0020000D, VR.UI, study);                         // Study Instance UID
        s(request, 0x00321060, VR.LO, "CT thorax Jane Doe");          // Requested Procedure Description
        request.newSequence(0x00321064);                              // Requested Procedure Code Sequence, empty
        s(request, 0x00401001, VR.SH, "RP-77");                       // Requested Procedure ID
        s(request, 0x00402016, VR.LO, "PO-1");                        // Placer Order Number
        s(request, 0x00402017, VR.LO, "FO-1");                        // Filler Order Number
        ds.newSequence(0x0040A372);                                   // Performed Procedure Code Sequence, empty
        Dataset evidence = ds.newSequence(0x0040A375).addItem();      // Current Requested Procedure Evidence Seq.
        s(evidence, 0x0020000D, VR.UI, study);
        Dataset series = evidence.newSequence(0x00081115).addItem();  // Referenced Series Sequence
        s(series, 0x0020000E, VR.UI, ctSeries);
        Dataset sop = series.newSequence(0x00081199).addItem();       // Referenced SOP Sequence
        s(sop, 0x00081150, VR.UI, UID.CTImageStorage);
        s(sop, 0x00081155, VR.UI, ctSop);
        s(ds, 0x0040A491, VR.CS, "COMPLETE");                         // Completion Flag
        s(ds, 0x0040A493, VR.CS, "VERIFIED");                         // Verification Flag
        Dataset template = ds.newSequence(0x0040A504).addItem();      // Content Template Sequence
        s(template, 0x00080105, VR.CS, "DCMR");
        s(template, 0x0040DB00, VR.CS, "2000");
        Sequence content = ds.newSequence(0x0040A730);                // Content Sequence
        Dataset observer = content.addItem();
        s(observer, 0x0040A010, VR.CS, "HAS OBS CONTEXT");
        s(observer, 0x0040A040, VR.CS, "PNAME");
        code(observer.newSequence(0x0040A043).addItem(), "121008", "DCM", "Person Observer Name");
        s(observer, 0x0040A123, VR.PN, "Reader^Rob");                 // Person Name
        Dataset finding = content.addItem();
        s(finding, 0x0040A010, VR.CS, "CONTAINS");
        s(finding, 0x0040A040, VR.CS, "TEXT");
        code(finding.newSequence(0x0040A043).addItem(), "121071", "DCM", "Finding");
        s(finding, 0x0040A032, VR.DT, "20240103115500");              // Observation DateTime
        s(finding, 0x0040A160, VR.UT, "Jane Doe: 6 mm nodule, right upper lobe"); // Text Value
        Dataset image = content.addItem();
        s(image, 0x0040A010, VR.CS, "CONTAINS");
        s(image, 0x0040A040, VR.CS, "IMAGE");
        code(image.newSequence(0x0040A043).addItem(), "121112", "DCM", "Source of Measurement");
        Dataset ref = image.newSequence(0x00081199).addItem();
        s(ref, 0x00081150, VR.UI, UID.CTImageStorage);
        s(ref, 0x00081155, VR.UI, ctSop);
        Dataset date = content.addItem();
        s(date, 0x0040A010, VR.CS, "HAS OBS CONTEXT");
        s(date, 0x0040A040, VR.CS, "DATE");
        code(date.newSequence(0x0040A043).addItem(), "111060", "DCM", "Study Date");
        s(date, 0x0040A121, VR.DA, "20240102");                       // Date
        return file(ds, COMPREHENSIVE_SR, srSop);
    }

    // ------------------------------------------------------------------------------------------------ US

    DicomFile us() {
        Dataset ds = new Dataset(false);
        s(ds, 0x00080005, VR.CS, "ISO_IR 100");
        s(ds, 0x00080008, VR.CS, "ORIGINAL", "PRIMARY", "ABDOMINAL");
        s(ds, 0x00080012, VR.DA, "20240105");                         // Instance Creation Date
        s(ds, 0x00080016, VR.UI, US_IMAGE);
        s(ds, 0x00080018, VR.UI, usSop);
        s(ds, 0x00080020, VR.DA, "20240105");                         // Study Date
        s(ds, 0x00080021, VR.DA, "20240105");                         // Series Date
        s(ds, 0x00080023, VR.DA, "20240105");                         // Content Date
        s(ds, 0x0008002A, VR.DT, "20240105093000");                   // Acquisition DateTime (Type 1C in US)
        s(ds, 0x00080030, VR.TM, "092500");
        s(ds, 0x00080031, VR.TM, "092600");
        s(ds, 0x00080033, VR.TM, "093000");
        s(ds, 0x00080050, VR.SH, "ACC-0077");
        s(ds, 0x00080060, VR.CS, "US");
        s(ds, 0x00080070, VR.LO, "Synthetic Ultrasound");
        s(ds, 0x00080080, VR.LO, "Example Hospital");
        s(ds, 0x00080090, VR.PN, "Referrer^Rita");
        s(ds, 0x00081010, VR.SH, "US-ROOM2");                         // Station Name
        s(ds, 0x00081030, VR.LO, "US ABDOMEN");
        s(ds, 0x00081050, VR.PN, "Performer^Paula");                  // Performing Physician's Name
        s(ds, 0x00081070, VR.PN, "Sonographer^Sam");                  // Operators' Name
        s(ds, 0x00081090, VR.LO, "Sono 5");
        s(ds, 0x00100010, VR.PN, "Doe^Jane^Q");
        s(ds, 0x00100020, VR.LO, PATIENT_ID);
        s(ds, 0x00100030, VR.DA, "19700101");
        s(ds, 0x00100040, VR.CS, "F");
        s(ds, 0x00101010, VR.AS, "054Y");
        s(ds, 0x00101030, VR.DS, "61");
        s(ds, 0x00181000, VR.LO, "SN-US-7");                          // Device Serial Number
        s(ds, 0x00181020, VR.LO, "2.1");                              // Software Versions
        s(ds, 0x00185010, VR.LO, "C5-1");                             // Transducer Data
        Dataset region = ds.newSequence(0x00186011).addItem();        // Sequence of Ultrasound Regions
        region.setInt(0x00186012, VR.US, 1);                          // Region Spatial Format
        region.setInt(0x00186014, VR.US, 1);                          // Region Data Type
        region.setInt(0x00186016, VR.UL, 0);                          // Region Flags
        region.setInt(0x00186018, VR.UL, 0);                          // Region Location Min X0
        region.setInt(0x0018601A, VR.UL, 0);                          // Region Location Min Y0
        region.setInt(0x0018601C, VR.UL, 31);                         // Region Location Max X1
        region.setInt(0x0018601E, VR.UL, 31);                         // Region Location Max Y1
        region.setInt(0x00186024, VR.US, 3);                          // Physical Units X Direction
        region.setInt(0x00186026, VR.US, 3);                          // Physical Units Y Direction
        region.setBytes(0x0018602C, VR.FD, fd(0.05));                 // Physical Delta X
        region.setBytes(0x0018602E, VR.FD, fd(0.05));                 // Physical Delta Y
        s(ds, 0x0020000D, VR.UI, usStudy);
        s(ds, 0x0020000E, VR.UI, usSeries);
        s(ds, 0x00200010, VR.SH, "U1");
        s(ds, 0x00200011, VR.IS, "1");
        s(ds, 0x00200013, VR.IS, "1");
        s(ds, 0x00200020, VR.CS, "", "");                             // Patient Orientation (Type 2)
        ds.setInt(0x00280002, VR.US, 3);
        s(ds, 0x00280004, VR.CS, "RGB");
        ds.setInt(0x00280006, VR.US, 0);                              // Planar Configuration
        ds.setInt(0x00280010, VR.US, 32);
        ds.setInt(0x00280011, VR.US, 32);
        ds.setInt(0x00280100, VR.US, 8);
        ds.setInt(0x00280101, VR.US, 8);
        ds.setInt(0x00280102, VR.US, 7);
        ds.setInt(0x00280103, VR.US, 0);
        s(ds, 0x00280301, VR.CS, "NO");                               // Burned In Annotation
        s(ds, 0x00282110, VR.CS, "00");                               // Lossy Image Compression
        ds.setBytes(0x7FE00010, VR.OB, ramp(32 * 32 * 3, 11));
        return file(ds, US_IMAGE, usSop);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void s(Dataset ds, int tag, VR vr, String... values) {
        ds.setString(tag, vr, values);
    }

    private static void code(Dataset item, String value, String scheme, String meaning) {
        item.setString(0x00080100, VR.SH, value);
        item.setString(0x00080102, VR.SH, scheme);
        item.setString(0x00080104, VR.LO, meaning);
    }

    private static byte[] fd(double d) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(d).array();
    }

    private static byte[] ramp(int length, int step) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * step + 1);
        }
        return b;
    }

    private static DicomFile file(Dataset ds, String sopClass, String sop) {
        Dataset meta = new Dataset(false);
        meta.setInt(0x00020000, VR.UL, 0);
        meta.setBytes(0x00020001, VR.OB, new byte[] {0, 1});
        meta.setString(0x00020002, VR.UI, sopClass);
        meta.setString(0x00020003, VR.UI, sop);
        meta.setString(0x00020010, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(0x00020012, VR.UI, ItUids.IMPLEMENTATION_CLASS_UID);
        meta.setString(0x00020013, VR.SH, ItUids.IMPLEMENTATION_VERSION_NAME);
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }
}
