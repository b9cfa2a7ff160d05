package org.cameldicomsecure.dicom.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input ends in a {@link DicomParseException} naming the offset and the tag, and nothing else. */
class DicomReaderMalformedTest {

    private static final TransferSyntax EXPLICIT = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    private static final TransferSyntax IMPLICIT = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;

    private static DicomParseException fails(byte[] input, TransferSyntax ts) {
        DicomParseException e = assertThrows(DicomParseException.class,
                () -> new DicomReader().readDataset(input, ts));
        // the same input from a stream fails the same way
        DicomParseException fromStream = assertThrows(DicomParseException.class,
                () -> new DicomReader().readDataset(new ByteArrayInputStream(input), ts));
        if (!e.getMessage().contains("bytes remaining")) {
            assertEquals(e.getMessage(), fromStream.getMessage());
        }
        return e;
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            bos.writeBytes(p);
        }
        return bos.toByteArray();
    }

    /** (0010,0010) PN "AB" in explicit VR LE. */
    private static final byte[] NAME = bytes(0x10, 0, 0x10, 0, 'P', 'N', 2, 0, 'A', 'B');

    @Test
    void truncatedHeader() {
        DicomParseException e = fails(concat(NAME, bytes(0x10, 0, 0x20, 0)), EXPLICIT);
        assertEquals(10, e.offset());
        assertTrue(e.getMessage().contains("at offset 10"), e.getMessage());
        assertTrue(e.getMessage().contains("element header"), e.getMessage());
    }

    @Test
    void valueLengthPastTheEnd() {
        DicomParseException e = fails(concat(NAME, bytes(0x10, 0, 0x20, 0, 'L', 'O', 20, 0, 'X', 'Y')), EXPLICIT);
        assertEquals(Tag.PatientID, e.tag());
        assertEquals(10, e.offset());
        assertTrue(e.getMessage().startsWith("(0010,0020) at offset 10:"), e.getMessage());
    }

    @Test
    void oddLength() {
        DicomParseException e = fails(bytes(0x10, 0, 0x10, 0, 'P', 'N', 3, 0, 'A', 'B', 'C', ' '), EXPLICIT);
        assertEquals(Tag.PatientName, e.tag());
        assertTrue(e.getMessage().contains("odd value length 3"), e.getMessage());
    }

    @Test
    void undefinedLengthOnAVrThatCannotHaveIt() {
        DicomParseException e = fails(bytes(0x10, 0, 0x20, 0, 0xFF, 0xFF, 0xFF, 0xFF), IMPLICIT);
        assertEquals(Tag.PatientID, e.tag());
        assertTrue(e.getMessage().contains("undefined length is not allowed for VR LO"), e.getMessage());
    }

    @Test
    void missingItemDelimiter() {
        // (0008,1140) SQ undefined, item undefined, one element, then the data ends
        byte[] in = concat(bytes(0x08, 0, 0x40, 0x11, 'S', 'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF),
                bytes(0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF), NAME);
        DicomParseException e = fails(in, EXPLICIT);
        assertEquals(Tag.ReferencedImageSequence, e.tag());
        assertTrue(e.getMessage().contains("before its Item Delimitation Item"), e.getMessage());
    }

    @Test
    void missingSequenceDelimiter() {
        byte[] in = concat(bytes(0x08, 0, 0x40, 0x11, 'S', 'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF),
                bytes(0xFE, 0xFF, 0x00, 0xE0, 10, 0, 0, 0), NAME);
        DicomParseException e = fails(in, EXPLICIT);
        assertEquals(Tag.ReferencedImageSequence, e.tag());
        assertTrue(e.getMessage().contains("Sequence Delimitation Item"), e.getMessage());
    }

    @Test
    void elementOverrunsItsItem() {
        byte[] in = concat(bytes(0x08, 0, 0x40, 0x11, 'S', 'Q', 0, 0, 18, 0, 0, 0),
                bytes(0xFE, 0xFF, 0x00, 0xE0, 6, 0, 0, 0), NAME);
        DicomParseException e = fails(in, EXPLICIT);
        assertEquals(Tag.PatientName, e.tag());
        assertTrue(e.getMessage().contains("enclosing item"), e.getMessage());
    }

    @Test
    void nestingDeeperThanTheLimit() throws IOException {
        Dataset ds = new Dataset();
        Dataset cur = ds;
        for (int i = 0; i < 10; i++) {
            cur = cur.newSequence(Tag.ReferencedImageSequence).addItem();
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        new DicomWriter().writeDataset(ds, EXPLICIT, bos);
        DicomReader shallow = new DicomReader(DicomReaderOptions.DEFAULT.withMaxNestingDepth(5));
        DicomParseException e = assertThrows(DicomParseException.class,
                () -> shallow.readDataset(bos.toByteArray(), EXPLICIT));
        assertTrue(e.getMessage().contains("nested deeper than the limit of 5"), e.getMessage());
        assertEquals(10, new DicomReader().readDataset(bos.toByteArray(), EXPLICIT).size() * 10);
    }

    @Test
    void hugeDeclaredLengthFromEverySource(@TempDir Path dir) throws IOException {
        byte[] in = concat(NAME, bytes(0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, 0xF0, 0xFF, 0xFF, 0xFF), new byte[64]);
        DicomParseException e = assertThrows(DicomParseException.class, () -> new DicomReader().readDataset(in, EXPLICIT));
        assertEquals(Tag.PixelData, e.tag());
        assertTrue(e.getMessage().contains("value length 4294967280 exceeds the 64 bytes remaining"), e.getMessage());

        Path file = dir.resolve("huge.dcm");
        Files.write(file, in);
        DicomParseException fromFile = assertThrows(DicomParseException.class, () -> new DicomReader().read(file));
        assertTrue(fromFile.getMessage().startsWith("(7FE0,0010) at offset 10:"), fromFile.getMessage());

        // a stream does not know its length: the value is spilled to disk, never to the heap, and the end is found
        DicomReader reader = new DicomReader(DicomReaderOptions.DEFAULT.withSpillDirectory(dir));
        DicomParseException fromStream = assertThrows(DicomParseException.class,
                () -> reader.readDataset(new ByteArrayInputStream(in), EXPLICIT));
        assertTrue(fromStream.getMessage().contains("cut off by the end of the data"), fromStream.getMessage());
    }

    @Test
    void endlessStreamWithHugeLengthIsBoundedByTheDeclaredLength(@TempDir Path dir) throws IOException {
        // a 0xFFFFFFF0 length followed by a stream that has only 8 MiB: spilled, then a clean error
        InputStream endless = new InputStream() {
            private long left = 8 << 20;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
        InputStream in = new java.io.SequenceInputStream(new ByteArrayInputStream(
                bytes(0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, 0xF0, 0xFF, 0xFF, 0xFF)), endless);
        DicomReader reader = new DicomReader(DicomReaderOptions.DEFAULT.withSpillDirectory(dir));
        DicomParseException e = assertThrows(DicomParseException.class, () -> reader.readDataset(in, EXPLICIT));
        assertEquals(Tag.PixelData, e.tag());
    }

    @Test
    void unknownVr() {
        DicomParseException e = fails(bytes(0x10, 0, 0x10, 0, 'Q', 'Q', 2, 0, 'A', 'B'), EXPLICIT);
        assertTrue(e.getMessage().contains("unknown VR code 0x5151 ('QQ')"), e.getMessage());
    }

    @Test
    void duplicateElement() {
        DicomParseException e = fails(concat(NAME, NAME), EXPLICIT);
        assertEquals(10, e.offset());
        assertTrue(e.getMessage().contains("duplicate element"), e.getMessage());
    }

    @Test
    void itemTagAtTopLevel() {
        DicomParseException e = fails(bytes(0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0), EXPLICIT);
        assertTrue(e.getMessage().contains("item tag where a data element was expected"), e.getMessage());
    }

    @Test
    void fragmentWithUndefinedLength() {
        byte[] in = concat(bytes(0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF),
                bytes(0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0), bytes(0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF));
        DicomParseException e = fails(in, EXPLICIT);
        assertTrue(e.getMessage().contains("fragment with undefined length"), e.getMessage());
    }

    @Test
    void truncatedPart10AndCorruptDeflate() throws IOException {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
        ds.setString(Tag.PatientName, VR.PN, "Doe^John");
        byte[] good = new DicomWriter().toBytes(DicomCodecTest.part10(ds, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN));
        for (int cut = 133; cut < good.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(DicomParseException.class, () -> new DicomReader().read(truncated), "cut at " + cut);
        }
        byte[] corrupt = good.clone();
        corrupt[corrupt.length - 5] ^= 0x5A;
        corrupt[corrupt.length - 9] ^= 0x5A;
        DicomFile maybe = null;
        try {
            maybe = new DicomReader().read(corrupt);
        } catch (DicomParseException expected) {
            // corrupt deflate or corrupt content: both are parse errors
        }
        if (maybe != null) {
            // deflate has no checksum: a flipped bit may decode to different but well-formed elements
            assertTrue(maybe.dataset().size() > 0);
        }
    }

    @Test
    void missingTransferSyntaxInFileMeta() throws IOException {
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        Dataset ds = new Dataset();
        ds.setString(Tag.PatientID, VR.LO, "X");
        byte[] b = new DicomWriter().toBytes(new DicomFile(new byte[128], meta, ds, EXPLICIT));
        DicomParseException e = assertThrows(DicomParseException.class, () -> new DicomReader().read(b));
        assertEquals(Tag.TransferSyntaxUID, e.tag());
        assertTrue(e.getMessage().contains("no Transfer Syntax UID"), e.getMessage());
    }
}
