package org.cameldicomsecure.tls;

import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.BiFunction;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.BCSSLParameters;

/**
 * TLS for the JDK's {@link HttpClient} from a {@link TlsContextFactory}: every connection runs on an engine of
 * {@link TlsContextFactory#newClientEngine} (the profile's protocol versions, cipher suites, named groups and
 * signature schemes, the trust and optional client key, reloaded when the files change), and host name verification
 * is what the factory's {@link TlsSettings#verifyHostname()} says.
 *
 * <p>The HTTP client asks the {@link SSLContext} for an engine per connection and then calls
 * {@link SSLEngine#setSSLParameters} with its own parameters (a copy of {@link #sslParameters}, plus SNI, ALPN and
 * "HTTPS" endpoint identification). The engines handed out here keep the factory's configuration: of what the client
 * sets, only the ALPN protocols are taken; SNI comes from the host the engine was made for, and endpoint
 * identification stays as the factory set it (so {@code verifyHostname=false} is honoured, which the HTTP client
 * alone could not do).
 *
 * <p>Use {@link #configure(HttpClient.Builder, TlsContextFactory)}, or set {@link #sslContext} and
 * {@link #sslParameters} on the builder yourself. The factory must run on a JSSE provider: Netty's OpenSSL engine
 * ({@link TlsEngine#OPENSSL}) is refused; {@link #factory(TlsSettings)} creates one with {@link TlsEngine#AUTO}
 * mapped to {@link TlsEngine#JDK}.
 */
public final class HttpClientTls {

    /** The host the defaults are asked for when no connection is meant (the parameters do not depend on it). */
    private static final String ANY_HOST = "localhost";

    private HttpClientTls() {
    }

    /**
     * A factory for an HTTP client: {@code settings} with {@link TlsEngine#AUTO} turned into {@link TlsEngine#JDK}.
     *
     * @throws TlsConfigurationException the settings are wrong (named), the profile is NONE, or the engine is OPENSSL
     */
    public static TlsContextFactory factory(TlsSettings settings) {
        if (settings.engine() == TlsEngine.OPENSSL) {
            throw new TlsConfigurationException("engine OPENSSL cannot be used by the JDK's HTTP client: use engine "
                    + "JDK or AUTO");
        }
        TlsSettings s = settings.engine() == TlsEngine.AUTO ? settings.toBuilder().engine(TlsEngine.JDK).build()
                : settings;
        TlsContextFactory f = TlsContextFactory.create(s);
        if (!f.isTls()) {
            throw new TlsConfigurationException("tlsProfile NONE has no TLS for an https connection");
        }
        return f;
    }

    /**
     * An {@link SSLContext} whose client engines come from {@code tls} (see the class comment). It makes client
     * engines only: no socket factories, no server engines.
     *
     * @throws IllegalArgumentException {@code tls} is {@link TlsProfile#NONE} or runs on OpenSSL
     */
    public static SSLContext sslContext(TlsContextFactory tls) {
        check(tls);
        return new FactoryContext(new Spi(tls));
    }

    /**
     * The parameters to give the HTTP client ({@link HttpClient.Builder#sslParameters}): the factory's protocol
     * versions and cipher suites. Without them the client would take {@link SSLContext#getDefaultSSLParameters()} of
     * {@link #sslContext}, which are the same.
     */
    public static SSLParameters sslParameters(TlsContextFactory tls) {
        check(tls);
        return tls.newClientEngine(ANY_HOST, -1).getSSLParameters();
    }

