package org.cameldicomsecure.deid;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

import org.cameldicomsecure.dicom.UID;

/**
 * Replacement UIDs (action U): {@code 2.25.<n>}, where n is the unsigned decimal value of the first 128 bits of
 * HMAC-SHA256(secret, "uid" 0x00 original) with the version and variant bits of an RFC 9562 version 8 (custom) UUID
 * set, so that the UID is a valid UUID-derived UID of PS3.5 §B.2. The same secret maps the same UID to the same
 * replacement in every instance, series and study, and in every {@link Deidentifier} that uses it.
 *
 * <p>Standard UIDs are never replaced: any UID in the DICOM root 1.2.840.10008 and any UID registered in PS3.6 Annex A
 * (Transfer Syntaxes, SOP Classes, well-known instances, coding schemes).
 */
final class UidMapper {

    private final Keyed keyed;
    private final Map<String, String> cache = new HashMap<>();

    UidMapper(Keyed keyed) {
        this.keyed = keyed;
    }

    /** Whether {@code uid} is one the de-identifier keeps as it is. */
    static boolean isStandard(String uid) {
        return uid.startsWith("1.2.840.10008.") || UID.typeOf(uid) != null;
    }

    /** The replacement of {@code uid} (trimmed), or {@code uid} itself if it is a standard UID. */
    String map(String uid) {
        String u = uid.trim();
        if (u.isEmpty() || isStandard(u)) {
            return u;
        }
        return cache.computeIfAbsent(u, this::derive);
    }

    private String derive(String u) {
        byte[] h = keyed.digest("uid", u);
        byte[] b = new byte[16];
        System.arraycopy(h, 0, b, 0, 16);
        b[6] = (byte) ((b[6] & 0x0F) | 0x80); // version 8
        b[8] = (byte) ((b[8] & 0x3F) | 0x80); // variant 10
        return "2.25." + new BigInteger(1, b);
    }
}
