package org.cameldicomsecure.it.dicomtls;

import static org.cameldicomsecure.it.dicomtls.ItSupport.GATEWAY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.it.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and hostile input against our consumer over plain TCP ({@code tlsProfile=NONE}), from a raw
 * {@link java.net.Socket} speaking hand-made PDUs ({@link RawPdus}): an unknown PDU type (before and after
 * association), a PDU whose length runs past what is sent, a P-DATA-TF larger than the negotiated maximum, a truncated
 * PDU, a peer that connects and says nothing (ARTIM, {@code artimTimeout=1000}), and an A-ABORT in the middle of a
 * C-STORE data set ({@code dataSetMemoryThreshold=4096}, so that the partial data set is spilled to a
 * {@code dimse-*.bin} file first).
 *
 * <p>After each: the consumer still answers ({@code echoscu}), nothing partial reached the route, and no
 * {@code dimse-*.bin} file made during the test is left in {@code java.io.tmpdir}.
 */
class ProtocolRobustnessIT {

    /** Maximum Length our consumer announces (its default), and the data a PDV of such a PDU holds. */
    static final int MAX_PDU = 16384;
    static final int MAX_PDV_DATA = MAX_PDU - 6;
    static final Path TMP = Paths.get(System.getProperty("java.io.tmpdir"));

    @TempDir
    static Path dir;
    static Peers peers;
    static List<ItData.Instance> instances;
    static int port;
    static Path out;
    static CamelContext camel;
    static final ItSupport.Recorder RECORDER = new ItSupport.Recorder();
    static final ItSupport.Events EVENTS = new ItSupport.Events();
    Set<Path> spillFilesBefore;

