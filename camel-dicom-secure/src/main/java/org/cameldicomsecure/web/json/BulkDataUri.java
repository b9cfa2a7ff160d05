package org.cameldicomsecure.web.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

import org.cameldicomsecure.dicom.BulkData;

/**
 * The value of an attribute that a DICOM JSON (or XML) document gives by reference, as a {@code BulkDataURI}
 * (PS3.18 F.2.6): the bytes are not here. Its length is reported as 0 and reading it fails, so that a data set holding
 * one cannot be written as if the value were empty; retrieve the bulk data and replace the value first.
 */
public final class BulkDataUri implements BulkData {

    private final String uri;

    public BulkDataUri(String uri) {
        this.uri = Objects.requireNonNull(uri, "uri");
    }

    /** The URI as given in the document (may be relative to the request's URL). */
    public String uri() {
        return uri;
    }

    /** Unknown: 0. */
    @Override
    public long length() {
        return 0;
    }

    @Override
    public InputStream openStream() throws IOException {
        throw new IOException("the value is a BulkDataURI reference that was not retrieved");
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        throw new IOException("the value is a BulkDataURI reference that was not retrieved");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BulkDataUri b && b.uri.equals(uri);
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }

    @Override
    public String toString() {
        return "BulkDataUri";
    }
}
