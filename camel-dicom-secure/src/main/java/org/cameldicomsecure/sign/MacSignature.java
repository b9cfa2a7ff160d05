package org.cameldicomsecure.sign;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

import org.cameldicomsecure.dicom.Dataset;

/**
 * The signature over a MAC byte stream: RSA PKCS #1 v1.5 with the MAC algorithm's DigestInfo (what OpenSSL's
 * {@code EVP_PKEY_sign} with a signature digest, and so dcmsign, makes), or ECDSA over the MAC.
 *
 * <p>For ECDSA the MAC is computed with the JDK's MessageDigest (which uses the CPU's SHA instructions) and signed by
 * Bouncy Castle's {@code NONEwithECDSA}: Bouncy Castle signs faster than SunEC, but its own SHA-2 is several times
 * slower than the JDK's, which matters when the pixel data is signed. The result is the same DER ECDSA signature.
 */
final class MacSignature {

    private final Signature signature;
    private final MessageDigest digest;
    private final OutputStream stream;

    private MacSignature(Signature signature, MessageDigest digest) {
        this.signature = signature;
        this.digest = digest;
        this.stream = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (digest != null) {
                    digest.update(b, off, len);
                } else {
                    try {
                        signature.update(b, off, len);
                    } catch (java.security.SignatureException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
    }

    static MacSignature signing(MacAlgorithm mac, PrivateKey key) throws GeneralSecurityException {
        MacSignature s = create(mac, key.getAlgorithm());
        s.signature.initSign(key);
        return s;
    }

    static MacSignature verifying(MacAlgorithm mac, PublicKey key) throws GeneralSecurityException {
        MacSignature s = create(mac, key.getAlgorithm());
        s.signature.initVerify(key);
        return s;
    }

    private static MacSignature create(MacAlgorithm mac, String keyAlgorithm) throws GeneralSecurityException {
        if ("EC".equals(keyAlgorithm)) {
            return new MacSignature(Signature.getInstance("NONEwithECDSA", Jca.bouncyCastle()),
                    Jca.digest(mac.digestName()));
        }
        return new MacSignature(Jca.signature(mac.signatureName(keyAlgorithm)), null);
    }

    /**
     * Feeds the MAC byte stream of a signature to the engine: the signed elements {@code tags} of {@code ds}, then the
     * elements of its Digital Signatures item (PS3.3 C.12.1.1.3.1.1).
     */
    void update(Dataset ds, int[] tags, Dataset signatureItem) throws IOException {
        OutputStream out = new BufferedOutputStream(stream, 64 * 1024);
        MacByteStream mac = new MacByteStream(out);
        mac.elements(ds, tags);
        mac.signatureItem(signatureItem);
        out.flush();
    }

    byte[] sign() throws GeneralSecurityException {
        if (digest != null) {
            signature.update(digest.digest());
        }
        return signature.sign();
    }

    boolean verify(byte[] value) throws GeneralSecurityException {
        if (digest != null) {
            signature.update(digest.digest());
        }
        return signature.verify(value);
    }

}
