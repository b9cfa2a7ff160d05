package org.cameldicomsecure.mail.smime;

import java.security.cert.X509CRL;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SmimeReader} requires of a message (immutable; start from {@link #DEFAULT} and use the withers).
 *
 * @param requireSignature  refuse a message without a signature (true)
 * @param requireEncryption refuse a message that is not encrypted (true)
 * @param checkFromAddress  when the signer's certificate names email addresses (rfc822Name subject alternative names,
 *                          else emailAddress in the subject), the From address must be one of them (true; RFC 8551
 *                          §2.3, §3.1)
 * @param crls              CRLs; when not empty, the revocation of every certificate of the signer's path is checked
 *                          and a missing CRL fails the check
 * @param maxLayers         the most nested S/MIME layers accepted (6)
 * @param memoryThreshold   decrypted or signed content larger than this goes to temporary files (8 MiB)
 * @param allowSha1         accept SHA-1 signatures (false); MD5 is never accepted
 * @param maxBytes          the largest decrypted, decompressed or signed content accepted (4 GiB)
 */
public record SmimeReaderOptions(boolean requireSignature, boolean requireEncryption, boolean checkFromAddress,
        Collection<X509CRL> crls, int maxLayers, long memoryThreshold, boolean allowSha1, long maxBytes) {

    public static final SmimeReaderOptions DEFAULT = new SmimeReaderOptions(true, true, true, List.of(), 6,
            SmimeOptions.DEFAULT_MEMORY_THRESHOLD, false, 4L << 30);

    public SmimeReaderOptions {
        crls = List.copyOf(Objects.requireNonNull(crls, "crls"));
        if (maxLayers < 1) {
            throw new IllegalArgumentException("maxLayers < 1");
        }
        if (memoryThreshold < 0 || maxBytes < 1) {
            throw new IllegalArgumentException("memoryThreshold < 0 or maxBytes < 1");
        }
    }

    public SmimeReaderOptions withRequireSignature(boolean v) {
        return new SmimeReaderOptions(v, requireEncryption, checkFromAddress, crls, maxLayers, memoryThreshold,
                allowSha1, maxBytes);
    }

    public SmimeReaderOptions withRequireEncryption(boolean v) {
        return new SmimeReaderOptions(requireSignature, v, checkFromAddress, crls, maxLayers, memoryThreshold,
                allowSha1, maxBytes);
    }

    public SmimeReaderOptions withCheckFromAddress(boolean v) {
        return new SmimeReaderOptions(requireSignature, requireEncryption, v, crls, maxLayers, memoryThreshold,
                allowSha1, maxBytes);
    }

    public SmimeReaderOptions withCrls(Collection<X509CRL> v) {
        return new SmimeReaderOptions(requireSignature, requireEncryption, checkFromAddress, v, maxLayers,
                memoryThreshold, allowSha1, maxBytes);
    }

    public SmimeReaderOptions withMaxLayers(int v) {
        return new SmimeReaderOptions(requireSignature, requireEncryption, checkFromAddress, crls, v, memoryThreshold,
                allowSha1, maxBytes);
    }

    public SmimeReaderOptions withMemoryThreshold(long v) {
        return new SmimeReaderOptions(requireSignature, requireEncryption, checkFromAddress, crls, maxLayers, v,
                allowSha1, maxBytes);
    }

    public SmimeReaderOptions withAllowSha1(boolean v) {
        return new SmimeReaderOptions(requireSignature, requireEncryption, checkFromAddress, crls, maxLayers,
                memoryThreshold, v, maxBytes);
    }

    public SmimeReaderOptions withMaxBytes(long v) {
        return new SmimeReaderOptions(requireSignature, requireEncryption, checkFromAddress, crls, maxLayers,
                memoryThreshold, allowSha1, v);
    }
}
