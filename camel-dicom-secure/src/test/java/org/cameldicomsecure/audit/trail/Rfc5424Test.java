package org.cameldicomsecure.audit.trail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cameldicomsecure.audit.AuditFormat;
import org.junit.jupiter.api.Test;

class Rfc5424Test {

    static SpooledRecord record(long seq, Instant time, byte[] payload) {
        return new SpooledRecord(seq, new AuditRecord(UUID.randomUUID().toString(), time, "DicomInstancesTransferred",
                0, "k", AuditFormat.DICOM_XML, payload));
    }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** RFC 5424 6, the ABNF of a message with one SD-ELEMENT and a UTF-8 MSG, as a regular expression. */
    private static final Pattern SYSLOG = Pattern.compile(
            "<(\\d{1,3})>1 (\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?(?:Z|[+-]\\d{2}:\\d{2})) "
                    + "([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) "
                    + "\\[meta sequenceId=\"([1-9]\\d{0,9})\"\\] \uFEFF(.*)", Pattern.DOTALL);

    @Test
    void defaultsArePs315A6() throws Exception {
        Rfc5424 f = new Rfc5424(10, 5, "arr.example.org", null, "4242", null, ZoneOffset.UTC);
        byte[] payload = "<AuditMessage>\n  <x>Ünïcödé</x>\n</AuditMessage>\n".getBytes(StandardCharsets.UTF_8);
        Instant t = Instant.parse("2024-05-17T07:31:02.123456789Z");
        byte[] m = f.format(record(7, t, payload));
        String expected = "<85>1 2024-05-17T07:31:02.123456Z arr.example.org camel-dicom-secure 4242 DICOM+RFC3881 "
                + "[meta sequenceId=\"7\"] ";
        byte[] head = expected.getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(head, Arrays.copyOf(m, head.length));
        assertArrayEquals(BOM, Arrays.copyOfRange(m, head.length, head.length + 3));
        assertArrayEquals(payload, Arrays.copyOfRange(m, head.length + 3, m.length));
        Matcher x = SYSLOG.matcher(new String(m, StandardCharsets.UTF_8));
        assertTrue(x.matches(), new String(m, StandardCharsets.UTF_8));
        assertEquals("85", x.group(1));
    }

    @Test
    void defaultHeaderFieldsAreValid() throws Exception {
        Rfc5424 f = Rfc5424.defaults();
        assertEquals(85, f.pri());
        assertEquals("camel-dicom-secure", f.appName());
        assertEquals("DICOM+RFC3881", f.msgId());
        assertEquals(Long.toString(ProcessHandle.current().pid()), f.procId());
        assertTrue(f.hostname().matches("[!-~]{1,255}"), f.hostname());
        String s = new String(f.format(record(1, Instant.now(), "<a/>".getBytes(StandardCharsets.UTF_8))),
                StandardCharsets.UTF_8);
        assertTrue(SYSLOG.matcher(s).matches(), s);
    }

    @Test
    void priAndFieldsAreConfigurable() throws Exception {
        Rfc5424 f = new Rfc5424(13, 4, "-", "app", "-", "AUDIT", ZoneOffset.ofHoursMinutes(5, 30));
        String s = new String(f.format(record(1, Instant.parse("2024-01-01T00:00:00Z"), new byte[0])),
                StandardCharsets.UTF_8);
        assertEquals("<108>1 2024-01-01T05:30:00.000000+05:30 - app - AUDIT [meta sequenceId=\"1\"] \uFEFF", s);
        assertEquals("<0>1 ", new String(new Rfc5424(0, 0, "h", "a", "p", "m", ZoneOffset.UTC)
                .format(record(1, Instant.EPOCH, new byte[0])), StandardCharsets.US_ASCII).substring(0, 5));
        assertTrue(new String(new Rfc5424(23, 7, "h", "a", "p", "m", ZoneId.of("America/New_York"))
                .format(record(1, Instant.parse("2024-01-01T12:00:00Z"), new byte[0])), StandardCharsets.UTF_8)
                .startsWith("<191>1 2024-01-01T07:00:00.000000-05:00 h a p m "));
    }

    @Test
    void sequenceIdWrapsAsRfc5424Says() throws Exception {
        assertEquals(1, Rfc5424.sequenceId(1));
        assertEquals(2147483647L, Rfc5424.sequenceId(2147483647L));
        assertEquals(1, Rfc5424.sequenceId(2147483648L));
        assertEquals(2, Rfc5424.sequenceId(2147483649L));
        assertEquals(2147483647L, Rfc5424.sequenceId(2L * 2147483647L));
        assertThrows(IllegalArgumentException.class, () -> Rfc5424.sequenceId(0));
        String s = new String(Rfc5424.defaults().format(record(2147483648L, Instant.now(), new byte[0])),
                StandardCharsets.UTF_8);
        assertTrue(s.contains("[meta sequenceId=\"1\"]"), s);
    }

