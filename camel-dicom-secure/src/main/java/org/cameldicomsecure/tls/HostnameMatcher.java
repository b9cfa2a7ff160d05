package org.cameldicomsecure.tls;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * HTTPS-style server identity check (RFC 2818 §3.1, RFC 6125): an IP address must equal an iPAddress
 * subjectAltName; a host name must match a dNSName subjectAltName, where "*" may stand for the whole left-most label
 * only. The subject CN is not used (RFC 6125 §6.4.4 allows it only without DNS names; current practice drops it).
 */
final class HostnameMatcher {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private HostnameMatcher() {
    }

    static boolean matches(X509Certificate cert, String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        Collection<List<?>> sans = subjectAltNames(cert);
        if (isIpLiteral(h)) {
            byte[] want = literalBytes(h);
            for (List<?> san : sans) {
                if (((Integer) san.get(0)) == SAN_IP && san.get(1) instanceof String ip && isIpLiteral(ip)) {
                    if (java.util.Arrays.equals(want, literalBytes(ip))) {
                        return true;
                    }
                }
            }
            return false;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(h, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (List<?> san : sans) {
            if (((Integer) san.get(0)) == SAN_DNS && san.get(1) instanceof String dns
                    && dnsMatches(dns.toLowerCase(Locale.ROOT), ascii)) {
                return true;
            }
        }
        return false;
    }

    /** The subjectAltNames as "DNS:x, IP:y", for error messages. */
    static String describe(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        for (List<?> san : subjectAltNames(cert)) {
            int type = (Integer) san.get(0);
            if (type == SAN_DNS) {
                out.add("DNS:" + san.get(1));
            } else if (type == SAN_IP) {
                out.add("IP:" + san.get(1));
            }
        }
        return out.isEmpty() ? "no DNS or IP subjectAltName" : String.join(", ", out);
    }

    private static boolean dnsMatches(String pattern, String host) {
        if (pattern.endsWith(".")) {
            pattern = pattern.substring(0, pattern.length() - 1);
        }
        if (!pattern.startsWith("*.")) {
            return pattern.equals(host);
        }
        String suffix = pattern.substring(1); // ".example.com"
        // the wildcard covers exactly one label, and never a public suffix alone ("*.com")
        if (suffix.indexOf('.', 1) < 0 || pattern.indexOf('*', 1) >= 0) {
            return false;
        }
        if (!host.endsWith(suffix)) {
            return false;
        }
        String label = host.substring(0, host.length() - suffix.length());
        return !label.isEmpty() && label.indexOf('.') < 0;
    }

    private static Collection<List<?>> subjectAltNames(X509Certificate cert) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            return sans == null ? List.of() : sans;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    static boolean isIpLiteral(String s) {
        if (IPV4.matcher(s).matches()) {
            for (String octet : s.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        // host names never contain ':'; InetAddress parses such strings as IPv6 literals without any DNS look-up
        return s.indexOf(':') >= 0 && s.matches("[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?");
    }

    /** Literal addresses only: {@link InetAddress#getByName} does no DNS look-up for them. */
    private static byte[] literalBytes(String literal) {
        try {
            String s = literal;
            int zone = s.indexOf('%');
            if (zone >= 0) {
                s = s.substring(0, zone);
            }
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return new byte[0];
        }
    }
}
