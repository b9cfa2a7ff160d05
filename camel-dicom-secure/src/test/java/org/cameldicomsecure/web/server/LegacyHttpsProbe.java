package org.cameldicomsecure.web.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Run in a child JVM that allows TLS 1.1 (see {@link DicomWebServerTest}): tries an HTTPS request with TLS 1.1 and
 * then TLS 1.2 and prints {@code <protocol> OK <status>} or {@code <protocol> REFUSED <reason>}.
 */
public final class LegacyHttpsProbe {

    private LegacyHttpsProbe() {
    }

    public static void main(String[] args) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            ts.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        int port = Integer.parseInt(args[1]);
        for (String protocol : new String[] {"TLSv1.1", "TLSv1.2"}) {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
                s.setEnabledProtocols(new String[] {protocol});
                s.setSoTimeout(10_000);
                s.startHandshake();
                OutputStream out = s.getOutputStream();
                out.write(("POST /dicom-web/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                System.out.println(protocol + " OK " + head.substring(9));
            } catch (Exception e) {
                System.out.println(protocol + " REFUSED " + e);
            }
        }
    }
}
