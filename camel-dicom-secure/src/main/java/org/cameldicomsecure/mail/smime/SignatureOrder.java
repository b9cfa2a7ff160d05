package org.cameldicomsecure.mail.smime;

/** The order of the S/MIME layers when a message is both signed and encrypted (PS3.15 B.8 allows either). */
public enum SignatureOrder {
    /** multipart/signed inside the enveloped-data: the signature is hidden from the transport (the default). */
    SIGN_THEN_ENCRYPT,
    /** The enveloped-data inside a multipart/signed: anyone can check the signature without decrypting. */
    ENCRYPT_THEN_SIGN
}
