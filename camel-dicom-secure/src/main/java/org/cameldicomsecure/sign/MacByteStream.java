package org.cameldicomsecure.sign;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.ByteOrderUtil;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;

/**
 * The byte stream a DICOM MAC is computed over, PS3.3 C.12.1.1.3.1.1, in the only MAC Calculation Transfer Syntax this
 * implementation writes or reads: Explicit VR Little Endian.
 *
 * <ul>
 * <li>An ordinary element: tag, VR, reserved bytes (long-length VRs), value length and value, exactly as encoded
 * (padding included; binary values of a big endian data set are swapped to little endian).</li>
 * <li>A sequence, and encapsulated pixel data: tag, VR and reserved bytes, no length; each item or fragment as the Item
 * tag (FFFE,E000) without its length followed by its content (an item's signable elements, recursively; a fragment's
 * bytes); then the Sequence Delimitation tag (FFFE,E0DD), whether or not the source had one.</li>
 * <li>Never included, even inside items: group lengths, Length to End, groups below 0008, group FFFA, the MAC
 * Parameters Sequence, Data Set Trailing Padding and elements of VR UN ({@link #signable}).</li>
 * </ul>
 * Values are streamed: bulk data is read from its file, never loaded whole.
 */
final class MacByteStream {

    private static final int ITEM = 0xFFFEE000;
    private static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    private final OutputStream out;
    private final byte[] header = new byte[12];
    private byte[] swapBuffer;

    MacByteStream(OutputStream out) {
        this.out = out;
    }

    /**
     * Whether an element may be listed in Data Elements Signed (0400,0020), PS3.3 C.12.1.1.3.1.1: not a group
     * length, Length to End, group below 0008, group FFFA, MAC Parameters Sequence, Data Set Trailing Padding, Item
     * Delimitation, VR UN, nor a sequence holding a UN element at any depth.
     */
    static boolean signable(int tag, VR vr, Object value) {
        return signableTag(tag) && vr != VR.UN && !(value instanceof Sequence s && containsUnknown(s));
    }

    /** The tag part of {@link #signable}. */
    static boolean signableTag(int tag) {
        int group = Tag.group(tag);
        return Integer.compareUnsigned(group, 0x0008) >= 0
                && Tag.element(tag) != 0
                && tag != 0x00080001
                && group != 0xFFFA
                && tag != Tag.MACParametersSequence
                && tag != Tag.DataSetTrailingPadding
                && group != 0xFFFE;
    }

    /** Why an element cannot be signed, or null if it can: for error messages. */
    static String whyUnsignable(int tag, VR vr, Object value) {
        if (!signableTag(tag)) {
            return "PS3.3 C.12.1.1.3.1.1 excludes " + Tag.toString(tag) + " from every MAC";
        }
        if (vr == VR.UN) {
            return Tag.toString(tag) + " has VR UN, which cannot be signed (its encoding is unknown)";
        }
        if (value instanceof Sequence s && containsUnknown(s)) {
            return "sequence " + Tag.toString(tag) + " holds an element of VR UN, so it cannot be signed";
        }
        return null;
    }

