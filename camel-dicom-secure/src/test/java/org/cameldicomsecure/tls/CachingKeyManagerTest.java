package org.cameldicomsecure.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509ExtendedKeyManager;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link CachingKeyManager}: one alias per key store entry whatever the provider, so a key is decrypted from the
 * in-memory PKCS12 store once (not at every handshake), and Netty's OpenSSL key material cache, keyed by alias,
 * hits instead of growing by one converted key per handshake.
 */
class CachingKeyManagerTest {

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir);
    }

    private static X509ExtendedKeyManager manager(JsseProvider provider) {
        KeyMaterial keys = KeyMaterial.fromPem(pki.serverRsa.certPem(), pki.serverRsa.keyPem(), null,
                TlsProfile.BCP195_RFC8996);
        KeyManager[] managers = keys.keyManagers(provider);
        assertEquals(1, managers.length);
        return (X509ExtendedKeyManager) managers[0];
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void theSameEntryKeepsOneAliasAndIsReadOnce(JsseProvider provider) {
        X509ExtendedKeyManager km = manager(provider);
        Set<String> aliases = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            aliases.add(km.chooseEngineServerAlias("RSA", null, null));
            aliases.add(km.chooseServerAlias("RSA", null, null));
            aliases.add(km.chooseEngineClientAlias(new String[] {"RSA"}, null, null));
            aliases.add(km.chooseClientAlias(new String[] {"RSA"}, null, null));
            for (String a : km.getServerAliases("RSA", null)) {
                aliases.add(a);
            }
        }
        assertEquals(1, aliases.size(), aliases.toString());
        String alias = aliases.iterator().next();
        assertNotNull(alias);
        PrivateKey key = km.getPrivateKey(alias);
        X509Certificate[] chain = km.getCertificateChain(alias);
        assertNotNull(key);
        assertEquals(pki.serverRsa.cert(), chain[0]);
        assertArrayEquals(pki.serverRsa.key().getEncoded(), key.getEncoded());
        // the provider's manager returns a freshly decrypted key object per lookup; the same object means cached
        assertSame(key, km.getPrivateKey(km.chooseEngineServerAlias("RSA", null, null)));
        chain[0] = null; // a copy is handed out
        assertEquals(pki.serverRsa.cert(), km.getCertificateChain(alias)[0]);
    }

    @Test
    void unknownAliasesFindNothing() {
        X509ExtendedKeyManager km = manager(JsseProvider.SUN_JSSE);
        assertEquals(null, km.getPrivateKey("no-such-alias"));
        assertEquals(null, km.getCertificateChain("7.0.no-such-alias"));
        assertEquals(null, km.getPrivateKey(null));
        assertTrue(km.chooseEngineServerAlias("EC", null, null) == null, "no EC key");
    }
}
