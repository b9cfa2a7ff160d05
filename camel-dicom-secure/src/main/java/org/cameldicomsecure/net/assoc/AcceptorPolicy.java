package org.cameldicomsecure.net.assoc;

import org.cameldicomsecure.net.pdu.AAssociateRQ;

/** Decides how to answer an A-ASSOCIATE-RQ. May block (a password check): it runs off the event loop. */
@FunctionalInterface
public interface AcceptorPolicy {

    Negotiation negotiate(AAssociateRQ rq, PeerInfo peer);
}
