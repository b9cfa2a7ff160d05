package org.cameldicomsecure.net.auth;

import static org.cameldicomsecure.net.auth.AuthTestSupport.PEER;
import static org.cameldicomsecure.net.auth.AuthTestSupport.bcrypt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HtpasswdValidatorTest {

    @TempDir
    Path dir;

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("users.htpasswd"), content, StandardCharsets.UTF_8);
    }

    private static AuthenticationResult check(HtpasswdValidator v, String user, String passcode) {
        return v.validate(UserIdentityRQ.usernamePasscode(user, passcode, true), PEER);
    }

    @Test
    void goodPasscodeIsAcceptedWithTheUsernameAsPrincipal() throws IOException {
        HtpasswdValidator v = HtpasswdValidator.load(write("alice:" + bcrypt("2y", "wonderland") + "\n"));
        AuthenticationResult r = check(v, "alice", "wonderland");
        assertTrue(r.isAccepted(), r::toString);
        assertEquals("alice", r.principal().orElseThrow());
        assertEquals(0, r.serverResponse().length);
        assertEquals(1, v.userCount());
    }

    @Test
    void wrongPasscodeIsRejected() throws IOException {
        HtpasswdValidator v = HtpasswdValidator.load(write("alice:" + bcrypt("2y", "wonderland") + "\n"));
        AuthenticationResult r = check(v, "alice", "Wonderland");
        assertFalse(r.isAccepted());
        assertEquals("htpasswd: passcode mismatch for user 'alice'", r.reason().orElseThrow());
        assertTrue(r.principal().isEmpty());
        assertFalse(check(v, "alice", "").isAccepted());
    }

    @Test
    void unknownUserIsRejectedAfterTheSameBcryptCheckAsAKnownUser() throws IOException {
        String aliceHash = bcrypt("2y", "wonderland");
        List<String> checkedHashes = new ArrayList<>();
        HtpasswdValidator v = HtpasswdValidator.load(write("alice:" + aliceHash + "\n"), (hash, pw) -> {
            checkedHashes.add(hash);
            return OpenBSDBCrypt.checkPassword(hash, pw);
        });

        AuthenticationResult r = check(v, "mallory", "wonderland");

        assertFalse(r.isAccepted());
        assertEquals("htpasswd: unknown user", r.reason().orElseThrow());
        assertEquals(1, checkedHashes.size(), "an unknown user must still cost one bcrypt check");
        String dummy = checkedHashes.get(0);
        assertNotEquals(aliceHash, dummy);
        assertEquals(aliceHash.substring(0, 7), dummy.substring(0, 7), "dummy hash has the file's version and cost");

        check(v, "alice", "wrong");
        assertEquals(List.of(dummy, aliceHash), checkedHashes);
    }

    @Test
    void acceptsAllThreeBcryptVersionsAndSkipsCommentsAndBlankLines() throws IOException {
        HtpasswdValidator v = HtpasswdValidator.load(write("# users of the SCP\r\n"
                + "a:" + bcrypt("2a", "pa") + "\r\n"
                + "\r\n"
                + "b:" + bcrypt("2b", "pb") + "\n"
                + "  y:" + bcrypt("2y", "py") + "  \n"));
        assertEquals(3, v.userCount());
        assertTrue(check(v, "a", "pa").isAccepted());
        assertTrue(check(v, "b", "pb").isAccepted());
        assertTrue(check(v, "y", "py").isAccepted());
        assertFalse(check(v, "a", "pb").isAccepted());
    }

    @Test
    void nonAsciiUsernameAndPasscodeAreUtf8() throws IOException {
        HtpasswdValidator v = HtpasswdValidator.load(write("jürgen:" + bcrypt("2y", "Grüße-€") + "\n"));
        AuthenticationResult r = check(v, "jürgen", "Grüße-€");
        assertTrue(r.isAccepted());
        assertEquals("jürgen", r.principal().orElseThrow());
    }

    @Test
    void lineMadeByApacheHtpasswdIsAccepted() throws Exception {
        Path htpasswd = Path.of("/usr/bin/htpasswd");
        assumeTrue(Files.isExecutable(htpasswd), "apache2-utils' htpasswd is not installed");
        Process p = new ProcessBuilder(htpasswd.toString(), "-nbB", "-C", "5", "carol", "s3cret pass")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(line.startsWith("carol:$2y$05$"), "htpasswd -B writes $2y$");

        HtpasswdValidator v = HtpasswdValidator.load(write(line + "\n"));
        assertTrue(check(v, "carol", "s3cret pass").isAccepted());
        assertFalse(check(v, "carol", "s3cret pas").isAccepted());
    }

    @Test
    void plaintextLineIsRejectedAtLoadNamingTheLineButNotThePassword() throws IOException {
        Path f = write("alice:" + bcrypt("2y", "wonderland") + "\nbob:hunter2-plain\n");
        HtpasswdFormatException e = assertThrows(HtpasswdFormatException.class, () -> HtpasswdValidator.load(f));
        assertEquals(2, e.lineNumber());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("plaintext"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertFalse(e.getMessage().contains("bob"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "u:$apr1$Vq3fOCsR$Wl1vBMl7nISqO0GXUVgN7/", // htpasswd -m
        "u:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", // htpasswd -s
        "u:rA5bx2G/H8c9Q", // htpasswd -d (DES crypt)
        "u:$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/",
        "u:my clear secret",
        "u:$2y$10$tooShort",
        "u:$2x$10$abcdefghijklmnopqrstuuM1Jh5tPF0yqkRnqaFjRbOnGqrH3w0yS", // $2x$ is not accepted
        "u:$2y$03$abcdefghijklmnopqrstuuM1Jh5tPF0yqkRnqaFjRbOnGqrH3w0yS", // cost below 4
        "just-a-password-without-colon",
        ":" + "$2y$04$abcdefghijklmnopqrstuuM1Jh5tPF0yqkRnqaFjRbOnGqrH3w0yS",
    })
    void everyNonBcryptLineIsRejectedAtLoad(String line) throws IOException {
        Path f = write("# comment\n" + line + "\n");
        HtpasswdFormatException e = assertThrows(HtpasswdFormatException.class, () -> HtpasswdValidator.load(f));
        assertEquals(2, e.lineNumber());
        String secretPart = line.contains(":") ? line.substring(line.indexOf(':') + 1) : line;
        assertFalse(e.getMessage().contains(secretPart), e.getMessage());
    }

    @Test
    void duplicateUserIsRejectedAtLoad() throws IOException {
        Path f = write("alice:" + bcrypt("2y", "a") + "\nalice:" + bcrypt("2y", "b") + "\n");
        HtpasswdFormatException e = assertThrows(HtpasswdFormatException.class, () -> HtpasswdValidator.load(f));
        assertEquals(2, e.lineNumber());
        assertTrue(e.getMessage().endsWith("user already defined on line 1"), e.getMessage());
    }

    @Test
    void usernameOnlyAndOtherTypesAreRejected() throws IOException {
        HtpasswdValidator v = HtpasswdValidator.load(write("alice:" + bcrypt("2y", "wonderland") + "\n"));
        AuthenticationResult r = v.validate(UserIdentityRQ.username("alice", true), PEER);
        assertFalse(r.isAccepted());
        assertTrue(r.reason().orElseThrow().contains("type 1"), r::toString);
        assertFalse(v.validate(AuthTestSupport.jwtIdentity("a.b.c", false), PEER).isAccepted());
    }

    @Test
    void fileIsReloadedWhenItChanges() throws IOException {
        Path f = write("alice:" + bcrypt("2y", "old") + "\n");
        HtpasswdValidator v = HtpasswdValidator.load(f);
        assertTrue(check(v, "alice", "old").isAccepted());
        assertFalse(check(v, "bob", "b").isAccepted());

        rewrite(f, "alice:" + bcrypt("2y", "new") + "\nbob:" + bcrypt("2b", "b") + "\n", 2);

        assertFalse(check(v, "alice", "old").isAccepted(), "the old passcode must stop working");
        assertTrue(check(v, "alice", "new").isAccepted());
        assertTrue(check(v, "bob", "b").isAccepted());
        assertEquals(2, v.userCount());
    }

    @Test
    void invalidOrMissingFileOnReloadRejectsEveryoneUntilFixed() throws IOException {
        Path f = write("alice:" + bcrypt("2y", "pw") + "\n");
        HtpasswdValidator v = HtpasswdValidator.load(f);

        rewrite(f, "alice:" + bcrypt("2y", "pw") + "\nbob:secret-in-clear\n", 2);
        AuthenticationResult r = check(v, "alice", "pw");
        assertFalse(r.isAccepted(), "fail closed while the file is invalid");
        assertTrue(r.reason().orElseThrow().contains("line 2"), r::toString);
        assertFalse(r.reason().orElseThrow().contains("secret-in-clear"), r::toString);
        assertEquals(0, v.userCount());

        Files.delete(f);
        assertFalse(check(v, "alice", "pw").isAccepted());

        rewrite(f, "alice:" + bcrypt("2y", "pw") + "\n", 4);
        assertTrue(check(v, "alice", "pw").isAccepted());
    }

    @Test
    void missingFileFailsTheLoad() {
        assertThrows(IOException.class, () -> HtpasswdValidator.load(dir.resolve("absent")));
    }

    /** Rewrites the file and moves its mtime forward, so coarse file-system clocks cannot hide the change. */
    private static void rewrite(Path f, String content, int secondsLater) throws IOException {
        Instant before = Files.exists(f) ? Files.getLastModifiedTime(f).toInstant() : Instant.now();
        Files.writeString(f, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(f, FileTime.from(before.plusSeconds(secondsLater)));
    }
}
