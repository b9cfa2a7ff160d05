package org.cameldicomsecure.deid;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.FileRegion;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.TempFiles;

/**
 * The Clean Pixel Data Option (E.3.1) and the Clean Recognizable Visual Features Option (E.3.2) by masking: the stored
 * values of the configured regions are set to 0 in every frame and sample of native (uncompressed) Pixel Data
 * (7FE0,0010). Values in memory are copied and changed; bulk values are streamed, 64 KiB at a time, into a temporary
 * file that is deleted once the returned value is unreachable (the {@link TempFiles} convention of the codec).
 */
final class PixelCleaner {

    private static final Cleaner CLEANER = Cleaner.create();
    private static final int CHUNK = 64 * 1024;

    /** Where the native pixel values of each frame lie (PS3.3 C.7.6.3, PS3.5 §8). */
    record Layout(int rows, int columns, int samples, int bytesPerSample, boolean planar, int frames) {

        long frameBytes() {
            return (long) rows * columns * samples * bytesPerSample;
        }

        long totalBytes() {
            return frameBytes() * frames;
        }
    }

    private PixelCleaner() {
    }

    /** The layout of the top-level image, or an exception naming what is not supported. */
    static Layout layout(Dataset ds) throws DeidentificationException {
        int rows = ds.getInt(Tag.Rows, -1);
        int columns = ds.getInt(Tag.Columns, -1);
        int samples = ds.getInt(Tag.SamplesPerPixel, 1);
        int bits = ds.getInt(Tag.BitsAllocated, -1);
        int planar = ds.getInt(Tag.PlanarConfiguration, 0);
        int frames;
        try {
            frames = ds.contains(Tag.NumberOfFrames) ? ds.getInt(Tag.NumberOfFrames, 1) : 1;
        } catch (NumberFormatException e) {
            throw new DeidentificationException("Number of Frames (0028,0008) is not an integer");
        }
        if (rows < 1 || columns < 1) {
            throw new DeidentificationException("cannot clean pixel data: Rows (0028,0010) or Columns (0028,0011) missing");
        }
        if (bits != 8 && bits != 16 && bits != 32) {
            throw new DeidentificationException("cannot clean pixel data with Bits Allocated (0028,0100) = " + bits
                    + ": only 8, 16 and 32 are supported");
        }
        if (samples < 1 || frames < 1) {
            throw new DeidentificationException("cannot clean pixel data: Samples per Pixel " + samples
                    + ", Number of Frames " + frames);
        }
        String photometric = ds.getString(Tag.PhotometricInterpretation);
        if (photometric != null && photometric.endsWith("_422")) {
            throw new DeidentificationException("cannot clean pixel data with Photometric Interpretation "
                    + photometric + ": subsampled chrominance is not supported");
        }
        return new Layout(rows, columns, samples, bits / 8, planar == 1 && samples > 1, frames);
    }

    /**
     * The regions of every mask that matches the image, or an exception if none does (claiming pixel data clean
     * without having cleaned them would be false).
     */
    static List<PixelMask.Rect> regionsFor(Dataset ds, List<PixelMask> masks, Layout l, String option)
            throws DeidentificationException {
        String modality = ds.getString(Tag.Modality);
        String manufacturer = ds.getString(Tag.Manufacturer);
        List<PixelMask.Rect> out = new ArrayList<>();
        for (PixelMask m : masks) {
            if (m.matches(modality, manufacturer, l.rows(), l.columns())) {
                out.addAll(m.regions());
            }
        }
        if (out.isEmpty()) {
            throw new DeidentificationException(option + ": no pixel mask matches Modality " + modality + ", "
                    + l.rows() + " rows x " + l.columns() + " columns; configure one for this kind of image");
        }
        return out;
    }

    /** A copy of {@code value} (a {@code byte[]} or {@link BulkData}) with the regions set to 0. */
    static Object clean(Object value, Layout l, List<PixelMask.Rect> regions) throws DeidentificationException {
        long length = value instanceof byte[] b ? b.length : ((BulkData) value).length();
        if (length < l.totalBytes()) {
            throw new DeidentificationException("Pixel Data (7FE0,0010) has " + length + " bytes, the image needs "
                    + l.totalBytes());
        }
        long[] intervals = intervals(l, regions);
        if (value instanceof byte[] b) {
            byte[] copy = b.clone();
            for (int i = 0; i < intervals.length; i += 2) {
                Arrays.fill(copy, (int) intervals[i], (int) (intervals[i] + intervals[i + 1]), (byte) 0);
            }
            return copy;
        }
        try {
            return stream((BulkData) value, intervals);
        } catch (IOException e) {
            throw new DeidentificationException("cannot clean Pixel Data (7FE0,0010): " + e.getClass().getSimpleName(),
                    e);
        }
    }

