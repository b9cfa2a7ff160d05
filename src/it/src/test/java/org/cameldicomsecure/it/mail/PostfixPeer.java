package org.cameldicomsecure.it.mail;

import static org.cameldicomsecure.it.Peers.cmd;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cameldicomsecure.it.Peers;

/**
 * A real, private Postfix 3.7 (Debian package {@code postfix}) for the mail ITs: its own {@code main.cf} and
 * {@code master.cf} in a temporary folder (never {@code /etc/postfix}, never the system service), its queue and data
 * directories there too, started as {@code /usr/lib/postfix/sbin/master -c CONFDIR} (the master stays in the
 * foreground of its own session; {@link #close()} ends it by its PID with SIGTERM, which it passes on to its
 * children), and its log written by {@code postlogd} to {@code maillog_file} in the test's log folder.
 *
 * <ul>
 * <li>Two SMTP servers on free ports of 127.0.0.1 only ({@code inet_interfaces = 127.0.0.1}, IPv4): {@link #smtpsPort()}
 *     with implicit TLS ({@code smtpd_tls_wrappermode = yes}, RFC 8314 "submissions") and {@link #submissionPort()}
 *     with mandatory STARTTLS ({@code smtpd_tls_security_level = encrypt}). Both use the test server certificate
 *     ({@code smtpd_tls_chain_files}: key, then certificate and CA).</li>
 * <li>No SMTP AUTH: only clients of {@code mynetworks = 127.0.0.1/32} may send ({@code smtpd_relay_restrictions =
 *     permit_mynetworks, reject}); nothing is relayed anywhere ({@code relayhost}, {@code relay_domains},
 *     {@code mydestination} empty, no local delivery, no aliases).</li>
 * <li>Mail for {@code @dicom.test} ({@code virtual_mailbox_domains}) goes by LMTP to Dovecot
 *     ({@code virtual_transport = lmtp:inet:127.0.0.1:<port>}).</li>
 * </ul>
 *
 * <p>The queue directories are made here as Postfix's {@code postfix-files} lists them ({@code queue_directory} root
 * 755; {@code active bounce corrupt defer deferred flush hold incoming private saved trace} postfix 700;
 * {@code maildrop} postfix:postdrop 730, {@code public} postfix:postdrop 710, {@code pid} root 755;
 * {@code data_directory} postfix 700) rather than by {@code postfix check}, which would read the package's
 * {@code /etc/postfix/postfix-files}. All services run unchrooted. Runs as root, like any Postfix master.
 */
public final class PostfixPeer implements AutoCloseable {

    /** The Postfix master of the Debian package (its {@code daemon_directory}). */
    public static final Path MASTER = Paths.get("/usr/lib/postfix/sbin/master");

    private static final Pattern QUEUED = Pattern.compile("250 2\\.0\\.0 Ok: queued as ([0-9A-Za-z]+)");

    private final Path dir;
    private final Path maillog;
    private final int smtpsPort;
    private final int submissionPort;
    private final Peers.Daemon daemon;
    private final long startMillis;

    private PostfixPeer(Path dir, Path maillog, int smtpsPort, int submissionPort, Peers.Daemon daemon,
            long startMillis) {
        this.dir = dir;
        this.maillog = maillog;
        this.smtpsPort = smtpsPort;
        this.submissionPort = submissionPort;
        this.daemon = daemon;
        this.startMillis = startMillis;
    }

