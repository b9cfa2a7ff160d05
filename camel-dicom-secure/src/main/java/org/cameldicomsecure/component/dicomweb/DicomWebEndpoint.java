package org.cameldicomsecure.component.dicomweb;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.cameldicomsecure.component.dicom.TlsOptions;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.tls.TlsProfile;

/**
 * DICOMweb (PS3.18) over HTTPS with the PS3.15 secure transport profiles and OAuth 2.0 bearer tokens. The consumer is
 * an origin server for STOW-RS (each received instance becomes an exchange), WADO-RS or QIDO-RS (the route answers);
 * the producer is a STOW-RS, WADO-RS or QIDO-RS client.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "dicomweb", title = "DICOMweb", syntax = "dicomweb:baseUri",
             category = { Category.NETWORKING, Category.SECURITY, Category.HTTP },
             headersClass = DicomWebConstants.class)
public class DicomWebEndpoint extends DefaultEndpoint {

    @UriParam
    private DicomWebConfiguration configuration;

    /** The parts of the base URI. */
    record Address(boolean https, String host, int port, String basePath) {

        /** {@code host:port}, the key of a shared server. */
        String key() {
            return host + ":" + port;
        }

        /** The base URI. */
        URI uri() {
            try {
                return new URI(https ? "https" : "http", null, host, port, basePath.isEmpty() ? "/" : basePath, null,
                        null);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("invalid DICOMweb base URI: " + e.getMessage(), e);
            }
        }
    }

    public DicomWebEndpoint(String uri, DicomWebComponent component, DicomWebConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public DicomWebComponent getComponent() {
        return (DicomWebComponent) super.getComponent();
    }

    public DicomWebConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DicomWebConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() throws Exception {
        return new DicomWebProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        DicomWebConsumer consumer = new DicomWebConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    // ------------------------------------------------------------------ translation to the lower layers

    /** The base URI's parts; {@code http:} or {@code https:}, a host, an optional port and an optional path. */
    Address address() {
        String raw = configuration.getBaseUri();
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("dicomweb URI needs a base URI: dicomweb:https://host:port/path");
        }
        URI u;
        try {
            u = new URI(raw);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("dicomweb base URI is not a URI: " + e.getMessage(), e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("dicomweb base URI must start with http:// or https://, not '"
                    + (u.getScheme() == null ? raw : u.getScheme() + ":") + "'");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("dicomweb base URI has no host: " + raw);
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("dicomweb base URI must not have user info, a query or a fragment");
        }
        boolean https = scheme.equals("https");
        int port = u.getPort() >= 0 ? u.getPort() : https ? 443 : 80;
        String path = u.getPath() == null ? "" : u.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String host = u.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Address(https, host, port, path);
    }

    /** The operation option. */
    Operation operation() {
        String op = configuration.getOperation();
        if (op == null) {
            return Operation.STOW;
        }
        try {
            return Operation.valueOf(op.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("operation must be stow, wado or qido, not '" + op + "'");
        }
    }

    /** The operations of the option {@code operation}. */
    enum Operation {
        STOW, WADO, QIDO
    }

    /**
     * The TLS context factory: null for an {@code http:} base URI; for {@code https:} the profile's (tlsProfile=NONE
     * is refused there). Validates the key material now (fails fast).
     */
    TlsContextFactory createTls() throws Exception {
        return createTls(false);
    }

    /** As {@link #createTls()}; {@code forHttpClient}: on JSSE engines only (the producer's JDK HTTP client). */
    TlsContextFactory createTls(boolean forHttpClient) throws Exception {
        if (!address().https()) {
            return null;
        }
        if (!TlsOptions.profile(configuration).isTls()) {
            throw new IllegalArgumentException("an https: dicomweb URI needs a TLS profile, not tlsProfile="
                    + TlsProfile.NONE.name() + " (use an http: URI for plain HTTP)");
        }
        return TlsOptions.createTls(configuration, getCamelContext(), getComponent().globalSslContextParameters(),
                forHttpClient);
    }
}
