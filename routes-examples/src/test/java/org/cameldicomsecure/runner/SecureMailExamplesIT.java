package org.cameldicomsecure.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.apache.camel.main.Main;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.tls.PemFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mail-out and mail-in example routes, as the runner loads them, against real peers: DCMTK's {@code storescu}
 * sends a study over DICOM TLS to mail-out, which mails it (signed, encrypted DICOM.ZIP) through GreenMail's SMTPS;
 * mail-in reads it over IMAPS, decrypts and verifies it and stores each instance over DICOM TLS into DCMTK's
 * {@code storescp}, the PACS.
 */
class SecureMailExamplesIT {

    @TempDir
    Path tmp;

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aStudyGoesFromStorescuByMailToStorescp() throws Exception {
        Path pki = tmp.resolve("pki");
        new GatewayPki(pki).ensure();
        // GreenMail's TLS key: the gateway PKI's server certificate (127.0.0.1), trusted by camel-mail through the CA
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        List<X509Certificate> chain = PemFiles.readCertificates("server", pki.resolve(GatewayPki.SERVER));
        ks.setKeyEntry("server", PemFiles.readPrivateKey("key", pki.resolve(GatewayPki.SERVER_KEY), "pw", null),
                "test-only".toCharArray(), chain.toArray(new Certificate[0]));
        Path serverStore = pki.resolve("mail-server-test-only.p12");
        try (OutputStream out = Files.newOutputStream(serverStore)) {
            ks.store(out, "test-only".toCharArray());
        }
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", PemFiles.readCertificates("ca", pki.resolve(GatewayPki.CA)).get(0));
        Path trustStore = pki.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            ts.store(out, "test-only".toCharArray());
        }
        System.setProperty("greenmail.tls.keystore.file", serverStore.toString());
        System.setProperty("greenmail.tls.keystore.password", "test-only");
        System.setProperty("greenmail.tls.key.password", "test-only");
        int smtps = freePort();
        int imaps = freePort();
        GreenMail mail = new GreenMail(new ServerSetup[] {new ServerSetup(smtps, "127.0.0.1", "smtps"),
                new ServerSetup(imaps, "127.0.0.1", "imaps")});
        mail.start();
        mail.setUser("pacs@hospital-b.test", "pacs", "imap-test-pw");
        mail.setUser("gateway@hospital-a.test", "gateway", "smtp-test-pw");

