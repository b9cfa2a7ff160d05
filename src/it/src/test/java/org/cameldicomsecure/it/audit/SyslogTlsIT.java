package org.cameldicomsecure.it.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.cameldicomsecure.audit.trail.AuditRecord;
import org.cameldicomsecure.audit.trail.Rfc5424;
import org.cameldicomsecure.audit.trail.SpooledRecord;
import org.cameldicomsecure.audit.trail.SyslogOptions;
import org.cameldicomsecure.audit.trail.SyslogProtocol;
import org.cameldicomsecure.audit.trail.SyslogSink;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.it.peers.Rsyslog;
import org.cameldicomsecure.tls.TlsSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PS3.15 A.6 SYSLOG-TLS against a real rsyslog 8 with its GnuTLS driver (imtcp, StreamDriver mode 1, AuthMode
 * x509/name permitting only the audit client's name): mutual TLS, RFC 5425 octet counting, and everything rsyslog
 * wrote compared byte for byte with what was sent; rsyslog's own RFC 5424 parser must read every header field back.
 */
class SyslogTlsIT {

    private static final String HOSTNAME = "gateway.camel-dicom-secure.test";
    private static final ZoneId ZONE = ZoneId.of("Asia/Kolkata"); // +05:30: the offset is written, not just Z

    private static Peers peers;
    private static SyslogPki pki;
    private static Rsyslog rsyslog;

    @BeforeAll
    static void startRsyslog() throws Exception {
        peers = Peers.forTest(SyslogTlsIT.class);
        pki = new SyslogPki(Rsyslog.newDir("syslog-pki-"));
        rsyslog = Rsyslog.startTls(peers, Rsyslog.newDir("rsyslog-tls-"), pki.ca.certPem(), pki.server.certPem(),
                pki.server.keyPem(), "x509/name", List.of(SyslogPki.CLIENT_NAME));
    }

    @AfterAll
    static void stopRsyslog() throws Exception {
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    private static SyslogSink sink(TlsSettings tls, String host) {
        return new SyslogSink(SyslogOptions.builder().protocol(SyslogProtocol.TLS).host(host).port(rsyslog.port())
                .tls(tls).hostname(HOSTNAME).zone(ZONE).connectTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    void mutualTlsDeliversEveryMessageByteForByte() throws Exception {
        int before = rsyslog.messages().size();
        List<SpooledRecord> sent = new ArrayList<>();
        for (long seq = 1; seq <= 400; seq++) {
            int instances = seq % 100 == 0 ? 1500 : seq == 333 ? 8000 : 1 + (int) (seq % 7);
            sent.add(new SpooledRecord(seq, AuditEvents.transferred(seq, instances, seq % 3 == 0)));
        }
        Rfc5424 format;
        try (SyslogSink sink = sink(pki.clientTls(pki.client, pki.ca), "127.0.0.1")) {
            format = sink.options().rfc5424();
            for (int i = 0; i < sent.size(); i += 50) {
                sink.send(sent.subList(i, i + 50));
            }
            assertTrue(sink.drain(15_000), "all confirmed");
            assertEquals(400, sink.confirmed());
        }
        List<byte[]> got = rsyslog.awaitMessages(before + 400, 30_000);
        assertEquals(before + 400, got.size(), "rsyslog wrote every message, once");
        long large = 0;
        long largest = 0;
        for (int i = 0; i < 400; i++) {
            byte[] expected = format.format(sent.get(i));
            assertArrayEquals(expected, got.get(before + i), "message " + (i + 1) + " as rsyslog received it");
            if (expected.length > 32768) {
                large++;
            }
            largest = Math.max(largest, expected.length);
        }
        assertTrue(large >= 5 && largest > 256 * 1024, large + " messages > 32 KiB, largest " + largest);
        String first = new String(got.get(before + 2), StandardCharsets.UTF_8);
        assertTrue(first.startsWith("<85>1 2024-05-17T13:01:02.144456+05:30 " + HOSTNAME + " camel-dicom-secure "
                + ProcessHandle.current().pid() + " DICOM+RFC3881 [meta sequenceId=\"3\"] \uFEFF<?xml")
                || first.startsWith("<85>1 2024-05-17T13:01:02.144456+05:30 " + HOSTNAME + " camel-dicom-secure "
                + ProcessHandle.current().pid() + " DICOM+RFC3881 [meta sequenceId=\"3\"] \uFEFF<AuditMessage"),
                first.substring(0, 200));
        assertTrue(first.contains("\n  <") && first.contains("Müller^Jürgen^Ä"), "multi-line UTF-8 content kept");

        // rsyslog's RFC 5424 parser reads the same fields back
        List<String> headers = rsyslog.headers();
        assertEquals(before + 400, headers.size());
        for (int i = 0; i < 400; i++) {
            SpooledRecord r = sent.get(i);
            String expected = "85|1|" + Rfc5424.timestamp(r.record().time(), ZONE) + "|" + HOSTNAME
                    + "|camel-dicom-secure|" + ProcessHandle.current().pid() + "|DICOM+RFC3881|[meta sequenceId=\""
                    + r.sequence() + "\"]";
            assertEquals(expected, headers.get(before + i), "fields of message " + (i + 1) + " as rsyslog parsed them");
        }
    }

    /** Prints how fast the sink alone (no trail, no spool) writes into rsyslog over TLS; asserts no timing. */
    @Test
    void eventsPerSecondOfTheSinkAlone() throws Exception {
        int before = rsyslog.messages().size();
        int n = 20_000;
        List<SpooledRecord> all = new ArrayList<>();
        for (long seq = 1; seq <= 2L * n; seq++) {
            all.add(new SpooledRecord(seq, AuditEvents.transferred(seq, 1 + (int) (seq % 4), false)));
        }
        try (SyslogSink sink = sink(pki.clientTls(pki.client, pki.ca), "127.0.0.1")) {
            for (int round = 0; round < 2; round++) { // the first warms up
                long t0 = System.nanoTime();
                for (int i = round * n; i < (round + 1) * n; i += 500) {
                    sink.send(all.subList(i, i + 500));
                }
                long t1 = System.nanoTime();
                assertTrue(sink.drain(30_000));
                System.out.printf("SyslogTlsIT: the sink alone wrote %d events into rsyslog over TLS at %.0f "
                        + "events/s (round %d)%n", n, n / ((t1 - t0) / 1e9), round + 1);
            }
            assertEquals(2L * n, sink.confirmed());
        }
        assertEquals(before + 2 * n, rsyslog.awaitMessages(before + 2 * n, 60_000).size());
    }

    @Test
    void theServerCertificateIsCheckedAgainstTheHostName() throws Exception {
        // "localhost" is in the server certificate too
        int before = rsyslog.messages().size();
        try (SyslogSink sink = sink(pki.clientTls(pki.client, pki.ca), "localhost")) {
            sink.send(List.of(new SpooledRecord(1, AuditEvents.transferred(1, 1, false))));
            assertTrue(sink.drain(10_000));
        }
        assertEquals(before + 1, rsyslog.awaitMessages(before + 1, 10_000).size());
    }

    @Test
    void refusedWithoutAClientCertificate() throws Exception {
        try (SyslogSink sink = sink(pki.clientTls(null, pki.ca), "127.0.0.1")) {
            assertRefusedByRsyslog(sink);
        }
    }

    @Test
    void refusedWithAnUntrustedClientCertificate() throws Exception {
        try (SyslogSink sink = sink(pki.clientTls(pki.untrustedClient, pki.ca), "127.0.0.1")) {
            assertRefusedByRsyslog(sink);
        }
    }

    @Test
    void refusedWithATrustedCertificateOfAnotherName() throws Exception {
        try (SyslogSink sink = sink(pki.clientTls(pki.otherName, pki.ca), "127.0.0.1")) {
            assertRefusedByRsyslog(sink);
        }
    }

    @Test
    void theSinkRefusesAServerCertificateFromAnotherCa() throws Exception {
        int before = rsyslog.messages().size();
        try (SyslogSink sink = sink(pki.clientTls(pki.client, pki.otherCa), "127.0.0.1")) {
            IOException e = assertThrows(IOException.class,
                    () -> sink.send(List.of(new SpooledRecord(1, AuditEvents.transferred(1, 1, false)))));
            assertTrue(e.getMessage().contains("TLS handshake with the syslog receiver TLS 127.0.0.1:"
                    + rsyslog.port() + " failed"), e.getMessage());
            assertEquals(0, sink.confirmed());
            assertEquals(0, sink.written(), "nothing was written: the handshake failed first");
        }
        Thread.sleep(1000);
        assertEquals(before, rsyslog.messages().size(), "nothing written");
    }

    /** rsyslog drops the connection: the sink reports the failure and confirms nothing; rsyslog writes nothing. */
    private static void assertRefusedByRsyslog(SyslogSink sink) throws Exception {
        int before = rsyslog.messages().size();
        List<SpooledRecord> batch = new ArrayList<>();
        for (long s = 1; s <= 5; s++) {
            AuditRecord r = AuditEvents.transferred(s, 2, false);
            batch.add(new SpooledRecord(s, r));
        }
        IOException failure = null;
        try {
            sink.send(batch); // over TLS 1.3 the client's handshake ends before the server checks its certificate
        } catch (IOException e) {
            failure = e;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (failure == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
            try {
                sink.send(List.of());
            } catch (IOException e) {
                failure = e;
            }
        }
        assertNotNull(failure, "the sink reports the refusal");
        assertEquals(0, sink.confirmed(), "nothing confirmed");
        assertFalse(sink.drain(1500), "nothing confirmed after the confirm delay either");
        assertEquals(0, sink.confirmed());
        // and again on the next try
        assertThrows(IOException.class, () -> {
            sink.send(batch);
            long until = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < until) {
                Thread.sleep(50);
                sink.send(List.of());
            }
        });
        assertEquals(0, sink.confirmed());
        Thread.sleep(500);
        assertEquals(before, rsyslog.messages().size(), "rsyslog wrote nothing");
        assertTrue(rsyslog.isRunning());
    }
}
