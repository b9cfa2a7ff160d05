package org.cameldicomsecure.web.multipart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzz test of {@link MultipartRelatedReader}: for any body (with the boundary "b") the reader either
 * returns parts and ends, or throws {@link MultipartFormatException}; no other exception, no hang. Each part's body,
 * read twice in different chunk sizes (one read at a time, and through {@code readAllBytes}), is the same bytes.
 *
 * <p>A plain {@code mvn test} replays the seeds in
 * {@code src/test/resources/org/cameldicomsecure/web/multipart/MultipartRelatedReaderFuzzTestInputs/read/}; fuzzing
 * runs with {@code JAZZER_FUZZ=1} (see {@code docs/FUZZING.md}).
 */
class MultipartRelatedReaderFuzzTest {

    @org.junit.jupiter.api.Tag("fuzz-multipart")
    @Timeout(10)
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) throws IOException {
        byte[][] a = parts(new ByteArrayInputStream(input), false);
        byte[][] b = parts(new ByteArrayInputStream(input), true);
        if ((a == null) != (b == null)) {
            throw new AssertionError("outcome depends on the read size");
        }
        if (a != null && !Arrays.deepEquals(a, b)) {
            throw new AssertionError("part bytes depend on the read size");
        }
    }

    /** The parts' bytes, or null if the body is malformed. */
    private static byte[][] parts(InputStream in, boolean bytewise) throws IOException {
        try {
            MultipartRelatedReader r = MultipartRelatedReader.open(in, "multipart/related; boundary=b");
            java.util.List<byte[]> out = new java.util.ArrayList<>();
            for (MultipartRelatedReader.Part p; (p = r.next()) != null; ) {
                p.mediaType();
                p.header("Content-Location");
                if (bytewise) {
                    java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
                    for (int c; (c = p.body().read()) >= 0; ) {
                        bos.write(c);
                    }
                    out.add(bos.toByteArray());
                } else {
                    out.add(p.body().readAllBytes());
                }
                if (out.size() > 10_000) {
                    throw new AssertionError("more parts than bytes");
                }
            }
            return out.toArray(byte[][]::new);
        } catch (MultipartFormatException e) {
            return null;
        }
    }
}
