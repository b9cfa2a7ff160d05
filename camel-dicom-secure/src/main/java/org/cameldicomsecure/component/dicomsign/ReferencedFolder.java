package org.cameldicomsecure.component.dicomsign;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.cameldicomsecure.tls.FileStamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder of {@code referencedInstances} / {@code checkReferencedInstances}: the PS3.10 files in it and its
 * sub-folders, by SOP Instance UID, for {@code org.cameldicomsecure.sign.ReferencedInstanceMacs}. The folder is
 * listed at each exchange (instances arrive over time), but a file is read for its UID only when it is new or changed
 * (one {@code stat} per file otherwise), and an instance's data set only when a report references it. Files without
 * the PS3.10 preamble and "DICM" prefix are not read; PS3.10 files that cannot be read are skipped with a warning (a
 * reference to one is then a reference to an instance not found).
 */
final class ReferencedFolder {

    private static final Logger LOG = LoggerFactory.getLogger(ReferencedFolder.class);
    /** Values above 256 bytes (pixel data) stay in their files: the MACs stream them. */
    private static final DicomReader READER = new DicomReader(DicomReaderOptions.DEFAULT.withBulkDataThreshold(256));

    private record Entry(FileStamps.Stamp stamp, String uid) {
    }

    private final String option;
    private final Path dir;
    private final Map<Path, Entry> known = new HashMap<>();

    ReferencedFolder(String option, Path dir) {
        this.option = option;
        this.dir = dir;
    }

    /**
     * The instances of the folder as it is now.
     *
     * @throws IOException if the folder cannot be listed, or two files hold the same SOP Instance UID
     */
    synchronized Function<String, Dataset> instances() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new IOException(option + ": the folder cannot be listed: " + e.getMessage(), e);
        }
        known.keySet().retainAll(files);
        FileStamps stamps = FileStamps.of(files);
        Map<String, Path> byUid = new HashMap<>();
        int skipped = 0;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            FileStamps.Stamp stamp = stamps.stamps().get(i);
            Entry e = known.get(f);
            if (e == null || !e.stamp().equals(stamp)) {
                e = new Entry(stamp, uidOf(f));
                known.put(f, e);
                if (e.uid() == null && isPart10(f)) {
                    skipped++;
                }
            }
            if (e.uid() != null && byUid.putIfAbsent(e.uid(), f) != null) {
                throw new IOException(option + ": SOP Instance UID " + e.uid() + " is held by more than one file of "
                        + "the folder");
            }
        }
        if (skipped > 0) {
            LOG.warn("{}: {} PS3.10 file(s) of the folder could not be read or have no SOP Instance UID; skipped",
                    option, skipped);
        }
        return uid -> {
            Path f = byUid.get(uid);
            if (f == null) {
                return null;
            }
            try {
                return READER.read(f).dataset();
            } catch (IOException ex) {
                throw new UncheckedIOException(option + ": " + dir.relativize(f) + " cannot be read", ex);
            }
        };
    }

    /** The SOP Instance UID of a PS3.10 file, or null if it is not one, cannot be read or has none. */
    private String uidOf(Path f) {
        if (!isPart10(f)) {
            return null;
        }
        try {
            String uid = READER.read(f).dataset().getString(Tag.SOPInstanceUID);
            return uid == null || uid.isBlank() ? null : uid.trim();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: skipped {}: {}", option, dir.relativize(f), e.getMessage());
            return null;
        }
    }

    private static boolean isPart10(Path f) {
        byte[] head = new byte[DicomFile.PREAMBLE_LENGTH + 4];
        try (InputStream in = Files.newInputStream(f)) {
            if (in.readNBytes(head, 0, head.length) < head.length) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        int p = DicomFile.PREAMBLE_LENGTH;
        return head[p] == 'D' && head[p + 1] == 'I' && head[p + 2] == 'C' && head[p + 3] == 'M';
    }
}
