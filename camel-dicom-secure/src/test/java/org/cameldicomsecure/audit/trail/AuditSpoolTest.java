package org.cameldicomsecure.audit.trail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cameldicomsecure.audit.AuditFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSpoolTest {

    @TempDir
    Path tmp;

    @Test
    void everyFieldSurvivesTheSpool() throws Exception {
        AuditRecord a = new AuditRecord("5b0e6e0c-3f0e-4a57-9a3e-4f2a8c1d7e10", Instant.parse("2024-03-01T12:34:56.789012345Z"),
                "DicomInstancesTransferred", 4, "k3y", AuditFormat.FHIR_AUDITEVENT_JSON,
                "{\"resourceType\":\"AuditEvent\",\"n\":\"Müller^Zoë 患者\"}".getBytes(StandardCharsets.UTF_8));
        AuditRecord b = new AuditRecord("id-2", Instant.EPOCH, "Query", 12, null, AuditFormat.DICOM_XML, new byte[0]);
        AuditTrailOptions o = AuditTrailOptions.builder(tmp.resolve("s")).sync(true).build();
        try (AuditSpool spool = AuditSpool.open(o)) {
            assertEquals(1, spool.emit(a).sequence());
            assertEquals(2, spool.emit(b).sequence());
        }
        try (AuditSpool spool = AuditSpool.open(o); AuditSpool.Reader reader = new AuditSpool.Reader()) {
            assertEquals(2, spool.lastSequence());
            assertEquals(1, spool.firstSequence());
            List<SpooledRecord> read = spool.read(reader, 1, 10, 0); // from disk: the memory window is empty
            assertEquals(2, read.size());
            AuditRecord ra = read.get(0).record();
            assertEquals(a.id(), ra.id());
            assertEquals(a.time(), ra.time());
            assertEquals(a.eventType(), ra.eventType());
            assertEquals(a.outcome(), ra.outcome());
            assertEquals(a.key(), ra.key());
            assertEquals(a.format(), ra.format());
            assertArrayEquals(a.payload(), ra.payload());
            AuditRecord rb = read.get(1).record();
            assertNull(rb.key());
            assertEquals(12, rb.outcome());
            assertEquals(0, rb.payload().length);
            assertEquals(2, read.get(1).sequence());
        }
    }

    @Test
    void readsSequentiallyAcrossSegmentsFromAnyStart() throws Exception {
        AuditTrailOptions o = AuditTrailOptions.builder(tmp.resolve("s")).segmentBytes(4096).build();
        try (AuditSpool spool = AuditSpool.open(o)) {
            for (int i = 0; i < 300; i++) {
                spool.emit(TrailTestSupport.record(i, 150));
            }
            spool.flush();
        }
        try (AuditSpool spool = AuditSpool.open(o); AuditSpool.Reader reader = new AuditSpool.Reader()) {
            assertTrue(spool.segmentCount() > 10);
            for (long from : new long[] {1, 17, 123, 299}) {
                List<SpooledRecord> all = new ArrayList<>();
                long next = from;
                while (true) {
                    List<SpooledRecord> b = spool.read(reader, next, 13, 0);
                    if (b.isEmpty()) {
                        break;
                    }
                    all.addAll(b);
                    next = b.get(b.size() - 1).sequence() + 1;
                }
                assertEquals(300 - from + 1, all.size());
                for (int i = 0; i < all.size(); i++) {
                    assertEquals(from + i, all.get(i).sequence());
                    assertEquals(from + i - 1, TrailTestSupport.number(all.get(i).record().text()));
                }
            }
        }
    }

    @Test
    void cursorsAreWrittenAtomicallyAndChecked() throws Exception {
        AuditTrailOptions o = AuditTrailOptions.builder(tmp.resolve("s")).build();
        try (AuditSpool spool = AuditSpool.open(o)) {
            assertEquals(-1, spool.readCursor("syslog"));
            spool.writeCursor("syslog", 42);
            assertEquals(42, spool.readCursor("syslog"));
            assertEquals("42\n", Files.readString(tmp.resolve("s/syslog.cursor")));
            assertThrows(IllegalArgumentException.class, () -> spool.writeCursor("../x", 1));
        }
        // a cursor ahead of every record: sequence numbers are never reused
        try (AuditSpool spool = AuditSpool.open(o)) {
            assertEquals(43, spool.emit(TrailTestSupport.record(0)).sequence());
        }
        Files.writeString(tmp.resolve("s/kafka.cursor"), "garbage");
        IOException e = assertThrows(IOException.class, () -> AuditSpool.open(o));
        assertTrue(e.getMessage().contains("kafka.cursor"), e.getMessage());
    }

    @Test
    void aRecordTooLargeIsRefusedWithAClearError() throws Exception {
        AuditTrailOptions o = AuditTrailOptions.builder(tmp.resolve("s")).build();
        try (AuditSpool spool = AuditSpool.open(o)) {
            AuditRecord big = new AuditRecord("big", Instant.now(), "Query", 0, null, AuditFormat.DICOM_XML,
                    new byte[AuditSpool.MAX_BODY + 1]);
            IOException e = assertThrows(IOException.class, () -> spool.emit(big));
            assertTrue(e.getMessage().contains("too large"), e.getMessage());
            assertEquals(1, spool.emit(TrailTestSupport.record(0)).sequence());
        }
    }
}
