/**
 * TLS for DICOM: the PS3.15 Annex B secure transport connection profiles (and Supplement 206 CRYPTREC) as data
 * ({@link org.cameldicomsecure.tls.TlsProfile}), and {@link org.cameldicomsecure.tls.TlsContextFactory}, which turns
 * {@link org.cameldicomsecure.tls.TlsSettings} into {@link javax.net.ssl.SSLEngine}s for servers and clients, with
 * PEM or PKCS12 key and trust material, CRLs, optional OCSP, and reloading of changed files.
 *
 * <p>JDK and Bouncy Castle only: no Camel and no Netty types. The DIMSE pipeline wraps the engines in Netty's
 * {@code SslHandler}; the DICOMweb server and the syslog-TLS client use the same factory.
 */
package org.cameldicomsecure.tls;
