package org.cameldicomsecure.media;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.io.DicomReader;

/**
 * Reads one File-set from a ZIP (PS3.12 Annex V), streaming, bounded by {@link MediaLimits}:
 * <ul>
 * <li>every entry name is checked before its data is read: an absolute name, a drive letter, a backslash, NUL, a
 * "." or ".." component or an empty component is UNSAFE_ENTRY_NAME; a name that appears twice is MALFORMED_ZIP;</li>
 * <li>bytes are counted as they inflate, never taken from the headers: an entry longer than maxEntryBytes, a total
 * over maxTotalBytes, an entry inflating more than maxCompressionRatio times the compressed bytes read for it (past
 * 1 MiB: a ZIP bomb), more than maxEntries entries or maxInstances referenced files are LIMIT_EXCEEDED, found while
 * reading, after at most one 64 KiB chunk too many;</li>
 * <li>exactly one DICOMDIR at the root (V.1.2.2), else NO_DICOMDIR (none) or MALFORMED_ZIP (two entries of that
 * name); a DICOMDIR that does not parse, whose offsets are wrong, that has an invalid Referenced File ID or that
 * references no file (PS3.11 L.3.3) is BAD_DICOMDIR;</li>
 * <li>the result is exactly the files the DICOMDIR's in-use records reference, in directory order; each must be in
 * the ZIP (MISSING_FILE) and be a PS3.10 file (NOT_DICOM) whose SOP Instance and SOP Class UID are those of its
 * record (MISMATCH). Entries not referenced are read (and counted), then dropped (V.1.1 Note).</li>
 * </ul>
 * Entries are held in memory up to memoryThreshold each and maxMemoryBytes together, else in temporary files. On any
 * failure every temporary file is deleted and nothing is returned. Entry names are never used as paths.
 */
public final class ZipFileSetReader {

    private static final DicomReader READER = new DicomReader();

    private final MediaLimits limits;

