package org.cameldicomsecure.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;
import org.junit.jupiter.api.Test;

/** The MAC byte stream, byte for byte, against the rules of PS3.3 C.12.1.1.3.1.1. */
class MacByteStreamTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] stream(Dataset ds, int... tags) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MacByteStream(out).elements(ds, tags);
        return out.toByteArray();
    }

    @Test
    void ordinaryElementsAreWrittenWholeInExplicitVrLittleEndian() throws IOException {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2");
        ds.setInt(Tag.Rows, VR.US, 4);
        ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 2, 3, 4});
        assertArrayEquals(hex("0800 1600 5549 0400 312e3200"
                + "2800 1000 5553 0200 0400"
                + "e07f 1000 4f57 0000 04000000 01020304"), stream(ds, Tag.SOPClassUID, Tag.Rows, Tag.PixelData));
    }

    @Test
    void bigEndianValuesAreSwappedToLittleEndian() throws IOException {
        Dataset ds = new Dataset(true);
        ds.setInt(Tag.Rows, VR.US, 4);
        ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 2, 3, 4});
        assertArrayEquals(hex("2800 1000 5553 0200 0400" + "e07f 1000 4f57 0000 04000000 02010403"),
                stream(ds, Tag.Rows, Tag.PixelData));
    }

    @Test
    void sequencesHaveNoLengthsAndAlwaysADelimiter() throws IOException {
        for (boolean undefined : new boolean[] {true, false}) {
            Dataset ds = new Dataset();
            var seq = ds.newSequence(Tag.AnatomicRegionSequence);
            seq.setUndefinedLength(undefined);
            Dataset item = seq.addItem();
            item.setUndefinedLength(undefined);
            item.setString(Tag.CodeValue, VR.SH, "AB");
            item.setInt(0x00080000, VR.UL, 10); // a group length inside an item is left out too
            seq.addItem();
            assertArrayEquals(hex("0800 1822 5351 0000" + "feff 00e0" + "0800 0001 5348 0200 4142" + "feff 00e0"
                    + "feff dde0"), stream(ds, Tag.AnatomicRegionSequence), "undefined length " + undefined);
        }
    }

    @Test
    void encapsulatedPixelDataIsWrittenLikeASequence() throws IOException {
        Dataset ds = new Dataset();
        Fragments f = new Fragments(VR.OB);
        f.add(new byte[0]);
        f.add(new byte[] {9, 8});
        ds.setFragments(Tag.PixelData, f);
        assertArrayEquals(hex("e07f 1000 4f42 0000" + "feff 00e0" + "feff 00e0 0908" + "feff dde0"),
                stream(ds, Tag.PixelData));
    }

    @Test
    void theSignatureItemLeavesOutCertificateSignatureAndTimestamp() throws IOException {
        Dataset item = new Dataset();
        item.setInt(Tag.MACIDNumber, VR.US, 1);
        item.setString(Tag.CertificateType, VR.CS, "X");
        item.setBytes(Tag.CertificateOfSigner, VR.OB, new byte[] {1, 2});
        item.setBytes(Tag.Signature, VR.OB, new byte[] {3, 4});
        item.setString(Tag.CertifiedTimestampType, VR.CS, "CMS_TSP");
        item.setBytes(Tag.CertifiedTimestamp, VR.OB, new byte[] {5, 6});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MacByteStream(out).signatureItem(item);
        assertArrayEquals(hex("0004 0500 5553 0200 0100" + "0004 1001 4353 0200 5820"), out.toByteArray());
    }

    @Test
    void excludedElements() {
        assertFalse(MacByteStream.signableTag(0x00020010), "file meta");
        assertFalse(MacByteStream.signableTag(0x00080000), "group length");
        assertFalse(MacByteStream.signableTag(0x00080001), "length to end");
        assertFalse(MacByteStream.signableTag(Tag.DigitalSignaturesSequence));
        assertFalse(MacByteStream.signableTag(Tag.MACParametersSequence));
        assertFalse(MacByteStream.signableTag(Tag.DataSetTrailingPadding));
        assertFalse(MacByteStream.signableTag(0xFFFEE00D));
        assertFalse(MacByteStream.signable(0x00091010, VR.UN, new byte[2]));
        Dataset ds = new Dataset();
        ds.newSequence(Tag.AnatomicRegionSequence).addItem().setBytes(0x00091010, VR.UN, new byte[2]);
        assertFalse(MacByteStream.signable(Tag.AnatomicRegionSequence, VR.SQ, ds.value(Tag.AnatomicRegionSequence)));
        assertTrue(MacByteStream.whyUnsignable(Tag.AnatomicRegionSequence, VR.SQ, ds.value(Tag.AnatomicRegionSequence))
                .contains("holds an element of VR UN"));
        assertNull(MacByteStream.whyUnsignable(Tag.PatientName, VR.PN, new byte[2]));
        assertTrue(MacByteStream.signableTag(0x00091010), "private elements with a known VR are signable");
    }
}
