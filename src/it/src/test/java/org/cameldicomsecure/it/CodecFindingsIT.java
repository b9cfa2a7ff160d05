package org.cameldicomsecure.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Codec bugs found while writing the interoperability tests, each shown on a file DCMTK made. They fail until the
 * codec is fixed.
 *
 * <p>Common cause: with a {@link DicomReaderOptions#bulkDataThreshold()} below the length of a value, the reader
 * keeps that value as a {@code BulkData} region, and every place that decodes a value to make a decision only looks at
 * {@code byte[]} values ({@code Dataset.getStrings}, {@code Dataset.characterSet}, {@code Dataset.getInt}). So the
 * reader's own decisions silently change with the threshold: the Transfer Syntax UID of the File Meta Information,
 * the Specific Character Set, and Pixel Representation for the US-or-SS choice in Implicit VR.
 */
class CodecFindingsIT {

    @TempDir
    static Path dir;
    static Path part10;
    static Path bareImplicit;

    @BeforeAll
    static void makeFiles() throws Exception {
        Peers.require("dump2dcm", "dcmtk");
        Peers.require("dcmconv", "dcmtk");
        Peers peers = Peers.forTest(CodecFindingsIT.class);
        String dump = String.join("\n",
                "(0002,0001) OB 00\\01",
                "(0002,0002) UI [" + UID.SecondaryCaptureImageStorage + "]",
                "(0002,0003) UI [" + ItUids.fromName("CodecFindingsIT") + "]",
                "(0002,0010) UI [" + UID.ExplicitVRLittleEndian + "]",
                "(0008,0005) CS [ISO_IR 192]",
                "(0008,0016) UI [" + UID.SecondaryCaptureImageStorage + "]",
                "(0008,0018) UI [" + ItUids.fromName("CodecFindingsIT") + "]",
                "(0010,0010) PN [Jöb]",
                "(0028,0103) US 1",
                "(0028,0106) SS -5",
                "");
        Path dumpFile = dir.resolve("findings.dump");
        Files.writeString(dumpFile, dump, StandardCharsets.UTF_8);
        part10 = dir.resolve("findings.dcm");
        bareImplicit = dir.resolve("findings-bare-implicit.dcm");
        peers.run("dump2dcm", dir, Peers.cmd("dump2dcm", dumpFile, part10)).assertSuccess();
        peers.run("dcmconv-bare-implicit", dir, Peers.cmd("dcmconv", "-F", "+ti", part10, bareImplicit))
                .assertSuccess();
    }

    private static DicomReader reader(int threshold) {
        return new DicomReader(DicomReaderOptions.DEFAULT.withBulkDataThreshold(threshold).withSpillDirectory(dir));
    }

    /**
     * DicomReader.transferSyntaxOf reads (0002,0010) with {@code meta.getString}, which returns null for a value kept
     * as bulk data: "File Meta Information has no Transfer Syntax UID" for any threshold below 20 here.
     */
    @Test
    void findsTheTransferSyntaxWhateverTheBulkDataThreshold() throws Exception {
        byte[] bytes = Files.readAllBytes(part10);
        DicomReader r = reader(16);
        assertAll(
                () -> assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, r.read(bytes).transferSyntax(), "byte[]"),
                () -> assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, r.read(part10).transferSyntax(), "Path"),
                () -> {
                    try (InputStream in = Files.newInputStream(part10)) {
                        assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, r.read(in).transferSyntax(), "stream");
                    }
                });
    }

    /**
     * Dataset.characterSet uses (0008,0005) only when it is a {@code byte[]}: held as bulk data (10 bytes, threshold
     * 8), it is ignored and the default repertoire decodes the UTF-8 name, silently.
     */
    @Test
    void appliesTheSpecificCharacterSetWhateverTheBulkDataThreshold() throws Exception {
        DicomFile f = reader(8).read(bareImplicit);
        assertEquals("Jöb", f.dataset().getString(Tag.PatientName));
    }

    /**
     * DicomReader.implicitVr picks SS for a "US or SS" element only if {@code ds.getInt(PixelRepresentation, 0)} is
     * 1, and getInt returns the default for a value held as bulk data (threshold 0): the element is read as US.
     */
    @Test
    void readsUsOrSsByPixelRepresentationWhateverTheBulkDataThreshold() throws Exception {
        DicomFile f = reader(0).read(bareImplicit);
        assertEquals(List.of(VR.SS, VR.SS), List.of(new DicomReader().read(bareImplicit).dataset()
                .vrOf(Tag.SmallestImagePixelValue), f.dataset().vrOf(Tag.SmallestImagePixelValue)),
                "VR of (0028,0106) with the default threshold and with threshold 0");
    }
}
