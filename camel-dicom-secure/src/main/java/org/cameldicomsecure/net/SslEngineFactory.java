package org.cameldicomsecure.net;

import javax.net.ssl.SSLEngine;

/** Makes a configured SSLEngine for each new connection (the TLS profile decides protocols and suites). */
@FunctionalInterface
public interface SslEngineFactory {

    /**
     * @param client   true for the side that opens the connection
     * @param peerHost the peer's host name for a client (SNI and host name verification), null for a server
     * @param peerPort the peer's port for a client, -1 for a server
     */
    SSLEngine newEngine(boolean client, String peerHost, int peerPort);
}
