package org.cameldicomsecure.dicom;

import java.util.Objects;

/**
 * A DICOM object as stored: the File Meta Information and the data set (PS3.10 §7.1), or a bare data set.
 *
 * @param preamble       the 128-byte File Preamble, or {@code null} for a bare data set without File Meta Information
 * @param fileMeta       the group 0002 elements (always Explicit VR Little Endian), or {@code null} for a bare data set
 * @param dataset        the data set
 * @param transferSyntax how {@code dataset} is (to be) encoded
 */
public record DicomFile(byte[] preamble, Dataset fileMeta, Dataset dataset, TransferSyntax transferSyntax) {

    public static final int PREAMBLE_LENGTH = 128;

    public DicomFile {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(transferSyntax, "transferSyntax");
        if (preamble != null && preamble.length != PREAMBLE_LENGTH) {
            throw new IllegalArgumentException("preamble must be 128 bytes, not " + preamble.length);
        }
        if ((preamble == null) != (fileMeta == null)) {
            throw new IllegalArgumentException("a preamble goes with File Meta Information");
        }
    }

    /**
     * The same object to be encoded in {@code ts}: a copy of the File Meta Information with its Transfer Syntax UID
     * (0002,0010) set to {@code ts}, sharing the data set.
     */
    public DicomFile withTransferSyntax(TransferSyntax ts) {
        if (fileMeta == null) {
            return new DicomFile(null, null, dataset, ts);
        }
        Dataset meta = new Dataset();
        meta.putAll(fileMeta);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        return new DicomFile(preamble, meta, dataset, ts);
    }

    /** Whether this is a PS3.10 file (preamble, "DICM" and File Meta Information) rather than a bare data set. */
    public boolean isPart10() {
        return fileMeta != null;
    }
}
