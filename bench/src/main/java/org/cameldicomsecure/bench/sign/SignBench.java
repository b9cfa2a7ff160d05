package org.cameldicomsecure.bench.sign;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cameldicomsecure.bench.BenchData;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.sign.DicomSigner;
import org.cameldicomsecure.sign.SignatureCheck;
import org.cameldicomsecure.sign.SignatureInfo;
import org.cameldicomsecure.sign.SignatureProfile;
import org.cameldicomsecure.sign.SignatureStatus;
import org.cameldicomsecure.sign.SignatureVerifier;
import org.cameldicomsecure.sign.SignerCredentials;
import org.cameldicomsecure.sign.SigningOptions;
import org.cameldicomsecure.sign.VerificationOptions;
import org.cameldicomsecure.sign.VerificationResult;

/**
 * Our side of run-sign-vs-dcmsign.sh: DICOM digital signatures (PS3.15 Annex C) made with {@link DicomSigner} and
 * checked with {@link SignatureVerifier}, on 512 KiB CT instances, one instance after the other on one thread.
 *
 * <p>At start: a throw-away PKI in memory (Bouncy Castle; a self-signed RSA-2048 CA, an RSA-2048 and an ECDSA P-256
 * signer issued by it, key usage digitalSignature), written as PEM into {@code OUT/pki} ({@code ca.pem},
 * {@code rsa-key.pem}, {@code rsa-cert.pem}, {@code ec-key.pem}, {@code ec-cert.pem}; keys unencrypted PKCS #8) for
 * DCMTK's dcmsign. The instances: {@code ct-*.dcm} of {@code --dir}, or, without it, {@code --n} copies of the bench
 * CT ({@link BenchData.Kind#CT}: 512 x 512 x 16-bit pixel data, 526,988 bytes) with their own SOP Instance UIDs,
 * written by our {@link DicomWriter} into a temporary folder (on /dev/shm when writable).
 *
 * <p>Then per configuration ({@code --configs}):
 * <ul>
 * <li>{@code rsa-creator}: RSA-2048, profile CREATOR (PS3.15 C.2; covers Pixel Data, which is in the Image Pixel
 * Module);</li>
 * <li>{@code rsa-meta}: RSA-2048, profile NONE, tags SOP Class UID, SOP Instance UID, Study and Series Instance UID,
 * Manufacturer only (the metadata-only case);</li>
 * <li>{@code ec-meta}: ECDSA P-256, profile NONE, the same tags;</li>
 * <li>{@code ec-all}: ECDSA P-256, profile NONE, every signable element (covers Pixel Data);</li>
 * </ul>
 * all with MAC algorithm SHA256. For each: one checked signature (the written file re-read and verified VALID; the
 * signed tags include Pixel Data exactly when the configuration covers it; a changed pixel byte breaks the signature
 * exactly then; a changed Manufacturer always breaks it; CREATOR is among the profiles found for {@code rsa-creator}),
 * warm-up passes (JIT) until both {@code --warmup-passes} and {@code --warmup-seconds} are reached, then {@code --reps}
 * timed passes of
 * <ul>
 * <li>sign: {@code DicomReader.read(in)} -> {@code DicomSigner.sign(dataset, signer, options)} ->
 * {@code DicomWriter.write(file, OUT/signed/CONFIG/NAME)} (the previous pass's output is deleted first, outside the
 * per-instance time);</li>
 * <li>verify: {@code DicomReader.read(signed file)} -> {@code SignatureVerifier.verify(dataset)}, status checked
 * VALID (trusted: the CA).</li>
 * </ul>
 * The signed files of the last pass stay in {@code OUT/signed/CONFIG} for dcmsign to verify. A read-only pass over the
 * inputs is timed first, for reference; last, in the same JVM, the JDK's SHA-256 {@code MessageDigest} over a 512 KiB
 * buffer and its raw SHA256withRSA / SHA256withECDSA sign and verify rates over 32 bytes (what {@code openssl speed}
 * measures), each for {@code --raw-seconds} after as long a warm-up. Prints, besides informational lines:
 * <pre>
 * PKI &lt;dir&gt;
 * RAW jdk-sha256 &lt;MB/s over 524288-byte buffers&gt;
 * RAW jdk-rsa2048 &lt;sign/s&gt; &lt;verify/s&gt;
 * RAW jdk-ecdsap256 &lt;sign/s&gt; &lt;verify/s&gt;
 * CONFIG &lt;name&gt; &lt;RSA|EC&gt; &lt;CREATOR|NONE&gt; &lt;ALL | ggggeeee,ggggeeee,...&gt; &lt;pixel: yes|no&gt;
 * RESULT &lt;name&gt; &lt;op&gt; &lt;instances&gt; &lt;bytes per file&gt; &lt;ms per instance (median)&gt; &lt;instances/s&gt; &lt;MB/s&gt;
 * </pre>
 * op {@code sign}, {@code verify} (whole per-file operations, as above) and {@code read} (read only): ms per instance
 * = median over every timed instance of all passes; instances/s = instances / wall time of the median pass. op
 * {@code sign-core}, {@code verify-core}: the signature step alone, data set in memory ({@code DicomSigner.sign},
 * {@code SignatureVerifier.verify}), timed inside the same passes: ms = its median, instances/s = 1000 / ms. MB/s =
 * instances/s x input file size (MB = 10^6 bytes). {@code OUT} is {@code --out}, kept, or a temporary
 * folder removed at the end.
 *
 * <p>Usage: {@code SignBench [--dir DIR | --n 200] [--out DIR] [--reps 3] [--warmup-passes 2] [--warmup-seconds 3]
 * [--raw-seconds 2] [--configs rsa-creator,rsa-meta,ec-meta,ec-all]}
 */
