package org.cameldicomsecure.audit.trail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes audit records to a local file, one message per line (UTF-8, the payload followed by LF), appended, and
 * fsync'd once per batch: {@link #confirmed()} is the last sequence written before the fsync.
 *
 * <p>A payload holding a CR or LF (the XML writer never produces one) would split into two lines: that record is
 * refused with {@link RecordRejectedException} instead (the trail raises an alarm and goes on), and nothing of it is
 * written.
 *
 * <p>Rotation by size: before a line would take the file past {@code maxFileBytes} (0: never rotate), the file is
 * renamed {@code <file>.1}, an older {@code <file>.1} to {@code <file>.2}, and so on; {@code maxFiles} rotated files are
 * kept ({@code <file>.1} to {@code <file>.<maxFiles>}, the oldest deleted), 0 keeps them all. A line longer than
 * {@code maxFileBytes} gets a file of its own. Parent directories are created.
 *
 * <p>After a crash the file may end with part of a line that was never confirmed: it is cut off on open (the trail
 * sends that record again).
 */
public final class FileSink implements AuditSink {

    /** The default rotation size: 100 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 100L * 1024 * 1024;
    /** The default number of rotated files kept. */
    public static final int DEFAULT_MAX_FILES = 10;

    private final String name;
    private final Path file;
    private final long maxFileBytes;
    private final int maxFiles;
    private FileChannel channel;
    private long size;
    private long confirmed;
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    /** A sink named "file" on {@code file}, rotated at 100 MiB, keeping 10 rotated files. */
    public FileSink(Path file) throws IOException {
        this("file", file, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES);
    }

    /**
     * @param name         the sink's name ([a-z0-9-]+, unique in a trail; names its cursor file)
     * @param file         the file to append to
     * @param maxFileBytes rotate before the file grows past this; 0: never
     * @param maxFiles     rotated files kept; 0: all
     */
    public FileSink(String name, Path file, long maxFileBytes, int maxFiles) throws IOException {
        if (maxFileBytes < 0 || maxFiles < 0) {
            throw new IllegalArgumentException("maxFileBytes and maxFiles must not be negative, not " + maxFileBytes
                    + " and " + maxFiles);
        }
        this.name = name;
        this.file = file.toAbsolutePath();
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
        Path parent = this.file.getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            openFile();
            cutPartialLine();
        } catch (IOException e) {
            if (channel != null) {
                channel.close();
            }
            throw new IOException("cannot open the audit file " + this.file + ": " + e, e);
        }
    }

    private void openFile() throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        size = channel.size();
        channel.position(size);
    }

    /** Cuts off an unterminated last line (a write cut short by a crash; never confirmed). */
    private void cutPartialLine() throws IOException {
        long end = size;
        ByteBuffer b = ByteBuffer.allocate(8192);
        while (end > 0) {
            long start = Math.max(0, end - b.capacity());
            b.clear().limit((int) (end - start));
            while (b.hasRemaining()) {
                if (channel.read(b, start + b.position()) < 0) {
                    throw new IOException("unexpected end of file");
                }
            }
            for (int i = (int) (end - start) - 1; i >= 0; i--) {
                if (b.get(i) == '\n') {
                    long keep = start + i + 1;
                    if (keep < size) {
                        truncate(keep);
                    }
                    return;
                }
            }
            end = start;
        }
        if (size > 0) {
            truncate(0);
        }
    }

    private void truncate(long keep) throws IOException {
        channel.truncate(keep);
        channel.force(true);
        size = keep;
        channel.position(size);
    }

    @Override
    public String name() {
        return name;
    }

    /** The file written to. */
    public Path file() {
        return file;
    }

    @Override
    public void send(List<SpooledRecord> batch) throws IOException {
        if (channel == null) {
            throw new IOException("the audit file sink " + file + " is closed");
        }
        long lastWritten = -1;
        RecordRejectedException refused = null;
        buffer.clear();
        for (SpooledRecord r : batch) {
            byte[] p = r.record().payload();
            if (hasLineBreak(p)) {
                refused = new RecordRejectedException(r.sequence(), "audit record " + r.sequence() + " (id "
                        + r.record().id() + ") holds a CR or LF: one message per line in " + file
                        + ", it is not written");
                break;
            }
            long line = p.length + 1L;
            if (maxFileBytes > 0 && size + buffer.position() > 0 && size + buffer.position() + line > maxFileBytes) {
                writeBuffer();
                rotate();
            }
            if (buffer.remaining() < line) {
                writeBuffer();
                if (buffer.capacity() < line) {
                    buffer = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, line));
                }
            }
            buffer.put(p).put((byte) '\n');
            lastWritten = r.sequence();
        }
        writeBuffer();
        if (lastWritten >= 0) {
            channel.force(false);
            confirmed = Math.max(confirmed, lastWritten);
        }
        if (refused != null) {
            throw refused;
        }
    }

    private static boolean hasLineBreak(byte[] p) {
        for (byte b : p) {
            if (b == '\n' || b == '\r') {
                return true;
            }
        }
        return false;
    }

    private void writeBuffer() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            size += channel.write(buffer);
        }
        buffer.clear();
    }

    private void rotate() throws IOException {
        channel.force(false);
        channel.close();
        channel = null;
        if (maxFiles > 0) {
            Files.deleteIfExists(rotated(maxFiles));
        }
        int highest = maxFiles > 0 ? maxFiles - 1 : highestRotated();
        for (int i = highest; i >= 1; i--) {
            Path from = rotated(i);
            if (Files.exists(from)) {
                Files.move(from, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not every platform syncs directories
        }
        openFile();
    }

    private int highestRotated() {
        int i = 0;
        while (Files.exists(rotated(i + 1))) {
            i++;
        }
        return i;
    }

    private Path rotated(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    @Override
    public long confirmed() {
        return confirmed;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            try {
                channel.force(false);
            } finally {
                channel.close();
                channel = null;
            }
        }
    }
}
