package org.cameldicomsecure.net.auth;

import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The requestor of an association as the acceptor sees it, for validators that bind an identity to the connection
 * (for example a token to the TLS client certificate, or a user to an AE title).
 *
 * @param callingAeTitle   Calling-AE-title of the A-ASSOCIATE-RQ (PS3.8 §9.3.2)
 * @param calledAeTitle    Called-AE-title of the A-ASSOCIATE-RQ
 * @param remoteAddress    the remote socket address, {@code null} if unknown
 * @param certificateChain the peer's TLS certificate chain, leaf first; empty without TLS or without a client
 *                         certificate ({@code null} is accepted and stored as an empty list)
 */
public record AuthenticationPeer(String callingAeTitle, String calledAeTitle, InetSocketAddress remoteAddress,
        List<X509Certificate> certificateChain) {

    public AuthenticationPeer {
        Objects.requireNonNull(callingAeTitle, "callingAeTitle");
        Objects.requireNonNull(calledAeTitle, "calledAeTitle");
        certificateChain = certificateChain == null ? List.of() : List.copyOf(certificateChain);
    }

    /**
     * Builds a peer from what {@code SSLSession.getPeerCertificates()} returns.
     *
     * @param peerCertificates the TLS peer chain, or {@code null}; non-X.509 entries are skipped
     */
    public static AuthenticationPeer of(String callingAeTitle, String calledAeTitle, InetSocketAddress remoteAddress,
            Certificate[] peerCertificates) {
        List<X509Certificate> chain = new ArrayList<>();
        if (peerCertificates != null) {
            for (Certificate c : peerCertificates) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
        }
        return new AuthenticationPeer(callingAeTitle, calledAeTitle, remoteAddress, chain);
    }

    /** Whether the peer presented a TLS client certificate. */
    public boolean hasCertificate() {
        return !certificateChain.isEmpty();
    }

    /** For log lines: {@code CALLING->CALLED (host:port)}. */
    @Override
    public String toString() {
        return LogSafe.text(callingAeTitle) + "->" + LogSafe.text(calledAeTitle)
                + (remoteAddress == null ? "" : " (" + remoteAddress + ")")
                + (certificateChain.isEmpty() ? "" : " [client certificate]");
    }
}
