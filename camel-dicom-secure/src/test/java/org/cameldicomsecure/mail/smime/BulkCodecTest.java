package org.cameldicomsecure.mail.smime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import jakarta.mail.internet.MimeUtility;

import org.bouncycastle.mail.smime.util.CRLFOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The block-wise codecs of the S/MIME fast paths give exactly the bytes of the per-byte implementations they replace:
 * {@link CrlfOutputStream} those of Bouncy Castle's CRLFOutputStream, {@link MimeBase64} those of Jakarta Mail's
 * base64 decoder; {@link MultipartScanner} finds the parts Jakarta Mail's MimeMultipart finds.
 */
class BulkCodecTest {

    @Test
    void crlfLikeBouncyCastleForAnySplit() throws IOException {
        Random r = new Random(3);
        byte[] alphabet = {'a', 'b', '\r', '\n', ' ', '-'};
        for (int round = 0; round < 300; round++) {
            byte[] in = new byte[r.nextInt(200)];
            for (int i = 0; i < in.length; i++) {
                in[i] = alphabet[r.nextInt(alphabet.length)];
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try (OutputStream o = new CRLFOutputStream(expected)) {
                o.write(in);
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try (OutputStream o = new CrlfOutputStream(got)) {
                int at = 0;
                while (at < in.length) {
                    int n = Math.min(in.length - at, 1 + r.nextInt(7));
                    o.write(in, at, n);
                    at += n;
                }
            }
            assertArrayEquals(expected.toByteArray(), got.toByteArray(), "input " + new String(in,
                    StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n"));
        }
    }

    @Test
    void base64LikeJakartaMail() throws Exception {
        Random r = new Random(4);
        for (int size : new int[] {0, 1, 2, 3, 4, 57, 58, 1000, 200_000}) {
            byte[] data = new byte[size];
            r.nextBytes(data);
            for (String text : new String[] {
                Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(data) + "\r\n",
                Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(data),
                Base64.getEncoder().withoutPadding().encodeToString(data),
                " " + Base64.getMimeEncoder(76, new byte[] {' ', '\r', '\n', '\t'}).encodeToString(data)
                        + "\r\n\r\n"}) {
                byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
                byte[] ours;
                try (InputStream in = MimeBase64.decoder(new ByteArrayInputStream(bytes))) {
                    ours = in.readAllBytes();
                }
                assertArrayEquals(data, ours, "size " + size);
                if (text.length() % 4 == 0 || text.contains("\n")) {
                    // Jakarta Mail refuses base64 without its padding (we accept it)
                    byte[] jakarta;
                    try (InputStream in = MimeUtility.decode(new ByteArrayInputStream(bytes), "base64")) {
                        jakarta = in.readAllBytes();
                    }
                    assertArrayEquals(jakarta, ours, "size " + size);
                }
            }
        }
        assertThrows(IOException.class, () -> MimeBase64.decoder(new ByteArrayInputStream(
                "QUJD\r\nR".getBytes(StandardCharsets.US_ASCII))).readAllBytes());
    }

    @Test
    void scannerFindsTheParts() throws IOException {
        String b = "----=_b";
        String body = "preamble\r\n--" + b + "\r\nContent-Type: text/plain\r\n\r\none\r\n--" + b + "  \r\n"
                + "Content-Type: text/plain\r\n\r\ntwo\r\n\r\n--" + b + "x\r\nnot a delimiter\r\n--" + b
                + "--\r\nepilogue";
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        MultipartScanner.Result res = MultipartScanner.scan(new ByteArrayInputStream(bytes), b, 10);
        assertTrue(res.closed());
        assertEquals(2, res.parts().size());
        assertEquals("Content-Type: text/plain\r\n\r\none", slice(bytes, res.parts().get(0)));
        assertEquals("Content-Type: text/plain\r\n\r\ntwo\r\n\r\n--" + b + "x\r\nnot a delimiter",
                slice(bytes, res.parts().get(1)));
        // a big part: delimiters across block boundaries
        StringBuilder big = new StringBuilder("--" + b + "\r\n\r\n");
        while (big.length() < 300_000) {
            big.append("line of text ").append(big.length()).append("\r\n");
        }
        int end = big.length() - 2;
        big.append("--").append(b).append("\r\n\r\nx\r\n--").append(b).append("--\r\n");
        bytes = big.toString().getBytes(StandardCharsets.US_ASCII);
        res = MultipartScanner.scan(new ByteArrayInputStream(bytes), b, 10);
        assertEquals(2, res.parts().size());
        assertEquals(end, res.parts().get(0).end());
        assertEquals("\r\nx", slice(bytes, res.parts().get(1)));
    }

    private static String slice(byte[] b, MultipartScanner.Range r) {
        return new String(b, (int) r.start(), (int) (r.end() - r.start()), StandardCharsets.US_ASCII);
    }
}
