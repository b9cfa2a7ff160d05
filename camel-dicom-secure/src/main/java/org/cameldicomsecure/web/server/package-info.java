/**
 * The DICOMweb origin server (PS3.18 Studies Service: STOW-RS, WADO-RS, QIDO-RS) on Netty's HTTP/1.1 codec, plain or
 * HTTPS with a {@link org.cameldicomsecure.tls.TlsContextFactory}. {@link org.cameldicomsecure.web.server.DicomWebServer}
 * binds one port; {@link org.cameldicomsecure.web.server.DicomWebServer#serve} attaches a handler per operation with
 * its own bearer-token check ({@link org.cameldicomsecure.web.auth.BearerAuthenticator}) and required scopes.
 *
 * <p>STOW-RS: the whole multipart body is received and every part validated (media type, PS3.10 parse, UIDs, study
 * of the URL) before any {@link org.cameldicomsecure.web.server.StowHandler} call; a bad part refuses the request
 * (415, 400 or 409 naming the part). The response reports per instance what the handler did. Library code without
 * Camel types.
 */
package org.cameldicomsecure.web.server;
