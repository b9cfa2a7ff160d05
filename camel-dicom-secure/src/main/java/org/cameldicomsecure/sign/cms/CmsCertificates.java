package org.cameldicomsecure.sign.cms;

import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cms.RecipientId;

/** What the CMS classes of this package say about certificates and RecipientInfos (never key material). */
final class CmsCertificates {

    private CmsCertificates() {
    }

    /** Issuer and serial number: what a RecipientInfo names. */
    static String describe(X509Certificate cert) {
        return "issuer '" + cert.getIssuerX500Principal().getName() + "' serial "
                + cert.getSerialNumber().toString(16);
    }

    /** The subject key identifier extension's value, or null. */
    static byte[] subjectKeyIdentifier(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            return null;
        }
        try {
            return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** "key transport", "key agreement", "KEK", "password" or the type number. */
    static String recipientKind(RecipientId rid) {
        return switch (rid.getType()) {
            case RecipientId.keyTrans -> "key transport";
            case RecipientId.kek -> "KEK";
            case RecipientId.keyAgree -> "key agreement";
            case RecipientId.password -> "password";
            default -> "type " + rid.getType();
        };
    }

    /** Why recipient certificate {@code index} may not receive a key by RSA key transport, or null if it may. */
    static String keyEnciphermentProblem(X509Certificate cert, int index) {
        boolean[] usage = cert.getKeyUsage();
        if (usage != null && (usage.length < 3 || !usage[2])) {
            return "recipient certificate #" + index + " (" + describe(cert)
                    + ") has a Key Usage extension without keyEncipherment (RFC 5280 §4.2.1.3)";
        }
        return null;
    }
}
