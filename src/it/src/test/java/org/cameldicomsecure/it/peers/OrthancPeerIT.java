package org.cameldicomsecure.it.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.ItUids;
import org.cameldicomsecure.it.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link OrthancPeer} against the real Orthanc (Debian {@code orthanc}), and what Orthanc's REST anonymization does to
 * an instance written by our codec: the reference behaviour for the PS3.15 Annex E work. A listing of what changed
 * (before / after, per attribute) is written to {@code target/it-logs/OrthancPeerIT/anonymized-diff.txt}, the files
 * themselves next to it (synthetic, no patient data).
 */
class OrthancPeerIT {

    private static final DicomWriter WRITER = new DicomWriter();
    private static final DicomReader READER = new DicomReader();
    private static final Pattern UID_SYNTAX = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
    private static final int PRIVATE_CREATOR = 0x00090010;
    private static final int PRIVATE_VALUE = 0x00091001;

    private static OrthancPeer orthanc;
    private static Path logDir;

    @BeforeAll
    static void start() throws IOException {
        orthanc = OrthancPeer.builder().forTest(OrthancPeerIT.class).start();
        logDir = orthanc.logFile().getParent();
    }

    @AfterAll
    static void stop() {
        if (orthanc != null) {
            orthanc.close();
        }
    }

    @Test
    void systemAnswers() throws IOException {
        Map<String, Object> system = orthanc.system();
        // Debian 12's package is 1.10.1 (shared/PEERS.md); not pinned, so that a newer image only shows in the log
        assertTrue(String.valueOf(system.get("Version")).matches("\\d+\\.\\d+\\.\\d+"), system.toString());
        assertEquals("ORTHANC", system.get("DicomAet"));
        assertEquals((long) orthanc.httpPort(), system.get("HttpPort"));
        assertEquals(-1, orthanc.dicomPort(), "DICOM is off unless asked for");
    }

