package org.cameldicomsecure.net.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import org.cameldicomsecure.net.pdu.AAbort;
import org.cameldicomsecure.net.pdu.AAssociateAC;
import org.cameldicomsecure.net.pdu.AAssociateRJ;
import org.cameldicomsecure.net.pdu.AAssociateRQ;
import org.cameldicomsecure.net.pdu.AReleaseRP;
import org.cameldicomsecure.net.pdu.AReleaseRQ;
import org.cameldicomsecure.net.pdu.AsyncOperationsWindow;
import org.cameldicomsecure.net.pdu.CommonExtendedNegotiation;
import org.cameldicomsecure.net.pdu.ExtendedNegotiation;
import org.cameldicomsecure.net.pdu.PDataTF;
import org.cameldicomsecure.net.pdu.PresentationContextAC;
import org.cameldicomsecure.net.pdu.PresentationContextRQ;
import org.cameldicomsecure.net.pdu.RoleSelection;
import org.cameldicomsecure.net.pdu.UnknownItem;
import org.cameldicomsecure.net.pdu.UserIdentityAC;
import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.cameldicomsecure.net.pdu.UserInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real bytes through a real pipeline (encoder → decoder), and malformed input. */
class PduCodecTest {

    private static final String VERIFICATION = "1.2.840.10008.1.1";
    private static final String IMPLICIT = "1.2.840.10008.1.2";
    private static final String EXPLICIT = "1.2.840.10008.1.2.1";

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void paranoid() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel decoder(long maxPData) {
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(maxPData, 1 << 20));
        channels.add(ch);
        return ch;
    }

    private static ByteBuf encode(Object pdu) {
        EmbeddedChannel enc = new EmbeddedChannel(PduEncoder.INSTANCE);
        enc.writeOutbound(pdu);
        ByteBuf all = Unpooled.buffer();
        ByteBuf part;
        while ((part = enc.readOutbound()) != null) {
            all.writeBytes(part);
            part.release();
        }
        enc.finishAndReleaseAll();
        return all;
    }

    private Object roundTrip(Object pdu) {
        EmbeddedChannel ch = decoder(16384);
        ch.writeInbound(encode(pdu));
        return ch.readInbound();
    }

    static AAssociateRQ sampleRQ() {
        UserInformation ui = new UserInformation(16384, "2.25.1234", "CDS_TEST", new AsyncOperationsWindow(0, 1),
                List.of(new RoleSelection(VERIFICATION, true, false)),
                List.of(new ExtendedNegotiation(VERIFICATION, new byte[] {1, 0})),
                List.of(new CommonExtendedNegotiation("1.2.840.10008.5.1.4.1.1.88.40", "1.2.840.10008.4.2",
                        List.of("1.2.840.10008.5.1.4.1.1.88.22"))),
                UserIdentityRQ.usernamePasscode("alice", "s3cret", true), null,
                List.of(new UnknownItem(0x5F, new byte[] {9, 9})));
        return new AAssociateRQ(1, "STORESCP", "STORESCU", AAssociateRQ.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextRQ(1, VERIFICATION, List.of(EXPLICIT, IMPLICIT)),
                        new PresentationContextRQ(3, "1.2.840.10008.5.1.4.1.1.7", List.of(IMPLICIT))),
                ui);
    }

    @Test
    void associateRQRoundTrip() {
        AAssociateRQ rq = sampleRQ();
        AAssociateRQ back = assertInstanceOf(AAssociateRQ.class, roundTrip(rq));
        assertEquals(rq.calledAet(), back.calledAet());
        assertEquals(rq.callingAet(), back.callingAet());
        assertEquals(rq.presentationContexts(), back.presentationContexts());
        UserInformation ui = back.userInformation();
        assertEquals(16384, ui.maxPduLength());
        assertEquals("2.25.1234", ui.implementationClassUid());
        assertEquals("CDS_TEST", ui.implementationVersionName());
        assertEquals(new AsyncOperationsWindow(0, 1), ui.asyncOperationsWindow());
        assertEquals(rq.userInformation().roleSelections(), ui.roleSelections());
        assertArrayEquals(new byte[] {1, 0}, ui.extendedNegotiations().get(0).serviceClassApplicationInformation());
        assertEquals(rq.userInformation().commonExtendedNegotiations(), ui.commonExtendedNegotiations());
        assertEquals("alice", ui.userIdentityRQ().primaryText());
        assertArrayEquals("s3cret".getBytes(), ui.userIdentityRQ().secondaryField());
        assertTrue(ui.userIdentityRQ().positiveResponseRequested());
        assertEquals(0x5F, ui.unknownItems().get(0).type());
        // the encoding is stable: encoding what was decoded gives the same bytes
        assertEquals(encode(rq), encode(back));
    }

    @Test
    void associateACAndOtherPdus() {
        AAssociateAC ac = new AAssociateAC(1, "STORESCP", "STORESCU", AAssociateRQ.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextAC(1, 0, EXPLICIT), new PresentationContextAC(3, 3, "")),
                UserInformation.of(32768, "2.25.99", null).withUserIdentityAC(new UserIdentityAC(new byte[0])));
        AAssociateAC back = assertInstanceOf(AAssociateAC.class, roundTrip(ac));
        assertEquals(ac.presentationContexts(), back.presentationContexts());
        assertEquals(32768, back.userInformation().maxPduLength());
        assertNull(back.userInformation().implementationVersionName());
        assertEquals(0, back.userInformation().userIdentityAC().serverResponse().length);

        assertEquals(new AAssociateRJ(1, 2, 1), roundTrip(new AAssociateRJ(1, 2, 1)));
        assertEquals(AAbort.provider(AAbort.UNEXPECTED_PDU), roundTrip(AAbort.provider(AAbort.UNEXPECTED_PDU)));
        assertEquals(AReleaseRQ.INSTANCE, roundTrip(AReleaseRQ.INSTANCE));
        assertEquals(AReleaseRP.INSTANCE, roundTrip(AReleaseRP.INSTANCE));
    }

    @Test
    void pDataTFIsSplitAcrossReadsAndVisitedPdvByPdv() throws Exception {
        ByteBuf content = Unpooled.buffer();
        content.writeInt(6).writeByte(1).writeByte(PDataTF.COMMAND | PDataTF.LAST).writeInt(0xCAFEBABE);
        content.writeInt(4).writeByte(1).writeByte(0).writeShort(0x1234);
        ByteBuf wire = encode(new PDataTF(content));
        EmbeddedChannel ch = decoder(16384);
        // byte by byte: the decoder must reassemble
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        PDataTF p = ch.readInbound();
        List<String> seen = new ArrayList<>();
        p.forEachPdv((pcid, mch, frag) -> seen.add(pcid + ":" + mch + ":" + frag.readableBytes()));
        p.release();
        assertEquals(List.of("1:3:4", "1:0:2"), seen);
    }

    @Test
    void unknownPduType() {
        EmbeddedChannel ch = decoder(16384);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0}));
        InvalidPdu bad = ch.readInbound();
        assertEquals(AAbort.UNRECOGNIZED_PDU, bad.abortReason());
        assertTrue(bad.message().contains("09H"), bad.message());
        // everything after is discarded
        ch.writeInbound(encode(AReleaseRQ.INSTANCE));
        assertNull(ch.readInbound());
    }

    @Test
    void pDataLargerThanTheNegotiatedMaximumIsRefusedBeforeBuffering() {
        EmbeddedChannel ch = decoder(1024);
        ByteBuf header = Unpooled.buffer().writeByte(4).writeByte(0).writeInt(70000);
        ch.writeInbound(header);
        InvalidPdu bad = ch.readInbound();
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, bad.abortReason());
        assertTrue(bad.message().contains("P-DATA-TF length 70000 exceeds the maximum length 1024"), bad.message());
    }

    @Test
    void truncatedAndLengthPastTheEnd() {
        ByteBuf rq = encode(sampleRQ());
        // an item length that runs past the PDU: corrupt the first item's length (application context at 74)
        rq.setShort(6 + 68 + 2, 0x7FFF);
        EmbeddedChannel ch = decoder(16384);
        ch.writeInbound(rq);
        InvalidPdu bad = ch.readInbound();
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, bad.abortReason());
        assertTrue(bad.message().contains("runs past the end"), bad.message());

        // fixed-length PDU with a wrong length
        EmbeddedChannel ch2 = decoder(16384);
        ch2.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x05, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertTrue(((InvalidPdu) ch2.readInbound()).message().contains("must be 4"));

        // a truncated PDU just waits: nothing is passed on
        EmbeddedChannel ch3 = decoder(16384);
        ByteBuf partial = encode(sampleRQ());
        ch3.writeInbound(partial.readRetainedSlice(partial.readableBytes() - 10));
        partial.release();
        assertNull(ch3.readInbound());
    }

    @Test
    void malformedPdvLength() {
        ByteBuf content = Unpooled.buffer().writeInt(100).writeByte(1).writeByte(3).writeInt(0);
        EmbeddedChannel ch = decoder(16384);
        ch.writeInbound(encode(new PDataTF(content)));
        PDataTF p = ch.readInbound();
        try {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> p.forEachPdv((a, b, c) -> { }));
            assertTrue(e.getMessage().contains("PDV item length 100"), e.getMessage());
        } finally {
            p.release();
        }
    }
}