    @Test
    void timestampHasMicrosecondsAndOffset() throws Exception {
        Instant t = Instant.parse("2024-02-29T23:59:59.999999999Z");
        assertEquals("2024-02-29T23:59:59.999999Z", Rfc5424.timestamp(t, ZoneOffset.UTC));
        assertEquals("2024-03-01T00:59:59.999999+01:00", Rfc5424.timestamp(t, ZoneId.of("Europe/Berlin")));
        assertEquals("1970-01-01T00:00:00.000000Z", Rfc5424.timestamp(Instant.EPOCH, ZoneOffset.UTC));
        // an offset with seconds (local mean time before 1893 in Berlin) has no RFC 3339 form: UTC instead
        assertEquals("1850-01-01T00:00:00.000000Z",
                Rfc5424.timestamp(Instant.parse("1850-01-01T00:00:00Z"), ZoneId.of("Europe/Berlin")));
    }

    @Test
    void recordsThatCannotBeWrittenAreRefused() throws Exception {
        Rfc5424 f = Rfc5424.defaults();
        RecordRejectedException e = assertThrows(RecordRejectedException.class,
                () -> f.format(record(9, Instant.parse("+10000-01-01T00:00:00Z"), new byte[0])));
        assertEquals(9, e.sequence());
        byte[] bad = {'<', 'a', '>', (byte) 0xC3, '<'}; // truncated two-byte sequence
        e = assertThrows(RecordRejectedException.class, () -> f.format(record(10, Instant.now(), bad)));
        assertEquals(10, e.sequence());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        assertFalse(e.getMessage().contains("<a>"), "no content in the message");
        byte[] overlong = {(byte) 0xC0, (byte) 0xBC}; // '<' in two bytes: not shortest form
        assertThrows(RecordRejectedException.class, () -> f.format(record(11, Instant.now(), overlong)));
    }

    @Test
    void aPayloadWithItsOwnBomGetsNoSecondOne() throws Exception {
        byte[] p = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '<', 'a', '/', '>'};
        byte[] m = Rfc5424.defaults().format(record(1, Instant.now(), p));
        assertArrayEquals(p, Arrays.copyOfRange(m, m.length - p.length, m.length));
        assertFalse(Arrays.equals(BOM, Arrays.copyOfRange(m, m.length - p.length - 3, m.length - p.length)));
    }

    @Test
    void badFieldsAreRefusedByName() throws Exception {
        assertMessage("facility", () -> new Rfc5424(24, 5, "h", "a", "p", "m", null));
        assertMessage("facility", () -> new Rfc5424(-1, 5, "h", "a", "p", "m", null));
        assertMessage("severity", () -> new Rfc5424(10, 8, "h", "a", "p", "m", null));
        assertMessage("HOSTNAME", () -> new Rfc5424(10, 5, "my host", "a", "p", "m", null));
        assertMessage("HOSTNAME", () -> new Rfc5424(10, 5, "h".repeat(256), "a", "p", "m", null));
        assertMessage("HOSTNAME", () -> new Rfc5424(10, 5, "", "a", "p", "m", null));
        assertMessage("APP-NAME", () -> new Rfc5424(10, 5, "h", "a".repeat(49), "p", "m", null));
        assertMessage("APP-NAME", () -> new Rfc5424(10, 5, "h", "äpp", "p", "m", null));
        assertMessage("PROCID", () -> new Rfc5424(10, 5, "h", "a", "p".repeat(129), "m", null));
        assertMessage("PROCID", () -> new Rfc5424(10, 5, "h", "a", "p\t1", "m", null));
        assertMessage("MSGID", () -> new Rfc5424(10, 5, "h", "a", "p", "m".repeat(33), null));
        assertMessage("MSGID", () -> new Rfc5424(10, 5, "h", "a", "p", "-", null));
        assertMessage("MSGID", () -> new Rfc5424(10, 5, "h", "a", "p", "DICOM RFC3881", null));
        // the limits themselves are fine
        new Rfc5424(23, 7, "h".repeat(255), "a".repeat(48), "p".repeat(128), "m".repeat(32), null);
        new Rfc5424(0, 0, "!~", "!", "~", "x", null);
    }

    private static void assertMessage(String field, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(field), x.getMessage());
    }
}
