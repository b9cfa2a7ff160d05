package org.cameldicomsecure.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;

/**
 * Checks a peer's certificate chain: first PKIX (trust anchors, validity, CRLs/OCSP) through the JDK's trust
 * manager, then the profile (minimum RSA/EC key sizes of every certificate; for B.13 certificate signatures with
 * SHA-256 or SHA-384), then, for a client, the server's identity against the host name it connected to.
 *
 * <p>The same instance serves SunJSSE and BCJSSE engines, so the checks do not depend on the provider. The delegate
 * is always called without a connection, so it does no endpoint identification of its own.
 */
final class ProfileTrustManager extends X509ExtendedTrustManager {

    private final X509TrustManager delegate;
    private final TlsProfile profile;
    private final boolean verifyHostname;

    ProfileTrustManager(X509TrustManager delegate, TlsProfile profile, boolean verifyHostname) {
        this.delegate = delegate;
        this.profile = profile;
        this.verifyHostname = verifyHostname;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
        checkProfile(chain, "client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkServer(chain, authType, null, false);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        String host = null;
        if (socket instanceof SSLSocket ssl) {
            SSLSession s = ssl.getHandshakeSession();
            host = s != null ? s.getPeerHost() : null;
        }
        checkServer(chain, authType, host, true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServer(chain, authType, engine == null ? null : engine.getPeerHost(), true);
    }

    private void checkServer(X509Certificate[] chain, String authType, String host, boolean connected)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
        checkProfile(chain, "server");
        if (verifyHostname) {
            if (!connected || host == null) {
                throw new CertificateException("verifyHostname is on but the peer's host name is unknown");
            }
            if (!HostnameMatcher.matches(chain[0], host)) {
                throw new CertificateException("server certificate '" + chain[0].getSubjectX500Principal().getName()
                        + "' does not match the host name '" + host + "' (" + HostnameMatcher.describe(chain[0])
                        + ")");
            }
        }
    }

    private void checkProfile(X509Certificate[] chain, String peer) throws CertificateException {
        for (X509Certificate c : chain) {
            String alg = c.getPublicKey().getAlgorithm();
            int min = profile.keySizes().minimumFor(alg);
            int bits = KeyMaterial.keyBits(c.getPublicKey());
            if (min > 0 && bits < min) {
                throw new CertificateException(peer + " certificate '" + c.getSubjectX500Principal().getName()
                        + "' has an " + alg + " key of " + bits + " bits; tlsProfile " + profile.describe()
                        + " requires at least " + min);
            }
            if (profile.requiresSha256CertificateSignatures()
                    && !c.getSubjectX500Principal().equals(c.getIssuerX500Principal())
                    && !strongSignature(c)) {
                throw new CertificateException(peer + " certificate '" + c.getSubjectX500Principal().getName()
                        + "' is signed with " + c.getSigAlgName() + "; tlsProfile " + profile.describe()
                        + " permits SHA-256 and SHA-384 only");
            }
        }
    }

    /** SHA-256/SHA-384 with RSA, ECDSA or RSASSA-PSS (B.13 permits no other hash). */
    private static boolean strongSignature(X509Certificate c) {
        String s = c.getSigAlgName().toUpperCase(Locale.ROOT);
        if (s.equals("RSASSA-PSS")) {
            try {
                ASN1ObjectIdentifier hash = RSASSAPSSparams.getInstance(c.getSigAlgParams()).getHashAlgorithm()
                        .getAlgorithm();
                return hash.equals(NISTObjectIdentifiers.id_sha256) || hash.equals(NISTObjectIdentifiers.id_sha384);
            } catch (RuntimeException e) {
                return false;
            }
        }
        return s.startsWith("SHA256WITH") || s.startsWith("SHA384WITH");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
