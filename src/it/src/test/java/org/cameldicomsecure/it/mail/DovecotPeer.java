package org.cameldicomsecure.it.mail;

import static org.cameldicomsecure.it.Peers.cmd;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.cameldicomsecure.it.Peers;

/**
 * A real, private Dovecot 2.3 (Debian packages {@code dovecot-imapd} and {@code dovecot-lmtpd}) for the mail ITs:
 * {@code dovecot -F -c dovecot.conf} with a configuration of its own (never {@code /etc/dovecot}, never the system
 * service), its {@code base_dir}, {@code state_dir} and mail in a temporary folder, its log in the test's log folder.
 *
 * <ul>
 * <li>{@code listen = 127.0.0.1}; IMAP only over implicit TLS ({@code imaps} listener with {@code ssl = yes} on a free
 *     port; the plain {@code imap} listener is disabled with port 0), {@code ssl = required}, TLS 1.2 at least, the
 *     given server certificate and key;</li>
 * <li>an LMTP listener on a free loopback TCP port (no TLS: loopback only), where {@link PostfixPeer} delivers;</li>
 * <li>users in a {@code passwd-file} with salted SHA-512 ({@code {SSHA512}}) password hashes of the test's generated
 *     passwords; a {@code static} userdb: every user's maildir is {@code mail/<user part>/Maildir} in the folder, owned
 *     by {@code nobody:nogroup} (Dovecot refuses mail access as root).</li>
 * </ul>
 *
 * <p>Runs as root (the master binds its listeners, then its login and mail processes drop to {@code dovenull} /
 * {@code nobody}). The folder is under {@code java.io.tmpdir} with a short name because Dovecot's UNIX sockets live in
 * {@code base_dir} and socket paths are limited to 107 bytes. After a failed login Dovecot delays the next logins
 * from the same IP by 2 s and more (its auth penalty, and {@code auth_failure_delay}): tests that fail a login on
 * purpose should come last. {@link #close()} stops the master by its PID (SIGTERM,
 * which stops all its children) and deletes the folder; the log stays with the test's logs.
 */
public final class DovecotPeer implements AutoCloseable {

    /** The test domain that {@link PostfixPeer} delivers to. */
    public static final String DOMAIN = "dicom.test";

    private final Path dir;
    private final Path logFile;
    private final int imapsPort;
    private final int lmtpPort;
    private final Map<String, String> passwords;
    private final Peers.Daemon daemon;
    private final long startMillis;

    private DovecotPeer(Path dir, Path logFile, int imapsPort, int lmtpPort, Map<String, String> passwords,
            Peers.Daemon daemon, long startMillis) {
        this.dir = dir;
        this.logFile = logFile;
        this.imapsPort = imapsPort;
        this.lmtpPort = lmtpPort;
        this.passwords = passwords;
        this.daemon = daemon;
        this.startMillis = startMillis;
    }

