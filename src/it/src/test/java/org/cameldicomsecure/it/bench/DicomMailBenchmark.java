package org.cameldicomsecure.it.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.ItUids;
import org.cameldicomsecure.it.dicomweb.WebData;
import org.cameldicomsecure.it.mail.MailPki;
import org.cameldicomsecure.mail.DecodedMail;
import org.cameldicomsecure.mail.DicomMailReader;
import org.cameldicomsecure.mail.DicomMailWriter;
import org.cameldicomsecure.mail.smime.SmimeOptions;
import org.cameldicomsecure.mail.smime.SmimeReader;
import org.cameldicomsecure.mail.smime.SmimeReaderOptions;
import org.cameldicomsecure.mail.smime.UnwrappedMail;
import org.cameldicomsecure.media.MediaInstance;
import org.cameldicomsecure.media.MediaLimits;

/**
 * The secure DICOM email benchmark (issue #8), run by hand with {@code bench/run-dicommail.sh} (not a test). In one
 * JVM, on the same data, for each set of instances (default 1 x 512 KiB, 20 x 512 KiB, 3 x 9 MiB of 16-bit pixels,
 * 12 bits stored, random: barely compressible, Explicit VR Little Endian):
 * <ul>
 * <li>ours, encode: {@link DicomMailWriter#write} (DICOMDIR + DICOM.ZIP File-set, signed SHA-256 with RSA 2048,
 *     encrypted AES-256-CBC for one RSA 2048 recipient) and {@code MimeMessage.writeTo} into memory (the RFC 5322
 *     bytes);</li>
 * <li>ours, decode: {@code new MimeMessage} over those bytes and {@link DicomMailReader#read} (decrypt, verify the
 *     signer against the CA, unzip, parse every instance), then the instances closed;</li>
 * <li>OpenSSL, encode: {@code openssl smime -sign | openssl smime -encrypt -aes256} of the MIME entity our writer
 *     signs (the multipart/mixed with the text part and DICOM.ZIP, exported once from our own message), to a file;</li>
 * <li>OpenSSL, decode: {@code openssl smime -decrypt | openssl smime -verify -CAfile} of OpenSSL's message, to a
 *     file.</li>
 * </ul>
 * OpenSSL does not make the ZIP: its figures cover S/MIME only, ours cover the whole job (ZIP and DICOMDIR included;
 * decoding includes unzipping and parsing). Each variant runs after warm-ups, ours and OpenSSL's alternating; the
 * median is reported in MB/s of DICOM instance bytes (10^6 bytes of PS3.10 files per second) with ratio ours /
 * OpenSSL (above 1: ours faster). Every run is checked: our decode gives back the N instances, OpenSSL's verify
 * succeeds and gives back the entity.
 */
public final class DicomMailBenchmark {

