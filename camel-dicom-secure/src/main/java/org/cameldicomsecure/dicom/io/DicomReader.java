package org.cameldicomsecure.dicom.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.dict.Dictionary;
import org.cameldicomsecure.dicom.dict.DictionaryEntry;

/**
 * Decodes PS3.10 files and bare data sets (PS3.5 §7) in every native transfer syntax, and any encapsulated one with
 * its pixel data kept as fragments.
 *
 * <p>Decoding is strict: truncated input, lengths past the end of the input or of the enclosing item, odd lengths,
 * undefined length on a VR that cannot have it, a missing delimiter, an unknown VR, a duplicate element or nesting
 * deeper than {@link DicomReaderOptions#maxNestingDepth()} raise a {@link DicomParseException} that names the byte
 * offset and the tag. Nothing is returned from input that failed. Values longer than
 * {@link DicomReaderOptions#bulkDataThreshold()} are never loaded into the heap.
 *
 * <p>A reader holds no state between calls and may be shared between threads.
 */
public final class DicomReader {

    static final int ITEM = 0xFFFEE000;
    static final int ITEM_DELIMITATION = 0xFFFEE00D;
    static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;
    static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;

    private static final int PIXEL_REPRESENTATION = 0x00280103;
    private static final int TRANSFER_SYNTAX_UID = 0x00020010;

    private final DicomReaderOptions options;
    private final Dictionary dictionary = Dictionary.standard();

    public DicomReader() {
        this(DicomReaderOptions.DEFAULT);
    }