    public ZipFileSetReader(MediaLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Reads the ZIP to its end (the stream is not closed) and returns the referenced instances; the caller closes them. */
    public List<MediaInstance> read(InputStream zip) throws MediaException {
        Objects.requireNonNull(zip, "zip");
        Map<String, Spool> files = new LinkedHashMap<>();
        List<MediaInstance> result = new ArrayList<>();
        boolean ok = false;
        try {
            readEntries(zip, files);
            Spool dirSpool = files.get(FileIds.DICOMDIR);
            if (dirSpool == null) {
                throw new MediaException(MediaException.Reason.NO_DICOMDIR,
                        "the ZIP has no DICOMDIR at its root (PS3.12 V.1.2.2)");
            }
            DicomDir dir = parseDicomDir(dirSpool);
            List<DirectoryRecord> refs = dir.referencedFiles();
            if (refs.isEmpty()) {
                throw new MediaException(MediaException.Reason.BAD_DICOMDIR, "the DICOMDIR references no file:"
                        + " a DICOMDIR without directory information is not allowed (PS3.11 L.3.3)");
            }
            if (refs.size() > limits.maxInstances()) {
                throw new MediaException(MediaException.Reason.LIMIT_EXCEEDED, "the DICOMDIR references "
                        + refs.size() + " files, more than the limit of " + limits.maxInstances());
            }
            for (DirectoryRecord r : refs) {
                String name = String.join("/", r.referencedFileId());
                Spool s = files.remove(name);
                if (s == null) {
                    throw new MediaException(MediaException.Reason.MISSING_FILE, "File ID " + name
                            + " referenced by a " + r.type() + " record is not in the ZIP");
                }
                MediaInstance mi = MediaInstance.of(r.referencedFileId(), s, "File ID " + name);
                result.add(mi);
                if (!mi.sopInstanceUid().equals(r.sopInstanceUid())) {
                    throw new MediaException(MediaException.Reason.MISMATCH, "File ID " + name
                            + " holds another SOP Instance than its DICOMDIR record names");
                }
                if (r.sopClassUid() != null && !r.sopClassUid().equals(mi.sopClassUid())) {
                    throw new MediaException(MediaException.Reason.MISMATCH, "File ID " + name + " is of SOP Class "
                            + mi.sopClassUid() + ", its DICOMDIR record says " + r.sopClassUid());
                }
            }
            ok = true;
            return result;
        } catch (IOException e) {
            throw e instanceof MediaException me ? me
                    : new MediaException(MediaException.Reason.MALFORMED_ZIP, "the ZIP cannot be read: "
                            + e.getMessage(), e);
        } finally {
            for (Spool s : files.values()) {
                s.discard();
            }
            if (!ok) {
                for (MediaInstance mi : result) {
                    mi.close();
                }
            }
        }
    }

    private DicomDir parseDicomDir(Spool s) throws MediaException {
        DicomFile f;
        try {
            f = s.inMemory() ? READER.read(s.bytes) : READER.read(s.path);
        } catch (IOException | RuntimeException e) {
            throw new MediaException(MediaException.Reason.BAD_DICOMDIR, "the DICOMDIR does not parse: "
                    + e.getMessage(), e);
        }
        return DicomDir.parse(f);
    }

    /** Counts the compressed bytes the ZipInputStream takes from the source. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(n);
            count += Math.max(0, s);
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // the caller's stream stays open
        }
    }

    private void readEntries(InputStream source, Map<String, Spool> files) throws IOException {
        Counting raw = new Counting(source);
        ZipInputStream zin = new ZipInputStream(raw);
        Set<String> names = new HashSet<>();
        Map<String, Boolean> dirs = new HashMap<>();
        int entries = 0;
        long[] total = {0};
        long inMemory = 0;
        ZipEntry e;
        while (true) {
            try {
                e = zin.getNextEntry();
            } catch (ZipException | IllegalArgumentException ex) {
                throw new MediaException(MediaException.Reason.MALFORMED_ZIP, "the ZIP is malformed after "
                        + entries + " entries: " + ex.getMessage(), ex);
            }
            if (e == null) {
                break;
            }
            String name = e.getName();
            String problem = unsafe(name);
            if (problem != null) {
                throw new MediaException(MediaException.Reason.UNSAFE_ENTRY_NAME, "ZIP entry " + printable(name)
                        + " is refused: " + problem);
            }
            if (++entries > limits.maxEntries()) {
                throw new MediaException(MediaException.Reason.LIMIT_EXCEEDED, "the ZIP has more than "
                        + limits.maxEntries() + " entries");
            }
            if (!names.add(name)) {
                throw new MediaException(MediaException.Reason.MALFORMED_ZIP, "ZIP entry " + printable(name)
                        + " appears twice");
            }
            boolean directory = name.endsWith("/");
            String plain = directory ? name.substring(0, name.length() - 1) : name;
            if (plain.equalsIgnoreCase(FileIds.DICOMDIR) && !plain.equals(FileIds.DICOMDIR)) {
                throw new MediaException(MediaException.Reason.BAD_DICOMDIR, "ZIP entry " + printable(name)
                        + ": the DICOMDIR must be named DICOMDIR (PS3.10 8.6)");
            }
            if (directory) {
                dirs.put(plain, Boolean.TRUE);
                drain(zin, name, raw, total);
                continue;
            }
            long startRaw = raw.count;
            long[] entryBytes = {0};
            String what = "ZIP entry " + printable(name);
            Spool.Meter meter = n -> {
                entryBytes[0] += n;
                total[0] += n;
                check(what, entryBytes[0], total[0], raw.count - startRaw);
            };
            long threshold = Math.min(limits.memoryThreshold(), Math.max(0, limits.maxMemoryBytes() - inMemory));
            Spool s;
            try {
                s = Spool.read(zin, threshold, limits.tempDirectory(), meter);
            } catch (ZipException | java.io.EOFException ex) {
                throw new MediaException(MediaException.Reason.MALFORMED_ZIP, what + " is malformed: "
                        + ex.getMessage(), ex);
            }
            if (s.inMemory()) {
                inMemory += s.length;
            }
            files.put(name, s);
        }
        if (entries == 0) {
            throw new MediaException(MediaException.Reason.MALFORMED_ZIP, "not a ZIP: no entry found");
        }
    }

    private void drain(ZipInputStream zin, String name, Counting raw, long[] total) throws IOException {
        byte[] buf = new byte[8192];
        long startRaw = raw.count;
        long n = 0;
        int r;
        try {
            while ((r = zin.read(buf)) > 0) {
                n += r;
                total[0] += r;
                check("ZIP entry " + printable(name), n, total[0], raw.count - startRaw);
            }
        } catch (ZipException ex) {
            throw new MediaException(MediaException.Reason.MALFORMED_ZIP, "ZIP entry " + printable(name)
                    + " is malformed: " + ex.getMessage(), ex);
        }
    }

    private void check(String what, long entryBytes, long totalBytes, long compressed) throws MediaException {
        if (entryBytes > limits.maxEntryBytes()) {
            throw new MediaException(MediaException.Reason.LIMIT_EXCEEDED, what + " inflates to more than "
                    + limits.maxEntryBytes() + " bytes");
        }
        if (totalBytes > limits.maxTotalBytes()) {
            throw new MediaException(MediaException.Reason.LIMIT_EXCEEDED, "the ZIP inflates to more than "
                    + limits.maxTotalBytes() + " bytes (at " + what + ")");
        }
        if (entryBytes > MediaLimits.RATIO_FLOOR
                && entryBytes > limits.maxCompressionRatio() * Math.max(compressed, 1)) {
            throw new MediaException(MediaException.Reason.LIMIT_EXCEEDED, what + " inflates " + entryBytes
                    + " bytes from " + compressed + " compressed bytes, more than " + limits.maxCompressionRatio()
                    + " times: a ZIP bomb");
        }
    }

    /** Why an entry name is unsafe, or null. Checked on every entry, referenced or not. */
    static String unsafe(String name) {
        if (name.isEmpty()) {
            return "empty name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0) {
                return "NUL in the name";
            }
            if (c == '\\') {
                return "backslash in the name";
            }
            if (c < 0x20 || c == 0x7f) {
                return "control character in the name";
            }
        }
        if (name.startsWith("/")) {
            return "absolute name";
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0)) || name.contains(":")) {
            return "drive letter or colon in the name";
        }
        String body = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String c : body.split("/", -1)) {
            if (c.equals("..")) {
                return "\"..\" component";
            }
            if (c.equals(".")) {
                return "\".\" component";
            }
            if (c.isEmpty()) {
                return "empty component";
            }
        }
        return null;
    }

    /** The entry name for a message: printable ASCII, at most 80 characters. */
    static String printable(String name) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < name.length() && i < 80; i++) {
            char c = name.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.append(name.length() > 80 ? "...'" : "'").toString();
    }
}