    @BeforeAll
    static void setUp() throws Exception {
        ItSupport.requireDcmtkAndOpenssl();
        peers = Peers.forTest(ProtocolRobustnessIT.class);
        instances = ItData.write(dir.resolve("in"), "robust", 2, 2);
        port = ItSupport.freePort();
        out = dir.resolve("out");
        String uri = "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?tlsProfile=NONE&artimTimeout=1000"
                + "&dataSetMemoryThreshold=4096&associationListener=#events";
        camel = ItSupport.camel(Map.of("events", EVENTS), new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(RECORDER).to("file:" + out + "?fileName=${header.CamelDicomSopInstanceUid}.dcm");
            }
        });
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    @BeforeEach
    void before() throws IOException {
        RECORDER.clear();
        EVENTS.clear();
        spillFilesBefore = spillFiles();
    }

    /**
     * The consumer survived: a real peer's C-ECHO succeeds. No spill file of this test is left once what is
     * unreachable has been collected (the tests that abort a data set check before that, without the collector).
     */
    @AfterEach
    void consumerStillAnswers() throws Exception {
        peers.run("echoscu", dir, Peers.cmd("echoscu", "-v", "-aec", GATEWAY, "127.0.0.1", port)).assertSuccess();
        awaitNoNewSpillFiles("the spill files of this test", true);
    }

    /** Waits up to 3 s for the {@code dimse-*.bin} files made since the test began to be deleted. */
    void awaitNoNewSpillFiles(String what, boolean collectGarbage) throws InterruptedException {
        long end = System.currentTimeMillis() + 3000;
        while (!newSpillFiles().isEmpty() && System.currentTimeMillis() < end) {
            if (collectGarbage) {
                System.gc();
            }
            Thread.sleep(50);
        }
        assertEquals(Set.of(), newSpillFiles(), what + " should be deleted");
    }

    static Set<Path> spillFiles() throws IOException {
        try (Stream<Path> s = Files.list(TMP)) {
            return s.filter(p -> p.getFileName().toString().matches("dimse-.*\\.bin")).collect(Collectors.toSet());
        }
    }

    Set<Path> newSpillFiles() {
        try {
            Set<Path> now = new HashSet<>(spillFiles());
            now.removeAll(spillFilesBefore);
            return now;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertNothingReachedTheRoute() throws Exception {
        Thread.sleep(100);
        assertEquals(0, RECORDER.count(), "nothing reaches the route");
        assertEquals(List.of(), ItSupport.list(out));
    }

    private static void assertAbort(RawPdus.Pdu pdu, int reason) {
        assertNotNull(pdu, "an A-ABORT before the close");
        assertEquals(RawPdus.A_ABORT, pdu.type(), "A-ABORT");
        assertEquals(2, pdu.body()[2], "source: service-provider");
        assertEquals(reason, pdu.body()[3], "reason");
    }

    private static RawPdus.Conn associated() throws IOException {
        return new RawPdus.Conn(port).associate(GATEWAY, ItData.SC, ItData.EXPLICIT_LE);
    }

    @Test
    void unknownPduTypeBeforeAssociation() throws Exception {
        try (RawPdus.Conn c = new RawPdus.Conn(port)) {
            c.send(RawPdus.pdu(0x0A, new byte[4]));
            assertAbort(c.read(), 1); // unrecognized-PDU
            assertTrue(c.closedWithin(2000));
        }
        assertNothingReachedTheRoute();
    }

    @Test
    void unknownPduTypeAfterAssociation() throws Exception {
        try (RawPdus.Conn c = associated()) {
            c.send(RawPdus.pdu(0xFF, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
            assertAbort(c.read(), 1);
            assertTrue(c.closedWithin(2000));
        }
        assertNothingReachedTheRoute();
    }

    @Test
    void pduLengthPastTheEndThenClose() throws Exception {
        ItData.Instance big = instances.get(0);
        byte[] data = ItData.split(big.file()).dataSet();
        try (RawPdus.Conn c = associated()) {
            byte[] command = RawPdus.cStoreRq(ItData.SC, big.sopInstanceUid(), 1);
            c.send(RawPdus.pData(1, true, true, command, 0, command.length));
            c.send(RawPdus.pData(1, false, false, data, 0, 8192)); // beyond the threshold: spilled
            ItSupport.await(() -> !newSpillFiles().isEmpty(), 2000, "the partial data set to be spilled");
            // a P-DATA-TF that announces 16000 bytes and brings 100
            byte[] full = RawPdus.pData(1, false, true, data, 8192, 15994);
            c.send(Arrays.copyOf(full, 106));
            c.socket.shutdownOutput();
            assertTrue(c.closedWithin(2000), "the consumer closes its side after the peer's end of stream");
        }
        awaitNoNewSpillFiles("the partial data set's spill file", false);
        assertNothingReachedTheRoute();
    }

    @Test
    void pDataLargerThanTheNegotiatedMaximum() throws Exception {
        try (RawPdus.Conn c = associated()) {
            // only the header: the limit is checked before the body is read
            c.send(ByteBuffer.allocate(6).put((byte) RawPdus.P_DATA_TF).put((byte) 0).putInt(MAX_PDU + 1).array());
            assertAbort(c.read(), 6); // invalid-PDU-parameter value
            assertTrue(c.closedWithin(2000));
        }
        assertNothingReachedTheRoute();
    }

    @Test
    void truncatedPduThenClose() throws Exception {
        byte[] rq = RawPdus.associateRq(GATEWAY, "RAWSCU", ItData.SC, ItData.EXPLICIT_LE, MAX_PDU);
        try (RawPdus.Conn c = new RawPdus.Conn(port)) {
            c.send(Arrays.copyOf(rq, 40));
            c.socket.shutdownOutput();
            assertTrue(c.closedWithin(2000));
        }
        assertNothingReachedTheRoute();
        assertTrue(EVENTS.accepted.isEmpty());
    }

    @Test
    void silentPeerIsClosedByArtim() throws Exception {
        try (RawPdus.Conn c = new RawPdus.Conn(port)) {
            long t0 = System.nanoTime();
            assertTrue(c.closedWithin(2500), "closed within 2.5 s (artimTimeout=1000)");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 800, "not before the ARTIM timeout: " + ms + " ms");
        }
        assertNothingReachedTheRoute();
        ItSupport.await(() -> EVENTS.aborts.stream().anyMatch(s -> s.contains("ARTIM")), 1000,
                "an ARTIM event: " + EVENTS.aborts);
    }

    @Test
    void abortInTheMiddleOfAStoreDataSet() throws Exception {
        ItData.Instance big = instances.get(0);
        byte[] data = ItData.split(big.file()).dataSet();
        byte[] command = RawPdus.cStoreRq(ItData.SC, big.sopInstanceUid(), 1);
        try (RawPdus.Conn c = associated()) {
            c.send(RawPdus.pData(1, true, true, command, 0, command.length));
            int sent = 0;
            for (int i = 0; i < 10; i++) {
                c.send(RawPdus.pData(1, false, false, data, sent, MAX_PDV_DATA));
                sent += MAX_PDV_DATA;
            }
            assertTrue(sent < data.length);
            ItSupport.await(() -> !newSpillFiles().isEmpty(), 2000, "the partial data set to be spilled");
            c.send(RawPdus.abort());
            assertTrue(c.closedWithin(2000), "the consumer closes after an A-ABORT");
        }
        awaitNoNewSpillFiles("the aborted data set's spill file", false);
        assertNothingReachedTheRoute();

        // the same instance, sent properly by a real peer, arrives whole
        peers.run("storescu-after-abort", dir, ItSupport.storescu(port, List.of(), List.of(big.file())))
                .assertSuccess();
        assertEquals(List.of(big.sopInstanceUid()), RECORDER.sopInstanceUids());
        assertArrayEquals(data, ItData.split(out.resolve(big.sopInstanceUid() + ".dcm")).dataSet());
        ItSupport.list(out).forEach(p -> p.toFile().delete());
    }

    @Test
    void releaseAfterACompleteStoreOverRawPdus() throws Exception {
        // the raw client is right: a complete C-STORE gets a success response and arrives
        ItData.Instance small = instances.get(2);
        byte[] data = ItData.split(small.file()).dataSet();
        byte[] command = RawPdus.cStoreRq(ItData.SC, small.sopInstanceUid(), 7);
        try (RawPdus.Conn c = associated()) {
            c.send(RawPdus.pData(1, true, true, command, 0, command.length));
            c.send(RawPdus.pData(1, false, true, data, 0, data.length));
            RawPdus.Pdu rsp = c.read();
            assertEquals(RawPdus.P_DATA_TF, rsp.type());
            assertEquals(3, rsp.body()[5], "a command PDV, last fragment");
            c.send(RawPdus.releaseRq());
            assertEquals(RawPdus.A_RELEASE_RP, c.read().type());
        }
        assertEquals(List.of(small.sopInstanceUid()), RECORDER.sopInstanceUids());
        assertArrayEquals(data, ItData.split(out.resolve(small.sopInstanceUid() + ".dcm")).dataSet());
        assertNull(RECORDER.headers.get(0).get("CamelDicomRemoteCertificateSubject"));
        assertFalse(EVENTS.accepted.isEmpty());
        ItSupport.list(out).forEach(p -> p.toFile().delete());
    }

    /**
     * A spilled instance that the route has finished with: nothing closes it (by design the body may outlive its
     * exchange, e.g. in an aggregator), so its {@code dimse-*.bin} file goes once the instance is unreachable, through
     * the buffer's Cleaner. Observed here with an explicit {@code System.gc()}; whether the file was still there when
     * storescu got its response is printed, not asserted.
     */
    @Test
    void spillFileOfADeliveredInstanceIsDeletedOnceUnreachable() throws Exception {
        ItData.Instance big = instances.get(1);
        peers.run("storescu-spilled", dir, ItSupport.storescu(port, List.of(), List.of(big.file()))).assertSuccess();
        assertEquals(List.of(big.sopInstanceUid()), RECORDER.sopInstanceUids());
        System.out.println("spill files of the delivered instance right after its C-STORE-RSP: " + newSpillFiles());
        ItSupport.list(out).forEach(p -> p.toFile().delete());
        RECORDER.clear();
        awaitNoNewSpillFiles("the delivered instance's spill file, once unreachable", true);
    }
}
