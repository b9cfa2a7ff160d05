package org.cameldicomsecure.it.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.cameldicomsecure.it.peers.HapiFhirServer;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

/**
 * The dicomaudit component with format=FHIR_AUDITEVENT_JSON and fhirRepositoryUrl: every message, Application Start
 * and Stop included, is stored by a FHIR server (HAPI FHIR's RestfulServer, the HL7 validator checking each request),
 * exactly once with PUT.
 */
class DicomAuditFhirIT {

    @Test
    void componentOptionsDeliverAuditEventsToAFhirRepository() throws Exception {
        try (HapiFhirServer fhir = new HapiFhirServer()) {
            fhir.start();
            DicomAuditComponent audit = new DicomAuditComponent();
            audit.setFormat("FHIR_AUDITEVENT_JSON");
            audit.setFhirRepositoryUrl(fhir.baseUrl());
            audit.setFhirRepositoryMethod("PUT");
            audit.setSpoolDirectory(Files.createTempDirectory("audit-fhir-spool-").toString());
            audit.setAuditSourceId("FHIR-IT");
            int n = 20;
            try (CamelContext camel = new DefaultCamelContext()) {
                camel.addComponent("dicomaudit", audit);
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:record").to("dicomaudit:PatientRecord?action=U");
                    }
                });
                camel.start();
                for (int i = 0; i < n; i++) {
                    camel.createProducerTemplate().sendBodyAndHeader("direct:record", "ADT^A08",
                            "CamelDicomAuditPatientId", "PID-" + i);
                }
            } // graceful stop: Application Stop, then the trail drains into the repository
            List<AuditEvent> stored = fhir.stored();
            assertEquals(n + 2, stored.size(), "Application Start, " + n + " Patient Records, Application Stop");
            Set<String> types = stored.stream().map(e -> e.getType().getCode()).collect(Collectors.toSet());
            assertEquals(Set.of("110100", "110110"), types);
            for (AuditEvent e : stored) {
                assertEquals("FHIR-IT", e.getSource().getObserver().getIdentifier().getValue());
            }
            assertTrue(stored.stream().anyMatch(e -> e.getEntity().stream()
                    .anyMatch(x -> "PID-7".equals(x.getWhat().getIdentifier().getValue()))));
        }
    }
}
