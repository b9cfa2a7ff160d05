package org.cameldicomsecure.dicom;

/**
 * One data element as seen while iterating a {@link Dataset}: tag, VR and the raw value ({@code byte[]},
 * {@link BulkData}, {@link Sequence} or {@link Fragments}).
 */
public record DicomElement(int tag, VR vr, Object value) {

    /** Length of the value in bytes, or -1 for a sequence or encapsulated pixel data. */
    public long length() {
        if (value instanceof byte[] b) {
            return b.length;
        }
        if (value instanceof BulkData bd) {
            return bd.length();
        }
        return -1;
    }

    @Override
    public String toString() {
        return Tag.toString(tag) + " " + vr + (length() >= 0 ? " #" + length() : "");
    }
}
