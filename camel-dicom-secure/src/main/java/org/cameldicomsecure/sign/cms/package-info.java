/**
 * CMS (RFC 5652) structures used by DICOM, built with Bouncy Castle's operator API.
 *
 * <p>{@link org.cameldicomsecure.sign.cms.EncryptedAttributes}: the items of Encrypted Attributes Sequence
 * (0400,0500) (PS3.3 C.12.1.1.4), a CMS EnvelopedData over an Encrypted Attributes Data Set, with the algorithms of
 * PS3.15 E.1.1: RSA key transport [RFC 2313, RFC 3370 §4.2.1], AES-CBC [RFC 3565] or Triple-DES-CBC [RFC 3370 §5.1]
 * content encryption.
 *
 * <p>{@link org.cameldicomsecure.sign.cms.SecureDicomFile}: Secure DICOM Files (PS3.10 §7.4, PS3.15 D.1), a DICOM
 * File in a CMS EnvelopedData (AES or Triple-DES; RSA or RFC 3211 password recipients; inner data, SignedData or
 * DigestedData), made and opened as streams.
 *
 * <p>Imports only the JDK, {@code org.bouncycastle.*} and {@code org.cameldicomsecure.dicom} (shared/STYLE.md §3).
 */
package org.cameldicomsecure.sign.cms;
