package org.cameldicomsecure.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.Route;
import org.apache.camel.main.Main;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dicom-normalize example in each DSL, run by the runner's Camel Main in this JVM against temporary folders:
 * well-formed files come out re-encoded under their SOP Instance UID, everything else ends up in .error.
 */
class DicomNormalizeRoutesTest {

    private static final long TIMEOUT_MS = 30_000;

    @TempDir
    Path tmp;

    static Stream<Arguments> dsl() {
        return Stream.of(
                Arguments.of("YAML on the class path", "classpath:routes/dicom-normalize.yaml"),
                Arguments.of("YAML from a file", "file:src/main/resources/routes/dicom-normalize.yaml"),
                Arguments.of("XML", "classpath:routes/dicom-normalize.xml"),
                Arguments.of("Java", "classpath:routes/DicomNormalize.java"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dsl")
    void normalizesGoodFilesAndRejectsTheRest(String label, String routesIncludePattern) throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Main main = RunnerMain.newMain();
        if (routesIncludePattern != null) {
            main.configure().withRoutesIncludePattern(routesIncludePattern);
        }
        main.addInitialProperty("dicom.in", in.toString());
        main.addInitialProperty("dicom.out", out.toString());
        main.start();
        try {
            List<Route> routes = main.getCamelContext().getRoutes();
            assertEquals(List.of("dicom-normalize"), routes.stream().map(Route::getRouteId).toList(), label);

            Map<String, DicomFile> good = new LinkedHashMap<>();
            Map<String, byte[]> goodBytes = new LinkedHashMap<>();
            for (TransferSyntax ts : List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                    TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
                    TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)) {
                String uid = TestDicom.newUid();
                DicomFile f = TestDicom.image(uid, ts);
                byte[] encoded = TestDicom.encode(f);
                good.put(uid, f);
                goodBytes.put(uid, encoded);
                // the input names say nothing about the content: the output is named by the SOP Instance UID
                TestDicom.drop(in, "image-" + good.size() + ".dcm", encoded);
            }

            byte[] valid = goodBytes.values().iterator().next();
            TestDicom.drop(in, "truncated.dcm", Arrays.copyOf(valid, valid.length - 10));
            TestDicom.drop(in, "text.dcm", "hello, not DICOM".getBytes(StandardCharsets.US_ASCII));
            TestDicom.drop(in, "empty.dcm", new byte[0]);
            Dataset bare = TestDicom.dataset(TestDicom.newUid(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
            TestDicom.drop(in, "bare.dcm", new DicomWriter().toBytes(
                    new DicomFile(null, null, bare, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)));
            Dataset evil = TestDicom.dataset("../../escaped", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            TestDicom.drop(in, "bad-uid.dcm", TestDicom.encode(
                    TestDicom.part10(evil, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
            Dataset noUid = TestDicom.dataset("1.2", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            noUid.remove(Tag.SOPInstanceUID);
            TestDicom.drop(in, "no-uid.dcm", TestDicom.encode(
                    TestDicom.part10(noUid, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
            Set<String> rejected = Set.of("truncated.dcm", "text.dcm", "empty.dcm", "bare.dcm", "bad-uid.dcm",
                    "no-uid.dcm");

            Set<String> expectedOut = good.keySet().stream().map(u -> u + ".dcm")
                    .collect(Collectors.toCollection(TreeSet::new));
            waitFor(() -> names(out).equals(expectedOut) && names(in.resolve(".error")).equals(rejected)
                    && names(in.resolve(".camel")).size() == good.size() && names(in).isEmpty(),
                    () -> "out=" + names(out) + " .error=" + names(in.resolve(".error")) + " in=" + names(in));

            DicomReader reader = new DicomReader();
            for (Map.Entry<String, DicomFile> e : good.entrySet()) {
                Path written = out.resolve(e.getKey() + ".dcm");
                // our writer's output round-trips bit for bit
                assertArrayEquals(goodBytes.get(e.getKey()), Files.readAllBytes(written), e.getKey());
                DicomFile back = reader.read(written);
                assertTrue(back.isPart10());
                assertEquals(e.getValue().transferSyntax(), back.transferSyntax());
                // the File Meta Information as it was written (its group length computed by the writer)
                TestDicom.assertSameDataset(reader.read(goodBytes.get(e.getKey())).fileMeta(), back.fileMeta());
                TestDicom.assertSameDataset(e.getValue().dataset(), back.dataset());
                TestDicom.assertSameDataset(reader.read(goodBytes.get(e.getKey())).dataset(), back.dataset());
                assertEquals(e.getKey(), back.dataset().getString(Tag.SOPInstanceUID));
            }
            // nothing was written outside the output folder, no temporary file is left behind
            assertFalse(Files.exists(tmp.resolve("escaped.dcm")));
            assertFalse(Files.exists(tmp.getParent().resolve("escaped.dcm")));
            try (Stream<Path> s = Files.list(out)) {
                assertEquals(good.size(), s.count(), "only the good files in " + out);
            }
        } finally {
            main.stop();
        }
    }

    private static Set<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            return Set.of();
        }
    }

    interface Condition {
        boolean holds();
    }

    interface Description {
        String get();
    }

    static void waitFor(Condition c, Description what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!c.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out: " + what.get());
            }
            Thread.sleep(50);
        }
    }
}
