package org.cameldicomsecure.media;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.io.DicomWriter;

/**
 * Writes one File-set as a ZIP (PS3.12 Annex V): the DICOMDIR at the root, then every instance at its File ID path
 * (components joined by "/"), with a directory entry for every directory (V.2: the ZIP preserves the directory
 * structure). File IDs come from {@link FileSetLayout#assign}. Entries are deflated and streamed: neither the ZIP nor
 * an instance is held in memory as a whole (bulk data is copied from where it is).
 */
public final class ZipFileSetWriter {

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
            zip.putNextEntry(new ZipEntry(String.join("/", id)));
            writer.write(e.file(), zip);
            zip.closeEntry();
        }
        zip.close(); // finishes the ZIP; the wrapper keeps out open
    }
}
