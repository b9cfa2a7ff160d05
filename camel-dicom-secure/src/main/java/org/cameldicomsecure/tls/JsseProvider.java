package org.cameldicomsecure.tls;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * The JSSE implementation that serves a profile.
 *
 * <p>The JDK's SunJSSE has neither the Camellia nor the CCM suites. Bouncy Castle's JSSE provider (bctls) has both,
 * so the profiles that list them (B.11, B.13, CRYPTREC) run on it. Neither provider is registered in
 * {@link Security}: Bouncy Castle is used through private instances so that nothing else in the JVM changes.
 */
public enum JsseProvider {

    /** The JDK's own provider ({@code SunJSSE}). */
    SUN_JSSE("NewSunX509"),
    /** Bouncy Castle's {@code BCJSSE}, with the Bouncy Castle JCA provider for its cryptography. */
    BC_JSSE("PKIX");

    private final String keyManagerAlgorithm;
    private volatile Set<String> supported;
    private volatile Set<String> supportedProtocols;

    JsseProvider(String keyManagerAlgorithm) {
        this.keyManagerAlgorithm = keyManagerAlgorithm;
    }

    /** The provider instance. */
    public Provider provider() {
        if (this == BC_JSSE) {
            return BcHolder.JSSE;
        }
        Provider p = Security.getProvider("SunJSSE");
        if (p == null) {
            throw new TlsConfigurationException("the JDK's SunJSSE provider is not installed in this JVM");
        }
        return p;
    }

    /** A fresh, uninitialised {@code TLS} context of this provider. */
    public SSLContext newContext() throws NoSuchAlgorithmException {
        return SSLContext.getInstance("TLS", provider());
    }

    /** A key manager factory of this provider (its own key selection understands its own key types). */
    KeyManagerFactory newKeyManagerFactory() throws NoSuchAlgorithmException {
        return KeyManagerFactory.getInstance(keyManagerAlgorithm, provider());
    }

    /**
     * The cipher suites this provider implements, by JSSE (IANA) name. SunJSSE leaves out the suites that
     * {@code jdk.tls.disabledAlgorithms} disables; BCJSSE lists them.
     */
    public Set<String> supportedCipherSuites() {
        Set<String> s = supported;
        if (s == null) {
            s = Collections.unmodifiableSet(new LinkedHashSet<>(
                    Arrays.asList(initialisedContext().getSupportedSSLParameters().getCipherSuites())));
            supported = s;
        }
        return s;
    }

    /** The protocol versions this provider implements, by JSSE name ("TLSv1.3"). */
    public Set<String> supportedProtocols() {
        Set<String> s = supportedProtocols;
        if (s == null) {
            s = Collections.unmodifiableSet(new LinkedHashSet<>(
                    Arrays.asList(initialisedContext().getSupportedSSLParameters().getProtocols())));
            supportedProtocols = s;
        }
        return s;
    }

    private SSLContext initialisedContext() {
        try {
            SSLContext ctx = newContext();
            ctx.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException("cannot initialise the " + jcaName() + " TLS provider: "
                    + e.getMessage(), e);
        }
    }

    /** The name under which a provider registers itself: "SunJSSE" or "BCJSSE". */
    public String jcaName() {
        return this == BC_JSSE ? BouncyCastleJsseProvider.PROVIDER_NAME : "SunJSSE";
    }

    /** System property that lets BCJSSE clients accept DHE groups other than the RFC 3526 / RFC 7919 ones. */
    static final String DH_UNRESTRICTED_GROUPS = "org.bouncycastle.jsse.client.dh.unrestrictedGroups";

    /** Bouncy Castle providers are created on first use only. */
    private static final class BcHolder {
        static {
            // DCMTK and OpenSSL servers choose DHE with a 2048-bit group of their own; a BCJSSE client accepts only
            // the RFC 3526/7919 groups unless told so, which breaks B.11 (DHE suites first) against DCMTK. The
            // profiles' minimum DHE size (2048 bits) is still enforced. Read once by BCJSSE, JVM-wide; an explicit
            // setting by the user wins.
            if (System.getProperty(DH_UNRESTRICTED_GROUPS) == null) {
                System.setProperty(DH_UNRESTRICTED_GROUPS, "true");
            }
        }

        static final Provider JCE = new BouncyCastleProvider();
        static final Provider JSSE = new BouncyCastleJsseProvider(JCE);
    }

    /** The private Bouncy Castle JCA provider instance (PEM decryption). */
    static Provider bouncyCastle() {
        return BcHolder.JCE;
    }
}
