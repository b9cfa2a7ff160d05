package org.cameldicomsecure.dicom.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;

/**
 * Writes the seed inputs of {@link DicomReaderFuzzTest}: small synthetic objects (no patient data) made with our own
 * {@link DicomWriter}, one per encoding feature the reader has to handle. The committed seeds under
 * {@code src/test/resources/org/cameldicomsecure/dicom/io/DicomReaderFuzzTestInputs/} were made with (from the
 * repository root, after {@code mvn -q -pl camel-dicom-secure test-compile}):
 *
 * <pre>
 * java -cp camel-dicom-secure/target/classes:camel-dicom-secure/target/test-classes \
 *     org.cameldicomsecure.dicom.io.DicomReaderFuzzSeeds \
 *     camel-dicom-secure/src/test/resources/org/cameldicomsecure/dicom/io/DicomReaderFuzzTestInputs
 * </pre>
 *
 * Re-run it when the writer's output changes on purpose. It replaces the {@code seed-*} files only: fuzzer findings
 * ({@code crash-*}) and hand-made regression inputs ({@code regression-*}) stay. See {@code docs/FUZZING.md}.
 */
public final class DicomReaderFuzzSeeds {

    private static final String SOP_INSTANCE = "2.25.1234567890123456789012345678";
    private static final String JPEG_BASELINE = UID.JPEGBaseline8Bit;

