package org.cameldicomsecure.web.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.cameldicomsecure.tls.HttpClientTls;
import org.cameldicomsecure.tls.TlsSettings;
import org.cameldicomsecure.web.InstanceSource;
import org.cameldicomsecure.web.multipart.MultipartRelatedReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STOW-RS throughput of the client: 100 instances of 512 KiB in one request to a local server that parses the
 * multipart body with our reader (and discards the parts), plain HTTP and HTTPS (B.12). Prints MB/s; asserts only a
 * floor far below what a 2-core machine does, so that a slow CI machine does not fail it.
 */
class StowThroughputTest {

    private static final int INSTANCES = 100;
    private static final int SIZE = 512 * 1024;

    @TempDir
    Path dir;

    @Test
    void hundredInstancesOf512KiB() throws Exception {
        String study = WebTestSupport.newUid();
        byte[] one = WebTestSupport.part10(study, WebTestSupport.newUid(), SIZE - 400);
        List<InstanceSource> sources = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            sources.add(InstanceSource.of(one));
        }
        long bytes = (long) one.length * INSTANCES;
        WebTestSupport.Pki pki = new WebTestSupport.Pki(dir, "Bench CA");
        double plain = run(null, study, sources, bytes, null);
        double tls = run(pki.serverContext("dns:localhost"), study, sources, bytes, pki);
        double reference = reference(one, null, null);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", pki.ca);
        tmf.init(ks);
        javax.net.ssl.SSLContext trusting = javax.net.ssl.SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
        double referenceTls = reference(one, pki.serverContext("dns:localhost"), trusting);
        System.out.printf("STOW-RS client, %d x %d KiB in one request: plain %.0f MB/s, TLS B.12 %.0f MB/s "
                + "(the same body from memory with a bare HttpClient: plain %.0f MB/s, TLS %.0f MB/s)%n", INSTANCES,
                one.length / 1024, plain, tls, reference, referenceTls);
        assertTrue(plain > 10, "plain " + plain + " MB/s");
        assertTrue(tls > 5, "TLS " + tls + " MB/s");
    }

    /** The same multipart body, built in memory, POSTed with a bare JDK HttpClient: what the fixture server takes. */
    private static double reference(byte[] one, javax.net.ssl.SSLContext serverTls,
                                    javax.net.ssl.SSLContext clientTls) throws Exception {
        String boundary = org.cameldicomsecure.web.multipart.MultipartRelatedWriter.newBoundary();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        org.cameldicomsecure.web.multipart.MultipartRelatedWriter w =
                new org.cameldicomsecure.web.multipart.MultipartRelatedWriter(all, boundary);
        for (int i = 0; i < INSTANCES; i++) {
            w.part("application/dicom", null, one);
        }
        w.finish();
        byte[] body = all.toByteArray();
        try (WebTestSupport.Server server = new WebTestSupport.Server(serverTls)) {
            server.handle("/dicom-web/studies", x -> {
                try (InputStream in = x.getRequestBody();
                     MultipartRelatedReader r = MultipartRelatedReader.open(in,
                             x.getRequestHeaders().getFirst("Content-Type"))) {
                    MultipartRelatedReader.Part p;
                    while ((p = r.next()) != null) {
                        p.body().transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
                WebTestSupport.respond(x, 200, "application/dicom+json", "{}");
            });
            java.net.http.HttpClient.Builder hb = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1);
            if (clientTls != null) {
                hb.sslContext(clientTls);
            }
            java.net.http.HttpClient http = hb.build();
            java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(server.uri(
                            clientTls == null ? "127.0.0.1" : "localhost", "/dicom-web/studies"))
                    .header("Content-Type", org.cameldicomsecure.web.multipart.MultipartRelatedWriter.contentType(
                            "application/dicom", boundary))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
            http.send(req, java.net.http.HttpResponse.BodyHandlers.discarding());
            double[] mbs = new double[5];
            for (int i = 0; i < mbs.length; i++) {
                long t0 = System.nanoTime();
                http.send(req, java.net.http.HttpResponse.BodyHandlers.discarding());
                mbs[i] = (double) one.length * INSTANCES / 1e6 / ((System.nanoTime() - t0) / 1e9);
            }
            Arrays.sort(mbs);
            return mbs[mbs.length / 2];
        }
    }

    private static double run(javax.net.ssl.SSLContext serverTls, String study, List<InstanceSource> sources,
                              long bytes, WebTestSupport.Pki pki) throws Exception {
        AtomicLong received = new AtomicLong();
        try (WebTestSupport.Server server = new WebTestSupport.Server(serverTls)) {
            server.handle("/dicom-web/studies", x -> {
                long n = 0;
                int parts = 0;
                try (InputStream in = x.getRequestBody();
                     MultipartRelatedReader r = MultipartRelatedReader.open(in,
                             x.getRequestHeaders().getFirst("Content-Type"))) {
                    MultipartRelatedReader.Part p;
                    byte[] buf = new byte[64 * 1024];
                    while ((p = r.next()) != null) {
                        parts++;
                        InputStream b = p.body();
                        int k;
                        while ((k = b.read(buf)) > 0) {
                            n += k;
                        }
                    }
                }
                received.set(n);
                WebTestSupport.respond(x, 200, "application/dicom+json", "{}");
            });
            URI base = server.uri(serverTls == null ? "127.0.0.1" : "localhost", "/dicom-web");
            DicomWebClient.Builder b = DicomWebClient.builder(base);
            if (pki != null) {
                b.tls(HttpClientTls.factory(TlsSettings.builder().trustedCertificates(pki.caPem).build()));
            }
            try (DicomWebClient c = b.build()) {
                c.stow(sources, study); // warm-up
                double[] mbs = new double[5];
                for (int i = 0; i < mbs.length; i++) {
                    long t0 = System.nanoTime();
                    c.stow(sources, study);
                    long t = System.nanoTime() - t0;
                    assertEquals(bytes, received.get());
                    mbs[i] = bytes / 1e6 / (t / 1e9);
                }
                Arrays.sort(mbs);
                return mbs[mbs.length / 2];
            }
        }
    }
}
