package org.cameldicomsecure.audit.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.cameldicomsecure.tls.TlsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SyslogOptionsTest {

    private static SyslogOptions.Builder tcp() {
        return SyslogOptions.builder().host("arr.example.org").protocol(SyslogProtocol.TCP);
    }

    @Test
    void defaults() {
        SyslogOptions o = SyslogOptions.builder().host("arr.example.org").tls(TlsSettings.builder().build()).build();
        assertEquals(SyslogProtocol.TLS, o.protocol());
        assertEquals(6514, o.port());
        assertEquals("syslog", o.name());
        assertEquals(Duration.ofSeconds(1), o.confirmDelay());
        assertEquals(10, o.facility());
        assertEquals(5, o.severity());
        assertEquals("camel-dicom-secure", o.appName());
        assertEquals("DICOM+RFC3881", o.msgId());
        assertEquals(Long.toString(ProcessHandle.current().pid()), o.procId());
        assertEquals(65507, o.maxDatagramSize());
        assertTrue(o.maxMessageSize() >= 32768);
        assertNull(o.eventLoopGroup());
        assertEquals(514, SyslogOptions.builder().host("h").protocol(SyslogProtocol.UDP).build().port());
        assertEquals(514, tcp().build().port());
        assertEquals(85, o.rfc5424().pri());
    }

    @Test
    void badOptionsAreRefusedByName() {
        refused("syslogHost", () -> SyslogOptions.builder().protocol(SyslogProtocol.UDP).build());
        refused("syslogHost", () -> tcp().host(" ").build());
        refused("syslogPort", () -> tcp().port(65536).build());
        refused("syslogPort", () -> tcp().port(-1).build());
        refused("TLS settings", () -> SyslogOptions.builder().host("h").build());
        refused("ignored", () -> tcp().tls(TlsSettings.builder().build()).build());
        refused("name", () -> tcp().name("Syslog 1").build());
        refused("confirmDelay", () -> tcp().confirmDelay(Duration.ofMillis(-1)).build());
        refused("connectTimeout", () -> tcp().connectTimeout(Duration.ZERO).build());
        refused("writeTimeout", () -> tcp().writeTimeout(Duration.ofSeconds(-1)).build());
        refused("maxMessageSize", () -> tcp().maxMessageSize(32767).build());
        refused("maxDatagramSize", () -> tcp().maxDatagramSize(479).build());
        refused("maxDatagramSize", () -> tcp().maxDatagramSize(65508).build());
        refused("facility", () -> tcp().facility(24).build());
        refused("severity", () -> tcp().severity(-1).build());
        refused("HOSTNAME", () -> tcp().hostname("a b").build());
        refused("APP-NAME", () -> tcp().appName("x".repeat(49)).build());
        refused("PROCID", () -> tcp().procId("").build());
        refused("MSGID", () -> tcp().msgId("-").build());
        // zero confirm delay is allowed (confirm on write)
        assertEquals(Duration.ZERO, tcp().confirmDelay(Duration.ZERO).build().confirmDelay());
    }

    @Test
    void toBuilderKeepsEverything() {
        SyslogOptions o = tcp().port(1514).facility(4).severity(4).appName("a").msgId("M").hostname("h")
                .procId("p").name("syslog-2").build();
        assertEquals(o, o.toBuilder().build());
    }

    private static void refused(String what, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(what), x.getMessage());
    }
}
