package org.cameldicomsecure.it.peers;

import static org.cameldicomsecure.it.Peers.cmd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.cameldicomsecure.it.Peers;

/**
 * A real RFC 3161 time-stamping authority for integration tests: OpenSSL 3's {@code openssl ts -reply} behind a tiny
 * HTTP front (RFC 3161 §3.4) on 127.0.0.1, a free port. Each POST of {@code application/timestamp-query} is written to
 * {@code requests/NNN.tsq} in the TSA's folder, answered by {@code openssl ts -reply -config tsa.cnf -queryfile
 * NNN.tsq -signer tsa.pem -inkey tsa.key -out NNN.tsr} (run through {@link Peers}, so every run's command line and
 * output stay in the test's log folder), and the reply goes back as {@code application/timestamp-reply}. Requests are
 * answered one at a time (OpenSSL updates its serial number file). A run of OpenSSL that fails gives HTTP 500; a request
 * OpenSSL does not like gives what OpenSSL makes of it, normally a {@code rejection} TimeStampResp.
 *
 * <p>{@link #start} makes everything in a new folder under {@code it.work.dir} with OpenSSL itself, nothing is kept in
 * the repository: a root CA ({@code ca.pem}, RSA 2048, basic constraints CA and keyCertSign, critical), and the TSA
 * certificate issued by it ({@code tsa.pem}/{@code tsa.key}, RSA 2048, key usage digitalSignature and nonRepudiation
 * and the extended key usage timeStamping, both critical, as RFC 3161 §2.3 and {@code openssl ts} require), valid two
 * days; {@code tsa.cnf} with two TSA sections:
 * <ul>
 * <li>{@value #DEFAULT_SECTION} (the default): signing-certificate attribute ESSCertIDv2 with SHA-256
 *     ({@code ess_cert_id_alg = sha256}), only the TSA certificate in the token (when the request asks for it);</li>
 * <li>{@value #SHA1_SECTION}: ESSCertID with SHA-1 (OpenSSL's default) and the CA certificate in the token too.</li>
 * </ul>
 * Both accept SHA-256, SHA-384 and SHA-512 imprints only, the policies {@link #defaultPolicyOid()} (the default) and
 * {@link #otherPolicyOid()} (UUID-derived OIDs under 2.25, ITU-T X.667, new for every start), accuracy 1 s, and put the
 * TSA name in the token.
 *
 * <p>The folder is left in place for post-mortems (it holds no real secret: the keys are made for this run).
 */
public final class OpenSslTsa implements AutoCloseable {

    public static final String DEFAULT_SECTION = "tsa_sha256";
    public static final String SHA1_SECTION = "tsa_sha1";

    private static final String QUERY_TYPE = "application/timestamp-query";
    private static final String REPLY_TYPE = "application/timestamp-reply";

    private final Peers peers;
    private final Path openssl;
    private final Path dir;
    private final Path caPem;
    private final Path tsaPem;
    private final Path tsaKey;
    private final Path config;
    private final String defaultPolicy;
    private final String otherPolicy;
    private final X509Certificate caCert;
    private final X509Certificate tsaCert;
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;
    private ExecutorService executor;

    private OpenSslTsa(Peers peers, Path openssl, Path dir) throws IOException, InterruptedException {
        this.peers = peers;
        this.openssl = openssl;
        this.dir = dir;
        this.caPem = dir.resolve("ca.pem");
        this.tsaPem = dir.resolve("tsa.pem");
        this.tsaKey = dir.resolve("tsa.key");
        this.config = dir.resolve("tsa.cnf");
        this.defaultPolicy = uuidOid();
        this.otherPolicy = uuidOid();
        makePki();
        writeConfig();
        this.caCert = readCertificate(caPem);
        this.tsaCert = readCertificate(tsaPem);
    }

    /** Makes the PKI and configuration in a new folder under {@code it.work.dir} and starts the HTTP front. */
    public static OpenSslTsa start(Peers peers) throws IOException, InterruptedException {
        Path work = Paths.get(System.getProperty("it.work.dir", "target/it-work"));
        Files.createDirectories(work);
        return start(peers, Files.createTempDirectory(work, "openssl-tsa-"));
    }

