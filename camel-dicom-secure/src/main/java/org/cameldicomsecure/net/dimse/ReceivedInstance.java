package org.cameldicomsecure.net.dimse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;

/**
 * An instance received by C-STORE: the data set bytes exactly as they arrived, and the File Meta Information that
 * makes them a PS3.10 file (PS3.10 §7.1). Reading it as Part 10 streams the bytes; nothing is re-encoded.
 */
public final class ReceivedInstance implements AutoCloseable {

    private final String sopClassUid;
    private final String sopInstanceUid;
    private final TransferSyntax transferSyntax;
    private final DataSetBuffer data;
    private final Dataset fileMeta;
    private final byte[] part10Prefix;

    public ReceivedInstance(String sopClassUid, String sopInstanceUid, TransferSyntax transferSyntax,
            String sourceAet, String implementationClassUid, String implementationVersionName, DataSetBuffer data) {
        this.sopClassUid = Objects.requireNonNull(sopClassUid, "sopClassUid");
        this.sopInstanceUid = Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        this.transferSyntax = Objects.requireNonNull(transferSyntax, "transferSyntax");
        this.data = Objects.requireNonNull(data, "data");
        this.fileMeta = fileMeta(sourceAet, implementationClassUid, implementationVersionName);
        this.part10Prefix = prefix(fileMeta);
    }

    private Dataset fileMeta(String sourceAet, String implementationClassUid, String versionName) {
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClassUid);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstanceUid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, transferSyntax.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, implementationClassUid);
        if (versionName != null) {
            meta.setString(Tag.ImplementationVersionName, VR.SH, versionName);
        }
        if (sourceAet != null) {
            meta.setString(Tag.SourceApplicationEntityTitle, VR.AE, sourceAet);
        }
        return meta;
    }

    private static byte[] prefix(Dataset meta) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(256);
        bos.writeBytes(new byte[DicomFile.PREAMBLE_LENGTH]);
        bos.writeBytes(new byte[] {'D', 'I', 'C', 'M'});
        try {
            new DicomWriter().writeDataset(meta, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, bos);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bos.toByteArray();
    }

    public String sopClassUid() {
        return sopClassUid;
    }

    public String sopInstanceUid() {
        return sopInstanceUid;
    }

    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    /** Length of the data set as received. */
    public long dataSetLength() {
        return data.length();
    }

    /** Length of the whole PS3.10 file. */
    public long part10Length() {
        return part10Prefix.length + data.length();
    }

    /** The data set bytes as received (in {@link #transferSyntax()}). */
    public InputStream openDataSet() throws IOException {
        return data.openStream();
    }

    /** The instance as a PS3.10 file: preamble, "DICM", File Meta Information, then the received bytes. */
    public InputStream openPart10() throws IOException {
        return new SequenceInputStream(new ByteArrayInputStream(part10Prefix), data.openStream());
    }

    public void writePart10(OutputStream out) throws IOException {
        out.write(part10Prefix);
        data.writeTo(out);
    }

    /** Writes the PS3.10 file to {@code path}. */
    public void writePart10(Path path) throws IOException {
        try (OutputStream out = Files.newOutputStream(path)) {
            writePart10(out);
        }
    }

    /** Parses the instance; large values stay regions of the spill file when there is one, nothing is copied. */
    public DicomFile parse(DicomReader reader) throws IOException {
        Dataset ds = data.spilled() ? reader.readDataset(data.file(), transferSyntax, data)
                : reader.readDataset(data.toByteArray(), transferSyntax);
        Dataset meta = new Dataset();
        meta.putAll(fileMeta); // a copy: whoever gets the file may change it
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, transferSyntax);
    }

    /** Deletes the spill file, if any. */
    @Override
    public void close() throws IOException {
        data.close();
    }

    @Override
    public String toString() {
        return "ReceivedInstance[" + sopClassUid + ", " + sopInstanceUid + ", " + transferSyntax.uid() + ", "
                + data.length() + " bytes]";
    }
}
