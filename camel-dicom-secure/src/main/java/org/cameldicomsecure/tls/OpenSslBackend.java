package org.cameldicomsecure.tls;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's OpenSSL engine (BoringSSL from {@code netty-tcnative-boringssl-static}) as a {@link TlsEngine}.
 *
 * <p>The contexts get exactly the protocol versions and cipher suites {@link TlsContextFactory} computed for the
 * profile, the same {@link ProfileTrustManager} as the JDK engines (so trust anchors, CRLs, OCSP, the profile's key
 * sizes and host name verification are checked by the same code) and the same key managers, behind Netty's caching
 * key manager factory so that a key is converted to OpenSSL's form once, not per handshake. Only profiles served by
 * SunJSSE use it: they put no constraint on named groups or signature schemes, which Netty cannot set per context.
 */
final class OpenSslBackend {

    /** A server and a client context built from the same material. */
    record Contexts(SslContext server, SslContext client) {

        SSLEngine newServerEngine() {
            return server.newEngine(ByteBufAllocator.DEFAULT);
        }

        SSLEngine newClientEngine(String host, int port) {
            return client.newEngine(ByteBufAllocator.DEFAULT, host, port);
        }
    }

    private OpenSslBackend() {
    }

    /** Whether the native library loaded on this platform. */
    static boolean isAvailable() {
        return OpenSsl.isAvailable();
    }

    /** Why it did not load ({@code null} if it did). */
    static String unavailabilityCause() {
        Throwable t = OpenSsl.unavailabilityCause();
        return t == null ? null : t.toString();
    }

    /** The library's name and version, e.g. "BoringSSL". */
    static String describe() {
        return "OpenSSL engine (" + OpenSsl.versionString() + ")";
    }

    /** The cipher suites it has, under their Java (IANA) names. */
    static Set<String> supportedCipherSuites() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(OpenSsl.availableJavaCipherSuites()));
    }

    /** The protocol versions it has (as a throw-away engine lists them). */
    static Set<String> supportedProtocols() {
        return ProtocolsHolder.PROTOCOLS;
    }

    private static final class ProtocolsHolder {
        static final Set<String> PROTOCOLS = probe();

        private static Set<String> probe() {
            try {
                SSLEngine e = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).build()
                        .newEngine(ByteBufAllocator.DEFAULT);
                try {
                    return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(e.getSupportedProtocols())));
                } finally {
                    ReferenceCountUtil.release(e);
                }
            } catch (SSLException ex) {
                throw new TlsConfigurationException("cannot initialise the OpenSSL TLS engine: " + ex.getMessage(),
                        ex);
            }
        }
    }

    static Contexts build(KeyManager[] keyManagers, TrustManager trustManager, List<String> protocols,
                          List<String> suites, ClientAuth clientAuth) {
        try {
            SslContext server = null;
            if (keyManagers.length > 0) {
                SslContextBuilder b = SslContextBuilder.forServer(keyFactory(keyManagers[0]));
                configure(b, trustManager, protocols, suites);
                b.clientAuth(switch (clientAuth) {
                    case REQUIRE -> io.netty.handler.ssl.ClientAuth.REQUIRE;
                    case WANT -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
                    case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
                });
                server = b.build();
            }
            SslContextBuilder c = SslContextBuilder.forClient();
            if (keyManagers.length > 0) {
                c.keyManager(keyFactory(keyManagers[0]));
            }
            configure(c, trustManager, protocols, suites);
            // host names are verified by ProfileTrustManager, as with the JDK engines
            c.endpointIdentificationAlgorithm(null);
            return new Contexts(server, c.build());
        } catch (SSLException | RuntimeException e) {
            throw new TlsConfigurationException("cannot initialise the OpenSSL TLS engine: " + e.getMessage(), e);
        }
    }

    private static OpenSslCachingX509KeyManagerFactory keyFactory(KeyManager km) {
        return new OpenSslCachingX509KeyManagerFactory(new KeyManagerFactoryWrapper(km));
    }

    private static void configure(SslContextBuilder b, TrustManager trustManager, List<String> protocols,
                                  List<String> suites) {
        b.sslProvider(SslProvider.OPENSSL)
                .trustManager(trustManager)
                .protocols(protocols)
                .ciphers(suites, IdentityCipherSuiteFilter.INSTANCE);
    }
}
