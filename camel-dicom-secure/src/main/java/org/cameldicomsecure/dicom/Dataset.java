package org.cameldicomsecure.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

import org.cameldicomsecure.dicom.charset.SpecificCharacterSet;

/**
 * A DICOM Data Set (PS3.5 §7): data elements in ascending tag order, each with its VR and its value.
 *
 * <p>Values are stored as they were encoded, so that an unmodified data set is written back bit for bit:
 * <ul>
 * <li>{@code byte[]}: the value bytes, in this data set's byte order ({@link #bigEndian()}), including padding;</li>
 * <li>{@link BulkData}: a large value left in its file or buffer;</li>
 * <li>{@link Sequence}: the items of an SQ element;</li>
 * <li>{@link Fragments}: encapsulated pixel data.</li>
 * </ul>
 * Typed access decodes on demand: text with the Specific Character Set in force (this item's or an enclosing data
 * set's (0008,0005)), numbers in the data set's byte order. The class is not thread-safe.
 */
public final class Dataset implements Iterable<DicomElement> {

    private static final int SPECIFIC_CHARACTER_SET = 0x00080005;

    private final Dataset parent;
    private final boolean bigEndian;
    private int[] tags;
    private VR[] vrs;
    private Object[] values;
    private int size;
    private boolean undefinedLength;
    private SpecificCharacterSet charset;

    /** An empty top-level data set whose binary values are little endian. */
    public Dataset() {
        this(null, false);
    }

    /** An empty top-level data set whose binary values are held in the given byte order. */
    public Dataset(boolean bigEndian) {
        this(null, bigEndian);
    }

    Dataset(Dataset parent, boolean bigEndian) {
        this(parent, bigEndian, 16);
    }

    Dataset(Dataset parent, boolean bigEndian, int capacity) {
        this.parent = parent;
        this.bigEndian = bigEndian;
        this.tags = new int[capacity];
        this.vrs = new VR[capacity];
        this.values = new Object[capacity];
    }

    /** The enclosing data set when this is a sequence item, otherwise {@code null}. */
    public Dataset parent() {
        return parent;
    }

    /** Byte order of the binary values held in memory (that of the transfer syntax this data set was read in). */
    public boolean bigEndian() {
        return bigEndian;
    }

    /** For an item: whether it is (or was read) encoded with undefined length and an Item Delimitation Item. */
    public boolean undefinedLength() {
        return undefinedLength;
    }

