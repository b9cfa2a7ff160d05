package org.cameldicomsecure.net.assoc;

import java.net.SocketAddress;

import org.cameldicomsecure.net.pdu.AAssociateRJ;

/** Two listeners told in turn (for {@link AssociationListener#both}); a failing first one does not silence the second. */
final class BothListeners implements AssociationListener {

    private final AssociationListener first;
    private final AssociationListener second;

    BothListeners(AssociationListener first, AssociationListener second) {
        this.first = first;
        this.second = second;
    }

    private static void run(Runnable a, Runnable b) {
        try {
            a.run();
        } finally {
            b.run();
        }
    }

    @Override
    public void accepted(AssociationInfo association) {
        run(() -> first.accepted(association), () -> second.accepted(association));
    }

    @Override
    public void rejected(SocketAddress peer, String callingAet, String calledAet, AAssociateRJ rj, String why) {
        run(() -> first.rejected(peer, callingAet, calledAet, rj, why),
                () -> second.rejected(peer, callingAet, calledAet, rj, why));
    }

    @Override
    public void authenticationFailed(SocketAddress peer, String callingAet, String why) {
        run(() -> first.authenticationFailed(peer, callingAet, why),
                () -> second.authenticationFailed(peer, callingAet, why));
    }

    @Override
    public void tlsFailed(SocketAddress peer, String why) {
        run(() -> first.tlsFailed(peer, why), () -> second.tlsFailed(peer, why));
    }

    @Override
    public void protocolError(AssociationInfo association, SocketAddress peer, String why) {
        run(() -> first.protocolError(association, peer, why), () -> second.protocolError(association, peer, why));
    }

    @Override
    public void aborted(AssociationInfo association, SocketAddress peer, String why) {
        run(() -> first.aborted(association, peer, why), () -> second.aborted(association, peer, why));
    }

    @Override
    public void released(AssociationInfo association) {
        run(() -> first.released(association), () -> second.released(association));
    }

    @Override
    public void instanceTransferred(AssociationInfo association, String sopClassUid, String sopInstanceUid,
            long bytes, int status) {
        run(() -> first.instanceTransferred(association, sopClassUid, sopInstanceUid, bytes, status),
                () -> second.instanceTransferred(association, sopClassUid, sopInstanceUid, bytes, status));
    }
}