    /** Makes the PKI and configuration in {@code dir} (which must exist) and starts the HTTP front. */
    public static OpenSslTsa start(Peers peers, Path dir) throws IOException, InterruptedException {
        Path openssl = Peers.require("openssl", "openssl");
        OpenSslTsa tsa = new OpenSslTsa(peers, openssl, dir.toAbsolutePath());
        tsa.listen();
        return tsa;
    }

    /** {@code http://127.0.0.1:PORT/tsa}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tsa");
    }

    /** The folder with the keys, certificates, configuration, requests and replies. */
    public Path dir() {
        return dir;
    }

    /** The root CA certificate (PEM): the trust anchor for tokens of this TSA. */
    public Path caCertificatePem() {
        return caPem;
    }

    public X509Certificate caCertificate() {
        return caCert;
    }

    /** The TSA's signing certificate (PEM). */
    public Path tsaCertificatePem() {
        return tsaPem;
    }

    public X509Certificate tsaCertificate() {
        return tsaCert;
    }

    /** The TSA's private key (unencrypted PEM), for {@code openssl ts -reply} run by hand. */
    public Path tsaKeyPem() {
        return tsaKey;
    }

    /** The {@code openssl ts} configuration ({@link #DEFAULT_SECTION}, {@link #SHA1_SECTION}). */
    public Path config() {
        return config;
    }

    /** The policy of tokens whose request names none. */
    public String defaultPolicyOid() {
        return defaultPolicy;
    }

    /** The other policy this TSA accepts when a request asks for it. */
    public String otherPolicyOid() {
        return otherPolicy;
    }

    /** How many requests the HTTP front has received. */
    public int requestCount() {
        return requests.get();
    }

    /**
     * Runs {@code openssl ts -reply -config tsa.cnf -section SECTION -queryfile QUERY -signer tsa.pem -inkey tsa.key
     * -out OUT} plus {@code extra} (for example {@code -token_out}), as the HTTP front does with the default section.
     */
    public Peers.Result reply(String section, Path query, Path out, List<String> extra)
            throws IOException, InterruptedException {
        synchronized (this) {
            return peers.run("ts-reply", dir, cmd(openssl, "ts", "-reply", "-config", config, "-section", section,
                    "-queryfile", query, "-signer", tsaPem, "-inkey", tsaKey, "-out", out, extra));
        }
    }

    private void makePki() throws IOException, InterruptedException {
        Path reqCnf = dir.resolve("req.cnf");
        Files.writeString(reqCnf, String.join("\n",
                "[ req ]",
                "distinguished_name = dn",
                "prompt = no",
                "[ dn ]",
                "CN = camel-dicom-secure OpenSslTsa",
                "[ v3_ca ]",
                "basicConstraints = critical, CA:TRUE",
                "keyUsage = critical, keyCertSign, cRLSign",
                "subjectKeyIdentifier = hash",
                "[ v3_tsa ]",
                "basicConstraints = critical, CA:FALSE",
                "keyUsage = critical, digitalSignature, nonRepudiation",
                "extendedKeyUsage = critical, timeStamping",
                "subjectKeyIdentifier = hash",
                "authorityKeyIdentifier = keyid",
                ""), StandardCharsets.US_ASCII);
        Path caKey = dir.resolve("ca.key");
        Path csr = dir.resolve("tsa.csr");
        SecureRandom random = new SecureRandom();
        // serial numbers below 2^63 (shared/PEERS.md: DCMTK prints larger ones as -1)
        String caSerial = String.valueOf(1 + random.nextInt(Integer.MAX_VALUE));
        String tsaSerial = String.valueOf(1 + random.nextInt(Integer.MAX_VALUE));
        peers.run("ca", dir, cmd(openssl, "req", "-x509", "-config", reqCnf, "-extensions", "v3_ca", "-newkey",
                "rsa:2048", "-nodes", "-keyout", caKey, "-out", caPem, "-subj",
                "/O=camel-dicom-secure IT/CN=OpenSslTsa Root CA", "-days", "2", "-set_serial", caSerial))
                .assertSuccess();
        peers.run("tsa-csr", dir, cmd(openssl, "req", "-new", "-config", reqCnf, "-newkey", "rsa:2048", "-nodes",
                "-keyout", tsaKey, "-out", csr, "-subj", "/O=camel-dicom-secure IT/CN=OpenSslTsa TSA"))
                .assertSuccess();
        peers.run("tsa-cert", dir, cmd(openssl, "x509", "-req", "-in", csr, "-CA", caPem, "-CAkey", caKey,
                "-set_serial", tsaSerial, "-days", "2", "-extfile", reqCnf, "-extensions", "v3_tsa", "-out", tsaPem))
                .assertSuccess();
    }

