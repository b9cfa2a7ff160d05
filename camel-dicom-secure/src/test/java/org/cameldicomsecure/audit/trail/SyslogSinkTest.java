package org.cameldicomsecure.audit.trail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sink against small receivers made of JDK sockets in the test (an RFC 5425 octet-counting reader and an RFC 5426
 * datagram socket); the ITs run it against rsyslog.
 */
class SyslogSinkTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private static SpooledRecord rec(long seq, String payload) {
        return Rfc5424Test.record(seq, Instant.parse("2024-05-17T07:31:02.5Z"),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    private static List<SpooledRecord> recs(long from, long to) {
        List<SpooledRecord> l = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            l.add(rec(s, "<AuditMessage n=\"" + s + "\">\n  <x>line</x>\n</AuditMessage>"));
        }
        return l;
    }

    private SyslogOptions.Builder options(SyslogProtocol protocol, int port) {
        return SyslogOptions.builder().protocol(protocol).host("127.0.0.1").port(port).hostname("test-host")
                .procId("77").zone(ZoneOffset.UTC).confirmDelay(Duration.ofMillis(200))
                .connectTimeout(Duration.ofSeconds(3));
    }

    private SyslogSink sink(SyslogOptions o) {
        SyslogSink s = new SyslogSink(o);
        toClose.add(s);
        return s;
    }

