package org.cameldicomsecure.bench.deid;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.cameldicomsecure.deid.DeidentificationException;
import org.cameldicomsecure.deid.DeidentificationOptions;
import org.cameldicomsecure.deid.DeidentificationResult;
import org.cameldicomsecure.deid.Deidentifier;
import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.FileRegion;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.cameldicomsecure.dicom.io.DicomWriter;

/**
 * Our side of run-deid-vs-orthanc.sh: PS3.15 Annex E de-identification (Basic Profile, {@link Deidentifier} with a
 * fixed UID secret and otherwise default options) of the files of {@link GenerateDeidInstances}, one instance after
 * the other on one thread, each instance being
 * <ol>
 * <li>read from its file with {@link DicomReader#read(Path)} (default options: values above the 1 MiB bulk-data
 * threshold, i.e. the pixel data of the 50 MB multi-frame files, stay regions of the input file and are never loaded
 * into the heap; the 512 KiB CT pixel data are read into a {@code byte[]});</li>
 * <li>de-identified with {@link Deidentifier#deidentify(DicomFile)};</li>
 * <li>written as a new PS3.10 file with {@link DicomWriter#write(DicomFile, Path)} into a temporary folder next to the
 * inputs (same file system; file regions are copied file to file with {@code FileChannel.transferTo}).</li>
 * </ol>
 * That is what Orthanc's {@code POST /instances/{id}/anonymize} does minus HTTP (it reads its stored file, parses,
 * anonymizes and serializes). The output file is deleted after each instance, outside the per-instance time but inside
 * the pass's wall time.
 *
 * <p>Per kind present in DIR ({@code ct-*.dcm}, then {@code mf-*.dcm}; files sorted by name): one checked instance
 * (the output re-read: Patient Identity Removed YES, new UIDs, no private elements, pixel data identical), warm-up
 * passes over all files (JIT) until both {@code --warmup-passes} and {@code --warmup-seconds} are reached, then
 * {@code --reps} timed passes. Prints, besides informational lines:
 * <pre>
 * RESULT &lt;kind&gt; &lt;instances&gt; &lt;bytes per file&gt; &lt;ms per instance (median)&gt; &lt;instances/s&gt;
 * MEMORY &lt;kind&gt; &lt;max heap used MiB&gt; &lt;-Xmx MiB&gt;
 * </pre>
 * ms per instance = median over every timed instance of all passes (read + de-identify + write, file closed);
 * instances/s = instances / wall time of the median pass. Max heap used = the sum over the heap pools of their peak
 * use during the timed passes (an upper bound: the pools peak at different moments). The script runs the multi-frame
 * kind with -Xmx40m, less than one instance's 48 MiB of pixel data: a copy of them into the heap would fail there.
 *
 * <p>Usage: {@code DeidBench DIR [--reps 3] [--warmup-passes 2] [--warmup-seconds 3] [--kinds ct,mf]}
 */
public final class DeidBench {

    private static final int PRIVATE_ELEMENT = 0x00191001;
    private static final String[] KINDS = {"ct", "mf"};

