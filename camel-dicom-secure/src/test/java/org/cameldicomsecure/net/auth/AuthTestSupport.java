package org.cameldicomsecure.net.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.cameldicomsecure.net.pdu.UserIdentityType;

/** Keys, hashes and peers made inside the tests; nothing is committed. */
final class AuthTestSupport {

    static final AuthenticationPeer PEER =
            new AuthenticationPeer("STORESCU", "CDS_SCP", new InetSocketAddress("127.0.0.1", 40412), null);

    private static final SecureRandom RANDOM = new SecureRandom();

    private AuthTestSupport() {
    }

    /** A bcrypt hash at the low cost 4, so that tests stay fast. */
    static String bcrypt(String version, String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate(version, password.getBytes(StandardCharsets.UTF_8), salt, 4);
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static Path writePem(Path dir, String name, String label, byte[] der) throws IOException {
        String pem = "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
        return Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII);
    }

    static Path writePublicKeyPem(Path dir, String name, PublicKey key) throws IOException {
        return writePem(dir, name, "PUBLIC KEY", key.getEncoded());
    }

    static UserIdentityRQ jwtIdentity(String token, boolean positiveResponse) {
        return new UserIdentityRQ(UserIdentityType.JWT, positiveResponse, token.getBytes(StandardCharsets.UTF_8),
                null);
    }
}
