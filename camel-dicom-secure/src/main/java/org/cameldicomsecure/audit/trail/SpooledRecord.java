package org.cameldicomsecure.audit.trail;

/**
 * An audit record with its place in the spool: sequence numbers start at 1, grow by one per record, and survive
 * restarts (they are never reused in a spool directory).
 */
public record SpooledRecord(long sequence, AuditRecord record) {
}
