package org.cameldicomsecure.deid;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under the de-identification secret, with a domain label per use, so that a replacement UID never equals
 * a date-shift input or an AE title pseudonym of the same text. One instance per de-identification (a {@link Mac} is
 * not thread-safe).
 */
final class Keyed {

    static final String ALGORITHM = "HmacSHA256";

    private final Mac mac;

    Keyed(byte[] secret) {
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    /** HMAC-SHA256(secret, label || 0x00 || part1 || 0x00 || part2 ...), 32 bytes. */
    byte[] digest(String label, String... parts) {
        mac.reset();
        mac.update(label.getBytes(StandardCharsets.UTF_8));
        for (String p : parts) {
            mac.update((byte) 0);
            mac.update((p == null ? "" : p).getBytes(StandardCharsets.UTF_8));
        }
        return mac.doFinal();
    }
}
