package org.cameldicomsecure.net.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.cameldicomsecure.net.pdu.AAbort;
import org.cameldicomsecure.net.pdu.AReleaseRP;
import org.cameldicomsecure.net.pdu.AReleaseRQ;
import org.cameldicomsecure.net.pdu.MalformedPduException;
import org.cameldicomsecure.net.pdu.PDataTF;
import org.cameldicomsecure.net.pdu.PduType;

/**
 * Frames and decodes PDUs (PS3.8 §9.3). One instance per channel.
 *
 * <p>Limits are checked from the 6-byte header, before any body is buffered: a P-DATA-TF longer than the maximum
 * length this side announced, or any other PDU longer than {@code maxAssociatePduLength}, is not read. Malformed input
 * becomes one {@link InvalidPdu} and everything after it is discarded, as in Netty's MQTT decoder.
 */
public final class PduDecoder extends ByteToMessageDecoder {

    private enum State { READ_HEADER, READ_BODY, BAD }

    private final int maxAssociatePduLength;
    private long maxPDataLength;
    private State state = State.READ_HEADER;
    private PduType type;
    private int length;

    /**
     * @param maxPDataLength        the Maximum Length this side announces for P-DATA-TF PDUs (their variable field)
     * @param maxAssociatePduLength the largest other PDU accepted (A-ASSOCIATE PDUs with many contexts)
     */
    public PduDecoder(long maxPDataLength, int maxAssociatePduLength) {
        this.maxPDataLength = maxPDataLength;
        this.maxAssociatePduLength = maxAssociatePduLength;
    }

    /** Changes the P-DATA-TF limit (call on the channel's event loop). */
    public void setMaxPDataLength(long maxPDataLength) {
        this.maxPDataLength = maxPDataLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case READ_HEADER:
                if (in.readableBytes() < 6) {
                    return;
                }
                int typeValue = in.getUnsignedByte(in.readerIndex());
                long len = in.getUnsignedInt(in.readerIndex() + 2);
                type = PduType.valueOf(typeValue);
                if (type == null) {
                    fail(in, out, AAbort.UNRECOGNIZED_PDU, String.format("unrecognized PDU type %02XH", typeValue));
                    return;
                }
                String problem = checkLength(type, len);
                if (problem != null) {
                    fail(in, out, AAbort.INVALID_PDU_PARAMETER_VALUE, problem);
                    return;
                }
                in.skipBytes(6);
                length = (int) len;
                state = State.READ_BODY;
                // fall through
            case READ_BODY:
                if (in.readableBytes() < length) {
                    return;
                }
                ByteBuf body = in.readSlice(length);
                state = State.READ_HEADER;
                try {
                    out.add(decodeBody(type, body));
                } catch (MalformedPduException e) {
                    fail(in, out, e.abortReason(), type + ": " + e.getMessage());
                }
                return;
            case BAD:
                in.skipBytes(in.readableBytes());
                return;
            default:
                throw new IllegalStateException(state.name());
        }
    }

    private String checkLength(PduType t, long len) {
        switch (t) {
            case P_DATA_TF:
                if (maxPDataLength > 0 && len > maxPDataLength) {
                    return "P-DATA-TF length " + len + " exceeds the maximum length " + maxPDataLength;
                }
                if (len > Integer.MAX_VALUE - 8) {
                    return "P-DATA-TF length " + len + " is not supported";
                }
                return len < 6 ? "P-DATA-TF length " + len + " cannot hold a PDV item" : null;
            case A_ASSOCIATE_RQ:
            case A_ASSOCIATE_AC:
                return len > maxAssociatePduLength ? t + " length " + len + " exceeds the limit "
                        + maxAssociatePduLength : null;
            default:
                return len != 4 ? t + " length " + len + " must be 4" : null;
        }
    }

    private Object decodeBody(PduType t, ByteBuf body) throws MalformedPduException {
        switch (t) {
            case P_DATA_TF:
                return new PDataTF(body.retain());
            case A_ASSOCIATE_RQ:
                return PduCodec.decodeAssociateRQ(body);
            case A_ASSOCIATE_AC:
                return PduCodec.decodeAssociateAC(body);
            case A_ASSOCIATE_RJ:
                return PduCodec.decodeAssociateRJ(body);
            case A_RELEASE_RQ:
                return AReleaseRQ.INSTANCE;
            case A_RELEASE_RP:
                return AReleaseRP.INSTANCE;
            case A_ABORT:
                return PduCodec.decodeAbort(body);
            default:
                throw new IllegalStateException(t.name());
        }
    }

    private void fail(ByteBuf in, List<Object> out, int reason, String message) {
        state = State.BAD;
        in.skipBytes(in.readableBytes());
        out.add(new InvalidPdu(reason, message));
    }
}
