package org.cameldicomsecure.component.dicom;

import java.nio.file.Path;

import javax.net.ssl.SSLContext;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.cameldicomsecure.tls.ClientAuth;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.tls.TlsEngine;
import org.cameldicomsecure.tls.TlsProfile;
import org.cameldicomsecure.tls.TlsSettings;

/**
 * The TLS options an endpoint configuration shares with the others ({@code dicomtls:}, {@code dicomweb:}): the same
 * names, the same meaning, turned into one {@link TlsContextFactory} by {@link #createTls}.
 */
public interface TlsOptions {

    String getTlsProfile();

    boolean isAllowRetiredProfiles();

    String getTlsEngine();

    String getCertificate();

    String getPrivateKey();

    String getPrivateKeyPassword();

    String getTrustedCertificates();

    String getKeyStore();

    String getKeyStorePassword();

    String getTrustStore();

    String getTrustStorePassword();

    String getCrlFiles();

    boolean isOcsp();

    String getClientAuth();

    boolean isVerifyHostname();

    SSLContextParameters getSslContextParameters();

    /** The PS3.15 profile of {@code tlsProfile}. */
    static TlsProfile profile(TlsOptions o) {
        return EndpointOptions.choice("tlsProfile", o.getTlsProfile(), TlsProfile.class);
    }

    /**
     * The TLS context factory of these options, or null for {@code tlsProfile=NONE}; validates the key material now
     * (fails fast). {@code global}: the Camel context's SSL context parameters when the component uses them, used when
     * the options name no key material.
     */
    static TlsContextFactory createTls(TlsOptions o, CamelContext camel, SSLContextParameters global)
            throws Exception {
        return createTls(o, camel, global, false);
    }

    /**
     * As {@link #createTls(TlsOptions, CamelContext, SSLContextParameters)}; with {@code jsseOnly} (for the JDK's HTTP
     * client, which runs only on JSSE engines) {@code tlsEngine=AUTO} means JDK and OPENSSL is refused.
     */
    static TlsContextFactory createTls(TlsOptions o, CamelContext camel, SSLContextParameters global, boolean jsseOnly)
            throws Exception {
        TlsEngine engine = o.getTlsEngine() == null ? TlsEngine.AUTO
                : EndpointOptions.choice("tlsEngine", o.getTlsEngine(), TlsEngine.class);
        if (jsseOnly) {
            if (engine == TlsEngine.OPENSSL) {
                throw new IllegalArgumentException("tlsEngine=OPENSSL is not available here (the HTTP client runs on "
                        + "JSSE): use AUTO or JDK");
            }
            engine = TlsEngine.JDK;
        }
        TlsProfile profile = profile(o);
        if (!profile.isTls()) {
            return null;
        }
        SSLContext ctx = null;
        if (o.getSslContextParameters() != null) {
            ctx = o.getSslContextParameters().createSSLContext(camel);
        } else if (!hasKeyMaterial(o) && global != null) {
            ctx = global.createSSLContext(camel);
        }
        TlsSettings settings = TlsSettings.builder()
                .profile(profile)
                .allowRetiredProfiles(o.isAllowRetiredProfiles())
                .certificate(path(o.getCertificate()))
                .privateKey(path(o.getPrivateKey()))
                .privateKeyPassword(o.getPrivateKeyPassword())
                .keyStore(path(o.getKeyStore()))
                .keyStorePassword(o.getKeyStorePassword())
                .trustedCertificates(path(o.getTrustedCertificates()))
                .trustStore(path(o.getTrustStore()))
                .trustStorePassword(o.getTrustStorePassword())
                .crlFiles(EndpointOptions.split(o.getCrlFiles()).stream().map(Path::of).toList())
                .ocsp(o.isOcsp())
                .clientAuth(EndpointOptions.choice("clientAuth", o.getClientAuth(), ClientAuth.class))
                .verifyHostname(o.isVerifyHostname())
                .sslContext(ctx)
                .engine(engine)
                .build();
        return TlsContextFactory.create(settings);
    }

    /** Whether the options name key material of their own (then global SSL context parameters are not used). */
    static boolean hasKeyMaterial(TlsOptions o) {
        return o.getCertificate() != null || o.getKeyStore() != null || o.getTrustedCertificates() != null
                || o.getTrustStore() != null || o.getPrivateKey() != null || o.getCrlFiles() != null;
    }

    private static Path path(String p) {
        return EndpointOptions.path(p);
    }
}
