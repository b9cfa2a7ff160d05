package org.cameldicomsecure.web.server;

import java.net.InetSocketAddress;
import java.util.Set;

/**
 * One DICOMweb request as the handlers and the listener see it.
 *
 * @param operation         the transaction
 * @param method            the HTTP method
 * @param path              the decoded request path (without the query)
 * @param baseUrl           the URL of the service root ({@code https://host:port/base}) as the client addressed it
 *                          (its {@code Host} header field) or as configured ({@link DicomWebServer.Options.Builder#publicBaseUrl})
 * @param remoteAddress     the client's address
 * @param principal         the authenticated principal (the token's subject), null without authentication
 * @param scopes            the scopes of the token (empty without authentication)
 * @param tlsPeerSubject    the subject DN of the client's certificate, null without one
 * @param tlsProtocol       the negotiated TLS protocol, null for plain HTTP
 * @param studyInstanceUid  the {study} of the URL, or null
 * @param seriesInstanceUid the {series} of the URL, or null
 * @param sopInstanceUid    the {instance} of the URL, or null
 */
public record WebRequest(DicomWebOperation operation, String method, String path, String baseUrl,
        InetSocketAddress remoteAddress, String principal, Set<String> scopes, String tlsPeerSubject,
        String tlsProtocol, String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid) {

    public WebRequest {
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    WebRequest withPrincipal(String principal, Set<String> scopes) {
        return new WebRequest(operation, method, path, baseUrl, remoteAddress, principal, scopes, tlsPeerSubject,
                tlsProtocol, studyInstanceUid, seriesInstanceUid, sopInstanceUid);
    }

    /** True when the request came over TLS. */
    public boolean secure() {
        return tlsProtocol != null;
    }
}
