package org.cameldicomsecure.net.assoc;

import java.io.IOException;

/** A network-level failure of an association: refused, aborted, timed out, or a lost connection. */
public class DicomNetworkException extends IOException {

    private static final long serialVersionUID = 1L;

    public DicomNetworkException(String message) {
        super(message);
    }

    public DicomNetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
