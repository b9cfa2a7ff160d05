package org.cameldicomsecure.it.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.ItUids;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.media.DicomDir;
import org.cameldicomsecure.media.DicomDirWriter;
import org.cameldicomsecure.media.DirectoryRecord;
import org.cameldicomsecure.media.FileIds;
import org.cameldicomsecure.media.FileSetEntry;
import org.cameldicomsecure.media.FileSetLayout;
import org.cameldicomsecure.media.MediaInstance;
import org.cameldicomsecure.media.MediaLimits;
import org.cameldicomsecure.media.ZipFileSetReader;
import org.cameldicomsecure.media.ZipFileSetWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DICOMDIR of a ZIP File-set we write (PS3.12 Annex V, PS3.3 Annex F) checked by real programs: dicom3tools'
 * {@code dciodvfy} finds no error in it and no warning that DCMTK's own {@code dcmgpdir} DICOMDIR of the same files
 * does not get; DCMTK's {@code dcmdump}, which reads a DICOMDIR through its offsets, sees every record at the offsets
 * we wrote; and a DICOMDIR made by {@code dcmgpdir} parses with our {@link DicomDir} (offsets followed) into the same
 * referenced files, and its File-set, zipped, reads back with our {@link ZipFileSetReader}.
 */
class DicomDirInteropIT {

    private static Peers peers;
    private static Path dciodvfy;
    private static Path dcmdump;
    private static Path dcmgpdir;

    @TempDir
    Path tmp;

    @BeforeAll
    static void peers() throws Exception {
        dciodvfy = Peers.require("dciodvfy", "dicom3tools");
        dcmdump = Peers.require("dcmdump", "dcmtk");
        dcmgpdir = Peers.require("dcmgpdir", "dcmtk");
        peers = Peers.forTest(DicomDirInteropIT.class);
    }

    /** Two patients, three studies, CT images in several series, and a Comprehensive SR. */
    private static List<DicomFile> instances() {
        List<DicomFile> in = new ArrayList<>();
        in.add(ct("PID-A", 1, 1, 1));
        in.add(ct("PID-A", 1, 1, 2));
        in.add(ct("PID-A", 1, 2, 1));
        in.add(ct("PID-B", 2, 1, 1));
        in.add(ct("PID-A", 3, 1, 1));
        in.add(sr("PID-A", 1, 9));
        in.add(ct("PID-B", 2, 1, 2));
        return in;
    }

