package org.cameldicomsecure.it.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

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

/**
 * syslogProtocol=TCP (RFC 6587 octet counting, no TLS: for a receiver on the same host or behind a TLS proxy)
 * against a real rsyslog 8 with imtcp: every message, large ones included, written byte for byte as sent.
 */
class SyslogTcpIT {

    private static Rsyslog rsyslog;

    @BeforeAll
    static void startRsyslog() throws Exception {
        rsyslog = Rsyslog.startTcp(Peers.forTest(SyslogTcpIT.class), Rsyslog.newDir("rsyslog-tcp-"));
    }

    @AfterAll
    static void stopRsyslog() throws Exception {
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    @Test
    void imtcpReceivesEveryMessageByteForByte() throws Exception {
        int before = rsyslog.messages().size();
        List<SpooledRecord> sent = new ArrayList<>();
        for (long seq = 1; seq <= 300; seq++) {
            sent.add(new SpooledRecord(seq, AuditEvents.transferred(seq, seq == 150 ? 4000 : 1 + (int) (seq % 5),
                    seq % 2 == 0)));
        }
        Rfc5424 format;
        try (SyslogSink sink = new SyslogSink(SyslogOptions.builder().protocol(SyslogProtocol.TCP).host("127.0.0.1")
                .port(rsyslog.port()).hostname("gateway.example.org").zone(ZoneOffset.UTC)
                .connectTimeout(Duration.ofSeconds(5)).build())) {
            format = sink.options().rfc5424();
            for (int i = 0; i < sent.size(); i += 50) {
                sink.send(sent.subList(i, i + 50));
            }
            assertTrue(sink.drain(15_000), "all confirmed");
            assertEquals(300, sink.confirmed());
        }
        List<byte[]> got = rsyslog.awaitMessages(before + 300, 20_000);
        assertEquals(before + 300, got.size());
        int largest = 0;
        for (int i = 0; i < 300; i++) {
            byte[] expected = format.format(sent.get(i));
            assertArrayEquals(expected, got.get(before + i), "message " + (i + 1));
            largest = Math.max(largest, expected.length);
        }
        assertTrue(largest > 65536, "a large message too: " + largest);
    }
}