    @Test
    void tcpFramesEveryMessageByOctetCountingAndConfirmsAfterTheDelay() throws Exception {
        TcpReceiver r = new TcpReceiver();
        SyslogSink sink = sink(options(SyslogProtocol.TCP, r.port()).build());
        Rfc5424 f = sink.options().rfc5424();
        List<SpooledRecord> batch = recs(1, 50);
        long t0 = System.nanoTime();
        sink.send(batch);
        assertTrue(sink.confirmed() < 50, "not confirmed before the confirm delay");
        assertTrue(sink.drain(5000));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(200), "drain waited for the delay");
        assertEquals(50, sink.confirmed());
        List<byte[]> got = r.await(50);
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(f.format(batch.get(i)), got.get(i), "message " + (i + 1));
        }
        String first = new String(got.get(0), StandardCharsets.UTF_8);
        assertTrue(first.startsWith("<85>1 2024-05-17T07:31:02.500000Z test-host camel-dicom-secure 77 "
                + "DICOM+RFC3881 [meta sequenceId=\"1\"] \uFEFF<AuditMessage n=\"1\">\n"), first);
        assertEquals(1, r.connections.size(), "one connection");
    }

    @Test
    void aLaterWriteAfterTheDelayConfirmsEarlierOnes() throws Exception {
        TcpReceiver r = new TcpReceiver();
        SyslogSink sink = sink(options(SyslogProtocol.TCP, r.port()).confirmDelay(Duration.ofMillis(300)).build());
        sink.send(recs(1, 3));
        r.await(3);
        assertEquals(0, sink.confirmed());
        Thread.sleep(400);
        sink.send(recs(4, 4));
        assertTrue(sink.confirmed() >= 3);
        assertTrue(sink.drain(5000));
        assertEquals(4, sink.confirmed());
    }

    @Test
    void aDroppedConnectionFailsTheNextSendAndNothingAfterConfirmedIsLost() throws Exception {
        TcpReceiver r = new TcpReceiver();
        SyslogSink sink = sink(options(SyslogProtocol.TCP, r.port()).confirmDelay(Duration.ofMillis(500)).build());
        sink.send(recs(1, 10));
        assertTrue(sink.drain(5000));
        assertEquals(10, sink.confirmed());
        sink.send(recs(11, 20));
        r.await(20);
        r.dropConnections();
        // the sink sees the close at once; what was written within the delay stays unconfirmed
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        IOException failure = null;
        while (failure == null && System.nanoTime() < deadline) {
            try {
                sink.send(List.of());
                Thread.sleep(20);
            } catch (IOException e) {
                failure = e;
            }
        }
        assertTrue(failure != null, "an empty send reports the lost connection");
        assertTrue(failure.getMessage().contains("127.0.0.1:" + r.port()), failure.getMessage());
        assertEquals(10, sink.confirmed(), "what was written in the last confirmDelay is not confirmed");
        assertFalse(sink.drain(100));
        // the trail re-sends everything after confirmed(): a new connection
        sink.send(recs(11, 25));
        assertTrue(sink.drain(5000));
        assertEquals(25, sink.confirmed());
        List<byte[]> got = r.await(35);
        assertEquals(2, r.connections.size());
        List<Long> ids = new ArrayList<>();
        for (byte[] m : got) {
            String s = new String(m, StandardCharsets.UTF_8);
            int i = s.indexOf("sequenceId=\"") + 12;
            ids.add(Long.parseLong(s.substring(i, s.indexOf('"', i))));
        }
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= 20; s++) {
            expected.add(s);
        }
        for (long s = 11; s <= 25; s++) {
            expected.add(s);
        }
        assertEquals(expected, ids, "duplicates after the failure, detectable by sequenceId, nothing missing");
    }

    @Test
    void aFailureDuringSendIsThrownFromSend() throws Exception {
        TcpReceiver r = new TcpReceiver();
        SyslogSink sink = sink(options(SyslogProtocol.TCP, r.port()).build());
        sink.send(recs(1, 1));
        r.await(1);
        r.dropConnections();
        r.close();
        Thread.sleep(200);
        assertThrows(IOException.class, () -> sink.send(recs(2, 2)));
        IOException e = assertThrows(IOException.class, () -> sink.send(recs(1, 2)));
        assertTrue(e.getMessage().contains("cannot connect to the syslog receiver TCP 127.0.0.1:" + r.port()),
                e.getMessage());
        assertEquals(0, sink.confirmed());
    }

    @Test
    void largeMessagesAreCarriedWholeAndTooLargeOnesRefused() throws Exception {
        TcpReceiver r = new TcpReceiver();
        SyslogSink sink = sink(options(SyslogProtocol.TCP, r.port()).maxMessageSize(200_000).build());
        String big = "<AuditMessage>" + "ü".repeat(60_000) + "\n".repeat(1000) + "</AuditMessage>";
        SpooledRecord large = rec(1, big);
        sink.send(List.of(large));
        SpooledRecord tooLarge = rec(2, "x".repeat(200_001));
        RecordRejectedException e = assertThrows(RecordRejectedException.class,
                () -> sink.send(List.of(tooLarge, rec(3, "<a/>"))));
        assertEquals(2, e.sequence());
        assertTrue(e.getMessage().contains("maxMessageSize"), e.getMessage());
        sink.send(List.of(rec(3, "<a/>")));
        assertTrue(sink.drain(5000));
        assertEquals(3, sink.confirmed());
        List<byte[]> got = r.await(2);
        assertArrayEquals(sink.options().rfc5424().format(large), got.get(0));
        assertTrue(got.get(0).length > 120_000);
        assertTrue(new String(got.get(1), StandardCharsets.UTF_8).endsWith("<a/>"));
        Thread.sleep(100);
        assertEquals(2, r.received.size(), "the refused record was not sent");
    }

    @Test
    void aRefusedLastRecordIsConfirmedWithWhatCameBefore() throws Exception {
        TcpReceiver r = new TcpReceiver();
        SyslogSink sink = sink(options(SyslogProtocol.TCP, r.port()).build());
        List<SpooledRecord> batch = new ArrayList<>(recs(1, 5));
        batch.add(Rfc5424Test.record(6, Instant.now(), new byte[] {(byte) 0xFF}));
        assertThrows(RecordRejectedException.class, () -> sink.send(batch));
        assertTrue(sink.drain(5000));
        assertEquals(6, sink.confirmed());
        assertEquals(5, r.await(5).size());
    }

    @Test
    void aReceiverThatDoesNotReadBlocksSendUntilTheWriteTimeout() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ss.setReceiveBufferSize(64 * 1024);
            LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
            Thread t = new Thread(() -> {
                try {
                    accepted.add(ss.accept()); // and never read
                } catch (IOException ignored) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            SyslogSink sink = sink(options(SyslogProtocol.TCP, ss.getLocalPort())
                    .writeTimeout(Duration.ofMillis(700)).build());
            String payload = "<a>" + "x".repeat(64 * 1024) + "</a>";
            List<SpooledRecord> batch = new ArrayList<>();
            for (int i = 1; i <= 400; i++) { // ~26 MB: far beyond the socket buffers and the high water mark
                batch.add(rec(i, payload));
            }
            long t0 = System.nanoTime();
            IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(IOException.class, () -> sink.send(batch)));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(700));
            assertTrue(e.getMessage().contains("writeTimeout"), e.getMessage());
            assertTrue(sink.confirmed() < 400);
            Socket s = accepted.poll(1, TimeUnit.SECONDS);
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void udpSendsOneDatagramPerMessageAndRefusesOversizedOnes() throws Exception {
        try (DatagramSocket ds = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ds.setSoTimeout(5000);
            ds.setReceiveBufferSize(1 << 20);
            SyslogSink sink = sink(options(SyslogProtocol.UDP, ds.getLocalPort()).maxDatagramSize(2048).build());
            Rfc5424 f = sink.options().rfc5424();
            List<SpooledRecord> batch = recs(1, 20);
            sink.send(batch);
            assertEquals(20, sink.confirmed());
            assertTrue(sink.drain(10));
            byte[] buf = new byte[65536];
            for (int i = 0; i < 20; i++) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                ds.receive(p);
                assertArrayEquals(f.format(batch.get(i)), Arrays.copyOf(p.getData(), p.getLength()));
            }
            SpooledRecord fits = rec(21, "x".repeat(2048 - f.header(rec(21, "")).length));
            assertEquals(2048, f.format(fits).length);
            SpooledRecord tooBig = rec(22, "x".repeat(2048 - f.header(rec(22, "")).length + 1));
            RecordRejectedException e = assertThrows(RecordRejectedException.class,
                    () -> sink.send(List.of(fits, tooBig)));
            assertEquals(22, e.sequence());
            assertTrue(e.getMessage().contains("maxDatagramSize 2048"), e.getMessage());
            assertEquals(22, sink.confirmed());
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            ds.receive(p);
            assertEquals(2048, p.getLength());
            ds.setSoTimeout(300);
            assertThrows(java.net.SocketTimeoutException.class, () -> ds.receive(new DatagramPacket(buf, buf.length)),
                    "nothing truncated was sent");
        }
    }

    @Test
    void udpReportsAnUnreachableReceiver() throws Exception {
        int port;
        try (DatagramSocket ds = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = ds.getLocalPort();
        }
        SyslogSink sink = sink(options(SyslogProtocol.UDP, port).build());
        IOException failure = null;
        for (int i = 1; i <= 50 && failure == null; i++) {
            try {
                sink.send(recs(i, i));
                Thread.sleep(20);
            } catch (IOException e) {
                failure = e;
            }
        }
        assertTrue(failure != null, "ICMP port unreachable is reported");
    }

    @Test
    void aClosedSinkRefusesToSend() throws Exception {
        TcpReceiver r = new TcpReceiver();
        SyslogSink sink = sink(options(SyslogProtocol.TCP, r.port()).build());
        sink.send(recs(1, 1));
        sink.close();
        assertThrows(IOException.class, () -> sink.send(recs(2, 2)));
    }

    /** Reads RFC 5425 frames ("LEN SP MSG") from every connection it accepts. */
    private final class TcpReceiver implements AutoCloseable {
        final ServerSocket server;
        final List<byte[]> received = new CopyOnWriteArrayList<>();
        final List<Socket> connections = new CopyOnWriteArrayList<>();

        TcpReceiver() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            toClose.add(this);
            Thread t = new Thread(this::acceptLoop, "test-syslog-receiver");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            try {
                while (true) {
                    Socket s = server.accept();
                    connections.add(s);
                    Thread t = new Thread(() -> read(s));
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException closed) {
                // done
            }
        }

        private void read(Socket s) {
            try (InputStream in = new BufferedInputStream(s.getInputStream())) {
                while (true) {
                    int len = 0;
                    int c;
                    int digits = 0;
                    while ((c = in.read()) != ' ') {
                        if (c < 0) {
                            return;
                        }
                        if (c < '0' || c > '9' || ++digits > 10) {
                            throw new IOException("bad frame length");
                        }
                        len = len * 10 + (c - '0');
                    }
                    received.add(in.readNBytes(len));
                }
            } catch (IOException e) {
                // connection dropped
            }
        }

        List<byte[]> await(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(n, received.size(), "messages received");
            return new ArrayList<>(received);
        }

        void dropConnections() throws IOException {
            for (Socket s : connections) {
                s.close();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            dropConnections();
        }
    }
}