        // the PACS: DCMTK storescp over TLS, requiring our client certificate
        int pacsPort = freePort();
        Path pacsDir = Files.createDirectories(tmp.resolve("pacs"));
        ProcessBuilder spb = new ProcessBuilder("storescp", "+tls", pki.resolve(GatewayPki.SERVER_KEY).toString(),
                pki.resolve(GatewayPki.SERVER).toString(), "+cf", pki.resolve(GatewayPki.CA).toString(),
                "-aet", "PACS", "-od", pacsDir.toString(), Integer.toString(pacsPort))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("storescp.log").toFile());
        spb.environment().put("TCP_NODELAY", "1");
        Process storescp = spb.start();

        int mailoutPort = freePort();
        Main main = RunnerMain.newMain();
        main.addInitialProperty("camel.main.routes-include-pattern",
                "classpath:routes/mail-out.yaml,classpath:routes/mail-in.yaml");
        String p = pki.toString();
        main.addInitialProperty("mailout.host", "127.0.0.1");
        main.addInitialProperty("mailout.port", Integer.toString(mailoutPort));
        main.addInitialProperty("mailout.certificate", p + "/" + GatewayPki.SERVER);
        main.addInitialProperty("mailout.private-key", p + "/" + GatewayPki.SERVER_KEY);
        main.addInitialProperty("mailout.trusted-certificates", p + "/" + GatewayPki.CA);
        main.addInitialProperty("mailout.signing-certificate", p + "/" + GatewayPki.SIGNER);
        main.addInitialProperty("mailout.signing-key", p + "/" + GatewayPki.SIGNER_KEY);
        main.addInitialProperty("mailout.recipients", p + "/" + GatewayPki.SERVER);
        main.addInitialProperty("mailout.from", "gateway@hospital-a.test");
        main.addInitialProperty("mailout.to", "pacs@hospital-b.test");
        main.addInitialProperty("mailout.study-timeout", "1500");
        main.addInitialProperty("mailout.smtp-uri", "smtps://127.0.0.1:" + smtps
                + "?username=gateway&password=smtp-test-pw&sslContextParameters=#mailTls");
        main.addInitialProperty("mailin.imap-uri", "imaps://127.0.0.1:" + imaps
                + "?username=pacs&password=imap-test-pw&sslContextParameters=#mailTls&delete=false&unseen=true"
                + "&initialDelay=0&delay=500");
        main.addInitialProperty("mailin.private-key", p + "/" + GatewayPki.SERVER_KEY);
        main.addInitialProperty("mailin.certificate", p + "/" + GatewayPki.SERVER);
        main.addInitialProperty("mailin.trusted-senders", p + "/" + GatewayPki.CA);
        main.addInitialProperty("mailin.pacs-aet", "PACS");
        main.addInitialProperty("mailin.pacs-host", "127.0.0.1");
        main.addInitialProperty("mailin.pacs-port", Integer.toString(pacsPort));
        main.addInitialProperty("mailin.client-certificate", p + "/" + GatewayPki.CLIENT);
        main.addInitialProperty("mailin.client-key", p + "/" + GatewayPki.CLIENT_KEY);
        main.addInitialProperty("mailin.pacs-ca", p + "/" + GatewayPki.CA);
        KeyStoreParameters trust = new KeyStoreParameters();
        trust.setResource("file:" + trustStore);
        trust.setType("PKCS12");
        trust.setPassword("test-only");
        TrustManagersParameters tm = new TrustManagersParameters();
        tm.setKeyStore(trust);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(tm);
        main.bind("mailTls", tls);
        main.start();
        try {
            String study = TestDicom.newUid();
            Set<String> sent = new TreeSet<>();
            List<String> files = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String uid = TestDicom.newUid();
                Dataset ds = TestDicom.dataset(uid, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
                ds.setString(Tag.StudyInstanceUID, VR.UI, study);
                ds.setString(Tag.SeriesInstanceUID, VR.UI, study + ".1");
                Path f = tmp.resolve("in-" + i + ".dcm");
                Files.write(f, TestDicom.encode(TestDicom.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
                files.add(f.toString());
                sent.add(uid);
            }
            List<String> cmd = new ArrayList<>(List.of("storescu", "+tls", pki.resolve(GatewayPki.CLIENT_KEY)
                    .toString(), pki.resolve(GatewayPki.CLIENT).toString(), "+cf", pki.resolve(GatewayPki.CA)
                    .toString(), "-aec", "MAILOUT", "127.0.0.1", Integer.toString(mailoutPort)));
            cmd.addAll(files);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("TCP_NODELAY", "1");
            Process scu = pb.start();
            String out = new String(scu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(scu.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, scu.exitValue(), "storescu: " + out);

            long deadline = System.currentTimeMillis() + 60_000;
            Set<String> arrived = new TreeSet<>();
            while (arrived.size() < sent.size() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                arrived.clear();
                try (Stream<Path> s = Files.list(pacsDir)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        try {
                            arrived.add(new DicomReader().read(f).dataset().getString(Tag.SOPInstanceUID));
                        } catch (java.io.IOException e) {
                            // still being written
                        }
                    }
                }
            }
            assertEquals(sent, arrived, "the PACS holds the study that went by mail; storescp log: "
                    + Files.readString(tmp.resolve("storescp.log")));
            assertEquals(1, mail.getReceivedMessages().length, "one mail for the study");
            assertTrue(mail.getReceivedMessages()[0].getContentType().startsWith("application/pkcs7-mime"));
        } finally {
            main.stop();
            storescp.destroy();
            storescp.waitFor(10, TimeUnit.SECONDS);
            mail.stop();
        }
    }
}
