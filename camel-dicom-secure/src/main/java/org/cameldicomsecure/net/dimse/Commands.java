package org.cameldicomsecure.net.dimse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;

/** DIMSE command sets (PS3.7 §9.3, Annex E), always encoded in Implicit VR Little Endian with a group length. */
public final class Commands {

    /** PS3.7 E.1: Command Data Set Type value meaning "no data set". */
    public static final int NO_DATA_SET = 0x0101;
    /** Any other value means a data set follows; this is the one sent. */
    public static final int DATA_SET_PRESENT = 0x0000;
    public static final int PRIORITY_MEDIUM = 0x0000;

    private static final DicomReader READER = new DicomReader();
    private static final DicomWriter WRITER = new DicomWriter();

    private Commands() {
    }

    public static Dataset echoRq(int messageId) {
        Dataset c = base("1.2.840.10008.1.1", CommandField.C_ECHO_RQ, NO_DATA_SET);
        c.setInt(Tag.MessageID, VR.US, messageId);
        return c;
    }

    public static Dataset echoRsp(int messageIdBeingRespondedTo, int status) {
        Dataset c = base("1.2.840.10008.1.1", CommandField.C_ECHO_RSP, NO_DATA_SET);
        c.setInt(Tag.MessageIDBeingRespondedTo, VR.US, messageIdBeingRespondedTo);
        c.setInt(Tag.Status, VR.US, status);
        return c;
    }

    public static Dataset storeRq(int messageId, String sopClassUid, String sopInstanceUid, int priority) {
        Dataset c = base(sopClassUid, CommandField.C_STORE_RQ, DATA_SET_PRESENT);
        c.setInt(Tag.MessageID, VR.US, messageId);
        c.setInt(Tag.Priority, VR.US, priority);
        c.setString(Tag.AffectedSOPInstanceUID, VR.UI, sopInstanceUid);
        return c;
    }

    /** A response to {@code rq}: same affected SOP class (and instance), the given status and optional comment. */
    public static Dataset response(Dataset rq, int status, String errorComment) {
        CommandField field = CommandField.valueOf(rq.getInt(Tag.CommandField, -1));
        int rspField = (field == null ? rq.getInt(Tag.CommandField, 0) : field.value()) | 0x8000;
        Dataset c = new Dataset();
        c.setBytes(Tag.CommandGroupLength, VR.UL, new byte[4]);
        String sopClass = rq.getString(Tag.AffectedSOPClassUID);
        if (sopClass != null) {
            c.setString(Tag.AffectedSOPClassUID, VR.UI, sopClass);
        }
        c.setInt(Tag.CommandField, VR.US, rspField);
        c.setInt(Tag.MessageIDBeingRespondedTo, VR.US, rq.getInt(Tag.MessageID, 0));
        c.setInt(Tag.CommandDataSetType, VR.US, NO_DATA_SET);
        c.setInt(Tag.Status, VR.US, status);
        String sopInstance = rq.getString(Tag.AffectedSOPInstanceUID);
        if (sopInstance != null) {
            c.setString(Tag.AffectedSOPInstanceUID, VR.UI, sopInstance);
        }
        if (errorComment != null && Status.isFailure(status)) {
            // (0000,0902) Error Comment, LO: at most 64 characters
            c.setString(Tag.ErrorComment, VR.LO, errorComment.length() > 64 ? errorComment.substring(0, 64) : errorComment);
        }
        return c;
    }

    private static Dataset base(String sopClassUid, CommandField field, int dataSetType) {
        Dataset c = new Dataset();
        c.setBytes(Tag.CommandGroupLength, VR.UL, new byte[4]);
        c.setString(Tag.AffectedSOPClassUID, VR.UI, sopClassUid);
        c.setInt(Tag.CommandField, VR.US, field.value());
        c.setInt(Tag.CommandDataSetType, VR.US, dataSetType);
        return c;
    }

    public static boolean hasDataSet(Dataset command) {
        return command.getInt(Tag.CommandDataSetType, NO_DATA_SET) != NO_DATA_SET;
    }

    /** Encodes a command set; the writer recomputes (0000,0000). */
    public static byte[] encode(Dataset command) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(128);
        try {
            WRITER.writeDataset(command, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, bos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** Decodes a command set. */
    public static Dataset decode(byte[] encoded) throws IOException {
        return READER.readDataset(encoded, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    }
}
