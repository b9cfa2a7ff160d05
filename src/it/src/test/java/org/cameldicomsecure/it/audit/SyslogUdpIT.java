package org.cameldicomsecure.it.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.cameldicomsecure.audit.trail.RecordRejectedException;
import org.cameldicomsecure.audit.trail.Rfc5424;
import org.cameldicomsecure.audit.trail.SpooledRecord;
import org.cameldicomsecure.audit.trail.SyslogOptions;
import org.cameldicomsecure.audit.trail.SyslogProtocol;
import org.cameldicomsecure.audit.trail.SyslogSink;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.it.peers.Rsyslog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PS3.15 A.7 SYSLOG-UDP (RFC 5426) against a real rsyslog 8 with imudp: one message per datagram, never truncated. */
class SyslogUdpIT {

    private static Rsyslog rsyslog;

    @BeforeAll
    static void startRsyslog() throws Exception {
        rsyslog = Rsyslog.startUdp(Peers.forTest(SyslogUdpIT.class), Rsyslog.newDir("rsyslog-udp-"));
    }

    @AfterAll
    static void stopRsyslog() throws Exception {
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    private static SyslogSink sink(int maxDatagramSize) {
        return new SyslogSink(SyslogOptions.builder().protocol(SyslogProtocol.UDP).host("127.0.0.1")
                .port(rsyslog.port()).severity(4).hostname("gateway.example.org").zone(ZoneOffset.UTC)
                .maxDatagramSize(maxDatagramSize).build());
    }

    @Test
    void imudpReceivesEveryMessage() throws Exception {
        int before = rsyslog.messages().size();
        List<SpooledRecord> sent = new ArrayList<>();
        for (long seq = 1; seq <= 200; seq++) {
            sent.add(new SpooledRecord(seq, AuditEvents.transferred(seq, seq == 100 ? 1300 : 1 + (int) (seq % 5),
                    seq % 2 == 0)));
        }
        Rfc5424 format;
        try (SyslogSink sink = sink(SyslogOptions.DEFAULT_MAX_DATAGRAM_SIZE)) {
            format = sink.options().rfc5424();
            for (int i = 0; i < sent.size(); i += 20) {
                sink.send(sent.subList(i, i + 20));
                Thread.sleep(5);
            }
            assertEquals(200, sink.confirmed());
        }
        List<byte[]> got = rsyslog.awaitMessages(before + 200, 20_000);
        assertEquals(before + 200, got.size());
        int largest = 0;
        for (int i = 0; i < 200; i++) {
            byte[] expected = format.format(sent.get(i));
            assertArrayEquals(expected, got.get(before + i), "datagram " + (i + 1));
            largest = Math.max(largest, expected.length);
        }
        assertTrue(largest > 32768, "a large datagram too: " + largest);
        List<String> headers = rsyslog.headers();
        assertTrue(headers.get(before).startsWith("84|1|2024-05-17T07:31:02.130456Z|gateway.example.org|"
                + "camel-dicom-secure|"), headers.get(before));
    }

    @Test
    void aMessageLargerThanTheDatagramLimitIsRefusedNotTruncated() throws Exception {
        int before = rsyslog.messages().size();
        SpooledRecord small = new SpooledRecord(1, AuditEvents.transferred(1, 1, false));
        SpooledRecord big = new SpooledRecord(2, AuditEvents.transferred(2, 40, false));
        SpooledRecord after = new SpooledRecord(3, AuditEvents.transferred(3, 1, true));
        try (SyslogSink sink = sink(2048)) {
            assertTrue(sink.options().rfc5424().format(small).length <= 2048);
            assertTrue(sink.options().rfc5424().format(big).length > 2048);
            RecordRejectedException e = assertThrows(RecordRejectedException.class,
                    () -> sink.send(List.of(small, big)));
            assertEquals(2, e.sequence());
            sink.send(List.of(after));
            assertEquals(3, sink.confirmed());
        }
        try (SyslogSink sink = sink(SyslogOptions.DEFAULT_MAX_DATAGRAM_SIZE)) {
            SpooledRecord huge = new SpooledRecord(4, AuditEvents.transferred(4, 3000, false));
            RecordRejectedException e = assertThrows(RecordRejectedException.class, () -> sink.send(List.of(huge)));
            assertEquals(4, e.sequence());
            assertTrue(e.getMessage().contains("maxDatagramSize 65507"), e.getMessage());
        }
        List<byte[]> got = rsyslog.awaitMessages(before + 2, 10_000);
        Thread.sleep(500);
        got = rsyslog.messages();
        assertEquals(before + 2, got.size(), "only the two that fit");
        assertTrue(new String(got.get(before), java.nio.charset.StandardCharsets.UTF_8).contains("sequenceId=\"1\""));
        assertTrue(new String(got.get(before + 1), java.nio.charset.StandardCharsets.UTF_8)
                .contains("sequenceId=\"3\""));
    }
}
