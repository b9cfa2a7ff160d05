package org.cameldicomsecure.it.dicomtls;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.net.assoc.AssociationInfo;
import org.cameldicomsecure.net.assoc.AssociationListener;
import org.cameldicomsecure.net.pdu.AAssociateRJ;

/** What the dicomtls ITs share: ports, peer start-up, DCMTK command lines, Camel contexts and recorders. */
final class ItSupport {

    /** The AE title of our consumer in every test. */
    static final String GATEWAY = "GATEWAY";

    private ItSupport() {
    }

    static int freePort() {
        return AvailablePortFinder.getNextAvailable();
    }

    /** Fails unless the tools are installed (never skips). */
    static void requireDcmtkAndOpenssl() {
        Peers.require("storescu", "dcmtk");
        Peers.require("storescp", "dcmtk");
        Peers.require("echoscu", "dcmtk");
        Peers.require("openssl", "openssl");
    }

    // ------------------------------------------------------------------ peers

    /**
     * Waits until something listens on {@code port}, read from /proc/net/tcp and tcp6 (LISTEN state) so that the
     * peer sees no probe connection (a plain connect to a TLS server would be a failed handshake in its log).
     */
    static void awaitListening(int port, Peers.Daemon daemon, long timeoutMillis) throws Exception {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < end) {
            if (!daemon.isAlive()) {
                fail(daemon + " ended before listening on " + port + ":\n" + daemon.log());
            }
            if (listening(port)) {
                return;
            }
            Thread.sleep(20);
        }
        fail(daemon + " does not listen on " + port + " after " + timeoutMillis + " ms:\n" + daemon.log());
    }

    private static boolean listening(int port) throws IOException {
        String hex = String.format(":%04X ", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Paths.get(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ...; st 0A is LISTEN
                if (f.length > 3 && (f[1] + " ").endsWith(hex) && f[3].equals("0A")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code storescp} on {@code port}, writing what arrives bit-preserved ({@code +B}) into {@code out}. */
    static Peers.Daemon storescp(Peers peers, String name, Path out, int port, List<String> options) throws Exception {
        Files.createDirectories(out);
        Peers.Daemon d = peers.start(name, out, Peers.cmd("storescp", "-v", "-d", "+B", "-od", out, options, port));
        awaitListening(port, d, 10_000);
        return d;
    }

    /** {@code +tls KEY CERT +cf CA PROFILE}: DCMTK's TLS options for {@code client} trusting our CA. */
    static List<String> tls(ItPki pki, ItPki.Issued client, String profile) {
        List<String> l = new ArrayList<>(List.of("+tls", client.keyPem().toString(), client.certPem().toString(),
                "+cf", pki.ca.certPem().toString()));
        if (profile != null) {
            l.add(profile);
        }
        return l;
    }

    /** A storescu command line to our consumer {@code GATEWAY@127.0.0.1:port}. */
    static List<String> storescu(int port, List<String> options, List<?> files) {
        return Peers.cmd("storescu", "-v", "-aec", GATEWAY, options, "127.0.0.1", port, files);
    }

    static void await(BooleanSupplier condition, long timeoutMillis, String what) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + timeoutMillis + " ms waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------------ Camel

    /** A started Camel context with {@code beans} in its registry and the routes of {@code routes}. */
    static CamelContext camel(Map<String, Object> beans, RouteBuilder routes) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        beans.forEach((k, v) -> ctx.getRegistry().bind(k, v));
        ctx.addRoutes(routes);
        ctx.start();
        return ctx;
    }

    /** The key material options of a dicomtls endpoint. */
    static String keyOptions(ItPki pki, ItPki.Issued own) {
        return "certificate=" + own.certPem() + "&privateKey=" + own.keyPem() + "&trustedCertificates="
                + pki.ca.certPem();
    }

    /** The first step of a route: a copy of the headers of every exchange that reaches it. */
    static final class Recorder implements Processor {

        final List<Map<String, Object>> headers = new CopyOnWriteArrayList<>();

        @Override
        public void process(Exchange exchange) {
            headers.add(Collections.unmodifiableMap(new HashMap<>(exchange.getIn().getHeaders())));
        }

        int count() {
            return headers.size();
        }

        List<String> sopInstanceUids() {
            return headers.stream().map(h -> (String) h.get("CamelDicomSopInstanceUid")).toList();
        }

        void clear() {
            headers.clear();
        }
    }

    /** Association and security events of one endpoint. */
    static final class Events implements AssociationListener {

        final List<AssociationInfo> accepted = new CopyOnWriteArrayList<>();
        final List<AAssociateRJ> rejected = new CopyOnWriteArrayList<>();
        final List<String> rejectReasons = new CopyOnWriteArrayList<>();
        final List<String> tlsFailures = new CopyOnWriteArrayList<>();
        final List<String> authFailures = new CopyOnWriteArrayList<>();
        final List<String> aborts = new CopyOnWriteArrayList<>();

        @Override
        public void accepted(AssociationInfo association) {
            accepted.add(association);
        }

        @Override
        public void rejected(SocketAddress peer, String callingAet, String calledAet, AAssociateRJ rj, String why) {
            rejected.add(rj);
            rejectReasons.add(why);
        }

        @Override
        public void tlsFailed(SocketAddress peer, String why) {
            tlsFailures.add(why);
        }

        @Override
        public void authenticationFailed(SocketAddress peer, String callingAet, String why) {
            authFailures.add(why);
        }

        @Override
        public void aborted(AssociationInfo association, SocketAddress peer, String why) {
            aborts.add(why);
        }

        void clear() {
            accepted.clear();
            rejected.clear();
            rejectReasons.clear();
            tlsFailures.clear();
            authFailures.clear();
            aborts.clear();
        }
    }

    // ------------------------------------------------------------------ files

    static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