    @Test
    void anonymizeInstanceFollowsTableE11() throws IOException {
        String study = ItUids.fromName("OrthancPeerIT study " + System.nanoTime());
        String series = study + ".1";
        DicomFile original = ct(study, series, study + ".1.1", 1);
        byte[] part10 = WRITER.toBytes(original);
        Files.write(logDir.resolve("original.dcm"), part10);
        int before = orthanc.instances().size();

        String id = orthanc.upload(part10);
        assertEquals(before + 1, orthanc.instances().size());
        assertArrayEquals(part10, orthanc.download(id), "Orthanc keeps the file it received byte for byte");

        byte[] anonymizedBytes = orthanc.anonymize(id, OrthancPeer.ANONYMIZE_2021B);
        Files.write(logDir.resolve("anonymized.dcm"), anonymizedBytes);
        assertEquals(before + 1, orthanc.instances().size(), "instance anonymization does not store the result");
        DicomFile anonymized = READER.read(anonymizedBytes);
        Dataset o = original.dataset();
        Dataset a = anonymized.dataset();
        Files.writeString(logDir.resolve("anonymized-diff.txt"), diff(o, a));

        // marked as de-identified (PS3.15 E.1.1), with a method text; no method code sequence
        assertEquals("YES", a.getString(Tag.PatientIdentityRemoved));
        String method = a.getString(Tag.DeidentificationMethod);
        assertNotNull(method, "(0012,0063) De-identification Method");
        assertTrue(method.contains("2021b"), "(0012,0063) names the profile version: " + method);
        assertFalse(a.contains(Tag.DeidentificationMethodCodeSequence), "Orthanc writes no (0012,0064)");

        // patient identity replaced or removed
        assertNotEquals(o.getString(Tag.PatientName), a.getString(Tag.PatientName));
        assertNotNull(a.getString(Tag.PatientID), "a new Patient ID");
        assertNotEquals(o.getString(Tag.PatientID), a.getString(Tag.PatientID));
        assertNull(a.getString(Tag.PatientBirthDate), "Patient's Birth Date: Z (present, empty) or removed");
        assertNull(a.getString(Tag.InstitutionName), "Institution Name: X");
        assertNull(a.getString(Tag.InstitutionAddress), "Institution Address: X");
        assertNull(a.getString(Tag.OperatorsName), "Operators' Name: X");
        assertNull(a.getString(Tag.ReferringPhysicianName), "Referring Physician's Name: Z");
        assertNull(a.getString(Tag.AccessionNumber), "Accession Number: Z");
        assertFalse(a.contains(PRIVATE_CREATOR) || a.contains(PRIVATE_VALUE), "private tags removed");

        // UIDs replaced by new, valid UIDs; the file meta follows the data set
        for (int tag : new int[] {Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.SOPInstanceUID,
                Tag.FrameOfReferenceUID}) {
            String uid = a.getString(tag);
            assertNotNull(uid, Tag.toString(tag));
            assertTrue(uid.length() <= 64 && UID_SYNTAX.matcher(uid).matches(), Tag.toString(tag) + " " + uid);
            assertNotEquals(o.getString(tag), uid, Tag.toString(tag) + " replaced");
        }
        assertEquals(a.getString(Tag.SOPInstanceUID), anonymized.fileMeta().getString(Tag.MediaStorageSOPInstanceUID));
        assertEquals(UID.CTImageStorage, a.getString(Tag.SOPClassUID));

        // the image is untouched
        assertEquals(64, a.getInt(Tag.Rows, -1));
        assertEquals(64, a.getInt(Tag.Columns, -1));
        assertArrayEquals(o.getBytes(Tag.PixelData), a.getBytes(Tag.PixelData), "Pixel Data identical");
        assertEquals(o.getString(Tag.Modality), a.getString(Tag.Modality));

        // every call invents new identifiers: instances anonymized one by one no longer share a study
        DicomFile again = READER.read(orthanc.anonymize(id, OrthancPeer.ANONYMIZE_2021B));
        assertNotEquals(a.getString(Tag.StudyInstanceUID), again.dataset().getString(Tag.StudyInstanceUID));
        assertNotEquals(a.getString(Tag.PatientID), again.dataset().getString(Tag.PatientID));

        orthanc.delete(id);
        assertEquals(before, orthanc.instances().size());
    }

    @Test
    void anonymizeStudyKeepsTheHierarchy() throws IOException {
        String study = ItUids.fromName("OrthancPeerIT study of two " + System.nanoTime());
        String series = study + ".1";
        String first = orthanc.upload(WRITER.toBytes(ct(study, series, study + ".1.1", 1)));
        String second = orthanc.upload(WRITER.toBytes(ct(study, series, study + ".1.2", 2)));
        String studyId = orthanc.studyOf(first);
        assertEquals(studyId, orthanc.studyOf(second));

        String newStudy = orthanc.anonymizeStudy(studyId, OrthancPeer.ANONYMIZE_2021B);
        assertNotEquals(studyId, newStudy);
        List<String> ids = orthanc.studyInstances(newStudy);
        assertEquals(2, ids.size(), "the anonymized study is stored, both instances in it");
        List<Dataset> out = new ArrayList<>();
        for (String i : ids) {
            out.add(READER.read(orthanc.download(i)).dataset());
        }
        Dataset x = out.get(0);
        Dataset y = out.get(1);
        assertEquals(x.getString(Tag.StudyInstanceUID), y.getString(Tag.StudyInstanceUID), "one new study");
        assertEquals(x.getString(Tag.SeriesInstanceUID), y.getString(Tag.SeriesInstanceUID), "one new series");
        assertEquals(x.getString(Tag.PatientID), y.getString(Tag.PatientID), "one new patient");
        assertEquals(x.getString(Tag.FrameOfReferenceUID), y.getString(Tag.FrameOfReferenceUID));
        assertNotEquals(study, x.getString(Tag.StudyInstanceUID));
        assertNotEquals(series, x.getString(Tag.SeriesInstanceUID));
        assertNotEquals(x.getString(Tag.SOPInstanceUID), y.getString(Tag.SOPInstanceUID));
        for (Dataset d : out) {
            assertEquals("YES", d.getString(Tag.PatientIdentityRemoved));
        }

        orthanc.deleteStudy(newStudy);
        orthanc.deleteStudy(studyId);
    }

