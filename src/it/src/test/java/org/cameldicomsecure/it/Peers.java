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
 * Starts the real peer programs (DCMTK, dicom3tools, coreutils) with {@link ProcessBuilder} and keeps what they print
 * under {@code target/it-logs/<test class>/}: one {@code NNN-name.cmd} (the command line), {@code .out} and
 * {@code .err} per run.
 *
 * <p>A peer that is not installed fails the test with a message naming the Debian package: these tests exist to run
 * against the real programs, and CI installs them, so they never skip.
 */
final class Peers {

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
    static Peers forTest(Class<?> testClass) throws IOException {
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

    Path logDir() {
        return logDir;
    }

    /**
     * The absolute path of {@code program} on the PATH.
     *
     * @throws AssertionError naming the program and the package to install when it is missing
     */
    static Path require(String program, String debianPackage) {
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
    Result run(String name, Path workDir, List<String> command) throws IOException, InterruptedException {
        return run(name, workDir, command, DEFAULT_TIMEOUT_SECONDS);
    }

    /** Runs {@code command}; the run's output goes to log files first and is read back from them. */
    Result run(String name, Path workDir, List<String> command, long timeoutSeconds)
            throws IOException, InterruptedException {
        String base = String.format("%03d-%s", counter.incrementAndGet(), name.replaceAll("[^A-Za-z0-9._-]", "_"));
        Path out = logDir.resolve(base + ".out");
        Path err = logDir.resolve(base + ".err");
        Files.writeString(logDir.resolve(base + ".cmd"), "cd " + workDir + "\n" + String.join(" ", command) + "\n");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // DCMTK: do not let the user's environment change dictionaries or logging
        pb.environment().remove("DCMDICTPATH");
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail(name + ": '" + String.join(" ", command) + "' did not finish within " + timeoutSeconds
                    + " s; see " + out + " and " + err);
        }
        return new Result(String.join(" ", command), p.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err),
                out, err);
    }

    /** Convenience for building a command line. */
    static List<String> cmd(Object... parts) {
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
    record Result(String command, int exitCode, byte[] stdout, byte[] stderr, Path stdoutLog, Path stderrLog) {

        String out() {
            return new String(stdout, StandardCharsets.ISO_8859_1);
        }

        String err() {
            return new String(stderr, StandardCharsets.ISO_8859_1);
        }

        /** Fails unless the exit code is 0, quoting stderr. */
        Result assertSuccess() {
            if (exitCode != 0) {
                fail("'" + command + "' exited with " + exitCode + ":\n" + err() + "\n(logs: " + stdoutLog + ", "
                        + stderrLog + ")");
            }
            return this;
        }

        /** Lines of stdout and stderr that DCMTK's logger marks as warnings or errors ("W: ", "E: ", "F: "). */
        List<String> dcmtkWarningsAndErrors() {
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
