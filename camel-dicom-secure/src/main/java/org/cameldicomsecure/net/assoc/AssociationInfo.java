package org.cameldicomsecure.net.assoc;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * What was negotiated for an established association (and who the peer is). Immutable.
 *
 * @param name                    a short name for logs: "CALLING->CALLED(n)"
 * @param requestor               whether this side requested the association
 * @param callingAet              the requestor's AE title
 * @param calledAet               the acceptor's AE title
 * @param remote                  the peer's address
 * @param contexts                accepted presentation contexts by ID
 * @param peerMaxPduLength        largest P-DATA-TF variable field the peer receives (0: unlimited)
 * @param peerImplementationClass the peer's implementation class UID
 * @param peerImplementationVersion the peer's implementation version name, or null
 * @param username                the authenticated user identity, or null
 * @param tls                     the TLS session facts, or null for plain TCP
 * @param userIdentityResponse    requestor side: the server response of the acceptor's User Identity sub-item (59H),
 *                                or null if the AC had none
 */
public record AssociationInfo(String name, boolean requestor, String callingAet, String calledAet,
        InetSocketAddress remote, Map<Integer, AcceptedContext> contexts, long peerMaxPduLength,
        String peerImplementationClass, String peerImplementationVersion, String username, TlsInfo tls,
        byte[] userIdentityResponse) {

    public AssociationInfo {
        contexts = Map.copyOf(contexts);
    }

    /** TLS facts of a connection: protocol, cipher suite, and the peer certificate's subject (if it sent one). */
    public record TlsInfo(String protocol, String cipherSuite, String peerSubject,
            java.security.cert.X509Certificate[] peerCertificates) {
    }

    public AcceptedContext context(int id) {
        return contexts.get(id);
    }

    /** The first accepted context for {@code sopClass} in {@code transferSyntax} (any syntax if null), or null. */
    public AcceptedContext contextFor(String sopClass, String transferSyntax) {
        for (AcceptedContext c : contexts.values()) {
            if (c.abstractSyntax().equals(sopClass)
                    && (transferSyntax == null || c.transferSyntax().uid().equals(transferSyntax))) {
                return c;
            }
        }
        return null;
    }
}
