package org.cameldicomsecure.net.auth;

/** How an acceptor treats User Identity negotiation (PS3.7 §D.3.3.7). */
public enum UserIdentityMode {
    /**
     * User identity is not supported: a sub-item that was sent is ignored, the association is not rejected for it and
     * the AC carries no 59H sub-item (PS3.7 §D.3.3.7.3, an acceptor that does not support the negotiation).
     */
    NONE,
    /** No identity sent: accept. An identity sent must validate, otherwise reject. */
    OPTIONAL,
    /** An identity must be sent and must validate, otherwise reject. */
    REQUIRED
}
