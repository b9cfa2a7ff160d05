package org.cameldicomsecure.net.assoc;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Settings of the upper layer shared by both roles.
 *
 * @param maxPduLength            the Maximum Length this side announces (largest P-DATA-TF variable field it receives)
 * @param maxSendPduLength        cap on the P-DATA-TF this side sends when the peer announces 0 (unlimited)
 * @param maxAssociatePduLength   largest A-ASSOCIATE PDU accepted
 * @param artimTimeoutMillis      ARTIM timer (PS3.8 §9.1.5): how long to wait for an A-ASSOCIATE-RQ after a connection
 *                                opens, and for the connection to close after a reject or release
 * @param responseTimeoutMillis   how long a requestor waits for an A-ASSOCIATE-AC/RJ, an A-RELEASE-RP or a DIMSE
 *                                response
 * @param dataSetMemoryThreshold  received data sets larger than this go to a temporary file
 * @param spillDirectory          where those files go (null: java.io.tmpdir)
 * @param implementationClassUid  this implementation's class UID
 * @param implementationVersion   this implementation's version name
 * @param listener                receives the events
 * @param blockingExecutor        runs work that may block (association negotiation with password checks)
 */
public record AssociationConfig(long maxPduLength, int maxSendPduLength, int maxAssociatePduLength,
        long artimTimeoutMillis, long responseTimeoutMillis, int dataSetMemoryThreshold, Path spillDirectory,
        String implementationClassUid, String implementationVersion, AssociationListener listener,
        Executor blockingExecutor) {

    /** This project's implementation class UID (a UUID-derived UID, PS3.5 §B.2). */
    public static final String IMPLEMENTATION_CLASS_UID = org.cameldicomsecure.dicom.Implementation.CLASS_UID;
    /** This project's implementation version name (PS3.7 §D.3.3.2: at most 16 characters). */
    public static final String IMPLEMENTATION_VERSION = org.cameldicomsecure.dicom.Implementation.VERSION_NAME;

    public AssociationConfig {
        if (maxPduLength < 0 || maxPduLength > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("maxPduLength must be 0-4294967295: " + maxPduLength);
        }
        if (maxSendPduLength < 1024) {
            throw new IllegalArgumentException("maxSendPduLength must be at least 1024: " + maxSendPduLength);
        }
        Objects.requireNonNull(implementationClassUid, "implementationClassUid");
        listener = listener == null ? AssociationListener.NONE : listener;
        Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    }

    /** Defaults: 16 KiB PDUs received, 128 KiB sent at most, 30 s ARTIM and response timeouts, 1 MiB in memory. */
    public static AssociationConfig defaults(Executor blockingExecutor) {
        return new AssociationConfig(16384, 131072, 1 << 20, 30_000, 30_000, 1 << 20, null,
                IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION, AssociationListener.NONE, blockingExecutor);
    }

    public AssociationConfig withMaxPduLength(long max) {
        return new AssociationConfig(max, maxSendPduLength, maxAssociatePduLength, artimTimeoutMillis,
                responseTimeoutMillis, dataSetMemoryThreshold, spillDirectory, implementationClassUid,
                implementationVersion, listener, blockingExecutor);
    }

    public AssociationConfig withListener(AssociationListener l) {
        return new AssociationConfig(maxPduLength, maxSendPduLength, maxAssociatePduLength, artimTimeoutMillis,
                responseTimeoutMillis, dataSetMemoryThreshold, spillDirectory, implementationClassUid,
                implementationVersion, l, blockingExecutor);
    }

    public AssociationConfig withTimeouts(long artimMillis, long responseMillis) {
        return new AssociationConfig(maxPduLength, maxSendPduLength, maxAssociatePduLength, artimMillis,
                responseMillis, dataSetMemoryThreshold, spillDirectory, implementationClassUid,
                implementationVersion, listener, blockingExecutor);
    }

    public AssociationConfig withDataSetMemoryThreshold(int threshold, Path dir) {
        return new AssociationConfig(maxPduLength, maxSendPduLength, maxAssociatePduLength, artimTimeoutMillis,
                responseTimeoutMillis, threshold, dir, implementationClassUid, implementationVersion, listener,
                blockingExecutor);
    }
}
