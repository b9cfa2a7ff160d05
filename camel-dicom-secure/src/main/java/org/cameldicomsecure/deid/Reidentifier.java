package org.cameldicomsecure.deid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cameldicomsecure.dicom.BulkData;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.sign.cms.EncryptedAttributes;
import org.cameldicomsecure.sign.cms.EncryptedAttributesException;

/**
 * The re-identifier of the Basic Application Level Confidentiality Profile (PS3.15 E.1.2): removes the protection of
 * an instance for which this re-identifier holds a recipient key.
 *
 * <p>{@link #reidentify} does, on a copy of the input:
 * <ol>
 * <li>decrypts the first item of Encrypted Attributes Sequence (0400,0500) that has a RecipientInfo for the
 *     certificate and decrypts with the key, and decodes it with its Encrypted Content Transfer Syntax UID (0400,0510)
 *     ({@link EncryptedAttributes#decrypt}). E.1.2 Note: "it is at the discretion of the application to choose any
 *     one of them"; PS3.3 C.12.1.1.4.1 requires equal values in all items, so one is enough;</li>
 * <li>removes Encrypted Attributes Sequence (0400,0500). PS3.3 Table C.12-1 makes it Type 1C, "Required if
 *     application level confidentiality is needed", and PS3.5 §7.4.2 says a Type 1C element "shall not be included"
 *     when its condition is not met: a re-identified instance needs no confidentiality;</li>
 * <li>moves every attribute of the single item of Modified Attributes Sequence (0400,0550) into the main data set,
 *     each replacing the whole top-level attribute of the same tag (a sequence is replaced, never merged: PS3.3
 *     C.12.1.1.9.1 puts the entire prior value of an enclosing top-level sequence into the item). Values are moved as
 *     encoded; zero-length values (PS3.3 C.12.1.1.9.1: attributes that were empty or absent) are moved as
 *     zero-length values, since E.1.2 says "move all Attributes";</li>
 * <li>sets Patient Identity Removed (0012,0062) to NO and removes De-identification Method (0012,0063) and
 *     De-identification Method Code Sequence (0012,0064);</li>
 * <li>for a PS3.10 file, sets Media Storage SOP Class UID (0002,0002) and Media Storage SOP Instance UID (0002,0003)
 *     to the (restored) SOP Class UID (0008,0016) and SOP Instance UID (0008,0018), as PS3.10 §7.1 requires them to
 *     be equal. The rest of the File Meta Information and the preamble are kept as they are.</li>
 * </ol>
 * The input is never modified: the result has its own data sets and sequences ({@link Datasets#copyInto}); values
 * are shared with the input, which no step of this package changes in place. The transfer syntax of the file is kept; when it is big endian, the decrypted attributes are converted.
 *
 * <p>As E.1.2's Note says, re-identification does not imply a complete reconstruction of the original instance: only
 * what the de-identifier put into the Encrypted Attributes Data Set comes back.
 *
 * <p>An instance is thread-safe: it holds only the key and certificate.
 */
public final class Reidentifier {

    private final PrivateKey key;
    private final X509Certificate certificate;

    /**
     * @param key         the recipient's RSA private key
     * @param certificate the recipient's certificate, to find its RecipientInfo (issuer and serial number, or subject key
     *                    identifier)
     */
    public Reidentifier(PrivateKey key, X509Certificate certificate) {
        this.key = Objects.requireNonNull(key, "key");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
    }

