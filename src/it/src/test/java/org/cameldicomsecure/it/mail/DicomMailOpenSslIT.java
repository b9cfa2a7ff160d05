package org.cameldicomsecure.it.mail;

import static org.cameldicomsecure.it.Peers.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameldicomsecure.component.dicommail.DicomMailConstants;
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
import org.cameldicomsecure.media.MediaInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secure DICOM email checked end to end with tools that are not ours. Ours to them: a study encoded by
 * {@code dicommail:encode} is decrypted by {@code openssl cms -decrypt}, its signature verified by
 * {@code openssl smime -verify} against the CA, the DICOM.ZIP taken out with Jakarta Mail and unpacked with
 * java.util.zip, and the File-set validated by dicom3tools' {@code dciodvfy} (its DICOMDIR) and read by DCMTK's
 * {@code dcmdump} (every file). Theirs to us: a File-set whose DICOMDIR DCMTK's {@code dcmgpdir} made, zipped, put in a
 * MIME entity and signed and encrypted by {@code openssl smime} (AES-256-CBC) or {@code openssl cms} (AES-256-GCM,
 * DICOM MIME Media) is decoded by {@code dicommail:decode} into the same instances.
 */
class DicomMailOpenSslIT {

    private static final String STUDY = ItUids.fromName("mail-openssl-study");

    @TempDir
    static Path dir;
    static MailPki pki;
    static Peers peers;
    static Path openssl;
    static CamelContext camel;
    static ProducerTemplate template;

