package org.cameldicomsecure.tls;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The TLS cipher suites that the PS3.15 Annex B profiles list, by IANA name and code point.
 *
 * <p>Every code point is quoted from PS3.15 (B.1, B.3, B.10, B.11 and the tables of B.13 in the 2023b edition, as
 * collected in {@code shared/dicom-standard/PS3.15-FACTS.md} §1), never typed from memory; the unit test
 * {@code CipherSuiteTest} compares them with Bouncy Castle's own registry ({@code org.bouncycastle.tls.CipherSuite}).
 *
 * <p>The components (key exchange, authentication, bulk cipher, MAC) are kept so that the profiles can be checked
 * against the JVM's {@code jdk.tls.disabledAlgorithms} and the key type of a certificate.
 */
public enum CipherSuite {

    // TLS 1.3 (RFC 8446): key exchange and authentication are negotiated outside the suite
    TLS_AES_128_GCM_SHA256(0x1301, null, null, "AES_128_GCM", "SHA256"),
    TLS_AES_256_GCM_SHA384(0x1302, null, null, "AES_256_GCM", "SHA384"),
    TLS_CHACHA20_POLY1305_SHA256(0x1303, null, null, "CHACHA20_POLY1305", "SHA256"),
    TLS_AES_128_CCM_SHA256(0x1304, null, null, "AES_128_CCM", "SHA256"),
    TLS_AES_128_CCM_8_SHA256(0x1305, null, null, "AES_128_CCM_8", "SHA256"),

    // RSA key transport (B.1, B.3, B.9 backward compatibility only)
    TLS_RSA_WITH_3DES_EDE_CBC_SHA(0x000A, "RSA", "RSA", "3DES_EDE_CBC", "SHA"),
    TLS_RSA_WITH_AES_128_CBC_SHA(0x002F, "RSA", "RSA", "AES_128_CBC", "SHA"),

    // ECDHE, AES-GCM
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256(0xC02B, "ECDHE", "ECDSA", "AES_128_GCM", "SHA256"),
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384(0xC02C, "ECDHE", "ECDSA", "AES_256_GCM", "SHA384"),
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256(0xC02F, "ECDHE", "RSA", "AES_128_GCM", "SHA256"),
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384(0xC030, "ECDHE", "RSA", "AES_256_GCM", "SHA384"),
    // ECDHE, Camellia-GCM (RFC 6367)
    TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256(0xC086, "ECDHE", "ECDSA", "CAMELLIA_128_GCM", "SHA256"),
    TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384(0xC087, "ECDHE", "ECDSA", "CAMELLIA_256_GCM", "SHA384"),
    TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256(0xC08A, "ECDHE", "RSA", "CAMELLIA_128_GCM", "SHA256"),
    TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384(0xC08B, "ECDHE", "RSA", "CAMELLIA_256_GCM", "SHA384"),
    // ECDHE, AES-CCM (RFC 7251)
    TLS_ECDHE_ECDSA_WITH_AES_128_CCM(0xC0AC, "ECDHE", "ECDSA", "AES_128_CCM", "AEAD"),
    TLS_ECDHE_ECDSA_WITH_AES_256_CCM(0xC0AD, "ECDHE", "ECDSA", "AES_256_CCM", "AEAD"),
    TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8(0xC0AE, "ECDHE", "ECDSA", "AES_128_CCM_8", "AEAD"),
    TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8(0xC0AF, "ECDHE", "ECDSA", "AES_256_CCM_8", "AEAD"),
    // ECDHE, ChaCha20-Poly1305 (RFC 7905)
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256(0xCCA8, "ECDHE", "RSA", "CHACHA20_POLY1305", "SHA256"),
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256(0xCCA9, "ECDHE", "ECDSA", "CHACHA20_POLY1305", "SHA256"),

