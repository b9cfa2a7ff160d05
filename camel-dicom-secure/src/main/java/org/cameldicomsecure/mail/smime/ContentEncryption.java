package org.cameldicomsecure.mail.smime;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;

/**
 * Content encryption of an S/MIME message. The CBC ciphers make an EnvelopedData (RFC 5652 §6, RFC 3565,
 * {@code smime-type=enveloped-data}); the GCM ciphers an AuthEnvelopedData (RFC 5083, RFC 5084,
 * {@code smime-type=authEnveloped-data}), which also protects the integrity of the ciphertext. PS3.15 B.8 asks for AES;
 * Triple-DES, RC2 and DES are refused when reading.
 */
public enum ContentEncryption {
    AES128_CBC(NISTObjectIdentifiers.id_aes128_CBC, false, "AES-128-CBC"),
    AES192_CBC(NISTObjectIdentifiers.id_aes192_CBC, false, "AES-192-CBC"),
    /** The default (RFC 8551 §2.7 "MUST" AES-256-CBC for receivers; what {@code openssl smime -aes256} makes). */
    AES256_CBC(NISTObjectIdentifiers.id_aes256_CBC, false, "AES-256-CBC"),
    AES128_GCM(NISTObjectIdentifiers.id_aes128_GCM, true, "AES-128-GCM"),
    AES256_GCM(NISTObjectIdentifiers.id_aes256_GCM, true, "AES-256-GCM"),
    /** Read only when another program made it (never the writer's choice unless asked for). */
    AES192_GCM(NISTObjectIdentifiers.id_aes192_GCM, true, "AES-192-GCM");

    private final ASN1ObjectIdentifier oid;
    private final boolean authenticated;
    private final String displayName;

    ContentEncryption(ASN1ObjectIdentifier oid, boolean authenticated, String displayName) {
        this.oid = oid;
        this.authenticated = authenticated;
        this.displayName = displayName;
    }

    /** The algorithm OID in the EncryptedContentInfo. */
    public String oid() {
        return oid.getId();
    }

    ASN1ObjectIdentifier asn1() {
        return oid;
    }

    /** Whether this is an AEAD cipher (AuthEnvelopedData, smime-type=authEnveloped-data). */
    public boolean authenticated() {
        return authenticated;
    }

    /** The smime-type parameter of the application/pkcs7-mime part. */
    public String smimeType() {
        return authenticated ? "authEnveloped-data" : "enveloped-data";
    }

    /** The constant for an algorithm OID, or null when it is not AES. */
    public static ContentEncryption ofOid(String oid) {
        for (ContentEncryption c : values()) {
            if (c.oid.getId().equals(oid)) {
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
