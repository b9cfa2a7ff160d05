/**
 * Cryptographic protection of DICOM objects (PS3.15 Annex C and D, PS3.10 §7.4, PS3.3 C.12.1.1.4).
 *
 * <p>{@link org.cameldicomsecure.sign.cms} holds the CMS (RFC 5652) structures: the Encrypted Attributes Data Set of
 * the Attribute Confidentiality Profiles ({@link org.cameldicomsecure.sign.cms.EncryptedAttributes}).
 *
 * <p>Layering (shared/STYLE.md §3): this package and its sub-packages import only the JDK, Bouncy Castle
 * ({@code org.bouncycastle.*}) and {@code org.cameldicomsecure.dicom}.
 */
package org.cameldicomsecure.sign;