    /** Starts Postfix delivering {@code @dicom.test} to {@code dovecot}'s LMTP port; returns once both SMTP ports listen. */
    public static PostfixPeer start(Peers peers, MailPki.Issued server, MailPki.Issued ca, DovecotPeer dovecot)
            throws IOException, InterruptedException {
        Peers.require("postconf", "postfix");
        if (!Files.isExecutable(MASTER)) {
            fail("the Postfix master " + MASTER + " is not installed: apt-get install postfix, as CI does.");
        }
        DovecotPeer.requireRoot("Postfix");
        Path dir = DovecotPeer.newTempDir("cds-postfix-");
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path queue = Files.createDirectories(dir.resolve("queue"));
        Path data = Files.createDirectories(dir.resolve("data"));
        for (String d : List.of("active", "bounce", "corrupt", "defer", "deferred", "flush", "hold", "incoming",
                "private", "saved", "trace")) {
            mkdir(queue.resolve(d), "postfix", "root", "rwx------");
        }
        mkdir(queue.resolve("maildrop"), "postfix", "postdrop", "rwx-wx---");
        mkdir(queue.resolve("public"), "postfix", "postdrop", "rwx--x---");
        mkdir(queue.resolve("pid"), "root", "root", "rwxr-xr-x");
        mkdir(data, "postfix", "root", "rwx------");
        Files.setPosixFilePermissions(queue, PosixFilePermissions.fromString("rwxr-xr-x"));

        Path chain = conf.resolve("chain.pem");
        Files.writeString(chain, Files.readString(server.keyPem(), StandardCharsets.US_ASCII)
                + Files.readString(server.certPem(), StandardCharsets.US_ASCII)
                + Files.readString(ca.certPem(), StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(chain, PosixFilePermissions.fromString("rw-------"));

        Path logDir = peers.logDir().toAbsolutePath();
        Path maillog = logDir.resolve("postfix-maillog");
        Files.deleteIfExists(maillog);
        int smtpsPort = DovecotPeer.freeTcpPort();
        int submissionPort = DovecotPeer.freeTcpPort();
        while (submissionPort == smtpsPort || submissionPort == dovecot.lmtpPort()
                || smtpsPort == dovecot.lmtpPort() || smtpsPort == dovecot.imapsPort()
                || submissionPort == dovecot.imapsPort()) {
            smtpsPort = DovecotPeer.freeTcpPort();
            submissionPort = DovecotPeer.freeTcpPort();
        }
        String main = "# written by the camel-dicom-secure mail ITs: a private Postfix, not the system's\n"
                + "compatibility_level = 3.6\n"
                + "queue_directory = " + queue + "\n"
                + "data_directory = " + data + "\n"
                + "maillog_file = " + maillog + "\n"
                + "maillog_file_prefixes = " + logDir + "\n"
                + "inet_interfaces = 127.0.0.1\n"
                + "inet_protocols = ipv4\n"
                + "myhostname = mail." + DovecotPeer.DOMAIN + "\n"
                + "mydomain = " + DovecotPeer.DOMAIN + "\n"
                + "myorigin = $myhostname\n"
                + "mydestination =\n"
                + "local_recipient_maps =\n"
                + "alias_maps =\n"
                + "alias_database =\n"
                + "relayhost =\n"
                + "relay_domains =\n"
                + "mynetworks = 127.0.0.1/32\n"
                + "smtpd_relay_restrictions = permit_mynetworks, reject\n"
                + "virtual_mailbox_domains = " + DovecotPeer.DOMAIN + "\n"
                + "virtual_transport = lmtp:inet:127.0.0.1:" + dovecot.lmtpPort() + "\n"
                + "smtpd_tls_chain_files = " + chain + "\n"
                + "smtpd_tls_security_level = encrypt\n"
                + "smtpd_tls_protocols = >=TLSv1.2\n"
                + "smtpd_tls_loglevel = 1\n"
                + "smtpd_tls_received_header = yes\n"
                + "biff = no\n"
                + "append_dot_mydomain = no\n"
                + "message_size_limit = 104857600\n";
        String master = "# service type private unpriv chroot wakeup maxproc command\n"
                + "127.0.0.1:" + smtpsPort + " inet n - n - - smtpd\n"
                + "  -o smtpd_tls_wrappermode=yes\n"
                + "127.0.0.1:" + submissionPort + " inet n - n - - smtpd\n"
                + "cleanup unix n - n - 0 cleanup\n"
                + "qmgr unix n - n 300 1 qmgr\n"
                + "tlsmgr unix - - n 1000? 1 tlsmgr\n"
                + "rewrite unix - - n - - trivial-rewrite\n"
                + "bounce unix - - n - 0 bounce\n"
                + "defer unix - - n - 0 bounce\n"
                + "trace unix - - n - 0 bounce\n"
                + "verify unix - - n - 1 verify\n"
                + "flush unix n - n 1000? 0 flush\n"
                + "proxymap unix - - n - - proxymap\n"
                + "proxywrite unix - - n - 1 proxymap\n"
                + "error unix - - n - - error\n"
                + "retry unix - - n - - error\n"
                + "discard unix - - n - - discard\n"
                + "lmtp unix - - n - - lmtp\n"
                + "anvil unix - - n - 1 anvil\n"
                + "scache unix - - n - 1 scache\n"
                + "postlog unix-dgram n - n - 1 postlogd\n";
        Files.writeString(conf.resolve("main.cf"), main, StandardCharsets.US_ASCII);
        Files.writeString(conf.resolve("master.cf"), master, StandardCharsets.US_ASCII);
        // Postfix re-reads a main.cf modified within the last second until it is older (300 ms naps, seconds in
        // all): the files were just written, so date them back
        java.nio.file.attribute.FileTime past = java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 10_000);
        Files.setLastModifiedTime(conf.resolve("main.cf"), past);
        Files.setLastModifiedTime(conf.resolve("master.cf"), past);
        Files.writeString(logDir.resolve("postfix-main.cf"), main, StandardCharsets.US_ASCII);
        Files.writeString(logDir.resolve("postfix-master.cf"), master, StandardCharsets.US_ASCII);
        // postconf warns about unknown or misspelt parameters
        Peers.Result check = peers.run("postconf-check", dir, cmd("postconf", "-c", conf, "-n"));
        if (check.exitCode() != 0 || !check.err().isBlank()) {
            DovecotPeer.deleteTree(dir);
            fail("postconf does not accept the configuration in " + conf + ":\n" + check.err());
        }

        long t0 = System.nanoTime();
        Peers.Daemon daemon = peers.start("postfix-master", dir, cmd(MASTER, "-c", conf));
        long deadline = t0 + TimeUnit.SECONDS.toNanos(20);
        while (!(DovecotPeer.listening(smtpsPort) && DovecotPeer.listening(submissionPort))) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                daemon.close();
                String log = Files.exists(maillog) ? Files.readString(maillog, StandardCharsets.ISO_8859_1) : "";
                DovecotPeer.deleteTree(dir);
                fail("Postfix did not start listening on 127.0.0.1:" + smtpsPort + " and :" + submissionPort
                        + ":\n" + daemon.log() + "\n" + log);
            }
            Thread.sleep(10);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        return new PostfixPeer(dir, maillog, smtpsPort, submissionPort, daemon, millis);
    }

