package org.cameldicomsecure.audit.trail;

/**
 * What the spool does when an emitted record does not fit under {@link AuditTrailOptions#maxSpoolBytes()}. Whatever
 * the policy, nothing is dropped silently: the first overflow of an episode raises an {@link AuditAlarm} (and logs an
 * ERROR line), and the end of the episode raises another one with the totals.
 */
public enum OverflowPolicy {
    /** {@code emit} throws {@link AuditSpoolFullException} (naming the limit); nothing already spooled is dropped. */
    REJECT,
    /**
     * {@code emit} waits for the sinks to free space, up to {@link AuditTrailOptions#blockTimeout()}, then throws
     * {@link AuditSpoolFullException} as {@link #REJECT} does.
     */
    BLOCK,
    /**
     * The oldest segment still holding undelivered records is deleted to make room (the alarm says how many records
     * were dropped); {@code emit} goes on. Sinks that had not confirmed them continue after the gap.
     */
    DROP_OLDEST
}
