package org.cameldicomsecure.net.dimse;

import java.io.IOException;

/** A DIMSE response with a failure or warning status: the operation did not (fully) succeed. */
public class DimseStatusException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public DimseStatusException(String operation, int status, String errorComment) {
        super(operation + " answered with " + (Status.isWarning(status) ? "warning" : "failure") + " status "
                + Status.toHex(status) + (errorComment != null ? " (" + errorComment + ")" : ""));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
