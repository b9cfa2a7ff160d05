package org.cameldicomsecure.sign.cms;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;

/**
 * CMS content-encryption algorithms of DICOM: AES-CBC (RFC 3565), for Secure DICOM Files (PS3.15 D.1) and Encrypted
 * Attributes (PS3.15 E.1.1), and Triple-DES-CBC (RFC 3370 section 5.1), which the readers of both must open.
 */
public enum ContentCipher {
    /** id-aes128-CBC: the default. */
    AES_128_CBC(CMSAlgorithm.AES128_CBC, "AES-128-CBC", true),
    /** id-aes192-CBC. */
    AES_192_CBC(CMSAlgorithm.AES192_CBC, "AES-192-CBC", true),
    /** id-aes256-CBC. */
    AES_256_CBC(CMSAlgorithm.AES256_CBC, "AES-256-CBC", true),
    /** des-ede3-cbc with a 168-bit key (ANSI X9.52): decryption only. */
    TRIPLE_DES_CBC(CMSAlgorithm.DES_EDE3_CBC, "Triple-DES-CBC", false);

    private final ASN1ObjectIdentifier oid;
    private final String displayName;
    private final boolean encrypts;

    ContentCipher(ASN1ObjectIdentifier oid, String displayName, boolean encrypts) {
        this.oid = oid;
        this.displayName = displayName;
        this.encrypts = encrypts;
    }

    /** The algorithm OID of the EncryptedContentInfo. */
    public String oid() {
        return oid.getId();
    }

    /** Whether new content is encrypted with it (Triple-DES is only read: PS3.15 D.1 and E.1.2 readers open it). */
    public boolean usableForEncryption() {
        return encrypts;
    }

    ASN1ObjectIdentifier asn1() {
        return oid;
    }

    static ContentCipher of(ASN1ObjectIdentifier oid) {
        for (ContentCipher c : values()) {
            if (c.oid.equals(oid)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
