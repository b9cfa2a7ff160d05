package org.cameldicomsecure.net.assoc;

import org.cameldicomsecure.net.pdu.AAssociateAC;
import org.cameldicomsecure.net.pdu.AAssociateRJ;

/** The acceptor's answer to an A-ASSOCIATE-RQ: accept with this AC, or reject with this RJ. */
public sealed interface Negotiation {

    record Accept(AAssociateAC ac, String username) implements Negotiation {
    }

    /**
     * @param why                  for logs and audit (no secrets)
     * @param authenticationFailure whether the reason is a failed user identity
     */
    record Reject(AAssociateRJ rj, String why, boolean authenticationFailure) implements Negotiation {
    }
}
