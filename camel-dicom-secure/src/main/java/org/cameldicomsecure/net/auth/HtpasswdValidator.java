package org.cameldicomsecure.net.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.cameldicomsecure.net.pdu.UserIdentityType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks username and passcode (User-Identity-Type 2, PS3.15 B.5) against an Apache htpasswd file of bcrypt entries,
 * {@code name:$2y$10$...} as {@code htpasswd -B} writes them ({@code $2a$} and {@code $2b$} are accepted too).
 *
 * <ul>
 * <li>Any other entry (plaintext, MD5 {@code $apr1$}, SHA-1 {@code {SHA}}, crypt) fails the load with an
 * {@link HtpasswdFormatException} naming the line number, never the line. Empty lines and lines starting with
 * {@code #} are skipped, as Apache's mod_authn_file does.</li>
 * <li>The file is read again when its modification time, size or file key change (checked on each validation, one
 * {@code stat}). If the new content is invalid or the file is gone, every identity is rejected until it is fixed: an
 * edit that removes a user must never leave the old entries in force.</li>
 * <li>An unknown user costs the same bcrypt check as a known one (against a dummy hash of the file's usual cost), so
 * response times do not tell which users exist.</li>
 * <li>Type 1 (username only) is rejected: this validator needs a passcode. bcrypt uses at most the first 72 bytes of
 * the passcode (UTF-8), as Apache does.</li>
 * </ul>
 */
public final class HtpasswdValidator implements UserIdentityValidator {

    private static final Logger LOG = LoggerFactory.getLogger(HtpasswdValidator.class);

    /** Modular crypt format of bcrypt: version, two-digit cost, 22 salt and 31 hash characters. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d{2})\\$[./A-Za-z0-9]{53}");
    private static final Pattern DES_CRYPT = Pattern.compile("[./A-Za-z0-9]{13}");
    private static final String ONLY_BCRYPT = " is not accepted; only bcrypt ($2y$, $2a$, $2b$ as written by htpasswd -B)";
    private static final int DEFAULT_COST = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The bcrypt check; a seam for tests that count checks. */
    interface PasswordCheck {
        boolean check(String bcryptHash, byte[] passcode);
    }

    private final Path file;
    private final PasswordCheck passwordCheck;
    private final Object reloadLock = new Object();
    private volatile Snapshot snapshot;

    private HtpasswdValidator(Path file, PasswordCheck passwordCheck, Snapshot first) {
        this.file = file;
        this.passwordCheck = passwordCheck;
        this.snapshot = first;
    }

    /**
     * Reads the file.
     *
     * @throws HtpasswdFormatException if a line is not a bcrypt entry (names the line number)
     * @throws IOException             if the file cannot be read
     */
    public static HtpasswdValidator load(Path file) throws IOException {
        return load(file, OpenBSDBCrypt::checkPassword);
    }

    static HtpasswdValidator load(Path file, PasswordCheck passwordCheck) throws IOException {
        Objects.requireNonNull(file, "file");
        Stamp stamp = Stamp.of(file);
        return new HtpasswdValidator(file, passwordCheck, parse(file, stamp));
    }

    public Path file() {
        return file;
    }

    /** How many users the file currently defines (0 while it is unusable). */
    public int userCount() {
        Snapshot s = current();
        return s.failure == null ? s.users.size() : 0;
    }

    @Override
    public AuthenticationResult validate(UserIdentityRQ identity, AuthenticationPeer peer) {
        if (identity.type() == UserIdentityType.USERNAME) {
            return AuthenticationResult.rejected("htpasswd: username-only identity (type 1) has no passcode");
        }
        if (identity.type() != UserIdentityType.USERNAME_AND_PASSCODE) {
            return AuthenticationResult.rejected("htpasswd: identity type " + identity.type() + " not supported");
        }
        Snapshot s = current();
        if (s.failure != null) {
            return AuthenticationResult.rejected("htpasswd file unusable: " + s.failure);
        }
        String username;
        try {
            username = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(identity.primaryField())).toString();
        } catch (CharacterCodingException e) {
            return AuthenticationResult.rejected("htpasswd: username is not valid UTF-8");
        }
        if (username.isEmpty()) {
            return AuthenticationResult.rejected("htpasswd: empty username");
        }
        String hash = s.users.get(username);
        // always one bcrypt run, so that an unknown user takes as long as a wrong passcode
        boolean match = passwordCheck.check(hash != null ? hash : s.dummyHash, identity.secondaryField());
        if (hash == null) {
            // no name here: an unknown "username" is often a password typed into the wrong field
            return AuthenticationResult.rejected("htpasswd: unknown user");
        }
        return match ? AuthenticationResult.accepted(username)
                : AuthenticationResult.rejected("htpasswd: passcode mismatch for user " + LogSafe.quote(username));
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        Stamp now = Stamp.ofOrNull(file);
        if (now != null && now.equals(s.stamp)) {
            return s;
        }
        synchronized (reloadLock) {
            s = snapshot;
            now = Stamp.ofOrNull(file);
            if (now != null && now.equals(s.stamp)) {
                return s;
            }
            Snapshot next;
            if (now == null) {
                next = Snapshot.failed(null, "cannot read " + file);
            } else {
                try {
                    next = parse(file, now);
                    LOG.info("htpasswd file {} reloaded: {} users", file, next.users.size());
                } catch (IOException e) {
                    // our format messages name the line only; other I/O messages name the file
                    next = Snapshot.failed(now, e instanceof HtpasswdFormatException ? e.getMessage()
                            : "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
                }
            }
            if (next.failure != null) {
                LOG.error("htpasswd file rejected, all passcode logins fail until it is fixed: {}", next.failure);
            }
            snapshot = next;
            return next;
        }
    }

    private static Snapshot parse(Path file, Stamp stamp) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text");
        }
        Map<String, String> users = new HashMap<>();
        Map<String, Integer> definedOn = new HashMap<>();
        Map<Integer, Integer> costs = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new HtpasswdFormatException(file, lineNumber, "not a 'name:hash' entry");
            }
            if (colon == 0) {
                throw new HtpasswdFormatException(file, lineNumber, "empty user name");
            }
            String name = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            Matcher m = BCRYPT.matcher(hash);
            if (!m.matches()) {
                throw new HtpasswdFormatException(file, lineNumber, kindOf(hash) + ONLY_BCRYPT);
            }
            int cost = Integer.parseInt(m.group(1));
            if (cost < 4 || cost > 31) {
                throw new HtpasswdFormatException(file, lineNumber, "bcrypt cost " + cost + " outside 4..31");
            }
            Integer earlier = definedOn.putIfAbsent(name, lineNumber);
            if (earlier != null) {
                throw new HtpasswdFormatException(file, lineNumber, "user already defined on line " + earlier);
            }
            users.put(name, hash);
            costs.merge(cost, 1, Integer::sum);
        }
        int usualCost = costs.entrySet().stream()
                .max(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(DEFAULT_COST);
        return new Snapshot(stamp, Map.copyOf(users), dummyHash(usualCost), null);
    }

    /** Names what an entry looks like, without repeating it. */
    private static String kindOf(String hash) {
        if (hash.startsWith("$apr1$")) {
            return "MD5 ($apr1$) hash";
        }
        if (hash.startsWith("{SHA}")) {
            return "SHA-1 ({SHA}) hash";
        }
        if (hash.startsWith("$1$") || hash.startsWith("$5$") || hash.startsWith("$6$")) {
            return "crypt(3) MD5/SHA-256/SHA-512 hash";
        }
        if (hash.startsWith("$2")) {
            return "malformed bcrypt hash";
        }
        if (DES_CRYPT.matcher(hash).matches()) {
            return "DES crypt hash or plaintext password";
        }
        return "plaintext password or unknown hash";
    }

    private static String dummyHash(int cost) {
        byte[] salt = new byte[16];
        byte[] password = new byte[16];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(password);
        return OpenBSDBCrypt.generate("2y", password, salt, cost);
    }

    @Override
    public String toString() {
        return "HtpasswdValidator[" + file + "]";
    }

    /** What identifies one version of the file. */
    private record Stamp(FileTime modified, long size, Object fileKey) {

        static Stamp of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
        }

        static Stamp ofOrNull(Path file) {
            try {
                return of(file);
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** The parsed file, or why it could not be used. */
    private record Snapshot(Stamp stamp, Map<String, String> users, String dummyHash, String failure) {

        static Snapshot failed(Stamp stamp, String failure) {
            return new Snapshot(stamp, Map.of(), null, failure);
        }
    }
}
