package org.cameldicomsecure.mail.smime;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The email addresses a certificate is issued for (RFC 8551 3.1, RFC 5280 4.2.1.6): its rfc822Name subject
 * alternative names, else the emailAddress attributes (E=, OID 1.2.840.113549.1.9.1) of its subject; lower-cased, in
 * the certificate's order, without repeats.
 */
public final class CertificateEmails {

    private static final int RFC822_NAME = 1;

    private CertificateEmails() {
    }

    public static List<String> of(X509Certificate cert) {
        Set<String> out = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(RFC822_NAME).equals(san.get(0))
                            && san.get(1) instanceof String s) {
                        out.add(s.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable SAN extension: the subject decides
        }
        if (out.isEmpty()) {
            X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
            for (RDN rdn : subject.getRDNs(BCStyle.EmailAddress)) {
                ASN1Encodable v = rdn.getFirst().getValue();
                out.add(IETFUtils.valueToString(v).toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(out);
    }
}