    public DicomReader(DicomReaderOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public DicomReaderOptions options() {
        return options;
    }

    /** Reads a PS3.10 file (or a bare data set). Large values stay regions of {@code file}, which must not change. */
    public DicomFile read(Path file) throws IOException {
        try (DicomInput in = DicomInput.of(file, options)) {
            return read(in);
        }
    }

    /** Reads a PS3.10 file (or a bare data set) held in memory. Large values are slices of {@code bytes}. */
    public DicomFile read(byte[] bytes) throws IOException {
        return read(DicomInput.of(bytes, options));
    }

    /** Reads a PS3.10 file (or a bare data set) from a stream, to its end. Large values are spilled to disk. */
    public DicomFile read(InputStream in) throws IOException {
        return read(DicomInput.of(in, options));
    }

    /** Reads a bare data set encoded in {@code ts} from a stream, to its end (a DIMSE data set, for example). */
    public Dataset readDataset(InputStream in, TransferSyntax ts) throws IOException {
        return readBody(DicomInput.of(in, options), ts);
    }

    /** Reads a bare data set encoded in {@code ts} from a file; large values stay regions of the file. */
    public Dataset readDataset(Path file, TransferSyntax ts) throws IOException {
        return readDataset(file, ts, null);
    }

    /**
     * Like {@link #readDataset(Path, TransferSyntax)}, and every region of the file keeps {@code owner} reachable (a
     * temporary file deleted when its owner is collected stays while the data set uses it).
     */
    public Dataset readDataset(Path file, TransferSyntax ts, Object owner) throws IOException {
        try (DicomInput in = DicomInput.of(file, options, owner)) {
            return readBody(in, ts);
        }
    }

    /** Reads a bare data set encoded in {@code ts} from memory. */
    public Dataset readDataset(byte[] bytes, TransferSyntax ts) throws IOException {
        return readBody(DicomInput.of(bytes, options), ts);
    }

    private DicomFile read(DicomInput in) throws IOException {
        byte[] preamble = null;
        Dataset meta = null;
        if (in.ensure(DicomFile.PREAMBLE_LENGTH + 4) && hasDicmPrefix(in)) {
            preamble = in.readBytes(DicomFile.PREAMBLE_LENGTH);
            in.skip(4);
            meta = readFileMeta(in);
        } else if (!in.ensure(8)) {
            throw new DicomParseException(0, DicomParseException.NO_TAG,
                    "not DICOM: " + in.available() + " bytes, no preamble and no complete element");
        } else if (ByteOrderUtil.uint16(in.buffer(), in.bufferPos(), false) == 0x0002) {
            // File Meta Information without preamble: not PS3.10, but found in the wild
            preamble = new byte[DicomFile.PREAMBLE_LENGTH];
            meta = readFileMeta(in);
        }
        TransferSyntax ts = meta != null ? transferSyntaxOf(meta, in) : guessBareTransferSyntax(in);
        Dataset ds = readBody(in, ts);
        return new DicomFile(preamble, meta, ds, ts);
    }

    private static boolean hasDicmPrefix(DicomInput in) {
        byte[] b = in.buffer();
        int p = in.bufferPos() + DicomFile.PREAMBLE_LENGTH;
        return b[p] == 'D' && b[p + 1] == 'I' && b[p + 2] == 'C' && b[p + 3] == 'M';
    }

    private Dataset readFileMeta(DicomInput in) throws IOException {
        Dataset meta = new Dataset(false);
        while (in.ensure(2) && ByteOrderUtil.uint16(in.buffer(), in.bufferPos(), false) == 0x0002) {
            if (!in.ensure(8)) {
                throw new DicomParseException(in.position(), DicomParseException.NO_TAG,
                        "data ends inside a File Meta Information element header");
            }
            readElement(in, meta, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, -1, 0);
        }
        return meta;
    }

    private static TransferSyntax transferSyntaxOf(Dataset meta, DicomInput in) throws DicomParseException {
        String[] uids = meta.getStrings(TRANSFER_SYNTAX_UID);
        if (uids.length > 1) {
            throw new DicomParseException(in.position(), TRANSFER_SYNTAX_UID,
                    "Transfer Syntax UID has " + uids.length + " values, must have 1");
        }
        String uid = uids.length == 1 ? uids[0] : null;
        if (uid == null) {
            throw new DicomParseException(in.position(), TRANSFER_SYNTAX_UID,
                    "File Meta Information has no Transfer Syntax UID");
        }
        try {
            return TransferSyntax.of(uid);
        } catch (IllegalArgumentException e) {
            throw new DicomParseException(in.position(), TRANSFER_SYNTAX_UID, e.getMessage());
        }
    }

    /** A bare data set is Explicit VR Little Endian if bytes 4-5 form a VR code, otherwise Implicit VR Little Endian. */
    private static TransferSyntax guessBareTransferSyntax(DicomInput in) {
        byte[] b = in.buffer();
        int p = in.bufferPos();
        VR vr = VR.ofCode(((b[p + 4] & 0xff) << 8) | (b[p + 5] & 0xff));
        return vr != null ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }

    private Dataset readBody(DicomInput in, TransferSyntax ts) throws IOException {
        Dataset ds = new Dataset(ts.bigEndian());
        if (!ts.deflated()) {
            readElements(in, ds, ts, -1, false, 0, DicomParseException.NO_TAG);
            return ds;
        }
        Inflater inflater = new Inflater(true);
        try {
            DicomInput inflated = in.continueWith(
                    new InflaterInputStream(in.remainingAsStream(), inflater, 64 * 1024));
            readElements(inflated, ds, ts, -1, false, 0, DicomParseException.NO_TAG);
            return ds;
        } catch (ZipException | EOFException e) {
            throw new DicomParseException(in.position(), DicomParseException.NO_TAG,
                    "deflated data set is truncated or corrupt (" + e.getMessage() + ")", e);
        } finally {
            inflater.end();
        }
    }

    /**
     * Reads elements into {@code ds} until {@code end} (a defined-length item), an Item Delimitation Item
     * ({@code untilDelimiter}), or the end of the input (top level, {@code end < 0}).
     */
    private void readElements(DicomInput in, Dataset ds, TransferSyntax ts, long end, boolean untilDelimiter,
            int depth, int sequenceTag) throws IOException {
        while (true) {
            long off = in.position();
            if (end >= 0) {
                if (off == end) {
                    return;
                }
                if (off > end) {
                    throw new DicomParseException(off, sequenceTag,
                            "elements run " + (off - end) + " bytes past the end of their item at offset " + end);
                }
            }
            if (!in.ensure(8)) {
                if (end < 0 && !untilDelimiter && in.available() == 0) {
                    return;
                }
                throw new DicomParseException(off, sequenceTag, untilDelimiter
                        ? "data ends inside an undefined-length item, before its Item Delimitation Item"
                        : "data ends inside an element header (" + in.available() + " bytes left)");
            }
            if (depth == 0 && ByteOrderUtil.uint16(in.buffer(), in.bufferPos(), ds.bigEndian()) == 0x0002) {
                // PS3.10 §7.1: group 0002 is the File Meta Information and never part of the data set
                throw new DicomParseException(off, (ByteOrderUtil.uint16(in.buffer(), in.bufferPos(), ds.bigEndian()) << 16)
                        | ByteOrderUtil.uint16(in.buffer(), in.bufferPos() + 2, ds.bigEndian()),
                        "File Meta Information element (group 0002) inside the data set");
            }
            if (readElement(in, ds, ts, end, depth)) {
                if (!untilDelimiter) {
                    throw new DicomParseException(off, ITEM_DELIMITATION,
                            "Item Delimitation Item outside an undefined-length item");
                }
                return;
            }
        }
    }

    /** Reads one element (8 header bytes are available); returns true if it was an Item Delimitation Item. */
    private boolean readElement(DicomInput in, Dataset ds, TransferSyntax ts, long end, int depth)
            throws IOException {
        long off = in.position();
        boolean be = ds.bigEndian();
        byte[] b = in.buffer();
        int p = in.bufferPos();
        int tag = (ByteOrderUtil.uint16(b, p, be) << 16) | ByteOrderUtil.uint16(b, p + 2, be);
        if (tag == ITEM_DELIMITATION) {
            long len = ByteOrderUtil.int32(b, p + 4, be) & 0xffffffffL;
            in.advance(8);
            if (len != 0) {
                throw new DicomParseException(off, tag, "Item Delimitation Item has length " + len + ", must be 0");
            }
            return true;
        }
        if (tag == ITEM || tag == SEQUENCE_DELIMITATION) {
            throw new DicomParseException(off, tag, "item tag where a data element was expected");
        }
        VR vr;
        long len;
        if (ts.explicitVr()) {
            int code = ((b[p + 4] & 0xff) << 8) | (b[p + 5] & 0xff);
            vr = VR.ofCode(code);
            if (vr == null) {
                throw new DicomParseException(off, tag, "unknown VR code " + vrCodeText(code));
            }
            if (vr.longLength()) {
                if (!in.ensure(12)) {
                    throw new DicomParseException(off, tag, "data ends inside the element header");
                }
                len = ByteOrderUtil.int32(in.buffer(), in.bufferPos() + 8, be) & 0xffffffffL;
                in.advance(12);
            } else {
                len = ByteOrderUtil.uint16(b, p + 6, be);
                in.advance(8);
            }
        } else {
            vr = implicitVr(tag, ds);
            len = ByteOrderUtil.int32(b, p + 4, be) & 0xffffffffL;
            in.advance(8);
        }
        readValue(in, ds, ts, tag, vr, len, off, end, depth);
        return false;
    }

    private void readValue(DicomInput in, Dataset ds, TransferSyntax ts, int tag, VR vr, long len, long off,
            long end, int depth) throws IOException {
        if (len == UNDEFINED_LENGTH) {
            if (vr == VR.SQ) {
                readSequence(in, ds, ts, tag, -1, depth, false, off);
            } else if (vr == VR.UN) {
                // PS3.5 §6.2.2 Note 2 (CP-246): a sequence of unknown VR, its items in Implicit VR Little Endian
                readSequence(in, ds, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, tag, -1, depth, true, off);
            } else if (vr == VR.OB || vr == VR.OW) {
                readFragments(in, ds, tag, vr, off);
            } else {
                throw new DicomParseException(off, tag, "undefined length is not allowed for VR " + vr);
            }
            return;
        }
        if ((len & 1) != 0) {
            throw new DicomParseException(off, tag, "odd value length " + len + " (PS3.5 §7.1.1 requires even)");
        }
        checkLength(in, tag, len, off, end);
        if (vr == VR.SQ) {
            readSequence(in, ds, ts, tag, len, depth, false, off);
            return;
        }
        Object value;
        try {
            value = in.readValue(len);
        } catch (EOFException e) {
            throw new DicomParseException(off, tag, "value of " + len + " bytes is cut off by the end of the data");
        }
        add(ds, tag, vr, value, off);
        if (tag == PIXEL_REPRESENTATION && !ts.explicitVr() && ds.getInt(PIXEL_REPRESENTATION, 0) == 1) {
            retypeSignedAfterTheFact(ds);
        }
    }

    /**
     * Out-of-order input can bring Pixel Representation (0028,0103) after the "US or SS" elements it decides: retype
     * those already read, so that the result does not depend on the order of the input.
     */
    private void retypeSignedAfterTheFact(Dataset ds) {
        for (int i = 0; i < ds.size(); i++) {
            int t = ds.tagAt(i);
            Object v = ds.valueAt(i);
            if (ds.vrAt(i) == VR.US && (v instanceof byte[] || v instanceof org.cameldicomsecure.dicom.BulkData)) {
                DictionaryEntry e = dictionary.entry(t);
                if (e != null && e.vrs().contains(VR.SS) && e.vrs().contains(VR.US) && !e.vrs().contains(VR.OW)) {
                    if (v instanceof byte[] b) {
                        ds.setBytes(t, VR.SS, b);
                    } else {
                        ds.setBulkData(t, VR.SS, (org.cameldicomsecure.dicom.BulkData) v);
                    }
                }
            }
        }
    }

    private static void checkLength(DicomInput in, int tag, long len, long off, long end)
            throws DicomParseException {
        long pos = in.position();
        if (end >= 0 && pos + len > end) {
            throw new DicomParseException(off, tag, "value length " + len
                    + " runs past the end of the enclosing item at offset " + end);
        }
        long remaining = in.remaining();
        if (remaining >= 0 && len > remaining) {
            throw new DicomParseException(off, tag, "value length " + len + " exceeds the " + remaining
                    + " bytes remaining");
        }
    }

    private void readSequence(DicomInput in, Dataset ds, TransferSyntax ts, int tag, long len, int depth,
            boolean unknownVr, long off) throws IOException {
        if (depth + 1 > options.maxNestingDepth()) {
            throw new DicomParseException(off, tag, "sequences nested deeper than the limit of "
                    + options.maxNestingDepth());
        }
        boolean undefined = len < 0;
        Sequence seq;
        try {
            seq = ds.addSequence(tag, undefined);
        } catch (IllegalArgumentException e) {
            throw new DicomParseException(off, tag, "duplicate element");
        }
        seq.setEncodedAsUnknown(unknownVr);
        boolean itemBigEndian = !unknownVr && ds.bigEndian();
        long seqEnd = undefined ? -1 : in.position() + len;
        while (true) {
            long itemOff = in.position();
            if (!undefined) {
                if (itemOff == seqEnd) {
                    return;
                }
                if (itemOff > seqEnd) {
                    throw new DicomParseException(itemOff, tag, "items run " + (itemOff - seqEnd)
                            + " bytes past the end of the sequence at offset " + seqEnd);
                }
            }
            if (!in.ensure(8)) {
                throw new DicomParseException(itemOff, tag, undefined
                        ? "data ends inside the sequence, before its Sequence Delimitation Item"
                        : "data ends inside the sequence");
            }
            byte[] b = in.buffer();
            int p = in.bufferPos();
            int itemTag = (ByteOrderUtil.uint16(b, p, itemBigEndian) << 16) | ByteOrderUtil.uint16(b, p + 2, itemBigEndian);
            long itemLen = ByteOrderUtil.int32(b, p + 4, itemBigEndian) & 0xffffffffL;
            in.advance(8);
            if (itemTag == SEQUENCE_DELIMITATION) {
                if (!undefined) {
                    throw new DicomParseException(itemOff, tag, "Sequence Delimitation Item in a defined-length sequence");
                }
                if (itemLen != 0) {
                    throw new DicomParseException(itemOff, tag, "Sequence Delimitation Item has length " + itemLen
                            + ", must be 0");
                }
                return;
            }
            if (itemTag != ITEM) {
                throw new DicomParseException(itemOff, tag, "expected an Item (FFFE,E000) in the sequence, found "
                        + Tag.toString(itemTag));
            }
            Dataset item = seq.addItem(itemBigEndian, itemLen == UNDEFINED_LENGTH);
            if (itemLen == UNDEFINED_LENGTH) {
                readElements(in, item, ts, -1, true, depth + 1, tag);
            } else {
                if ((itemLen & 1) != 0) {
                    throw new DicomParseException(itemOff, tag, "odd item length " + itemLen);
                }
                checkLength(in, tag, itemLen, itemOff, seqEnd);
                readElements(in, item, ts, in.position() + itemLen, false, depth + 1, tag);
            }
        }
    }

    /** PS3.5 §A.4: Basic Offset Table item, fragment items, Sequence Delimitation Item. */
    private static void readFragments(DicomInput in, Dataset ds, int tag, VR vr, long off) throws IOException {
        Fragments fragments = new Fragments(vr);
        while (true) {
            long itemOff = in.position();
            if (!in.ensure(8)) {
                throw new DicomParseException(itemOff, tag,
                        "data ends inside encapsulated pixel data, before its Sequence Delimitation Item");
            }
            byte[] b = in.buffer();
            int p = in.bufferPos();
            int itemTag = (ByteOrderUtil.uint16(b, p, false) << 16) | ByteOrderUtil.uint16(b, p + 2, false);
            long itemLen = ByteOrderUtil.int32(b, p + 4, false) & 0xffffffffL;
            in.advance(8);
            if (itemTag == SEQUENCE_DELIMITATION) {
                if (itemLen != 0) {
                    throw new DicomParseException(itemOff, tag, "Sequence Delimitation Item has length " + itemLen
                            + ", must be 0");
                }
                add(ds, tag, vr, fragments, off);
                return;
            }
            if (itemTag != ITEM) {
                throw new DicomParseException(itemOff, tag, "expected a fragment Item (FFFE,E000), found "
                        + Tag.toString(itemTag));
            }
            if (itemLen == UNDEFINED_LENGTH) {
                throw new DicomParseException(itemOff, tag, "fragment with undefined length");
            }
            if ((itemLen & 1) != 0) {
                throw new DicomParseException(itemOff, tag, "odd fragment length " + itemLen);
            }
            checkLength(in, tag, itemLen, itemOff, -1);
            Object value;
            try {
                value = in.readValue(itemLen);
            } catch (EOFException e) {
                throw new DicomParseException(itemOff, tag, "fragment of " + itemLen + " bytes is cut off");
            }
            if (value instanceof byte[] bytes) {
                fragments.add(bytes);
            } else {
                fragments.add((org.cameldicomsecure.dicom.BulkData) value);
            }
        }
    }

    private static void add(Dataset ds, int tag, VR vr, Object value, long off) throws DicomParseException {
        try {
            ds.add(tag, vr, value);
        } catch (IllegalArgumentException e) {
            throw new DicomParseException(off, tag, "duplicate element");
        }
    }

    /**
     * The VR of an element in Implicit VR Little Endian (PS3.5 §A.1), from the dictionary. Where PS3.6 lists two VRs,
     * OB or OW is OW, and US or SS follows Pixel Representation (0028,0103). Unknown elements are UN.
     */
    private VR implicitVr(int tag, Dataset ds) {
        DictionaryEntry e = dictionary.entry(tag);
        if (e == null) {
            return VR.UN;
        }
        List<VR> vrs = e.vrs();
        if (vrs.isEmpty()) {
            return VR.UN;
        }
        if (vrs.size() == 1) {
            return vrs.get(0);
        }
        if (vrs.contains(VR.OW)) {
            return VR.OW;
        }
        if (vrs.contains(VR.SS) && ds.getInt(PIXEL_REPRESENTATION, 0) == 1) {
            return VR.SS;
        }
        return vrs.get(0);
    }

    private static String vrCodeText(int code) {
        char a = (char) (code >> 8);
        char c = (char) (code & 0xff);
        boolean printable = a >= 0x20 && a < 0x7f && c >= 0x20 && c < 0x7f;
        return String.format("0x%04X", code) + (printable ? " ('" + a + c + "')" : "");
    }
}
