package org.cameldicomsecure.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded {@code dicom-secure-runner.jar} as {@code java -jar} in a child JVM, the way users run it: with no
 * routes given (the secure gateway, against DCMTK's storescu and dcmsign), with the bundled YAML example, with the
 * routes chosen by a system property, and by the environment variable with a Java DSL file.
 */
class RunnerJarIT {

    private static final long TIMEOUT_MS = 60_000;

    private static Path jar;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findJar() {
        String p = System.getProperty("runner.jar");
        assertTrue(p != null && !p.isEmpty(), "system property runner.jar not set");
        jar = Path.of(p);
        assertTrue(Files.isRegularFile(jar), jar + " not built");
    }

    @Test
    void shadedJarHoldsTheLibraryAndEveryTypeConverterLoader() throws Exception {
        try (JarFile jf = new JarFile(jar.toFile())) {
            String main = jf.getManifest().getMainAttributes().getValue("Main-Class");
            assertEquals(RunnerMain.class.getName(), main);
            List<String> loaders;
            try (InputStream in = jf.getInputStream(jf.getEntry("META-INF/services/org/apache/camel/TypeConverterLoader"))) {
                loaders = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                        .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            }
            assertTrue(loaders.contains("org.cameldicomsecure.component.dicom.DicomConverterLoader"), loaders.toString());
            // camel-base, camel-support and camel-file ship loaders too: appended, not overwritten
            assertTrue(loaders.stream().anyMatch(l -> l.startsWith("org.apache.camel.component.file.")), loaders.toString());
            assertTrue(loaders.stream().anyMatch(l -> l.startsWith("org.apache.camel.converter.")), loaders.toString());
            for (String l : loaders) {
                assertTrue(jf.getEntry(l.replace('.', '/') + ".class") != null, l + " missing from the jar");
            }
            // every class and resource of camel-dicom-secure, and what it needs
            Path library = Path.of(DicomFile.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> missing = new ArrayList<>();
            try (JarFile lib = new JarFile(library.toFile())) {
                lib.stream().filter(e -> !e.isDirectory() && !e.getName().startsWith("META-INF/maven/")
                        && !e.getName().equals("META-INF/MANIFEST.MF") && !e.getName().equals("META-INF/jandex.idx"))
                        .filter(e -> jf.getEntry(e.getName()) == null).forEach(e -> missing.add(e.getName()));
            }
            assertEquals(List.of(), missing, "missing from the runner jar");
            assertTrue(jf.getEntry("io/netty/channel/Channel.class") != null);
            assertTrue(jf.getEntry("org/bouncycastle/jce/provider/BouncyCastleProvider.class") != null);
            assertTrue(jf.getEntry("routes/dicom-normalize.yaml") != null);
            assertTrue(jf.getEntry("routes/dicom-normalize.xml") != null);
            assertTrue(jf.getEntry("routes/DicomNormalize.java") != null);
        }
    }

    @Test
    void theBundledYamlRunsInTheWorkingDirectory() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Run run = new Run(work, List.of("-Dcamel.main.routes-include-pattern=classpath:routes/dicom-normalize.yaml"),
                Map.of());
        try {
            checkFlow(run, work.resolve("dicom-in"), work.resolve("dicom-out"));
            assertTrue(run.log().contains("Routes from classpath:routes/dicom-normalize.yaml"), run.log());
        } finally {
            run.stop();
        }
    }

    /**
     * With no routes given the runner is the secure gateway: on first start it makes its development PKI and prints
     * the storescu command; that exact command (with a real file) sends an instance over TLS, which arrives
     * de-identified and signed (dcmsign verifies it against the printed CA), with an association summary line, an
     * audit trail and a health endpoint.
     */
    @Test
    void defaultIsTheSecureGatewayAndThePrintedStorescuCommandWorks() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("gateway"));
        int port = freePort();
        int mgmt = freePort();
        Run run = new Run(work, List.of(), Map.of("GATEWAY_PORT", Integer.toString(port), "GATEWAY_MANAGEMENTPORT",
                Integer.toString(mgmt)));
        try {
            String command = awaitLine(run, "send it a DICOM file with DCMTK:", 1).trim();
            assertTrue(command.startsWith("storescu +tls "), command);
            assertTrue(Files.isRegularFile(work.resolve("gateway-pki/server.pem")));
            assertTrue(run.log().contains("Routes from classpath:routes/secure-gateway.yaml"), run.log());

            String uid = TestDicom.newUid();
            DicomFile f = TestDicom.image(uid, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            Path file = work.resolve("ct.dcm");
            Files.write(file, TestDicom.encode(f));
            List<String> cmd = new ArrayList<>(Arrays.asList(command.split(" ")));
            cmd.set(cmd.size() - 1, file.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
            pb.environment().put("TCP_NODELAY", "1");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "storescu: " + out + "\nrunner:\n" + run.log());

            Path outDir = work.resolve("gateway-out");
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            List<Path> written = List.of();
            while (written.isEmpty() && System.currentTimeMillis() < deadline) {
                if (Files.isDirectory(outDir)) {
                    try (java.util.stream.Stream<Path> files = Files.list(outDir)) {
                        written = files.filter(x -> x.getFileName().toString().endsWith(".dcm")).toList();
                    }
                }
                Thread.sleep(100);
            }
            assertEquals(1, written.size(), "one file in gateway-out: " + written);
            DicomFile back = new DicomReader().read(written.get(0));
            assertEquals("YES", back.dataset().getString(Tag.PatientIdentityRemoved));
            assertFalse(uid.equals(back.dataset().getString(Tag.SOPInstanceUID)), "a new SOP Instance UID");
            assertFalse(TestDicom.PATIENT_NAME.equals(back.dataset().getString(Tag.PatientName)));
            assertTrue(back.dataset().contains(0xFFFAFFFA), "Digital Signatures Sequence");
            Process v = new ProcessBuilder("dcmsign", "--verify", "+cf", work.resolve("gateway-pki/ca.pem").toString(),
                    written.get(0).toString()).redirectErrorStream(true).start();
            String vout = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(v.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, v.exitValue(), "dcmsign --verify: " + vout);

            String summary = awaitLine(run, "association STORESCU -> GATEWAY from 127.0.0.1", 0);
            assertTrue(summary.contains("over TLSv1."), summary);
            assertTrue(summary.contains("1 instance (0 failed)"), summary);
            assertTrue(summary.endsWith("released"), summary);
            Path audit = work.resolve("gateway-audit/audit.log");
            deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (!(Files.exists(audit) && Files.readString(audit).contains("csd-code=\"110104\""))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(audit).contains("csd-code=\"110104\""), "DICOM Instances Transferred");
            java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + mgmt
                            + "/observe/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("UP"), health.body());
            assertFalse(run.log().contains(TestDicom.PATIENT_NAME), "patient name in the log:\n" + run.log());
        } finally {
            run.stop();
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The line {@code offset} lines after the first line containing {@code marker}, waiting for it. */
    private static String awaitLine(Run run, String marker, int offset) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            List<String> lines = run.log().lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(marker) && i + offset < lines.size()) {
                    String l = lines.get(i + offset);
                    return offset == 0 ? l.substring(l.indexOf(marker)) : l;
                }
            }
            if (!run.process.isAlive()) {
                throw new AssertionError("runner exited with " + run.process.exitValue() + ":\n" + run.log());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + marker + "' in the log:\n" + run.log());
    }

    @Test
    void systemPropertyChoosesTheXmlRoutes() throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Run run = new Run(tmp, List.of("-Dcamel.main.routes-include-pattern=classpath:routes/dicom-normalize.xml",
                "-Ddicom.in=" + in, "-Ddicom.out=" + out), Map.of());
        try {
            checkFlow(run, in, out);
            assertTrue(run.log().contains("Routes from classpath:routes/dicom-normalize.xml"), run.log());
        } finally {
            run.stop();
        }
    }

    @Test
    void environmentChoosesJavaRoutesFromAFile() throws Exception {
        Path routes = Files.createDirectories(tmp.resolve("my-routes"));
        try (InputStream src = RunnerMain.class.getResourceAsStream("/routes/DicomNormalize.java")) {
            Files.copy(src, routes.resolve("DicomNormalize.java"));
        }
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Run run = new Run(tmp, List.of("-Ddicom.in=" + in, "-Ddicom.out=" + out),
                Map.of("CAMEL_MAIN_ROUTESINCLUDEPATTERN", "file:" + routes.resolve("DicomNormalize.java")));
        try {
            checkFlow(run, in, out);
            assertTrue(run.log().contains("Routes from file:" + routes.resolve("DicomNormalize.java")), run.log());
        } finally {
            run.stop();
        }
    }

    /** One good file arrives re-encoded under its UID; a corrupt one lands in .error; no patient data is logged. */
    private static void checkFlow(Run run, Path in, Path out) throws Exception {
        String uid = TestDicom.newUid();
        DicomFile f = TestDicom.image(uid, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] encoded = TestDicom.encode(f);
        TestDicom.drop(in, "incoming.dcm", encoded);
        TestDicom.drop(in, "corrupt.dcm", Arrays.copyOf(encoded, 200));

        Path written = out.resolve(uid + ".dcm");
        Path rejected = in.resolve(".error").resolve("corrupt.dcm");
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!(Files.exists(written) && Files.exists(rejected) && run.log().contains("rejected corrupt.dcm"))) {
            if (!run.process.isAlive()) {
                throw new AssertionError("runner exited with " + run.process.exitValue() + ":\n" + run.log());
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out; log:\n" + run.log());
            }
            Thread.sleep(100);
        }
        assertArrayEquals(encoded, Files.readAllBytes(written));
        try (java.util.stream.Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(written.getFileName().toString()),
                    files.map(p -> p.getFileName().toString()).toList(), "the output folder holds the one file only");
        }
        DicomFile back = new DicomReader().read(written);
        TestDicom.assertSameDataset(f.dataset(), back.dataset());
        assertEquals(uid, back.dataset().getString(Tag.SOPInstanceUID));

        String log = run.log();
        assertTrue(log.contains("normalized SOP Class " + f.dataset().getString(Tag.SOPClassUID) + " SOP Instance "
                + uid + " transfer syntax " + TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid() + " elements "
                + f.dataset().size()), log);
        String rejectLine = log.lines().filter(l -> l.contains("rejected corrupt.dcm")).findFirst().orElseThrow();
        assertTrue(rejectLine.contains("at offset"), "the parse problem is named: " + rejectLine);
        assertFalse(log.contains(TestDicom.PATIENT_NAME), "patient name in the log:\n" + log);
        assertFalse(log.contains("Confidential"), "patient name in the log:\n" + log);
    }

    /** The runner in a child JVM; its stdout and stderr go to a file. */
    private final class Run {
        final Process process;
        final Path logFile;

        Run(Path workDir, List<String> jvmArgs, Map<String, String> env) throws IOException {
            logFile = tmp.resolve("runner-" + System.nanoTime() + ".log");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmArgs);
            cmd.add("-jar");
            cmd.add(jar.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("CAMEL_"));
            pb.environment().putAll(env);
            process = pb.start();
        }

        String log() throws IOException {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        }

        void stop() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
