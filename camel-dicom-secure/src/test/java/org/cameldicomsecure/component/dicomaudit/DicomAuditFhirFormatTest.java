package org.cameldicomsecure.component.dicomaudit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** format=FHIR_AUDITEVENT_JSON: the sinks get FHIR R4 AuditEvents, one JSON object per line; bad options are named. */
class DicomAuditFhirFormatTest {

    @TempDir
    Path dir;

    @Test
    void sinksGetFhirAuditEvents() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        DicomAuditComponent audit = new DicomAuditComponent();
        audit.setFile(file.toString());
        audit.setSpoolDirectory(dir.resolve("spool").toString());
        audit.setFormat("FHIR_AUDITEVENT_JSON");
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.addComponent("dicomaudit", audit);
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:a").to("dicomaudit:PatientRecord?action=C");
                }
            });
            ctx.start();
            ctx.createProducerTemplate().sendBodyAndHeader("direct:a", "ADT", DicomAuditConstants.PATIENT_ID, "P-9");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), "Start, Patient Record, Stop");
        for (String l : lines) {
            assertTrue(l.startsWith("{\"resourceType\":\"AuditEvent\""), l);
        }
        assertTrue(lines.get(1).contains("\"code\":\"110110\"") && lines.get(1).contains("P-9"), lines.get(1));
        assertTrue(lines.get(1).contains("\"action\":\"C\""), lines.get(1));
    }

    @Test
    void badComponentOptionsAreNamed() throws Exception {
        for (String[] bad : new String[][] { {"format", "JSON"}, {"syslogProtocol", "QUIC"},
                {"spoolOverflowPolicy", "IGNORE"}, {"kafkaKey", "PATIENT_NAME"}, {"auditSourceTypeCode", "42"} }) {
            DicomAuditComponent audit = new DicomAuditComponent();
            audit.setFile(dir.resolve("x.log").toString());
            audit.setSpoolDirectory(dir.resolve("spool-" + bad[0]).toString());
            audit.setSyslogHost(bad[0].equals("syslogProtocol") ? "127.0.0.1" : null);
            switch (bad[0]) {
                case "format" -> audit.setFormat(bad[1]);
                case "syslogProtocol" -> audit.setSyslogProtocol(bad[1]);
                case "spoolOverflowPolicy" -> audit.setSpoolOverflowPolicy(bad[1]);
                case "kafkaKey" -> audit.setKafkaKey(bad[1]);
                default -> audit.setAuditSourceTypeCode(bad[1]);
            }
            CamelContext ctx = new DefaultCamelContext();
            ctx.addComponent("dicomaudit", audit);
            Exception e = assertThrows(Exception.class, ctx::start);
            Throwable t = e;
            StringBuilder all = new StringBuilder();
            while (t != null) {
                all.append(t.getMessage()).append(" | ");
                t = t.getCause();
            }
            assertTrue(all.toString().contains(bad[0]) && all.toString().contains(bad[1]), all.toString());
            ctx.close();
        }
    }
}
