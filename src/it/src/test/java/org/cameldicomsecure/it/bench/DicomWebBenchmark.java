package org.cameldicomsecure.it.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.component.dicomweb.DicomWebConstants;
import org.cameldicomsecure.it.dicomweb.WebData;
import org.cameldicomsecure.it.dicomtls.ItPki;
import org.cameldicomsecure.it.dicomweb.WebSupport;
import org.cameldicomsecure.it.peers.OrthancPeer;

/**
 * The DICOMweb benchmark of issue #7, run by hand with {@code bench/run-dicomweb.sh} (not a test). In one JVM:
 * STOW-RS throughput of N instances of 512 KiB (512 x 512 16-bit pixels, Explicit VR Little Endian) into
 * <ul>
 * <li>Orthanc 1.10.1 + DICOMweb plugin 1.7 (plain HTTP: its HTTPS crashes on Debian 12, see DicomWebOrthancIT),
 *     storage in a temporary folder on disk, warmed up first, its instances deleted between runs (outside the clock)
 *     so that every run stores new instances;</li>
 * <li>our {@code dicomweb:} consumer over plain HTTP, with a route that writes each instance to a file in a
 *     temporary folder on the same disk (what Orthanc does) with an fsync per file (camel-file's default
 *     forceWrites=true, which Orthanc 1.10 does not do: it has no such option) and without it ("nosync", the same
 *     durability as Orthanc's), and with a route that discards it;</li>
 * <li>our consumer over HTTPS (BCP195_RFC8996), discarding.</li>
 * </ul>
 * The same client for all: the JDK HttpClient (HTTP/1.1, keep-alive) with request bodies built before the clock
 * starts, in two modes: N requests of one instance each, and one multipart request of N instances; and, as a third
 * client, our own {@code dicomweb:} producer (one request of N instances). Each variant runs R times, alternating the
 * servers; the median is reported in MB/s (10^6 bytes of instance files per second) with the ratio ours / Orthanc.
 * Every response must be 200 and every server must have received exactly N instances per run.
 */
public final class DicomWebBenchmark {

