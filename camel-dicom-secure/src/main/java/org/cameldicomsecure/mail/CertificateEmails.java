package org.cameldicomsecure.mail;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The email addresses a certificate is issued for (RFC 8551 3.1 / RFC 5280 4.2.1.6): its rfc822Name subject
 * alternative names, else the emailAddress attributes (E=, OID 1.2.840.113549.1.9.1) of its subject. Lower-cased.
 */
public final class CertificateEmails {

    private static final int RFC822_NAME = 1;
    private static final String EMAIL_ADDRESS_OID = "1.2.840.113549.1.9.1";

    private CertificateEmails() {
    }

    public static List<String> of(X509Certificate cert) {
        Set<String> out = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && san.get(0) instanceof Integer t && t == RFC822_NAME
                            && san.get(1) instanceof String s) {
                        out.add(s.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable SAN extension: fall back to the subject
        }
        if (out.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName("RFC2253")).getRdns()) {
                    String type = rdn.getType();
                    if ((type.equalsIgnoreCase("EMAILADDRESS") || type.equalsIgnoreCase("E")
                            || type.equals("OID." + EMAIL_ADDRESS_OID) || type.equals(EMAIL_ADDRESS_OID))
                            && rdn.getValue() instanceof String s) {
                        out.add(s.toLowerCase(Locale.ROOT));
                    } else if (type.equals(EMAIL_ADDRESS_OID) && rdn.getValue() instanceof byte[] der) {
                        String s = ia5(der);
                        if (s != null) {
                            out.add(s.toLowerCase(Locale.ROOT));
                        }
                    }
                }
            } catch (InvalidNameException e) {
                // unparseable subject: no address
            }
        }
        return new ArrayList<>(out);
    }

    /** An IA5String in DER (how RFC 2253 output shows emailAddress: #16…), or null. */
    private static String ia5(byte[] der) {
        if (der.length < 2 || der[0] != 0x16 || (der[1] & 0x80) != 0 || der[1] != der.length - 2) {
            return null;
        }
        return new String(der, 2, der.length - 2, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