    private static boolean containsUnknown(Sequence s) {
        if (s.encodedAsUnknown()) {
            return true;
        }
        for (Dataset item : s) {
            for (int i = 0, n = item.size(); i < n; i++) {
                if (item.vrAt(i) == VR.UN || item.valueAt(i) instanceof Sequence inner && containsUnknown(inner)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Data Elements Signed (0400,0020) of a MAC Parameters or Referenced SOP Instance MAC item, in the order listed;
     * empty if absent or not AT.
     */
    static List<Integer> dataElementsSigned(Dataset macItem) {
        List<Integer> tags = new ArrayList<>();
        byte[] b;
        try {
            b = macItem.vrOf(Tag.DataElementsSigned) == VR.AT ? macItem.getBytes(Tag.DataElementsSigned) : null;
        } catch (IllegalStateException e) {
            b = null;
        }
        if (b == null) {
            return tags;
        }
        for (int i = 0; i + 4 <= b.length; i += 4) {
            tags.add(ByteOrderUtil.uint16(b, i, macItem.bigEndian()) << 16
                    | ByteOrderUtil.uint16(b, i + 2, macItem.bigEndian()));
        }
        return tags;
    }

    /**
     * {@code tags} in data set order (ascending, unsigned), which is the order they enter the MAC.
     *
     * @throws SignatureException if a tag is listed twice
     */
    static int[] inDataSetOrder(int[] tags) throws SignatureException {
        int[] sorted = tags.clone();
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] ^= Integer.MIN_VALUE;
        }
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] ^= Integer.MIN_VALUE;
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                throw new SignatureException("Data Elements Signed lists " + Tag.toString(sorted[i]) + " twice");
            }
        }
        return sorted;
    }

    /** Writes the elements {@code tags} of {@code ds} (each present and signable) in the order given. */
    void elements(Dataset ds, int[] tags) throws IOException {
        for (int tag : tags) {
            Object value = ds.value(tag);
            if (value == null) {
                throw new IllegalArgumentException("signed element " + Tag.toString(tag) + " is not in the data set");
            }
            element(ds, tag, ds.vrOf(tag), value);
        }
    }

    /**
     * Writes the elements of a Digital Signatures Sequence item that its own MAC covers: all but Certificate of
     * Signer, Signature, Certified Timestamp Type and Certified Timestamp (PS3.3 C.12.1.1.3.1.1, last rule).
     */
    void signatureItem(Dataset item) throws IOException {
        for (int i = 0, n = item.size(); i < n; i++) {
            int tag = item.tagAt(i);
            if (tag == Tag.CertificateOfSigner || tag == Tag.Signature || tag == Tag.CertifiedTimestampType
                    || tag == Tag.CertifiedTimestamp || !signable(tag, item.vrAt(i), item.valueAt(i))) {
                continue;
            }
            element(item, tag, item.vrAt(i), item.valueAt(i));
        }
    }

    private void itemContent(Dataset item) throws IOException {
        for (int i = 0, n = item.size(); i < n; i++) {
            int tag = item.tagAt(i);
            if (signable(tag, item.vrAt(i), item.valueAt(i))) {
                element(item, tag, item.vrAt(i), item.valueAt(i));
            }
        }
    }

    private void element(Dataset ds, int tag, VR vr, Object value) throws IOException {
        if (value instanceof Sequence s) {
            tagAndVr(tag, VR.SQ);
            for (Dataset item : s) {
                tagOnly(ITEM);
                itemContent(item);
            }
            tagOnly(SEQUENCE_DELIMITATION);
            return;
        }
        if (value instanceof Fragments f) {
            tagAndVr(tag, vr);
            for (int i = 0; i < f.size(); i++) {
                tagOnly(ITEM);
                Object frag = f.get(i);
                if (frag instanceof byte[] b) {
                    out.write(b);
                } else {
                    ((BulkData) frag).writeTo(out);
                }
            }
            tagOnly(SEQUENCE_DELIMITATION);
            return;
        }
        long len = value instanceof byte[] b ? b.length : ((BulkData) value).length();
        ByteOrderUtil.putUint16(header, 0, Tag.group(tag), false);
        ByteOrderUtil.putUint16(header, 2, Tag.element(tag), false);
        header[4] = (byte) (vr.code() >> 8);
        header[5] = (byte) vr.code();
        if (vr.longLength()) {
            header[6] = 0;
            header[7] = 0;
            ByteOrderUtil.putInt32(header, 8, (int) len, false);
            out.write(header, 0, 12);
        } else {
            if (len > 0xFFFF) {
                throw new IOException(Tag.toString(tag) + " VR " + vr + " value of " + len
                        + " bytes does not fit the 16-bit length of Explicit VR Little Endian");
            }
            ByteOrderUtil.putUint16(header, 6, (int) len, false);
            out.write(header, 0, 8);
        }
        boolean swap = ds.bigEndian() && vr.kind() == VR.Kind.BINARY && vr.unitSize() > 1;
        if (value instanceof byte[] b) {
            if (swap) {
                byte[] c = b.clone();
                ByteOrderUtil.swap(c, 0, c.length, vr.unitSize());
                out.write(c);
            } else {
                out.write(b);
            }
        } else if (swap) {
            swapped((BulkData) value, vr.unitSize());
        } else {
            ((BulkData) value).writeTo(out);
        }
    }

    private void swapped(BulkData bd, int unit) throws IOException {
        if (swapBuffer == null) {
            swapBuffer = new byte[64 * 1024];
        }
        try (InputStream in = bd.openStream()) {
            int have = 0;
            for (int n; (n = in.read(swapBuffer, have, swapBuffer.length - have)) > 0; ) {
                have += n;
                int whole = have - have % unit;
                ByteOrderUtil.swap(swapBuffer, 0, whole, unit);
                out.write(swapBuffer, 0, whole);
                System.arraycopy(swapBuffer, whole, swapBuffer, 0, have - whole);
                have -= whole;
            }
            out.write(swapBuffer, 0, have);
        }
    }

    private void tagAndVr(int tag, VR vr) throws IOException {
        ByteOrderUtil.putUint16(header, 0, Tag.group(tag), false);
        ByteOrderUtil.putUint16(header, 2, Tag.element(tag), false);
        header[4] = (byte) (vr.code() >> 8);
        header[5] = (byte) vr.code();
        header[6] = 0;
        header[7] = 0;
        out.write(header, 0, 8);
    }

    private void tagOnly(int tag) throws IOException {
        ByteOrderUtil.putUint16(header, 0, Tag.group(tag), false);
        ByteOrderUtil.putUint16(header, 2, Tag.element(tag), false);
        out.write(header, 0, 4);
    }
}
