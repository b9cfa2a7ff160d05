package org.cameldicomsecure.dicom.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.FileRegion;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;

/**
 * Encodes data sets and PS3.10 files (PS3.5 §7, PS3.10 §7.1).
 *
 * <p>What was read is written back as it was: each element's VR and value bytes, defined or undefined lengths of
 * sequences and items, the preamble. Lengths that depend on content — group lengths (gggg,0000), defined sequence and
 * item lengths — are recomputed, so they are equal for an unmodified data set and right for a modified one. Writing in
 * another transfer syntax converts the byte order of binary values and the VR encoding. Bulk data is copied through
 * without being loaded ({@link FileRegion}s with {@code transferTo} when the target is a file).
 *
 * <p>A writer holds no state between calls and may be shared between threads.
 */
public final class DicomWriter {

    private static final int ITEM = DicomReader.ITEM;
    private static final int ITEM_DELIMITATION = DicomReader.ITEM_DELIMITATION;
    private static final int SEQUENCE_DELIMITATION = DicomReader.SEQUENCE_DELIMITATION;
    private static final int UNDEFINED = -1;
    private static final byte[] DICM = {'D', 'I', 'C', 'M'};

    private final int deflateLevel;

    public DicomWriter() {
        this(Deflater.DEFAULT_COMPRESSION);
    }

    /** @param deflateLevel zlib level for Deflated Explicit VR Little Endian (-1 for zlib's default) */
    private static final int FILE_META_GROUP_LENGTH = 0x00020000;

    public DicomWriter(int deflateLevel) {
        this.deflateLevel = deflateLevel;
    }

    /** Writes {@code file} to a new file at {@code path}, replacing it. Bulk data regions are transferred directly. */
    public void write(DicomFile file, Path path) throws IOException {
        try (ChannelOutputStream out = new ChannelOutputStream(path)) {
            write(file, out);
        }
    }

