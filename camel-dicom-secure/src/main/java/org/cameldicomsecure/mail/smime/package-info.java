/**
 * S/MIME (RFC 8551, RFC 5751, RFC 3851) for secure DICOM email (PS3.15 B.8 "Secure Use of Email Transport"), on
 * Bouncy Castle's bcjmail and bcpkix with Jakarta Mail.
 *
 * <p>{@link org.cameldicomsecure.mail.smime.SmimeWriter} signs (detached multipart/signed) and encrypts
 * (enveloped-data AES-CBC or authEnveloped-data AES-GCM; RSA PKCS #1 v1.5 or OAEP key transport, ECDH key agreement)
 * a MIME entity in either order; {@link org.cameldicomsecure.mail.smime.SmimeReader} removes the layers of a received
 * message, decrypting and verifying each, and gives the content and the signer in an
 * {@link org.cameldicomsecure.mail.smime.UnwrappedMail}. Failures are
 * {@link org.cameldicomsecure.mail.smime.SecureMailException}s with a reason.
 *
 * <p>Imports only the JDK, {@code jakarta.mail}, {@code jakarta.activation}, {@code org.bouncycastle} and
 * {@code org.cameldicomsecure.sign} (no Camel types).
 */
package org.cameldicomsecure.mail.smime;
