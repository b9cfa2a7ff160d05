/**
 * Cryptographic protection of DICOM objects (PS3.15 Annex C and D, PS3.10 §7.4, PS3.3 C.12.1.1.3 and C.12.1.1.4).
 *
 * <ul>
 * <li>Digital signatures (PS3.3 C.12.1.1.3, PS3.15 Annex C): {@link org.cameldicomsecure.sign.DicomSigner} adds one,
 * {@link org.cameldicomsecure.sign.SignatureVerifier} checks every one of an instance,
 * {@link org.cameldicomsecure.sign.SignatureRemover} removes them; which elements each
 * {@link org.cameldicomsecure.sign.SignatureProfile} covers comes from the generated
 * {@link org.cameldicomsecure.sign.ProfileAttributeTable}.</li>
 * <li>Certified timestamps (RFC 3161): {@link org.cameldicomsecure.sign.TimestampClient} and
 * {@link org.cameldicomsecure.sign.TimestampVerifier}.</li>
 * <li>{@link org.cameldicomsecure.sign.cms} holds the CMS (RFC 5652) structures: the Encrypted Attributes Data Set of
 * the Attribute Confidentiality Profiles and Secure DICOM Files (PS3.15 D.1).</li>
 * </ul>
 *
 * <p>Layering (shared/STYLE.md §3): this package and its sub-packages import only the JDK, Bouncy Castle
 * ({@code org.bouncycastle.*}) and {@code org.cameldicomsecure.dicom}.
 */
package org.cameldicomsecure.sign;