    private DeidBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
        }
        Path dir = Path.of(args[0]);
        int reps = 3;
        int warmupPasses = 2;
        double warmupSeconds = 3;
        List<String> kinds = List.of(KINDS);
        int bulkThreshold = DicomReaderOptions.DEFAULT.bulkDataThreshold();
        for (int i = 1; i < args.length; i++) {
            if (i + 1 >= args.length) {
                usage();
            }
            String v = args[++i];
            switch (args[i - 1]) {
                case "--reps" -> reps = Integer.parseInt(v);
                case "--warmup-passes" -> warmupPasses = Integer.parseInt(v);
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(v);
                case "--kinds" -> kinds = List.of(v.split(","));
                case "--bulk-threshold" -> bulkThreshold = Integer.parseInt(v);
                default -> usage();
            }
        }
        if (reps < 1 || warmupPasses < 0) {
            usage();
        }

        DeidentificationOptions options = DeidentificationOptions.builder().uidSecret(secret()).build();
        Deidentifier deid = new Deidentifier(options);
        DicomReader reader = new DicomReader(DicomReaderOptions.DEFAULT.withBulkDataThreshold(bulkThreshold));
        DicomWriter writer = new DicomWriter();
        GcWatch gc = GcWatch.install();
        System.out.printf(Locale.ROOT, "jvm: %s %s, max heap (-Xmx) %d MiB, GC %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"), maxHeapMiB(),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName())
                        .collect(Collectors.joining(", ")));

        Path out = Files.createTempDirectory(dir.toAbsolutePath(), ".deidbench-out-");
        boolean any = false;
        try {
            for (String kind : kinds) {
                List<Path> files = files(dir, kind);
                if (files.isEmpty()) {
                    continue;
                }
                any = true;
                new Run(kind, files, out, reader, deid, writer, gc).run(reps, warmupPasses, warmupSeconds);
            }
        } finally {
            try (Stream<Path> left = Files.list(out)) {
                for (Path p : (Iterable<Path>) left::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(out);
        }
        if (!any) {
            System.err.println("no " + String.join("-*.dcm or ", kinds) + "-*.dcm files in " + dir);
            System.exit(1);
        }
    }

    private static void usage() {
        System.err.println("usage: DeidBench DIR [--reps 3] [--warmup-passes 2] [--warmup-seconds 3] [--kinds ct,mf] [--bulk-threshold BYTES]");
        System.exit(2);
    }

    /** A fixed 32-byte UID secret, so that the replacement UIDs are the same on every run. */
    private static byte[] secret() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest("DeidBench uid secret".getBytes(StandardCharsets.UTF_8));
    }

    private static List<Path> files(Path dir, String kind) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(kind + "-") && n.endsWith(".dcm") && Files.isRegularFile(p);
            }).sorted(Comparator.comparing(Path::toString)).collect(Collectors.toList());
        }
    }

    private static long maxHeapMiB() {
        return Runtime.getRuntime().maxMemory() >> 20;
    }

    /** One kind: check, warm up, time. */
    private static final class Run {
        private final String kind;
        private final List<Path> files;
        private final Path outDir;
        private final DicomReader reader;
        private final Deidentifier deid;
        private final DicomWriter writer;
        private final GcWatch gc;
        private final long size;
        private long deleteNanos;

        Run(String kind, List<Path> files, Path outDir, DicomReader reader, Deidentifier deid, DicomWriter writer,
                GcWatch gc) throws IOException {
            this.kind = kind;
            this.files = files;
            this.outDir = outDir;
            this.reader = reader;
            this.deid = deid;
            this.writer = writer;
            this.gc = gc;
            long s = Files.size(files.get(0));
            for (Path f : files) {
                if (Files.size(f) != s) {
                    throw new IllegalStateException("files of kind " + kind + " differ in size: " + f + " has "
                            + Files.size(f) + " bytes, " + files.get(0) + " " + s);
                }
            }
            this.size = s;
        }

        void run(int reps, int warmupPasses, double warmupSeconds) throws IOException, DeidentificationException {
            int n = files.size();
            check(files.get(0));

            long warmStart = System.nanoTime();
            int passes = 0;
            long[] scratch = new long[n];
            while (passes < warmupPasses || (System.nanoTime() - warmStart) < warmupSeconds * 1e9) {
                pass(scratch);
                passes++;
            }
            double warmS = (System.nanoTime() - warmStart) / 1e9;
            System.out.printf(Locale.ROOT, "%s: %d files of %d bytes; warm-up %d passes in %.1f s (%.1f instances/s)%n",
                    kind, n, size, passes, warmS, passes * n / warmS);

            System.gc();
            GcWatch.Mark mark = gc.mark();
            long[] all = new long[n * reps];
            long[] walls = new long[reps];
            deleteNanos = 0;
            for (int r = 0; r < reps; r++) {
                long[] times = new long[n];
                walls[r] = pass(times);
                System.arraycopy(times, 0, all, r * n, n);
                System.out.printf(Locale.ROOT, "%s: pass %d: %.1f instances/s, %.4f ms per instance (median)%n",
                        kind, r + 1, n / (walls[r] / 1e9), median(times) / 1e6);
            }
            GcWatch.Report mem = gc.report(mark);
            double perMs = median(all) / 1e6;
            double wall = median(walls) / 1e9;
            System.out.printf(Locale.ROOT, "%s: file delete (outside the per-instance time) %.4f ms per instance%n",
                    kind, deleteNanos / 1e6 / (n * (double) reps));
            System.out.printf(Locale.ROOT, "%s: heap during the timed passes: peak %.1f MiB (sum of pool peaks), "
                    + "max after GC %.1f MiB, %d GCs (%d ms); process peak RSS %s%n",
                    kind, mem.peakUsed() / 1048576.0, mem.maxAfterGc() / 1048576.0, mem.gcCount(), mem.gcMillis(),
                    vmHwm());
            System.out.printf(Locale.ROOT, "RESULT %s %d %d %.4f %.3f%n", kind, n, size, perMs, n / wall);
            System.out.printf(Locale.ROOT, "MEMORY %s %.1f %d%n", kind, mem.peakUsed() / 1048576.0, maxHeapMiB());
        }

        /** One pass over all files; per-instance nanoseconds into {@code times}; returns the pass's wall time. */
        private long pass(long[] times) throws IOException, DeidentificationException {
            long start = System.nanoTime();
            for (int i = 0; i < files.size(); i++) {
                Path in = files.get(i);
                Path out = outDir.resolve(in.getFileName());
                long t0 = System.nanoTime();
                DicomFile src = reader.read(in);
                DeidentificationResult r = deid.deidentify(src);
                writer.write(r.file(), out);
                long t1 = System.nanoTime();
                Files.delete(out);
                long t2 = System.nanoTime();
                times[i] = t1 - t0;
                deleteNanos += t2 - t1;
            }
            return System.nanoTime() - start;
        }

        /** De-identifies {@code in} once and checks the written result; prints a CHECK line, throws if wrong. */
        private void check(Path in) throws IOException, DeidentificationException {
            DicomFile src = reader.read(in);
            DeidentificationResult r = deid.deidentify(src);
            Path out = outDir.resolve("check-" + in.getFileName());
            writer.write(r.file(), out);
            try {
                Dataset a = src.dataset();
                Object srcPixels = a.value(Tag.PixelData);
                Object resPixels = r.file().dataset().value(Tag.PixelData);
                String held = resPixels instanceof FileRegion ? "a region of the input file, not in the heap"
                        : resPixels instanceof BulkData ? "bulk data, not in the heap"
                        : "a byte[] in the heap (below the 1 MiB bulk-data threshold)";
                require(resPixels == srcPixels, "the de-identified data set does not share the input's pixel data");

                DicomFile res = reader.read(out);
                Dataset b = res.dataset();
                require("YES".equals(b.getString(Tag.PatientIdentityRemoved)), "Patient Identity Removed is "
                        + b.getString(Tag.PatientIdentityRemoved));
                String sop = a.getString(Tag.SOPInstanceUID);
                String newSop = b.getString(Tag.SOPInstanceUID);
                require(newSop != null && !newSop.equals(sop) && newSop.startsWith("2.25."),
                        "SOP Instance UID " + sop + " -> " + newSop);
                require(newSop.equals(res.fileMeta().getString(Tag.MediaStorageSOPInstanceUID)),
                        "Media Storage SOP Instance UID differs from the SOP Instance UID");
                require(!a.getString(Tag.StudyInstanceUID).equals(b.getString(Tag.StudyInstanceUID)),
                        "Study Instance UID kept");
                require(!a.getString(Tag.PatientID).equals(b.getString(Tag.PatientID)), "Patient ID kept");
                require(!a.getString(Tag.PatientName).equals(b.getString(Tag.PatientName)), "Patient Name kept");
                require(a.contains(PRIVATE_ELEMENT) && !b.contains(PRIVATE_ELEMENT), "private element kept");
                require(!b.contains(Tag.PatientAddress) && !b.contains(Tag.OtherPatientIDs),
                        "Patient's Address or Other Patient IDs kept");
                require(sameBytes(b.value(Tag.PixelData), srcPixels), "pixel data differ");
                System.out.printf(Locale.ROOT, "CHECK %s ok: Patient Identity Removed %s, Patient Name \"%s\" -> "
                        + "\"%s\", SOP Instance UID %s -> %s, %d top-level attributes changed or removed, "
                        + "private elements removed, pixel data identical (%d bytes; in the de-identified data set: "
                        + "%s); output %d bytes%n", kind, b.getString(Tag.PatientIdentityRemoved),
                        a.getString(Tag.PatientName), Objects.toString(b.getString(Tag.PatientName), ""), sop, newSop,
                        r.originalAttributes().size(), length(srcPixels), held, Files.size(out));
            } finally {
                Files.delete(out);
            }
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("de-identified output is wrong: " + what);
        }
    }

    private static long length(Object v) {
        return v instanceof byte[] b ? b.length : ((BulkData) v).length();
    }

    /** Compares two plain or bulk values in 1 MiB chunks (outside any timing). */
    private static boolean sameBytes(Object x, Object y) throws IOException {
        if (length(x) != length(y)) {
            return false;
        }
        try (InputStream a = stream(x); InputStream b = stream(y)) {
            byte[] ba = new byte[1 << 20];
            byte[] bb = new byte[1 << 20];
            while (true) {
                int n = a.readNBytes(ba, 0, ba.length);
                int m = b.readNBytes(bb, 0, n);
                if (n != m || !Arrays.equals(ba, 0, n, bb, 0, m)) {
                    return false;
                }
                if (n < ba.length) {
                    return true;
                }
            }
        }
    }

    private static InputStream stream(Object v) throws IOException {
        return v instanceof byte[] b ? new java.io.ByteArrayInputStream(b) : ((BulkData) v).openStream();
    }

    private static long median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Peak resident set size of this process (VmHWM), or "?" where /proc is not there. */
    private static String vmHwm() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    String[] f = l.trim().split("\\s+");
                    return String.format(Locale.ROOT, "%.0f MiB", Long.parseLong(f[1]) / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "?";
    }

    /** Heap use: peaks of the heap pools, and the heap after each collection (GC notifications). */
    private static final class GcWatch {
        private final AtomicLong maxAfterGc = new AtomicLong();
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong millis = new AtomicLong();

        record Mark(long count, long millis) {
        }

        record Report(long peakUsed, long maxAfterGc, long gcCount, long gcMillis) {
        }

        static GcWatch install() {
            GcWatch w = new GcWatch();
            for (var gcBean : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gcBean instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener((notification, handback) -> {
                        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                                .equals(notification.getType())) {
                            return;
                        }
                        var info = GarbageCollectionNotificationInfo
                                .from((CompositeData) notification.getUserData());
                        long after = 0;
                        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                            if (isHeapPool(e.getKey())) {
                                after += e.getValue().getUsed();
                            }
                        }
                        w.maxAfterGc.accumulateAndGet(after, Math::max);
                        w.count.incrementAndGet();
                        w.millis.addAndGet(info.getGcInfo().getDuration());
                    }, null, null);
                }
            }
            return w;
        }

        private static boolean isHeapPool(String name) {
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getName().equals(name)) {
                    return p.getType() == MemoryType.HEAP;
                }
            }
            return false;
        }

        /** Resets the pool peaks and the after-GC maximum; the start of a measured section. */
        Mark mark() {
            for (MemoryPoolMXBean p : heapPools()) {
                p.resetPeakUsage();
            }
            maxAfterGc.set(0);
            return new Mark(count.get(), millis.get());
        }

        Report report(Mark m) {
            long peak = 0;
            for (MemoryPoolMXBean p : heapPools()) {
                peak += p.getPeakUsage().getUsed();
            }
            return new Report(peak, maxAfterGc.get(), count.get() - m.count(), millis.get() - m.millis());
        }

        private static List<MemoryPoolMXBean> heapPools() {
            List<MemoryPoolMXBean> l = new ArrayList<>();
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP && p.isValid()) {
                    l.add(p);
                }
            }
            return l;
        }
    }
}
