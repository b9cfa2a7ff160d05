package org.cameldicomsecure.dicom;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Encapsulated Pixel Data (PS3.5 §A.4): the Basic Offset Table item followed by the fragment items, kept compressed and
 * copied through unchanged. Each fragment is a {@code byte[]} or a {@link BulkData} region.
 */
public final class Fragments {

    private final VR vr;
    private final List<Object> items = new ArrayList<>();

    public Fragments(VR vr) {
        this.vr = vr;
    }

    /** OB for encapsulated pixel data; kept as read. */
    public VR vr() {
        return vr;
    }

    /** Adds a fragment (the first one added is the Basic Offset Table, which may be empty). */
    public void add(byte[] fragment) {
        items.add(fragment);
    }

    public void add(BulkData fragment) {
        items.add(fragment);
    }

    public int size() {
        return items.size();
    }

    /** The fragment at {@code index}: a {@code byte[]} or a {@link BulkData}. */
    public Object get(int index) {
        return items.get(index);
    }

    public List<Object> items() {
        return Collections.unmodifiableList(items);
    }

    /** Length in bytes of fragment {@code index}. */
    public long length(int index) {
        Object f = items.get(index);
        return f instanceof byte[] b ? b.length : ((BulkData) f).length();
    }

    /** The bytes of fragment {@code index}, loaded if needed. */
    public byte[] bytes(int index) throws IOException {
        Object f = items.get(index);
        return f instanceof byte[] b ? b : ((BulkData) f).toByteArray();
    }
}