public final class SignBench {

    /** The metadata-only tags: SOP Class/Instance UID, Study/Series Instance UID, Manufacturer. */
    static final List<Integer> METADATA_TAGS = List.of(Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.StudyInstanceUID,
            Tag.SeriesInstanceUID, Tag.Manufacturer);
    private static final int DIGEST_BYTES = 524288;

    private SignBench() {
    }

    /** One thing to measure. */
    record Config(String name, String keyAlgorithm, SignatureProfile profile, List<Integer> tags, boolean pixels) {

        SigningOptions options() {
            return SigningOptions.builder().profile(profile).tags(tags).build();
        }

        String tagList() {
            return tags.isEmpty() ? "ALL" : tags.stream()
                    .map(t -> String.format(Locale.ROOT, "%08x", t))
                    .collect(Collectors.joining(","));
        }
    }

    static final Map<String, Config> CONFIGS = new LinkedHashMap<>();

    static {
        for (Config c : List.of(
                new Config("rsa-creator", "RSA", SignatureProfile.CREATOR, List.of(), true),
                new Config("rsa-meta", "RSA", SignatureProfile.NONE, METADATA_TAGS, false),
                new Config("ec-meta", "EC", SignatureProfile.NONE, METADATA_TAGS, false),
                new Config("ec-all", "EC", SignatureProfile.NONE, List.of(), true))) {
            CONFIGS.put(c.name(), c);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = null;
        Path outArg = null;
        int n = 200;
        int reps = 3;
        int warmupPasses = 2;
        double warmupSeconds = 3;
        double rawSeconds = 2;
        List<String> configs = new ArrayList<>(CONFIGS.keySet());
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                usage("option " + args[i] + " needs a value");
            }
            String v = args[++i];
            switch (args[i - 1]) {
                case "--dir" -> dir = Path.of(v);
                case "--out" -> outArg = Path.of(v);
                case "--n" -> n = Integer.parseInt(v);
                case "--reps" -> reps = Integer.parseInt(v);
                case "--warmup-passes" -> warmupPasses = Integer.parseInt(v);
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(v);
                case "--raw-seconds" -> rawSeconds = Double.parseDouble(v);
                case "--configs" -> configs = List.of(v.split(","));
                default -> usage("unknown option " + args[i - 1]);
            }
        }
        if (reps < 1 || warmupPasses < 0 || n < 1 || rawSeconds <= 0) {
            usage("--reps and --n must be at least 1, --warmup-passes at least 0, --raw-seconds above 0");
        }
        for (String c : configs) {
            if (!CONFIGS.containsKey(c)) {
                usage("unknown configuration \"" + c + "\": " + String.join(", ", CONFIGS.keySet()));
            }
        }