    private static Dataset common(String pid, int study, int series, int instance, String sopClass, String modality) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
        ds.setString(Tag.SOPInstanceUID, VR.UI, ItUids.fromName("media-it-sop-" + study + "-" + series + "-" + instance));
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.StudyTime, VR.TM, "101010");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC" + study);
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.Manufacturer, VR.LO, "ACME");
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "");
        ds.setString(Tag.StudyDescription, VR.LO, "Study " + study);
        ds.setString(Tag.PatientName, VR.PN, "Doe^" + pid);
        ds.setString(Tag.PatientID, VR.LO, pid);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, ItUids.fromName("media-it-study-" + study));
        ds.setString(Tag.SeriesInstanceUID, VR.UI, ItUids.fromName("media-it-series-" + study + "-" + series));
        ds.setString(Tag.StudyID, VR.SH, "S" + study);
        ds.setString(Tag.SeriesNumber, VR.IS, Integer.toString(series));
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(instance));
        return ds;
    }

    private static DicomFile ct(String pid, int study, int series, int instance) {
        Dataset ds = common(pid, study, series, instance, UID.CTImageStorage, "CT");
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.setString(Tag.FrameOfReferenceUID, VR.UI, ItUids.fromName("media-it-for-" + study));
        ds.setString(Tag.PositionReferenceIndicator, VR.LO, "");
        ds.setString(Tag.ImagePositionPatient, VR.DS, "0", "0", Integer.toString(instance));
        ds.setString(Tag.ImageOrientationPatient, VR.DS, "1", "0", "0", "0", "1", "0");
        ds.setString(Tag.SliceThickness, VR.DS, "1");
        ds.setString(Tag.PixelSpacing, VR.DS, "0.5", "0.5");
        ds.setString(Tag.KVP, VR.DS, "120");
        ds.setString(Tag.AcquisitionNumber, VR.IS, "1");
        ds.setString(Tag.PatientPosition, VR.CS, "HFS");
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 16);
        ds.setInt(Tag.Columns, VR.US, 16);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setString(Tag.RescaleIntercept, VR.DS, "-1024");
        ds.setString(Tag.RescaleSlope, VR.DS, "1");
        ds.setBytes(Tag.PixelData, VR.OW, new byte[16 * 16 * 2]);
        return part10(ds);
    }

    private static DicomFile sr(String pid, int study, int series) {
        Dataset ds = common(pid, study, series, 1, UID.ComprehensiveSRStorage, "SR");
        ds.setString(Tag.ContentDate, VR.DA, "20240103");
        ds.setString(Tag.ContentTime, VR.TM, "120000");
        ds.setString(Tag.ValueType, VR.CS, "CONTAINER");
        Dataset code = ds.newSequence(Tag.ConceptNameCodeSequence).addItem();
        code.setString(Tag.CodeValue, VR.SH, "18748-4");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "LN");
        code.setString(Tag.CodeMeaning, VR.LO, "Diagnostic Imaging Report");
        ds.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        ds.setString(Tag.CompletionFlag, VR.CS, "COMPLETE");
        ds.setString(Tag.VerificationFlag, VR.CS, "UNVERIFIED");
        ds.newSequence(Tag.PerformedProcedureCodeSequence);
        Dataset text = ds.newSequence(Tag.ContentSequence).addItem();
        text.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        text.setString(Tag.ValueType, VR.CS, "TEXT");
        Dataset c = text.newSequence(Tag.ConceptNameCodeSequence).addItem();
        c.setString(Tag.CodeValue, VR.SH, "121071");
        c.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        c.setString(Tag.CodeMeaning, VR.LO, "Finding");
        text.setString(Tag.TextValue, VR.UT, "no finding");
        return part10(ds);
    }

    private static DicomFile part10(Dataset ds) {
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, ds.getString(Tag.SOPClassUID));
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        meta.setString(Tag.ImplementationClassUID, VR.UI, ItUids.IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, ItUids.IMPLEMENTATION_VERSION_NAME);
        return new DicomFile(new byte[128], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** Writes our ZIP File-set and extracts it with java.util.zip into {@code dir}; returns the File IDs, in order. */
    private List<String> writeAndExtract(Path dir) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ZipFileSetWriter.write("CDS_IT", instances(), zip);
        Files.write(tmp.resolve("fileset.zip"), zip.toByteArray());
        List<String> files = new ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip.toByteArray()))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                String name = e.getName();
                Path target = dir.resolve(String.join("/", FileIds.parse(name.endsWith("/")
                        ? name.substring(0, name.length() - 1) : name)));
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.write(target, z.readAllBytes());
                    if (!name.equals("DICOMDIR")) {
                        files.add(name);
                    }
                }
            }
        }
        return files;
    }

    private Set<String> dciodvfyLines(String label, Path workDir, Path file, String prefix) throws Exception {
        Peers.Result r = peers.run("dciodvfy-" + label, workDir, Peers.cmd(dciodvfy.toString(), file.toString()));
        Set<String> out = new LinkedHashSet<>();
        for (String line : (r.out() + "\n" + r.err()).split("\n")) {
            if (line.startsWith(prefix)) {
                out.add(line.trim());
            }
        }
        return out;
    }

    private void dcmgpdir(Path fs, Path output) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(dcmgpdir.toString(), "+D", output.toString(), "+r"));
        try (Stream<Path> top = Files.list(fs)) {
            top.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(cmd::add);
        }
        Peers.Result r = peers.run("dcmgpdir", fs, cmd);
        assertEquals(0, r.exitCode(), "dcmgpdir failed: " + r.err() + " (logs in " + peers.logDir() + ")");
    }

    @Test
    void dciodvfyFindsNoErrorAndNoWarningDcmgpdirsDicomdirDoesNotGet() throws Exception {
        Path fs = Files.createDirectories(tmp.resolve("fs"));
        writeAndExtract(fs);
        Path ours = fs.resolve("DICOMDIR");
        Set<String> errors = dciodvfyLines("ours", fs, ours, "Error");
        assertEquals(Set.of(), errors, "dciodvfy errors in our DICOMDIR (logs in " + peers.logDir() + ")");
        Path theirs = tmp.resolve("DCMTKDIR");
        dcmgpdir(fs, theirs);
        Set<String> ourWarnings = dciodvfyLines("ours-warnings", fs, ours, "Warning");
        Set<String> theirWarnings = dciodvfyLines("dcmgpdir", fs, theirs, "Warning");
        assertEquals(Set.of(), dciodvfyLines("dcmgpdir-errors", fs, theirs, "Error"),
                "dciodvfy errors in dcmgpdir's DICOMDIR: the reference itself is off");
        Set<String> extra = new TreeSet<>(ourWarnings);
        extra.removeAll(theirWarnings);
        assertEquals(Set.of(), extra, "warnings for our DICOMDIR that dcmgpdir's does not get; ours: " + ourWarnings
                + ", dcmgpdir's: " + theirWarnings);
    }

    /** The comparison means something only if dciodvfy checks records: a SERIES record without Modality is an error. */
    @Test
    void errorsOfABrokenDicomdirAreSeen() throws Exception {
        List<FileSetEntry> entries = FileSetLayout.assign(instances());
        DicomFile dir = new DicomDirWriter().build("CDS_IT", entries);
        for (Dataset r : dir.dataset().getSequence(Tag.DirectoryRecordSequence)) {
            if ("SERIES".equals(r.getString(Tag.DirectoryRecordType))) {
                r.remove(Tag.Modality);
            }
        }
        Path p = tmp.resolve("BROKEN");
        new DicomWriter().write(dir, p);
        assertFalse(dciodvfyLines("broken", tmp, p, "Error").isEmpty(),
                "dciodvfy reports no error for SERIES records without Modality");
    }

    private static final Pattern ITEM_OFFSET = Pattern.compile("#\\s+offset=\\$(\\d+)");
    private static final Pattern OFFSET_VALUE = Pattern.compile("^\\s*\\((0004,1200|0004,1202|0004,1400|0004,1420)\\) up (\\d+)");
    private static final Pattern RECORD = Pattern.compile("\"Directory Record\" ([A-Z ]+?) #=");

    @Test
    void dcmdumpSeesEveryRecordAtTheOffsetsWeWrote() throws Exception {
        Path fs = Files.createDirectories(tmp.resolve("fs"));
        List<String> files = writeAndExtract(fs);
        Peers.Result r = peers.run("dcmdump", fs, Peers.cmd(dcmdump.toString(), "+L", "DICOMDIR"));
        assertEquals(0, r.exitCode(), r.err());
        for (String line : r.err().split("\n")) {
            assertFalse(line.startsWith("E:") || line.startsWith("W:") || line.startsWith("F:"),
                    "dcmdump complains: " + line + " (logs in " + peers.logDir() + ")");
        }
        List<Long> itemOffsets = new ArrayList<>();
        Set<Long> pointed = new LinkedHashSet<>();
        List<String> types = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            Matcher m = ITEM_OFFSET.matcher(line);
            if (m.find()) {
                itemOffsets.add(Long.parseLong(m.group(1)));
            }
            Matcher v = OFFSET_VALUE.matcher(line);
            if (v.find() && !v.group(2).equals("0")) {
                pointed.add(Long.parseLong(v.group(2)));
            }
            Matcher t = RECORD.matcher(line);
            if (t.find()) {
                types.add(t.group(1));
            }
        }
        DicomDir ours = DicomDir.parse(new DicomReader().read(fs.resolve("DICOMDIR")));
        assertEquals(ours.records().stream().map(DirectoryRecord::type).toList(), types,
                "dcmdump's records (in file order) are ours (in offset order, the same here)");
        assertEquals(ours.records().size(), itemOffsets.size());
        // every offset we wrote is the file position DCMTK computed for an item, and every item is pointed at
        assertEquals(new TreeSet<>(itemOffsets), new TreeSet<>(pointed),
                "offsets we wrote vs item positions dcmdump computed");
        assertEquals(files, ours.referencedFiles().stream().map(d -> String.join("/", d.referencedFileId())).toList());
        assertTrue(types.contains("SR DOCUMENT"), types.toString());
    }

    @Test
    void dcmgpdirsDicomdirParsesIntoTheSameReferencedFiles() throws Exception {
        Path fs = Files.createDirectories(tmp.resolve("fs"));
        writeAndExtract(fs);
        Path theirs = tmp.resolve("DCMTKDIR");
        dcmgpdir(fs, theirs);
        DicomDir ours = DicomDir.parse(new DicomReader().read(fs.resolve("DICOMDIR")));
        DicomDir dcmtk = DicomDir.parse(new DicomReader().read(theirs));
        Map<String, String> ourRefs = refs(ours);
        Map<String, String> theirRefs = refs(dcmtk);
        assertEquals(new TreeSet<>(ourRefs.keySet()), new TreeSet<>(theirRefs.keySet()));
        assertEquals(new java.util.TreeMap<>(ourRefs), new java.util.TreeMap<>(theirRefs),
                "File ID -> record type and SOP Instance UID");
        assertEquals(ours.records().stream().map(DirectoryRecord::type).sorted().toList(),
                dcmtk.records().stream().map(DirectoryRecord::type).sorted().toList(), "the same records");

        // dcmgpdir's File-set zipped with java.util.zip reads back with our reader
        Files.copy(theirs, fs.resolve("DICOMDIR"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip); Stream<Path> all = Files.walk(fs)) {
            for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
                z.putNextEntry(new ZipEntry(fs.relativize(p).toString().replace('\\', '/')));
                try (InputStream in = Files.newInputStream(p)) {
                    in.transferTo(z);
                }
                z.closeEntry();
            }
        }
        List<MediaInstance> read = new ZipFileSetReader(MediaLimits.DEFAULT).read(
                new ByteArrayInputStream(zip.toByteArray()));
        try {
            Map<String, String> got = new LinkedHashMap<>();
            for (MediaInstance mi : read) {
                String expected = theirRefs.get(String.join("/", mi.fileId()));
                String type = expected == null ? "?" : expected.substring(0, expected.lastIndexOf(' '));
                got.put(String.join("/", mi.fileId()), type + " " + mi.sopInstanceUid());
            }
            assertEquals(new java.util.TreeMap<>(theirRefs), new java.util.TreeMap<>(got));
        } finally {
            read.forEach(MediaInstance::close);
        }
    }

    private static Map<String, String> refs(DicomDir d) {
        Map<String, String> m = new LinkedHashMap<>();
        for (DirectoryRecord r : d.referencedFiles()) {
            m.put(String.join("/", r.referencedFileId()), r.type() + " " + r.sopInstanceUid());
        }
        return m;
    }
}
