package org.cameldicomsecure.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Non-downgrading, proven where the JVM does not help: a child JVM re-enables TLS 1.0/1.1 and 3DES in
 * {@code jdk.tls.disabledAlgorithms}, so a Java client really offers TLS 1.1. The retired BCP195 and AES profiles
 * accept it (the client did offer something usable), BASIC runs on 3DES, and every non-downgrading profile refuses
 * TLS 1.0, TLS 1.1 and 3DES at the handshake.
 */
class LegacyProtocolTest {

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir);
    }

    @Test
    void onlyTheRetiredProfilesAcceptLegacyClients() throws Exception {
        Path security = Files.writeString(dir.resolve("legacy.java.security"),
                "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, "
                        + "anon, NULL\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Djava.security.properties=" + security,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", cp, LegacyProtocolProbe.class.getName(),
                pki.ca.certPem().toString(), pki.serverRsa.certPem().toString(), pki.serverRsa.keyPem().toString(),
                pki.clientRsa.certPem().toString(), pki.clientRsa.keyPem().toString()));
        Path out = dir.resolve("probe.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe JVM did not finish");
        } finally {
            p.destroyForcibly();
        }
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        Map<String, String> result = new HashMap<>();
        for (String line : log.split("\n")) {
            String[] f = line.split(" ", 4);
            if (f.length >= 3 && (f[2].equals("OK") || f[2].equals("REFUSED") || f[2].equals("FAILED"))) {
                result.put(f[0] + " " + f[1], f[2] + " " + (f.length > 3 ? f[3] : ""));
            }
        }

        assertOk(result, log, "BASIC tls11-client", "TLSv1.1 TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        assertOk(result, log, "BASIC tls10-client", "TLSv1 TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        assertOk(result, log, "BASIC same-profile", "TLSv1.2 TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        assertOk(result, log, "AES tls11-client", "TLSv1.1 TLS_RSA_WITH_AES_128_CBC_SHA");
        assertOk(result, log, "AES 3des-client", "TLSv1.2 TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        assertOk(result, log, "BCP195 tls11-client", "TLSv1.1 TLS_RSA_WITH_AES_128_CBC_SHA");
        assertOk(result, log, "BCP195 tls10-client", "TLSv1 TLS_RSA_WITH_AES_128_CBC_SHA");
        for (String profile : new String[] {"BCP195_ND", "BCP195_EX", "BCP195_RFC8996", "BCP195_RFC8996_MODIFIED",
                "CRYPTREC"}) {
            for (String client : new String[] {"tls11-client", "tls10-client", "3des-client"}) {
                String r = result.get(profile + " " + client);
                assertTrue(r != null && r.startsWith("REFUSED"), profile + " " + client + ": " + r + "\n" + log);
            }
            String own = result.get(profile + " same-profile");
            assertTrue(own != null && own.startsWith("OK"), profile + ": " + own + "\n" + log);
        }
    }

    private static void assertOk(Map<String, String> result, String log, String key, String expected) {
        String r = result.get(key);
        assertTrue(r != null && r.startsWith("OK " + expected), key + ": " + r + "\n" + log);
    }
}
