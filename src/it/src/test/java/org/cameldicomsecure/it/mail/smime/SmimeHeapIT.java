package org.cameldicomsecure.it.mail.smime;

import static org.cameldicomsecure.it.Peers.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.cameldicomsecure.it.Peers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 50 MiB content through {@code SmimeWriter} and {@code SmimeReader} in a child JVM whose heap (-Xmx48m) is smaller
 * than the content: nothing may hold it all in memory. The child's message is then decrypted by {@code openssl cms
 * -decrypt} and verified by {@code openssl smime -verify}, and both sides give back the same bytes.
 */
class SmimeHeapIT {

    private static final int MIB = 1 << 20;
    private static final int SIZE_MIB = 50;

    @ParameterizedTest
    @ValueSource(strings = {"AES256_CBC", "AES256_GCM"})
    void fiftyMegabytesWithAHeapOfFortyEight(String cipher) throws Exception {
        Peers peers = Peers.forTest(SmimeHeapIT.class);
        Path openssl = Peers.require("openssl", "openssl");
        Path work = Paths.get(System.getProperty("it.work.dir", "target/it-work"));
        Files.createDirectories(work);
        Path dir = Files.createTempDirectory(work, "smime-heap-");
        Path payload = dir.resolve("payload.zip");
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[MIB];
        Random random = new Random(50);
        try (OutputStream out = Files.newOutputStream(payload)) {
            for (int i = 0; i < SIZE_MIB; i++) {
                random.nextBytes(chunk);
                md.update(chunk);
                out.write(chunk);
            }
        }
        String expected = HexFormat.of().formatHex(md.digest());

        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        long t0 = System.nanoTime();
        Peers.Result child = peers.run("child-" + cipher, dir, cmd(java, "-Xmx48m", "-cp",
                System.getProperty("java.class.path"), SmimeHeapChild.class.getName(), dir, cipher), 600)
                .assertSuccess();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String out = child.out();
        assertTrue(out.contains("SHA256 " + expected), out + child.err());
        assertTrue(out.contains("temp true"), out);
        System.out.println("SmimeHeapIT " + cipher + ": " + SIZE_MIB + " MiB written and read in " + ms
                + " ms with -Xmx48m: " + out.trim());
        Path eml = dir.resolve("large.eml");
        assertTrue(Files.size(eml) > (long) SIZE_MIB * MIB * 4 / 3);

        Path decrypted = dir.resolve("large.decrypted.eml");
        peers.run("decrypt-" + cipher, dir, cmd(openssl, "cms", "-decrypt", "-in", eml, "-recip",
                dir.resolve("bob.pem"), "-inkey", dir.resolve("bob.key"), "-out", decrypted), 600).assertSuccess();
        Path verified = dir.resolve("large.verified.eml");
        peers.run("verify-" + cipher, dir, cmd(openssl, "smime", "-verify", "-in", decrypted, "-CAfile",
                dir.resolve("ca.pem"), "-out", verified), 600).assertSuccess();
        // the verified entity is multipart/mixed with the base64 application/zip part: decode and compare
        try (jakarta.mail.util.SharedFileInputStream in = new jakarta.mail.util.SharedFileInputStream(
                verified.toFile())) {
            jakarta.mail.internet.MimeBodyPart part = new jakarta.mail.internet.MimeBodyPart(in);
            jakarta.mail.internet.MimeMultipart mp = (jakarta.mail.internet.MimeMultipart) part.getContent();
            MessageDigest md2 = MessageDigest.getInstance("SHA-256");
            try (InputStream zin = mp.getBodyPart(0).getInputStream()) {
                byte[] buf = new byte[65536];
                for (int n; (n = zin.read(buf)) > 0;) {
                    md2.update(buf, 0, n);
                }
            }
            assertEquals(expected, HexFormat.of().formatHex(md2.digest()));
        }
        for (Path p : new Path[] {payload, eml, decrypted, verified}) {
            Files.deleteIfExists(p);
        }
    }
}