    public void setUndefinedLength(boolean undefinedLength) {
        this.undefinedLength = undefinedLength;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean contains(int tag) {
        return indexOf(tag) >= 0;
    }

    /** Tag of the element at {@code index} (0-based, ascending order). */
    public int tagAt(int index) {
        Objects.checkIndex(index, size);
        return tags[index];
    }

    public VR vrAt(int index) {
        Objects.checkIndex(index, size);
        return vrs[index];
    }

    public Object valueAt(int index) {
        Objects.checkIndex(index, size);
        return values[index];
    }

    /** The VR of element {@code tag}, or {@code null} if absent. */
    public VR vrOf(int tag) {
        int i = indexOf(tag);
        return i >= 0 ? vrs[i] : null;
    }

    /** The raw value of element {@code tag} ({@code byte[]}, {@link BulkData}, {@link Sequence} or {@link Fragments}), or null. */
    public Object value(int tag) {
        int i = indexOf(tag);
        return i >= 0 ? values[i] : null;
    }

    /** The element with {@code tag}, or {@code null} if absent. */
    public DicomElement get(int tag) {
        int i = indexOf(tag);
        return i >= 0 ? new DicomElement(tags[i], vrs[i], values[i]) : null;
    }

    /**
     * The value bytes of {@code tag} in this data set's byte order (loaded if the value is bulk data), or {@code null} if
     * absent.
     *
     * @throws IllegalStateException if the element is a sequence or encapsulated pixel data
     */
    public byte[] getBytes(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return null;
        }
        Object v = values[i];
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof BulkData bd) {
            try {
                return bd.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load " + Tag.toString(tag), e);
            }
        }
        throw new IllegalStateException(Tag.toString(tag) + " is " + vrs[i] + " " + v.getClass().getSimpleName()
                + ", not a plain value");
    }

    public Sequence getSequence(int tag) {
        return value(tag) instanceof Sequence s ? s : null;
    }

    public Fragments getFragments(int tag) {
        return value(tag) instanceof Fragments f ? f : null;
    }

    /** The first value of {@code tag} as a string (padding removed), or {@code null} if absent or empty. */
    public String getString(int tag) {
        String[] s = getStrings(tag);
        return s.length == 0 ? null : s[0];
    }

    /**
     * All values of {@code tag} as strings: text decoded with the Specific Character Set in force and split at
     * backslashes (for VRs that allow several values), binary numbers formatted in decimal, AT as {@code ggggeeee}.
     * Returns an empty array when absent or empty.
     */
    public String[] getStrings(int tag) {
        int i = indexOf(tag);
        byte[] b = i < 0 ? null : decodable(i);
        if (b == null || b.length == 0) {
            return new String[0];
        }
        return TextValues.toStrings(vrs[i], b, bigEndian, characterSetFor(vrs[i]));
    }

    /** The first value of {@code tag} as an int (US, SS, UL, SL, IS), or {@code defaultValue} if absent or empty. */
    public int getInt(int tag, int defaultValue) {
        int i = indexOf(tag);
        byte[] b = i < 0 ? null : decodable(i);
        if (b == null || b.length == 0) {
            return defaultValue;
        }
        VR vr = vrs[i];
        switch (vr) {
            case US:
                return b.length >= 2 ? ByteOrderUtil.uint16(b, 0, bigEndian) : defaultValue;
            case SS:
                return b.length >= 2 ? (short) ByteOrderUtil.uint16(b, 0, bigEndian) : defaultValue;
            case UL:
            case SL:
                return b.length >= 4 ? ByteOrderUtil.int32(b, 0, bigEndian) : defaultValue;
            case IS:
                String s = getString(tag);
                return s == null ? defaultValue : Integer.parseInt(s.trim());
            default:
                throw new IllegalStateException(Tag.toString(tag) + " has VR " + vr + ", not an integer VR");
        }
    }

    /** The Specific Character Set in force for this data set: its own (0008,0005), or the enclosing one's. */
    public SpecificCharacterSet characterSet() {
        if (charset == null) {
            int i = indexOf(SPECIFIC_CHARACTER_SET);
            byte[] b = i >= 0 ? decodable(i) : null;
            if (b != null) {
                charset = SpecificCharacterSet.valueOf(
                        TextValues.toStrings(VR.CS, b, bigEndian, SpecificCharacterSet.DEFAULT));
            } else {
                charset = parent != null ? parent.characterSet() : SpecificCharacterSet.DEFAULT;
            }
        }
        return charset;
    }

    /** Largest bulk value that typed access loads to decode it. */
    private static final long MAX_DECODED_BULK_LENGTH = 1 << 20;

    /** The bytes of element {@code i} for typed access: inline bytes, or a bulk value small enough to load. */
    private byte[] decodable(int i) {
        Object v = values[i];
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof BulkData bd && bd.length() <= MAX_DECODED_BULK_LENGTH) {
            try {
                return bd.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load " + Tag.toString(tags[i]), e);
            }
        }
        return null;
    }

    private SpecificCharacterSet characterSetFor(VR vr) {
        return vr.usesSpecificCharacterSet() ? characterSet() : SpecificCharacterSet.DEFAULT;
    }

    /** Sets a text value (several values are joined with backslashes), encoded with the Specific Character Set in force. */
    public void setString(int tag, VR vr, String... values) {
        if (!vr.isText()) {
            setBinaryFromStrings(tag, vr, values);
            return;
        }
        String joined = String.join("\\", values);
        if (!vr.usesSpecificCharacterSet() && !StandardCharsets.US_ASCII.newEncoder().canEncode(joined)) {
            throw new IllegalArgumentException(Tag.toString(tag) + " VR " + vr
                    + " allows only the default character repertoire");
        }
        byte[] encoded = vr.usesSpecificCharacterSet()
                ? characterSet().encode(joined, vr == VR.PN)
                : joined.getBytes(StandardCharsets.US_ASCII);
        setBytes(tag, vr, pad(encoded, vr));
    }

    private void setBinaryFromStrings(int tag, VR vr, String[] values) {
        switch (vr) {
            case US, SS, UL, SL -> setInt(tag, vr, Arrays.stream(values).mapToInt(s -> Integer.parseInt(s.trim())).toArray());
            default -> throw new IllegalArgumentException("cannot set " + Tag.toString(tag) + " VR " + vr + " from text");
        }
    }

    /** Sets binary integers for VR US, SS, UL or SL, in this data set's byte order. */
    public void setInt(int tag, VR vr, int... ints) {
        int unit = switch (vr) {
            case US, SS -> 2;
            case UL, SL -> 4;
            case IS -> 0;
            default -> throw new IllegalArgumentException(Tag.toString(tag) + ": VR " + vr + " is not an integer VR");
        };
        if (unit == 0) {
            setString(tag, vr, Arrays.stream(ints).mapToObj(Integer::toString).toArray(String[]::new));
            return;
        }
        byte[] b = new byte[ints.length * unit];
        for (int i = 0; i < ints.length; i++) {
            if (unit == 2) {
                ByteOrderUtil.putUint16(b, i * 2, ints[i], bigEndian);
            } else {
                ByteOrderUtil.putInt32(b, i * 4, ints[i], bigEndian);
            }
        }
        setBytes(tag, vr, b);
    }

    /**
     * Sets a value from its encoded bytes, in this data set's byte order. An odd-length value is padded as its VR
     * requires (PS3.5 §6.2).
     */
    public void setBytes(int tag, VR vr, byte[] value) {
        Objects.requireNonNull(value, "value");
        if (vr == VR.SQ) {
            throw new IllegalArgumentException(Tag.toString(tag) + ": use newSequence for SQ");
        }
        put(tag, vr, (value.length & 1) != 0 ? pad(value, vr) : value);
    }

    /** Sets a large value that stays in its file or buffer. Its length must be even. */
    public void setBulkData(int tag, VR vr, BulkData value) {
        if ((value.length() & 1) != 0) {
            throw new IllegalArgumentException(Tag.toString(tag) + ": bulk value has odd length " + value.length());
        }
        put(tag, vr, value);
    }

    /** Sets encapsulated pixel data. */
    public void setFragments(int tag, Fragments fragments) {
        put(tag, fragments.vr(), fragments);
    }

    /** Replaces {@code tag} with a new empty sequence (undefined length) and returns it. */
    public Sequence newSequence(int tag) {
        Sequence s = new Sequence(this, true);
        put(tag, VR.SQ, s);
        return s;
    }

    /**
     * Adds a new empty sequence while decoding (see {@link #add}) and returns it.
     *
     * @throws IllegalArgumentException if {@code tag} is already present
     */
    public Sequence addSequence(int tag, boolean undefinedLength) {
        Sequence s = new Sequence(this, undefinedLength);
        add(tag, VR.SQ, s);
        return s;
    }

    /** Removes {@code tag}; returns whether it was present. */
    public boolean remove(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return false;
        }
        System.arraycopy(tags, i + 1, tags, i, size - i - 1);
        System.arraycopy(vrs, i + 1, vrs, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        vrs[size] = null;
        values[size] = null;
        if (tag == SPECIFIC_CHARACTER_SET) {
            invalidateCharset();
        }
        return true;
    }

    /** Tags of all elements, ascending. */
    public int[] tags() {
        return Arrays.copyOf(tags, size);
    }

    @Override
    public Iterator<DicomElement> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public DicomElement next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return new DicomElement(tags[i], vrs[i], values[i]);
            }
        };
    }

    /** Copies every element of {@code other} (which must have the same byte order) into this data set, replacing. */
    public void putAll(Dataset other) {
        if (other.bigEndian != bigEndian) {
            throw new IllegalArgumentException("byte order differs");
        }
        for (int i = 0; i < other.size; i++) {
            put(other.tags[i], other.vrs[i], other.values[i]);
        }
    }

    /**
     * Adds an element while decoding: in order, it is appended; out of order, it is inserted at its place.
     *
     * @throws IllegalArgumentException if {@code tag} is already present (a duplicate element)
     */
    public void add(int tag, VR vr, Object value) {
        if (size > 0 && Integer.compareUnsigned(tags[size - 1], tag) >= 0) {
            if (indexOf(tag) >= 0) {
                throw new IllegalArgumentException("duplicate element " + Tag.toString(tag));
            }
            put(tag, vr, value);
            return;
        }
        ensureCapacity();
        tags[size] = tag;
        vrs[size] = vr;
        values[size] = value;
        size++;
    }

    private void put(int tag, VR vr, Object value) {
        Objects.requireNonNull(vr, "vr");
        int i = indexOf(tag);
        if (i >= 0) {
            vrs[i] = vr;
            values[i] = value;
        } else {
            int at = -i - 1;
            ensureCapacity();
            System.arraycopy(tags, at, tags, at + 1, size - at);
            System.arraycopy(vrs, at, vrs, at + 1, size - at);
            System.arraycopy(values, at, values, at + 1, size - at);
            tags[at] = tag;
            vrs[at] = vr;
            values[at] = value;
            size++;
        }
        if (tag == SPECIFIC_CHARACTER_SET) {
            invalidateCharset();
        }
    }

    private void invalidateCharset() {
        charset = null;
        for (int i = 0; i < size; i++) {
            if (values[i] instanceof Sequence s) {
                for (Dataset item : s) {
                    item.invalidateCharset();
                }
            }
        }
    }

    private void ensureCapacity() {
        if (size == tags.length) {
            int n = Math.max(8, size * 2);
            tags = Arrays.copyOf(tags, n);
            vrs = Arrays.copyOf(vrs, n);
            values = Arrays.copyOf(values, n);
        }
    }

    /** Binary search over unsigned tags: index if found, else {@code -(insertion point) - 1}. */
    private int indexOf(int tag) {
        if (size > 0 && tags[size - 1] == tag) {
            return size - 1;
        }
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(tags[mid], tag);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    private static byte[] pad(byte[] b, VR vr) {
        if ((b.length & 1) == 0) {
            return b;
        }
        byte[] p = Arrays.copyOf(b, b.length + 1);
        p[b.length] = vr.padding();
        return p;
    }

    /** Elements as {@code (gggg,eeee) VR} lines, without values (never patient data): for logs and errors. */
    public List<String> describeTags() {
        List<String> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(Tag.toString(tags[i]) + " " + vrs[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Dataset[" + size + " elements]";
    }
}
