package org.cameldicomsecure.dicom;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/** {@link BulkData} that is a slice of a byte array already in memory (a data set parsed from {@code byte[]}). */
public final class ByteRegion implements BulkData {

    private final byte[] buffer;
    private final int offset;
    private final int length;

    public ByteRegion(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public InputStream openStream() {
        return new ByteArrayInputStream(buffer, offset, length);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(buffer, offset, length);
    }

    @Override
    public byte[] toByteArray() {
        return Arrays.copyOfRange(buffer, offset, offset + length);
    }

    @Override
    public String toString() {
        return "ByteRegion[" + length + " bytes]";
    }
}
