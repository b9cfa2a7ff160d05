package org.cameldicomsecure.tls;

/**
 * Whether a TLS server asks the client for a certificate. PS3.15 B.12/B.13: a server shall support mutual
 * authentication and may be configured not to use it.
 */
public enum ClientAuth {
    /** The client must present a certificate that the trust material accepts; the handshake fails otherwise. */
    REQUIRE,
    /** The client is asked for a certificate; one that is presented must be valid, but none is also accepted. */
    WANT,
    /** No client certificate is asked for. */
    NONE
}
