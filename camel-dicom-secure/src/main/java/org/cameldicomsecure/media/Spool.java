package org.cameldicomsecure.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cameldicomsecure.dicom.io.TempFiles;

/**
 * The bytes of one stream, in memory up to a threshold, else in a temporary file registered with {@link TempFiles}.
 * On failure while reading, the temporary file is deleted before the exception leaves.
 */
final class Spool {

    /** Sees every chunk read; throws to stop reading (a limit). */
    interface Meter {
        void add(long n) throws MediaException;
    }

    private static final int CHUNK = 64 * 1024;

    final byte[] bytes;
    final Path path;
    final Runnable deleter;
    final long length;

    private Spool(byte[] bytes, Path path, Runnable deleter, long length) {
        this.bytes = bytes;
        this.path = path;
        this.deleter = deleter;
        this.length = length;
    }

    static Spool of(byte[] bytes) {
        return new Spool(bytes, null, null, bytes.length);
    }

    static Spool read(InputStream in, long memoryThreshold, Path tempDirectory, Meter meter) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        byte[] cur = new byte[(int) Math.min(CHUNK, Math.max(memoryThreshold, 1) + 1)];
        int pos = 0;
        long total = 0;
        Path file = null;
        Runnable deleter = null;
        OutputStream out = null;
        try {
            while (true) {
                if (pos == cur.length) {
                    if (out != null) {
                        out.write(cur, 0, pos);
                    } else {
                        chunks.add(cur);
                        cur = new byte[CHUNK];
                    }
                    pos = 0;
                }
                int n = in.read(cur, pos, cur.length - pos);
                if (n < 0) {
                    break;
                }
                pos += n;
                total += n;
                meter.add(n);
                if (out == null && total > memoryThreshold) {
                    file = tempDirectory == null ? Files.createTempFile("dicom-media-", ".dcm")
                            : Files.createTempFile(tempDirectory, "dicom-media-", ".dcm");
                    deleter = TempFiles.register(file);
                    out = Files.newOutputStream(file);
                    for (byte[] c : chunks) {
                        out.write(c);
                    }
                    chunks.clear();
                    out.write(cur, 0, pos);
                    pos = 0;
                }
            }
            if (out != null) {
                out.write(cur, 0, pos);
                out.close();
                out = null;
                return new Spool(null, file, deleter, total);
            }
        } catch (IOException | RuntimeException | Error e) {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // deleted below
                }
            }
            if (deleter != null) {
                deleter.run();
            }
            throw e;
        }
        byte[] all = new byte[(int) total];
        int off = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, all, off, c.length);
            off += c.length;
        }
        System.arraycopy(cur, 0, all, off, pos);
        return new Spool(all, null, null, total);
    }

    boolean inMemory() {
        return path == null;
    }

    InputStream openStream() throws IOException {
        return path == null ? new ByteArrayInputStream(bytes) : Files.newInputStream(path);
    }

    /** Deletes the temporary file, if any. */
    void discard() {
        if (deleter != null) {
            deleter.run();
        }
    }
}