    private static void mkdir(Path d, String owner, String group, String mode) throws IOException {
        Files.createDirectories(d);
        DovecotPeer.chown(d, owner, group);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(mode));
    }

    /** SMTP with implicit TLS on 127.0.0.1. */
    public int smtpsPort() {
        return smtpsPort;
    }

    /** SMTP with mandatory STARTTLS on 127.0.0.1. */
    public int submissionPort() {
        return submissionPort;
    }

    /** From starting the master to both SMTP ports listening, in milliseconds. */
    public long startMillis() {
        return startMillis;
    }

    public long pid() {
        return daemon.pid();
    }

    public boolean isAlive() {
        return daemon.isAlive();
    }

    public Path maillog() {
        return maillog;
    }

    /** The maillog so far. */
    public String log() throws IOException {
        return Files.exists(maillog) ? Files.readString(maillog, StandardCharsets.ISO_8859_1) : "";
    }

    /** The queue IDs in "250 2.0.0 Ok: queued as ID" of the given SMTP replies text, or of nothing. */
    public static List<String> queueIds(String smtpReplies) {
        List<String> ids = new ArrayList<>();
        Matcher m = QUEUED.matcher(smtpReplies == null ? "" : smtpReplies);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /**
     * Waits until the maillog says that Postfix's LMTP client delivered a message to {@code address} through Dovecot
     * ({@code postfix/lmtp[...]: QUEUEID: to=<address>, relay=127.0.0.1[127.0.0.1]:LMTPPORT, ... status=sent}),
     * {@code count} times in all; returns those lines' queue IDs.
     */
    public List<String> awaitDelivered(String address, int lmtpPort, int count, long timeoutMillis)
            throws IOException, InterruptedException {
        Pattern p = Pattern.compile("postfix/lmtp\\[\\d+\\]: ([0-9A-Za-z]+): to=<" + Pattern.quote(address)
                + ">, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:" + lmtpPort + ",.* status=sent ");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<String> ids;
        do {
            ids = new ArrayList<>();
            Matcher m = p.matcher(log());
            while (m.find()) {
                ids.add(m.group(1));
            }
            if (ids.size() >= count) {
                return ids;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return ids;
    }

    @Override
    public void close() throws IOException {
        daemon.close();
        DovecotPeer.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "postfix smtps 127.0.0.1:" + smtpsPort + " submission(STARTTLS) 127.0.0.1:" + submissionPort
                + " (pid " + daemon.pid() + ")";
    }
}
