package org.cameldicomsecure.bench.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.net.DefaultAcceptorPolicy;
import org.cameldicomsecure.net.DicomServer;
import org.cameldicomsecure.net.assoc.AssociationConfig;
import org.cameldicomsecure.net.assoc.AssociationInfo;
import org.cameldicomsecure.net.assoc.AssociationListener;
import org.cameldicomsecure.net.dimse.StoreResult;
import org.cameldicomsecure.net.dimse.StoreService;
import org.cameldicomsecure.net.pdu.UserInformation;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.tls.TlsProfile;

/**
 * Our Storage SCP as a sink, like {@code storescp --ignore}: every C-STORE is answered with Success once its data set
 * has fully arrived (our acceptor hands an instance to the store service only after its last PDV), and the data is
 * dropped. Answers C-ECHO. Accepts any called AE title and every storage SOP class in the transfer syntax the
 * requestor prefers; client certificate required over TLS.
 *
 * <p>Usage: {@code Receiver --pki DIR NAME:PROFILE:MAXPDU ...} (PROFILE a {@link TlsProfile} name, NONE for plain
 * TCP; MAXPDU the Maximum Length announced). Each listener binds a free port on 127.0.0.1 and prints
 * {@code READY NAME PORT}; after all of them, {@code READY ALL}. For each released association it prints
 * {@code ASSOC NAME protocol cipher instances bytes MB/s}, the MB/s counted from the first to the last instance
 * (instances 2..N, MB = 10^6 bytes), a cross-check of the requestor's own timing. Runs until killed.
 */
public final class Receiver {

    private Receiver() {
    }

    /** Per-association counts, touched on the association's event loop only. */
    private static final class Stats {
        final String tls;
        int instances;
        long bytes;
        long firstBytes;
        long firstNanos;
        long lastNanos;

        Stats(String tls) {
            this.tls = tls;
        }
    }

    public static void main(String[] argv) throws Exception {
        NetBench.Args args = new NetBench.Args(argv);
        Path pki = Path.of(args.get("pki", "."));
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(); // Netty's default (2 x cores), as the dicomtls component
        ExecutorService blocking = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "blocking");
            t.setDaemon(true);
            return t;
        });
        Set<String> storage = UID.storageSopClasses();
        StoreService discard = (association, command, instance) -> {
            try {
                instance.close();
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture(StoreResult.SUCCESS);
        };
        for (String spec : args.positional) {
            String[] p = spec.split(":");
            String name = p[0];
            TlsProfile profile = NetBench.profile(p[1]);
            long maxPdu = Long.parseLong(p[2]);
            TlsContextFactory tls = NetBench.tls(p[1], pki, true);
            Map<String, Stats> stats = new ConcurrentHashMap<>();
            AssociationListener listener = new AssociationListener() {
                @Override
                public void accepted(AssociationInfo a) {
                    stats.put(a.name(), new Stats(a.tls() == null ? "plain -"
                            : a.tls().protocol() + " " + a.tls().cipherSuite()));
                }

                @Override
                public void instanceTransferred(AssociationInfo a, String cls, String inst, long bytes, int status) {
                    Stats s = stats.get(a.name());
                    if (s == null) {
                        return;
                    }
                    long now = System.nanoTime();
                    if (s.instances++ == 0) {
                        s.firstNanos = now;
                        s.firstBytes = bytes;
                    }
                    s.lastNanos = now;
                    s.bytes += bytes;
                }

                @Override
                public void released(AssociationInfo a) {
                    Stats s = stats.remove(a.name());
                    if (s != null && s.instances > 1) {
                        double sec = (s.lastNanos - s.firstNanos) / 1e9;
                        System.out.printf("ASSOC %s %s %d %d %.1f%n", name, s.tls, s.instances, s.bytes,
                                (s.bytes - s.firstBytes) / sec / 1e6);
                    }
                }

                @Override
                public void aborted(AssociationInfo a, java.net.SocketAddress peer, String why) {
                    if (a != null) {
                        stats.remove(a.name());
                    }
                    System.out.printf("ABORTED %s %s%n", name, why);
                }

                @Override
                public void tlsFailed(java.net.SocketAddress peer, String why) {
                    System.out.printf("TLSFAILED %s %s%n", name, why);
                }
            };
            AssociationConfig cfg = AssociationConfig.defaults(blocking).withMaxPduLength(maxPdu)
                    .withListener(listener);
            DefaultAcceptorPolicy policy = new DefaultAcceptorPolicy(null,
                    uid -> uid.equals(UID.Verification) || storage.contains(uid), List.of(), Set.of(),
                    (id, peer, calling) -> DefaultAcceptorPolicy.IdentityDecision.ANONYMOUS, null,
                    UserInformation.of(maxPdu, cfg.implementationClassUid(), cfg.implementationVersion()));
            DicomServer server = DicomServer.start(new InetSocketAddress("127.0.0.1", 0), boss, workers, cfg, policy,
                    discard, NetBench.engines(tls, false), 10_000);
            System.out.printf("READY %s %d%n", name, server.localAddress().getPort());
        }
        System.out.println("READY ALL");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
