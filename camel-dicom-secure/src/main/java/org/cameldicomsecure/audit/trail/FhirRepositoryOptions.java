package org.cameldicomsecure.audit.trail;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import org.cameldicomsecure.tls.TlsEngine;
import org.cameldicomsecure.tls.TlsSettings;

/**
 * How a {@link FhirRepositorySink} reaches a FHIR audit record repository. Build with {@link #builder()};
 * {@code build()} checks everything and refuses bad values with an {@link IllegalArgumentException} that names the
 * option.
 *
 * @param name           the sink's name in the trail ([a-z0-9-]+, default "fhir")
 * @param baseUrl        the FHIR server's base URL, {@code http} or {@code https} (required; no query, fragment or
 *                       user info; a trailing '/' is dropped): records go to {@code [base]/AuditEvent}
 * @param method         {@link Method#POST} (default): {@code POST [base]/AuditEvent}, the server assigns the
 *                       resource ID, so a record sent again after a failure is stored twice; {@link Method#PUT}:
 *                       {@code PUT [base]/AuditEvent/<record id>} with that {@code id} put into the resource, so a
 *                       record sent again replaces itself (idempotent; the server must allow update-as-create)
 * @param bearerToken    an OAuth bearer token sent as {@code Authorization: Bearer ...}, or {@code null}; never
 *                       logged, never shown by {@link #toString()}
 * @param connectTimeout how long a TCP connect (plus TLS handshake) may take (default 10 s)
 * @param requestTimeout how long one request may take until the response status arrives (default 30 s)
 * @param tls            for {@code https}: trust (and an optional client certificate for mutual TLS) and the TLS
 *                       profile, with the same PEM and PKCS12 options as {@code dicomtls}; {@code null}: the JDK's
 *                       default trust anchors and TLS settings. Refused for {@code http}. The JDK's HTTP client always
 *                       checks the server's certificate against the host name, so {@code verifyHostname=false} is
 *                       refused, and it runs on the JDK's TLS engines, so {@code engine=OPENSSL} is refused
 *                       ({@code AUTO} means the profile's JSSE provider here)
 */
