package org.cameldicomsecure.tls;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * Run in a child JVM whose {@code jdk.tls.disabledAlgorithms} allows TLS 1.0/1.1 and 3DES (see
 * {@link LegacyProtocolTest}): there a Java client can really offer TLS 1.1, so a refusal comes from the profile and
 * not from the JVM. Prints one line per probe: {@code <profile> <client> OK <protocol> <suite>} or
 * {@code <profile> <client> REFUSED <reason>}.
 *
 * <p>Arguments: CA certificate, server certificate, server key, client certificate, client key (PEM).
 */
public final class LegacyProtocolProbe {

    private LegacyProtocolProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path ca = Path.of(args[0]);
        Path serverCert = Path.of(args[1]);
        Path serverKey = Path.of(args[2]);
        Path clientCert = Path.of(args[3]);
        Path clientKey = Path.of(args[4]);
        for (TlsProfile profile : TlsProfile.values()) {
            if (!profile.isTls()) {
                continue;
            }
            TlsContextFactory server;
            try {
                server = TlsContextFactory.create(TlsSettings.builder().profile(profile).allowRetiredProfiles(true)
                        .certificate(serverCert).privateKey(serverKey).trustedCertificates(ca).build());
            } catch (TlsConfigurationException e) {
                System.out.println(profile.name() + " setup FAILED " + e.getMessage());
                continue;
            }
            SSLContext legacy = legacyClientContext(ca, clientCert, clientKey);
            probe(profile, "tls11-client", server, legacy, "TLSv1.1",
                    List.of("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                            "TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
            probe(profile, "tls10-client", server, legacy, "TLSv1",
                    List.of("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
            probe(profile, "3des-client", server, legacy, "TLSv1.2", List.of("TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
            // our own client of the same profile
            try {
                TlsContextFactory client = TlsContextFactory.create(TlsSettings.builder().profile(profile)
                        .allowRetiredProfiles(true).certificate(clientCert).privateKey(clientKey)
                        .trustedCertificates(ca).build());
                EnginePair p = Tls.connect(client, "localhost", server);
                System.out.println(profile.name() + " same-profile OK " + p.protocol() + " " + iana(p.cipherSuite())
                        + " enabled=" + server.enabledProtocols());
            } catch (Exception e) {
                System.out.println(profile.name() + " same-profile REFUSED " + e.getMessage());
            }
        }
    }

    private static void probe(TlsProfile profile, String name, TlsContextFactory server, SSLContext ctx,
                              String protocol, List<String> suites) {
        SSLEngine c = ctx.createSSLEngine("localhost", 2762);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        c.setEnabledCipherSuites(suites.toArray(new String[0]));
        try {
            EnginePair p = Tls.pair(c, server).handshake();
            System.out.println(profile.name() + " " + name + " OK " + p.protocol() + " " + iana(p.cipherSuite()));
        } catch (EnginePair.HandshakeFailed e) {
            System.out.println(profile.name() + " " + name + " REFUSED " + e.getMessage().replace('\n', ' '));
        }
    }

    private static String iana(String jsseName) {
        CipherSuite s = CipherSuite.forName(jsseName);
        return s == null ? jsseName : s.ianaName();
    }

    /** A plain SunJSSE context (no profile of ours) with the client key. */
    private static SSLContext legacyClientContext(Path ca, Path cert, Path key) throws Exception {
        List<java.security.cert.X509Certificate> chain = PemFiles.readCertificates("certificate", cert);
        PrivateKey pk;
        try (PEMParser p = new PEMParser(java.nio.file.Files.newBufferedReader(key))) {
            pk = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) p.readObject());
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", pk, "x".toCharArray(), chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("NewSunX509");
        kmf.init(ks, "x".toCharArray());
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", PemFiles.readCertificates("trustedCertificates", ca).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS", "SunJSSE");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
