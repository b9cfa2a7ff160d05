package org.cameldicomsecure.bench.net;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.net.DicomClient;
import org.cameldicomsecure.net.SslEngineFactory;
import org.cameldicomsecure.net.assoc.Association;
import org.cameldicomsecure.net.assoc.AssociationConfig;
import org.cameldicomsecure.tls.TlsProfile;

/**
 * Associations per second, one after the other: connect (TCP + TLS handshake with client certificate), A-ASSOCIATE,
 * one C-ECHO, A-RELEASE, and the next. By default every association makes a full TLS handshake (no session
 * resumption, as each new echoscu process); {@code --resume true} lets SunJSSE resume sessions where the server
 * offers it.
 *
 * <p>Usage: {@code EchoLoop --pki DIR --profile PROFILE --port PORT [--count 200] [--warmup 100] [--reps 3]
 * [--resume false] [--called ANY-SCP]}. Prints {@code RUN n associations/s} per repetition and
 * {@code RESULT median}.
 */
public final class EchoLoop {

    private EchoLoop() {
    }

    public static void main(String[] argv) throws Exception {
        NetBench.Args args = new NetBench.Args(argv);
        TlsProfile profile = NetBench.profile(args.get("profile"));
        int port = Integer.parseInt(args.get("port"));
        int count = args.getInt("count", 200);
        int warmup = args.getInt("warmup", 100);
        int reps = args.getInt("reps", 3);
        boolean resume = Boolean.parseBoolean(args.get("resume", "false"));
        String called = args.get("called", "ANY-SCP");
        EventLoopGroup group = new NioEventLoopGroup(1);
        ExecutorService blocking = Executors.newCachedThreadPool();
        try {
            SslEngineFactory engines = NetBench.engines(
                    NetBench.tls(args.get("profile"), java.nio.file.Path.of(args.get("pki", ".")), false), !resume);
            AssociationConfig cfg = AssociationConfig.defaults(blocking);
            InetSocketAddress remote = new InetSocketAddress("127.0.0.1", port);
            String tls = null;
            for (int i = 0; i < warmup; i++) {
                tls = once(group, remote, cfg, engines, called);
            }
            List<Double> runs = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                phases.clear();
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    tls = once(group, remote, cfg, engines, called);
                }
                double rate = count / ((System.nanoTime() - t0) / 1e9);
                System.out.printf("RUN %s %d associations %.1f associations/s (median ms: connect+TLS+associate "
                        + "%.2f, C-ECHO %.2f, release %.2f)%n", tls, count, rate, phase(0), phase(1), phase(2));
                runs.add(rate);
            }
            System.out.printf("RESULT %.1f%n", NetBench.median(runs));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            blocking.shutdownNow();
        }
    }

    /** Per association: nanoseconds to establish, to echo, to release. */
    private static final List<long[]> phases = new ArrayList<>();

    private static double phase(int i) {
        List<Double> l = new ArrayList<>();
        for (long[] p : phases) {
            l.add(p[i] / 1e6);
        }
        return NetBench.median(l);
    }

    private static String once(EventLoopGroup group, InetSocketAddress remote, AssociationConfig cfg,
            SslEngineFactory engines, String called) throws Exception {
        long t0 = System.nanoTime();
        Association a = DicomClient.connect(group, remote, cfg, NetBench.request("CDSBENCH", called, 16384), engines,
                10_000).get(30, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        Dataset rsp = a.echo().get(30, TimeUnit.SECONDS);
        long t2 = System.nanoTime();
        if (rsp.getInt(Tag.Status, -1) != 0) {
            throw new IllegalStateException("C-ECHO answered " + rsp.getInt(Tag.Status, -1));
        }
        String tls = a.info().tls() == null ? "plain -" : a.info().tls().protocol() + " " + a.info().tls().cipherSuite();
        a.release().get(30, TimeUnit.SECONDS);
        phases.add(new long[] {t1 - t0, t2 - t1, System.nanoTime() - t2});
        return tls;
    }
}
