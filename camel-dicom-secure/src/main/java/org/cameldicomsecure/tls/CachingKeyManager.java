package org.cameldicomsecure.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A provider's key manager whose keys and chains are looked up once per alias instead of once per handshake.
 *
 * <p>JSSE key managers read keys from a key store, and a PKCS12 store (even one held only in memory) keeps every
 * private key encrypted: SunJSSE's {@code NewSunX509} manager decrypts it again (PBKDF2 plus a cipher) for every
 * handshake, which was 42% of the CPU of a TLS 1.3 handshake here. Alias selection stays with the provider's own
 * manager, so the key-type strings each provider uses ({@code "EC"}, {@code "RSASSA-PSS"}, BCJSSE's
 * {@code "ECDHE_RSA"} ...) keep their exact meaning; only the results of {@link #getPrivateKey} and
 * {@link #getCertificateChain} are remembered. A key-material reload builds new managers, so nothing stale is kept.
 */
final class CachingKeyManager extends X509ExtendedKeyManager {

    private final X509ExtendedKeyManager delegate;
    private final ConcurrentMap<String, PrivateKey> keys = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, X509Certificate[]> chains = new ConcurrentHashMap<>();

    CachingKeyManager(X509ExtendedKeyManager delegate) {
        this.delegate = delegate;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return delegate.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return delegate.chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return delegate.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        if (alias == null) {
            return null;
        }
        X509Certificate[] chain = chains.get(alias);
        if (chain == null) {
            chain = delegate.getCertificateChain(alias);
            if (chain == null) {
                return null;
            }
            chains.putIfAbsent(alias, chain);
        }
        return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        if (alias == null) {
            return null;
        }
        PrivateKey key = keys.get(alias);
        if (key == null) {
            key = delegate.getPrivateKey(alias);
            if (key == null) {
                return null;
            }
            keys.putIfAbsent(alias, key);
        }
        return key;
    }
}
