package org.cameldicomsecure.audit.trail;

import static org.cameldicomsecure.audit.trail.TrailTestSupport.numbers;
import static org.cameldicomsecure.audit.trail.TrailTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.cameldicomsecure.audit.AuditFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {

    @TempDir
    Path tmp;

    private static List<SpooledRecord> batch(int from, int to, int size) {
        List<SpooledRecord> b = new ArrayList<>();
        for (int i = from; i < to; i++) {
            b.add(new SpooledRecord(i + 1, record(i, size)));
        }
        return b;
    }

    @Test
    void writesOneLinePerMessageFsyncedAndCreatesParents() throws Exception {
        Path f = tmp.resolve("a/b/audit.log");
        try (FileSink sink = new FileSink(f)) {
            assertEquals("file", sink.name());
            sink.send(batch(0, 10, 80));
            assertEquals(10, sink.confirmed());
            sink.send(batch(10, 12, 80));
            assertEquals(12, sink.confirmed());
        }
        assertEquals(IntStream.range(0, 12).boxed().toList(), numbers(f));
        try (FileSink sink = new FileSink(f)) { // appends
            sink.send(batch(12, 13, 80));
        }
        assertEquals(13, numbers(f).size());
        assertTrue(Files.readString(f, StandardCharsets.UTF_8).endsWith("\"/>\n"));
    }

    @Test
    void refusesARecordWithALineBreakAndWritesThoseBeforeIt() throws Exception {
        Path f = tmp.resolve("audit.log");
        List<SpooledRecord> b = new ArrayList<>(batch(0, 3, 60));
        b.add(new SpooledRecord(4, new AuditRecord("id-4", Instant.now(), "Query", 0, null, AuditFormat.DICOM_XML,
                "<AuditMessage n=\"3\">\rSMITH^JOHN</AuditMessage>".getBytes(StandardCharsets.UTF_8))));
        b.add(new SpooledRecord(5, record(4, 60)));
        try (FileSink sink = new FileSink(f)) {
            RecordRejectedException e = assertThrows(RecordRejectedException.class, () -> sink.send(b));
            assertEquals(4, e.sequence());
            assertTrue(e.getMessage().contains("id-4") && e.getMessage().contains("CR or LF"), e.getMessage());
            assertFalse(e.getMessage().contains("SMITH"), "no payload in the message");
            assertEquals(3, sink.confirmed());
            sink.send(b.subList(4, 5));
            assertEquals(5, sink.confirmed());
        }
        assertEquals(List.of(0, 1, 2, 4), numbers(f));
    }

    @Test
    void rotatesBySizeKeepingMaxFiles() throws Exception {
        Path f = tmp.resolve("audit.log");
        try (FileSink sink = new FileSink("file", f, 1000, 2)) {
            for (int i = 0; i < 50; i += 5) {
                sink.send(batch(i, i + 5, 100)); // 101-byte lines: 9 per file
            }
        }
        assertTrue(Files.exists(f.resolveSibling("audit.log.1")));
        assertTrue(Files.exists(f.resolveSibling("audit.log.2")));
        assertFalse(Files.exists(f.resolveSibling("audit.log.3")), "maxFiles=2 keeps two rotated files");
        List<Integer> all = new ArrayList<>();
        for (Path p : List.of(f.resolveSibling("audit.log.2"), f.resolveSibling("audit.log.1"), f)) {
            assertTrue(Files.size(p) <= 1000, p + " is " + Files.size(p) + " bytes");
            all.addAll(numbers(p));
        }
        assertEquals(9 * 2 + 50 % 9, all.size());
        assertEquals(IntStream.range(50 - all.size(), 50).boxed().toList(), all, "the newest lines, in order");
    }

    @Test
    void maxFilesZeroKeepsEveryRotatedFile() throws Exception {
        Path f = tmp.resolve("audit.log");
        try (FileSink sink = new FileSink("file", f, 1000, 0)) {
            sink.send(batch(0, 50, 100));
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 5; i >= 1; i--) {
            all.addAll(numbers(f.resolveSibling("audit.log." + i)));
        }
        all.addAll(numbers(f));
        assertFalse(Files.exists(f.resolveSibling("audit.log.6")));
        assertEquals(IntStream.range(0, 50).boxed().toList(), all);
    }

    @Test
    void cutsAnUnterminatedLastLineOnOpen() throws Exception {
        Path f = tmp.resolve("audit.log");
        Files.writeString(f, "<AuditMessage n=\"0\"/>\n<AuditMessage n=\"1\" par", StandardCharsets.UTF_8);
        try (FileSink sink = new FileSink(f)) {
            sink.send(batch(1, 2, 40));
        }
        assertEquals(List.of(0, 1), numbers(f));
        Files.writeString(f, "no newline at all", StandardCharsets.UTF_8);
        try (FileSink sink = new FileSink(f)) {
            assertEquals(0, Files.size(f));
        }
    }
}