    /** Encodes {@code file} into a byte array. */
    public byte[] toBytes(DicomFile file) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        write(file, bos);
        return bos.toByteArray();
    }

    /**
     * Writes {@code file}: preamble, "DICM" and File Meta Information if it has them, then the data set in the file's
     * transfer syntax. The File Meta Information Group Length (0002,0000) is recomputed, and added when the meta
     * information lacks it (it is Type 1, PS3.10 Table 7.1-1). The stream is flushed, not closed.
     */
    public void write(DicomFile file, OutputStream out) throws IOException {
        if (file.isPart10()) {
            out.write(file.preamble());
            out.write(DICM);
            Dataset meta = file.fileMeta();
            if (!meta.contains(FILE_META_GROUP_LENGTH)) {
                Dataset withLength = new Dataset();
                withLength.putAll(meta);
                withLength.setBytes(FILE_META_GROUP_LENGTH, VR.UL, new byte[4]);
                meta = withLength;
            }
            writeDataset(meta, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, out);
        }
        writeDataset(file.dataset(), file.transferSyntax(), out);
    }

    /** Writes a bare data set in {@code ts} (deflated if {@code ts} is). The stream is flushed, not closed. */
    public void writeDataset(Dataset ds, TransferSyntax ts, OutputStream out) throws IOException {
        if (ts.deflated()) {
            Deflater deflater = new Deflater(deflateLevel, true);
            try {
                DeflaterOutputStream dos = new DeflaterOutputStream(nonClosing(out), deflater, 64 * 1024);
                encode(ds, ts, dos);
                dos.finish();
                out.flush();
            } finally {
                deflater.end();
            }
            return;
        }
        encode(ds, ts, out);
    }

    private void encode(Dataset ds, TransferSyntax ts, OutputStream out) throws IOException {
        Encoder enc = new Encoder(out);
        enc.elements(ds, ts);
        enc.flush();
    }

    /** Encoded length of {@code ds} in {@code ts}, not counting any File Meta Information. */
    public long encodedLength(Dataset ds, TransferSyntax ts) {
        return new Lengths().dataset(ds, ts);
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Computes encoded lengths once per object, so that nested defined lengths cost linear time. */
    private static final class Lengths {
        private final Map<Object, Long> cache = new IdentityHashMap<>();

        long dataset(Dataset ds, TransferSyntax ts) {
            long n = 0;
            for (int i = 0, size = ds.size(); i < size; i++) {
                n += element(ds.tagAt(i), ds.vrAt(i), ds.valueAt(i), ts);
            }
            return n;
        }

        long element(int tag, VR vr, Object value, TransferSyntax ts) {
            VR written = writtenVr(vr, value, ts);
            long header = !ts.explicitVr() ? 8 : written.longLength() ? 12 : 8;
            return header + value(value, ts);
        }

        /** Bytes after the element header, including a delimitation item where one is written. */
        long value(Object value, TransferSyntax ts) {
            if (value instanceof byte[] b) {
                return b.length;
            }
            if (value instanceof BulkData bd) {
                return bd.length();
            }
            if (value instanceof Sequence s) {
                return sequence(s, ts) + (s.undefinedLength() || writesAsUnknown(s, ts) ? 8 : 0);
            }
            Fragments f = (Fragments) value;
            long n = 8;
            for (int i = 0; i < f.size(); i++) {
                n += 8 + f.length(i);
            }
            return n;
        }

        /** Length of the items of {@code s} (what a defined sequence length holds). */
        long sequence(Sequence s, TransferSyntax ts) {
            Long cached = cache.get(s);
            if (cached != null) {
                return cached;
            }
            TransferSyntax itemTs = writesAsUnknown(s, ts) ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN : ts;
            long n = 0;
            for (Dataset item : s) {
                n += 8 + item(item, itemTs) + (item.undefinedLength() ? 8 : 0);
            }
            cache.put(s, n);
            return n;
        }

        long item(Dataset item, TransferSyntax ts) {
            Long cached = cache.get(item);
            if (cached != null) {
                return cached;
            }
            long n = dataset(item, ts);
            cache.put(item, n);
            return n;
        }

        /** Length of the elements of group {@code group} after index {@code from} in {@code ds}. */
        long group(Dataset ds, int from, int group, TransferSyntax ts) {
            long n = 0;
            for (int i = from; i < ds.size() && Tag.group(ds.tagAt(i)) == group; i++) {
                n += element(ds.tagAt(i), ds.vrAt(i), ds.valueAt(i), ts);
            }
            return n;
        }
    }

    /** A CP-246 sequence keeps its UN encoding in explicit VR transfer syntaxes. */
    private static boolean writesAsUnknown(Sequence s, TransferSyntax ts) {
        return s.encodedAsUnknown() && ts.explicitVr();
    }

    private static VR writtenVr(VR vr, Object value, TransferSyntax ts) {
        if (value instanceof Sequence s && writesAsUnknown(s, ts)) {
            return VR.UN;
        }
        return vr;
    }

    /**
     * Streams elements through its own buffer, so that the many small header writes cost little whatever the target
     * stream is; bulk data goes straight to the target (a file region to a {@link FileRegion.ChannelOutput} by
     * {@code transferTo}).
     */
    private final class Encoder {
        private final OutputStream sink;
        private final Lengths lengths = new Lengths();
        private final byte[] buf = new byte[64 * 1024];
        private final byte[] header = new byte[12];
        private int count;

        Encoder(OutputStream sink) {
            this.sink = sink;
        }

        void flush() throws IOException {
            drain();
            sink.flush();
        }

        private void drain() throws IOException {
            if (count > 0) {
                sink.write(buf, 0, count);
                count = 0;
            }
        }

        private void write(byte[] b, int off, int len) throws IOException {
            if (len > buf.length - count) {
                drain();
                if (len >= buf.length) {
                    sink.write(b, off, len);
                    return;
                }
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        private void writeBulk(BulkData bd) throws IOException {
            drain();
            bd.writeTo(sink);
        }

        void elements(Dataset ds, TransferSyntax ts) throws IOException {
            for (int i = 0, size = ds.size(); i < size; i++) {
                int tag = ds.tagAt(i);
                VR vr = ds.vrAt(i);
                Object value = ds.valueAt(i);
                if (Tag.element(tag) == 0 && vr == VR.UL && value instanceof byte[] b && b.length == 4) {
                    value = groupLength(ds, i, ts);
                }
                element(ds, tag, vr, value, ts);
            }
        }

        private byte[] groupLength(Dataset ds, int index, TransferSyntax ts) {
            long len = lengths.group(ds, index + 1, Tag.group(ds.tagAt(index)), ts);
            byte[] v = new byte[4];
            // in ds's byte order, like every value: element() converts it to the target order
            ByteOrderUtil.putInt32(v, 0, (int) len, ds.bigEndian());
            return v;
        }

        private void element(Dataset ds, int tag, VR vr, Object value, TransferSyntax ts) throws IOException {
            boolean be = ts.bigEndian();
            if (value instanceof Sequence s) {
                boolean asUnknown = writesAsUnknown(s, ts);
                boolean undefined = s.undefinedLength() || asUnknown;
                header(tag, asUnknown ? VR.UN : VR.SQ, undefined ? UNDEFINED : lengths.sequence(s, ts), ts);
                TransferSyntax itemTs = asUnknown ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN : ts;
                for (Dataset item : s) {
                    itemHeader(ITEM, item.undefinedLength() ? UNDEFINED : lengths.item(item, itemTs), itemTs.bigEndian());
                    elements(item, itemTs);
                    if (item.undefinedLength()) {
                        itemHeader(ITEM_DELIMITATION, 0, itemTs.bigEndian());
                    }
                }
                if (undefined) {
                    // a CP-246 sequence's delimiter belongs to its Implicit VR Little Endian value
                    itemHeader(SEQUENCE_DELIMITATION, 0, itemTs.bigEndian());
                }
                return;
            }
            if (value instanceof Fragments f) {
                header(tag, vr, UNDEFINED, ts);
                for (int i = 0; i < f.size(); i++) {
                    itemHeader(ITEM, f.length(i), false);
                    Object frag = f.get(i);
                    if (frag instanceof byte[] b) {
                        write(b, 0, b.length);
                    } else {
                        writeBulk((BulkData) frag);
                    }
                }
                itemHeader(SEQUENCE_DELIMITATION, 0, false);
                return;
            }
            long len = value instanceof byte[] b ? b.length : ((BulkData) value).length();
            if (ts.explicitVr() && !vr.longLength() && len > 0xFFFF) {
                throw new IOException(Tag.toString(tag) + " VR " + vr + " value of " + len
                        + " bytes does not fit the 16-bit length of an explicit VR " + vr + " header");
            }
            header(tag, vr, len, ts);
            boolean swap = ds.bigEndian() != be && vr.kind() == VR.Kind.BINARY && vr.unitSize() > 1;
            if (value instanceof byte[] b) {
                if (swap) {
                    byte[] c = b.clone();
                    ByteOrderUtil.swap(c, 0, c.length, vr.unitSize());
                    write(c, 0, c.length);
                } else {
                    write(b, 0, b.length);
                }
            } else if (swap) {
                writeSwapped((BulkData) value, vr.unitSize());
            } else {
                writeBulk((BulkData) value);
            }
        }

        private void writeSwapped(BulkData bd, int unit) throws IOException {
            drain();
            byte[] swapBuf = new byte[64 * 1024];
            try (InputStream in = bd.openStream()) {
                int n;
                int have = 0;
                while ((n = in.read(swapBuf, have, swapBuf.length - have)) > 0) {
                    have += n;
                    int whole = have - have % unit;
                    ByteOrderUtil.swap(swapBuf, 0, whole, unit);
                    sink.write(swapBuf, 0, whole);
                    System.arraycopy(swapBuf, whole, swapBuf, 0, have - whole);
                    have -= whole;
                }
                sink.write(swapBuf, 0, have);
            }
        }

        private void header(int tag, VR vr, long len, TransferSyntax ts) throws IOException {
            boolean be = ts.bigEndian();
            ByteOrderUtil.putUint16(header, 0, Tag.group(tag), be);
            ByteOrderUtil.putUint16(header, 2, Tag.element(tag), be);
            if (!ts.explicitVr()) {
                ByteOrderUtil.putInt32(header, 4, (int) len, be);
                write(header, 0, 8);
                return;
            }
            int code = vr.code();
            header[4] = (byte) (code >> 8);
            header[5] = (byte) code;
            if (vr.longLength()) {
                header[6] = 0;
                header[7] = 0;
                ByteOrderUtil.putInt32(header, 8, (int) len, be);
                write(header, 0, 12);
            } else {
                ByteOrderUtil.putUint16(header, 6, (int) len, be);
                write(header, 0, 8);
            }
        }

        private void itemHeader(int tag, long len, boolean be) throws IOException {
            ByteOrderUtil.putUint16(header, 0, Tag.group(tag), be);
            ByteOrderUtil.putUint16(header, 2, Tag.element(tag), be);
            ByteOrderUtil.putInt32(header, 4, (int) len, be);
            write(header, 0, 8);
        }
    }
}
