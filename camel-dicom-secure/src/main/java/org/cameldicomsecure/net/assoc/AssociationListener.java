package org.cameldicomsecure.net.assoc;

import java.net.SocketAddress;

import org.cameldicomsecure.net.pdu.AAssociateRJ;

/**
 * Events of the network layer, for auditing and monitoring (PS3.15 A.5: association and security events). Called on
 * Netty event loops: implementations must return quickly and must not block. Every method has an empty default.
 */
public interface AssociationListener {

    AssociationListener NONE = new AssociationListener() {
    };

    /** A listener that tells {@code first}, then {@code second} (either may be null or {@link #NONE}). */
    static AssociationListener both(AssociationListener first, AssociationListener second) {
        if (first == null || first == NONE) {
            return second == null ? NONE : second;
        }
        if (second == null || second == NONE) {
            return first;
        }
        return new BothListeners(first, second);
    }

    /** An association was established. */
    default void accepted(AssociationInfo association) {
    }

    /** An association request was rejected (by this side, or by the peer when this side requested it). */
    default void rejected(SocketAddress peer, String callingAet, String calledAet, AAssociateRJ rj, String why) {
    }

    /** A user identity failed authentication; the association was rejected. */
    default void authenticationFailed(SocketAddress peer, String callingAet, String why) {
    }

    /** A TLS handshake failed (protocol, cipher, certificate trust, revocation...). */
    default void tlsFailed(SocketAddress peer, String why) {
    }

    /**
     * The peer sent a malformed or unexpected PDU or DIMSE message; the association is aborted right after (and
     * {@link #aborted} follows). {@code association} is null before the association was established.
     */
    default void protocolError(AssociationInfo association, SocketAddress peer, String why) {
    }

    /** An association ended by A-ABORT, a protocol error or a lost connection ({@code association} may be null). */
    default void aborted(AssociationInfo association, SocketAddress peer, String why) {
    }

    /** An association was released normally. */
    default void released(AssociationInfo association) {
    }

    /** A C-STORE completed with {@code status}, in either direction. */
    default void instanceTransferred(AssociationInfo association, String sopClassUid, String sopInstanceUid,
            long bytes, int status) {
    }
}
