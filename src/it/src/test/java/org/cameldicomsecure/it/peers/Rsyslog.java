package org.cameldicomsecure.it.peers;

import static org.cameldicomsecure.it.Peers.cmd;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.cameldicomsecure.it.Peers;

/**
 * A real rsyslog 8 receiver for the audit ITs (shared/PEERS.md): {@code rsyslogd -n -f rsyslog.conf -i rsyslog.pid}
 * with its own configuration, work directory and pid file in a folder of its own, on 127.0.0.1 and a free port, no
 * {@code imuxsock}/{@code imklog} (it never touches the system's log sockets), and never as a system service.
 *
 * <ul>
 * <li>{@link #startTls}: {@code imtcp} with the GnuTLS driver ({@code StreamDriver.Name="gtls"}, mode 1: TLS only),
 *     the given CA, server certificate and key, and the given {@code AuthMode} ({@code x509/name} with
 *     {@code PermittedPeer}s, or {@code x509/certvalid}): a client without a certificate from that CA (or, for
 *     x509/name, with another name) is dropped. RFC 5425 octet-counted framing is on by default in imtcp.</li>
 * <li>{@link #startUdp}: {@code imudp} (RFC 5426) with an 8 MiB socket receive buffer.</li>
 * </ul>
 *
 * <p>Messages of the inputs go to a ruleset of their own with two {@code omfile} actions: {@link #rawFile()} gets
 * every message exactly as received ({@code %rawmsg%}: PRI, header, STRUCTURED-DATA, BOM, MSG), each followed by a
 * separator line that is random per instance, with {@code maxMessageSize} and imtcp's {@code maxFrameSize} 4 MiB
 * (imtcp's default frame limit, 200000, would split larger octet-counted messages), and neither control-character
 * escaping nor the dropping of a trailing LF (both on by default); {@link #headerFile()} gets what rsyslog's RFC 5424
 * parser made of each message, one line of {@code PRI|VERSION|TIMESTAMP|HOSTNAME|APP-NAME|PROCID|MSGID|SD}. rsyslog's
 * own messages (TLS errors, start and stop) go to its standard error, which {@link Peers} keeps in the test's logs.
 *
 * <p>{@link #stop()} ends it by its PID (SIGTERM, which makes rsyslog write out its queue, then waits for it to
 * exit); {@link #start()} starts it again on the same port with the same configuration, appending to the same files.
 */
public final class Rsyslog implements AutoCloseable {

    private final Peers peers;
    private final Path dir;
    private final Path config;
    private final Path pidFile;
    private final Path rawFile;
    private final Path headerFile;
    private final int port;
    private final boolean udp;
    private final byte[] separator;
    private Peers.Daemon daemon;
    private int starts;

