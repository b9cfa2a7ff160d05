package org.cameldicomsecure.net.assoc;

import java.net.InetSocketAddress;

/** The peer of a connection before the association exists: its address and its TLS facts (null for plain TCP). */
public record PeerInfo(InetSocketAddress remote, AssociationInfo.TlsInfo tls) {
}
