package org.cameldicomsecure.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.cameldicomsecure.tls.ClientAuth;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.tls.TlsProfile;
import org.cameldicomsecure.tls.TlsSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our TLS engines against OpenSSL 3, both directions, on 127.0.0.1: {@code openssl s_client} against a small Java
 * server built with {@link TlsContextFactory#wrapServerSocket}, and a Java client built with
 * {@link TlsContextFactory#wrapClientSocket} against {@code openssl s_server -www}. The keys and certificates are
 * made by {@code openssl} itself (PKCS#8, traditional, encrypted), so the PEM reading is checked against OpenSSL's
 * own files. Peer output is kept under {@code target/it-logs/OpenSslTlsIT/}; servers are stopped by PID.
 */
class OpenSslTlsIT {

    private static final String KEY_PASSWORD = "it-key-pass";
    private static Path logs;
    private static Path work;
    private static final AtomicInteger RUN = new AtomicInteger();
    private static Path openssl;

    private static Path ca;
    private static Path serverRsa;
    private static Path serverRsaKey;
    private static Path serverEc;
    private static Path serverEcKeyTraditional;
    private static Path clientRsa;
    private static Path clientRsaKeyEncrypted;
    private static Path clientEc;
    private static Path clientEcKeyTraditionalEncrypted;

    private final List<Process> started = new ArrayList<>();
    private final List<JavaServer> javaServers = new ArrayList<>();

    @BeforeAll
    static void makePki() throws Exception {
        openssl = require("openssl", "openssl");
        logs = Paths.get(System.getProperty("it.logs.dir", "target/it-logs")).resolve("OpenSslTlsIT");
        Files.createDirectories(logs);
        work = Files.createDirectories(Paths.get(System.getProperty("it.work.dir", "target/it-work"))
                .resolve("OpenSslTlsIT"));
        ca = work.resolve("ca.pem");
        Path caKey = work.resolve("ca.key");
        run("ca", List.of("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out",
                ca.toString(), "-days", "2", "-subj", "/CN=OpenSslTlsIT CA", "-addext",
                "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"), null)
                .ok();
        Path ext = Files.writeString(work.resolve("ee.ext"), "basicConstraints=CA:FALSE\n"
                + "extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        serverRsaKey = work.resolve("server-rsa.key");
        serverRsa = issue("server-rsa", "rsa:2048", serverRsaKey, "/CN=localhost", 1001, caKey, ext);
        Path serverEcKey = work.resolve("server-ec.key");
        serverEc = issue("server-ec", "ec", serverEcKey, "/CN=localhost", 1002, caKey, ext);
        serverEcKeyTraditional = work.resolve("server-ec.trad.key");
        run("ec-traditional", List.of("pkey", "-in", serverEcKey.toString(), "-traditional", "-out",
                serverEcKeyTraditional.toString()), null).ok();
        Path clientRsaKey = work.resolve("client-rsa.key");
        clientRsa = issue("client-rsa", "rsa:2048", clientRsaKey, "/CN=STORESCU", 1003, caKey, ext);
        clientRsaKeyEncrypted = work.resolve("client-rsa.enc.key");
        run("pkcs8-encrypt", List.of("pkey", "-in", clientRsaKey.toString(), "-aes256", "-passout",
                "pass:" + KEY_PASSWORD, "-out", clientRsaKeyEncrypted.toString()), null).ok();
        Path clientEcKey = work.resolve("client-ec.key");
        clientEc = issue("client-ec", "ec", clientEcKey, "/CN=STORESCU", 1004, caKey, ext);
        clientEcKeyTraditionalEncrypted = work.resolve("client-ec.trad.enc.key");
        run("ec-traditional-encrypt", List.of("pkey", "-in", clientEcKey.toString(), "-traditional", "-aes128",
                "-passout", "pass:" + KEY_PASSWORD, "-out", clientEcKeyTraditionalEncrypted.toString()), null).ok();
        assertTrue(Files.readString(serverEcKeyTraditional).contains("BEGIN EC PRIVATE KEY"));
        assertTrue(Files.readString(clientRsaKeyEncrypted).contains("BEGIN ENCRYPTED PRIVATE KEY"));
        assertTrue(Files.readString(clientEcKeyTraditionalEncrypted).contains("Proc-Type: 4,ENCRYPTED"));
    }

    private static Path issue(String name, String keySpec, Path key, String subject, int serial, Path caKey,
                              Path ext) throws Exception {
        Path csr = work.resolve(name + ".csr");
        Path cert = work.resolve(name + ".pem");
        List<String> req = new ArrayList<>(List.of("req", "-new", "-nodes", "-keyout", key.toString(), "-out",
                csr.toString(), "-subj", subject));
        if (keySpec.equals("ec")) {
            req.addAll(List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"));
        } else {
            req.addAll(List.of("-newkey", keySpec));
        }
        run(name + "-csr", req, null).ok();
        run(name + "-sign", List.of("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey",
                caKey.toString(), "-set_serial", Integer.toString(serial), "-days", "2", "-sha256", "-extfile",
                ext.toString(), "-out", cert.toString()), null).ok();
        return cert;
    }

    @AfterEach
    void stopPeers() throws Exception {
        for (Process p : started) {
            stop(p);
        }
        started.clear();
        for (JavaServer s : javaServers) {
            s.close();
        }
        javaServers.clear();
    }

    // ------------------------------------------------------------------ openssl s_client -> our server

    @Test
    void opensslClientToB12Server() throws Exception {
        JavaServer server = javaServer(TlsSettings.builder().profile(TlsProfile.BCP195_RFC8996)
                .certificate(serverRsa).privateKey(serverRsaKey).trustedCertificates(ca).build());
        Result r = sClient("b12-tls13", server.port(), List.of("-cert", clientRsa.toString(), "-key",
                clientRsaKeyEncrypted.toString(), "-pass", "pass:" + KEY_PASSWORD));
        r.ok();
        assertTrue(r.out.contains("echo:hello"), r.out);
        assertTrue(r.err.contains("Protocol version: TLSv1.3"), r.err);
        assertEquals("OK TLSv1.3 TLS_AES_256_GCM_SHA384 CN=STORESCU", server.outcome());

        Result r12 = sClient("b12-tls12", server.port(), List.of("-tls1_2", "-cert", clientEc.toString(), "-key",
                clientEcKeyTraditionalEncrypted.toString(), "-pass", "pass:" + KEY_PASSWORD));
        r12.ok();
        assertEquals("OK TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 CN=STORESCU", server.outcome());
    }

    @Test
    void nonDowngradingServersRefuseTls11AndWeakSuites() throws Exception {
        for (TlsProfile profile : new TlsProfile[] {TlsProfile.BCP195_ND, TlsProfile.BCP195_RFC8996,
                TlsProfile.BCP195_RFC8996_MODIFIED}) {
            JavaServer server = javaServer(TlsSettings.builder().profile(profile).certificate(serverRsa)
                    .privateKey(serverRsaKey).trustedCertificates(ca).clientAuth(ClientAuth.NONE).build());
            Result tls11 = sClient(profile.name() + "-tls1_1", server.port(),
                    List.of("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"));
            assertNotEquals(0, tls11.exit, profile + " must refuse TLS 1.1: " + tls11.err);
            assertTrue(server.outcome().startsWith("FAIL"), profile.name());
            Result weak = sClient(profile.name() + "-aes128-sha", server.port(),
                    List.of("-tls1_2", "-cipher", "AES128-SHA:DES-CBC3-SHA:@SECLEVEL=0"));
            assertNotEquals(0, weak.exit, profile + " must refuse RSA key transport with CBC/SHA-1: " + weak.err);
            assertTrue(server.outcome().startsWith("FAIL"), profile.name());
            // and a normal client still gets in
            sClient(profile.name() + "-default", server.port(), List.of()).ok();
            assertTrue(server.outcome().startsWith("OK TLSv1.3"), profile.name());
        }
    }

    @Test
    void clientCertificateIsRequiredByDefault() throws Exception {
        JavaServer server = javaServer(TlsSettings.builder().certificate(serverRsa).privateKey(serverRsaKey)
                .trustedCertificates(ca).build());
        Result r = sClient("no-client-cert", server.port(), List.of());
        assertTrue(server.outcome().startsWith("FAIL"), r.err);
        assertTrue(!r.out.contains("echo:hello"), r.out);
    }

    /** B.13 runs on BCJSSE: OpenSSL negotiates its CCM suites (which SunJSSE lacks) and DHE with it. */
    @Test
    void opensslClientToB13Server() throws Exception {
        JavaServer ec = javaServer(TlsSettings.builder().profile(TlsProfile.BCP195_RFC8996_MODIFIED)
                .certificate(serverEc).privateKey(serverEcKeyTraditional).trustedCertificates(ca).build());
        List<String> cert = List.of("-cert", clientRsa.toString(), "-key", clientRsaKeyEncrypted.toString(),
                "-pass", "pass:" + KEY_PASSWORD);
        sClient("b13-ccm8", ec.port(), concat(List.of("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-CCM8"), cert)).ok();
        assertEquals("OK TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 CN=STORESCU", ec.outcome());
        sClient("b13-tls13-ccm8", ec.port(), concat(List.of("-tls1_3", "-ciphersuites", "TLS_AES_128_CCM_8_SHA256"),
                cert)).ok();
        assertEquals("OK TLSv1.3 TLS_AES_128_CCM_8_SHA256 CN=STORESCU", ec.outcome());
        sClient("b13-tls13", ec.port(), cert).ok();
        assertEquals("OK TLSv1.3 TLS_AES_256_GCM_SHA384 CN=STORESCU", ec.outcome());

        JavaServer rsa = javaServer(TlsSettings.builder().profile(TlsProfile.BCP195_RFC8996_MODIFIED)
                .certificate(serverRsa).privateKey(serverRsaKey).trustedCertificates(ca).build());
        sClient("b13-dhe-ccm", rsa.port(), concat(List.of("-tls1_2", "-cipher", "DHE-RSA-AES256-CCM"), cert)).ok();
        assertEquals("OK TLSv1.2 TLS_DHE_RSA_WITH_AES_256_CCM CN=STORESCU", rsa.outcome());
        sClient("b13-chacha", rsa.port(), concat(List.of("-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305"),
                cert)).ok();
        assertEquals("OK TLSv1.2 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 CN=STORESCU", rsa.outcome());
    }

    // ------------------------------------------------------------------ our client -> openssl s_server

    @Test
    void b12ClientToOpensslServer() throws Exception {
        int port = sServer("s_server-b12", List.of("-cert", serverRsa.toString(), "-key", serverRsaKey.toString(),
                "-CAfile", ca.toString(), "-Verify", "2", "-verify_return_error"));
        TlsContextFactory client = TlsContextFactory.create(TlsSettings.builder().certificate(clientEc)
                .privateKey(clientEcKeyTraditionalEncrypted).privateKeyPassword(KEY_PASSWORD)
                .trustedCertificates(ca).build());
        String page = get(client, "localhost", port);
        assertTrue(page.startsWith("HTTP/1.0 200 ok"), page);
        assertTrue(page.contains("TLSv1.3"), page);
        assertTrue(page.contains("Client certificate"), "s_server saw our certificate: " + page);
        get(client, "127.0.0.1", port); // IP subjectAltName
        SSLException e = assertThrows(SSLException.class, () -> get(client, "wrong.example", port));
        assertTrue(String.valueOf(e.getMessage()).contains("does not match the host name")
                || String.valueOf(e.getCause()).contains("does not match the host name"), String.valueOf(e));
    }

    @Test
    void b13ClientToOpensslServer() throws Exception {
        int port = sServer("s_server-b13", List.of("-cert", serverEc.toString(), "-key", serverEcKeyTraditional
                .toString(), "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-CCM"));
        TlsContextFactory client = TlsContextFactory.create(TlsSettings.builder()
                .profile(TlsProfile.BCP195_RFC8996_MODIFIED).certificate(clientRsa).privateKey(clientRsaKeyEncrypted)
                .privateKeyPassword(KEY_PASSWORD).trustedCertificates(ca).build());
        String page = get(client, "localhost", port);
        assertTrue(page.contains("ECDHE-ECDSA-AES256-CCM"), page);
    }

    @Test
    void ourClientRefusesATls11Server() throws Exception {
        int port = sServer("s_server-tls1_1", List.of("-cert", serverRsa.toString(), "-key", serverRsaKey.toString(),
                "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"));
        for (TlsProfile profile : new TlsProfile[] {TlsProfile.BCP195_RFC8996, TlsProfile.BCP195_RFC8996_MODIFIED}) {
            TlsContextFactory client = TlsContextFactory.create(TlsSettings.builder().profile(profile)
                    .trustedCertificates(ca).build());
            // SunJSSE throws an SSLException, BCJSSE's sockets a TlsFatalAlertReceived (an IOException)
            IOException e = assertThrows(IOException.class, () -> get(client, "localhost", port), profile.name());
            assertTrue(e instanceof SSLException || e.getClass().getName().startsWith("org.bouncycastle.tls"),
                    String.valueOf(e));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** GET / over our client socket; s_server -www answers with a status page. */
    private static String get(TlsContextFactory client, String host, int port) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        plain.setSoTimeout(15000);
        try (SSLSocket s = client.wrapClientSocket(plain, host, port)) {
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private JavaServer javaServer(TlsSettings settings) throws IOException {
        JavaServer s = new JavaServer(TlsContextFactory.create(settings));
        javaServers.add(s);
        return s;
    }

    /** openssl s_client sending "hello", waiting for the server to close (-ign_eof). */
    private static Result sClient(String name, int port, List<String> extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("s_client", "-connect", "127.0.0.1:" + port, "-servername",
                "localhost", "-CAfile", ca.toString(), "-verify_return_error", "-brief", "-ign_eof"));
        args.addAll(extra);
        return run("s_client-" + name, args, "hello\n");
    }

    /** Starts openssl s_server -www on a free loopback port and waits until it accepts. */
    private int sServer(String name, List<String> extra) throws Exception {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of(openssl.toString(), "s_server", "-accept", "127.0.0.1:" + port,
                "-www"));
        args.addAll(extra);
        String base = String.format("%03d-%s", RUN.incrementAndGet(), name);
        Files.writeString(logs.resolve(base + ".cmd"), String.join(" ", args) + "\n");
        Path out = logs.resolve(base + ".out");
        Process p = new ProcessBuilder(args).redirectOutput(out.toFile())
                .redirectError(logs.resolve(base + ".err").toFile()).start();
        started.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (Files.exists(out) && Files.readString(out, StandardCharsets.ISO_8859_1).contains("ACCEPT")) {
                return port;
            }
            if (!p.isAlive()) {
                fail(name + " exited with " + p.exitValue() + "; see " + out);
            }
            Thread.sleep(50);
        }
        return fail(name + " did not start listening within 15 s; see " + out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Stops a peer by its PID (SIGTERM, then SIGKILL after 5 s). */
    private static void stop(Process p) throws InterruptedException {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroy);
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    private record Result(String command, int exit, String out, String err) {
        Result ok() {
            if (exit != 0) {
                fail("'" + command + "' exited with " + exit + ":\n" + err);
            }
            return this;
        }
    }

    private static Result run(String name, List<String> args, String stdin) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(openssl.toString());
        cmd.addAll(args);
        String base = String.format("%03d-%s", RUN.incrementAndGet(), name);
        Path out = logs.resolve(base + ".out");
        Path err = logs.resolve(base + ".err");
        Files.writeString(logs.resolve(base + ".cmd"), String.join(" ", cmd).replace(KEY_PASSWORD, "***") + "\n");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            try (OutputStream o = p.getOutputStream()) {
                o.write(stdin.getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            stop(p);
            fail(name + " did not finish within 60 s; see " + out);
        }
        return new Result(String.join(" ", cmd), p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    private static Path require(String program, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Paths.get(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return fail("'" + program + "' is not installed: apt-get install " + debianPackage);
    }

    /**
     * A tiny TLS echo server on a free loopback port: for each connection, the handshake, one line read, "echo:" +
     * the line written back, close. Each connection's outcome ("OK protocol suite client-CN" or "FAIL reason") is
     * queued for the test.
     */
    private static final class JavaServer implements AutoCloseable {
        private final ServerSocket socket;
        private final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
        private final Thread thread;

        JavaServer(TlsContextFactory tls) throws IOException {
            socket = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket plain = socket.accept();
                        plain.setSoTimeout(15000);
                        serve(tls, plain);
                    } catch (IOException e) {
                        if (!socket.isClosed()) {
                            outcomes.add("FAIL accept " + e);
                        }
                    }
                }
            }, "OpenSslTlsIT-server");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(TlsContextFactory tls, Socket plain) {
            try (SSLSocket s = tls.wrapServerSocket(plain)) {
                s.startHandshake();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    line.write(b);
                }
                OutputStream out = s.getOutputStream();
                out.write(("echo:" + line.toString(StandardCharsets.US_ASCII) + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String peer;
                try {
                    peer = ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0])
                            .getSubjectX500Principal().getName();
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    peer = "-";
                }
                outcomes.add("OK " + s.getSession().getProtocol() + " " + s.getSession().getCipherSuite() + " "
                        + peer);
            } catch (IOException | RuntimeException e) {
                outcomes.add("FAIL " + e);
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        /** The outcome of the next connection. */
        String outcome() throws InterruptedException {
            String o = outcomes.poll(20, TimeUnit.SECONDS);
            return o == null ? "NONE (no connection reached the server)" : o;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            socket.close();
            thread.join(5000);
        }
    }
}
