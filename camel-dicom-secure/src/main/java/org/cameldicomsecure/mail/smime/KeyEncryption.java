package org.cameldicomsecure.mail.smime;

/**
 * Key transport for RSA recipient certificates. EC recipient certificates always use ECDH key agreement
 * (dhSinglePass-stdDH-sha256kdf-scheme, RFC 5753, with an ephemeral key and AES key wrap).
 */
public enum KeyEncryption {
    /** rsaEncryption, RSAES-PKCS1-v1_5 (RFC 3370 §4.2.1): the default, what mail clients and {@code openssl smime} use. */
    RSA_PKCS1,
    /** id-RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 3560, RFC 4055, RFC 8551 §2.3). */
    RSA_OAEP
}
