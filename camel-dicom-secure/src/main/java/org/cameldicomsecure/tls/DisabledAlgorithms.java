package org.cameldicomsecure.tls;

import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The simple entries of the JVM's {@code jdk.tls.disabledAlgorithms} security property, so that a profile can say
 * up front which of its versions and suites this JVM will refuse, instead of failing at the first handshake.
 *
 * <p>Both SunJSSE and BCJSSE honour that property and it cannot be relaxed per connection. Only entries without
 * constraints ("TLSv1", "3DES_EDE_CBC", "NULL") are considered; constrained entries ("DH keySize &lt; 1024") do not
 * remove whole suites. A suite matches an entry by its name or one of its components (key exchange,
 * authentication, cipher, MAC), which is how the JDK decomposes suite names.
 */
final class DisabledAlgorithms {

    private final List<String> entries;

    private DisabledAlgorithms(List<String> entries) {
        this.entries = entries;
    }

    /** The JVM's current setting. */
    static DisabledAlgorithms current() {
        return parse(Security.getProperty("jdk.tls.disabledAlgorithms"));
    }

    static DisabledAlgorithms parse(String property) {
        List<String> list = new ArrayList<>();
        if (property != null) {
            for (String e : property.split(",")) {
                String t = e.trim();
                if (!t.isEmpty() && !t.contains(" ") && !t.contains("<") && !t.contains("&")) {
                    list.add(t);
                }
            }
        }
        return new DisabledAlgorithms(List.copyOf(list));
    }

    /** The entry that disables {@code protocol}, or {@code null}. */
    String disabling(String protocol) {
        for (String e : entries) {
            if (e.equalsIgnoreCase(protocol)) {
                return e;
            }
        }
        return null;
    }

    /** The entry that disables {@code suite}, or {@code null}. */
    String disabling(CipherSuite suite) {
        List<String> parts = new ArrayList<>();
        parts.add(suite.ianaName());
        parts.add(suite.cipher());
        parts.add(suite.mac());
        if (suite.mac().equals("SHA")) {
            parts.add("SHA1");
            parts.add("HmacSHA1");
        }
        if (suite.keyExchange() != null) {
            parts.add(suite.keyExchange());
            parts.add(suite.authentication());
            parts.add(suite.keyExchange() + "_" + suite.authentication());
        }
        for (String e : entries) {
            for (String p : parts) {
                if (e.toUpperCase(Locale.ROOT).equals(p.toUpperCase(Locale.ROOT))) {
                    return e;
                }
            }
        }
        return null;
    }
}
