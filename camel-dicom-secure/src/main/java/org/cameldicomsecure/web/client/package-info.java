/**
 * DICOMweb user agent (PS3.18): {@link org.cameldicomsecure.web.client.DicomWebClient} for STOW-RS (one streamed
 * multipart/related request), WADO-RS (multipart responses streamed part by part into temporary files,
 * {@link org.cameldicomsecure.web.client.RetrievedInstance}) and QIDO-RS (DICOM JSON), on the JDK's HTTP client with
 * TLS from a {@link org.cameldicomsecure.tls.TlsContextFactory} (through
 * {@link org.cameldicomsecure.tls.HttpClientTls}) and OAuth 2.0 bearer tokens from a
 * {@link org.cameldicomsecure.web.client.TokenSource}: a configured one
 * ({@link org.cameldicomsecure.web.client.StaticTokenSource}) or the client credentials grant
 * ({@link org.cameldicomsecure.web.client.ClientCredentialsTokenSource}). No Camel types.
 */
package org.cameldicomsecure.web.client;
