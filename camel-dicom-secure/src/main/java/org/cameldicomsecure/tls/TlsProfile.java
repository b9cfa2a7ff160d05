package org.cameldicomsecure.tls;

import static org.cameldicomsecure.tls.CipherSuite.*;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The secure transport connection profiles of PS3.15 Annex B (and Supplement 206), as data.
 *
 * <p>Each profile states exactly which TLS versions and cipher suites it enables, in the server's order of
 * preference (strongest first; servers choose by their own order), the minimum key sizes, the named groups and
 * signature schemes where the profile constrains them, whether it is retired, and which JSSE provider serves it.
 * The suites a profile lists but the running JVM cannot use (not implemented by the provider, or disabled by
 * {@code jdk.tls.disabledAlgorithms}) are reported by {@link TlsContextFactory#notEnabled()}.
 *
 * <p>Sources: PS3.15 2023b (B.12, B.13), 2021b (B.9-B.11), 2017c (B.1, B.3), as summarised in
 * {@code shared/dicom-standard/PS3.15-FACTS.md} §1, and DCMTK 3.6.7+ {@code dcmtls/libsrc/tlsciphr.cc} for the
 * readings the text leaves open. See {@code src/main/docs/tls-profiles.md}.
 */
public enum TlsProfile {

    /** Plain TCP, no TLS. Used only when set explicitly. */
    NONE("none", "No TLS (plain TCP)", false, false, null, List.of(), List.of(), KeySizes.UNCONSTRAINED,
            List.of(), List.of(), false),

    /**
     * PS3.15 B.1 Basic TLS Secure Transport Connection Profile (retired; text in PS3.15 2017c). TLS 1.0 framework;
     * the minimum mechanism is RSA certificates, RSA key transport, SHA, Triple DES EDE CBC (Table B.1-1). Versions
     * up to TLS 1.2 may be negotiated (as DCMTK does). Needs {@code allowRetiredProfiles}; the JDK disables TLS 1.0,
     * TLS 1.1 and 3DES by default ({@code jdk.tls.disabledAlgorithms}), so it only works where an administrator
     * re-enabled them.
     */
    BASIC("B.1", "Basic TLS Secure Transport Connection Profile", true, true, JsseProvider.SUN_JSSE,
            List.of("TLSv1.2", "TLSv1.1", "TLSv1"),
            List.of(TLS_RSA_WITH_3DES_EDE_CBC_SHA),
            KeySizes.UNCONSTRAINED, List.of(), List.of(), false),

    /**
     * PS3.15 B.3 AES TLS Secure Transport Connection Profile (retired; 2017c). TLS 1.0 framework (up to TLS 1.2
     * negotiated, as DCMTK does); offers TLS_RSA_WITH_AES_128_CBC_SHA (preferred) and TLS_RSA_WITH_3DES_EDE_CBC_SHA.
     * Needs {@code allowRetiredProfiles}. On a default JDK only AES-128-CBC over TLS 1.2 remains usable.
     */
    AES("B.3", "AES TLS Secure Transport Connection Profile", true, true, JsseProvider.SUN_JSSE,
            List.of("TLSv1.2", "TLSv1.1", "TLSv1"),
            List.of(TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA),
            KeySizes.UNCONSTRAINED, List.of(), List.of(), false),

    /**
     * PS3.15 B.9 BCP 195 TLS Secure Transport Connection Profile (retired in 2023b; text in 2021b). BCP 195 with
     * backward compatibility with AES TLS: the four RFC 7525 AES-GCM suites, the B.3 suites as fallback, TLS 1.0 to
     * 1.3 (DCMTK's {@code --profile-bcp195}). The JDK's default policy removes TLS 1.0/1.1 and 3DES.
     */
    BCP195("B.9", "BCP 195 TLS Secure Transport Connection Profile", true, false, JsseProvider.SUN_JSSE,
            List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"),
            List.of(TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256,
                    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
                    TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA),
            bcp195KeySizes(), List.of(), List.of(), false),

    /**
     * PS3.15 B.10 Non-Downgrading BCP 195 TLS Secure Transport Connection Profile (retired in 2023b; 2021b). Never
     * TLS 1.0/1.1; the four required suites (0x009E, 0xC02F, 0x009F, 0xC030), all RSA-authenticated, so an EC
     * certificate works over TLS 1.3 only (as with DCMTK's {@code --profile-bcp195-nd}).
     */
    BCP195_ND("B.10", "Non-Downgrading BCP 195 TLS Secure Transport Connection Profile", true, false,
            JsseProvider.SUN_JSSE,
            List.of("TLSv1.3", "TLSv1.2"),
            List.of(TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256,
                    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, TLS_DHE_RSA_WITH_AES_128_GCM_SHA256),
            bcp195KeySizes(), List.of(), List.of(), false),

    /**
     * PS3.15 B.11 Extended BCP 195 TLS Secure Transport Connection Profile (retired in 2023b; 2021b). The four B.10
     * suites plus the eight "should" suites (AES-GCM with ECDSA, Camellia-GCM); "no other suites shall be used", so
     * TLS 1.2 only (DCMTK's reading). DHE at least 2048 bits, ECDHE at least 256 bits. Camellia needs BCJSSE.
     */
    BCP195_EX("B.11", "Extended BCP 195 TLS Secure Transport Connection Profile", true, false, JsseProvider.BC_JSSE,
            List.of("TLSv1.2"),
            List.of(TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                    TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384,
                    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                    TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256,
                    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384,
                    TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256),
            new KeySizes(2048, 224, 2048, 256), strongGroups(), List.of(), false),

    /**
     * PS3.15 B.12 BCP 195 RFC 8996 TLS Secure Transport Connection Profile (current; the default). TLS 1.2 shall,
     * TLS 1.3 may (clients try 1.3, servers prefer it); the RFC 9325 recommended AES-GCM suites (DCMTK's default
     * list) plus the RFC 8446 TLS 1.3 suites SunJSSE has. RSA keys at least 2048 bits, EC at least 224 (RFC 9325).
     */
    BCP195_RFC8996("B.12", "BCP 195 RFC 8996 TLS Secure Transport Connection Profile", false, false,
            JsseProvider.SUN_JSSE,
            List.of("TLSv1.3", "TLSv1.2"),
            List.of(TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256,
                    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
            new KeySizes(2048, 224, 2048, 224), List.of(), List.of(), false),

    /**
     * PS3.15 B.13 Modified BCP 195 RFC 8996 TLS Secure Transport Connection Profile (current). Servers support
     * TLS 1.2 and 1.3; all five TLS 1.3 suites, the fourteen preferred TLS 1.2 suites and the nine DHE fallback
     * suites of the 2023b tables; no RSA key transport, CBC or SHA-1. Certificate keys RSA &ge; 2048 / EC &ge; 256,
     * certificate signatures with SHA-256 or SHA-384, DHE &ge; 2048 (set explicitly through the named groups, so the
     * DHE suites are allowed), ECDHE &ge; 256. CCM and Camellia need BCJSSE.
     */
    BCP195_RFC8996_MODIFIED("B.13", "Modified BCP 195 RFC 8996 TLS Secure Transport Connection Profile", false, false,
            JsseProvider.BC_JSSE,
            List.of("TLSv1.3", "TLSv1.2"),
            List.of(TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256,
                    TLS_AES_128_CCM_SHA256, TLS_AES_128_CCM_8_SHA256,
                    // TLS 1.2, servers shall support all
                    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                    TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384,
                    TLS_ECDHE_ECDSA_WITH_AES_256_CCM, TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8,
                    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                    TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256,
                    TLS_ECDHE_ECDSA_WITH_AES_128_CCM, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
                    // TLS 1.2 fallback, servers may support them
                    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384,
                    TLS_DHE_RSA_WITH_AES_256_CCM, TLS_DHE_RSA_WITH_AES_256_CCM_8,
                    TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
                    TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256, TLS_DHE_RSA_WITH_AES_128_CCM,
                    TLS_DHE_RSA_WITH_AES_128_CCM_8),
            new KeySizes(2048, 256, 2048, 256), strongGroups(),
            // permitted: ECDSA, RSASSA PKCS#1 v1.5, RSASSA-PSS; hashes SHA-256 and SHA-384 only
            List.of("ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384",
                    "rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_pss_sha256", "rsa_pss_pss_sha384",
                    "rsa_pkcs1_sha256", "rsa_pkcs1_sha384"),
            true),

    /**
     * DICOM Supplement 206 CRYPTREC TLS Profile (Letter Ballot, September 2018; not found in the PS3.15 editions
     * read). BCP 195 plus the cipher suites of the CRYPTREC guideline GL-3001; negotiation starts with the strongest
     * parameters. The supplement's own suite table could not be obtained: this profile is our reading, limited to
     * suites whose code points PS3.15 itself quotes: TLS 1.2 with the AES-GCM and Camellia-GCM suites (ECDHE/DHE,
     * RSA/ECDSA; the CRYPTREC block ciphers are AES and Camellia) and TLS 1.3 with AES-GCM. RSA &ge; 2048,
     * EC &ge; 256, DHE &ge; 2048, ECDHE &ge; 256. Camellia needs BCJSSE.
     */
    CRYPTREC("Supplement 206", "CRYPTREC TLS Profile", false, false, JsseProvider.BC_JSSE,
            List.of("TLSv1.3", "TLSv1.2"),
            List.of(TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256,
                    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384,
                    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384,
                    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256,
                    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256,
                    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384,
                    TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256),
            new KeySizes(2048, 256, 2048, 256), strongGroups(), List.of(), false);

    /** The default profile: B.12. */
    public static final TlsProfile DEFAULT = BCP195_RFC8996;

    private final String section;
    private final String title;
    private final boolean retired;
    private final boolean requiresAllowRetired;
    private final JsseProvider provider;
    private final List<String> protocols;
    private final List<CipherSuite> cipherSuites;
    private final KeySizes keySizes;
    private final List<String> namedGroups;
    private final List<String> signatureSchemes;
    private final boolean sha256CertificateSignatures;

    TlsProfile(String section, String title, boolean retired, boolean requiresAllowRetired, JsseProvider provider,
               List<String> protocols, List<CipherSuite> cipherSuites, KeySizes keySizes, List<String> namedGroups,
               List<String> signatureSchemes, boolean sha256CertificateSignatures) {
        this.section = section;
        this.title = title;
        this.retired = retired;
        this.requiresAllowRetired = requiresAllowRetired;
        this.provider = provider;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.keySizes = keySizes;
        this.namedGroups = namedGroups;
        this.signatureSchemes = signatureSchemes;
        this.sha256CertificateSignatures = sha256CertificateSignatures;
    }

    /** RFC 9325 as DCMTK reads it: RSA 2048 bits, curves of at least 224 bits, DHE 2048 bits (RFC 7919 group). */
    private static KeySizes bcp195KeySizes() {
        return new KeySizes(2048, 224, 2048, 224);
    }

    /**
     * ECDHE curves of at least 256 bits and RFC 7919 groups of at least 2048 bits. X25519 (a 255-bit curve, which
     * OpenSSL reports as 253 bits) is left out, as DCMTK leaves it out of its curve list ("at least 256 bits").
     */
    private static List<String> strongGroups() {
        return List.of("secp256r1", "x448", "secp384r1", "secp521r1",
                "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192");
    }

    /** "B.12", or "Supplement 206" for CRYPTREC, or "none". */
    public String section() {
        return section;
    }

    /** The profile's title in PS3.15. */
    public String title() {
        return title;
    }

    /** Whether the profile is retired from PS3.15. */
    public boolean isRetired() {
        return retired;
    }

    /** Whether the profile may only be used with {@code allowRetiredProfiles=true} (B.1 and B.3). */
    public boolean requiresAllowRetired() {
        return requiresAllowRetired;
    }

    /** Whether the profile uses TLS at all ({@code false} for {@link #NONE}). */
    public boolean isTls() {
        return provider != null;
    }

    /** The JSSE provider that serves the profile; {@code null} for {@link #NONE}. */
    public JsseProvider provider() {
        return provider;
    }

    /** The TLS versions, by JSSE name, newest first. */
    public List<String> protocols() {
        return protocols;
    }

    /** The cipher suites, in the server's order of preference. */
    public List<CipherSuite> cipherSuites() {
        return cipherSuites;
    }

    /** The cipher suites' IANA names, in the server's order of preference. */
    public List<String> cipherSuiteNames() {
        return cipherSuites.stream().map(CipherSuite::ianaName).collect(Collectors.toUnmodifiableList());
    }

    /** The minimum key sizes. */
    public KeySizes keySizes() {
        return keySizes;
    }

    /** The named groups (RFC 8446 names) the profile allows; empty means the provider's defaults are acceptable. */
    public List<String> namedGroups() {
        return namedGroups;
    }

    /** The signature schemes the profile allows; empty means the provider's defaults are acceptable. */
    public List<String> signatureSchemes() {
        return signatureSchemes;
    }

    /** Whether certificate signatures must use SHA-256 or SHA-384 (B.13: MD5, SHA-1 are forbidden). */
    public boolean requiresSha256CertificateSignatures() {
        return sha256CertificateSignatures;
    }

    /**
     * The profile of that name: the enum name, case-insensitive, with '-' accepted for '_'.
     *
     * @throws TlsConfigurationException naming the known profiles
     */
    public static TlsProfile fromName(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (TlsProfile p : values()) {
                if (p.name().equals(n)) {
                    return p;
                }
            }
        }
        throw new TlsConfigurationException("unknown tlsProfile '" + name + "'; known profiles: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** For messages: "BCP195_RFC8996 (PS3.15 B.12)", "CRYPTREC (Supplement 206)". */
    public String describe() {
        if (!isTls()) {
            return name() + " (plain TCP)";
        }
        return name() + (section.startsWith("B.") ? " (PS3.15 " + section + ")" : " (" + section + ")");
    }
}
