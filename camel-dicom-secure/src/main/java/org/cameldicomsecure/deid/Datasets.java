package org.cameldicomsecure.deid;

import java.util.Arrays;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.VR;

/**
 * Deep copy and deep comparison of data sets. Values that are never changed in place are shared, not copied:
 * {@code byte[]} values (the engine always replaces a value, never writes into its array), bulk data (immutable,
 * so pixel data are not loaded) and encapsulated fragments.
 */
final class Datasets {

    private Datasets() {
    }

    /** A deep copy of top-level {@code src}: new data sets and sequences, shared values. */
    static Dataset copy(Dataset src) {
        Dataset dst = new Dataset(src.bigEndian());
        copyInto(src, dst);
        return dst;
    }

    /** Copies every element of {@code src} into {@code dst} (same byte order), sequences deeply. */
    static void copyInto(Dataset src, Dataset dst) {
        for (int i = 0; i < src.size(); i++) {
            copyElement(src, i, dst);
        }
    }

    /** Copies element {@code index} of {@code src} into {@code dst}, replacing one with the same tag. */
    static void copyElement(Dataset src, int index, Dataset dst) {
        int tag = src.tagAt(index);
        VR vr = src.vrAt(index);
        Object v = src.valueAt(index);
        if (v instanceof Sequence s) {
            Sequence copy = dst.newSequence(tag);
            copy.setUndefinedLength(s.undefinedLength());
            copy.setEncodedAsUnknown(s.encodedAsUnknown());
            for (Dataset item : s) {
                copyInto(item, copy.addItem(item.bigEndian(), item.undefinedLength()));
            }
        } else if (v instanceof Fragments f) {
            dst.setFragments(tag, f);
        } else if (v instanceof byte[] b) {
            dst.setBytes(tag, vr, b);
        } else {
            dst.setBulkData(tag, vr, (org.cameldicomsecure.dicom.BulkData) v);
        }
    }

    /** Whether element {@code tag} has the same VR and value in both (sequences compared item by item). */
    static boolean sameElement(Dataset a, Dataset b, int tag) {
        if (a.vrOf(tag) != b.vrOf(tag)) {
            return false;
        }
        return sameValue(a.value(tag), b.value(tag));
    }

    /** Whether element {@code i} of {@code a} and element {@code j} of {@code b} have the same VR and value. */
    static boolean sameElementAt(Dataset a, int i, Dataset b, int j) {
        return a.vrAt(i) == b.vrAt(j) && sameValue(a.valueAt(i), b.valueAt(j));
    }

    private static boolean sameValue(Object x, Object y) {
        if (x instanceof byte[] bx && y instanceof byte[] by) {
            return Arrays.equals(bx, by);
        }
        if (x instanceof Sequence sx && y instanceof Sequence sy) {
            if (sx.size() != sy.size()) {
                return false;
            }
            for (int i = 0; i < sx.size(); i++) {
                if (!same(sx.get(i), sy.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return x == y;
    }

    /** Whether two data sets hold the same elements with the same values. */
    static boolean same(Dataset a, Dataset b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.tagAt(i) != b.tagAt(i) || a.vrAt(i) != b.vrAt(i) || !sameValue(a.valueAt(i), b.valueAt(i))) {
                return false;
            }
        }
        return true;
    }
}