    @Test
    void errorsCarryStatusAndOrthancsBody() {
        OrthancPeer.OrthancHttpException e = assertThrows(OrthancPeer.OrthancHttpException.class,
                () -> orthanc.anonymize("00000000-00000000-00000000-00000000-00000000", "{}"));
        assertEquals(404, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 404") && e.body().contains("Unknown resource"), e.getMessage());

        e = assertThrows(OrthancPeer.OrthancHttpException.class,
                () -> orthanc.upload("not DICOM".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(400, e.status(), e.getMessage());
        assertTrue(e.body().contains("OrthancError"), e.body());
    }

    @Test
    void dicomWebAndStoppingFreesThePortAndTheFolder() throws IOException {
        OrthancPeer other = OrthancPeer.builder().forTest(OrthancPeerIT.class).dicom(true).aet("CDSIT").dicomWeb()
                .start();
        // the DICOMweb plugin is loaded and answers QIDO-RS (nothing stored yet)
        assertEquals(Boolean.TRUE, other.system().get("PluginsEnabled"));
        assertTrue(Json.parseArray(other.send("GET", "/plugins", null, null, "application/json").text())
                .contains("dicom-web"), "GET /plugins lists dicom-web");
        OrthancPeer.Response qido = other.send("GET", OrthancPeer.DICOMWEB_ROOT + "studies", null, null,
                "application/dicom+json");
        assertEquals(200, qido.status());
        assertEquals("[]", qido.text().strip());

        int http = other.httpPort();
        int dicom = other.dicomPort();
        Path work = other.workDir();
        long pid = other.pid();
        assertTrue(dicom > 0 && dicom != http);
        assertEquals((long) dicom, other.system().get("DicomPort"));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), dicom), 2000);
        }
        assertTrue(Files.isDirectory(work.resolve("storage")));