    private void writeConfig() throws IOException {
        Files.writeString(dir.resolve("tsaserial"), "01\n", StandardCharsets.US_ASCII);
        Files.createDirectories(dir.resolve("requests"));
        String common = String.join("\n",
                "serial = " + dir.resolve("tsaserial"),
                "signer_cert = " + tsaPem,
                "signer_key = " + tsaKey,
                "signer_digest = sha256",
                "default_policy = " + defaultPolicy,
                "other_policies = " + otherPolicy,
                "digests = sha256, sha384, sha512",
                "accuracy = secs:1",
                "clock_precision_digits = 0",
                "ordering = no",
                "tsa_name = yes",
                "ess_cert_id_chain = no",
                "");
        Files.writeString(config, String.join("\n",
                "[ tsa ]",
                "default_tsa = " + DEFAULT_SECTION,
                "",
                "[ " + DEFAULT_SECTION + " ]",
                common + "ess_cert_id_alg = sha256",
                "",
                "[ " + SHA1_SECTION + " ]",
                common + "ess_cert_id_alg = sha1",
                "certs = " + caPem,
                ""), StandardCharsets.US_ASCII);
    }

    private void listen() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // one request at a time: OpenSSL rewrites its serial number file on every reply
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "OpenSslTsa-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/tsa", this::handle);
        server.start();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!"POST".equals(x.getRequestMethod())) {
                x.getResponseHeaders().add("Allow", "POST");
                send(x, 405, "text/plain", "POST only\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            String type = String.valueOf(x.getRequestHeaders().getFirst("Content-Type"));
            if (!type.toLowerCase(Locale.ROOT).startsWith(QUERY_TYPE)) {
                send(x, 415, "text/plain", ("expected " + QUERY_TYPE + "\n").getBytes(StandardCharsets.US_ASCII));
                return;
            }
            int n = requests.incrementAndGet();
            Path query = dir.resolve("requests").resolve(String.format("%03d.tsq", n));
            Path reply = dir.resolve("requests").resolve(String.format("%03d.tsr", n));
            try (InputStream in = x.getRequestBody()) {
                Files.write(query, in.readAllBytes());
            }
            Peers.Result r;
            try {
                r = reply(DEFAULT_SECTION, query, reply, List.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                send(x, 503, "text/plain", "stopping\n".getBytes(StandardCharsets.US_ASCII));
                return;
            } catch (AssertionError e) {
                // Peers.run fails the test on a hang; here it becomes a server error the client must handle
                send(x, 500, "text/plain", "openssl ts -reply did not finish\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (r.exitCode() != 0 || !Files.isRegularFile(reply)) {
                send(x, 500, "text/plain", ("openssl ts -reply exited with " + r.exitCode() + "; see "
                        + r.stderrLog() + "\n").getBytes(StandardCharsets.US_ASCII));
                return;
            }
            send(x, 200, REPLY_TYPE, Files.readAllBytes(reply));
        }
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops the HTTP front (the folder stays). */
    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "OpenSslTsa[" + (server == null ? "not started" : url()) + ", " + dir + "]";
    }

    private static X509Certificate readCertificate(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException("cannot read the certificate OpenSSL wrote to " + pem, e);
        }
    }

    /** A UUID-derived OID (ITU-T X.667: 2.25 followed by the UUID as one decimal integer). */
    private static String uuidOid() {
        UUID u = UUID.randomUUID();
        byte[] b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                .array();
        return "2.25." + new BigInteger(1, b);
    }
}