    /**
     * The JDK HTTP client every HTTP user of this project takes: HTTP/1.1, redirects not followed, {@code tls}'s
     * profile when not null (see {@link #configure}).
     */
    public static HttpClient newClient(java.time.Duration connectTimeout, TlsContextFactory tls) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout);
        if (tls != null) {
            configure(b, tls);
        }
        return b.build();
    }

    /** Sets {@link #sslContext} and {@link #sslParameters} of {@code tls} on {@code builder}; returns it. */
    public static HttpClient.Builder configure(HttpClient.Builder builder, TlsContextFactory tls) {
        return builder.sslContext(sslContext(tls)).sslParameters(sslParameters(tls));
    }

    private static void check(TlsContextFactory tls) {
        if (!tls.isTls()) {
            throw new IllegalArgumentException("tlsProfile NONE has no TLS for an https connection");
        }
        if (tls.usesOpenSsl()) {
            throw new IllegalArgumentException("the JDK's HTTP client runs on JSSE engines, not OpenSSL: create the "
                    + "TlsContextFactory with engine JDK (HttpClientTls.factory maps AUTO to JDK)");
        }
    }

    private static final class FactoryContext extends SSLContext {

        FactoryContext(Spi spi) {
            super(spi, new Provider("cds-http-tls", "1.0", "client SSLEngines of a TlsContextFactory") {
                private static final long serialVersionUID = 1L;
            }, "TLS");
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final TlsContextFactory factory;

        Spi(TlsContextFactory factory) {
            this.factory = factory;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
                throws KeyManagementException {
            throw new KeyManagementException("initialized by its TlsContextFactory");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw new UnsupportedOperationException("client engines only");
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException("client engines only");
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw new UnsupportedOperationException("a client engine needs the peer's host and port");
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String peerHost, int peerPort) {
            return new ProfileEngine(factory.newClientEngine(peerHost, peerPort));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return null;
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return null;
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return factory.newClientEngine(ANY_HOST, -1).getSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            SSLEngine e = factory.newClientEngine(ANY_HOST, -1);
            SSLParameters p = e.getSSLParameters();
            p.setCipherSuites(e.getSupportedCipherSuites());
            p.setProtocols(e.getSupportedProtocols());
            return p;
        }
    }

    /**
     * A factory engine whose configuration the HTTP client cannot replace: {@link #setSSLParameters} takes only the
     * ALPN protocols. Everything else is the factory engine's.
     */
    static final class ProfileEngine extends SSLEngine {
        private final SSLEngine d;

        ProfileEngine(SSLEngine delegate) {
            super(delegate.getPeerHost(), delegate.getPeerPort());
            this.d = delegate;
        }

        SSLEngine delegate() {
            return d;
        }

        @Override
        public void setSSLParameters(SSLParameters params) {
            String[] alpn = params.getApplicationProtocols();
            if (alpn == null || alpn.length == 0) {
                return;
            }
            if (d instanceof BCSSLEngine bc) {
                BCSSLParameters p = bc.getParameters();
                p.setApplicationProtocols(alpn);
                bc.setParameters(p);
            } else {
                SSLParameters p = d.getSSLParameters();
                p.setApplicationProtocols(alpn);
                d.setSSLParameters(p);
            }
        }

        @Override
        public SSLParameters getSSLParameters() {
            return d.getSSLParameters();
        }

        @Override
        public String getPeerHost() {
            return d.getPeerHost();
        }

        @Override
        public int getPeerPort() {
            return d.getPeerPort();
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
            return d.wrap(srcs, offset, length, dst);
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
            return d.wrap(src, dst);
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, ByteBuffer dst) throws SSLException {
            return d.wrap(srcs, dst);
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
            return d.unwrap(src, dsts, offset, length);
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
            return d.unwrap(src, dst);
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts) throws SSLException {
            return d.unwrap(src, dsts);
        }

        @Override
        public Runnable getDelegatedTask() {
            return d.getDelegatedTask();
        }

        @Override
        public void closeInbound() throws SSLException {
            d.closeInbound();
        }

        @Override
        public boolean isInboundDone() {
            return d.isInboundDone();
        }

        @Override
        public void closeOutbound() {
            d.closeOutbound();
        }

        @Override
        public boolean isOutboundDone() {
            return d.isOutboundDone();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return d.getSupportedCipherSuites();
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return d.getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            // the profile's suites stay
        }

        @Override
        public String[] getSupportedProtocols() {
            return d.getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return d.getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            // the profile's versions stay
        }

        @Override
        public SSLSession getSession() {
            return d.getSession();
        }

        @Override
        public SSLSession getHandshakeSession() {
            return d.getHandshakeSession();
        }

        @Override
        public void beginHandshake() throws SSLException {
            d.beginHandshake();
        }

        @Override
        public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
            return d.getHandshakeStatus();
        }

        @Override
        public void setUseClientMode(boolean mode) {
            if (!mode) {
                throw new IllegalArgumentException("client engines only");
            }
        }

        @Override
        public boolean getUseClientMode() {
            return d.getUseClientMode();
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            // client mode: no effect
        }

        @Override
        public boolean getNeedClientAuth() {
            return d.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            // client mode: no effect
        }

        @Override
        public boolean getWantClientAuth() {
            return d.getWantClientAuth();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            d.setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return d.getEnableSessionCreation();
        }

        @Override
        public String getApplicationProtocol() {
            return d.getApplicationProtocol();
        }

        @Override
        public String getHandshakeApplicationProtocol() {
            return d.getHandshakeApplicationProtocol();
        }

        @Override
        public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
            d.setHandshakeApplicationProtocolSelector(selector);
        }

        @Override
        public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
            return d.getHandshakeApplicationProtocolSelector();
        }

        @Override
        public String toString() {
            return "ProfileEngine[" + d + "]";
        }
    }
}
