package org.cameldicomsecure.net.dimse;

/** The outcome of a C-STORE as the SCP answers it: a status and, for failures, a short comment (no patient data). */
public record StoreResult(int status, String errorComment) {

    public static final StoreResult SUCCESS = new StoreResult(Status.SUCCESS, null);

    public static StoreResult failure(int status, String comment) {
        return new StoreResult(status, comment);
    }
}