    // DHE
    TLS_DHE_RSA_WITH_AES_128_GCM_SHA256(0x009E, "DHE", "RSA", "AES_128_GCM", "SHA256"),
    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384(0x009F, "DHE", "RSA", "AES_256_GCM", "SHA384"),
    TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256(0xC07C, "DHE", "RSA", "CAMELLIA_128_GCM", "SHA256"),
    TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384(0xC07D, "DHE", "RSA", "CAMELLIA_256_GCM", "SHA384"),
    TLS_DHE_RSA_WITH_AES_128_CCM(0xC09E, "DHE", "RSA", "AES_128_CCM", "AEAD"),
    TLS_DHE_RSA_WITH_AES_256_CCM(0xC09F, "DHE", "RSA", "AES_256_CCM", "AEAD"),
    TLS_DHE_RSA_WITH_AES_128_CCM_8(0xC0A2, "DHE", "RSA", "AES_128_CCM_8", "AEAD"),
    /** Printed as "TLS_DHE_RSA_WITH_AES_256_GCM_CCM_8" in PS3.15 2023b B.13, an erratum (FACTS §9 item 4). */
    TLS_DHE_RSA_WITH_AES_256_CCM_8(0xC0A3, "DHE", "RSA", "AES_256_CCM_8", "AEAD"),
    TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256(0xCCAA, "DHE", "RSA", "CHACHA20_POLY1305", "SHA256");

    private static final Map<String, CipherSuite> BY_NAME = new HashMap<>();
    private static final Map<Integer, CipherSuite> BY_CODE = new HashMap<>();

    static {
        for (CipherSuite s : values()) {
            if (BY_CODE.put(s.code, s) != null) {
                throw new ExceptionInInitializerError("duplicate cipher suite code point 0x"
                        + Integer.toHexString(s.code) + " (" + s + ")");
            }
            BY_NAME.put(s.name(), s);
        }
    }

    private final int code;
    private final String keyExchange;
    private final String authentication;
    private final String cipher;
    private final String mac;

    CipherSuite(int code, String keyExchange, String authentication, String cipher, String mac) {
        this.code = code;
        this.keyExchange = keyExchange;
        this.authentication = authentication;
        this.cipher = cipher;
        this.mac = mac;
    }

    /** The IANA name, which is also the JSSE standard name of the suite. */
    public String ianaName() {
        return name();
    }

    /** The two-byte IANA code point, for example {@code 0xC02F}. */
    public int code() {
        return code;
    }

    /** The code point written as in the IANA registry and in PS3.15, for example {@code 0xC0,0x2F}. */
    public String codeString() {
        return String.format(Locale.ROOT, "0x%02X,0x%02X", code >> 8, code & 0xFF);
    }

    /** A TLS 1.3 suite (key exchange and signature are negotiated separately). */
    public boolean isTls13() {
        return keyExchange == null;
    }

    /** "RSA", "DHE" or "ECDHE"; {@code null} for TLS 1.3 suites. */
    public String keyExchange() {
        return keyExchange;
    }

    /** The certificate key type the suite needs: "RSA" or "ECDSA"; {@code null} for TLS 1.3 suites (either). */
    public String authentication() {
        return authentication;
    }

    /** The bulk cipher, for example "AES_128_GCM". */
    public String cipher() {
        return cipher;
    }

    /** The MAC or PRF hash, for example "SHA256"; "SHA" is SHA-1; "AEAD" for the CCM suites. */
    public String mac() {
        return mac;
    }

    /** Whether a server with a key of {@code keyAlgorithm} ("RSA" or "EC") can use this suite. */
    public boolean usableWithKey(String keyAlgorithm) {
        if (authentication == null) {
            return true;
        }
        return authentication.equals("ECDSA") ? keyAlgorithm.equals("EC") : keyAlgorithm.equals(authentication);
    }

    /**
     * The suite of that IANA name, or {@code null}. The SSL 3.0 era names JSSE still reports for some suites
     * ("SSL_RSA_WITH_3DES_EDE_CBC_SHA") are accepted too.
     */
    public static CipherSuite forName(String ianaName) {
        CipherSuite s = BY_NAME.get(ianaName);
        if (s == null && ianaName != null && ianaName.startsWith("SSL_")) {
            s = BY_NAME.get("TLS_" + ianaName.substring(4));
        }
        return s;
    }

    /** The names a JSSE provider may list this suite under: the IANA name, and for old suites the "SSL_" alias. */
    List<String> jsseNames() {
        return keyExchange != null && keyExchange.equals("RSA") && mac.equals("SHA")
                ? List.of(name(), "SSL_" + name().substring(4)) : List.of(name());
    }

    /** The suite of that code point, or {@code null}. */
    public static CipherSuite forCode(int code) {
        return BY_CODE.get(code);
    }
}