    @BeforeAll
    static void start() throws Exception {
        openssl = Peers.require("openssl", "openssl");
        Peers.require("dciodvfy", "dicom3tools");
        Peers.require("dcmgpdir", "dcmtk");
        Peers.require("dcmdump", "dcmtk");
        peers = Peers.forTest(DicomMailOpenSslIT.class);
        pki = MailPki.create(dir.resolve("pki"));
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:encode").to("dicommail:encode?signingCertificate=" + pki.sender.certPem()
                        + "&signingKey=" + pki.sender.keyPem() + "&recipients=" + pki.recipient.certPem());
                from("direct:decode").to("dicommail:decode?privateKey=" + pki.recipient.keyPem() + "&certificate="
                        + pki.recipient.certPem() + "&trustedCertificates=" + pki.ca.certPem())
                        .process(e -> {
                            // the instances' files live as long as the exchange: copy what the test compares
                            List<String> uids = new ArrayList<>();
                            for (Object o : e.getMessage().getBody(List.class)) {
                                MediaInstance mi = (MediaInstance) o;
                                DicomFile f = new DicomReader().read(mi.bytes());
                                uids.add(f.dataset().getString(Tag.SOPInstanceUID));
                            }
                            e.getMessage().setBody(uids);
                        });
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        if (camel != null) {
            camel.stop();
        }
    }

    private static DicomFile ct(int series, int instance) {
        String uid = ItUids.fromName("mail-openssl-" + series + "-" + instance);
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
        ds.setString(Tag.StudyDate, VR.DA, "20261201");
        ds.setString(Tag.StudyTime, VR.TM, "093000");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC-MAIL");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.Manufacturer, VR.LO, "ACME");
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "");
        ds.setString(Tag.PatientName, VR.PN, "Mail^Interop");
        ds.setString(Tag.PatientID, VR.LO, "PID-OPENSSL");
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, ItUids.fromName("mail-openssl-series-" + series));
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setString(Tag.SeriesNumber, VR.IS, Integer.toString(series));
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(instance));
        ds.setString(Tag.FrameOfReferenceUID, VR.UI, ItUids.fromName("mail-openssl-for"));
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
        ds.setInt(Tag.Rows, VR.US, 64);
        ds.setInt(Tag.Columns, VR.US, 64);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setString(Tag.RescaleIntercept, VR.DS, "0");
        ds.setString(Tag.RescaleSlope, VR.DS, "1");
        byte[] px = new byte[64 * 64 * 2];
        for (int i = 0; i < px.length; i += 2) {
            px[i] = (byte) (i * instance);
            px[i + 1] = (byte) ((i >> 8) & 0x0f);
        }
        ds.setBytes(Tag.PixelData, VR.OW, px);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.CTImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomFile(new byte[128], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static List<DicomFile> study() {
        return List.of(ct(1, 1), ct(1, 2), ct(2, 1));
    }

    private static Set<String> uids(List<DicomFile> files) {
        return files.stream().map(f -> f.dataset().getString(Tag.SOPInstanceUID))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Peers.Result ok(String name, Path work, List<String> command) throws Exception {
        Peers.Result r = peers.run(name, work, command);
        assertEquals(0, r.exitCode(), name + " failed: " + r.err() + " (logs in " + peers.logDir() + ")");
        return r;
    }

    @Test
    void ourMailDecryptsAndVerifiesWithOpenSslAndItsFileSetIsValidDicom() throws Exception {
        Path work = Files.createDirectories(dir.resolve("ours"));
        MimeMessage m = template.requestBody("direct:encode", new ArrayList<>(study()), MimeMessage.class);
        Path eml = work.resolve("mail.eml");
        try (var out = Files.newOutputStream(eml)) {
            m.writeTo(out);
        }
        ok("cms-decrypt", work, cmd(openssl, "cms", "-decrypt", "-in", eml, "-recip", pki.recipient.certPem(),
                "-inkey", pki.recipient.keyPem(), "-out", work.resolve("signed.eml")));
        Peers.Result v = ok("smime-verify", work, cmd(openssl, "smime", "-verify", "-in", work.resolve("signed.eml"),
                "-CAfile", pki.ca.certPem(), "-out", work.resolve("payload.eml")));
        assertTrue(v.err().contains("Verification successful"), v.err());

        // the signed entity: multipart/mixed with a text part and DICOM.ZIP as PS3.11 L.3.2 names it
        MimeMessage payload;
        try (InputStream in = Files.newInputStream(work.resolve("payload.eml"))) {
            payload = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        Multipart mixed = (Multipart) payload.getContent();
        BodyPart zipPart = null;
        for (int i = 0; i < mixed.getCount(); i++) {
            if (mixed.getBodyPart(i).isMimeType("application/zip")) {
                zipPart = mixed.getBodyPart(i);
            }
        }
        assertNotNull(zipPart, "a DICOM.ZIP part");
        ContentType ct = new ContentType(zipPart.getContentType());
        assertEquals("DICOM.ZIP", ct.getParameter("id"));
        assertEquals("DICOM.ZIP", ct.getParameter("name"));
        assertEquals("DICOM.ZIP", zipPart.getFileName());
        assertTrue(zipPart.getHeader("Content-Disposition")[0].startsWith("attachment"));
        assertTrue(m.getSubject().contains("DICOM-ZIP"));

        Path fs = Files.createDirectories(work.resolve("fs"));
        List<String> entries = new ArrayList<>();
        try (ZipInputStream zin = new ZipInputStream(zipPart.getInputStream())) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null;) {
                if (e.isDirectory()) {
                    continue;
                }
                Path target = fs.resolve(e.getName()).normalize();
                assertTrue(target.startsWith(fs), e.getName());
                Files.createDirectories(target.getParent());
                Files.copy(zin, target);
                entries.add(e.getName());
            }
        }
        assertTrue(entries.contains("DICOMDIR"), "DICOMDIR at the root: " + entries);
        assertEquals(4, entries.size(), "DICOMDIR and three instances: " + entries);
        Peers.Result dv = peers.run("dciodvfy", fs, cmd("dciodvfy", "DICOMDIR"));
        String report = dv.out() + dv.err();
        assertTrue(report.lines().noneMatch(l -> l.startsWith("Error")), "dciodvfy: " + report);
        Set<String> got = new TreeSet<>();
        for (String e : entries) {
            if (!e.equals("DICOMDIR")) {
                Peers.Result d = ok("dcmdump", fs, cmd("dcmdump", "+P", "0008,0018", e));
                got.add(d.out().replaceAll("(?s).*\\[([0-9.]+)\\].*", "$1").trim());
            }
        }
        assertEquals(uids(study()), got, "DCMTK reads every instance");
        Peers.Result all = ok("dcmdump-dicomdir", fs, cmd("dcmdump", "DICOMDIR"));
        assertTrue(all.out().contains("Directory Record") || all.out().contains("DirectoryRecordType"), all.out());
    }

    /** A File-set made by DCMTK (dcmgpdir) and zipped: the DICOM.ZIP of a mail not made by us. */
    private Path theirFileSet(Path work) throws Exception {
        Path fs = Files.createDirectories(work.resolve("fs"));
        Path sub = Files.createDirectories(fs.resolve("IMAGES"));
        int n = 0;
        for (DicomFile f : study()) {
            new DicomWriter().write(f, sub.resolve(String.format("IM%06d", ++n)));
        }
        ok("dcmgpdir", fs, cmd("dcmgpdir", "+D", "DICOMDIR", "+r", "IMAGES"));
        Path zip = work.resolve("DICOM.ZIP");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip)); Stream<Path> all = Files.walk(fs)) {
            for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
                z.putNextEntry(new ZipEntry(fs.relativize(p).toString()));
                Files.copy(p, z);
                z.closeEntry();
            }
        }
        return zip;
    }

    private static String base64(byte[] data) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
    }

    private Exchange decode(Path eml) {
        return template.request("direct:decode", e -> e.getIn().setBody(Files.readAllBytes(eml)));
    }

    @Test
    void aMailSignedAndEncryptedByOpenSslSmimeDecodes() throws Exception {
        Path work = Files.createDirectories(dir.resolve("theirs-smime"));
        Path zip = theirFileSet(work);
        String payload = "Content-Type: multipart/mixed; boundary=\"b-1\"\r\n\r\n"
                + "--b-1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nImages attached.\r\n"
                + "--b-1\r\nContent-Type: application/zip; id=\"DICOM.ZIP\"; name=\"DICOM.ZIP\"\r\n"
                + "Content-Disposition: attachment; filename=\"DICOM.ZIP\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + base64(Files.readAllBytes(zip)) + "\r\n--b-1--\r\n";
        Path in = Files.writeString(work.resolve("payload.eml"), payload, StandardCharsets.US_ASCII);
        ok("smime-sign", work, cmd(openssl, "smime", "-sign", "-signer", pki.sender.certPem(), "-inkey",
                pki.sender.keyPem(), "-in", in, "-out", work.resolve("signed.eml")));
        ok("smime-encrypt", work, cmd(openssl, "smime", "-encrypt", "-aes256", "-in", work.resolve("signed.eml"),
                "-out", work.resolve("mail.eml"), "-from", "sender@" + DovecotPeer.DOMAIN, "-to",
                "recipient@" + DovecotPeer.DOMAIN, "-subject", "DICOM-ZIP", pki.recipient.certPem()));
        Exchange out = decode(work.resolve("mail.eml"));
        assertNull(out.getException(), () -> "decode failed: " + out.getException());
        assertEquals(uids(study()), new TreeSet<>(out.getMessage().getBody(List.class)));
        assertEquals("ZIP", out.getMessage().getHeader(DicomMailConstants.FORMAT));
        assertEquals("AES256_CBC", out.getMessage().getHeader(DicomMailConstants.CONTENT_ENCRYPTION));
        assertEquals(true, out.getMessage().getHeader(DicomMailConstants.SIGNED));
        assertEquals("sender@" + DovecotPeer.DOMAIN, out.getMessage().getHeader(DicomMailConstants.SENDER_EMAIL));
    }

    @Test
    void dicomMimeMediaSignedAndEncryptedByOpenSslCmsWithAesGcmDecodes() throws Exception {
        Path work = Files.createDirectories(dir.resolve("theirs-cms"));
        StringBuilder payload = new StringBuilder("Content-Type: multipart/related; type=\"application/dicom\"; "
                + "boundary=\"b-2\"\r\n\r\n");
        int n = 0;
        for (DicomFile f : study()) {
            String id = String.format("IM%06d", ++n);
            payload.append("--b-2\r\nContent-Type: application/dicom; id=\"IMAGES/").append(id).append("\"; name=\"")
                    .append(id).append(".dcm\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                    .append(base64(new DicomWriter().toBytes(f))).append("\r\n");
        }
        payload.append("--b-2--\r\n");
        Path in = Files.writeString(work.resolve("payload.eml"), payload, StandardCharsets.US_ASCII);
        ok("cms-sign", work, cmd(openssl, "cms", "-sign", "-signer", pki.sender.certPem(), "-inkey",
                pki.sender.keyPem(), "-in", in, "-out", work.resolve("signed.eml")));
        ok("cms-encrypt", work, cmd(openssl, "cms", "-encrypt", "-aes-256-gcm", "-in", work.resolve("signed.eml"),
                "-out", work.resolve("mail.eml"), "-from", "sender@" + DovecotPeer.DOMAIN, "-to",
                "recipient@" + DovecotPeer.DOMAIN, "-subject", "DICOM images", "-recip", pki.recipient.certPem()));
        Exchange out = decode(work.resolve("mail.eml"));
        assertNull(out.getException(), () -> "decode failed: " + out.getException());
        assertEquals(uids(study()), new TreeSet<>(out.getMessage().getBody(List.class)));
        assertEquals("MIME", out.getMessage().getHeader(DicomMailConstants.FORMAT));
        assertEquals("AES256_GCM", out.getMessage().getHeader(DicomMailConstants.CONTENT_ENCRYPTION));
    }
}
