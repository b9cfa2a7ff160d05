package org.cameldicomsecure.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dicomaudit component configured the way integration engineers configure it in the runner:
 * {@code camel.component.dicomaudit.*} properties of Camel Main (kebab-case names of the component options).
 */
class DicomAuditMainTest {

    @TempDir
    Path tmp;

    @Test
    void componentOptionsComeFromCamelMainProperties() throws Exception {
        Path file = tmp.resolve("audit/audit.log");
        Main main = RunnerMain.newMain();
        main.configure().withRoutesIncludePattern("classpath:routes/dicom-normalize.yaml");
        main.addInitialProperty("dicom.in", tmp.resolve("in").toString());
        main.addInitialProperty("dicom.out", tmp.resolve("out").toString());
        main.addInitialProperty("camel.component.dicomaudit.file", file.toString());
        main.addInitialProperty("camel.component.dicomaudit.spool-directory", tmp.resolve("spool").toString());
        main.addInitialProperty("camel.component.dicomaudit.audit-source-id", "RUNNER-TEST");
        main.addInitialProperty("camel.component.dicomaudit.kafka-topic", "audit-test");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("file:" + tmp.resolve("adt") + "?delete=true").routeId("audit-adt")
                        .setHeader("CamelDicomAuditPatientId", constant("PID-1"))
                        .to("dicomaudit:PatientRecord?action=R");
            }
        });
        main.start();
        try {
            DicomAuditComponent c = main.getCamelContext().getComponent("dicomaudit", DicomAuditComponent.class);
            assertEquals("RUNNER-TEST", c.getAuditSourceId());
            assertEquals("audit-test", c.getKafkaTopic());
            assertEquals(tmp.resolve("spool").toString(), c.getSpoolDirectory());
            Files.createDirectories(tmp.resolve("adt"));
            Files.writeString(tmp.resolve("adt/a08.hl7"), "MSH|^~\\&|ADT|...");
            long end = System.nanoTime() + 20_000_000_000L;
            while ((!Files.exists(file) || Files.readAllLines(file).size() < 2) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
        } finally {
            main.stop();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), "Application Start, Patient Record, Application Stop");
        assertTrue(lines.get(0).contains("csd-code=\"110120\""));
        assertTrue(lines.get(1).contains("<EventID csd-code=\"110110\"") && lines.get(1).contains("PID-1"));
        assertTrue(lines.get(2).contains("csd-code=\"110121\""));
        for (String l : lines) {
            assertTrue(l.contains("AuditSourceID=\"RUNNER-TEST\""), l);
        }
    }
}