    /**
     * Re-identifies {@code in} (PS3.15 E.1.2); see the class documentation for each step.
     *
     * @return a new file; {@code in} is not modified
     * @throws ReidentificationException {@link ReidentificationException.Reason#NO_ENCRYPTED_ATTRIBUTES} without
     *                                   (0400,0500) items, {@link ReidentificationException.Reason#NOT_DECRYPTABLE} if
     *                                   no item can be opened with this key,
     *                                   {@link ReidentificationException.Reason#CORRUPT_CONTENT} if the only items that
     *                                   could be meant for this key are damaged,
     *                                   {@link ReidentificationException.Reason#INVALID_CONTENT} if the decrypted
     *                                   attributes cannot be placed in a data set
     */
    public DicomFile reidentify(DicomFile in) throws ReidentificationException {
        Objects.requireNonNull(in, "in");
        Dataset source = in.dataset();
        Dataset modified = decryptOne(source);

        Dataset out = new Dataset(source.bigEndian());
        Datasets.copyInto(source, out);
        out.remove(Tag.EncryptedAttributesSequence);
        if (modified.bigEndian() != out.bigEndian()) {
            modified = inByteOrder(modified, out.bigEndian());
        }
        for (int i = 0; i < modified.size(); i++) {
            int tag = modified.tagAt(i);
            if (Tag.group(tag) == 0x0002) {
                throw new ReidentificationException(ReidentificationException.Reason.INVALID_CONTENT,
                        "the Modified Attributes Sequence " + Tag.toString(Tag.ModifiedAttributesSequence)
                                + " item holds File Meta Information element " + Tag.toString(tag)
                                + ", which is never part of a data set (PS3.10 §7.1)");
            }
            Datasets.copyElement(modified, i, out);
        }
        out.setString(Tag.PatientIdentityRemoved, VR.CS, "NO");
        out.remove(Tag.DeidentificationMethod);
        out.remove(Tag.DeidentificationMethodCodeSequence);

        if (!in.isPart10()) {
            return new DicomFile(null, null, out, in.transferSyntax());
        }
        Dataset meta = new Dataset(in.fileMeta().bigEndian());
        Datasets.copyInto(in.fileMeta(), meta);
        String sopClass = out.getString(Tag.SOPClassUID);
        if (sopClass != null) {
            meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClass);
        }
        String sopInstance = out.getString(Tag.SOPInstanceUID);
        if (sopInstance != null) {
            meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstance);
        }
        return new DicomFile(in.preamble().clone(), meta, out, in.transferSyntax());
    }

    /** The single item of (0400,0550) from the first item of (0400,0500) that this key decrypts. */
    private Dataset decryptOne(Dataset ds) throws ReidentificationException {
        Sequence encrypted = ds.getSequence(Tag.EncryptedAttributesSequence);
        if (encrypted == null || encrypted.isEmpty()) {
            throw new ReidentificationException(ReidentificationException.Reason.NO_ENCRYPTED_ATTRIBUTES,
                    ds.contains(Tag.EncryptedAttributesSequence)
                            ? "Encrypted Attributes Sequence " + Tag.toString(Tag.EncryptedAttributesSequence)
                                    + (encrypted == null ? " is not a sequence" : " has no items")
                            : "the data set has no Encrypted Attributes Sequence "
                                    + Tag.toString(Tag.EncryptedAttributesSequence) + ": nothing to re-identify from");
        }
        List<String> failures = new ArrayList<>();
        EncryptedAttributesException corrupt = null;
        EncryptedAttributesException last = null;
        for (int i = 0; i < encrypted.size(); i++) {
            try {
                Dataset decoded = EncryptedAttributes.decrypt(encrypted.get(i), key, certificate);
                return decoded.getSequence(Tag.ModifiedAttributesSequence).get(0);
            } catch (EncryptedAttributesException e) {
                failures.add("item " + (i + 1) + ": " + e.getMessage());
                last = e;
                if (e.reason() == EncryptedAttributesException.Reason.CORRUPT_CONTENT && corrupt == null) {
                    corrupt = e;
                }
            }
        }
        String message = "none of the " + encrypted.size() + " item(s) of Encrypted Attributes Sequence "
                + Tag.toString(Tag.EncryptedAttributesSequence) + " can be decrypted with certificate issuer '"
                + certificate.getIssuerX500Principal().getName() + "' serial "
                + certificate.getSerialNumber().toString(16) + ": " + String.join("; ", failures);
        if (corrupt != null) {
            throw new ReidentificationException(ReidentificationException.Reason.CORRUPT_CONTENT, message, corrupt);
        }
        throw new ReidentificationException(ReidentificationException.Reason.NOT_DECRYPTABLE, message, last);
    }

    /** The same elements with binary values in the other byte order (the writer converts, the reader keeps). */
    private static Dataset inByteOrder(Dataset ds, boolean bigEndian) throws ReidentificationException {
        TransferSyntax ts = bigEndian ? TransferSyntax.EXPLICIT_VR_BIG_ENDIAN : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new DicomWriter().writeDataset(ds, ts, bytes);
            return new DicomReader().readDataset(bytes.toByteArray(), ts);
        } catch (IOException | RuntimeException e) {
            throw new ReidentificationException(ReidentificationException.Reason.INVALID_CONTENT,
                    "cannot convert the decrypted attributes to " + ts.uid() + " (" + e.getMessage() + ")", e);
        }
    }
}
