package org.cameldicomsecure.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.ResourceLeakDetector;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.net.assoc.Association;
import org.cameldicomsecure.net.assoc.AssociationConfig;
import org.cameldicomsecure.net.assoc.AssociationInfo;
import org.cameldicomsecure.net.assoc.AssociationListener;
import org.cameldicomsecure.net.assoc.AssociationRejectedException;
import org.cameldicomsecure.net.dimse.ReceivedInstance;
import org.cameldicomsecure.net.dimse.Status;
import org.cameldicomsecure.net.dimse.StoreResult;
import org.cameldicomsecure.net.pdu.AAssociateRJ;
import org.cameldicomsecure.net.pdu.AAssociateRQ;
import org.cameldicomsecure.net.pdu.PresentationContextRQ;
import org.cameldicomsecure.net.pdu.UserInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our requestor against our acceptor over loopback TCP: negotiation, C-ECHO, C-STORE, failures, release. */
class LoopbackAssociationTest {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String VERIFICATION = "1.2.840.10008.1.1";

    @TempDir
    Path dir;

    private EventLoopGroup group;
    private ExecutorService blocking;
    private DicomServer server;
    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        group = new NioEventLoopGroup(2);
        blocking = Executors.newCachedThreadPool();
        AssociationListener listener = new AssociationListener() {
            @Override
            public void accepted(AssociationInfo a) {
                events.add("accepted " + a.callingAet());
            }

            @Override
            public void rejected(java.net.SocketAddress p, String calling, String called, AAssociateRJ rj, String w) {
                events.add("rejected " + calling);
            }

            @Override
            public void released(AssociationInfo a) {
                events.add("released " + a.callingAet());
            }

            @Override
            public void instanceTransferred(AssociationInfo a, String cls, String inst, long bytes, int status) {
                events.add("stored " + inst + " " + Status.toHex(status));
            }
        };
        AssociationConfig cfg = AssociationConfig.defaults(blocking).withListener(listener)
                .withDataSetMemoryThreshold(64 * 1024, dir);
        DefaultAcceptorPolicy policy = new DefaultAcceptorPolicy("STORESCP",
                uid -> uid.equals(CT) || uid.equals(VERIFICATION), List.of(), Set.of("MODALITY"),
                (id, peer, calling) -> DefaultAcceptorPolicy.IdentityDecision.ANONYMOUS, null,
                UserInformation.of(cfg.maxPduLength(), cfg.implementationClassUid(), cfg.implementationVersion()));
        server = DicomServer.start(new InetSocketAddress("127.0.0.1", 0), group, group, cfg, policy,
                (assoc, cmd, instance) -> CompletableFuture.supplyAsync(() -> handle(instance), blocking), null, 10_000);
    }

    private StoreResult handle(ReceivedInstance instance) {
        try (instance) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (InputStream in = instance.openDataSet()) {
                in.transferTo(bos);
            }
            if (instance.sopInstanceUid().endsWith(".666")) {
                throw new IllegalStateException("route failed");
            }
            received.add(bos.toByteArray());
            return StoreResult.SUCCESS;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        blocking.shutdownNow();
    }

    private AAssociateRQ rq(String calling, String called) {
        return new AAssociateRQ(1, called, calling, AAssociateRQ.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextRQ(1, VERIFICATION, List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid())),
                        new PresentationContextRQ(3, CT, List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
                                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid()))),
                UserInformation.of(16384, AssociationConfig.IMPLEMENTATION_CLASS_UID, "TEST"));
    }

    private Association connect(String calling, String called) throws Exception {
        return DicomClient.connect(group, server.localAddress(), AssociationConfig.defaults(blocking),
                rq(calling, called), null, 5000).get(10, TimeUnit.SECONDS);
    }

    private static DicomFile instance(String uid, int pixelBytes) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, CT);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
        ds.setString(Tag.PatientName, VR.PN, "Test^Patient");
        byte[] px = new byte[pixelBytes];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        ds.setBytes(Tag.PixelData, VR.OW, px);
        return new DicomFile(null, null, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static byte[] encoded(DicomFile f) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        new DicomWriter().writeDataset(f.dataset(), f.transferSyntax(), bos);
        return bos.toByteArray();
    }

    @Test
    void echoStoreAndRelease() throws Exception {
        try (Association a = connect("MODALITY", "STORESCP")) {
            assertEquals(0, a.echo().get(10, TimeUnit.SECONDS).getInt(Tag.Status, -1));
            DicomFile small = instance("1.2.3.1", 1000);
            DicomFile large = instance("1.2.3.2", 3 * 1024 * 1024);
            assertEquals(Status.SUCCESS, a.store(small, 0).get(10, TimeUnit.SECONDS).getInt(Tag.Status, -1));
            assertEquals(Status.SUCCESS, a.store(large, 0).get(30, TimeUnit.SECONDS).getInt(Tag.Status, -1));
            // a failing route is answered with a failure status, never success
            Dataset rsp = a.store(instance("1.2.3.666", 10), 0).get(10, TimeUnit.SECONDS);
            assertEquals(Status.OUT_OF_RESOURCES, rsp.getInt(Tag.Status, -1));
            assertArrayEquals(encoded(small), received.get(0));
            assertArrayEquals(encoded(large), received.get(1));
            assertEquals(2, received.size());
            a.release().get(10, TimeUnit.SECONDS);
        }
        // the listener saw it all (released is reported by the acceptor after the RP)
        long deadline = System.currentTimeMillis() + 5000;
        while (!events.contains("released MODALITY") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(events.contains("accepted MODALITY"), events.toString());
        assertTrue(events.contains("stored 1.2.3.2 0000"), events.toString());
        assertTrue(events.contains("stored 1.2.3.666 A700"), events.toString());
        assertTrue(events.contains("released MODALITY"), events.toString());
        // nothing left in the spill directory
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void bulkDataLeftInItsFileIsSentFromTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        // an odd PDU size and pixel data that ends inside a PDU: the file region is cut across fragments
        DicomFile f = instance("1.2.3.3", 3 * 1024 * 1024 + 6);
        java.nio.file.Path file = tmp.resolve("ct.dcm");
        Dataset meta = new Dataset();
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        new DicomWriter().write(new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, f.dataset(),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), file);
        DicomFile fromFile = new org.cameldicomsecure.dicom.io.DicomReader(
                org.cameldicomsecure.dicom.io.DicomReaderOptions.DEFAULT.withBulkDataThreshold(1024)).read(file);
        assertTrue(fromFile.dataset().value(Tag.PixelData) instanceof org.cameldicomsecure.dicom.FileRegion,
                "the pixel data stays in the file");
        try (Association a = connect("MODALITY", "STORESCP")) {
            assertEquals(Status.SUCCESS, a.store(fromFile, 0).get(30, TimeUnit.SECONDS).getInt(Tag.Status, -1));
            a.release().get(10, TimeUnit.SECONDS);
        }
        assertArrayEquals(encoded(f), received.get(0));
    }

    @Test
    void rejectsUnknownCallingAndCalledAeTitles() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> DicomClient.connect(group, server.localAddress(), AssociationConfig.defaults(blocking),
                        rq("INTRUDER", "STORESCP"), null, 5000).get(10, TimeUnit.SECONDS));
        AssociationRejectedException rj = assertInstanceOf(AssociationRejectedException.class, e.getCause());
        assertEquals(AAssociateRJ.USER_CALLING_AE_TITLE_NOT_RECOGNIZED, rj.reject().reason());
        ExecutionException e2 = assertThrows(ExecutionException.class,
                () -> DicomClient.connect(group, server.localAddress(), AssociationConfig.defaults(blocking),
                        rq("MODALITY", "OTHER"), null, 5000).get(10, TimeUnit.SECONDS));
        assertEquals(AAssociateRJ.USER_CALLED_AE_TITLE_NOT_RECOGNIZED,
                ((AssociationRejectedException) e2.getCause()).reject().reason());
        assertTrue(received.isEmpty());
    }

    @Test
    void garbageIsAbortedAndTheServerStaysUp() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.localAddress().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0x09, 0, 0, 0, 0, 4, 1, 2, 3, 4});
            out.flush();
            InputStream in = s.getInputStream();
            byte[] abort = in.readNBytes(10);
            assertEquals(0x07, abort[0], "A-ABORT expected");
            assertEquals(2, abort[8], "source: service-provider");
            assertEquals(1, abort[9], "reason: unrecognized-PDU");
            assertEquals(-1, in.read(), "then the connection closes");
        }
        try (Association a = connect("MODALITY", "STORESCP")) {
            assertTrue(a.isOpen());
            assertEquals(0, a.echo().get(10, TimeUnit.SECONDS).getInt(Tag.Status, -1));
        }
    }

    @Test
    void abortMidTransferPassesNothingOn() throws Exception {
        Association a = connect("MODALITY", "STORESCP");
        // send only the command of a C-STORE with a data set, then drop the connection
        Dataset cmd = org.cameldicomsecure.net.dimse.Commands.storeRq(7, CT, "1.2.3.9", 0);
        assertThrows(java.io.IOException.class, () -> a.send(3, 7, cmd, (out, ts) -> {
            out.write(new byte[40000]);
            throw new java.io.IOException("simulated failure mid data set");
        }));
        long deadline = System.currentTimeMillis() + 5000;
        while (a.isOpen() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(a.isOpen(), "a half-sent message aborts the association");
        Thread.sleep(200);
        assertTrue(received.isEmpty(), "nothing partial reaches the store service");
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(0, files.count(), "the partial data set was discarded");
        }
    }

    @Test
    void concurrentSendersShareOneAssociationOneRequestAtATime() throws Exception {
        try (Association a = connect("MODALITY", "STORESCP")) {
            ExecutorService senders = Executors.newFixedThreadPool(4);
            List<CompletableFuture<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String uid = "1.2.3.50." + i;
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return a.store(instance(uid, 20000), 0).get(30, TimeUnit.SECONDS).getInt(Tag.Status, -1);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, senders));
            }
            for (CompletableFuture<Integer> r : results) {
                assertEquals(Status.SUCCESS, r.get(60, TimeUnit.SECONDS));
            }
            senders.shutdown();
            assertEquals(12, received.size());
        }
    }
}
