package org.cameldicomsecure.component.dicom;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The TLS options every endpoint of this project shares ({@code dicomtls:}, {@code dicomweb:}): the same names,
 * defaults and meaning, one declaration. {@code clientAuth} is each endpoint's own (its default differs).
 */
@UriParams
public abstract class TlsEndpointOptions implements TlsOptions {

    @UriParam(label = "security", defaultValue = "BCP195_RFC8996", enums = "BCP195_RFC8996,BCP195_RFC8996_MODIFIED,BCP195,BCP195_ND,BCP195_EX,CRYPTREC,NONE,AES,BASIC", description = "The PS3.15 Annex B secure transport profile: BCP195_RFC8996 (B.12, default), BCP195_RFC8996_MODIFIED (B.13), BCP195 (B.9), BCP195_ND (B.10), BCP195_EX (B.11), CRYPTREC (Supplement 206), NONE (plain TCP, only when set explicitly), and the retired AES (B.3) and BASIC (B.1) with allowRetiredProfiles=true.")
    private String tlsProfile = "BCP195_RFC8996";

    @UriParam(label = "security", defaultValue = "false", description = "Allow the retired profiles AES (B.3) and BASIC (B.1).")
    private boolean allowRetiredProfiles = false;

    @UriParam(label = "security,advanced", defaultValue = "AUTO", enums = "AUTO,JDK,OPENSSL", description = "The TLS implementation that runs the connections (the profile still decides versions, suites, key sizes and groups): AUTO uses Netty's OpenSSL engine (BoringSSL, from netty-tcnative-boringssl-static) where it serves every version and suite the JDK provider would enable for the profile (BCP195_RFC8996, the default profile), and the profile's JSSE provider otherwise; JDK always uses the JSSE provider (SunJSSE or Bouncy Castle's BCJSSE); OPENSSL always uses BoringSSL, without the suites it lacks (DHE, Camellia, CCM), and only for the profiles SunJSSE serves. Ignored with sslContextParameters.")
    private String tlsEngine = "AUTO";

    @UriParam(label = "security", description = "PEM file with this node's certificate chain.")
    private String certificate;

    @UriParam(label = "security", description = "PEM file with this node's private key (RSA or EC; PKCS#8 or traditional, optionally encrypted).")
    private String privateKey;

    @UriParam(label = "security", secret = true, description = "Password of an encrypted private key.")
    private String privateKeyPassword;

    @UriParam(label = "security", description = "PEM file with the CA certificates trusted to sign the peer's certificate.")
    private String trustedCertificates;

    @UriParam(label = "security", description = "PKCS12 key store with this node's key and certificate chain (instead of PEM files).")
    private String keyStore;

    @UriParam(label = "security", secret = true, description = "Password of the PKCS12 key store.")
    private String keyStorePassword;

    @UriParam(label = "security", description = "PKCS12 trust store (instead of trustedCertificates).")
    private String trustStore;

    @UriParam(label = "security", secret = true, description = "Password of the PKCS12 trust store.")
    private String trustStorePassword;

    @UriParam(label = "security", description = "Comma-separated certificate revocation list files (PEM or DER) checked against the peer's certificate.")
    private String crlFiles;

    @UriParam(label = "security", defaultValue = "false", description = "Also check the peer's certificate by OCSP.")
    private boolean ocsp = false;

    @UriParam(label = "producer,security", defaultValue = "true", description = "Check that the server certificate names the host connected to.")
    private boolean verifyHostname = true;

    @UriParam(label = "security", description = "Camel SSL context parameters, instead of the key material options; the TLS profile still decides protocols and cipher suites.")
    private SSLContextParameters sslContextParameters;

    @UriParam(label = "security,advanced", defaultValue = "10000", javaType = "java.time.Duration", description = "How long a TLS handshake may take.")
    private long tlsHandshakeTimeout = 10000;

    public String getTlsProfile() {
        return tlsProfile;
    }

    public void setTlsProfile(String tlsProfile) {
        this.tlsProfile = tlsProfile;
    }

    public boolean isAllowRetiredProfiles() {
        return allowRetiredProfiles;
    }

    public void setAllowRetiredProfiles(boolean allowRetiredProfiles) {
        this.allowRetiredProfiles = allowRetiredProfiles;
    }

    public String getTlsEngine() {
        return tlsEngine;
    }

    public void setTlsEngine(String tlsEngine) {
        this.tlsEngine = tlsEngine;
    }

    public String getCertificate() {
        return certificate;
    }

    public void setCertificate(String certificate) {
        this.certificate = certificate;
    }

    public String getPrivateKey() {
        return privateKey;
    }

    public void setPrivateKey(String privateKey) {
        this.privateKey = privateKey;
    }

    public String getPrivateKeyPassword() {
        return privateKeyPassword;
    }

    public void setPrivateKeyPassword(String privateKeyPassword) {
        this.privateKeyPassword = privateKeyPassword;
    }

    public String getTrustedCertificates() {
        return trustedCertificates;
    }

    public void setTrustedCertificates(String trustedCertificates) {
        this.trustedCertificates = trustedCertificates;
    }

    public String getKeyStore() {
        return keyStore;
    }

    public void setKeyStore(String keyStore) {
        this.keyStore = keyStore;
    }

    public String getKeyStorePassword() {
        return keyStorePassword;
    }

    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = keyStorePassword;
    }

    public String getTrustStore() {
        return trustStore;
    }

    public void setTrustStore(String trustStore) {
        this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
        return trustStorePassword;
    }

    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = trustStorePassword;
    }

    public String getCrlFiles() {
        return crlFiles;
    }

    public void setCrlFiles(String crlFiles) {
        this.crlFiles = crlFiles;
    }

    public boolean isOcsp() {
        return ocsp;
    }

    public void setOcsp(boolean ocsp) {
        this.ocsp = ocsp;
    }

    public boolean isVerifyHostname() {
        return verifyHostname;
    }

    public void setVerifyHostname(boolean verifyHostname) {
        this.verifyHostname = verifyHostname;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public long getTlsHandshakeTimeout() {
        return tlsHandshakeTimeout;
    }

    public void setTlsHandshakeTimeout(long tlsHandshakeTimeout) {
        this.tlsHandshakeTimeout = tlsHandshakeTimeout;
    }
}
