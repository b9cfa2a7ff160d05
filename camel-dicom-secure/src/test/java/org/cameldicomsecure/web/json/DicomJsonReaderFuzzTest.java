package org.cameldicomsecure.web.json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.cameldicomsecure.dicom.Dataset;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzz test of {@link DicomJsonReader} and, for what it accepts, {@link DicomJsonWriter}: malformed
 * input raises {@link DicomJsonException} and nothing else (no hang, no other exception); an accepted document,
 * written and read again, gives the same JSON (the writer's output is a fixed point).
 *
 * <p>A plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/org/cameldicomsecure/web/json/DicomJsonReaderFuzzTestInputs/read/}.
 */
class DicomJsonReaderFuzzTest {

    @org.junit.jupiter.api.Tag("fuzz-json")
    @Timeout(10)
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) throws IOException {
        List<Dataset> all;
        try {
            all = new DicomJsonReader().readAll(new ByteArrayInputStream(input));
        } catch (DicomJsonException e) {
            return;
        }
        String once = write(all);
        List<Dataset> again = new DicomJsonReader().readAll(new ByteArrayInputStream(
                once.getBytes(StandardCharsets.UTF_8)));
        String twice = write(again);
        if (!once.equals(twice)) {
            throw new AssertionError("write(read(write(x))) differs from write(x)");
        }
    }

    private static String write(List<Dataset> all) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomJsonWriter.writeArray(all, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
