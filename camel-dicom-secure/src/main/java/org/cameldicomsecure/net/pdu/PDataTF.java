package org.cameldicomsecure.net.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * PS3.8 §9.3.5 P-DATA-TF PDU. The content is the PDU's variable field: one or more Presentation Data Value items
 * (4-byte item length, presentation context ID, message control header, fragment). Reference counted: whoever
 * receives one releases it.
 */
public final class PDataTF extends DefaultByteBufHolder implements Pdu {

    /** Message control header bit 0: the fragment is a command (PS3.8 §E.2). */
    public static final int COMMAND = 0x01;
    /** Message control header bit 1: the fragment is the last of its command or data set. */
    public static final int LAST = 0x02;

    public PDataTF(ByteBuf content) {
        super(content);
    }

    @Override
    public PduType type() {
        return PduType.P_DATA_TF;
    }

    /** Receives the PDVs of a P-DATA-TF; {@code fragment} is a slice valid only during the call. */
    @FunctionalInterface
    public interface PdvVisitor {
        void pdv(int presentationContextId, int messageControlHeader, ByteBuf fragment) throws Exception;
    }

    /**
     * Visits each PDV.
     *
     * @throws MalformedPduException if an item length is below 2 or runs past the end of the PDU
     */
    public void forEachPdv(PdvVisitor visitor) throws Exception {
        ByteBuf b = content();
        int pos = b.readerIndex();
        int end = b.writerIndex();
        while (pos < end) {
            if (end - pos < 6) {
                throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                        "truncated PDV item header: " + (end - pos) + " bytes");
            }
            long len = b.getUnsignedInt(pos);
            if (len < 2 || len > end - pos - 4) {
                throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                        "PDV item length " + len + " does not fit the " + (end - pos - 4) + " bytes left in the PDU");
            }
            int pcid = b.getUnsignedByte(pos + 4);
            int mch = b.getUnsignedByte(pos + 5);
            visitor.pdv(pcid, mch, b.slice(pos + 6, (int) len - 2));
            pos += 4 + (int) len;
        }
    }

    @Override
    public PDataTF replace(ByteBuf content) {
        return new PDataTF(content);
    }

    @Override
    public PDataTF retain() {
        super.retain();
        return this;
    }

    @Override
    public String toString() {
        return "P-DATA-TF[" + content().readableBytes() + " bytes]";
    }
}
