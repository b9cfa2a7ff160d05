package org.cameldicomsecure.component.dicomweb;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.web.server.Binding;
import org.cameldicomsecure.web.server.DicomWebListener;
import org.cameldicomsecure.web.server.DicomWebOperation;
import org.cameldicomsecure.web.server.DicomWebServer;

/**
 * One {@link DicomWebServer} of the component, shared by the consumers of one host and port. The first consumer to
 * start makes it with its options (TLS, limits); a later one must name the same base path and the same TLS options
 * (a server has one certificate and one profile) and serve an operation not served yet. The server closes when the
 * last consumer releases it.
 */
final class SharedServer {

    private final DicomWebComponent component;
    private final String key;
    private final String basePath;
    private final String tlsFingerprint;
    private final TlsContextFactory tls;
    private final DicomWebServer server;
    private final Set<DicomWebOperation> served = EnumSet.noneOf(DicomWebOperation.class);
    private int users;

    private SharedServer(DicomWebComponent component, String key, String basePath, String tlsFingerprint,
            TlsContextFactory tls, DicomWebServer server) {
        this.component = component;
        this.key = key;
        this.basePath = basePath;
        this.tlsFingerprint = tlsFingerprint;
        this.tls = tls;
        this.server = server;
    }

    /** The server of {@code endpoint}'s host and port, started if it is the first; release it when done. */
    static SharedServer acquire(DicomWebEndpoint endpoint, DicomWebListener listener) throws Exception {
        DicomWebComponent component = endpoint.getComponent();
        DicomWebEndpoint.Address a = endpoint.address();
        String fingerprint = tlsFingerprint(endpoint.getConfiguration(), a.https());
        synchronized (component) {
            Map<String, SharedServer> servers = component.servers();
            SharedServer s = a.port() == 0 ? null : servers.get(a.key());
            if (s != null) {
                if (!s.basePath.equals(a.basePath())) {
                    throw new IllegalArgumentException("dicomweb " + a.key() + " already serves base path '"
                            + s.basePath + "'; a server has one base path, not also '" + a.basePath() + "'");
                }
                if (!s.tlsFingerprint.equals(fingerprint)) {
                    throw new IllegalArgumentException("dicomweb " + a.key() + " is already served with other TLS "
                            + "options (scheme, profile, key material, clientAuth): the consumers of one port share "
                            + "one TLS configuration");
                }
                s.users++;
                return s;
            }
            DicomWebConfiguration c = endpoint.getConfiguration();
            TlsContextFactory tls = endpoint.createTls();
            DicomWebServer.Options.Builder b = DicomWebServer.Options.builder()
                    .host(a.host())
                    .port(a.port())
                    .basePath(a.basePath())
                    .tls(tls)
                    .tlsHandshakeTimeout(java.time.Duration.ofMillis(c.getTlsHandshakeTimeout()))
                    .eventLoopGroups(component.boss(), component.workers())
                    .partMemoryThreshold(c.getPartMemoryThreshold())
                    .maxRequestBytes(c.getMaxRequestSize())
                    .idleTimeout(c.getRequestTimeout());
            if (listener != null) {
                b.listener(listener);
            }
            DicomWebServer server = DicomWebServer.start(b.build());
            s = new SharedServer(component, a.port() == 0 ? a.key() + "#" + System.identityHashCode(server) : a.key(),
                    a.basePath(), fingerprint, tls, server);
            s.users = 1;
            servers.put(s.key, s);
            return s;
        }
    }

    /** What must be equal for two consumers to share a server's TLS. */
    private static String tlsFingerprint(DicomWebConfiguration c, boolean https) {
        if (!https) {
            return "http";
        }
        return String.join("\u0000", "https", c.getTlsProfile(), String.valueOf(c.isAllowRetiredProfiles()),
                String.valueOf(c.getTlsEngine()), String.valueOf(c.getCertificate()), String.valueOf(c.getPrivateKey()),
                String.valueOf(c.getTrustedCertificates()), String.valueOf(c.getKeyStore()),
                String.valueOf(c.getTrustStore()), String.valueOf(c.getCrlFiles()), String.valueOf(c.isOcsp()),
                String.valueOf(c.getClientAuth()), String.valueOf(System.identityHashCode(c.getSslContextParameters())),
                String.valueOf(Objects.hashCode(c.getPrivateKeyPassword())),
                String.valueOf(Objects.hashCode(c.getKeyStorePassword())));
    }

    /** Serves {@code op} with {@code binding}; an operation already served by another consumer is refused. */
    void serve(DicomWebOperation op, Binding binding) {
        synchronized (component) {
            if (!served.add(op)) {
                throw new IllegalArgumentException("dicomweb " + key + " already has a consumer for " + op
                        + ": one route per operation and port");
            }
            server.serve(op, binding);
        }
    }

    void unserve(DicomWebOperation op) {
        synchronized (component) {
            if (served.remove(op)) {
                server.unserve(op);
            }
        }
    }

    /** One consumer less; the last one closes the server. */
    void release() {
        synchronized (component) {
            if (--users == 0) {
                component.servers().remove(key);
                server.close();
            }
        }
    }

    /** Closes the server whoever still uses it (the component stops). */
    void closeNow() {
        server.close();
    }

    TlsContextFactory tls() {
        return tls;
    }

    InetSocketAddress localAddress() {
        return server.localAddress();
    }

    URI localUri() {
        return server.baseUri();
    }
}
