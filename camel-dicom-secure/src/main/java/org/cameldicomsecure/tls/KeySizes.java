package org.cameldicomsecure.tls;

/**
 * Minimum key sizes a TLS profile demands, in bits; 0 means the profile sets no minimum (the JVM's
 * {@code jdk.certpath.disabledAlgorithms} and {@code jdk.tls.disabledAlgorithms} still apply).
 *
 * @param rsa   RSA keys of certificates (ours and the peer's)
 * @param ec    EC keys of certificates (field size: 256 for P-256)
 * @param dhe   finite-field Diffie-Hellman groups of DHE key exchange
 * @param ecdhe curves of ECDHE key exchange
 */
public record KeySizes(int rsa, int ec, int dhe, int ecdhe) {

    /** No minimum beyond the JVM's own limits. */
    public static final KeySizes UNCONSTRAINED = new KeySizes(0, 0, 0, 0);

    public KeySizes {
        if (rsa < 0 || ec < 0 || dhe < 0 || ecdhe < 0) {
            throw new IllegalArgumentException("key sizes must not be negative");
        }
    }

    /** The minimum for a certificate key of that JCA algorithm ("RSA" or "EC"); 0 for others. */
    public int minimumFor(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "RSA" -> rsa;
            case "EC" -> ec;
            default -> 0;
        };
    }
}
