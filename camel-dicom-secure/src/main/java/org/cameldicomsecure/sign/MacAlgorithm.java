package org.cameldicomsecure.sign;

import java.util.Locale;

/**
 * The Defined Terms of MAC Algorithm (0400,0015), PS3.3 Table C.12.1.1.3.1.2-1, with the JCA names of the digest and
 * of the RSA (PKCS #1 v1.5, PS3.15 C.1) and ECDSA signature over it.
 *
 * <p>Every term is accepted when verifying, as PS3.15 C.1 requires of validators. New signatures are made only with
 * SHA-2 and SHA-3 (256 bits and more): RIPEMD-160, MD5, SHA-1 and the 224-bit variants are kept for older objects.
 */
public enum MacAlgorithm {
    RIPEMD160("RIPEMD160", "RIPEMD160", false),
    MD5("MD5", "MD5", false),
    SHA1("SHA1", "SHA-1", false),
    SHA224("SHA224", "SHA-224", false),
    SHA256("SHA256", "SHA-256", true),
    SHA384("SHA384", "SHA-384", true),
    SHA512("SHA512", "SHA-512", true),
    SHA512_224("SHA512_224", "SHA-512/224", false),
    SHA512_256("SHA512_256", "SHA-512/256", false),
    SHA3_224("SHA3_224", "SHA3-224", false),
    SHA3_256("SHA3_256", "SHA3-256", true),
    SHA3_384("SHA3_384", "SHA3-384", true),
    SHA3_512("SHA3_512", "SHA3-512", true);

    private final String term;
    private final String digest;
    private final boolean signingAllowed;

    MacAlgorithm(String term, String digest, boolean signingAllowed) {
        this.term = term;
        this.digest = digest;
        this.signingAllowed = signingAllowed;
    }

    /** The Defined Term written in MAC Algorithm (0400,0015). */
    public String term() {
        return term;
    }

    /** The JCA MessageDigest name. */
    public String digestName() {
        return digest;
    }

    /** Whether new signatures may use it (the others are verified only). */
    public boolean signingAllowed() {
        return signingAllowed;
    }

    /** The JCA Signature name for a key of algorithm {@code keyAlgorithm} ("RSA" or "EC"). */
    public String signatureName(String keyAlgorithm) {
        String d = switch (this) {
            case SHA512_224 -> "SHA512/224";
            case SHA512_256 -> "SHA512/256";
            case SHA3_224 -> "SHA3-224";
            case SHA3_256 -> "SHA3-256";
            case SHA3_384 -> "SHA3-384";
            case SHA3_512 -> "SHA3-512";
            default -> term;
        };
        return switch (keyAlgorithm) {
            case "RSA" -> d + "withRSA";
            case "EC", "ECDSA" -> d + "withECDSA";
            default -> throw new IllegalArgumentException("a " + keyAlgorithm
                    + " key cannot make a DICOM digital signature: RSA (PS3.15 C.1) or ECDSA keys only");
        };
    }

    /**
     * The algorithm of a Defined Term (upper or lower case; "SHA-256" style names too).
     *
     * @throws IllegalArgumentException naming the term and the known ones
     */
    public static MacAlgorithm of(String term) {
        if (term != null) {
            String t = term.trim().toUpperCase(Locale.ROOT);
            for (MacAlgorithm a : values()) {
                if (a.term.equals(t) || a.digest.equals(t)) {
                    return a;
                }
            }
        }
        StringBuilder known = new StringBuilder();
        for (MacAlgorithm a : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(a.term);
        }
        throw new IllegalArgumentException("unknown MAC Algorithm \"" + term + "\" (PS3.3 Table C.12.1.1.3.1.2-1 defines "
                + known + ")");
    }
}
