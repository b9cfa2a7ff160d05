package org.cameldicomsecure.bench.net;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.cameldicomsecure.component.dicom.DicomConverter;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.cameldicomsecure.net.DicomClient;
import org.cameldicomsecure.net.SslEngineFactory;
import org.cameldicomsecure.net.assoc.Association;
import org.cameldicomsecure.net.assoc.AssociationConfig;
import org.cameldicomsecure.net.dimse.Status;
import org.cameldicomsecure.tls.TlsProfile;

/**
 * Our Storage SCU: sends every {@code *.dcm} file of a folder (sorted by name) over one association, each file read
 * from disk with our {@link DicomReader} right before its C-STORE (as storescu reads each file it sends), waiting for
 * each C-STORE-RSP before the next request (storescu does the same), and prints the MB/s (file bytes / time from the
 * first read to the last response; MB = 10^6 bytes). Association set-up and release are outside the timed part.
 *
 * <p>Usage: {@code Sender --pki DIR --profile PROFILE --port PORT --pdu MAXPDU --files DIR [--warmup 2] [--reps 5]
 * [--called STORESCP] [--bulk-threshold BYTES]}. {@code --warmup} associations warm the JIT first (reported as {@code COLD} for the first,
 * {@code WARMUP} for the others), then {@code --reps} measured ones ({@code RUN}); the last line is
 * {@code RESULT median-MB/s}. The Maximum Length we announce is MAXPDU; what we send is capped by the peer's (and
 * by our maxSendPduLength, 128 KiB).
 */
public final class Sender {

    private Sender() {
    }

    /** CPU nanoseconds by thread name (threads of the same name added up). */
    private static Map<String, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> m = new TreeMap<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null) {
                long c = mx.getThreadCpuTime(t.getThreadId());
                if (c > 0) {
                    m.merge(t.getThreadName().replaceAll("-\\d+$", ""), c, Long::sum);
                }
            }
        }
        return m;
    }

    public static void main(String[] argv) throws Exception {
        NetBench.Args args = new NetBench.Args(argv);
        Path pki = Path.of(args.get("pki", "."));
        TlsProfile profile = NetBench.profile(args.get("profile"));
        int port = Integer.parseInt(args.get("port"));
        long maxPdu = Long.parseLong(args.get("pdu"));
        int warmup = args.getInt("warmup", 2);
        int reps = args.getInt("reps", 5);
        String called = args.get("called", "STORESCP");
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args.get("files")))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".dcm")).sorted().toList();
        }
        long totalBytes = 0;
        for (Path p : files) {
            totalBytes += Files.size(p);
        }
        EventLoopGroup group = new NioEventLoopGroup(1);
        ExecutorService blocking = Executors.newCachedThreadPool();
        try {
            SslEngineFactory engines = NetBench.engines(NetBench.tls(args.get("profile"), pki, false), false);
            AssociationConfig cfg = AssociationConfig.defaults(blocking).withMaxPduLength(maxPdu);
            InetSocketAddress remote = new InetSocketAddress("127.0.0.1", port);
            // values above the threshold stay in the file and are sent from it; the default is what the components'
            // type converter uses for File and Path bodies (a file: route into dicomtls:), 64 KiB
            DicomReader reader = new DicomReader(DicomReaderOptions.DEFAULT.withBulkDataThreshold(
                    args.getInt("bulk-threshold", DicomConverter.FILE_BULK_DATA_THRESHOLD)));
            List<Double> runs = new ArrayList<>();
            Map<String, Long> cpuBefore = null;
            for (int r = 0; r < warmup + reps; r++) {
                if (r == warmup) {
                    cpuBefore = threadCpu();
                }
                Association a = DicomClient.connect(group, remote, cfg, NetBench.request("CDSBENCH", called, maxPdu),
                        engines, 10_000).get(30, TimeUnit.SECONDS);
                String tls = a.info().tls() == null ? "plain -"
                        : a.info().tls().protocol() + " " + a.info().tls().cipherSuite();
                long t0 = System.nanoTime();
                for (Path p : files) {
                    DicomFile f = reader.read(p);
                    Dataset rsp = a.store(f, 0).get(60, TimeUnit.SECONDS);
                    int status = rsp.getInt(Tag.Status, -1);
                    if (!Status.isSuccess(status)) {
                        throw new IOException("C-STORE of " + p + " answered " + Status.toHex(status));
                    }
                }
                long t1 = System.nanoTime();
                a.release().get(30, TimeUnit.SECONDS);
                double mbs = totalBytes / ((t1 - t0) / 1e9) / 1e6;
                String kind = r == 0 && warmup > 0 ? "COLD" : r < warmup ? "WARMUP" : "RUN";
                System.out.printf("%s %s %d files %d bytes %.1f MB/s (peer max PDU %d)%n", kind, tls, files.size(),
                        totalBytes, mbs, a.info().peerMaxPduLength());
                if (r >= warmup) {
                    runs.add(mbs);
                }
            }
            if (cpuBefore != null && reps > 0) {
                // CPU time of this JVM's threads per measured association (JIT and GC threads are not Java threads)
                StringBuilder sb = new StringBuilder("CPU ms per association:");
                Map<String, Long> after = threadCpu();
                for (Map.Entry<String, Long> e : after.entrySet()) {
                    long d = e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L);
                    if (d > 1_000_000L * reps) {
                        sb.append(String.format(" %s %.0f", e.getKey(), d / 1e6 / reps));
                    }
                }
                System.out.println(sb);
            }
            System.out.printf("RESULT %.1f%n", NetBench.median(runs));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            blocking.shutdownNow();
        }
    }
}
