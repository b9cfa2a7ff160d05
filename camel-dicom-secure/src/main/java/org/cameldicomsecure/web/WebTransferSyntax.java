package org.cameldicomsecure.web;

import java.io.IOException;
import java.nio.file.Path;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;

/**
 * PS3.18 §8.7.3: "The Implicit VR Little Endian (1.2.840.10008.1.2), and Explicit VR Big Endian (1.2.840.10008.1.2.2 -
 * Retired) Transfer Syntaxes shall not be used with Web Services." Instances that arrive in one of them (a C-STORE
 * from a modality is often Implicit VR Little Endian) are re-encoded in Explicit VR Little Endian, the default of
 * Table 8.7.3-2, before they are sent or served; all others go as they are (bytes unchanged).
 */
public final class WebTransferSyntax {

    /** Values larger than this stay in the file (or the array) they were read from while an instance is re-encoded. */
    private static final int BULK_DATA_THRESHOLD = 64 * 1024;
    private static final DicomReader READER = new DicomReader(
            DicomReaderOptions.DEFAULT.withBulkDataThreshold(BULK_DATA_THRESHOLD));

    private WebTransferSyntax() {
    }

    /** Whether {@code ts} may be used with Web Services (not Implicit VR Little Endian, not Explicit VR Big Endian). */
    public static boolean usable(TransferSyntax ts) {
        return !ts.uid().equals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid())
                && !ts.uid().equals(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.uid());
    }

    /** Whether the transfer syntax of this UID may be used with Web Services. */
    public static boolean usable(String transferSyntaxUid) {
        return !TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid().equals(transferSyntaxUid)
                && !TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.uid().equals(transferSyntaxUid);
    }

    /** {@code file}, or the same instance to be encoded in Explicit VR Little Endian when its syntax is not usable. */
    public static DicomFile forWeb(DicomFile file) {
        return usable(file.transferSyntax()) ? file : file.withTransferSyntax(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** {@code file} as a source of web-usable bytes: the file itself, or its re-encoding. */
    public static InstanceSource source(DicomFile file) {
        return InstanceSource.of(forWeb(file));
    }

    /**
     * The PS3.10 file {@code path} as a source of web-usable bytes: the file unchanged when its transfer syntax is
     * usable, else its re-encoding.
     *
     * @throws IOException the file is not a readable PS3.10 file (the reader's message)
     */
    public static InstanceSource source(Path path) throws IOException {
        DicomFile f = READER.read(path);
        return usable(f.transferSyntax()) ? InstanceSource.of(path).withTransferSyntaxUid(f.transferSyntax().uid())
                : source(f);
    }

    /** As {@link #source(Path)}, for a PS3.10 file in memory. */
    public static InstanceSource source(byte[] part10) throws IOException {
        DicomFile f = READER.read(part10);
        return usable(f.transferSyntax()) ? InstanceSource.of(part10).withTransferSyntaxUid(f.transferSyntax().uid())
                : source(f);
    }
}
