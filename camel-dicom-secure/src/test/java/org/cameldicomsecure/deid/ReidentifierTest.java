package org.cameldicomsecure.deid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomElement;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.sign.cms.CmsTestData;
import org.cameldicomsecure.sign.cms.EncryptedAttributes;
import org.cameldicomsecure.sign.cms.TestRecipients;
import org.cameldicomsecure.sign.cms.TestRecipients.Recipient;
import org.junit.jupiter.api.Test;

/**
 * PS3.15 E.1.2 on an instance "de-identified" by hand: dummies in the main data set, and an Encrypted Attributes
 * Sequence whose items were made with {@link EncryptedAttributes#encrypt} of the original values.
 */
class ReidentifierTest {

    private static final Recipient RESEARCH = TestRecipients.rsa("research", 2048);
    private static final Recipient ARCHIVE = TestRecipients.rsa("archive", 3072);
    private static final Recipient STRANGER = TestRecipients.rsa("stranger", 2048);

    /** The tags the hand-made de-identifier replaced with dummies or removed. */
    private static final int[] PROTECTED = {Tag.SOPInstanceUID, Tag.StudyDate, Tag.AccessionNumber,
        Tag.InstitutionName, Tag.ReferencedSeriesSequence, Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate,
        0x00090010, 0x00091001, Tag.StudyInstanceUID};

