package org.cameldicomsecure.web.server;

import org.cameldicomsecure.web.StowResponse;

/**
 * What a {@link StowHandler} did with one instance (PS3.18 Annex I): stored, stored with a Warning Reason
 * (0008,1196) (Table I.2-1: B000 coercion, B006 elements discarded, B007 data set does not match SOP class), or
 * failed with a Failure Reason (0008,1197) (Table I.2-2: A7xx out of resources, A9xx data set does not match SOP class,
 * Cxxx cannot understand, C122 transfer syntax not supported, 0110 processing failure, 0122 SOP class not supported).
 */
public final class InstanceOutcome {

    /** Table I.2-2: Processing failure. */
    public static final int PROCESSING_FAILURE = StowResponse.PROCESSING_FAILURE;
    /** Table I.2-2: Refused out of Resources (A7xx). */
    public static final int OUT_OF_RESOURCES = StowResponse.OUT_OF_RESOURCES;

    private static final InstanceOutcome STORED = new InstanceOutcome(true, 0);

    private final boolean stored;
    private final int reason;

    private InstanceOutcome(boolean stored, int reason) {
        if (reason < 0 || reason > 0xFFFF) {
            throw new IllegalArgumentException("a reason is an unsigned 16-bit status code, not " + reason);
        }
        this.stored = stored;
        this.reason = reason;
    }

    public static InstanceOutcome stored() {
        return STORED;
    }

    public static InstanceOutcome storedWithWarning(int warningReason) {
        if (warningReason == 0) {
            throw new IllegalArgumentException("a warning needs a warning reason");
        }
        return new InstanceOutcome(true, warningReason);
    }

    public static InstanceOutcome failed(int failureReason) {
        if (failureReason == 0) {
            throw new IllegalArgumentException("a failed instance needs a failure reason");
        }
        return new InstanceOutcome(false, failureReason);
    }

    /** True when stored (with or without a warning). */
    public boolean isStored() {
        return stored;
    }

    /** Stored with a warning. */
    public boolean isWarning() {
        return stored && reason != 0;
    }

    /** The warning or failure reason; 0 for a plain success. */
    public int reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstanceOutcome other && other.stored == stored && other.reason == reason;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(stored) * 31 + reason;
    }

    @Override
    public String toString() {
        return stored ? reason == 0 ? "stored" : String.format("stored with warning %04X", reason)
                : String.format("failed %04X", reason);
    }
}
