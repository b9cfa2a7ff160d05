package org.cameldicomsecure.dicom.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Remembers an I/O failure of the caller's input (a reset connection, a timeout, a size limit), so that a parser
 * reading through it can report that failure as such and not as damaged content. {@link #close()} leaves the
 * caller's stream open.
 */
public final class TrackingInputStream extends FilterInputStream {

    private volatile IOException failure;

    public TrackingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public void close() {
        // the caller's stream stays open
    }

    /** The last failure of the caller's input, or null. */
    public IOException failure() {
        return failure;
    }

    /** Throws the last failure of the caller's input, if there was one. */
    public void rethrowFailure() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw f;
        }
    }
}
