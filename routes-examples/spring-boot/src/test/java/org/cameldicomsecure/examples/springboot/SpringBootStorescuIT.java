package org.cameldicomsecure.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.springboot.DicomSecureHealthIndicator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example application started by Spring Boot with its key material given as camel.component.dicomtls.*
 * properties (a PKI made at test time by {@link TestPki}); DCMTK's {@code storescu +tls} sends an instance written by
 * our DicomWriter; the file the route wrote holds the same data set byte for byte, and the actuator's health
 * endpoint reports the consumer's certificate.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootStorescuIT {

    static final Path DIR;
    static final TestPki PKI;
    static final int DICOM_PORT;

    static {
        try {
            DIR = Files.createTempDirectory("spring-boot-storescu-it");
            PKI = TestPki.create(DIR.resolve("pki"));
            try (ServerSocket s = new ServerSocket(0)) {
                DICOM_PORT = s.getLocalPort();
            }
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("gateway.host", () -> "127.0.0.1");
        r.add("gateway.port", () -> DICOM_PORT);
        r.add("gateway.output", () -> DIR.resolve("out").toString());
        r.add("camel.component.dicomtls.certificate", () -> PKI.server.cert().toString());
        r.add("camel.component.dicomtls.private-key", () -> PKI.server.key().toString());
        r.add("camel.component.dicomtls.trusted-certificates", () -> PKI.ca.cert().toString());
        r.add("camel.component.dicomaudit.file", () -> DIR.resolve("audit/dicom-audit.log").toString());
        r.add("camel.component.dicomaudit.spool-directory", () -> DIR.resolve("audit/spool").toString());
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    DicomSecureHealthIndicator indicator;

    @Test
    void storescuOverTlsToTheSpringBootApp() throws Exception {
        if (!onPath("storescu")) {
            if ("true".equals(System.getenv("CI"))) {
                fail("storescu is not installed: apt-get install -y dcmtk");
            }
            Assumptions.abort("storescu (Debian package dcmtk) is not installed");
        }
        String uid = newUid();
        Path sent = DIR.resolve("in/instance.dcm");
        Files.createDirectories(sent.getParent());
        new DicomWriter().write(instance(uid), sent);

        List<String> cmd = List.of("storescu", "-v", "+tls", PKI.client.key().toString(),
                PKI.client.cert().toString(), "+cf", PKI.ca.cert().toString(), "-aec", "GATEWAY", "127.0.0.1",
                Integer.toString(DICOM_PORT), sent.toString());
        Path log = DIR.resolve("storescu.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("storescu did not finish within 30 s; its log: " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), "storescu failed; its log: " + Files.readString(log));

        // the C-STORE is answered after the route wrote the file, so it is there now
        Path received = DIR.resolve("out").resolve(uid + ".dcm");
        assertTrue(Files.isRegularFile(received), "the route wrote " + received);
        Part10 a = Part10.split(Files.readAllBytes(sent));
        Part10 b = Part10.split(Files.readAllBytes(received));
        assertEquals(a.transferSyntax, b.transferSyntax, "transfer syntax");
        assertArrayEquals(a.dataSet, b.dataSet, "the received data set equals the sent one byte for byte");

        // the health indicator and the actuator's endpoint report the consumer's certificate
        Health h = indicator.health();
        assertEquals(Status.UP, h.getStatus(), h.toString());
        String json = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(json.contains("\"dicomSecure\""), json);
        assertTrue(json.contains("CN=localhost,O=spring-boot IT server"), json);
        assertTrue(json.contains("\"status\":\"VALID\""), json);
        assertTrue(json.contains("\"sinkConfigured\":true"), json);
        assertTrue(!json.contains("PRIVATE KEY"), "no key material in the health report");

        // the sink properties alone switch on the automatic auditing of the association (PS3.15 A.5.3.10 DICOM
        // Instances Transferred, EventID 110104) into the file sink
        Path audit = DIR.resolve("audit/dicom-audit.log");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!(Files.exists(audit) && Files.readString(audit).contains("110104"))) {
            if (System.nanoTime() > end) {
                fail("no DICOM Instances Transferred message in " + audit);
            }
            Thread.sleep(50);
        }
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    static String newUid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    /**
     * A Secondary Capture instance of 64 x 64 16-bit pixels, every value of even length (so that storescu, which
     * normalises value padding, sends the data set unchanged).
     */
    static DicomFile instance(String uid) {
        String sc = "1.2.840.10008.5.1.4.1.1.7";
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, sc);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.ConversionType, VR.CS, "WSD ");
        ds.setString(Tag.PatientName, VR.PN, "Test^SpringBoot");
        ds.setString(Tag.PatientID, VR.LO, "SB-1");
        ds.setString(Tag.StudyInstanceUID, VR.UI, newUid());
        ds.setString(Tag.SeriesInstanceUID, VR.UI, newUid());
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2 ");
        ds.setInt(Tag.Rows, VR.US, 64);
        ds.setInt(Tag.Columns, VR.US, 64);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[64 * 64 * 2];
        new Random(7).nextBytes(pixels);
        for (int i = 1; i < pixels.length; i += 2) {
            pixels[i] &= 0x0F;
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, sc);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, newUid());
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /**
     * A PS3.10 file split at the end of its File Meta Information, walked by hand (group 0002 is Explicit VR Little
     * Endian, PS3.10 §7.1), so that the comparison does not depend on our reader.
     */
    record Part10(String transferSyntax, byte[] dataSet) {

        static Part10 split(byte[] file) throws IOException {
            if (file.length < 132 || file[128] != 'D' || file[129] != 'I' || file[130] != 'C' || file[131] != 'M') {
                throw new IOException("not a PS3.10 file (no DICM prefix)");
            }
            ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            int pos = 132;
            String ts = null;
            List<String> longForm = new ArrayList<>(List.of("OB", "OW", "OF", "SQ", "UT", "UN", "UC", "UR", "OD",
                    "OL", "OV"));
            while (pos + 8 <= file.length && b.getShort(pos) == 0x0002) {
                int element = b.getShort(pos + 2) & 0xFFFF;
                String vr = new String(file, pos + 4, 2, StandardCharsets.US_ASCII);
                int header = longForm.contains(vr) ? 12 : 8;
                int len = header == 12 ? b.getInt(pos + 8) : b.getShort(pos + 6) & 0xFFFF;
                if (element == 0x0010) {
                    ts = new String(file, pos + header, len, StandardCharsets.US_ASCII).replaceAll("[\\u0000 ]+$", "");
                }
                pos += header + len;
            }
            byte[] ds = new byte[file.length - pos];
            System.arraycopy(file, pos, ds, 0, ds.length);
            return new Part10(ts, ds);
        }
    }
}
