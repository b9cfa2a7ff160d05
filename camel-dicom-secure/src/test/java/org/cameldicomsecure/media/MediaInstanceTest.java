package org.cameldicomsecure.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.dicom.io.TempFiles;
import org.junit.jupiter.api.Test;

class MediaInstanceTest {

    private static MediaException notDicom(byte[] b, MediaLimits limits) {
        int live = TempFiles.liveCount();
        MediaException e = assertThrows(MediaException.class,
                () -> MediaInstance.read(new ByteArrayInputStream(b), List.of("A", "B"), limits));
        assertEquals(MediaException.Reason.NOT_DICOM, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("File ID A/B"), e.getMessage());
        assertEquals(live, TempFiles.liveCount());
        return e;
    }

    @Test
    void refusesWhatIsNotAPart10File() throws IOException {
        byte[] png = new byte[300];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, 8);
        for (MediaLimits l : List.of(MediaLimits.DEFAULT, MediaLimits.DEFAULT.withMemoryThreshold(10))) {
            notDicom(png, l);
            notDicom("Content-Type: application/dicom\r\n\r\nnot really".getBytes(StandardCharsets.US_ASCII), l);
            notDicom(new byte[0], l);
            DicomFile f = MediaTestData.instance("P", 1, 1, 1);
            // a bare data set (no preamble, no DICM)
            ByteArrayOutputStream bare = new ByteArrayOutputStream();
            new DicomWriter().writeDataset(f.dataset(), f.transferSyntax(), bare);
            notDicom(bare.toByteArray(), l);
            // group 0002 without the preamble
            byte[] whole = MediaTestData.bytes(f);
            notDicom(Arrays.copyOfRange(whole, 132, whole.length), l);
            // truncated, anywhere
            for (int cut : new int[] {140, 200, whole.length / 2, whole.length - 1}) {
                notDicom(Arrays.copyOf(whole, cut), l);
            }
            // DICM followed by garbage
            byte[] garbage = Arrays.copyOf(whole, 400);
            Arrays.fill(garbage, 140, 400, (byte) 0x7f);
            notDicom(garbage, l);
        }
    }

    @Test
    void refusesAnInstanceWithoutSopUids() throws IOException {
        var ds = MediaTestData.dataset("P", 1, 1, 1, 0);
        DicomFile f = MediaTestData.part10(ds);
        ds.remove(Tag.SOPInstanceUID);
        notDicom(MediaTestData.bytes(f), MediaLimits.DEFAULT);
    }

    @Test
    void readsInMemoryOrFromATemporaryFile() throws IOException {
        DicomFile f = MediaTestData.part10(MediaTestData.dataset("P", 1, 1, 1, 200_000));
        byte[] b = MediaTestData.bytes(f);
        try (MediaInstance m = MediaInstance.read(new ByteArrayInputStream(b), null, MediaLimits.DEFAULT)) {
            assertTrue(m.inMemory());
            assertNull(m.path());
            assertNull(m.fileId());
            assertEquals(b.length, m.length());
            assertArrayEquals(b, m.bytes());
            assertEquals(f.dataset().getString(Tag.SOPInstanceUID), m.sopInstanceUid());
        }
        int live = TempFiles.liveCount();
        MediaInstance m = MediaInstance.read(new ByteArrayInputStream(b), List.of("X"),
                MediaLimits.DEFAULT.withMemoryThreshold(50_000));
        assertFalse(m.inMemory());
        Path p = m.path();
        assertArrayEquals(b, Files.readAllBytes(p));
        try (InputStream in = m.openStream()) {
            assertArrayEquals(b, in.readAllBytes());
        }
        assertArrayEquals(MediaTestData.datasetBytes(f), MediaTestData.datasetBytes(m.file()));
        assertEquals(live + 1, TempFiles.liveCount());
        m.close();
        m.close();
        assertFalse(Files.exists(p));
        assertEquals(live, TempFiles.liveCount());
    }

    @Test
    void tooLongIsALimit() throws IOException {
        byte[] b = MediaTestData.bytes(MediaTestData.part10(MediaTestData.dataset("P", 1, 1, 1, 200_000)));
        int live = TempFiles.liveCount();
        MediaException e = assertThrows(MediaException.class, () -> MediaInstance.read(new ByteArrayInputStream(b),
                null, MediaLimits.DEFAULT.withMaxEntryBytes(100_000).withMemoryThreshold(10_000)));
        assertEquals(MediaException.Reason.LIMIT_EXCEEDED, e.reason());
        assertEquals(live, TempFiles.liveCount());
    }
}
