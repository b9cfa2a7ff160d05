package org.cameldicomsecure.tls;

import javax.net.ssl.SSLEngine;

/** Shortcuts for the tests: server and client settings over a {@link TestPki}, and connected engine pairs. */
final class Tls {

    private Tls() {
    }

    /** A server with {@code cert}, trusting the test CA, requiring client certificates. */
    static TlsSettings.Builder server(TestPki pki, TlsProfile profile, TestPki.Issued cert) {
        return TlsSettings.builder().profile(profile).allowRetiredProfiles(true).certificate(cert.certPem())
                .privateKey(cert.keyPem()).trustedCertificates(pki.ca.certPem()).clientAuth(ClientAuth.REQUIRE);
    }

    /** A client with {@code cert} (none if {@code null}), trusting the test CA, verifying the host name. */
    static TlsSettings.Builder client(TestPki pki, TlsProfile profile, TestPki.Issued cert) {
        TlsSettings.Builder b = TlsSettings.builder().profile(profile).allowRetiredProfiles(true)
                .trustedCertificates(pki.ca.certPem()).verifyHostname(true);
        if (cert != null) {
            b.certificate(cert.certPem()).privateKey(cert.keyPem());
        }
        return b;
    }

    static EnginePair pair(TlsContextFactory client, String host, TlsContextFactory server) {
        return new EnginePair(client.newClientEngine(host, 2762), server.newServerEngine());
    }

    static EnginePair pair(SSLEngine client, TlsContextFactory server) {
        return new EnginePair(client, server.newServerEngine());
    }

    /** Handshakes a fresh pair. */
    static EnginePair connect(TlsContextFactory client, String host, TlsContextFactory server)
            throws EnginePair.HandshakeFailed {
        return pair(client, host, server).handshake();
    }
}
