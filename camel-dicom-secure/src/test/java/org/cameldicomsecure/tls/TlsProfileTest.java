package org.cameldicomsecure.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The profiles and suites as data: code points, versions, retired status, provider choice. */
class TlsProfileTest {

    /** Our code points (quoted from PS3.15) equal those of Bouncy Castle's independent IANA registry. */
    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void codePointsMatchBouncyCastlesRegistry(CipherSuite suite) throws Exception {
        Field f = org.bouncycastle.tls.CipherSuite.class.getField(suite.ianaName());
        assertEquals(f.getInt(null), suite.code(), suite + " " + suite.codeString());
        assertSame(suite, CipherSuite.forCode(suite.code()));
    }

    @Test
    void codeStringIsWrittenAsInTheStandard() {
        assertEquals("0xC0,0x2F", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.codeString());
        assertEquals("0x13,0x05", CipherSuite.TLS_AES_128_CCM_8_SHA256.codeString());
    }

    @ParameterizedTest
    @EnumSource(TlsProfile.class)
    void suitesFitTheVersions(TlsProfile p) {
        if (!p.isTls()) {
            assertTrue(p.cipherSuites().isEmpty());
            assertTrue(p.protocols().isEmpty());
            return;
        }
        assertFalse(p.cipherSuites().isEmpty());
        assertEquals(p.cipherSuites().size(), new HashSet<>(p.cipherSuites()).size(), "no duplicates");
        boolean tls13 = p.protocols().contains("TLSv1.3");
        assertEquals(tls13, p.cipherSuites().stream().anyMatch(CipherSuite::isTls13), p.name());
        assertTrue(p.cipherSuites().stream().anyMatch(s -> !s.isTls13()), "every profile has TLS 1.2 suites");
    }

    @Test
    void retiredStatusAndOptIn() {
        for (TlsProfile p : TlsProfile.values()) {
            boolean retired = Set.of(TlsProfile.BASIC, TlsProfile.AES, TlsProfile.BCP195, TlsProfile.BCP195_ND,
                    TlsProfile.BCP195_EX).contains(p);
            assertEquals(retired, p.isRetired(), p.name());
            assertEquals(p == TlsProfile.BASIC || p == TlsProfile.AES, p.requiresAllowRetired(), p.name());
        }
        assertSame(TlsProfile.BCP195_RFC8996, TlsProfile.DEFAULT);
        assertEquals("B.12", TlsProfile.DEFAULT.section());
        assertEquals("B.13", TlsProfile.BCP195_RFC8996_MODIFIED.section());
        assertEquals("Supplement 206", TlsProfile.CRYPTREC.section());
    }

    /** The non-downgrading profiles never list TLS 1.0/1.1, RSA key transport, CBC or SHA-1. */
    @ParameterizedTest
    @EnumSource(value = TlsProfile.class, names = {"BCP195_ND", "BCP195_EX", "BCP195_RFC8996",
            "BCP195_RFC8996_MODIFIED", "CRYPTREC"})
    void nonDowngradingProfilesListNoWeakMechanisms(TlsProfile p) {
        assertFalse(p.protocols().contains("TLSv1.1"));
        assertFalse(p.protocols().contains("TLSv1"));
        for (CipherSuite s : p.cipherSuites()) {
            assertFalse("RSA".equals(s.keyExchange()), s.name());
            assertFalse(s.cipher().endsWith("CBC"), s.name());
            assertFalse(s.mac().equals("SHA"), s.name());
        }
    }

    /** B.10 requires exactly its four suites for TLS 1.2; B.11 adds its eight and allows nothing else. */
    @Test
    void b10AndB11Lists() {
        Set<CipherSuite> b10 = Set.of(CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
                CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384);
        assertEquals(b10, tls12(TlsProfile.BCP195_ND));
        Set<CipherSuite> b11 = tls12(TlsProfile.BCP195_EX);
        assertTrue(b11.containsAll(b10));
        assertEquals(12, b11.size());
        assertEquals(List.of("TLSv1.2"), TlsProfile.BCP195_EX.protocols());
        assertEquals(new KeySizes(2048, 224, 2048, 256), TlsProfile.BCP195_EX.keySizes());
    }

