package org.cameldicomsecure.net.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.cameldicomsecure.net.pdu.AAssociateAC;
import org.cameldicomsecure.net.pdu.AAssociateRQ;
import org.cameldicomsecure.net.pdu.MalformedPduException;
import org.cameldicomsecure.net.pdu.PDataTF;
import org.cameldicomsecure.net.pdu.Pdu;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link PduDecoder}: any bytes, split anywhere, give PDUs and at most one
 * {@link InvalidPdu}, never an exception; P-DATA-TF content visits only with {@link MalformedPduException}; decoded
 * A-ASSOCIATE PDUs re-encode to bytes that decode to the same PDU. Runs on the seeds in regression mode during
 * {@code mvn test}; the surefire execution {@code fuzz-pdu} fuzzes it for its maxDuration.
 */
class PduDecoderFuzzTest {

    @org.junit.jupiter.api.Tag("fuzz-pdu")
    @Timeout(10)
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(16384, 65536));
        try {
            // split into two reads at a position taken from the input itself
            int cut = input.length == 0 ? 0 : (input[0] & 0xff) % (input.length + 1);
            ch.writeInbound(Unpooled.wrappedBuffer(input, 0, cut));
            ch.writeInbound(Unpooled.wrappedBuffer(input, cut, input.length - cut));
            int invalid = 0;
            Object msg;
            while ((msg = ch.readInbound()) != null) {
                if (msg instanceof InvalidPdu) {
                    invalid++;
                } else if (msg instanceof PDataTF p) {
                    try {
                        p.forEachPdv((pcid, mch, frag) -> frag.readableBytes());
                    } catch (MalformedPduException expected) {
                        // a bad PDV item length: the association aborts
                    } finally {
                        p.release();
                    }
                } else if (msg instanceof AAssociateRQ || msg instanceof AAssociateAC) {
                    Object again = reencode((Pdu) msg);
                    assertEquals(bytes((Pdu) msg), bytes((Pdu) again), "re-encoded A-ASSOCIATE PDU decodes differently");
                } else {
                    assertTrue(msg instanceof Pdu, msg.getClass().getName());
                }
            }
            assertTrue(invalid <= 1, "at most one InvalidPdu, then everything is discarded");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static String bytes(Pdu pdu) {
        ByteBuf b = Unpooled.buffer();
        PduEncoder.encode(pdu, b);
        return io.netty.buffer.ByteBufUtil.hexDump(b);
    }

    private static Object reencode(Pdu pdu) {
        ByteBuf b = Unpooled.buffer();
        PduEncoder.encode(pdu, b);
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(16384, 1 << 20));
        try {
            ch.writeInbound(b);
            return ch.readInbound();
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
