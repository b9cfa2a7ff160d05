package org.cameldicomsecure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Keeps the dependency rule of the layout honest: imports point downward only, and nothing outside
 * {@code org.cameldicomsecure.component} sees Camel.
 */
class LayeringTest {

    private static final Path MAIN = Path.of("src/main/java/org/cameldicomsecure");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void dicomCoreUsesTheJdkOnly() throws IOException {
        List<String> bad = violations("dicom", imp -> imp.startsWith("java.") || imp.startsWith("javax.")
                || imp.startsWith("org.cameldicomsecure.dicom."));
        assertTrue(bad.isEmpty(), "the dicom package may import only the JDK and itself: " + bad);
    }

    @Test
    void signUsesTheJdkBouncyCastleAndDicomOnly() throws IOException {
        List<String> bad = violations("sign", imp -> imp.startsWith("java.") || imp.startsWith("javax.")
                || imp.startsWith("org.bouncycastle.") || imp.startsWith("org.cameldicomsecure.dicom.")
                || imp.startsWith("org.cameldicomsecure.sign."));
        assertTrue(bad.isEmpty(), "the sign package may import only the JDK, Bouncy Castle, dicom and itself: " + bad);
    }

    @Test
    void deidUsesTheJdkDicomAndSignOnly() throws IOException {
        List<String> bad = violations("deid", imp -> imp.startsWith("java.") || imp.startsWith("javax.")
                || imp.startsWith("org.cameldicomsecure.dicom.") || imp.startsWith("org.cameldicomsecure.sign.")
                || imp.startsWith("org.cameldicomsecure.deid."));
        assertTrue(bad.isEmpty(), "the deid package may import only the JDK, dicom, sign and itself: " + bad);
    }

    @Test
    void mediaUsesTheJdkAndDicomOnly() throws IOException {
        List<String> bad = violations("media", imp -> imp.startsWith("java.") || imp.startsWith("javax.")
                || imp.startsWith("org.cameldicomsecure.dicom.") || imp.startsWith("org.cameldicomsecure.media."));
        assertTrue(bad.isEmpty(), "the media package may import only the JDK, dicom and itself: " + bad);
    }

    @Test
    void mailUsesTheJdkJakartaMailAndTheLowerLayersOnly() throws IOException {
        List<String> smime = violations("mail/smime", imp -> imp.startsWith("java.") || imp.startsWith("javax.")
                || imp.startsWith("jakarta.mail.") || imp.startsWith("jakarta.activation.")
                || imp.startsWith("org.bouncycastle.") || imp.startsWith("org.cameldicomsecure.sign.")
                || imp.startsWith("org.cameldicomsecure.mail.smime."));
        assertTrue(smime.isEmpty(), "mail.smime may import only the JDK, Jakarta Mail, Bouncy Castle, sign and "
                + "itself: " + smime);
        List<String> mail = violations("mail", imp -> imp.startsWith("java.") || imp.startsWith("javax.")
                || imp.startsWith("jakarta.mail.") || imp.startsWith("jakarta.activation.")
                || imp.startsWith("org.bouncycastle.") || imp.startsWith("org.cameldicomsecure.sign.")
                || imp.startsWith("org.cameldicomsecure.dicom.") || imp.startsWith("org.cameldicomsecure.media.")
                || imp.startsWith("org.cameldicomsecure.mail."));
        assertTrue(mail.isEmpty(), "mail may import only the JDK, Jakarta Mail, Bouncy Castle, sign, dicom, media and "
                + "itself: " + mail);
    }

    @Test
    void auditUsesTheJdkNettyAndTheLowerLayersOnly() throws IOException {
        List<String> bad = violations("audit", imp -> imp.startsWith("java.") || imp.startsWith("javax.")
                || imp.startsWith("io.netty.") || imp.startsWith("org.cameldicomsecure.dicom.")
                || imp.startsWith("org.cameldicomsecure.net.") || imp.startsWith("org.cameldicomsecure.tls.")
                || imp.startsWith("org.cameldicomsecure.web.") || imp.startsWith("org.cameldicomsecure.audit."));
        assertTrue(bad.isEmpty(), "the audit package may import only the JDK, Netty, dicom, net, tls, web and itself: "
                + bad);
    }

    @Test
    void onlyComponentPackagesSeeCamel() throws IOException {
        List<String> bad = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(MAIN)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String pkg = dir.getFileName().toString();
                if (!pkg.equals("component")) {
                    bad.addAll(violations(pkg, imp -> !imp.startsWith("org.apache.camel")
                            && !imp.startsWith("org.cameldicomsecure.component")));
                }
            }
        }
        assertTrue(bad.isEmpty(), "Camel types belong in org.cameldicomsecure.component only: " + bad);
    }

    private static List<String> violations(String pkg, java.util.function.Predicate<String> allowed)
            throws IOException {
        List<String> bad = new ArrayList<>();
        Path root = MAIN.resolve(pkg);
        if (!Files.isDirectory(root)) {
            return bad;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    if (!allowed.test(m.group(1))) {
                        bad.add(root.relativize(f) + " imports " + m.group(1));
                    }
                }
            }
        }
        return bad;
    }
}