    /** B.13 (2023b): five TLS 1.3 suites, fourteen preferred and nine fallback TLS 1.2 suites. */
    @Test
    void b13Lists() {
        TlsProfile p = TlsProfile.BCP195_RFC8996_MODIFIED;
        assertEquals(5, p.cipherSuites().stream().filter(CipherSuite::isTls13).count());
        assertEquals(14, p.cipherSuites().stream().filter(s -> "ECDHE".equals(s.keyExchange())).count());
        assertEquals(9, p.cipherSuites().stream().filter(s -> "DHE".equals(s.keyExchange())).count());
        assertEquals(new KeySizes(2048, 256, 2048, 256), p.keySizes());
        assertTrue(p.requiresSha256CertificateSignatures());
        assertTrue(p.signatureSchemes().stream().allMatch(s -> s.endsWith("sha256") || s.endsWith("sha384")));
        assertTrue(p.namedGroups().containsAll(List.of("secp256r1", "ffdhe2048")));
        assertFalse(p.namedGroups().contains("secp224r1"));
    }

    /**
     * Each profile runs on SunJSSE unless it lists a suite SunJSSE lacks (Camellia, CCM): then on BCJSSE, which
     * implements every suite of every profile.
     */
    @ParameterizedTest
    @EnumSource(value = TlsProfile.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void providerChoice(TlsProfile p) {
        Set<String> sun = JsseProvider.SUN_JSSE.supportedCipherSuites();
        DisabledAlgorithms disabled = DisabledAlgorithms.current();
        boolean needsBc = p.cipherSuites().stream()
                .anyMatch(s -> disabled.disabling(s) == null && !sun.contains(s.ianaName()));
        assertEquals(needsBc ? JsseProvider.BC_JSSE : JsseProvider.SUN_JSSE, p.provider(), p.name());
        Set<String> bc = JsseProvider.BC_JSSE.supportedCipherSuites();
        for (CipherSuite s : p.cipherSuites()) {
            assertTrue(bc.contains(s.ianaName()), "BCJSSE implements " + s);
        }
    }

    @Test
    void fromName() {
        assertSame(TlsProfile.BCP195_RFC8996_MODIFIED, TlsProfile.fromName("bcp195-rfc8996-modified"));
        assertSame(TlsProfile.CRYPTREC, TlsProfile.fromName(" CRYPTREC "));
        TlsConfigurationException e = assertThrows(TlsConfigurationException.class,
                () -> TlsProfile.fromName("BCP195_RFC9325"));
        assertTrue(e.getMessage().contains("unknown tlsProfile 'BCP195_RFC9325'"), e.getMessage());
        assertTrue(e.getMessage().contains("BCP195_RFC8996_MODIFIED"), e.getMessage());
        assertThrows(TlsConfigurationException.class, () -> TlsProfile.fromName(null));
    }

    @Test
    void disabledAlgorithmsParsing() {
        DisabledAlgorithms d = DisabledAlgorithms.parse(
                "SSLv3, TLSv1, TLSv1.1, RC4, DES, MD5withRSA, DH keySize < 1024, 3DES_EDE_CBC, anon, NULL, ECDH");
        assertEquals("TLSv1.1", d.disabling("TLSv1.1"));
        assertEquals(null, d.disabling("TLSv1.2"));
        assertEquals("3DES_EDE_CBC", d.disabling(CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA));
        assertEquals(null, d.disabling(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), "ECDH is not ECDHE");
        assertEquals(null, d.disabling(CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256), "DH keySize: not whole");
        assertEquals("SHA1", DisabledAlgorithms.parse("SHA1").disabling(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA));
        assertNotNull(DisabledAlgorithms.parse("TLS_AES_128_CCM_8_SHA256")
                .disabling(CipherSuite.TLS_AES_128_CCM_8_SHA256));
    }

    private static Set<CipherSuite> tls12(TlsProfile p) {
        Set<CipherSuite> s = new HashSet<>();
        for (CipherSuite c : p.cipherSuites()) {
            if (!c.isTls13()) {
                s.add(c);
            }
        }
        return s;
    }
}