    private static final int FILES = Integer.getInteger("bench.files", 200);
    private static final int REPS = Integer.getInteger("bench.reps", 5);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 2);
    private static final String MODES = System.getProperty("bench.modes", "single,multi,producer");

    private final Path work;
    private final List<byte[]> files = new ArrayList<>();
    private long totalBytes;
    private final Map<String, List<Double>> results = new LinkedHashMap<>();

    private DicomWebBenchmark(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Paths.get(System.getProperty("it.work.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(work);
        new DicomWebBenchmark(work).run();
    }

    /** A STOW-RS server under test. */
    private interface Target {
        String name();

        URI studies();

        HttpClient client();

        String producerUri();

        /** Called before a run (outside the clock). */
        void reset() throws Exception;

        /** Checks after a run that exactly {@code n} instances arrived. */
        void verify(int n) throws Exception;
    }

    private void run() throws Exception {
        WebData.Study study = WebData.study(work.resolve("data"), "bench", 1, FILES, 512);
        for (WebData.Instance i : study.instances()) {
            files.add(i.bytes());
            totalBytes += i.bytes().length;
        }
        System.out.printf(Locale.ROOT, "%d instances, %.1f MB in all (%d bytes each)%n", FILES, totalBytes / 1e6,
                files.get(0).length);
        ItPki pki = ItPki.create(work.resolve("pki"));
        Path stored = Files.createDirectories(work.resolve("ours-stored"));
        AtomicLong storedCount = new AtomicLong();
        AtomicLong storedNoSyncCount = new AtomicLong();
        Path storedNoSync = Files.createDirectories(work.resolve("ours-stored-nosync"));
        AtomicLong discardedCount = new AtomicLong();
        AtomicLong tlsCount = new AtomicLong();
        int portFile = WebSupport.freePort();
        int portFileNoSync = WebSupport.freePort();
        int portDiscard = WebSupport.freePort();
        int portTls = WebSupport.freePort();
        String tls = "?tlsProfile=BCP195_RFC8996&" + pki.serverOptions();
        CamelContext camel = WebSupport.camel(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                from("dicomweb:http://127.0.0.1:" + portFile + "/dicom-web")
                        .to("file:" + stored + "?fileName=${header." + DicomWebConstants.SOP_INSTANCE_UID + "}.dcm")
                        .process(e -> storedCount.incrementAndGet());
                // as Orthanc 1.10 stores its files: without an fsync per file (camel-file's forceWrites=false)
                from("dicomweb:http://127.0.0.1:" + portFileNoSync + "/dicom-web")
                        .to("file:" + storedNoSync + "?forceWrites=false&fileName=${header."
                                + DicomWebConstants.SOP_INSTANCE_UID + "}.dcm")
                        .process(e -> storedNoSyncCount.incrementAndGet());
                from("dicomweb:http://127.0.0.1:" + portDiscard + "/dicom-web")
                        .process(e -> discardedCount.incrementAndGet());
                from("dicomweb:https://127.0.0.1:" + portTls + "/dicom-web" + tls)
                        .process(e -> tlsCount.incrementAndGet());
            }
        });
        ProducerTemplate template = camel.createProducerTemplate();
        HttpClient plain = WebSupport.httpClient(null);
        HttpClient secure = WebSupport.httpClient(pki.clientContext());
        try (OrthancPeer orthanc = OrthancPeer.builder().forTest(DicomWebBenchmark.class).workParent(work)
                .dicomWeb().config("HttpThreadsCount", 8).start()) {
            List<Target> targets = List.of(
                    orthancTarget(orthanc, plain),
                    ourTarget("ours-file", portFile, "http", plain, storedCount, ""),
                    ourTarget("ours-file-nosync", portFileNoSync, "http", plain, storedNoSyncCount, ""),
                    ourTarget("ours-discard", portDiscard, "http", plain, discardedCount, ""),
                    ourTarget("ours-tls-discard", portTls, "https", secure, tlsCount,
                            "&trustedCertificates=" + pki.ca.certPem()));
            System.out.println("Orthanc " + orthanc.version() + " pid " + orthanc.pid() + ", storage under " + work);
            for (String mode : MODES.split(",")) {
                for (int rep = -WARMUP; rep < REPS; rep++) {
                    for (Target t : targets) {
                        double mbs = once(t, mode.trim(), template);
                        if (rep >= 0) {
                            results.computeIfAbsent(mode.trim() + "|" + t.name(), k -> new ArrayList<>()).add(mbs);
                        }
                    }
                }
            }
        } finally {
            camel.close();
        }
        report();
    }

    private double once(Target t, String mode, ProducerTemplate template) throws Exception {
        t.reset();
        long start;
        long end;
        switch (mode) {
            case "single" -> {
                List<WebSupport.Multipart> bodies = new ArrayList<>();
                for (byte[] f : files) {
                    bodies.add(WebSupport.dicomMultipart(List.of(f)));
                }
                start = System.nanoTime();
                for (WebSupport.Multipart b : bodies) {
                    check(t, WebSupport.post(t.client(), t.studies(), b, null));
                }
                end = System.nanoTime();
            }
            case "multi" -> {
                WebSupport.Multipart body = WebSupport.dicomMultipart(files);
                start = System.nanoTime();
                check(t, WebSupport.post(t.client(), t.studies(), body, null));
                end = System.nanoTime();
            }
            case "producer" -> {
                List<byte[]> body = new ArrayList<>(files);
                start = System.nanoTime();
                Exchange e = template.request(t.producerUri(), x -> x.getIn().setBody(body));
                end = System.nanoTime();
                if (e.getException() != null) {
                    throw new IllegalStateException(t.name() + ": producer failed", e.getException());
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode + " (single, multi, producer)");
        }
        t.verify(files.size());
        return totalBytes / 1e6 / ((end - start) / 1e9);
    }

    private static void check(Target t, HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(t.name() + " answered HTTP " + r.statusCode() + ": " + r.body());
        }
    }

    private static Target orthancTarget(OrthancPeer orthanc, HttpClient client) {
        return new Target() {
            public String name() {
                return "orthanc";
            }

            public URI studies() {
                return orthanc.dicomWebUri().resolve("studies");
            }

            public HttpClient client() {
                return client;
            }

            public String producerUri() {
                return "dicomweb:http://127.0.0.1:" + orthanc.httpPort() + "/dicom-web?operation=stow";
            }

            public void reset() throws Exception {
                for (String id : orthanc.instances()) {
                    orthanc.delete(id);
                }
            }

            public void verify(int n) throws Exception {
                int got = orthanc.instances().size();
                if (got != n) {
                    throw new IllegalStateException("Orthanc holds " + got + " instances, not " + n);
                }
            }
        };
    }

    private static Target ourTarget(String name, int port, String scheme, HttpClient client, AtomicLong count,
            String producerTls) {
        return new Target() {
            public String name() {
                return name;
            }

            public URI studies() {
                return URI.create(scheme + "://127.0.0.1:" + port + "/dicom-web/studies");
            }

            public HttpClient client() {
                return client;
            }

            public String producerUri() {
                return "dicomweb:" + scheme + "://127.0.0.1:" + port + "/dicom-web?operation=stow" + producerTls;
            }

            public void reset() {
                count.set(0);
            }

            public void verify(int n) {
                if (count.get() != n) {
                    throw new IllegalStateException(name + " routed " + count.get() + " instances, not " + n);
                }
            }
        };
    }

    private static double median(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private void report() {
        System.out.println();
        System.out.printf(Locale.ROOT, "STOW-RS, %d x %d bytes, median of %d runs (after %d warm-up runs), MB/s%n",
                FILES, files.get(0).length, REPS, WARMUP);
        System.out.printf(Locale.ROOT, "%-10s %-18s %10s %10s %10s  %s%n", "client", "server", "median", "min", "max",
                "vs orthanc");
        for (Map.Entry<String, List<Double>> e : results.entrySet()) {
            String[] k = e.getKey().split("\\|");
            double m = median(e.getValue());
            List<Double> orth = results.get(k[0] + "|orthanc");
            String ratio = orth == null || k[1].equals("orthanc") ? ""
                    : String.format(Locale.ROOT, "%.2fx", m / median(orth));
            String client = switch (k[0]) {
                case "single" -> "jdk-1/req";
                case "multi" -> "jdk-N/req";
                default -> "producer";
            };
            System.out.printf(Locale.ROOT, "%-10s %-18s %10.1f %10.1f %10.1f  %s%n", client, k[1], m,
                    e.getValue().stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    e.getValue().stream().mapToDouble(Double::doubleValue).max().orElse(0), ratio);
        }
        System.out.println("goal (issue #7): ours >= 2x Orthanc");
    }
}