public record FhirRepositoryOptions(
        String name,
        URI baseUrl,
        Method method,
        String bearerToken,
        Duration connectTimeout,
        Duration requestTimeout,
        TlsSettings tls) {

    /** How records are written to the repository. */
    public enum Method {
        /** {@code POST [base]/AuditEvent}: the server assigns the ID. */
        POST,
        /** {@code PUT [base]/AuditEvent/<record id>}: replays are idempotent. */
        PUT
    }

    public static final String DEFAULT_NAME = "fhir";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public FhirRepositoryOptions {
        if (name == null || !name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("FHIR sink name must match [a-z0-9-]+, not '" + name + "'");
        }
        baseUrl = checkBaseUrl(baseUrl);
        Objects.requireNonNull(method, "method");
        if (bearerToken != null) {
            if (bearerToken.isBlank()) {
                throw new IllegalArgumentException("bearerToken is blank: leave it unset for no Authorization header");
            }
            for (int i = 0; i < bearerToken.length(); i++) {
                char c = bearerToken.charAt(i);
                if (c <= ' ' || c >= 0x7f) {
                    // never the token itself
                    throw new IllegalArgumentException("bearerToken holds a character that an HTTP header cannot "
                            + "carry (a space, a control or a non-ASCII character) at position " + i);
                }
            }
        }
        connectTimeout = positive("connectTimeout", connectTimeout);
        requestTimeout = positive("requestTimeout", requestTimeout);
        boolean https = baseUrl.getScheme().equals("https");
        if (tls != null && !https) {
            throw new IllegalArgumentException("TLS settings are given but baseUrl " + baseUrl + " is http: they "
                    + "would be ignored; use an https URL or drop them");
        }
        if (tls != null) {
            if (!tls.profile().isTls()) {
                throw new IllegalArgumentException("baseUrl " + baseUrl + " is https but tlsProfile is NONE");
            }
            if (!tls.verifyHostname()) {
                throw new IllegalArgumentException("verifyHostname=false is not supported by the FHIR sink: the JDK's "
                        + "HTTP client always checks the server's certificate against the host name of baseUrl");
            }
            if (tls.engine() == TlsEngine.OPENSSL) {
                throw new IllegalArgumentException("engine OPENSSL is not supported by the FHIR sink: it runs on the "
                        + "JDK's HTTP client, use engine JDK or AUTO");
            }
        }
    }

    private static URI checkBaseUrl(URI u) {
        if (u == null) {
            throw new IllegalArgumentException("baseUrl is required: the FHIR audit record repository's base URL, "
                    + "e.g. https://audit.example.org/fhir");
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("baseUrl must be an http or https URL, not '" + safe(u) + "'");
        }
        if (u.isOpaque() || u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("baseUrl '" + safe(u) + "' has no host");
        }
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl must not hold user info (credentials in a URL end up in "
                    + "logs); use bearerToken");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl '" + safe(u) + "' must not have a query or a fragment");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(scheme + "://" + u.getRawAuthority() + path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl '" + safe(u) + "' is not a valid URL: " + e.getMessage(), e);
        }
    }

    /** The URL without user info (which may hold a password). */
    private static String safe(URI u) {
        if (u.getRawUserInfo() == null) {
            return u.toString();
        }
        return u.toString().replace(u.getRawUserInfo() + "@", "***@");
    }

    private static Duration positive(String option, Duration d) {
        Objects.requireNonNull(d, option);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, not " + d);
        }
        return d;
    }

    /** {@code [base]/AuditEvent}, where POST goes. */
    public URI auditEventUrl() {
        return URI.create(baseUrl + "/AuditEvent");
    }

    /** {@code [base]/AuditEvent/<id>}, where PUT goes; {@code id} must be a FHIR id. */
    public URI auditEventUrl(String id) {
        if (!FhirRepositorySink.isFhirId(id)) {
            throw new IllegalArgumentException("not a FHIR resource id ([A-Za-z0-9-.]{1,64}): '" + id + "'");
        }
        return URI.create(baseUrl + "/AuditEvent/" + id);
    }

    /** Never shows the bearer token (and TlsSettings masks its passwords). */
    @Override
    public String toString() {
        return "FhirRepositoryOptions[" + name + ": " + method + " " + baseUrl + "/AuditEvent, bearerToken="
                + (bearerToken == null ? "none" : "***") + ", connectTimeout=" + connectTimeout + ", requestTimeout="
                + requestTimeout + ", tls=" + tls + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().name(name).baseUrl(baseUrl).method(method).bearerToken(bearerToken)
                .connectTimeout(connectTimeout).requestTimeout(requestTimeout).tls(tls);
    }

    /** Builds {@link FhirRepositoryOptions}; see the record's parameters for the defaults. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private URI baseUrl;
        private Method method = Method.POST;
        private String bearerToken;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private TlsSettings tls;

        private Builder() {
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder baseUrl(URI v) {
            baseUrl = v;
            return this;
        }

        /** @throws IllegalArgumentException {@code v} is not a URL */
        public Builder baseUrl(String v) {
            if (v == null) {
                baseUrl = null;
                return this;
            }
            try {
                baseUrl = new URI(v.strip());
            } catch (URISyntaxException e) {
                // the reason, not the input: it may hold user info
                throw new IllegalArgumentException("baseUrl is not a valid URL: " + e.getReason(), e);
            }
            return this;
        }

        public Builder method(Method v) {
            method = v;
            return this;
        }

        /** {@code null}: no Authorization header. */
        public Builder bearerToken(String v) {
            bearerToken = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        /** {@code null}: the JDK's default trust and TLS settings (https only). */
        public Builder tls(TlsSettings v) {
            tls = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the option that is wrong
         */
        public FhirRepositoryOptions build() {
            return new FhirRepositoryOptions(name, baseUrl, method, bearerToken, connectTimeout, requestTimeout, tls);
        }
    }
}
