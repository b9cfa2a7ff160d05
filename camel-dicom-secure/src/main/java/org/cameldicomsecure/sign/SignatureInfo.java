package org.cameldicomsecure.sign;

import java.util.List;

/**
 * One digital signature as written or found: where it is, who signed, how, and over which elements.
 *
 * @param location         where the Digital Signatures Sequence item is: "" for the top level, else an item path
 *                         such as {@code (0040,A730)[0].(0040,A730)[2]} ({@link ItemPath})
 * @param uid              Digital Signature UID (0400,0100)
 * @param macIdNumber      MAC ID Number (0400,0005)
 * @param dateTime         Digital Signature DateTime (0400,0105) as written
 * @param signerSubject    subject of the Certificate of Signer (RFC 2253), or null if it cannot be read
 * @param keyAlgorithm     "RSA" or "EC" (null if the certificate cannot be read)
 * @param macAlgorithm     MAC Algorithm (0400,0015) term as written
 * @param signedTags       Data Elements Signed (0400,0020)
 * @param purpose          Digital Signature Purpose Code Value, or null
 * @param timestamped      whether a Certified Timestamp (0400,0310) is present
 */
public record SignatureInfo(String location, String uid, int macIdNumber, String dateTime, String signerSubject,
        String keyAlgorithm, String macAlgorithm, List<Integer> signedTags, String purpose, boolean timestamped) {

    public SignatureInfo {
        signedTags = List.copyOf(signedTags);
    }
}
