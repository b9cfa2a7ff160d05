package org.cameldicomsecure.tls;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

/**
 * What a TLS endpoint is configured with. The names are those of the public options (the Camel layer maps its
 * options one to one).
 *
 * <p>Key material comes from exactly one of: PEM files ({@code certificate} + {@code privateKey}, optionally
 * {@code privateKeyPassword}), a PKCS12 {@code keyStore} + {@code keyStorePassword}, or a ready-made
 * {@code sslContext} (Camel's {@code SSLContextParameters}); trust from {@code trustedCertificates} (PEM bundle) or
 * a PKCS12 {@code trustStore}, or the JDK's default trust anchors when neither is set. With {@code sslContext} the
 * profile is still applied on top (protocols, cipher suites, client authentication, host name verification), but
 * key and trust material and their reloading are the context's business.
 *
 * @param profile              the PS3.15 profile; {@code null} means {@link TlsProfile#DEFAULT}
 * @param allowRetiredProfiles must be {@code true} to use {@link TlsProfile#BASIC} or {@link TlsProfile#AES}
 * @param certificate          PEM certificate chain, end-entity first
 * @param privateKey           PEM private key (PKCS#8 or traditional OpenSSL, RSA or EC, optionally encrypted)
 * @param privateKeyPassword   password of an encrypted {@code privateKey}
 * @param keyStore             PKCS12 key store (alternative to {@code certificate}/{@code privateKey})
 * @param keyStorePassword     its password (also the key password)
 * @param trustedCertificates  PEM file of trusted CA certificates
 * @param trustStore           PKCS12 trust store (alternative to {@code trustedCertificates})
 * @param trustStorePassword   its password
 * @param crlFiles             CRL files (PEM or DER); revocation is checked when any is given
 * @param ocsp                 also check revocation by OCSP (the certificate's responder first, CRLs as fallback)
 * @param clientAuth           server side: whether a client certificate is required; {@code null} means REQUIRE
 * @param verifyHostname       client side: check the server certificate against the host name connected to
 * @param sslContext           a ready-made context to use instead of the files
 * @param engine               which TLS implementation runs the connections ({@link TlsEngine#AUTO} by default)
 */
public record TlsSettings(
        TlsProfile profile,
        boolean allowRetiredProfiles,
        Path certificate,
        Path privateKey,
        String privateKeyPassword,
        Path keyStore,
        String keyStorePassword,
        Path trustedCertificates,
        Path trustStore,
        String trustStorePassword,
        List<Path> crlFiles,
        boolean ocsp,
        ClientAuth clientAuth,
        boolean verifyHostname,
        SSLContext sslContext,
        TlsEngine engine) {

    public TlsSettings {
        profile = profile == null ? TlsProfile.DEFAULT : profile;
        crlFiles = crlFiles == null ? List.of() : List.copyOf(crlFiles);
        clientAuth = clientAuth == null ? ClientAuth.REQUIRE : clientAuth;
        engine = engine == null ? TlsEngine.AUTO : engine;
    }

    /** Whether any key or trust file is set. */
    public boolean hasFiles() {
        return certificate != null || privateKey != null || keyStore != null || trustedCertificates != null
                || trustStore != null || !crlFiles.isEmpty();
    }

    /** The files whose changes trigger a reload: key, certificate, key store, trust and CRL files. */
    public List<Path> watchedFiles() {
        List<Path> l = new ArrayList<>();
        for (Path p : new Path[] {certificate, privateKey, keyStore, trustedCertificates, trustStore}) {
            if (p != null) {
                l.add(p);
            }
        }
        l.addAll(crlFiles);
        return l;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder().profile(profile).allowRetiredProfiles(allowRetiredProfiles).certificate(certificate)
                .privateKey(privateKey).privateKeyPassword(privateKeyPassword).keyStore(keyStore)
                .keyStorePassword(keyStorePassword).trustedCertificates(trustedCertificates).trustStore(trustStore)
                .trustStorePassword(trustStorePassword).crlFiles(crlFiles).ocsp(ocsp).clientAuth(clientAuth)
                .verifyHostname(verifyHostname).sslContext(sslContext).engine(engine);
    }

    /** Never shows passwords. */
    @Override
    public String toString() {
        return "TlsSettings[profile=" + profile.name() + ", allowRetiredProfiles=" + allowRetiredProfiles
                + ", certificate=" + certificate + ", privateKey=" + privateKey
                + ", privateKeyPassword=" + mask(privateKeyPassword) + ", keyStore=" + keyStore
                + ", keyStorePassword=" + mask(keyStorePassword) + ", trustedCertificates=" + trustedCertificates
                + ", trustStore=" + trustStore + ", trustStorePassword=" + mask(trustStorePassword)
                + ", crlFiles=" + crlFiles + ", ocsp=" + ocsp + ", clientAuth=" + clientAuth
                + ", verifyHostname=" + verifyHostname + ", sslContext=" + (sslContext == null ? "none" : "set")
                + ", engine=" + engine + "]";
    }

    private static String mask(String s) {
        return s == null ? "none" : "***";
    }

    /** Builds {@link TlsSettings}; defaults: profile B.12, clientAuth REQUIRE, verifyHostname true, engine AUTO. */
    public static final class Builder {
        private TlsProfile profile = TlsProfile.DEFAULT;
        private boolean allowRetiredProfiles;
        private Path certificate;
        private Path privateKey;
        private String privateKeyPassword;
        private Path keyStore;
        private String keyStorePassword;
        private Path trustedCertificates;
        private Path trustStore;
        private String trustStorePassword;
        private List<Path> crlFiles = List.of();
        private boolean ocsp;
        private ClientAuth clientAuth = ClientAuth.REQUIRE;
        private boolean verifyHostname = true;
        private SSLContext sslContext;
        private TlsEngine engine = TlsEngine.AUTO;

        private Builder() {
        }

        public Builder profile(TlsProfile v) {
            profile = v;
            return this;
        }

        public Builder allowRetiredProfiles(boolean v) {
            allowRetiredProfiles = v;
            return this;
        }

        public Builder certificate(Path v) {
            certificate = v;
            return this;
        }

        public Builder privateKey(Path v) {
            privateKey = v;
            return this;
        }

        public Builder privateKeyPassword(String v) {
            privateKeyPassword = v;
            return this;
        }

        public Builder keyStore(Path v) {
            keyStore = v;
            return this;
        }

        public Builder keyStorePassword(String v) {
            keyStorePassword = v;
            return this;
        }

        public Builder trustedCertificates(Path v) {
            trustedCertificates = v;
            return this;
        }

        public Builder trustStore(Path v) {
            trustStore = v;
            return this;
        }

        public Builder trustStorePassword(String v) {
            trustStorePassword = v;
            return this;
        }

        public Builder crlFiles(List<Path> v) {
            crlFiles = v;
            return this;
        }

        public Builder ocsp(boolean v) {
            ocsp = v;
            return this;
        }

        public Builder clientAuth(ClientAuth v) {
            clientAuth = v;
            return this;
        }

        public Builder verifyHostname(boolean v) {
            verifyHostname = v;
            return this;
        }

        public Builder sslContext(SSLContext v) {
            sslContext = v;
            return this;
        }

        public Builder engine(TlsEngine v) {
            engine = v;
            return this;
        }

        public TlsSettings build() {
            return new TlsSettings(profile, allowRetiredProfiles, certificate, privateKey, privateKeyPassword,
                    keyStore, keyStorePassword, trustedCertificates, trustStore, trustStorePassword, crlFiles, ocsp,
                    clientAuth, verifyHostname, sslContext, engine);
        }
    }
}
