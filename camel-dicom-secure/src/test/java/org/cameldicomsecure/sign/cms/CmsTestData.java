package org.cameldicomsecure.sign.cms;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.UUID;

import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.cameldicomsecure.dicom.ByteRegion;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Fragments;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;

/** Data sets and raw CMS structures for the Encrypted Attributes tests. */
public final class CmsTestData {

    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private CmsTestData() {
    }

    /** A UUID-derived UID (PS3.5 §B.2: root 2.25). */
    public static String uid() {
        UUID u = UUID.randomUUID();
        BigInteger v = new BigInteger(1, java.nio.ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
        return "2.25." + v;
    }

    /** Explicit VR Little Endian encoding of {@code ds}: the yardstick for "byte for byte". */
    public static byte[] encode(Dataset ds) {
        return encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    public static byte[] encode(Dataset ds, TransferSyntax ts) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new DicomWriter().writeDataset(ds, ts, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An Encrypted Attributes Data Set whose Modified Attributes item holds a few plain values. */
    public static Dataset simpleEncryptedAttributesDataSet() {
        Dataset eads = new Dataset();
        Dataset item = eads.newSequence(Tag.ModifiedAttributesSequence).addItem();
        item.setString(Tag.SOPInstanceUID, VR.UI, uid());
        item.setString(Tag.PatientName, VR.PN, "Doe^Jane");
        item.setString(Tag.PatientID, VR.LO, "PID-4711");
        return eads;
    }

    /**
     * An Encrypted Attributes Data Set with everything the codec keeps: a Specific Character Set with 8-bit text,
     * nested sequences of defined and undefined length (and an empty one), private attributes, binary numbers, an empty
     * value, a 2 MiB OW value held as {@link ByteRegion} bulk data, and encapsulated pixel data in an Icon Image
     * Sequence item.
     */
    public static Dataset richEncryptedAttributesDataSet() {
        Dataset eads = new Dataset();
        Sequence modified = eads.newSequence(Tag.ModifiedAttributesSequence);
        modified.setUndefinedLength(false);
        Dataset item = modified.addItem(false, false);
        item.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        item.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        item.setString(Tag.SOPInstanceUID, VR.UI, uid());
        item.setString(Tag.StudyDate, VR.DA, "20240131");
        item.setString(Tag.AccessionNumber, VR.SH, "ACC-1");
        item.setString(Tag.InstitutionName, VR.LO, "Klinik Süd");
        item.newSequence(Tag.ReferencedStudySequence); // empty, undefined length
        Sequence series = item.newSequence(Tag.ReferencedSeriesSequence);
        Dataset seriesItem = series.addItem();
        seriesItem.setString(Tag.SeriesInstanceUID, VR.UI, uid());
        Sequence images = seriesItem.newSequence(Tag.ReferencedImageSequence);
        images.setUndefinedLength(false);
        for (int i = 0; i < 3; i++) {
            Dataset image = images.addItem(false, i % 2 == 0);
            image.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
            image.setString(Tag.ReferencedSOPInstanceUID, VR.UI, uid());
        }
        item.setString(Tag.PatientName, VR.PN, "Müller^Jürgen");
        item.setString(Tag.PatientID, VR.LO, "PID-0001");
        item.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        item.setBytes(Tag.PatientAge, VR.AS, new byte[0]);
        // private block 0x10 of group 0009 (PS3.5 §7.8.1)
        item.setString(0x00090010, VR.LO, "CDS TEST CREATOR");
        item.setBytes(0x00091001, VR.OB, new byte[] {1, 2, 3}); // odd: padded with 00H
        item.setString(0x00091002, VR.LO, "private text");
        item.setBytes(0x00091003, VR.UN, new byte[] {(byte) 0xCA, (byte) 0xFE});
        item.setInt(Tag.Rows, VR.US, 512);
        item.setInt(Tag.Columns, VR.US, 512);
        Dataset icon = item.newSequence(Tag.IconImageSequence).addItem();
        icon.setInt(Tag.Rows, VR.US, 8);
        Fragments fragments = new Fragments(VR.OB);
        fragments.add(new byte[0]); // empty Basic Offset Table
        fragments.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 0x11, 0x22});
        fragments.add(new ByteRegion(new byte[] {9, 8, 7, 6, 5, 4}, 1, 4));
        icon.setFragments(Tag.PixelData, fragments);
        byte[] pixels = new byte[2 << 20];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31 + (i >> 11));
        }
        item.setBulkData(Tag.PixelData, VR.OW, new ByteRegion(pixels, 0, pixels.length));
        return eads;
    }

    /** An Encrypted Attributes Sequence item holding {@code cms} (padded to even length) in {@code tsUid}. */
    public static Dataset item(byte[] cms, String tsUid) {
        Dataset item = new Dataset();
        item.setString(Tag.EncryptedContentTransferSyntaxUID, VR.UI, tsUid);
        item.setBytes(Tag.EncryptedContent, VR.OB, cms);
        return item;
    }

    /** A CMS EnvelopedData of {@code content} made directly with Bouncy Castle. */
    public static byte[] envelope(byte[] content, ASN1ObjectIdentifier contentCipher, RecipientInfoGenerator... recipients) {
        try {
            CMSEnvelopedDataGenerator g = new CMSEnvelopedDataGenerator();
            for (RecipientInfoGenerator r : recipients) {
                g.addRecipientInfoGenerator(r);
            }
            return g.generate(new CMSProcessableByteArray(content),
                    new JceCMSContentEncryptorBuilder(contentCipher).setProvider(BC).build())
                    .toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS #1 v1.5 key transport RecipientInfo (issuer and serial) for {@code cert}. */
    public static RecipientInfoGenerator keyTrans(X509Certificate cert) {
        try {
            return new JceKeyTransRecipientInfoGenerator(cert).setProvider(BC);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ContentInfo in an item's Encrypted Content, without the OB padding. */
    public static ContentInfo contentInfo(Dataset item) {
        try (ASN1InputStream in = new ASN1InputStream(item.getBytes(Tag.EncryptedContent))) {
            return ContentInfo.getInstance(in.readObject());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The DER of the ContentInfo in an item's Encrypted Content, without the OB padding. */
    public static byte[] der(Dataset item) {
        try {
            return contentInfo(item).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