    /** An original instance: identity, UIDs, a nested reference, a private block, pixel data. */
    private static Dataset original() {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, CmsTestData.uid());
        ds.setString(Tag.StudyDate, VR.DA, "20240131");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC-77");
        ds.setString(Tag.InstitutionName, VR.LO, "Klinik Süd");
        Sequence series = ds.newSequence(Tag.ReferencedSeriesSequence);
        series.setUndefinedLength(false);
        Dataset seriesItem = series.addItem(false, false);
        seriesItem.setString(Tag.SeriesInstanceUID, VR.UI, CmsTestData.uid());
        Dataset image = seriesItem.newSequence(Tag.ReferencedImageSequence).addItem();
        image.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
        image.setString(Tag.ReferencedSOPInstanceUID, VR.UI, CmsTestData.uid());
        ds.setString(Tag.PatientName, VR.PN, "Müller^Jürgen");
        ds.setString(Tag.PatientID, VR.LO, "PID-0001");
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(0x00090010, VR.LO, "CDS TEST CREATOR");
        ds.setBytes(0x00091001, VR.OB, new byte[] {1, 2, 3, 4});
        ds.setString(Tag.StudyInstanceUID, VR.UI, CmsTestData.uid());
        ds.setInt(Tag.Rows, VR.US, 2);
        ds.setInt(Tag.Columns, VR.US, 2);
        ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 0, 2, 0, 3, 0, 4, 0});
        return ds;
    }

    /** The Encrypted Attributes Data Set: the original values of {@link #PROTECTED}, plus (0012,0062..64) as added. */
    private static Dataset encryptedAttributesDataSet(Dataset original) throws IOException {
        Dataset copy = new DicomReader().readDataset(CmsTestData.encode(original), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Dataset eads = new Dataset();
        Dataset item = eads.newSequence(Tag.ModifiedAttributesSequence).addItem();
        for (int tag : PROTECTED) {
            putElement(item, copy.get(tag));
        }
        // PS3.3 C.12.1.1.9.1: attributes that were absent and have been added may be present with a zero length value
        item.setBytes(Tag.PatientIdentityRemoved, VR.CS, new byte[0]);
        item.setBytes(Tag.DeidentificationMethod, VR.LO, new byte[0]);
        return eads;
    }

    private static void putElement(Dataset into, DicomElement e) {
        if (e.value() instanceof Sequence s) {
            Sequence c = into.newSequence(e.tag());
            c.setUndefinedLength(s.undefinedLength());
            for (Dataset item : s) {
                Dataset ci = c.addItem(false, item.undefinedLength());
                for (DicomElement inner : item) {
                    putElement(ci, inner);
                }
            }
        } else {
            into.setBytes(e.tag(), e.vr(), (byte[]) e.value());
        }
    }

    /** The de-identified instance: dummies, one attribute removed, (0012,0062..64), the encrypted items. */
    private static DicomFile deidentified(Dataset original, List<Dataset> encryptedItems) throws IOException {
        Dataset ds = new DicomReader().readDataset(CmsTestData.encode(original), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        ds.setString(Tag.SOPInstanceUID, VR.UI, CmsTestData.uid());
        ds.setString(Tag.StudyInstanceUID, VR.UI, CmsTestData.uid());
        ds.setBytes(Tag.StudyDate, VR.DA, new byte[0]);
        ds.setBytes(Tag.AccessionNumber, VR.SH, new byte[0]);
        ds.remove(Tag.InstitutionName);
        ds.remove(Tag.PatientBirthDate);
        ds.remove(0x00090010);
        ds.remove(0x00091001);
        ds.setString(Tag.PatientName, VR.PN, "ANONYMOUS");
        ds.setString(Tag.PatientID, VR.LO, "DUMMY-1");
        Dataset seriesItem = ds.newSequence(Tag.ReferencedSeriesSequence).addItem();
        seriesItem.setString(Tag.SeriesInstanceUID, VR.UI, CmsTestData.uid());
        ds.setString(Tag.PatientIdentityRemoved, VR.CS, "YES");
        ds.setString(Tag.DeidentificationMethod, VR.LO, "Basic Application Confidentiality Profile");
        Dataset code = ds.newSequence(Tag.DeidentificationMethodCodeSequence).addItem();
        code.setString(Tag.CodeValue, VR.SH, "113100");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        code.setString(Tag.CodeMeaning, VR.LO, "Basic Application Confidentiality Profile");
        Sequence encrypted = ds.newSequence(Tag.EncryptedAttributesSequence);
        for (Dataset item : encryptedItems) {
            encrypted.addItem().putAll(item);
        }
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.CTImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** What re-identification must give: the original, with (0012,0062) NO (E.1.2: "replaced or added"). */
    private static Dataset expected(Dataset original) {
        Dataset e = copyOf(original);
        e.setString(Tag.PatientIdentityRemoved, VR.CS, "NO");
        return e;
    }

    private static Dataset copyOf(Dataset ds) {
        try {
            return new DicomReader().readDataset(CmsTestData.encode(ds), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void restoresEveryOriginalValueAndMarksTheIdentityAsNotRemoved() throws Exception {
        Dataset original = original();
        Dataset eads = encryptedAttributesDataSet(original);
        DicomFile in = deidentified(original, List.of(
                EncryptedAttributes.encrypt(eads, List.of(STRANGER.cert())),
                EncryptedAttributes.encrypt(eads, List.of(ARCHIVE.cert(), RESEARCH.cert()))));
        byte[] inputBefore = new DicomWriter().toBytes(in);

        DicomFile out = new Reidentifier(RESEARCH.key(), RESEARCH.cert()).reidentify(in);
        Dataset ds = out.dataset();

        for (int tag : PROTECTED) {
            assertArrayEquals(CmsTestData.encode(only(original, tag)), CmsTestData.encode(only(ds, tag)),
                    Tag.toString(tag));
        }
        assertEquals("Müller^Jürgen", ds.getString(Tag.PatientName));
        assertEquals("NO", ds.getString(Tag.PatientIdentityRemoved));
        assertFalse(ds.contains(Tag.DeidentificationMethod));
        assertFalse(ds.contains(Tag.DeidentificationMethodCodeSequence));
        assertFalse(ds.contains(Tag.EncryptedAttributesSequence));
        // the whole data set, byte for byte: nothing else changed, nothing left over
        assertArrayEquals(CmsTestData.encode(expected(original)), CmsTestData.encode(ds));

        assertEquals(original.getString(Tag.SOPInstanceUID), out.fileMeta().getString(Tag.MediaStorageSOPInstanceUID));
        assertEquals(UID.CTImageStorage, out.fileMeta().getString(Tag.MediaStorageSOPClassUID));
        assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, out.transferSyntax());
        assertArrayEquals(inputBefore, new DicomWriter().toBytes(in), "the input must not be modified");

        // the result is a valid PS3.10 file that reads back the same
        byte[] written = new DicomWriter().toBytes(out);
        DicomFile reread = new DicomReader().read(written);
        assertArrayEquals(CmsTestData.encode(ds), CmsTestData.encode(reread.dataset()));
    }

    @Test
    void anyRecipientOfAnyItemCanReidentify() throws Exception {
        Dataset original = original();
        Dataset eads = encryptedAttributesDataSet(original);
        DicomFile in = deidentified(original, List.of(
                EncryptedAttributes.encrypt(eads, List.of(RESEARCH.cert())),
                EncryptedAttributes.encrypt(eads, List.of(ARCHIVE.cert()))));
        for (Recipient r : List.of(RESEARCH, ARCHIVE)) {
            Dataset ds = new Reidentifier(r.key(), r.cert()).reidentify(in).dataset();
            assertArrayEquals(CmsTestData.encode(expected(original)), CmsTestData.encode(ds));
        }
    }

    @Test
    void aBigEndianInstanceGetsItsValuesInBigEndian() throws Exception {
        Dataset original = original();
        DicomFile le = deidentified(original, List.of(
                EncryptedAttributes.encrypt(encryptedAttributesDataSet(original), List.of(RESEARCH.cert()))));
        TransferSyntax be = TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;
        DicomFile in = new DicomReader().read(new DicomWriter().toBytes(le.withTransferSyntax(be)));
        assertTrue(in.dataset().bigEndian());

        DicomFile out = new Reidentifier(RESEARCH.key(), RESEARCH.cert()).reidentify(in);
        assertTrue(out.dataset().bigEndian());
        assertEquals(be, out.transferSyntax());
        assertArrayEquals(CmsTestData.encode(expected(original), be), CmsTestData.encode(out.dataset(), be));
        assertEquals(2, out.dataset().getInt(Tag.Rows, -1));
    }

    @Test
    void aBareDataSetStaysBare() throws Exception {
        Dataset original = original();
        DicomFile file = deidentified(original, List.of(
                EncryptedAttributes.encrypt(encryptedAttributesDataSet(original), List.of(RESEARCH.cert()))));
        DicomFile bare = new DicomFile(null, null, file.dataset(), file.transferSyntax());
        DicomFile out = new Reidentifier(RESEARCH.key(), RESEARCH.cert()).reidentify(bare);
        assertFalse(out.isPart10());
        assertNull(out.fileMeta());
        assertArrayEquals(CmsTestData.encode(expected(original)), CmsTestData.encode(out.dataset()));
    }

    @Test
    void withoutEncryptedAttributesSequenceItIsAClearError() throws Exception {
        Dataset original = original();
        DicomFile none = deidentified(original, List.of());
        none.dataset().remove(Tag.EncryptedAttributesSequence);
        ReidentificationException e = assertThrows(ReidentificationException.class,
                () -> new Reidentifier(RESEARCH.key(), RESEARCH.cert()).reidentify(none));
        assertEquals(ReidentificationException.Reason.NO_ENCRYPTED_ATTRIBUTES, e.reason());
        assertTrue(e.getMessage().contains("(0400,0500)"), e.getMessage());

        DicomFile empty = deidentified(original, List.of());
        assertEquals(ReidentificationException.Reason.NO_ENCRYPTED_ATTRIBUTES, assertThrows(
                ReidentificationException.class,
                () -> new Reidentifier(RESEARCH.key(), RESEARCH.cert()).reidentify(empty)).reason());
    }

    @Test
    void withoutAKeyForAnyItemItIsAClearError() throws Exception {
        Dataset original = original();
        Dataset eads = encryptedAttributesDataSet(original);
        DicomFile in = deidentified(original, List.of(EncryptedAttributes.encrypt(eads, List.of(ARCHIVE.cert())),
                EncryptedAttributes.encrypt(eads, List.of(RESEARCH.cert()))));
        ReidentificationException e = assertThrows(ReidentificationException.class,
                () -> new Reidentifier(STRANGER.key(), STRANGER.cert()).reidentify(in));
        assertEquals(ReidentificationException.Reason.NOT_DECRYPTABLE, e.reason());
        assertTrue(e.getMessage().contains("item 1") && e.getMessage().contains("item 2"), e.getMessage());
        assertTrue(e.getMessage().contains("CN=stranger"), e.getMessage());
        assertFalse(e.getMessage().contains("Müller") || e.getMessage().contains("PID-0001"), e.getMessage());
    }

    @Test
    void corruptContentIsAClearError() throws Exception {
        Dataset original = original();
        DicomFile in = deidentified(original, List.of(
                EncryptedAttributes.encrypt(encryptedAttributesDataSet(original), List.of(RESEARCH.cert()))));
        Dataset item = in.dataset().getSequence(Tag.EncryptedAttributesSequence).get(0);
        byte[] der = item.getBytes(Tag.EncryptedContent);
        item.setBytes(Tag.EncryptedContent, VR.OB, java.util.Arrays.copyOf(der, der.length - 40));
        ReidentificationException e = assertThrows(ReidentificationException.class,
                () -> new Reidentifier(RESEARCH.key(), RESEARCH.cert()).reidentify(in));
        assertEquals(ReidentificationException.Reason.CORRUPT_CONTENT, e.reason());
        assertNotNull(e.getCause());
    }

    @Test
    void fileMetaInformationInsideTheModifiedAttributesIsRejected() throws Exception {
        Dataset original = original();
        Dataset eads = encryptedAttributesDataSet(original);
        eads.getSequence(Tag.ModifiedAttributesSequence).get(0)
                .setString(Tag.MediaStorageSOPInstanceUID, VR.UI, CmsTestData.uid());
        DicomFile in = deidentified(original, List.of(EncryptedAttributes.encrypt(eads, List.of(RESEARCH.cert()))));
        ReidentificationException e = assertThrows(ReidentificationException.class,
                () -> new Reidentifier(RESEARCH.key(), RESEARCH.cert()).reidentify(in));
        assertEquals(ReidentificationException.Reason.INVALID_CONTENT, e.reason());
        assertTrue(e.getMessage().contains("(0002,0003)"), e.getMessage());
    }

    /** A data set holding only {@code tag} of {@code ds}, to compare one element's encoding. */
    private static Dataset only(Dataset ds, int tag) {
        Dataset one = new Dataset(ds.bigEndian());
        DicomElement e = ds.get(tag);
        assertNotNull(e, Tag.toString(tag) + " missing");
        if (e.value() instanceof Sequence) {
            Dataset copy = copyOf(ds);
            for (int t : copy.tags()) {
                if (t != tag) {
                    copy.remove(t);
                }
            }
            return copy;
        }
        one.setBytes(tag, e.vr(), (byte[]) e.value());
        return one;
    }
}
