package org.cameldicomsecure.web.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;

/**
 * Fixtures of the client tests: synthetic DICOM instances, a throw-away PKI made in the test, and the JDK's HTTP
 * server (an HTTP fixture that answers what a test scripts; real DICOMweb peers are in src/it).
 */
final class WebTestSupport {

    static final String PATIENT_NAME = "Secret^Patient";
    private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 1000L);

    private WebTestSupport() {
    }

    static String newUid() {
        UUID u = UUID.randomUUID();
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (u.getMostSignificantBits() >>> (56 - 8 * i));
            b[8 + i] = (byte) (u.getLeastSignificantBits() >>> (56 - 8 * i));
        }
        return "2.25." + new BigInteger(1, b);
    }

    /** A Secondary Capture instance of {@code study} with {@code pixelBytes} (even) bytes of pixel data. */
    static DicomFile instance(String study, String sopInstanceUid, int pixelBytes) {
        TransferSyntax ts = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        Dataset ds = new Dataset(false);
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, study + ".1");
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.PatientName, VR.PN, PATIENT_NAME);
        ds.setString(Tag.PatientID, VR.LO, "ID-4711");
        ds.setInt(Tag.Rows, VR.US, 512);
        ds.setInt(Tag.Columns, VR.US, Math.max(1, pixelBytes / 512));
        byte[] pixels = new byte[pixelBytes];
        new SecureRandom().nextBytes(pixels);
        ds.setBytes(Tag.PixelData, VR.OB, pixels);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstanceUid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, ts);
    }

    static byte[] part10(String study, String sopInstanceUid, int pixelBytes) throws IOException {
        return new DicomWriter().toBytes(instance(study, sopInstanceUid, pixelBytes));
    }

    // ------------------------------------------------------------------------------------------- HTTP fixture

    /** A started HTTP(S) server on a free loopback port with a thread pool; close() stops it. */
    static final class Server implements AutoCloseable {
        final HttpServer server;
        private final ExecutorService pool = Executors.newCachedThreadPool();

        Server(SSLContext tls) throws IOException {
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (tls == null) {
                server = HttpServer.create(addr, 50);
            } else {
                HttpsServer s = HttpsServer.create(addr, 50);
                s.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = s;
            }
            server.setExecutor(pool);
            server.start();
        }

        Server handle(String path, HttpHandler h) {
            server.createContext(path, h);
            return this;
        }

        int port() {
            return server.getAddress().getPort();
        }

        URI uri(String host, String path) {
            return URI.create((server instanceof HttpsServer ? "https" : "http") + "://" + host + ":" + port()
                    + path);
        }

        URI uri(String path) {
            return uri("127.0.0.1", path);
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    static void respond(HttpExchange x, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            x.getResponseHeaders().set("Content-Type", contentType);
        }
        if (body == null || body.length == 0) {
            x.sendResponseHeaders(status, -1);
        } else {
            x.sendResponseHeaders(status, body.length);
            try (OutputStream os = x.getResponseBody()) {
                os.write(body);
            }
        }
        x.close();
    }

    static void respond(HttpExchange x, int status, String contentType, String body) throws IOException {
        respond(x, status, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] readAll(HttpExchange x) throws IOException {
        try (InputStream in = x.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    // ------------------------------------------------------------------------------------------- PKI

    /** A CA and certificates it issues, in memory and as PEM files under {@code dir}. */
    static final class Pki {
        final Path dir;
        final KeyPair caKey;
        final X509Certificate ca;
        final Path caPem;

        Pki(Path dir, String caName) throws Exception {
            this.dir = dir;
            this.caKey = rsa();
            X500Principal subject = new X500Principal("CN=" + caName + ",O=camel-dicom-secure tests");
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
                    caKey.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            this.ca = sign(b, caKey.getPrivate());
            this.caPem = pem(dir.resolve(caName.replace(' ', '-') + ".crt.pem"), ca);
        }

        /** A server context with a certificate for {@code sans} ("dns:localhost", "ip:127.0.0.1"). */
        SSLContext serverContext(String... sans) throws Exception {
            KeyPair kp = rsa();
            Instant now = Instant.now();
            GeneralName[] names = new GeneralName[sans.length];
            for (int i = 0; i < sans.length; i++) {
                String[] s = sans[i].split(":", 2);
                names[i] = new GeneralName(s[0].equals("ip") ? GeneralName.iPAddress : GeneralName.dNSName, s[1]);
            }
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
                    new X500Principal("CN=dicomweb test server"), kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            X509Certificate cert = sign(b, caKey.getPrivate());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "pw".toCharArray();
            ks.setKeyEntry("server", kp.getPrivate(), pw, new Certificate[] {cert, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        }

        private static BigInteger serial() {
            return BigInteger.valueOf(SERIAL.incrementAndGet());
        }

        private static KeyPair rsa() throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        }

        private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
        }

        private static Path pem(Path file, Object... objects) throws IOException {
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                for (Object o : objects) {
                    w.writeObject(o);
                }
            }
            return Files.writeString(file, sw.toString(), StandardCharsets.US_ASCII);
        }

        List<X509Certificate> chain() {
            return List.of(ca);
        }
    }
}