    private static final int REPS = Integer.getInteger("bench.reps", 5);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 2);
    /** Comma-separated COUNTxSIZE, SIZE in KiB or with suffix K / M (MiB). */
    private static final String SETS = System.getProperty("bench.sets", "1x512K,20x512K,3x9M");
    private static final String OPENSSL = System.getProperty("bench.openssl", "openssl");
    private static final Session SESSION = Session.getInstance(new Properties());

    private final Path work;
    private final MailPki pki;
    private final Map<String, List<Double>> results = new LinkedHashMap<>();
    private final List<String> sets = new ArrayList<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    private DicomMailBenchmark(Path work, MailPki pki) {
        this.work = work;
        this.pki = pki;
    }

    public static void main(String[] args) throws Exception {
        Path work = Paths.get(System.getProperty("it.work.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(work);
        MailPki pki = MailPki.create(work.resolve("pki"));
        new DicomMailBenchmark(work, pki).run();
    }

    private void run() throws Exception {
        System.out.println("openssl: " + exec(List.of(OPENSSL, "version"), null).trim());
        for (String set : SETS.split(",")) {
            runSet(set.trim());
        }
        report();
    }

    private void runSet(String set) throws Exception {
        String[] p = set.toLowerCase(Locale.ROOT).split("x");
        int count = Integer.parseInt(p[0]);
        long bytesEach = size(p[1]);
        Random random = new Random(set.hashCode());
        List<DicomFile> instances = new ArrayList<>();
        String study = WebData.newUid();
        String series = WebData.newUid();
        long dicomBytes = 0;
        DicomWriter writer = new DicomWriter();
        for (int i = 0; i < count; i++) {
            DicomFile f = instance(study, series, i + 1, bytesEach, random);
            instances.add(f);
            dicomBytes += writer.toBytes(f).length;
        }
        sets.add(set);
        DicomMailWriter ours = DicomMailWriter.builder()
                .signer(pki.sender.key(), List.of(pki.sender.cert(), pki.ca.cert()))
                .recipients(List.of(pki.recipient.cert()))
                .smime(SmimeOptions.DEFAULT)
                .build();
        DicomMailReader reader = new DicomMailReader(new SmimeReader(pki.recipient.key(), pki.recipient.cert(),
                List.of(pki.ca.cert()), SmimeReaderOptions.DEFAULT), MediaLimits.DEFAULT);

        // the entity our writer signs, exported once for OpenSSL
        byte[] message = encode(ours, instances);
        Path dir = Files.createDirectories(work.resolve("set-" + set));
        Path entity = dir.resolve("entity.eml");
        try (UnwrappedMail m = new SmimeReader(pki.recipient.key(), pki.recipient.cert(), List.of(pki.ca.cert()),
                SmimeReaderOptions.DEFAULT).read(new MimeMessage(SESSION, new SharedByteArrayInputStream(message)));
                OutputStream out = Files.newOutputStream(entity)) {
            m.content().writeTo(out);
        }
        long entityBytes = Files.size(entity);
        Path sslMessage = dir.resolve("openssl.eml");
        Path sslOut = dir.resolve("openssl-out.eml");
        String encodeCmd = OPENSSL + " smime -sign -in " + entity + " -signer " + pki.sender.certPem() + " -inkey "
                + pki.sender.keyPem() + " -certfile " + pki.ca.certPem() + " | " + OPENSSL
                + " smime -encrypt -aes256 -out " + sslMessage + " " + pki.recipient.certPem();
        String decodeCmd = OPENSSL + " smime -decrypt -in " + sslMessage + " -recip " + pki.recipient.certPem()
                + " -inkey " + pki.recipient.keyPem() + " | " + OPENSSL + " smime -verify -CAfile "
                + pki.ca.certPem() + " -out " + sslOut;
        System.out.printf(Locale.ROOT, "%s: %d instance(s), %.2f MB of DICOM; signed entity %.2f MB; our message "
                + "%.2f MB%n", set, count, dicomBytes / 1e6, entityBytes / 1e6, message.length / 1e6);
        for (int rep = -WARMUP; rep < REPS; rep++) {
            long t0 = System.nanoTime();
            message = encode(ours, instances);
            long t1 = System.nanoTime();
            decode(reader, message, count);
            long t2 = System.nanoTime();
            shell(encodeCmd);
            long t3 = System.nanoTime();
            Files.deleteIfExists(sslOut);
            shell(decodeCmd);
            long t4 = System.nanoTime();
            if (Files.size(sslOut) < entityBytes - 1024) {
                throw new IllegalStateException("openssl smime -verify gave " + Files.size(sslOut)
                        + " bytes, the entity has " + entityBytes);
            }
            if (rep >= 0) {
                add(set, "encode|ours", dicomBytes, t1 - t0);
                add(set, "decode|ours", dicomBytes, t2 - t1);
                add(set, "encode|openssl", dicomBytes, t3 - t2);
                add(set, "decode|openssl", dicomBytes, t4 - t3);
            }
        }
        notes.put(set, String.format(Locale.ROOT, "%d x %s, %.2f MB DICOM, message %.2f MB (openssl %.2f MB)",
                count, p[1].toUpperCase(Locale.ROOT), dicomBytes / 1e6, message.length / 1e6,
                Files.size(sslMessage) / 1e6));
        System.gc();
    }

    private static byte[] encode(DicomMailWriter ours, List<DicomFile> instances) throws Exception {
        MimeMessage m = ours.write(SESSION, instances, null, List.of(), List.of(), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        m.writeTo(out);
        org.cameldicomsecure.mail.smime.SmimeWriter.discard(m);
        return out.toByteArray();
    }

    private static void decode(DicomMailReader reader, byte[] message, int count) throws Exception {
        try (DecodedMail d = reader.read(new MimeMessage(SESSION, new SharedByteArrayInputStream(message)))) {
            List<MediaInstance> got = d.instances();
            if (got.size() != count || !d.signed() || !d.encrypted()) {
                throw new IllegalStateException("decoded " + got.size() + " instances (signed " + d.signed()
                        + ", encrypted " + d.encrypted() + "), expected " + count);
            }
            for (MediaInstance i : got) {
                if (i.file().dataset().get(Tag.PixelData) == null) {
                    throw new IllegalStateException("no pixel data in " + i.sopInstanceUid());
                }
            }
        }
    }

    private void add(String set, String what, long bytes, long nanos) {
        results.computeIfAbsent(set + "|" + what, k -> new ArrayList<>()).add(bytes / 1e6 / (nanos / 1e9));
    }

    private void report() {
        System.out.println();
        System.out.println("MB/s of DICOM instance bytes, median of " + REPS + " after " + WARMUP + " warm-up(s) "
                + "[min-max]; ratio ours / openssl (> 1: ours faster)");
        System.out.println("| set | operation | ours MB/s | openssl MB/s | ours / openssl |");
        System.out.println("|---|---|---:|---:|---:|");
        for (String set : sets) {
            for (String op : List.of("encode", "decode")) {
                List<Double> o = results.get(set + "|" + op + "|ours");
                List<Double> s = results.get(set + "|" + op + "|openssl");
                System.out.printf(Locale.ROOT, "| %s | %s | %.1f [%.1f-%.1f] | %.1f [%.1f-%.1f] | %.2f |%n", set, op,
                        median(o), Collections.min(o), Collections.max(o), median(s), Collections.min(s),
                        Collections.max(s), median(o) / median(s));
            }
        }
        notes.forEach((k, v) -> System.out.println(k + ": " + v));
    }

    private static double median(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static long size(String s) {
        if (s.endsWith("m")) {
            return Long.parseLong(s.substring(0, s.length() - 1)) << 20;
        }
        if (s.endsWith("k")) {
            return Long.parseLong(s.substring(0, s.length() - 1)) << 10;
        }
        return Long.parseLong(s) << 10;
    }

    /** An SC image whose pixel data has {@code bytes} bytes (16 bits allocated, 12 stored, random). */
    private static DicomFile instance(String study, String series, int number, long bytes, Random random) {
        int columns = 512;
        int rows = (int) (bytes / 2 / columns);
        String uid = WebData.newUid();
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, WebData.SC);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "A0001");
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.ConversionType, VR.CS, "WSD");
        ds.setString(Tag.PatientName, VR.PN, "Bench^Mail");
        ds.setString(Tag.PatientID, VR.LO, "BENCH-MAIL");
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.StudyID, VR.SH, "1");
        ds.setInt(Tag.SeriesNumber, VR.IS, 1);
        ds.setInt(Tag.InstanceNumber, VR.IS, number);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, columns);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[rows * columns * 2];
        random.nextBytes(pixels);
        for (int i = 1; i < pixels.length; i += 2) {
            pixels[i] &= 0x0F; // 12 bits stored
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, WebData.SC);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, WebData.EXPLICIT_LE);
        meta.setString(Tag.ImplementationClassUID, VR.UI, ItUids.IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, ItUids.IMPLEMENTATION_VERSION_NAME);
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static void shell(String command) throws IOException, InterruptedException {
        exec(List.of("bash", "-o", "pipefail", "-c", command), null);
    }

    private static String exec(List<String> command, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        String s = new String(out, java.nio.charset.StandardCharsets.UTF_8);
        // openssl smime -verify reports "Verification successful" on stderr
        if (p.exitValue() != 0) {
            throw new IllegalStateException("exit " + p.exitValue() + ": " + command + "\n" + s);
        }
        return s;
    }
}
