package org.cameldicomsecure.it.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real, private Orthanc (Debian package {@code orthanc}, binary {@code /usr/sbin/Orthanc}) for integration tests and
 * benchmarks: never the distribution's system service, never a mock.
 *
 * <p>{@link Builder#start()} writes a JSON configuration into a new temporary folder (storage and SQLite index in that
 * folder too), picks a free port for HTTP (and for DICOM, if enabled), starts the process with its log going to a file
 * under the logs folder, and returns once {@code GET /system} answers. {@link #close()} stops it by its PID (SIGTERM,
 * then SIGKILL after a timeout) and deletes the temporary folder; the log and a copy of the configuration stay in the
 * logs folder for post-mortems.
 *
 * <p>Security: {@code RemoteAccessAllowed} is false and {@code AuthenticationEnabled} false, so only loopback clients
 * are served and they need no password. Orthanc has no bind-address option (shared/PEERS.md): it listens on every
 * interface, but answers HTTP only to 127.0.0.1. DICOM is off unless asked for ({@link Builder#dicom}); DICOM TLS keys
 * are taken from files the test generates ({@link Builder#dicomTls}), nothing is kept in the repository.
 *
 * <p>REST calls use {@link java.net.http.HttpClient} (HTTP/1.1, keep-alive). A non-2xx answer throws
 * {@link OrthancHttpException} carrying the status and Orthanc's error body (with {@code HttpDescribeErrors} its JSON
 * names the Orthanc error and a message).
 *
 * <p>Facts about Orthanc 1.10.1 that matter here (shared/PEERS.md): {@code POST /instances/{id}/anonymize} returns
 * the anonymized file without storing it and invents new UIDs and a new PatientID on every call, while
 * {@code POST /studies/{id}/anonymize} stores a new study and keeps the hierarchy; a fresh Orthanc is several times
 * slower on its first pass (warm it up before timing).
 */
public final class OrthancPeer implements AutoCloseable {

    /** The server binary of the Debian package {@code orthanc}. */
    public static final Path BINARY = Paths.get("/usr/sbin/Orthanc");
    /** The DICOMweb plugin of the Debian package {@code orthanc-dicomweb} ({@code dpkg -L orthanc-dicomweb}). */
    public static final Path DICOMWEB_PLUGIN = Paths.get("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
    /** Where {@link Builder#dicomWeb()} mounts the DICOMweb API. */
    public static final String DICOMWEB_ROOT = "/dicom-web/";

    /**
     * A typical body for {@link #anonymize}: PS3.15-2021b Table E.1-1 (the newest profile Orthanc 1.10.1 knows;
     * {@code DicomVersion} accepts 2008, 2017c and 2021b), private tags removed, {@code Force} so that
     * {@code Replace}/{@code Keep} may name identifiers.
     */
    public static final String ANONYMIZE_2021B = "{\"DicomVersion\":\"2021b\",\"Force\":true,\"KeepPrivateTags\":false}";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Process process;
    private final Path workDir;
    private final Path logFile;
    private final Path configCopy;
    private final int httpPort;
    private final int dicomPort;
    private final String aet;
    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Duration stopTimeout;
    private final Thread shutdownHook;
    private volatile Map<String, Object> system;
    private boolean closed;

    private OrthancPeer(Process process, Path workDir, Path logFile, Path configCopy, int httpPort, int dicomPort,
            String aet, HttpClient http, Duration requestTimeout, Duration stopTimeout, String scheme) {
        this.process = process;
        this.workDir = workDir;
        this.logFile = logFile;
        this.configCopy = configCopy;
        this.httpPort = httpPort;
        this.dicomPort = dicomPort;
        this.aet = aet;
        this.base = URI.create(scheme + "://127.0.0.1:" + httpPort);
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.stopTimeout = stopTimeout;
        // a test that dies without close() must not leave an Orthanc behind
        this.shutdownHook = new Thread(() -> process.destroyForcibly(), "stop-orthanc-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ identity

    /** The HTTP port on 127.0.0.1. */
    public int httpPort() {
        return httpPort;
    }

    /** The DICOM port (plain or TLS), or -1 when DICOM is off. */
    public int dicomPort() {
        return dicomPort;
    }

    /** Orthanc's own AE title ({@code DicomAet}). */
    public String aet() {
        return aet;
    }

    /** {@code http://127.0.0.1:PORT}, or {@code https://127.0.0.1:PORT} when built with {@link Builder#https}. */
    public URI baseUri() {
        return base;
    }

    /** The DICOMweb root, {@code http://127.0.0.1:PORT/dicom-web/} (answers only if built with {@link Builder#dicomWeb()}). */
    public URI dicomWebUri() {
        return base.resolve(DICOMWEB_ROOT);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Orthanc's log (stdout and stderr); kept after {@link #close()}. */
    public Path logFile() {
        return logFile;
    }

    /** The copy of the configuration Orthanc was started with; kept after {@link #close()}. */
    public Path configFile() {
        return configCopy;
    }

    /** The temporary folder (configuration, storage, index); deleted by {@link #close()}. */
    public Path workDir() {
        return workDir;
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    // ------------------------------------------------------------------ REST

    /** {@code GET /system}: Name, Version, ApiVersion, DicomAet, DicomPort, HttpPort, PluginsEnabled, ... */
    public Map<String, Object> system() throws IOException {
        Map<String, Object> s = getJsonObject("/system");
        system = s;
        return s;
    }

    /** Orthanc's version from {@code /system} ("1.10.1"). */
    public String version() throws IOException {
        Map<String, Object> s = system;
        return String.valueOf((s != null ? s : system()).get("Version"));
    }

    /**
     * {@code POST /instances}: stores one PS3.10 file, returns its Orthanc instance id. Storing the same SOP Instance
     * twice answers the existing id (status "AlreadyStored").
     */
    public String upload(byte[] part10) throws IOException {
        return (String) uploadDetailed(part10).get("ID");
    }

    /**
     * {@code POST /instances} with Orthanc's whole answer: {@code ID}, {@code ParentPatient}, {@code ParentStudy},
     * {@code ParentSeries}, {@code Path}, {@code Status} ("Success" or "AlreadyStored").
     */
    public Map<String, Object> uploadDetailed(byte[] part10) throws IOException {
        Response r = send("POST", "/instances", part10, "application/dicom", "application/json");
        Map<String, Object> m = r.json();
        if (!(m.get("ID") instanceof String)) {
            throw new IOException("POST /instances answered no instance ID: " + r.text());
        }
        return m;
    }

    /**
     * {@code POST /instances/{id}/anonymize}: the anonymized PS3.10 file (Orthanc does not store it).
     *
     * @param jsonBody Orthanc's options, e.g. {@link #ANONYMIZE_2021B}; Orthanc 1.10.1 knows {@code DicomVersion},
     *        {@code Force}, {@code Keep}, {@code KeepPrivateTags}, {@code KeepSource}, {@code PrivateCreator},
     *        {@code Remove}, {@code Replace}
     */
    public byte[] anonymize(String instanceId, String jsonBody) throws IOException {
        return send("POST", "/instances/" + id(instanceId) + "/anonymize", utf8(jsonBody), "application/json",
                "application/dicom").body();
    }

    /**
     * {@code POST /studies/{id}/anonymize}, synchronous: Orthanc stores a new, anonymized study (one new
     * StudyInstanceUID for all its instances, series kept together) and this returns the new study's Orthanc id. The
     * body takes the options of {@link #anonymize} plus {@code Permissive}, {@code Priority}; do not ask for
     * {@code Asynchronous} (the answer would be a job).
     */
    public String anonymizeStudy(String studyId, String jsonBody) throws IOException {
        Response r = send("POST", "/studies/" + id(studyId) + "/anonymize", utf8(jsonBody), "application/json",
                "application/json");
        Object id = r.json().get("ID");
        if (!(id instanceof String s)) {
            throw new IOException("POST /studies/" + studyId + "/anonymize answered no ID: " + r.text());
        }
        return s;
    }

    /** {@code GET /instances/{id}/file}: the stored PS3.10 file. */
    public byte[] download(String instanceId) throws IOException {
        return send("GET", "/instances/" + id(instanceId) + "/file", null, null, "application/dicom").body();
    }

    /** {@code DELETE /instances/{id}}. */
    public void delete(String instanceId) throws IOException {
        send("DELETE", "/instances/" + id(instanceId), null, null, "application/json");
    }

    /** {@code DELETE /studies/{id}}. */
    public void deleteStudy(String studyId) throws IOException {
        send("DELETE", "/studies/" + id(studyId), null, null, "application/json");
    }

    /** The Orthanc id of the study that holds {@code instanceId} ({@code GET /instances/{id}/study}). */
    public String studyOf(String instanceId) throws IOException {
        return (String) getJsonObject("/instances/" + id(instanceId) + "/study").get("ID");
    }

    /** The Orthanc ids of the instances of a study ({@code GET /studies/{id}/instances}). */
    public List<String> studyInstances(String studyId) throws IOException {
        List<String> ids = new ArrayList<>();
        for (Object o : Json.parseArray(send("GET", "/studies/" + id(studyId) + "/instances", null, null,
                "application/json").text())) {
            ids.add((String) ((Map<?, ?>) o).get("ID"));
        }
        return ids;
    }

    /** The Orthanc ids of every stored instance ({@code GET /instances}). */
    public List<String> instances() throws IOException {
        List<String> ids = new ArrayList<>();
        for (Object o : Json.parseArray(send("GET", "/instances", null, null, "application/json").text())) {
            ids.add((String) o);
        }
        return ids;
    }

    /** {@code GET path} parsed as a JSON object. */
    public Map<String, Object> getJsonObject(String path) throws IOException {
        return send("GET", path, null, null, "application/json").json();
    }

    /**
     * Any request (for DICOMweb: {@code send("POST", "/dicom-web/studies", multipart, "multipart/related; ...",
     * "application/dicom+json")}).
     *
     * @param body null for no body
     * @param contentType null for none
     * @param accept null for none
     * @throws OrthancHttpException if the status is not 2xx
     */
    public Response send(String method, String path, byte[] body, String contentType, String accept)
            throws IOException {
        URI uri = base.resolve(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + " " + uri + " interrupted", e);
        } catch (IOException e) {
            throw new IOException(method + " " + uri + " failed: " + e + (process.isAlive() ? ""
                    : " (Orthanc pid " + pid() + " has exited with " + process.exitValue() + "; log " + logFile
                            + ":\n" + logTail(30) + ")"), e);
        }
        if (r.statusCode() / 100 != 2) {
            throw new OrthancHttpException(method, uri, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8),
                    logFile);
        }
        return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    private static String id(String orthancId) {
        Objects.requireNonNull(orthancId, "Orthanc id");
        if (!orthancId.matches("[0-9a-fA-F-]+")) {
            throw new IllegalArgumentException("not an Orthanc id: " + orthancId);
        }
        return orthancId;
    }

    private static byte[] utf8(String s) {
        return (s == null ? "{}" : s).getBytes(StandardCharsets.UTF_8);
    }

    /** A 2xx answer. */
    public record Response(int status, String contentType, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public Map<String, Object> json() {
            return Json.parseObject(text());
        }
    }

    /** A non-2xx answer of Orthanc: the status and Orthanc's error body (JSON with HttpDescribeErrors). */
    public static final class OrthancHttpException extends IOException {
        private static final long serialVersionUID = 1L;

        private final int status;
        private final String body;

        OrthancHttpException(String method, URI uri, int status, String body, Path log) {
            super(method + " " + uri + " -> HTTP " + status + ": " + (body.isBlank() ? "(empty body)"
                    : Json.abbreviate(body.strip())) + " (Orthanc log: " + log + ")");
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        /** Orthanc's error body as received (JSON: HttpError, HttpStatus, Message, OrthancError, ...). */
        public String body() {
            return body;
        }
    }

    // ------------------------------------------------------------------ stop

    /**
     * Stops Orthanc by its PID: SIGTERM (Orthanc shuts down cleanly), SIGKILL if it is still running after the stop
     * timeout; then deletes the temporary folder. The log stays. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            process.destroy();
            if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                appendLog("[OrthancPeer] pid " + pid() + " still running " + stopTimeout.toMillis()
                        + " ms after SIGTERM: SIGKILL");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            deleteTree(workDir);
        }
    }

    private void appendLog(String line) {
        try {
            Files.writeString(logFile, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return "Orthanc pid " + pid() + " on http " + httpPort + (dicomPort > 0 ? ", dicom " + dicomPort : "")
                + " (log " + logFile + ")";
    }

    // ------------------------------------------------------------------ helpers

    static int freePort() throws IOException {
        // Orthanc binds every interface: check the port on the wildcard address
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    // ------------------------------------------------------------------ builder

    /** Options of a private Orthanc; {@link #start()} starts one. */
    public static final class Builder {
        private Path logDir;
        private Path workParent;
        private String name;
        private boolean dicom;
        private String aet = "ORTHANC";
        private final List<Path> plugins = new ArrayList<>();
        private boolean dicomWeb;
        private Path tlsCertificate;
        private Path tlsPrivateKey;
        private Path tlsTrusted;
        private boolean tlsRemoteCertificateRequired = true;
        private Integer maximumPduLength;
        private final Map<String, Object> extra = new LinkedHashMap<>();
        private boolean verbose;
        private Duration startTimeout = Duration.ofSeconds(30);
        private Duration stopTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(120);
        private Path sslCertificate;
        private javax.net.ssl.SSLContext clientSslContext;
        private final Map<String, Object> dicomWebServers = new LinkedHashMap<>();
        private final Map<String, Object> dicomWebOptions = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Logs under {@code ${it.logs.dir}/<test class simple name>/} (default {@code target/it-logs}), next to
         * {@link org.cameldicomsecure.it.Peers}' logs of the same test.
         */
        public Builder forTest(Class<?> testClass) {
            this.logDir = Paths.get(System.getProperty("it.logs.dir", "target/it-logs"))
                    .resolve(testClass.getSimpleName());
            this.name = testClass.getSimpleName();
            return this;
        }

        /** Folder for the log and the configuration copy (default {@code ${it.logs.dir}/orthanc}). */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /**
         * Parent of the temporary folder that holds configuration, storage and index (default {@code ${it.work.dir}}
         * if set, else {@code java.io.tmpdir}); e.g. {@code /dev/shm} for timing on tmpfs.
         */
        public Builder workParent(Path dir) {
            this.workParent = dir;
            return this;
        }

        /** Enables Orthanc's DICOM server on a free port (off by default). */
        public Builder dicom(boolean enabled) {
            this.dicom = enabled;
            return this;
        }

        /** Orthanc's AE title (default ORTHANC). */
        public Builder aet(String aet) {
            this.aet = aet;
            return this;
        }

        /** Loads a plugin (a shared library, or a folder of them). */
        public Builder plugin(Path sharedLibrary) {
            plugins.add(sharedLibrary);
            return this;
        }

        /** Loads the DICOMweb plugin ({@link #DICOMWEB_PLUGIN}) with QIDO/WADO/STOW-RS under {@link #DICOMWEB_ROOT}. */
        public Builder dicomWeb() {
            this.dicomWeb = true;
            return this;
        }

        /**
         * DICOM TLS (implies {@link #dicom(boolean) dicom(true)}): Orthanc's certificate and private key (PEM files)
         * and the PEM bundle of trusted peer certificates; {@code remoteCertificateRequired} refuses clients without a
         * certificate. Orthanc's TLS behaves like the BCP195 profile (shared/PEERS.md).
         */
        public Builder dicomTls(Path certificatePem, Path privateKeyPem, Path trustedCertificatesPem,
                boolean remoteCertificateRequired) {
            this.dicom = true;
            this.tlsCertificate = certificatePem;
            this.tlsPrivateKey = privateKeyPem;
            this.tlsTrusted = trustedCertificatesPem;
            this.tlsRemoteCertificateRequired = remoteCertificateRequired;
            return this;
        }

        /** {@code MaximumPduLength} (Orthanc's default 16384). */
        public Builder maximumPduLength(int bytes) {
            this.maximumPduLength = bytes;
            return this;
        }

        /** Any other configuration key (wins over the builder's own), e.g. {@code config("ConcurrentJobs", 2)}. */
        public Builder config(String key, Object value) {
            extra.put(key, value);
            return this;
        }

        /**
         * HTTPS instead of HTTP on the HTTP port (Orthanc's {@code SslEnabled}, {@code SslCertificate}: one PEM file
         * holding the certificate and its unencrypted private key; {@code SslMinimumProtocolVersion} stays Orthanc's
         * default 4, TLS 1.2). The REST calls of this peer (and the start-up probe) then use {@code clientContext},
         * which must trust Orthanc's certificate; the certificate must name 127.0.0.1 (the JDK client checks it).
         *
         * <p>Caution: Orthanc 1.10.1 of Debian 12 starts with this configuration but dies with SIGSEGV on the first
         * HTTPS connection (seen with PKCS#8 and PKCS#1 RSA keys, with and without plugins), so no test uses it yet.
         */
        public Builder https(Path certificateAndKeyPem, javax.net.ssl.SSLContext clientContext) {
            this.sslCertificate = Objects.requireNonNull(certificateAndKeyPem, "certificateAndKeyPem");
            this.clientSslContext = Objects.requireNonNull(clientContext, "clientContext");
            return this;
        }

        /**
         * A remote DICOMweb server for Orthanc's DICOMweb client ({@code DicomWeb.Servers.<name>}, implies
         * {@link #dicomWeb()}), in the plugin's object form: {@code Url}, and optionally {@code HttpHeaders} (a map,
         * e.g. {@code Authorization: Bearer ...}), {@code ChunkedTransfers}, {@code HasDelete},
         * {@code HasWadoRsUniversalTransferSyntax}, {@code Timeout}, {@code CertificateFile},
         * {@code CertificateKeyFile}. For HTTPS servers, Orthanc's global {@code HttpsVerifyPeers} and
         * {@code HttpsCACertificates} apply (set them with {@link #config}).
         */
        public Builder dicomWebServer(String name, Map<String, Object> definition) {
            this.dicomWeb = true;
            dicomWebServers.put(Objects.requireNonNull(name, "name"), new LinkedHashMap<>(definition));
            return this;
        }

        /** Another key of the {@code DicomWeb} section (implies {@link #dicomWeb()}), e.g. {@code QidoCaseSensitive}. */
        public Builder dicomWebOption(String key, Object value) {
            this.dicomWeb = true;
            dicomWebOptions.put(key, value);
            return this;
        }

        /** Starts Orthanc with {@code --verbose}. */
        public Builder verbose(boolean verbose) {
            this.verbose = verbose;
            return this;
        }

        public Builder startTimeout(Duration d) {
            this.startTimeout = d;
            return this;
        }

        /** How long {@link OrthancPeer#close()} waits after SIGTERM before SIGKILL (default 10 s). */
        public Builder stopTimeout(Duration d) {
            this.stopTimeout = d;
            return this;
        }

        /** Timeout of every REST request (default 120 s). */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        /**
         * Starts Orthanc and waits until {@code GET /system} answers. If the process exits during start-up because a
         * port was taken meanwhile, it is started again on new ports (3 attempts).
         *
         * @throws AssertionError if Orthanc or a requested plugin is not installed (the Debian package is named)
         * @throws IOException if it does not start; the message quotes its log
         */
        public OrthancPeer start() throws IOException {
            if (!Files.isExecutable(BINARY)) {
                throw new AssertionError(BINARY + " is not installed. The integration tests run against the real "
                        + "Orthanc: apt-get install -y orthanc orthanc-dicomweb (as CI does).");
            }
            List<Path> libs = new ArrayList<>(plugins);
            if (dicomWeb && !libs.contains(DICOMWEB_PLUGIN)) {
                libs.add(DICOMWEB_PLUGIN);
            }
            for (Path p : libs) {
                if (!Files.exists(p)) {
                    throw new AssertionError("Orthanc plugin " + p + " is not installed"
                            + (p.equals(DICOMWEB_PLUGIN) ? ": apt-get install -y orthanc-dicomweb" : ""));
                }
            }
            for (Path p : new Path[] {tlsCertificate, tlsPrivateKey, tlsTrusted, sslCertificate}) {
                if (p != null && !Files.isReadable(p)) {
                    throw new IOException("DICOM TLS file " + p + " is not readable");
                }
            }
            Path logs = logDir != null ? logDir
                    : Paths.get(System.getProperty("it.logs.dir", "target/it-logs")).resolve("orthanc");
            Files.createDirectories(logs);
            Path parent = workParent != null ? workParent
                    : Paths.get(System.getProperty("it.work.dir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(parent);

            IOException last = null;
            for (int attempt = 1; attempt <= 3; attempt++) {
                try {
                    return startOnce(libs, logs, parent);
                } catch (PortTakenException e) {
                    last = e;
                }
            }
            throw last;
        }

        private OrthancPeer startOnce(List<Path> libs, Path logs, Path parent) throws IOException {
            int httpPort = freePort();
            int dicomPort = dicom ? freePortOtherThan(httpPort) : -1;
            String label = String.format("orthanc-%03d-%d", SEQUENCE.incrementAndGet(), httpPort);
            Path work = Files.createTempDirectory(parent, "orthanc-");
            Path storage = Files.createDirectories(work.resolve("storage"));
            Path index = Files.createDirectories(work.resolve("index"));

            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Name", name != null ? "cds-" + name : "cds-it");
            c.put("StorageDirectory", storage.toString());
            c.put("IndexDirectory", index.toString());
            c.put("StorageCompression", false);
            c.put("HttpServerEnabled", true);
            c.put("HttpPort", httpPort);
            c.put("RemoteAccessAllowed", false);
            c.put("AuthenticationEnabled", false);
            c.put("RegisteredUsers", Map.of());
            c.put("SslEnabled", sslCertificate != null);
            if (sslCertificate != null) {
                c.put("SslCertificate", sslCertificate.toAbsolutePath().toString());
            }
            c.put("HttpDescribeErrors", true);
            c.put("KeepAlive", true);
            c.put("TcpNoDelay", true);
            c.put("HttpThreadsCount", 8);
            c.put("DicomServerEnabled", dicom);
            c.put("DicomAet", aet);
            c.put("DicomPort", dicom ? dicomPort : 4242);
            c.put("DicomThreadsCount", 2);
            c.put("DicomModalities", Map.of());
            c.put("OrthancPeers", Map.of());
            // jobs (study anonymization) one at a time: the machine is shared; and nothing survives a restart
            c.put("ConcurrentJobs", 1);
            c.put("SaveJobs", false);
            c.put("ExecuteLuaEnabled", false);
            c.put("RestApiWriteToFileSystemEnabled", false);
            List<String> pluginPaths = new ArrayList<>();
            for (Path p : libs) {
                pluginPaths.add(p.toString());
            }
            c.put("Plugins", pluginPaths);
            if (dicomWeb) {
                Map<String, Object> web = new LinkedHashMap<>();
                web.put("Enable", true);
                web.put("Root", DICOMWEB_ROOT);
                web.put("EnableWado", true);
                web.put("WadoRoot", "/wado");
                web.put("Ssl", sslCertificate != null);
                if (!dicomWebServers.isEmpty()) {
                    web.put("Servers", dicomWebServers);
                }
                web.putAll(dicomWebOptions);
                c.put("DicomWeb", web);
            }
            if (tlsCertificate != null) {
                c.put("DicomTlsEnabled", true);
                c.put("DicomTlsCertificate", tlsCertificate.toAbsolutePath().toString());
                c.put("DicomTlsPrivateKey", tlsPrivateKey.toAbsolutePath().toString());
                c.put("DicomTlsTrustedCertificates", tlsTrusted.toAbsolutePath().toString());
                c.put("DicomTlsRemoteCertificateRequired", tlsRemoteCertificateRequired);
            }
            if (maximumPduLength != null) {
                c.put("MaximumPduLength", maximumPduLength);
            }
            c.putAll(extra);
            if (c.get("HttpPort") instanceof Number n && n.intValue() != httpPort) {
                throw new IllegalArgumentException("set the HTTP port through the builder's free port, not config()");
            }

            String json = Json.write(c);
            Path config = work.resolve("orthanc.json");
            Files.writeString(config, json);
            Path configCopy = logs.resolve(label + ".json");
            Files.writeString(configCopy, json);
            Path log = logs.resolve(label + ".log");

            List<String> cmd = new ArrayList<>(List.of(BINARY.toString()));
            if (verbose) {
                cmd.add("--verbose");
            }
            cmd.add("--no-jobs");
            cmd.add(config.toString());
            Files.writeString(logs.resolve(label + ".cmd"), "cd " + work + "\n" + String.join(" ", cmd) + "\n");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // Orthanc's DCMTK leaves Nagle on otherwise (shared/PEERS.md)
            pb.environment().put("TCP_NODELAY", "1");
            pb.environment().remove("DCMDICTPATH");
            Process p = pb.start();

            HttpClient.Builder hb = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER);
            if (clientSslContext != null) {
                hb.sslContext(clientSslContext);
            }
            HttpClient client = hb.build();
            String scheme = sslCertificate != null ? "https" : "http";
            OrthancPeer peer = new OrthancPeer(p, work, log, configCopy, httpPort, dicomPort, aet, client,
                    requestTimeout, stopTimeout, scheme);
            try {
                awaitReady(peer, client, httpPort, log);
                return peer;
            } catch (IOException | RuntimeException | Error e) {
                peer.close();
                throw e;
            }
        }

        private void awaitReady(OrthancPeer peer, HttpClient client, int httpPort, Path log) throws IOException {
            long deadline = System.nanoTime() + startTimeout.toNanos();
            HttpRequest ping = HttpRequest.newBuilder(peer.base.resolve("/system"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            Exception lastError = null;
            while (System.nanoTime() < deadline) {
                if (!peer.process.isAlive()) {
                    String tail = tail(log, 40);
                    String low = tail.toLowerCase(Locale.ROOT);
                    String msg = "Orthanc exited with " + peer.process.exitValue() + " during start-up; log " + log
                            + ":\n" + tail;
                    if (low.contains("port") && (low.contains("bind") || low.contains("in use")
                            || low.contains("cannot listen") || low.contains("already"))) {
                        throw new PortTakenException(msg);
                    }
                    throw new IOException(msg);
                }
                try {
                    HttpResponse<String> r = client.send(ping, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        peer.system = Json.parseObject(r.body());
                        return;
                    }
                    lastError = new IOException("GET /system -> HTTP " + r.statusCode() + ": " + r.body());
                } catch (ConnectException e) {
                    lastError = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for Orthanc", e);
                } catch (IOException e) {
                    lastError = e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for Orthanc", e);
                }
            }
            throw new IOException("Orthanc (pid " + peer.pid() + ") did not answer GET /system within "
                    + startTimeout.toMillis() + " ms (last: " + lastError + "); log " + log + ":\n" + tail(log, 40));
        }

        private static int freePortOtherThan(int port) throws IOException {
            int p;
            do {
                p = freePort();
            } while (p == port);
            return p;
        }
    }

    private static final class PortTakenException extends IOException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super(message);
        }
    }
}