        Path temp = null;
        try {
            Path out;
            if (outArg != null) {
                out = Files.createDirectories(outArg);
            } else {
                Path shm = Path.of("/dev/shm");
                temp = Files.isDirectory(shm) && Files.isWritable(shm)
                        ? Files.createTempDirectory(shm, "cds-signbench-") : Files.createTempDirectory("cds-signbench-");
                out = temp;
            }
            List<Path> files;
            if (dir == null) {
                files = generate(Files.createDirectories(out.resolve("files")), n);
                System.out.printf(Locale.ROOT, "generated %d files of %d bytes in %s%n", files.size(),
                        Files.size(files.get(0)), out.resolve("files"));
            } else {
                files = inputs(dir);
            }
            long size = sameSize(files);

            Pki pki = Pki.create(Files.createDirectories(out.resolve("pki")));
            System.out.println("PKI " + out.resolve("pki"));
            System.out.printf(Locale.ROOT, "jvm: %s %s (%s), max heap %d MiB; %d files of %d bytes%n",
                    System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                    System.getProperty("java.vendor"), Runtime.getRuntime().maxMemory() >> 20, files.size(), size);

            Bench bench = new Bench(files, size, pki);
            bench.readOnly(reps, warmupPasses, warmupSeconds);
            for (String name : configs) {
                bench.run(CONFIGS.get(name), Files.createDirectories(out.resolve("signed").resolve(name)), reps,
                        warmupPasses, warmupSeconds);
            }
            // last, so that the JDK's crypto code is compiled already (each rate also has its own warm-up)
            raw(pki, rawSeconds);
        } finally {
            if (temp != null) {
                deleteTree(temp);
            }
        }
    }

    private static void usage(String why) {
        System.err.println("SignBench: " + why);
        System.err.println("usage: SignBench [--dir DIR | --n 200] [--out DIR] [--reps 3] [--warmup-passes 2] "
                + "[--warmup-seconds 3] [--raw-seconds 2] [--configs " + String.join(",", CONFIGS.keySet()) + "]");
        System.exit(2);
    }

    /** N copies of the bench CT, each with its own SOP Instance UID of the same length. */
    static List<Path> generate(Path dir, int n) throws IOException {
        DicomFile ct = BenchData.create(BenchData.Kind.CT);
        String base = ct.dataset().getString(Tag.SOPInstanceUID);
        DicomWriter writer = new DicomWriter();
        List<Path> files = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String uid = base + "." + (10000 + i);
            ct.dataset().setString(Tag.SOPInstanceUID, VR.UI, uid);
            ct.fileMeta().setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
            Path p = dir.resolve(String.format(Locale.ROOT, "ct-%05d.dcm", i));
            writer.write(ct, p);
            files.add(p);
        }
        return files;
    }

    private static List<Path> inputs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--dir " + dir + " is not a folder");
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith("ct-") && name.endsWith(".dcm") && Files.isRegularFile(p);
            }).sorted(Comparator.comparing(Path::toString)).collect(Collectors.toList());
            if (l.isEmpty()) {
                throw new IllegalArgumentException("no ct-*.dcm files in " + dir);
            }
            return l;
        }
    }

    private static long sameSize(List<Path> files) throws IOException {
        long s = Files.size(files.get(0));
        for (Path f : files) {
            if (Files.size(f) != s) {
                throw new IllegalStateException("input files differ in size: " + f + " has " + Files.size(f)
                        + " bytes, " + files.get(0) + " " + s);
            }
        }
        return s;
    }

    // ---------------------------------------------------------------- raw JDK rates

    @FunctionalInterface
    interface Op {
        void run() throws Exception;
    }

    /** Operations per second of {@code op}: warm-up for {@code seconds}, then as many as fit in {@code seconds}. */
    static double rate(Op op, double seconds) throws Exception {
        for (int round = 0; round < 2; round++) {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long count = 0;
            long start = System.nanoTime();
            long now;
            do {
                op.run();
                count++;
                now = System.nanoTime();
            } while (now < end);
            if (round == 1) {
                return count / ((now - start) / 1e9);
            }
        }
        throw new AssertionError();
    }

    private static void raw(Pki pki, double seconds) throws Exception {
        byte[] buf = new byte[DIGEST_BYTES];
        for (int i = 0; i < buf.length; i++) {
            buf[i] = (byte) (i * 31 + (i >> 9));
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        double perSecond = rate(() -> md.digest(buf), seconds);
        System.out.printf(Locale.ROOT, "jdk SHA-256 (%s): %.1f MB/s over %d-byte buffers%n", md.getProvider().getName(),
                perSecond * DIGEST_BYTES / 1e6, DIGEST_BYTES);
        System.out.printf(Locale.ROOT, "RAW jdk-sha256 %.1f%n", perSecond * DIGEST_BYTES / 1e6);
        rawSignature("jdk-rsa2048", "SHA256withRSA", pki.rsa.key(), pki.rsa.cert().getPublicKey(), seconds);
        rawSignature("jdk-ecdsap256", "SHA256withECDSA", pki.ec.key(), pki.ec.cert().getPublicKey(), seconds);
    }

    private static void rawSignature(String label, String alg, PrivateKey key, PublicKey pub, double seconds)
            throws Exception {
        byte[] msg = MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.US_ASCII));
        Signature s = Signature.getInstance(alg);
        double sign = rate(() -> {
            s.initSign(key);
            s.update(msg);
            s.sign();
        }, seconds);
        s.initSign(key);
        s.update(msg);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(alg);
        double verify = rate(() -> {
            v.initVerify(pub);
            v.update(msg);
            if (!v.verify(sig)) {
                throw new IllegalStateException(alg + " signature did not verify");
            }
        }, seconds);
        System.out.printf(Locale.ROOT, "jdk %s (%s): %.1f sign/s, %.1f verify/s over 32 bytes%n", alg,
                s.getProvider().getName(), sign, verify);
        System.out.printf(Locale.ROOT, "RAW %s %.1f %.1f%n", label, sign, verify);
    }

    // ---------------------------------------------------------------- the file benchmark

    private static final class Bench {
        private final List<Path> files;
        private final long size;
        private final Pki pki;
        private final DicomReader reader = new DicomReader();
        private final DicomWriter writer = new DicomWriter();
        private final DicomSigner signer = new DicomSigner();
        private final SignatureVerifier verifier;

        Bench(List<Path> files, long size, Pki pki) {
            this.files = files;
            this.size = size;
            this.pki = pki;
            this.verifier = new SignatureVerifier(VerificationOptions.builder()
                    .trustedCertificates(List.of(pki.ca.cert())).build());
        }

        /** A timed pass: per-instance nanoseconds into {@code times} (and parts into {@code parts}); returns wall ns. */
        @FunctionalInterface
        interface Pass {
            long run(long[] times, long[][] parts) throws Exception;
        }

        void readOnly(int reps, int warmupPasses, double warmupSeconds) throws Exception {
            measure("read", "read", reps, warmupPasses, warmupSeconds, 0, (times, parts) -> {
                long start = System.nanoTime();
                for (int i = 0; i < files.size(); i++) {
                    long t0 = System.nanoTime();
                    DicomFile f = reader.read(files.get(i));
                    times[i] = System.nanoTime() - t0;
                    if (f.dataset().size() == 0) {
                        throw new IllegalStateException("empty data set in " + files.get(i));
                    }
                }
                return System.nanoTime() - start;
            });
        }

        void run(Config c, Path outDir, int reps, int warmupPasses, double warmupSeconds) throws Exception {
            SignerCredentials cred = "RSA".equals(c.keyAlgorithm()) ? pki.rsaCredentials : pki.ecCredentials;
            SigningOptions options = c.options();
            System.out.printf(Locale.ROOT, "CONFIG %s %s %s %s %s%n", c.name(), c.keyAlgorithm(), c.profile(),
                    c.tagList(), c.pixels() ? "yes" : "no");
            check(c, cred, options, outDir);

            List<Path> outs = new ArrayList<>(files.size());
            for (Path in : files) {
                outs.add(outDir.resolve(in.getFileName()));
            }
            measure(c.name(), "sign", reps, warmupPasses, warmupSeconds, 3, (times, parts) -> {
                long start = System.nanoTime();
                for (int i = 0; i < files.size(); i++) {
                    Path out = outs.get(i);
                    Files.deleteIfExists(out);
                    long t0 = System.nanoTime();
                    DicomFile f = reader.read(files.get(i));
                    long t1 = System.nanoTime();
                    signer.sign(f.dataset(), cred, options);
                    long t2 = System.nanoTime();
                    writer.write(f, out);
                    long t3 = System.nanoTime();
                    times[i] = t3 - t0;
                    parts[0][i] = t1 - t0;
                    parts[1][i] = t2 - t1;
                    parts[2][i] = t3 - t2;
                }
                return System.nanoTime() - start;
            });
            measure(c.name(), "verify", reps, warmupPasses, warmupSeconds, 2, (times, parts) -> {
                long start = System.nanoTime();
                for (int i = 0; i < outs.size(); i++) {
                    long t0 = System.nanoTime();
                    DicomFile f = reader.read(outs.get(i));
                    long t1 = System.nanoTime();
                    VerificationResult r = verifier.verify(f.dataset());
                    long t2 = System.nanoTime();
                    if (r.status() != SignatureStatus.VALID || r.signatures().size() != 1) {
                        throw new IllegalStateException(c.name() + ": " + outs.get(i).getFileName() + " verified "
                                + r.status() + " with " + r.signatures().size() + " signature(s): " + r.reason());
                    }
                    times[i] = t2 - t0;
                    parts[0][i] = t1 - t0;
                    parts[1][i] = t2 - t1;
                }
                return System.nanoTime() - start;
            });
        }

        private void measure(String name, String op, int reps, int warmupPasses, double warmupSeconds, int nParts,
                Pass pass) throws Exception {
            int n = files.size();
            long[] scratch = new long[n];
            long[][] scratchParts = new long[nParts][n];
            long warmStart = System.nanoTime();
            int passes = 0;
            while (passes < warmupPasses || (System.nanoTime() - warmStart) < warmupSeconds * 1e9) {
                pass.run(scratch, scratchParts);
                passes++;
            }
            double warmS = (System.nanoTime() - warmStart) / 1e9;
            System.gc();
            long[] all = new long[n * reps];
            long[][] allParts = new long[nParts][n * reps];
            long[] walls = new long[reps];
            StringBuilder perPass = new StringBuilder();
            for (int r = 0; r < reps; r++) {
                long[] times = new long[n];
                long[][] parts = new long[nParts][n];
                walls[r] = pass.run(times, parts);
                System.arraycopy(times, 0, all, r * n, n);
                for (int p = 0; p < nParts; p++) {
                    System.arraycopy(parts[p], 0, allParts[p], r * n, n);
                }
                perPass.append(String.format(Locale.ROOT, "%s%.1f", r == 0 ? "" : ", ", n / (walls[r] / 1e9)));
            }
            double perMs = median(all) / 1e6;
            double rate = n / (median(walls) / 1e9);
            String split = "";
            if (nParts == 3) {
                split = String.format(Locale.ROOT, "; median read %.4f, sign %.4f, write %.4f ms",
                        median(allParts[0]) / 1e6, median(allParts[1]) / 1e6, median(allParts[2]) / 1e6);
            } else if (nParts == 2) {
                split = String.format(Locale.ROOT, "; median read %.4f, verify %.4f ms",
                        median(allParts[0]) / 1e6, median(allParts[1]) / 1e6);
            }
            System.out.printf(Locale.ROOT, "%s %s: warm-up %d passes in %.1f s; timed passes %s instances/s%s%n",
                    name, op, passes, warmS, perPass, split);
            System.out.printf(Locale.ROOT, "RESULT %s %s %d %d %.4f %.3f %.3f%n", name, op, n, size, perMs, rate,
                    rate * size / 1e6);
            if (nParts >= 2) {
                // the signature step alone (data set in memory): DicomSigner.sign or SignatureVerifier.verify
                double coreMs = median(allParts[1]) / 1e6;
                System.out.printf(Locale.ROOT, "RESULT %s %s-core %d %d %.4f %.3f %.3f%n", name, op, n, size, coreMs,
                        1000 / coreMs, 1000 / coreMs * size / 1e6);
            }
        }

        /** Signs one file, writes it, re-reads and verifies it, and checks what the signature covers. */
        private void check(Config c, SignerCredentials cred, SigningOptions options, Path outDir) throws Exception {
            Path in = files.get(0);
            Path out = outDir.resolve("check-" + in.getFileName());
            DicomFile f = reader.read(in);
            SignatureInfo info = signer.sign(f.dataset(), cred, options);
            writer.write(f, out);
            try {
                DicomFile back = reader.read(out);
                VerificationResult r = verifier.verify(back.dataset());
                require(r.status() == SignatureStatus.VALID, c, "the written signature verified " + r.status()
                        + ": " + r.reason());
                require(r.signatures().size() == 1, c, r.signatures().size() + " signatures found, 1 made");
                SignatureCheck sc = r.signatures().get(0);
                require(sc.info().uid().equals(info.uid()), c, "another signature UID read back");
                boolean coversPixels = sc.info().signedTags().contains(Tag.PixelData);
                require(coversPixels == c.pixels(), c, "Pixel Data " + (coversPixels ? "is" : "is not")
                        + " among the signed tags");
                if (!c.tags().isEmpty()) {
                    require(sc.info().signedTags().equals(c.tags().stream().sorted(Integer::compareUnsigned)
                            .collect(Collectors.toList())), c, "signed tags " + sc.info().signedTags());
                }
                if (c.profile() != SignatureProfile.NONE) {
                    require(sc.profiles().contains(c.profile()), c, "the verifier found profiles " + sc.profiles());
                }

                DicomFile pixelChanged = reader.read(out);
                Dataset pd = pixelChanged.dataset();
                byte[] px = pd.getBytes(Tag.PixelData).clone();
                px[px.length / 2] ^= 0x01;
                pd.setBytes(Tag.PixelData, VR.OW, px);
                SignatureStatus afterPixel = verifier.verify(pd).status();
                require(afterPixel == (c.pixels() ? SignatureStatus.INVALID : SignatureStatus.VALID), c,
                        "after one pixel bit changed the signature is " + afterPixel);

                DicomFile metaChanged = reader.read(out);
                metaChanged.dataset().setString(Tag.Manufacturer, VR.LO, "Changed");
                SignatureStatus afterMeta = verifier.verify(metaChanged.dataset()).status();
                require(afterMeta == SignatureStatus.INVALID, c, "after Manufacturer changed the signature is "
                        + afterMeta);
                System.out.printf(Locale.ROOT, "CHECK %s ok: %s %s signature by %s, MAC %s, %d elements signed "
                        + "(Pixel Data %s), VALID when re-read; changed pixel bit -> %s, changed Manufacturer -> %s"
                        + "%s; output %d bytes (+%d)%n", c.name(), info.keyAlgorithm(), c.profile(),
                        info.signerSubject(), info.macAlgorithm(), info.signedTags().size(),
                        coversPixels ? "included" : "not included", afterPixel, afterMeta,
                        sc.profiles().isEmpty() ? "" : "; profiles met " + sc.profiles(), Files.size(out),
                        Files.size(out) - size);
            } finally {
                Files.deleteIfExists(out);
            }
        }

        private static void require(boolean ok, Config c, String what) {
            if (!ok) {
                throw new IllegalStateException(c.name() + ": signature check failed: " + what);
            }
        }
    }

    static long median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---------------------------------------------------------------- PKI

    /** A key and its certificate. */
    record KeyCert(PrivateKey key, X509Certificate cert) {
    }

    /** A throw-away CA and two signers, made at start (nothing is kept but the PEM files of the run). */
    static final class Pki {
        final KeyCert ca;
        final KeyCert rsa;
        final KeyCert ec;
        final SignerCredentials rsaCredentials;
        final SignerCredentials ecCredentials;

        private Pki(KeyCert ca, KeyCert rsa, KeyCert ec) throws Exception {
            this.ca = ca;
            this.rsa = rsa;
            this.ec = ec;
            this.rsaCredentials = SignerCredentials.of(rsa.key(), rsa.cert());
            this.ecCredentials = SignerCredentials.of(ec.key(), ec.cert());
        }

        static Pki create(Path dir) throws Exception {
            Instant now = Instant.now();
            Instant from = now.minus(Duration.ofDays(1));
            Instant to = now.plus(Duration.ofDays(30));
            KeyPair caPair = pair("RSA");
            String caName = "CN=camel-dicom-secure SignBench CA";
            KeyCert ca = issue(caPair, caName, caPair, caName, true, from, to, KeyUsage.keyCertSign | KeyUsage.cRLSign,
                    1);
            KeyCert rsa = issue(pair("RSA"), "CN=SignBench RSA signer,O=camel-dicom-secure bench", caPair, caName,
                    false, from, to, KeyUsage.digitalSignature | KeyUsage.nonRepudiation, 2);
            KeyCert ec = issue(pair("EC"), "CN=SignBench EC signer,O=camel-dicom-secure bench", caPair, caName, false,
                    from, to, KeyUsage.digitalSignature | KeyUsage.nonRepudiation, 3);
            pem(dir.resolve("ca.pem"), ca.cert());
            pem(dir.resolve("rsa-key.pem"), new JcaPKCS8Generator(rsa.key(), null));
            pem(dir.resolve("rsa-cert.pem"), rsa.cert());
            pem(dir.resolve("ec-key.pem"), new JcaPKCS8Generator(ec.key(), null));
            pem(dir.resolve("ec-cert.pem"), ec.cert());
            return new Pki(ca, rsa, ec);
        }

        private static void pem(Path path, Object o) throws IOException {
            try (Writer w = Files.newBufferedWriter(path, StandardCharsets.US_ASCII);
                    JcaPEMWriter pw = new JcaPEMWriter(w)) {
                pw.writeObject(o);
            }
        }

        private static KeyPair pair(String alg) throws GeneralSecurityException {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            if ("EC".equals(alg)) {
                g.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        }

        /** Serials stay small (DCMTK prints serials above 63 bits as -1). */
        private static KeyCert issue(KeyPair subject, String subjectName, KeyPair issuer, String issuerName,
                boolean isCa, Instant notBefore, Instant notAfter, int keyUsage, long serial) throws Exception {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuerName),
                    BigInteger.valueOf(serial), Date.from(notBefore), Date.from(notAfter), new X500Name(subjectName),
                    subject.getPublic());
            if (isCa) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            }
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
            return new KeyCert(subject.getPrivate(), cert);
        }
    }
}
