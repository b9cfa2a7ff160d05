package org.cameldicomsecure.audit;

import java.util.Locale;
import java.util.regex.Pattern;

/** Chooses the NetworkAccessPointTypeCode of a host: 2 for an IP address literal, 1 for a machine or DNS name. */
public final class NetworkAccessPoints {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[0-9A-Za-z._~-]+)?");

    private NetworkAccessPoints() {
    }

    /** True when {@code host} is an IPv4 or IPv6 literal (optionally in brackets), without any name look-up. */
    public static boolean isIpLiteral(String host) {
        String h = strip(host);
        if (IPV4.matcher(h).matches()) {
            return true;
        }
        if (!IPV6.matcher(h).matches()) {
            return false;
        }
        String addr = h.indexOf('%') >= 0 ? h.substring(0, h.indexOf('%')) : h;
        int doubleColon = addr.indexOf("::");
        if (doubleColon >= 0 && addr.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] groups = addr.split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.isEmpty()) {
                continue;
            }
            if (i == groups.length - 1 && g.indexOf('.') >= 0) {
                if (!IPV4.matcher(g).matches()) {
                    return false;
                }
                count += 2;
            } else if (g.length() > 4 || g.indexOf('.') >= 0) {
                return false;
            } else {
                count++;
            }
        }
        return doubleColon >= 0 ? count < 8 : count == 8;
    }

    /** {@link NetworkAccessPointType#IP_ADDRESS} for an IP literal, else {@link NetworkAccessPointType#MACHINE_NAME}. */
    public static NetworkAccessPointType typeOf(String host) {
        return isIpLiteral(host) ? NetworkAccessPointType.IP_ADDRESS : NetworkAccessPointType.MACHINE_NAME;
    }

    /** The host without IPv6 brackets; IPv6 literals in lower case. */
    public static String normalize(String host) {
        String h = strip(host);
        return isIpLiteral(h) && h.indexOf(':') >= 0 ? h.toLowerCase(Locale.ROOT) : h;
    }

    private static String strip(String host) {
        String h = host.trim();
        if (h.length() > 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
            h = h.substring(1, h.length() - 1);
        }
        return h;
    }
}
