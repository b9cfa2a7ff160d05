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
 *
 * <p><b>Stable aliases.</b> SunJSSE's manager names the same key store entry differently on every call
 * ({@code "17.0.key"}, {@code "18.0.key"}: a per-call counter, the builder index, the entry's alias). Remembering by
 * those names would never hit (and would grow without bound), and Netty's OpenSSL key material cache, which is keyed
 * by the alias this manager returns, would convert and parse the key into OpenSSL's form again for every handshake
 * (and keep each copy). So this manager hands out the name without the counter ({@code "0.key"}) and remembers which
 * name of the delegate it stands for; any other provider's names are used as they are. At most {@link #MAX_ALIASES}
 * names are remembered; beyond that, lookups go to the delegate uncached.
 */
final class CachingKeyManager extends X509ExtendedKeyManager {

    static final int MAX_ALIASES = 256;

    private final X509ExtendedKeyManager delegate;
    /** Whether the delegate prefixes its aliases with a per-call counter (SunJSSE's X509KeyManagerImpl). */
    private final boolean countedAliases;
    /** Our alias -> the delegate's alias it stands for. */
    private final ConcurrentMap<String, String> delegateAliases = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, PrivateKey> keys = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, X509Certificate[]> chains = new ConcurrentHashMap<>();

    CachingKeyManager(X509ExtendedKeyManager delegate) {
        this.delegate = delegate;
        this.countedAliases = delegate.getClass().getName().equals("sun.security.ssl.X509KeyManagerImpl");
    }

    /** The name this manager hands out for a delegate's alias (remembering the mapping). */
    private String ours(String alias) {
        if (alias == null || !countedAliases) {
            return alias;
        }
        int dot = alias.indexOf('.');
        if (dot <= 0 || alias.indexOf('.', dot + 1) < 0) {
            return alias;
        }
        for (int i = 0; i < dot; i++) {
            if (alias.charAt(i) < '0' || alias.charAt(i) > '9') {
                return alias;
            }
        }
        String stable = alias.substring(dot + 1);
        if (delegateAliases.containsKey(stable)) {
            return stable;
        }
        if (delegateAliases.size() >= MAX_ALIASES) {
            return alias;
        }
        delegateAliases.putIfAbsent(stable, alias);
        return stable;
    }

    private String[] ours(String[] aliases) {
        if (aliases == null || !countedAliases) {
            return aliases;
        }
        String[] out = new String[aliases.length];
        for (int i = 0; i < aliases.length; i++) {
            out[i] = ours(aliases[i]);
        }
        return out;
    }

    private String theirs(String alias) {
        return delegateAliases.getOrDefault(alias, alias);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return ours(delegate.getClientAliases(keyType, issuers));
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return ours(delegate.chooseClientAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return ours(delegate.chooseEngineClientAlias(keyType, issuers, engine));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return ours(delegate.getServerAliases(keyType, issuers));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return ours(delegate.chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return ours(delegate.chooseEngineServerAlias(keyType, issuers, engine));
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        if (alias == null) {
            return null;
        }
        X509Certificate[] chain = chains.get(alias);
        if (chain == null) {
            chain = delegate.getCertificateChain(theirs(alias));
            if (chain == null) {
                return null;
            }
            if (chains.size() < MAX_ALIASES) {
                chains.putIfAbsent(alias, chain);
            }
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
            key = delegate.getPrivateKey(theirs(alias));
            if (key == null) {
                return null;
            }
            if (keys.size() < MAX_ALIASES) {
                keys.putIfAbsent(alias, key);
            }
        }
        return key;
    }
}
