package org.cameldicomsecure.dicom.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.cameldicomsecure.dicom.ByteRegion;
import org.cameldicomsecure.dicom.FileRegion;

/**
 * The byte source under {@link DicomReader}: a window over a byte array, a file, or a stream, that knows its absolute
 * position. Large values become {@link ByteRegion}s (array), {@link FileRegion}s of the file (file), or regions of a
 * spill file (stream), so that they never have to fit in the heap.
 */
final class DicomInput implements AutoCloseable {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final byte[] array;      // non-null when reading from a byte array
    private final FileChannel file;  // non-null when reading from a file
    private final Path path;
    private final InputStream stream; // non-null when reading from a stream
    private final DicomReaderOptions options;
    private Object regionOwner;
    private SpillFile spill;

    private byte[] buf;
    private int pos;
    private int lim;
    private long bufStart;
    private final long length; // total length when known, else -1

    private DicomInput(byte[] array, FileChannel file, Path path, InputStream stream, DicomReaderOptions options,
            long length) {
        this.array = array;
        this.file = file;
        this.path = path;
        this.stream = stream;
        this.options = options;
        this.length = length;
        if (array != null) {
            this.buf = array;
            this.lim = array.length;
        } else {
            this.buf = new byte[BUFFER_SIZE];
        }
    }

    static DicomInput of(byte[] b, DicomReaderOptions options) {
        return new DicomInput(b, null, null, null, options, b.length);
    }

    static DicomInput of(Path p, DicomReaderOptions options) throws IOException {
        return of(p, options, null);
    }

    static DicomInput of(Path p, DicomReaderOptions options, Object regionOwner) throws IOException {
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
        DicomInput in = new DicomInput(null, ch, p, null, options, ch.size());
        in.regionOwner = regionOwner;
        return in;
    }

    static DicomInput of(InputStream in, DicomReaderOptions options) {
        return new DicomInput(null, null, null, in, options, -1);
    }

    /** A stream source over {@code in} that continues this input's spill file (used after the deflated switch). */
    DicomInput continueWith(InputStream in) {
        DicomInput next = new DicomInput(null, null, null, in, options, -1);
        next.spill = spill;
        return next;
    }

    /** Bytes left to read in the buffer and the source, which has not been read to its end yet. */
    InputStream remainingAsStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (!ensure(1)) {
                    return -1;
                }
                return buf[pos++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (pos == lim && !fill()) {
                    return -1;
                }
                int n = Math.min(len, lim - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    long position() {
        return bufStart + pos;
    }

    /** Bytes left to the end of the source, or -1 when unknown (stream). */
    long remaining() {
        return length < 0 ? -1 : length - position();
    }

    /** True when the source has no more bytes. */
    boolean atEnd() throws IOException {
        return !ensure(1);
    }

    /** Makes {@code n} (at most the buffer size) bytes available; false if the source ends first. */
    boolean ensure(int n) throws IOException {
        while (lim - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Reads more bytes into the buffer, keeping the unread ones. */
    private boolean fill() throws IOException {
        if (array != null) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            bufStart += pos;
            lim -= pos;
            pos = 0;
        }
        int n;
        if (file != null) {
            n = file.read(ByteBuffer.wrap(buf, lim, buf.length - lim), bufStart + lim);
        } else {
            n = stream.read(buf, lim, buf.length - lim);
        }
        if (n <= 0) {
            return false;
        }
        lim += n;
        return true;
    }

    int available() {
        return lim - pos;
    }

    byte[] buffer() {
        return buf;
    }

    /** Buffer index of the next byte; call {@link #ensure} first. */
    int bufferPos() {
        return pos;
    }

    void advance(int n) {
        pos += n;
    }

    byte[] readBytes(int n) throws IOException {
        byte[] out = new byte[n];
        int done = 0;
        if (file != null && n - (lim - pos) >= BUFFER_SIZE) {
            // a large value from a file: what is buffered, then the rest straight into the value's array
            done = lim - pos;
            System.arraycopy(buf, pos, out, 0, done);
            long at = bufStart + lim;
            ByteBuffer dst = ByteBuffer.wrap(out, done, n - done);
            while (dst.hasRemaining()) {
                int k = file.read(dst, at + dst.position() - done);
                if (k < 0) {
                    throw new java.io.EOFException();
                }
            }
            bufStart = at + (n - done);
            pos = 0;
            lim = 0;
            return out;
        }
        while (done < n) {
            if (pos == lim && !fill()) {
                throw new java.io.EOFException();
            }
            int k = Math.min(n - done, lim - pos);
            System.arraycopy(buf, pos, out, done, k);
            pos += k;
            done += k;
        }
        return out;
    }

    /**
     * Reads a value of {@code len} bytes: into a new array if it is at most the bulk-data threshold, otherwise as a
     * region of the array, the file, or a spill file.
     *
     * @throws java.io.EOFException if the source ends before {@code len} bytes
     */
    Object readValue(long len) throws IOException {
        if (len <= options.bulkDataThreshold()) {
            return readBytes((int) len);
        }
        long start = position();
        if (array != null) {
            pos += (int) len;
            return new ByteRegion(array, (int) start, (int) len);
        }
        if (file != null) {
            skip(len);
            return new FileRegion(path, start, len, regionOwner);
        }
        if (spill == null) {
            spill = SpillFile.create(options.spillDirectory());
        }
        return spill.append(this, len);
    }

    /** Skips {@code n} bytes of a file or array source; streams are read through. */
    void skip(long n) throws IOException {
        long inBuf = lim - pos;
        if (n <= inBuf) {
            pos += (int) n;
            return;
        }
        if (file != null) {
            long target = position() + n;
            if (target > length) {
                throw new java.io.EOFException();
            }
            bufStart = target;
            pos = 0;
            lim = 0;
            return;
        }
        long left = n;
        while (left > 0) {
            if (pos == lim && !fill()) {
                throw new java.io.EOFException();
            }
            int k = (int) Math.min(left, lim - pos);
            pos += k;
            left -= k;
        }
    }

    /** Copies the next {@code len} bytes to {@code out} through the buffer. */
    void copyTo(java.io.OutputStream out, long len) throws IOException {
        long left = len;
        while (left > 0) {
            if (pos == lim && !fill()) {
                throw new java.io.EOFException();
            }
            int k = (int) Math.min(left, lim - pos);
            out.write(buf, pos, k);
            pos += k;
            left -= k;
        }
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
