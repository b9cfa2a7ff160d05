package org.cameldicomsecure.dicom;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The value of an SQ element (PS3.5 §7.5): an ordered list of items, each a {@link Dataset}.
 *
 * <p>How the sequence was encoded is kept, so that an unmodified data set is written back bit for bit: defined or
 * undefined length, and whether it arrived as UN with undefined length (PS3.5 §6.2.2 Note 2; the items are then
 * encoded in Implicit VR Little Endian, CP-246).
 */
public final class Sequence implements Iterable<Dataset> {

    private final Dataset parent;
    private final List<Dataset> items = new ArrayList<>();
    private boolean undefinedLength;
    private boolean encodedAsUnknown;

    Sequence(Dataset parent, boolean undefinedLength) {
        this.parent = parent;
        this.undefinedLength = undefinedLength;
    }

    /** The data set that holds this sequence. */
    public Dataset parent() {
        return parent;
    }

    /** Appends a new, empty item (written with undefined length) and returns it. */
    public Dataset addItem() {
        Dataset item = new Dataset(parent, parent.bigEndian());
        item.setUndefinedLength(true);
        items.add(item);
        return item;
    }

    /**
     * Appends a new, empty item whose values are held in the given byte order (items of a CP-246 sequence are little
     * endian inside a big endian data set) and returns it.
     */
    public Dataset addItem(boolean bigEndian, boolean undefinedLength) {
        Dataset item = new Dataset(parent, bigEndian);
        item.setUndefinedLength(undefinedLength);
        items.add(item);
        return item;
    }

    public Dataset get(int index) {
        return items.get(index);
    }

    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public Dataset remove(int index) {
        return items.remove(index);
    }

    public List<Dataset> items() {
        return java.util.Collections.unmodifiableList(items);
    }

    @Override
    public Iterator<Dataset> iterator() {
        return items().iterator();
    }

    public boolean undefinedLength() {
        return undefinedLength;
    }

    public void setUndefinedLength(boolean undefinedLength) {
        this.undefinedLength = undefinedLength;
    }

    /** True when the sequence was read as VR UN with undefined length (CP-246) and is written back the same way. */
    public boolean encodedAsUnknown() {
        return encodedAsUnknown;
    }

    public void setEncodedAsUnknown(boolean encodedAsUnknown) {
        this.encodedAsUnknown = encodedAsUnknown;
    }
}
