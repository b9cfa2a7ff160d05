/**
 * CMS (RFC 5652) structures used by DICOM, built with Bouncy Castle's operator API.
 *
 * <p>{@link org.cameldicomsecure.sign.cms.EncryptedAttributes}: the items of Encrypted Attributes Sequence
 * (0400,0500) (PS3.3 C.12.1.1.4), a CMS EnvelopedData over an Encrypted Attributes Data Set, with the algorithms of
 * PS3.15 E.1.1: RSA key transport [RFC 2313, RFC 3370 §4.2.1], AES-CBC [RFC 3565] or Triple-DES-CBC [RFC 3370 §5.1]
 * content encryption.
 *
 * <p>Imports only the JDK, {@code org.bouncycastle.*} and {@code org.cameldicomsecure.dicom} (shared/STYLE.md §3).
 */
package org.cameldicomsecure.sign.cms;
