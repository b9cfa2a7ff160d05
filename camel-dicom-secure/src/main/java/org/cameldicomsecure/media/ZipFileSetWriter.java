package org.cameldicomsecure.media;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.io.DicomWriter;

/**
 * Writes one File-set as a ZIP (PS3.12 Annex V): the DICOMDIR at the root, then every instance at its File ID path
 * (components joined by "/"), with a directory entry for every directory (V.2: the ZIP preserves the directory
 * structure). File IDs come from {@link FileSetLayout#assign}. Entries are streamed: neither the ZIP nor an instance
 * is held in memory as a whole (bulk data is copied from where it is).
 *
 * <p>Compression: the DICOMDIR is deflated. Each instance is first encoded once to compute its CRC-32 and length and
 * to deflate a sample of its bytes (the first {@value #SAMPLE} bytes after the first {@value #SKIP}, i.e. mostly pixel
 * data); when the sample does not shrink by at least {@value #MIN_SAVING_PERCENT} %, the instance is STORED (method 0,
 * sizes and CRC in the local header: readable by every unzip), else it is deflated at level 1. Deflating barely
 * compressible pixel data (noise, 12 bits stored in 16, or already compressed transfer syntaxes) runs at ~20 MB/s
 * with the JDK's zlib and saves ~10-15 %, while storing it costs a second encoding pass (memory speed).
 */
public final class ZipFileSetWriter {

    /** Bytes deflated to decide whether an instance is worth compressing (~1.5 ms at the JDK zlib's ~20 MB/s). */
    static final int SAMPLE = 32 * 1024;
    /** Bytes skipped before the sample (the preamble, File Meta Information and most of the header). */
    static final int SKIP = 64 * 1024;
    /** Minimum saving of the sample for an instance to be deflated. */
    static final int MIN_SAVING_PERCENT = 20;
    /** Deflater level for instances worth compressing (level 6 is 2x slower for 1-2 % less). */
    static final int INSTANCE_LEVEL = 1;

    private ZipFileSetWriter() {
    }

    /**
     * Writes the ZIP to {@code out}, which is flushed, not closed.
     *
     * @throws IllegalArgumentException when there is no instance, or the instances cannot form a File-set (see {@link FileSetLayout#assign}
     *                                  and {@link DicomDirWriter#build})
     */
    public static void write(String fileSetId, List<DicomFile> instances, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("a ZIP File-set needs at least one instance: a DICOMDIR without"
                    + " directory information is not allowed (PS3.11 L.3.3)");
        }
        List<FileSetEntry> entries = FileSetLayout.assign(instances);
        write(new DicomDirWriter().build(fileSetId, entries), entries, out);
    }

    /** Writes a File-set whose File IDs and DICOMDIR are already made. */
    public static void write(DicomFile dicomdir, List<FileSetEntry> entries, OutputStream out) throws IOException {
        DicomWriter writer = new DicomWriter();
        ZipOutputStream zip = new ZipOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        });
        zip.setLevel(6);
        zip.putNextEntry(new ZipEntry(FileIds.DICOMDIR));
        writer.write(dicomdir, zip);
        zip.closeEntry();
        Probe probe = new Probe();
        try {
            Set<String> dirs = new LinkedHashSet<>();
            for (FileSetEntry e : entries) {
                List<String> id = e.fileId();
                for (int i = 1; i < id.size(); i++) {
                    String dir = String.join("/", id.subList(0, i)) + "/";
                    if (dirs.add(dir)) {
                        zip.putNextEntry(new ZipEntry(dir));
                        zip.closeEntry();
                    }
                }
                ZipEntry entry = new ZipEntry(String.join("/", id));
                probe.reset();
                writer.write(e.file(), probe);
                if (probe.worthDeflating()) {
                    entry.setMethod(ZipEntry.DEFLATED);
                    zip.setLevel(INSTANCE_LEVEL);
                } else {
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(probe.length);
                    entry.setCompressedSize(probe.length);
                    entry.setCrc(probe.crc.getValue());
                }
                zip.putNextEntry(entry);
                writer.write(e.file(), zip); // ZipOutputStream checks the STORED size and CRC against the entry
                zip.closeEntry();
            }
        } finally {
            probe.close();
        }
        zip.close(); // finishes the ZIP; the wrapper keeps out open
    }

    /** Counts the bytes of one instance, computes their CRC-32 and deflates a sample of them. */
    private static final class Probe extends OutputStream {
        final CRC32 crc = new CRC32();
        private final Deflater deflater = new Deflater(INSTANCE_LEVEL, true);
        private final byte[] sink = new byte[64 * 1024];
        long length;
        private long sampled;
        private long deflated;

        void reset() {
            crc.reset();
            deflater.reset();
            length = 0;
            sampled = 0;
            deflated = 0;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            crc.update(b, off, len);
            long start = length;
            length += len;
            // the part of [start, start + len) that falls into [SKIP, SKIP + SAMPLE)
            long from = Math.max(start, SKIP);
            long to = Math.min(length, (long) SKIP + SAMPLE);
            if (from < to) {
                deflater.setInput(b, off + (int) (from - start), (int) (to - from));
                while (!deflater.needsInput()) {
                    deflated += deflater.deflate(sink, 0, sink.length, Deflater.NO_FLUSH);
                }
                sampled += to - from;
            }
        }

        /** Whether the sample shrank by at least MIN_SAVING_PERCENT; instances shorter than SKIP are always deflated. */
        boolean worthDeflating() {
            if (sampled == 0) {
                // shorter than SKIP: small and mostly header, deflated
                return true;
            }
            deflater.finish();
            while (!deflater.finished()) {
                deflated += deflater.deflate(sink, 0, sink.length, Deflater.NO_FLUSH);
            }
            return deflated * 100 <= sampled * (100 - MIN_SAVING_PERCENT);
        }

        @Override
        public void close() {
            deflater.end();
        }
    }
}
