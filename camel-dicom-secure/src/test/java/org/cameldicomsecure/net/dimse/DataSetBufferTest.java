package org.cameldicomsecure.net.dimse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSetBufferTest {

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 13 + (i >> 9));
        }
        return b;
    }

    /** Fragments of awkward sizes across the 64 KiB chunk boundaries, in memory and spilled. */
    @Test
    void keepsBytesExactlyAcrossChunksAndSpill(@TempDir Path dir) throws Exception {
        for (int threshold : new int[] {Integer.MAX_VALUE, 100_000}) {
            for (int total : new int[] {0, 1, 65535, 65536, 65537, 3 * 65536, 300_001}) {
                byte[] all = data(total);
                DataSetBuffer b = new DataSetBuffer(threshold, dir);
                int pos = 0;
                int step = 1;
                while (pos < total) {
                    int n = Math.min(step, total - pos);
                    b.append(Unpooled.wrappedBuffer(all, pos, n));
                    pos += n;
                    step = step * 3 + 7;
                }
                b.finish();
                assertEquals(total, b.length());
                assertEquals(threshold < total, b.spilled(), "threshold " + threshold + " total " + total);
                assertArrayEquals(all, b.toByteArray());
                try (InputStream in = b.openStream()) {
                    assertArrayEquals(all, in.readAllBytes());
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                b.writeTo(out);
                assertArrayEquals(all, out.toByteArray());
                Path f = b.file();
                b.close();
                if (f != null) {
                    assertFalse(Files.exists(f), "closing deletes the spill file");
                }
            }
        }
        try (var left = Files.list(dir)) {
            assertTrue(left.findAny().isEmpty());
        }
    }
}
