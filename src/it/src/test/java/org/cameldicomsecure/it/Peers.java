package org.cameldicomsecure.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Starts the real peer programs (DCMTK, dicom3tools, coreutils, OpenSSL, Apache's htpasswd) with
 * {@link ProcessBuilder} and keeps what they print under {@code target/it-logs/<test class>/}: one {@code NNN-name.cmd}
 * (the command line), {@code .out} and {@code .err} per run. Their standard input is {@code /dev/null}, and DCMTK gets
 * {@code TCP_NODELAY=1} in its environment (shared/PEERS.md).
 *
 * <p>A peer that is not installed fails the test with a message naming the Debian package: these tests exist to run
 * against the real programs, and CI installs them, so they never skip.
 */
public final class Peers {

    /** Peers never take long on the small inputs of these tests; anything slower is a hang. */
    private static final long DEFAULT_TIMEOUT_SECONDS = 120;

    private final Path logDir;
    private final AtomicInteger counter = new AtomicInteger();

    private Peers(Path logDir) {
        this.logDir = logDir;
    }

    /**
     * Logs under {@code ${it.logs.dir}/<testClass simple name>/} (default {@code target/it-logs}), emptied first so
     * that they are the logs of this run only.
     */
    public static Peers forTest(Class<?> testClass) throws IOException {
        Path base = Paths.get(System.getProperty("it.logs.dir", "target/it-logs"));
        Path dir = base.resolve(testClass.getSimpleName());
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.toList()) {
                Files.deleteIfExists(p);
            }
        }
        return new Peers(dir);
    }

    public Path logDir() {
        return logDir;
    }

    /**
     * The absolute path of {@code program} on the PATH.
     *
     * @throws AssertionError naming the program and the package to install when it is missing
     */
    public static Path require(String program, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Paths.get(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return fail("'" + program + "' is not installed (not found on PATH=" + path + "). The integration tests run "
                + "against the real program: install the Debian package '" + debianPackage
                + "' (apt-get install " + debianPackage + "), as CI does.");
    }

    /** Runs {@code command} in {@code workDir} and waits for it (no timeout beyond the default). */
    public Result run(String name, Path workDir, List<String> command) throws IOException, InterruptedException {
        return run(name, workDir, command, DEFAULT_TIMEOUT_SECONDS);
    }

    /** Runs {@code command}; the run's output goes to log files first and is read back from them. */
    public Result run(String name, Path workDir, List<String> command, long timeoutSeconds)
            throws IOException, InterruptedException {
        String base = nextBase(name);
        Path out = logDir.resolve(base + ".out");
        Path err = logDir.resolve(base + ".err");
        Process p = builder(base, workDir, command, out, err).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail(name + ": '" + String.join(" ", command) + "' did not finish within " + timeoutSeconds
                    + " s; see " + out + " and " + err);
        }
        return new Result(String.join(" ", command), p.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err),
                out, err);
    }

    private String nextBase(String name) {
        return String.format("%03d-%s", counter.incrementAndGet(), name.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    private ProcessBuilder builder(String base, Path workDir, List<String> command, Path out, Path err)
            throws IOException {
        Files.writeString(logDir.resolve(base + ".cmd"), "cd " + workDir + "\n" + String.join(" ", command) + "\n");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // DCMTK: do not let the user's environment change dictionaries or logging
        pb.environment().remove("DCMDICTPATH");
        // DCMTK leaves Nagle's algorithm on unless told otherwise (shared/PEERS.md): every C-STORE would wait for a
        // delayed ACK
        pb.environment().put("TCP_NODELAY", "1");
        return pb;
    }

    /**
     * Starts a long-running peer (a server such as {@code storescp}) in the background, its output going to log files
     * like {@link #run}'s. Stop it with {@link Daemon#close()}, which ends it by its PID.
     */
    public Daemon start(String name, Path workDir, List<String> command) throws IOException {
        String base = nextBase(name);
        Path out = logDir.resolve(base + ".out");
        Path err = logDir.resolve(base + ".err");
        Process p = builder(base, workDir, command, out, err).start();
        return new Daemon(name, String.join(" ", command), p, out, err);
    }

    /** A peer started by {@link #start}; {@link #close()} stops it by its PID (SIGTERM, then SIGKILL after 5 s). */
    public static final class Daemon implements AutoCloseable {

        private final String name;
        private final String command;
        private final Process process;
        private final Path stdoutLog;
        private final Path stderrLog;

        private Daemon(String name, String command, Process process, Path stdoutLog, Path stderrLog) {
            this.name = name;
            this.command = command;
            this.process = process;
            this.stdoutLog = stdoutLog;
            this.stderrLog = stderrLog;
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** What it printed so far, stdout then stderr (ISO-8859-1). */
        public String log() {
            try {
                return Files.readString(stdoutLog, StandardCharsets.ISO_8859_1) + "\n"
                        + Files.readString(stderrLog, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return "(cannot read " + stdoutLog + ": " + e + ")";
            }
        }

        public Path stdoutLog() {
            return stdoutLog;
        }

        public Path stderrLog() {
            return stderrLog;
        }

        @Override
        public String toString() {
            return name + " (pid " + pid() + "): " + command;
        }

        @Override
        public void close() {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** Convenience for building a command line. */
    public static List<String> cmd(Object... parts) {
        List<String> l = new ArrayList<>(parts.length);
        for (Object o : parts) {
            if (o instanceof List<?> list) {
                for (Object e : list) {
                    l.add(String.valueOf(e));
                }
            } else {
                l.add(String.valueOf(o));
            }
        }
        return l;
    }

    /** The outcome of one run. Output is decoded as ISO-8859-1 so that every byte survives as one char. */
    public record Result(String command, int exitCode, byte[] stdout, byte[] stderr, Path stdoutLog, Path stderrLog) {

        public String out() {
            return new String(stdout, StandardCharsets.ISO_8859_1);
        }

        public String err() {
            return new String(stderr, StandardCharsets.ISO_8859_1);
        }

        /** Fails unless the exit code is 0, quoting stderr. */
        public Result assertSuccess() {
            if (exitCode != 0) {
                fail("'" + command + "' exited with " + exitCode + ":\n" + err() + "\n(logs: " + stdoutLog + ", "
                        + stderrLog + ")");
            }
            return this;
        }

        /** Lines of stdout and stderr that DCMTK's logger marks as warnings or errors ("W: ", "E: ", "F: "). */
        public List<String> dcmtkWarningsAndErrors() {
            List<String> bad = new ArrayList<>();
            for (String s : (out() + "\n" + err()).split("\n")) {
                if (s.startsWith("W:") || s.startsWith("E:") || s.startsWith("F:")) {
                    bad.add(s);
                }
            }
            return bad;
        }
    }
}