    private Rsyslog(Peers peers, Path dir, int port, boolean udp) {
        this.peers = peers;
        this.dir = dir;
        this.config = dir.resolve("rsyslog.conf");
        this.pidFile = dir.resolve("rsyslog.pid");
        this.rawFile = dir.resolve("raw.log");
        this.headerFile = dir.resolve("header.log");
        this.port = port;
        this.udp = udp;
        this.separator = ("\n--rsyslog-end-" + UUID.randomUUID() + "--\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A new folder under {@code it.work.dir}. */
    public static Path newDir(String prefix) throws IOException {
        Path work = Paths.get(System.getProperty("it.work.dir", "target/it-work")).toAbsolutePath();
        Files.createDirectories(work);
        return Files.createTempDirectory(work, prefix);
    }

    /**
     * Starts a TLS receiver.
     *
     * @param authMode       {@code x509/name} or {@code x509/certvalid}
     * @param permittedPeers for x509/name: the client names (SAN dNSName or CN) allowed
     */
    public static Rsyslog startTls(Peers peers, Path dir, Path caPem, Path certPem, Path keyPem, String authMode,
                                   List<String> permittedPeers) throws IOException, InterruptedException {
        Rsyslog r = new Rsyslog(peers, dir, freeTcpPort(), false);
        StringBuilder peersList = new StringBuilder();
        for (String p : permittedPeers) {
            peersList.append(peersList.length() == 0 ? "" : ", ").append(quote(p));
        }
        String module = "module(load=\"imtcp\" StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" "
                + "StreamDriver.AuthMode=" + quote(authMode)
                + (permittedPeers.isEmpty() ? "" : " PermittedPeer=[" + peersList + "]") + ")\n";
        String global = " defaultNetstreamDriver=\"gtls\" defaultNetstreamDriverCAFile=" + quote(caPem.toString())
                + " defaultNetstreamDriverCertFile=" + quote(certPem.toString())
                + " defaultNetstreamDriverKeyFile=" + quote(keyPem.toString());
        // imtcp refuses octet-counted frames above maxFrameSize (default 200000) and falls back to octet stuffing
        String input = "input(type=\"imtcp\" port=\"" + r.port + "\" address=\"127.0.0.1\" ruleset=\"audit\""
                + " maxFrameSize=\"4194304\")\n";
        r.writeConfig(global, module, input);
        r.start();
        return r;
    }

    /** Starts a plain TCP receiver (imtcp without TLS; RFC 6587 octet counting). */
    public static Rsyslog startTcp(Peers peers, Path dir) throws IOException, InterruptedException {
        Rsyslog r = new Rsyslog(peers, dir, freeTcpPort(), false);
        r.writeConfig("", "module(load=\"imtcp\")\n", "input(type=\"imtcp\" port=\"" + r.port
                + "\" address=\"127.0.0.1\" ruleset=\"audit\" maxFrameSize=\"4194304\")\n");
        r.start();
        return r;
    }

    /** Starts a UDP receiver. */
    public static Rsyslog startUdp(Peers peers, Path dir) throws IOException, InterruptedException {
        Rsyslog r = new Rsyslog(peers, dir, freeUdpPort(), true);
        r.writeConfig("", "module(load=\"imudp\")\n", "input(type=\"imudp\" port=\"" + r.port
                + "\" address=\"127.0.0.1\" ruleset=\"audit\" rcvbufSize=\"8m\")\n");
        r.start();
        return r;
    }

    private void writeConfig(String global, String module, String input) throws IOException, InterruptedException {
        Path work = dir.resolve("work");
        Files.createDirectories(work);
        StringBuilder sep = new StringBuilder();
        for (byte b : separator) {
            sep.append(b == '\n' ? "\\n" : String.valueOf((char) b));
        }
        String conf = "# written by the camel-dicom-secure audit ITs: a private receiver, no system log sockets\n"
                + "global(workDirectory=" + quote(work.toString()) + " maxMessageSize=\"4m\""
                + " parser.escapeControlCharactersOnReceive=\"off\" parser.dropTrailingLFOnReception=\"off\""
                + global + ")\n"
                // on SIGTERM, write out what was received before exiting
                + "main_queue(queue.timeoutShutdown=\"30000\")\n"
                + module
                + "template(name=\"raw\" type=\"string\" string=\"%rawmsg%" + sep + "\")\n"
                + "template(name=\"header\" type=\"string\" string=\"%pri%|%protocol-version%|"
                + "%timereported:::date-rfc3339%|%hostname%|%app-name%|%procid%|%msgid%|%structured-data%\\n\")\n"
                + "ruleset(name=\"audit\") {\n"
                + "  action(type=\"omfile\" file=" + quote(rawFile.toString()) + " template=\"raw\")\n"
                + "  action(type=\"omfile\" file=" + quote(headerFile.toString()) + " template=\"header\")\n"
                + "}\n"
                + input;
        Files.writeString(config, conf, StandardCharsets.UTF_8);
        Path rsyslogd = Peers.require("rsyslogd", "rsyslog");
        Peers.Result check = peers.run("rsyslogd-check", dir, cmd(rsyslogd, "-N1", "-f", config));
        if (check.exitCode() != 0) {
            fail("rsyslogd refused its configuration " + config + ":\n" + check.out() + check.err());
        }
    }

    private static String quote(String s) {
        if (s.contains("\"") || s.contains("\\")) {
            throw new IllegalArgumentException("no quotes or backslashes in rsyslog configuration values: " + s);
        }
        return "\"" + s + "\"";
    }

    /** Starts rsyslogd (again) and waits until it listens. */
    public void start() throws IOException, InterruptedException {
        if (daemon != null && daemon.isAlive()) {
            throw new IllegalStateException("rsyslogd is running: " + daemon);
        }
        Path rsyslogd = Peers.require("rsyslogd", "rsyslog");
        Files.deleteIfExists(pidFile);
        starts++;
        daemon = peers.start("rsyslogd-" + starts, dir, cmd(rsyslogd, "-n", "-f", config, "-i", pidFile));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!listening()) {
            if (!daemon.isAlive()) {
                fail("rsyslogd exited before listening on 127.0.0.1:" + port + ":\n" + daemon.log());
            }
            if (System.nanoTime() > deadline) {
                fail("rsyslogd does not listen on 127.0.0.1:" + port + " after 30 s:\n" + daemon.log());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Ends rsyslogd by its PID (SIGTERM; it writes out its queue and exits), waits until it has exited (SIGKILL after
     * 60 s), and checks it was the process of the pid file.
     */
    public void stop() throws IOException, InterruptedException {
        if (daemon == null) {
            return;
        }
        long pid = daemon.pid();
        if (Files.exists(pidFile)) {
            String inFile = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
            if (!inFile.equals(Long.toString(pid))) {
                fail("rsyslogd's pid file " + pidFile + " says " + inFile + ", but the process started is " + pid);
            }
        }
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        if (h != null) {
            h.destroy();
            try {
                h.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
                waitFor(h);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException(e);
            }
        }
        daemon.close();
        daemon = null;
    }

    private static void waitFor(ProcessHandle h) throws IOException, InterruptedException {
        try {
            h.onExit().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new IOException("rsyslogd (pid " + h.pid() + ") did not exit after SIGKILL", e);
        }
    }

    private boolean listening() throws IOException {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        Path table = Paths.get(udp ? "/proc/net/udp" : "/proc/net/tcp");
        for (String line : Files.readAllLines(table, StandardCharsets.US_ASCII)) {
            String[] f = line.trim().split("\\s+");
            // sl local_address rem_address st ...: 127.0.0.1 is 0100007F; TCP LISTEN is 0A, an unconnected UDP 07
            if (f.length > 3 && f[1].equals("0100007F:" + hexPort) && f[3].equals(udp ? "07" : "0A")) {
                return true;
            }
        }
        return false;
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public Path rawFile() {
        return rawFile;
    }

    public Path headerFile() {
        return headerFile;
    }

    public boolean isRunning() {
        return daemon != null && daemon.isAlive();
    }

    /** rsyslogd's PID, or -1 when stopped. */
    public long pid() {
        return daemon == null ? -1 : daemon.pid();
    }

    /** What the running (or last) rsyslogd printed. */
    public String log() {
        return daemon == null ? "(stopped)" : daemon.log();
    }

    /**
     * Every message rsyslog wrote to {@link #rawFile()}, as received, in order. Fails when the file does not end with
     * a complete record (rsyslog still writing: call {@link #awaitMessages}).
     */
    public List<byte[]> messages() throws IOException {
        List<byte[]> out = new ArrayList<>();
        if (!Files.exists(rawFile)) {
            return out;
        }
        byte[] all = Files.readAllBytes(rawFile);
        int from = 0;
        while (from < all.length) {
            int at = indexOf(all, separator, from);
            if (at < 0) {
                throw new IOException("incomplete record at offset " + from + " of " + rawFile);
            }
            out.add(Arrays.copyOfRange(all, from, at));
            from = at + separator.length;
        }
        return out;
    }

    /** The lines of {@link #headerFile()}. */
    public List<String> headers() throws IOException {
        if (!Files.exists(headerFile)) {
            return List.of();
        }
        return Files.readAllLines(headerFile, StandardCharsets.UTF_8);
    }

    /** Waits until rsyslog wrote at least {@code n} complete messages; returns them all. */
    public List<byte[]> awaitMessages(int n, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<byte[]> got = List.of();
        while (System.nanoTime() < deadline) {
            try {
                got = messages();
                if (got.size() >= n) {
                    return got;
                }
            } catch (IOException partial) {
                // rsyslog is in the middle of writing one
            }
            Thread.sleep(50);
        }
        return messages();
    }

    private static int indexOf(byte[] a, byte[] b, int from) {
        outer:
        for (int i = from; i <= a.length - b.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }

    @Override
    public String toString() {
        return "rsyslogd " + (udp ? "UDP" : "TLS") + " 127.0.0.1:" + port + " (" + dir + ")";
    }
}