    private DicomReaderFuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path base = Path.of(args.length > 0 ? args[0]
                : "camel-dicom-secure/src/test/resources/org/cameldicomsecure/dicom/io/DicomReaderFuzzTestInputs");
        write(base.resolve("readFile"), fileSeeds());
        write(base.resolve("readDataset"), datasetSeeds());
    }

    private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
        Files.createDirectories(dir);
        try (var old = Files.list(dir)) {
            for (Path p : (Iterable<Path>) old::iterator) {
                if (p.getFileName().toString().startsWith("seed-")) {
                    Files.delete(p);
                }
            }
        }
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }

    /** Inputs for {@code DicomReader.read(byte[])}: PS3.10 files in each transfer syntax, and bare data sets. */
    static Map<String, byte[]> fileSeeds() throws IOException {
        DicomWriter w = new DicomWriter();
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("seed-part10-explicit-le", w.toBytes(part10(ct(false), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
        seeds.put("seed-part10-implicit-le", w.toBytes(part10(ct(false), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)));
        seeds.put("seed-part10-explicit-be", w.toBytes(part10(ct(true), TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)));
        seeds.put("seed-part10-deflated",
                w.toBytes(part10(ct(false), TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)));
        seeds.put("seed-part10-jpeg-fragments", w.toBytes(part10(encapsulated(), TransferSyntax.of(JPEG_BASELINE))));
        seeds.put("seed-part10-cp246-un-sequence",
                w.toBytes(part10(withUnknownSequence(ct(false)), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
        seeds.put("seed-part10-bulk-ow", w.toBytes(part10(bulk(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
        seeds.put("seed-part10-deflated-bulk-ow",
                w.toBytes(part10(bulk(), TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)));
        seeds.put("seed-part10-nested-15", w.toBytes(part10(nested(15), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
        byte[] part10 = seeds.get("seed-part10-explicit-le");
        seeds.put("seed-meta-without-preamble",
                Arrays.copyOfRange(part10, DicomFile.PREAMBLE_LENGTH + 4, part10.length));
        seeds.put("seed-bare-explicit-le", bare(w, ct(false), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        seeds.put("seed-bare-implicit-le", bare(w, ct(false), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN));
        return seeds;
    }

    /** Inputs for {@code DicomReader.readDataset(byte[], ts)}: bare data sets in each native transfer syntax. */
    static Map<String, byte[]> datasetSeeds() throws IOException {
        DicomWriter w = new DicomWriter();
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("seed-implicit-le", bare(w, ct(false), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN));
        seeds.put("seed-explicit-le", bare(w, ct(false), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        seeds.put("seed-explicit-be", bare(w, ct(true), TransferSyntax.EXPLICIT_VR_BIG_ENDIAN));
        seeds.put("seed-deflated", bare(w, ct(false), TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN));
        seeds.put("seed-explicit-le-cp246", bare(w, withUnknownSequence(ct(false)),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        seeds.put("seed-explicit-le-fragments", bare(w, encapsulated(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        seeds.put("seed-explicit-be-fragments", bare(w, encapsulated(true), TransferSyntax.EXPLICIT_VR_BIG_ENDIAN));
        seeds.put("seed-implicit-le-cp246", bare(w, withUnknownSequence(ct(false)),
                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN));
        seeds.put("seed-implicit-le-nested-15", bare(w, nested(15), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN));
        return seeds;
    }

    private static byte[] bare(DicomWriter w, Dataset ds, TransferSyntax ts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.writeDataset(ds, ts, out);
        return out.toByteArray();
    }

    static DicomFile part10(Dataset ds, TransferSyntax ts) {
        Dataset meta = new Dataset(false);
        meta.setInt(Tag.FileMetaInformationGroupLength, VR.UL, 0); // recomputed by the writer
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.CTImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, SOP_INSTANCE);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.98765");
        meta.setString(Tag.ImplementationVersionName, VR.SH, "CDS_FUZZ");
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, ts);
    }

    /** A small CT-like data set: text, binary numbers of each width, nested sequences, 8x8 16-bit pixels. */
    static Dataset ct(boolean bigEndian) {
        Dataset ds = new Dataset(bigEndian);
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, SOP_INSTANCE);
        ds.setString(Tag.StudyDate, VR.DA, "20240101");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientName, VR.PN, "Fuzz^Seed");
        ds.setString(Tag.PatientID, VR.LO, "SEED-1");
        ds.setString(Tag.SliceThickness, VR.DS, "1.25");
        ds.setString(Tag.ImagePositionPatient, VR.DS, "-125", "-125", "0");
        ds.setString(Tag.StudyInstanceUID, VR.UI, "2.25.1");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.2");
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 8);
        ds.setInt(Tag.Columns, VR.US, 8);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 1);
        // US or SS in PS3.6: Implicit VR decoding picks SS from Pixel Representation 1
        ds.setInt(Tag.SmallestImagePixelValue, VR.SS, -1000);
        ds.setString(Tag.RescaleIntercept, VR.DS, "-1024");
        Sequence refs = ds.newSequence(Tag.ReferencedImageSequence);
        refs.setUndefinedLength(false);
        Dataset defined = refs.addItem();
        defined.setUndefinedLength(false);
        defined.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
        defined.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "2.25.3");
        Dataset undefined = refs.addItem();
        undefined.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "2.25.4");
        Sequence codes = undefined.newSequence(Tag.ConceptNameCodeSequence);
        Dataset code = codes.addItem();
        code.setString(Tag.CodeValue, VR.SH, "113691");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        code.newSequence(Tag.ContentSequence); // empty, undefined length
        byte[] pixels = new byte[8 * 8 * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }

    /** Adds a private sequence kept as VR UN with undefined length (PS3.5 §6.2.2 Note 2, CP-246). */
    static Dataset withUnknownSequence(Dataset ds) {
        ds.setString(0x00090010, VR.LO, "CDS FUZZ");
        Sequence un = ds.newSequence(0x00091001);
        un.setEncodedAsUnknown(true);
        Dataset item = un.addItem();
        item.setBytes(0x00091002, VR.UN, new byte[] {1, 2, 3, 4});
        item.setString(Tag.CodeValue, VR.SH, "X");
        return ds;
    }

    /** Encapsulated pixel data: an empty Basic Offset Table and two fragments. */
    static Dataset encapsulated() {
        return encapsulated(false);
    }

    static Dataset encapsulated(boolean bigEndian) {
        Dataset ds = new Dataset(bigEndian);
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setInt(Tag.Rows, VR.US, 8);
        Fragments f = new Fragments(VR.OB);
        f.add(new byte[0]);
        f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2});
        f.add(new byte[] {3, 4, (byte) 0xFF, (byte) 0xD9});
        ds.setFragments(Tag.PixelData, f);
        return ds;
    }

    /** Sequences nested {@code depth} deep (the fuzz reader allows 16), alternating defined and undefined lengths. */
    static Dataset nested(int depth) {
        Dataset ds = new Dataset(false);
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        Dataset current = ds;
        for (int i = 0; i < depth; i++) {
            Sequence seq = current.newSequence(Tag.ContentSequence);
            seq.setUndefinedLength(i % 2 == 0);
            Dataset item = seq.addItem();
            item.setUndefinedLength(i % 3 != 0);
            item.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
            current = item;
        }
        current.setString(Tag.TextValue, VR.UT, "leaf");
        return ds;
    }

    /** One value just above the fuzz reader's 4 KiB bulk-data threshold. */
    static Dataset bulk() {
        Dataset ds = new Dataset(false);
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        byte[] pixels = new byte[4096 + 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }
}
