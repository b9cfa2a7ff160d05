package org.cameldicomsecure.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.BCSSLParameters;
import org.bouncycastle.jsse.BCSSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@link SSLEngine}s (and sockets) for DICOM servers and clients from {@link TlsSettings}, with the protocol
 * versions, cipher suites, named groups and signature schemes of the settings' {@link TlsProfile}, client
 * authentication on the server side and host name verification on the client side.
 *
 * <p>{@link #create} validates everything up front: files exist and parse, passwords are right, each key matches
 * its certificate and is large enough for the profile, the profile exists and, if retired, is allowed, and at
 * least one of its suites can run on this JVM with this key.
 *
 * <p><b>Reloading.</b> Every new engine or socket first compares the modification time, size and file key of the
 * key, certificate, key store, trust and CRL files with those of the material in use. When they changed, the files
 * are read and checked again; if that succeeds, new connections use the new material, while established
 * connections keep the engine (and context) they started with. If the new files are unusable, the previous
 * material stays in use and a warning is logged (once per change, retried every few seconds).
 *
 * <p>Thread-safe; engines may be created from any thread.
 */
public final class TlsContextFactory {

    private static final Logger LOG = LoggerFactory.getLogger(TlsContextFactory.class);
    private static final long RETRY_FAILED_RELOAD_NANOS = 5_000_000_000L;

    private final TlsSettings settings;
    private final TlsProfile profile;
    private final JsseProvider provider;
    private final boolean external;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    /** The same suites under the names the provider lists them ("SSL_RSA_WITH_3DES_EDE_CBC_SHA" on SunJSSE). */
    private final String[] engineSuites;
    private final Map<String, String> unavailable;
    private final List<java.nio.file.Path> watched;
    /** Whether Netty's OpenSSL engine runs the connections (see {@link TlsEngine}). */
    private final boolean openSsl;

    private volatile Material material;
    private FileStamps failedStamps;
    private long failedAtNanos;
    private volatile String lastReloadProblem;

    /** A context and what it was built from. */
    private record Material(SSLContext context, OpenSslBackend.Contexts openSsl, KeyMaterial keys,
                            TrustMaterial trust, FileStamps stamps) {

        String describe() {
            String k = keys == null ? "no key material"
                    : "key " + String.join("; ", keys.entries().stream().map(KeyMaterial.Entry::describe).toList());
            return k + "; trust: " + trust.describe();
        }
    }

    private TlsContextFactory(TlsSettings settings, JsseProvider provider, boolean external, boolean openSsl,
                              List<String> protocols, List<String> cipherSuites, String[] engineSuites,
                              Map<String, String> unavailable) {
        this.settings = settings;
        this.profile = settings.profile();
        this.provider = provider;
        this.external = external;
        this.openSsl = openSsl;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.engineSuites = engineSuites;
        this.unavailable = unavailable;
        this.watched = external ? List.of() : settings.watchedFiles();
    }

    /**
     * Validates the settings and loads the key and trust material.
     *
     * @throws TlsConfigurationException naming the setting or file that is wrong
     */
    public static TlsContextFactory create(TlsSettings settings) {
        TlsProfile profile = settings.profile();
        if (!profile.isTls()) {
            if (settings.hasFiles() || settings.sslContext() != null) {
                LOG.warn("tlsProfile NONE: connections are plain TCP; the TLS key and trust settings are ignored");
            }
            return new TlsContextFactory(settings, null, false, false, List.of(), List.of(), new String[0], Map.of());
        }
        if (profile.requiresAllowRetired() && !settings.allowRetiredProfiles()) {
            throw new TlsConfigurationException("tlsProfile " + profile.describe() + " is retired from the DICOM "
                    + "standard and insecure; set allowRetiredProfiles=true to use it anyway");
        }
        boolean external = settings.sslContext() != null;
        if (external && settings.hasFiles()) {
            throw new TlsConfigurationException("set either sslContext (sslContextParameters) or the key and trust "
                    + "files, not both");
        }
        if ((settings.certificate() == null) != (settings.privateKey() == null)) {
            throw new TlsConfigurationException(settings.certificate() == null
                    ? "privateKey is set but certificate is not" : "certificate is set but privateKey is not");
        }
        if (settings.certificate() != null && settings.keyStore() != null) {
            throw new TlsConfigurationException("set either certificate and privateKey, or keyStore, not both");
        }

        Enabled jdk;
        if (external) {
            SSLParameters sp = settings.sslContext().getSupportedSSLParameters();
            jdk = enabled(profile, new LinkedHashSet<>(Arrays.asList(sp.getCipherSuites())),
                    new LinkedHashSet<>(Arrays.asList(sp.getProtocols())),
                    settings.sslContext().getProvider().getName());
        } else {
            jdk = enabled(profile, profile.provider().supportedCipherSuites(),
                    profile.provider().supportedProtocols(), profile.provider().jcaName());
        }
        Enabled chosen = jdk;
        boolean openSsl = false;
        TlsEngine engine = settings.engine();
        if (engine != TlsEngine.JDK && !external) {
            if (engine == TlsEngine.OPENSSL && profile.provider() != JsseProvider.SUN_JSSE) {
                throw new TlsConfigurationException("tlsEngine OPENSSL cannot serve tlsProfile " + profile.describe()
                        + ": it restricts named groups or signature schemes, or lists Camellia or CCM suites, which "
                        + "only the " + profile.provider().jcaName() + " provider can do; use tlsEngine AUTO or JDK");
            }
            if (engine == TlsEngine.OPENSSL && !OpenSslBackend.isAvailable()) {
                throw new TlsConfigurationException("tlsEngine OPENSSL: the OpenSSL engine "
                        + "(netty-tcnative-boringssl-static) cannot be loaded on this platform: "
                        + OpenSslBackend.unavailabilityCause());
            }
            if (profile.provider() == JsseProvider.SUN_JSSE && OpenSslBackend.isAvailable()) {
                Enabled native_ = enabled(profile, OpenSslBackend.supportedCipherSuites(),
                        OpenSslBackend.supportedProtocols(), "BoringSSL");
                if (engine == TlsEngine.OPENSSL || native_.sameAs(jdk)) {
                    chosen = native_;
                    openSsl = true;
                } else {
                    LOG.debug("tlsProfile {}: the OpenSSL engine lacks {}; using {}", profile.name(),
                            native_.unavailable().keySet(), profile.provider().jcaName());
                }
            }
        }
        List<String> protocols = chosen.protocols();
        List<String> suites = chosen.suites();
        List<String> engineSuites = chosen.engineSuites();
        Map<String, String> unavailable = chosen.unavailable();
        String providerName = openSsl ? OpenSslBackend.describe() : chosen.providerName();
        if (!usable(protocols, suites, null)) {
            throw new TlsConfigurationException("tlsProfile " + profile.describe() + " cannot run on this JVM: "
                    + "enabled protocols " + protocols + ", enabled cipher suites " + suites + "; not available: "
                    + describe(unavailable) + (profile.requiresAllowRetired()
                    ? " (the retired profiles need TLS 1.0 or 3DES re-enabled in java.security)" : ""));
        }

        TlsContextFactory f = new TlsContextFactory(settings, external ? null : profile.provider(), external, openSsl,
                protocols, suites, engineSuites.toArray(new String[0]), unavailable);
        if (external) {
            f.material = new Material(settings.sslContext(), null, null, null, null);
            if (!profile.namedGroups().isEmpty() && !(settings.sslContext().createSSLEngine() instanceof BCSSLEngine)) {
                LOG.info("tlsProfile {}: the given sslContext ({}) cannot restrict named groups and signature "
                        + "schemes per connection on this JDK; its defaults apply", profile.name(), providerName);
            }
        } else {
            f.material = f.load();
        }

        if (profile.requiresAllowRetired()) {
            LOG.warn("tlsProfile {} is retired from PS3.15 and offers no modern protection; it is enabled because "
                    + "allowRetiredProfiles=true", profile.describe());
        } else if (profile.isRetired()) {
            LOG.info("tlsProfile {} is retired from PS3.15 (still offered for interoperability, e.g. with DCMTK "
                    + "3.6.7); BCP195_RFC8996 is the current default", profile.describe());
        }
        LOG.info("TLS {} on {}: protocols {}, {} of {} listed cipher suites enabled{}{}", profile.describe(),
                providerName, protocols, suites.size(), profile.cipherSuites().size(),
                unavailable.isEmpty() ? "" : "; not enabled: " + describe(unavailable),
                external ? "; key and trust from the given sslContext" : "; " + f.material.describe());
        return f;
    }

    /** What a profile gets from one implementation: the enabled versions and suites, and why the rest are not. */
    private record Enabled(List<String> protocols, List<String> suites, List<String> engineSuites,
                           Map<String, String> unavailable, String providerName) {

        /** Whether a peer would see the same versions and suites. */
        boolean sameAs(Enabled other) {
            return protocols.equals(other.protocols) && suites.equals(other.suites);
        }
    }

    private static Enabled enabled(TlsProfile profile, Set<String> supportedSuites, Set<String> supportedProtocols,
                                   String providerName) {
        DisabledAlgorithms disabled = DisabledAlgorithms.current();
        Map<String, String> unavailable = new LinkedHashMap<>();
        List<String> protocols = new ArrayList<>();
        for (String p : profile.protocols()) {
            String entry = disabled.disabling(p);
            if (entry != null) {
                unavailable.put(p, "disabled by jdk.tls.disabledAlgorithms entry '" + entry + "'");
            } else if (!supportedProtocols.contains(p)) {
                unavailable.put(p, "not implemented by " + providerName);
            } else {
                protocols.add(p);
            }
        }
        List<String> suites = new ArrayList<>();
        List<String> engineSuites = new ArrayList<>();
        for (CipherSuite s : profile.cipherSuites()) {
            String entry = disabled.disabling(s);
            String listedAs = s.jsseNames().stream().filter(supportedSuites::contains).findFirst().orElse(null);
            if (entry != null) {
                unavailable.put(s.ianaName(), "disabled by jdk.tls.disabledAlgorithms entry '" + entry + "'");
            } else if (listedAs == null) {
                unavailable.put(s.ianaName(), "not implemented by " + providerName);
            } else {
                suites.add(s.ianaName());
                engineSuites.add(listedAs);
            }
        }
        return new Enabled(List.copyOf(protocols), List.copyOf(suites), List.copyOf(engineSuites),
                Collections.unmodifiableMap(unavailable), providerName);
    }

    private static String describe(Map<String, String> unavailable) {
        List<String> l = new ArrayList<>();
        unavailable.forEach((k, v) -> l.add(k + " (" + v + ")"));
        return l.isEmpty() ? "none" : String.join(", ", l);
    }

    /**
     * Whether some enabled suite can run over some enabled protocol; with {@code keyAlgorithm}, also with a server
     * key of that algorithm.
     */
    private static boolean usable(List<String> protocols, List<String> suites, String keyAlgorithm) {
        boolean tls13 = protocols.contains("TLSv1.3");
        boolean tls12 = protocols.contains("TLSv1.2");
        boolean older = protocols.contains("TLSv1.1") || protocols.contains("TLSv1");
        for (String name : suites) {
            CipherSuite s = CipherSuite.forName(name);
            if (keyAlgorithm != null && !s.usableWithKey(keyAlgorithm)) {
                continue;
            }
            // TLS 1.0/1.1 know only the suites with an HMAC-SHA-1 (those of B.1 and B.3 here)
            if (s.isTls13() ? tls13 : (tls12 || (older && s.mac().equals("SHA")))) {
                return true;
            }
        }
        return false;
    }

    /** Reads and checks the files and builds a context. */
    private Material load() {
        FileStamps stamps = FileStamps.of(watched); // before reading: a change while reading triggers a reload
        KeyMaterial keys = null;
        if (settings.certificate() != null) {
            keys = KeyMaterial.fromPem(settings.certificate(), settings.privateKey(), settings.privateKeyPassword(),
                    profile);
        } else if (settings.keyStore() != null) {
            keys = KeyMaterial.fromPkcs12(settings.keyStore(), settings.keyStorePassword(), profile);
        }
        if (keys != null) {
            for (String alg : keys.keyAlgorithms()) {
                if (!usable(protocols, cipherSuites, alg)) {
                    throw new TlsConfigurationException("tlsProfile " + profile.describe() + " has no enabled cipher "
                            + "suite for an " + alg + " key (enabled: " + cipherSuites + ")");
                }
                List<String> tls12 = new ArrayList<>(protocols);
                tls12.remove("TLSv1.3");
                if (protocols.contains("TLSv1.3") && !usable(tls12, cipherSuites, alg)) {
                    LOG.warn("tlsProfile {}: its TLS 1.2 cipher suites do not fit an {} key; only TLS 1.3 peers can "
                            + "connect to this server", profile.describe(), alg);
                }
            }
            for (String problem : keys.validityProblems(new Date())) {
                LOG.warn("TLS {}: {}", profile.name(), problem);
            }
        }
        TrustMaterial trust = TrustMaterial.load(settings);
        try {
            KeyManager[] keyManagers = keys == null ? new KeyManager[0] : keys.keyManagers(provider);
            ProfileTrustManager trustManager = new ProfileTrustManager(trust.trustManager(), profile,
                    settings.verifyHostname());
            SSLContext ctx = provider.newContext();
            ctx.init(keyManagers, new TrustManager[] {trustManager}, null);
            OpenSslBackend.Contexts contexts = openSsl
                    ? OpenSslBackend.build(keyManagers, trustManager, protocols, cipherSuites, settings.clientAuth())
                    : null;
            return new Material(ctx, contexts, keys, trust, stamps);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException("cannot initialise the " + provider.jcaName() + " TLS context: "
                    + e.getMessage(), e);
        }
    }

    /** The material to use for a new connection, reloaded first if its files changed. */
    private Material current() {
        Material m = material;
        if (watched.isEmpty()) {
            return m;
        }
        FileStamps now = FileStamps.of(watched);
        if (now.equals(m.stamps())) {
            return m;
        }
        synchronized (this) {
            m = material;
            if (now.equals(m.stamps())) {
                return m;
            }
            long t = System.nanoTime();
            boolean sameFailure = now.equals(failedStamps);
            if (sameFailure && t - failedAtNanos < RETRY_FAILED_RELOAD_NANOS) {
                return m;
            }
            try {
                Material fresh = load();
                material = fresh;
                failedStamps = null;
                lastReloadProblem = null;
                LOG.info("TLS {}: key and trust files changed, new connections use them: {}", profile.name(),
                        fresh.describe());
                return fresh;
            } catch (RuntimeException e) {
                failedStamps = now;
                failedAtNanos = t;
                lastReloadProblem = e.getMessage();
                if (!sameFailure) {
                    LOG.warn("TLS {}: the changed key or trust files cannot be used, keeping the previous material: "
                            + "{}", profile.name(), e.getMessage());
                }
                return m;
            }
        }
    }

    /**
     * Checks the files now (engines do this themselves).
     *
     * @return whether new material is in use
     */
    public boolean reloadIfChanged() {
        requireTls();
        Material before = material;
        return current() != before;
    }

    /** Why the last reload attempt failed, or {@code null} when the current files are in use. */
    public String lastReloadProblem() {
        return lastReloadProblem;
    }

    /** A server-side engine (for Netty's {@code SslHandler}). */
    public SSLEngine newServerEngine() {
        Material m = serverMaterial();
        if (m.openSsl() != null) {
            return m.openSsl().newServerEngine(); // versions, suites and client authentication set on its context
        }
        SSLEngine e = m.context().createSSLEngine();
        e.setUseClientMode(false);
        configure(e, false);
        return e;
    }

    /**
     * A client-side engine for {@code peerHost:peerPort}; the host is what {@code verifyHostname} checks the
     * server's certificate against (a DNS name or an IP literal).
     */
    public SSLEngine newClientEngine(String peerHost, int peerPort) {
        Material m = clientMaterial(peerHost);
        if (m.openSsl() != null) {
            return m.openSsl().newClientEngine(peerHost, peerPort);
        }
        SSLEngine e = m.context().createSSLEngine(peerHost, peerPort);
        e.setUseClientMode(true);
        configure(e, true);
        return e;
    }

    /** TLS in server mode over an accepted TCP connection (closing the TLS socket closes it). */
    public SSLSocket wrapServerSocket(Socket accepted) throws IOException {
        Material m = serverMaterial();
        SSLSocket s = (SSLSocket) m.context().getSocketFactory().createSocket(accepted,
                accepted.getInetAddress().getHostAddress(), accepted.getPort(), true);
        s.setUseClientMode(false);
        configure(s, false);
        return s;
    }

    /** TLS in client mode over a connected TCP socket to {@code peerHost:peerPort} (for blocking clients). */
    public SSLSocket wrapClientSocket(Socket connected, String peerHost, int peerPort) throws IOException {
        Material m = clientMaterial(peerHost);
        SSLSocket s = (SSLSocket) m.context().getSocketFactory().createSocket(connected, peerHost, peerPort, true);
        s.setUseClientMode(true);
        configure(s, true);
        return s;
    }

    private Material serverMaterial() {
        requireTls();
        Material m = current();
        if (!external && m.keys() == null) {
            throw new TlsConfigurationException("a TLS server needs key material: set certificate and privateKey, "
                    + "or keyStore");
        }
        return m;
    }

    private Material clientMaterial(String peerHost) {
        requireTls();
        if (settings.verifyHostname() && (peerHost == null || peerHost.isEmpty())) {
            throw new IllegalArgumentException("verifyHostname is on: the peer host name is needed");
        }
        return current();
    }

    private void requireTls() {
        if (!profile.isTls()) {
            throw new IllegalStateException("tlsProfile NONE: connections are plain TCP, there is no TLS engine");
        }
    }

    private void configure(SSLEngine e, boolean client) {
        if (e instanceof BCSSLEngine bc) {
            BCSSLParameters p = bc.getParameters();
            configure(p, client);
            bc.setParameters(p);
        } else {
            SSLParameters p = e.getSSLParameters();
            configure(p, client);
            e.setSSLParameters(p);
        }
    }

    private void configure(SSLSocket s, boolean client) {
        if (s instanceof BCSSLSocket bc) {
            BCSSLParameters p = bc.getParameters();
            configure(p, client);
            bc.setParameters(p);
        } else {
            SSLParameters p = s.getSSLParameters();
            configure(p, client);
            s.setSSLParameters(p);
        }
    }

    private void configure(SSLParameters p, boolean client) {
        p.setProtocols(protocols.toArray(new String[0]));
        p.setCipherSuites(engineSuites.clone());
        p.setUseCipherSuitesOrder(true);
        if (client) {
            if (external && settings.verifyHostname()) {
                p.setEndpointIdentificationAlgorithm("HTTPS");
            }
        } else {
            switch (settings.clientAuth()) {
                case REQUIRE -> p.setNeedClientAuth(true);
                case WANT -> p.setWantClientAuth(true);
                case NONE -> p.setNeedClientAuth(false);
            }
        }
    }

    private void configure(BCSSLParameters p, boolean client) {
        p.setProtocols(protocols.toArray(new String[0]));
        p.setCipherSuites(engineSuites.clone());
        p.setUseCipherSuitesOrder(true);
        if (!profile.namedGroups().isEmpty()) {
            p.setNamedGroups(profile.namedGroups().toArray(new String[0]));
        }
        if (!profile.signatureSchemes().isEmpty()) {
            p.setSignatureSchemes(profile.signatureSchemes().toArray(new String[0]));
            p.setSignatureSchemesCert(profile.signatureSchemes().toArray(new String[0]));
        }
        if (client) {
            if (external && settings.verifyHostname()) {
                p.setEndpointIdentificationAlgorithm("HTTPS");
            }
        } else {
            switch (settings.clientAuth()) {
                case REQUIRE -> p.setNeedClientAuth(true);
                case WANT -> p.setWantClientAuth(true);
                case NONE -> p.setNeedClientAuth(false);
            }
        }
    }

    /** The profile. */
    public TlsProfile profile() {
        return profile;
    }

    /** Whether this factory makes TLS connections at all ({@code false} for {@link TlsProfile#NONE}). */
    public boolean isTls() {
        return profile.isTls();
    }

    /**
     * The name of the implementation that runs the engines: "SunJSSE", "BCJSSE", the given context's provider, or
     * "OpenSSL" for {@link TlsEngine#OPENSSL} (blocking sockets from {@link #wrapServerSocket} always use the JSSE
     * provider).
     */
    public String providerName() {
        requireTls();
        return openSsl ? "OpenSSL" : material.context().getProvider().getName();
    }

    /** Whether Netty's OpenSSL engine runs the connections. */
    public boolean usesOpenSsl() {
        return openSsl;
    }

    /** The protocol versions enabled on every engine: the profile's, minus those this JVM cannot use. */
    public List<String> enabledProtocols() {
        return protocols;
    }

    /** The cipher suites enabled on every engine, in the profile's order. */
    public List<String> enabledCipherSuites() {
        return cipherSuites;
    }

    /**
     * The profile's protocol versions and cipher suites that are not enabled on this JVM, each with the reason
     * ("not implemented by SunJSSE", "disabled by jdk.tls.disabledAlgorithms entry '3DES_EDE_CBC'").
     */
    public Map<String, String> notEnabled() {
        return unavailable;
    }
}