        other.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process ended");
        assertFalse(Files.exists(work), "temporary folder deleted");
        assertTrue(Files.size(other.logFile()) > 0, "the log stays");
        for (int port : new int[] {http, dicom}) {
            try (ServerSocket s = new ServerSocket(port)) {
                assertEquals(port, s.getLocalPort());
            }
        }
        other.close(); // idempotent
    }

    @Test
    void dicomTlsWithKeysMadeForTheTest() throws Exception {
        Peers peers = Peers.forTest(OrthancPeerITPki.class);
        Path openssl = Peers.require("openssl", "openssl");
        Path echoscu = Peers.require("echoscu", "dcmtk");
        Path pki = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty("it.work.dir",
                System.getProperty("java.io.tmpdir")))), "orthanc-pki-");
        try {
            // a throw-away PKI, made for this run only: CA, Orthanc's certificate (CN=localhost), a client's
            Files.writeString(pki.resolve("ext.cnf"), String.join("\n", "[req]", "distinguished_name = dn", "[dn]",
                    "[ca]", "basicConstraints = critical,CA:TRUE", "keyUsage = critical,keyCertSign,cRLSign",
                    "[leaf]", "basicConstraints = critical,CA:FALSE",
                    "keyUsage = critical,digitalSignature,keyEncipherment",
                    "extendedKeyUsage = serverAuth,clientAuth", "subjectAltName = DNS:localhost,IP:127.0.0.1", ""));
            for (String n : List.of("ca", "server", "client")) {
                peers.run("genpkey-" + n, pki, Peers.cmd(openssl, "genpkey", "-algorithm", "RSA", "-pkeyopt",
                        "rsa_keygen_bits:2048", "-out", n + ".key")).assertSuccess();
            }
            peers.run("ca", pki, Peers.cmd(openssl, "req", "-x509", "-new", "-key", "ca.key", "-subj",
                    "/CN=OrthancPeerIT CA", "-days", "1", "-sha256", "-set_serial", "1001", "-config", "ext.cnf",
                    "-extensions", "ca", "-out", "ca.pem")).assertSuccess();
            int serial = 1002;
            for (String n : List.of("server", "client")) {
                peers.run("csr-" + n, pki, Peers.cmd(openssl, "req", "-new", "-key", n + ".key", "-subj",
                        "/CN=" + (n.equals("server") ? "localhost" : "CDSIT"), "-config", "ext.cnf", "-out",
                        n + ".csr")).assertSuccess();
                peers.run("sign-" + n, pki, Peers.cmd(openssl, "x509", "-req", "-in", n + ".csr", "-CA", "ca.pem",
                        "-CAkey", "ca.key", "-set_serial", serial++, "-days", "1", "-sha256", "-extfile", "ext.cnf",
                        "-extensions", "leaf", "-out", n + ".pem")).assertSuccess();
            }
            try (OrthancPeer tls = OrthancPeer.builder().forTest(OrthancPeerIT.class)
                    .dicomTls(pki.resolve("server.pem"), pki.resolve("server.key"), pki.resolve("ca.pem"), true)
                    .start()) {
                String port = Integer.toString(tls.dicomPort());
                peers.run("echoscu-tls", pki, Peers.cmd(echoscu, "-aec", tls.aet(), "+tls", "client.key",
                        "client.pem", "+cf", "ca.pem", "127.0.0.1", port), 30).assertSuccess();
                Peers.Result plain = peers.run("echoscu-plain", pki, Peers.cmd(echoscu, "-aec", tls.aet(),
                        "-to", "5", "-ta", "5", "127.0.0.1", port), 30);
                assertNotEquals(0, plain.exitCode(), "a plaintext client is refused");
                Peers.Result anonymous = peers.run("echoscu-no-cert", pki, Peers.cmd(echoscu, "-aec", tls.aet(),
                        "+tla", "+cf", "ca.pem", "-to", "5", "-ta", "5", "127.0.0.1", port), 30);
                assertNotEquals(0, anonymous.exitCode(), "a client without certificate is refused");
            }
        } finally {
            OrthancPeer.deleteTree(pki);
        }
    }

    /** Names the log folder of the openssl/echoscu runs ({@link Peers#forTest} empties its folder first). */
    private static final class OrthancPeerITPki {
    }

    // ------------------------------------------------------------------ data

    /** A small CT image written by our codec: patient, study, series, institution, 64 x 64 x 16-bit pixels. */
    static DicomFile ct(String study, String series, String sop, int number) {
        Dataset ds = new Dataset(false);
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.setString(Tag.InstanceCreationDate, VR.DA, "20240102");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.SeriesDate, VR.DA, "20240102");
        ds.setString(Tag.ContentDate, VR.DA, "20240102");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC-0042");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.Manufacturer, VR.LO, "Synthetic");
        ds.setString(Tag.InstitutionName, VR.LO, "Example Hospital");
        ds.setString(Tag.InstitutionAddress, VR.ST, "1 Example Street, Exampletown");
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "Referrer^Rita");
        ds.setString(Tag.StationName, VR.SH, "CT01");
        ds.setString(Tag.StudyDescription, VR.LO, "CT CHEST");
        ds.setString(Tag.SeriesDescription, VR.LO, "AXIAL 1.25");
        ds.setString(Tag.OperatorsName, VR.PN, "Operator^Otto");
        Sequence src = ds.newSequence(Tag.SourceImageSequence);
        Dataset item = src.addItem();
        item.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
        item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, study + ".99." + number);
        ds.setString(Tag.PatientName, VR.PN, "Doe^Jane^Q");
        ds.setString(Tag.PatientID, VR.LO, "PID-0042");
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "F");
        ds.setString(Tag.PatientAge, VR.AS, "054Y");
        ds.setString(Tag.SliceThickness, VR.DS, "1.25");
        ds.setString(Tag.KVP, VR.DS, "120");
        ds.setString(Tag.DeviceSerialNumber, VR.LO, "SN-000042");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setString(Tag.SeriesNumber, VR.IS, "3");
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(number));
        ds.setString(Tag.ImagePositionPatient, VR.DS, "-16", "-16", Double.toString(-1.25 * number));
        ds.setString(Tag.ImageOrientationPatient, VR.DS, "1", "0", "0", "0", "1", "0");
        ds.setString(Tag.FrameOfReferenceUID, VR.UI, study + ".4");
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 64);
        ds.setInt(Tag.Columns, VR.US, 64);
        ds.setString(Tag.PixelSpacing, VR.DS, "0.5", "0.5");
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 16);
        ds.setInt(Tag.HighBit, VR.US, 15);
        ds.setInt(Tag.PixelRepresentation, VR.US, 1);
        ds.setString(Tag.WindowCenter, VR.DS, "40");
        ds.setString(Tag.WindowWidth, VR.DS, "400");
        ds.setString(Tag.RescaleIntercept, VR.DS, "-1024");
        ds.setString(Tag.RescaleSlope, VR.DS, "1");
        ds.setString(PRIVATE_CREATOR, VR.LO, "CAMEL DICOM SECURE IT");
        ds.setString(PRIVATE_VALUE, VR.LO, "private note about Jane Doe");
        byte[] pixels = new byte[64 * 64 * 2];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int v = ((x * 7 + y * 13 + number * 31) & 0x3FF) - 1024;
                int p = (y * 64 + x) * 2;
                pixels[p] = (byte) v;
                pixels[p + 1] = (byte) (v >> 8);
            }
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);

        Dataset meta = new Dataset(false);
        meta.setInt(Tag.FileMetaInformationGroupLength, VR.UL, 0);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.CTImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sop);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, ItUids.IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, ItUids.IMPLEMENTATION_VERSION_NAME);
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** One line per top-level attribute present before or after: tag, VR, before, after, and what happened. */
    private static String diff(Dataset before, Dataset after) {
        TreeSet<Integer> tags = new TreeSet<>((p, q) -> Integer.compareUnsigned(p, q));
        for (int t : before.tags()) {
            tags.add(t);
        }
        for (int t : after.tags()) {
            tags.add(t);
        }
        StringBuilder sb = new StringBuilder("tag VR | before | after | change\n");
        for (int t : tags) {
            String b = show(before, t);
            String a = show(after, t);
            String change = !before.contains(t) ? "ADDED" : !after.contains(t) ? "REMOVED"
                    : b.equals(a) ? "kept" : a.isEmpty() ? "EMPTIED" : "REPLACED";
            VR vr = after.contains(t) ? after.vrOf(t) : before.vrOf(t);
            sb.append(Tag.toString(t)).append(' ').append(vr).append(" | ").append(b).append(" | ").append(a)
                    .append(" | ").append(change).append('\n');
        }
        return sb.toString();
    }

    private static String show(Dataset ds, int tag) {
        if (!ds.contains(tag)) {
            return "";
        }
        Object v = ds.value(tag);
        if (v instanceof Sequence s) {
            StringBuilder sb = new StringBuilder("SQ[");
            for (Dataset item : s) {
                sb.append('{');
                for (int t : item.tags()) {
                    sb.append(Tag.toString(t)).append('=').append(show(item, t)).append(' ');
                }
                sb.append('}');
            }
            return sb.append(']').toString();
        }
        if (tag == Tag.PixelData) {
            return "(" + ds.getBytes(tag).length + " bytes, hash " + java.util.Arrays.hashCode(ds.getBytes(tag)) + ")";
        }
        return String.join("\\", ds.getStrings(tag));
    }
}
