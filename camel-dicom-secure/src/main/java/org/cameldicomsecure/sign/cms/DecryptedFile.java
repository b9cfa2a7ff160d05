package org.cameldicomsecure.sign.cms;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import org.cameldicomsecure.sign.cms.SecureDicomFile.DigestAlgorithm;
import org.cameldicomsecure.sign.cms.SecureDicomFile.InnerContent;
import org.cameldicomsecure.sign.cms.SecureDicomFile.RecipientKind;

/**
 * What {@link SecureDicomFile#decrypt} found in a Secure DICOM File it opened.
 *
 * @param contentCipher   the content-encryption algorithm of the EnvelopedData
 * @param innerContent    what it encrypted: the DICOM File itself, a SignedData or a DigestedData around it
 * @param recipientKind   the kind of RecipientInfo that was opened
 * @param keyEncryption   how the content-encryption key was encrypted for that recipient, for example
 *                        {@code "RSAES-PKCS1-v1_5"} or {@code "PWRI-KEK AES-256-CBC, PBKDF2 HMAC-SHA-256"}
 * @param digestAlgorithm the digest of the inner SignedData (of its first signer) or DigestedData; {@code null} for
 *                        {@link InnerContent#DATA}
 * @param signers         the certificates of the SignedData's signers, whose signatures all verified; empty unless
 *                        {@link InnerContent#SIGNED}
 * @param signersTrusted  whether every signer was also validated with PKIX up to a trust anchor
 * @param length          the number of bytes of the DICOM File written to the output
 */
public record DecryptedFile(ContentCipher contentCipher, InnerContent innerContent, RecipientKind recipientKind,
        String keyEncryption, DigestAlgorithm digestAlgorithm, List<X509Certificate> signers, boolean signersTrusted,
        long length) {

    public DecryptedFile {
        Objects.requireNonNull(contentCipher, "contentCipher");
        Objects.requireNonNull(innerContent, "innerContent");
        Objects.requireNonNull(recipientKind, "recipientKind");
        Objects.requireNonNull(keyEncryption, "keyEncryption");
        signers = List.copyOf(signers);
    }

    /** The subject (RFC 2253) of the first signer, or {@code null} without an inner SignedData. */
    public String signerSubject() {
        return signers.isEmpty() ? null : signers.get(0).getSubjectX500Principal().getName();
    }
}
