package org.cameldicomsecure.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;
import org.junit.jupiter.api.Test;

/** Which entries {@link ZipFileSetWriter} stores and which it deflates, and that both read back. */
class ZipFileSetWriterTest {

    @Test
    void incompressiblePixelDataIsStoredCompressibleIsDeflated() throws Exception {
        Dataset noisy = MediaTestData.dataset("P1", 1, 1, 1, 0);
        byte[] px = new byte[1 << 20];
        new Random(5).nextBytes(px);
        noisy.setBytes(Tag.PixelData, VR.OW, px);
        Dataset flat = MediaTestData.dataset("P1", 1, 1, 2, 0);
        byte[] low = new byte[1 << 20]; // two bits of noise per byte: deflates ~3x (not a ZIP bomb)
        Random r = new Random(6);
        for (int i = 0; i < low.length; i++) {
            low[i] = (byte) r.nextInt(4);
        }
        flat.setBytes(Tag.PixelData, VR.OW, low);
        Dataset small = MediaTestData.dataset("P1", 1, 1, 3, 0);
        List<DicomFile> in = List.of(MediaTestData.part10(noisy), MediaTestData.part10(flat),
                MediaTestData.part10(small));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZipFileSetWriter.write("TESTSET", in, out);

        Map<String, Integer> methods = new HashMap<>();
        Map<String, byte[]> bytes = new HashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null;) {
                if (!e.isDirectory()) {
                    bytes.put(e.getName(), z.readAllBytes());
                    methods.put(e.getName(), e.getMethod());
                }
            }
        }
        assertEquals(ZipEntry.DEFLATED, methods.get(FileIds.DICOMDIR));
        List<FileSetEntry> ids = FileSetLayout.assign(in);
        String noisyName = String.join("/", ids.get(0).fileId());
        String flatName = String.join("/", ids.get(1).fileId());
        String smallName = String.join("/", ids.get(2).fileId());
        assertEquals(ZipEntry.STORED, methods.get(noisyName));
        assertEquals(ZipEntry.DEFLATED, methods.get(flatName));
        assertEquals(ZipEntry.DEFLATED, methods.get(smallName));
        assertArrayEquals(MediaTestData.bytes(ids.get(0).file()), bytes.get(noisyName));
        assertArrayEquals(MediaTestData.bytes(ids.get(1).file()), bytes.get(flatName));

        List<MediaInstance> read = new ZipFileSetReader(MediaLimits.DEFAULT).read(
                new ByteArrayInputStream(out.toByteArray()));
        try {
            assertEquals(3, read.size());
        } finally {
            read.forEach(MediaInstance::close);
        }
    }
}
