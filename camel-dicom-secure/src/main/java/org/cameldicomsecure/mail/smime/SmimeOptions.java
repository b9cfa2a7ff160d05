package org.cameldicomsecure.mail.smime;

import java.util.Objects;

/**
 * How {@link SmimeWriter} protects a message (immutable; start from {@link #DEFAULT} and use the withers).
 *
 * @param contentEncryption AES-256-CBC by default
 * @param keyEncryption     key transport for RSA recipients, RSAES-PKCS1-v1_5 by default
 * @param order             sign then encrypt by default
 * @param digest            the signature's digest, "SHA-256" (also "SHA-384", "SHA-512")
 * @param memoryThreshold   content larger than this many bytes goes through temporary files (8 MiB)
 */
public record SmimeOptions(ContentEncryption contentEncryption, KeyEncryption keyEncryption, SignatureOrder order,
        String digest, long memoryThreshold) {

    public static final long DEFAULT_MEMORY_THRESHOLD = 8L << 20;

    public static final SmimeOptions DEFAULT = new SmimeOptions(ContentEncryption.AES256_CBC, KeyEncryption.RSA_PKCS1,
            SignatureOrder.SIGN_THEN_ENCRYPT, "SHA-256", DEFAULT_MEMORY_THRESHOLD);

    public SmimeOptions {
        Objects.requireNonNull(contentEncryption, "contentEncryption");
        Objects.requireNonNull(keyEncryption, "keyEncryption");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(digest, "digest");
        if (SmimeWriter.signatureDigest(digest) == null) {
            throw new IllegalArgumentException("digest " + digest + " is not one of SHA-256, SHA-384, SHA-512");
        }
        if (memoryThreshold < 0) {
            throw new IllegalArgumentException("memoryThreshold < 0");
        }
    }

    public SmimeOptions withContentEncryption(ContentEncryption v) {
        return new SmimeOptions(v, keyEncryption, order, digest, memoryThreshold);
    }

    public SmimeOptions withKeyEncryption(KeyEncryption v) {
        return new SmimeOptions(contentEncryption, v, order, digest, memoryThreshold);
    }

    public SmimeOptions withOrder(SignatureOrder v) {
        return new SmimeOptions(contentEncryption, keyEncryption, v, digest, memoryThreshold);
    }

    public SmimeOptions withDigest(String v) {
        return new SmimeOptions(contentEncryption, keyEncryption, order, v, memoryThreshold);
    }

    public SmimeOptions withMemoryThreshold(long v) {
        return new SmimeOptions(contentEncryption, keyEncryption, order, digest, v);
    }
}
