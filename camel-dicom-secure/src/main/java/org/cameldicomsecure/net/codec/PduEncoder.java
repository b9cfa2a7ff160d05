package org.cameldicomsecure.net.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import org.cameldicomsecure.net.pdu.AAbort;
import org.cameldicomsecure.net.pdu.AAssociateAC;
import org.cameldicomsecure.net.pdu.AAssociateRJ;
import org.cameldicomsecure.net.pdu.AAssociateRQ;
import org.cameldicomsecure.net.pdu.PDataTF;
import org.cameldicomsecure.net.pdu.Pdu;

/**
 * Encodes PDUs (PS3.8 §9.3). Stateless and shared. A P-DATA-TF goes out as its 6-byte header followed by its content
 * buffer, without copying the content.
 */
@Sharable
public final class PduEncoder extends MessageToMessageEncoder<Pdu> {

    public static final PduEncoder INSTANCE = new PduEncoder();

    private PduEncoder() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Pdu pdu, List<Object> out) {
        if (pdu instanceof PDataTF p) {
            ByteBuf header = ctx.alloc().buffer(6);
            header.writeByte(pdu.type().value()).writeByte(0).writeInt(p.content().readableBytes());
            out.add(header);
            out.add(p.content().retain());
            return;
        }
        ByteBuf b = ctx.alloc().buffer(256);
        try {
            encode(pdu, b);
            out.add(b);
        } catch (RuntimeException e) {
            b.release();
            throw e;
        }
    }

    /** Encodes a non-data PDU, header included, into {@code b}. */
    public static void encode(Pdu pdu, ByteBuf b) {
        int start = b.writerIndex();
        b.writeByte(pdu.type().value()).writeByte(0).writeInt(0);
        if (pdu instanceof AAssociateRQ rq) {
            PduCodec.encodeAssociateRQ(rq, b);
        } else if (pdu instanceof AAssociateAC ac) {
            PduCodec.encodeAssociateAC(ac, b);
        } else if (pdu instanceof AAssociateRJ rj) {
            b.writeByte(0).writeByte(rj.result()).writeByte(rj.source()).writeByte(rj.reason());
        } else if (pdu instanceof AAbort ab) {
            b.writeByte(0).writeByte(0).writeByte(ab.source()).writeByte(ab.reason());
        } else {
            b.writeInt(0); // A-RELEASE-RQ / RP: 4 reserved bytes
        }
        b.setInt(start + 2, b.writerIndex() - start - 6);
    }
}