    /**
     * Start and length of every run of bytes to clear, ascending: per frame, (per sample plane if planar,) per row,
     * the union of the regions' columns on that row.
     */
    static long[] intervals(Layout l, List<PixelMask.Rect> regions) {
        int[][] segments = new int[l.rows()][];
        for (int y = 0; y < l.rows(); y++) {
            boolean[] cols = null;
            for (PixelMask.Rect r : regions) {
                if (y >= r.y() && y < (long) r.y() + r.height() && r.x() < l.columns()) {
                    if (cols == null) {
                        cols = new boolean[l.columns()];
                    }
                    Arrays.fill(cols, r.x(), (int) Math.min(l.columns(), (long) r.x() + r.width()), true);
                }
            }
            segments[y] = runs(cols);
        }
        int perPixel = l.planar() ? l.bytesPerSample() : l.bytesPerSample() * l.samples();
        int planes = l.planar() ? l.samples() : 1;
        long rowBytes = (long) l.columns() * perPixel;
        List<long[]> out = new ArrayList<>();
        int count = 0;
        long[] buf = new long[1024];
        for (int f = 0; f < l.frames(); f++) {
            for (int p = 0; p < planes; p++) {
                long planeStart = f * l.frameBytes() + p * (long) l.rows() * rowBytes;
                for (int y = 0; y < l.rows(); y++) {
                    int[] seg = segments[y];
                    for (int i = 0; i < seg.length; i += 2) {
                        if (count == buf.length) {
                            out.add(buf);
                            buf = new long[1024];
                            count = 0;
                        }
                        buf[count++] = planeStart + y * rowBytes + (long) seg[i] * perPixel;
                        buf[count++] = (long) (seg[i + 1] - seg[i]) * perPixel;
                    }
                }
            }
        }
        long[] all = new long[out.size() * 1024 + count];
        int at = 0;
        for (long[] b : out) {
            System.arraycopy(b, 0, all, at, b.length);
            at += b.length;
        }
        System.arraycopy(buf, 0, all, at, count);
        return all;
    }

    private static int[] runs(boolean[] cols) {
        if (cols == null) {
            return new int[0];
        }
        List<Integer> r = new ArrayList<>();
        for (int x = 0; x < cols.length; x++) {
            if (cols[x] && (x == 0 || !cols[x - 1])) {
                r.add(x);
            }
            if (cols[x] && (x == cols.length - 1 || !cols[x + 1])) {
                r.add(x + 1);
            }
        }
        return r.stream().mapToInt(Integer::intValue).toArray();
    }

    private static BulkData stream(BulkData src, long[] intervals) throws IOException {
        Path tmp = Files.createTempFile("deid-pixels-", ".bin");
        Runnable delete = TempFiles.register(tmp);
        boolean ok = false;
        try {
            try (InputStream in = src.openStream();
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), CHUNK)) {
                byte[] buf = new byte[CHUNK];
                byte[] zeros = new byte[CHUNK];
                long pos = 0;
                for (int i = 0; i < intervals.length; i += 2) {
                    copy(in, out, intervals[i] - pos, buf);
                    skip(in, intervals[i + 1], buf);
                    for (long n = intervals[i + 1]; n > 0; n -= CHUNK) {
                        out.write(zeros, 0, (int) Math.min(CHUNK, n));
                    }
                    pos = intervals[i] + intervals[i + 1];
                }
                copy(in, out, src.length() - pos, buf);
            }
            Object owner = new Object();
            CLEANER.register(owner, delete);
            ok = true;
            return new FileRegion(tmp, 0, src.length(), owner);
        } finally {
            if (!ok) {
                delete.run();
            }
        }
    }

    private static void copy(InputStream in, OutputStream out, long n, byte[] buf) throws IOException {
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException("pixel data ended early");
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }

    private static void skip(InputStream in, long n, byte[] buf) throws IOException {
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException("pixel data ended early");
            }
            n -= r;
        }
    }
}