    /**
     * Starts Dovecot with one mailbox per user ({@code user@dicom.test}, each with a new random password) and returns
     * when both listeners accept connections.
     */
    public static DovecotPeer start(Peers peers, MailPki.Issued server, List<String> users)
            throws IOException, InterruptedException {
        Path dovecot = Peers.require("dovecot", "dovecot-imapd");
        if (!Files.isExecutable(Paths.get("/usr/lib/dovecot/lmtp"))) {
            fail("Dovecot's LMTP server /usr/lib/dovecot/lmtp is not installed: apt-get install dovecot-lmtpd, as CI"
                    + " does.");
        }
        requireRoot("Dovecot");
        Path dir = newTempDir("cds-dovecot-");
        Path run = Files.createDirectories(dir.resolve("run"));
        Path state = Files.createDirectories(dir.resolve("state"));
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Path logFile = peers.logDir().toAbsolutePath().resolve("dovecot.log");
        Files.deleteIfExists(logFile);
        Path cert = dir.resolve("server.crt.pem");
        Path key = dir.resolve("server.key.pem");
        Files.copy(server.certPem(), cert);
        Files.copy(server.keyPem(), key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        Map<String, String> passwords = new LinkedHashMap<>();
        StringBuilder passwd = new StringBuilder();
        SecureRandom random = new SecureRandom();
        for (String user : users) {
            byte[] pw = new byte[18];
            random.nextBytes(pw);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(pw);
            passwords.put(address(user), password);
            passwd.append(address(user)).append(":").append(ssha512(password, random)).append("\n");
            Path home = Files.createDirectories(mail.resolve(user));
            chown(home, "nobody", "nogroup");
        }
        Path users1 = dir.resolve("users");
        Files.writeString(users1, passwd.toString(), StandardCharsets.US_ASCII);
        // read by the auth process, which runs as the dovecot user
        chown(users1, "root", "dovecot");
        Files.setPosixFilePermissions(users1, PosixFilePermissions.fromString("rw-r-----"));

        int imapsPort = freeTcpPort();
        int lmtpPort = freeTcpPort();
        while (lmtpPort == imapsPort) {
            lmtpPort = freeTcpPort();
        }
        String conf = "# written by the camel-dicom-secure mail ITs: a private Dovecot, not the system's\n"
                + "instance_name = " + dir.getFileName() + "\n"
                + "base_dir = " + run + "\n"
                + "state_dir = " + state + "\n"
                + "log_path = " + logFile + "\n"
                + "listen = 127.0.0.1\n"
                + "protocols = imap lmtp\n"
                + "ssl = required\n"
                + "ssl_cert = <" + cert + "\n"
                + "ssl_key = <" + key + "\n"
                + "ssl_min_protocol = TLSv1.2\n"
                + "disable_plaintext_auth = yes\n"
                + "auth_mechanisms = plain\n"
                + "mail_location = maildir:" + mail + "/%n/Maildir\n"
                + "passdb {\n  driver = passwd-file\n  args = scheme=SSHA512 " + users1 + "\n}\n"
                + "userdb {\n  driver = static\n  args = uid=nobody gid=nogroup home=" + mail + "/%n\n}\n"
                + "service imap-login {\n"
                + "  inet_listener imap {\n    port = 0\n  }\n"
                + "  inet_listener imaps {\n    address = 127.0.0.1\n    port = " + imapsPort
                + "\n    ssl = yes\n  }\n}\n"
                + "service lmtp {\n"
                + "  inet_listener lmtp {\n    address = 127.0.0.1\n    port = " + lmtpPort + "\n  }\n}\n";
        Path config = dir.resolve("dovecot.conf");
        Files.writeString(config, conf, StandardCharsets.US_ASCII);
        Files.copy(config, peers.logDir().resolve("dovecot.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Peers.Result check = peers.run("doveconf-check", dir, cmd("doveconf", "-c", config, "-n"));
        if (check.exitCode() != 0) {
            deleteTree(dir);
            fail("Dovecot refused its configuration " + config + ":\n" + check.err());
        }
        long t0 = System.nanoTime();
        Peers.Daemon daemon = peers.start("dovecot", dir, cmd(dovecot, "-F", "-c", config));
        long deadline = t0 + TimeUnit.SECONDS.toNanos(20);
        while (!(listening(imapsPort) && listening(lmtpPort))) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                daemon.close();
                String log = Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.ISO_8859_1) : "";
                deleteTree(dir);
                fail("Dovecot did not start listening on 127.0.0.1:" + imapsPort + " and :" + lmtpPort + ":\n"
                        + daemon.log() + "\n" + log);
            }
            Thread.sleep(10);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        return new DovecotPeer(dir, logFile, imapsPort, lmtpPort, passwords, daemon, millis);
    }

    /** {@code user@dicom.test}. */
    public static String address(String user) {
        return user + "@" + DOMAIN;
    }

    /** The IMAPS (implicit TLS) port on 127.0.0.1. */
    public int imapsPort() {
        return imapsPort;
    }

    /** The LMTP port on 127.0.0.1 (plain, loopback only). */
    public int lmtpPort() {
        return lmtpPort;
    }

    /** The generated password of {@code address} (a full address, {@code user@dicom.test}). */
    public String password(String address) {
        String p = passwords.get(address);
        if (p == null) {
            throw new IllegalArgumentException("no such Dovecot user: " + address);
        }
        return p;
    }

    /** How long it took from starting the process to both listeners accepting, in milliseconds. */
    public long startMillis() {
        return startMillis;
    }

    public long pid() {
        return daemon.pid();
    }

    public boolean isAlive() {
        return daemon.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** Dovecot's log so far. */
    public String log() throws IOException {
        return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.ISO_8859_1) : "";
    }

    /**
     * The message files in {@code user}'s INBOX maildir ({@code new/} and {@code cur/}), by name; the maildir flags
     * are the name's {@code :2,} suffix ({@code S} seen, {@code T} deleted).
     */
    public List<Path> maildirFiles(String user) throws IOException {
        Path md = dir.resolve("mail").resolve(user).resolve("Maildir");
        List<Path> out = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path d = md.resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        daemon.close();
        deleteTree(dir);
    }

    @Override
    public String toString() {
        return "dovecot imaps 127.0.0.1:" + imapsPort + " lmtp 127.0.0.1:" + lmtpPort + " (pid " + daemon.pid() + ")";
    }

    // ------------------------------------------------------------------ shared by the mail peers

    /** RFC 2307-style {@code {SSHA512}base64(SHA-512(password || salt) || salt)}, as Dovecot's SSHA512 scheme. */
    static String ssha512(String password, SecureRandom random) {
        try {
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            md.update(password.getBytes(StandardCharsets.UTF_8));
            md.update(salt);
            byte[] digest = md.digest();
            byte[] all = new byte[digest.length + salt.length];
            System.arraycopy(digest, 0, all, 0, digest.length);
            System.arraycopy(salt, 0, all, digest.length, salt.length);
            return "{SSHA512}" + Base64.getEncoder().encodeToString(all);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void requireRoot(String what) throws IOException {
        String user = Files.getOwner(Paths.get("/proc/self")).getName();
        if (!"root".equals(user)) {
            fail(what + " is started as a private instance by root (it binds its own ports, then drops to its own "
                    + "unprivileged users); these tests run as '" + user + "'. CI runs them as root.");
        }
    }

    /** A new folder {@code <java.io.tmpdir>/<prefix>NNN}, mode 755 (the peers' unprivileged users pass through it). */
    static Path newTempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(Paths.get(System.getProperty("java.io.tmpdir")), prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    static void chown(Path p, String user, String group) throws IOException {
        UserPrincipalLookupService lookup = p.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal u = lookup.lookupPrincipalByName(user);
        GroupPrincipal g = lookup.lookupPrincipalByGroupName(group);
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(u);
        view.setGroup(g);
    }

    /** Deletes {@code dir} and everything in it (a folder this class made). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        // a child of a stopped master may still be finishing: retry for a moment
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (IOException | java.io.UncheckedIOException e) {
                last = e instanceof IOException io ? io : ((java.io.UncheckedIOException) e).getCause();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last != null ? last : new IOException("cannot delete " + dir);
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Whether something listens on 127.0.0.1:port ({@code /proc/net/tcp}, state 0A), without connecting to it. */
    static boolean listening(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String line : Files.readAllLines(Paths.get("/proc/net/tcp"), StandardCharsets.US_ASCII)) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[1].equals("0100007F:" + hexPort) && f[3].equals("0A")) {
                return true;
            }
        }
        return false;
    }
}
