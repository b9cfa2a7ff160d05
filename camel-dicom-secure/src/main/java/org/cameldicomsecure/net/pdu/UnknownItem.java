package org.cameldicomsecure.net.pdu;

/** A User Information sub-item of a type this implementation does not interpret, kept as received. */
public record UnknownItem(int type, byte[] value) {
}
