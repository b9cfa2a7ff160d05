package org.cameldicomsecure.it.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.it.peers.Rsyslog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dicomaudit component configured only by its options (syslogHost, syslogPort, syslogCertificate,
 * syslogPrivateKey, syslogTrustedCertificates, spoolDirectory, auditSourceId), against a real rsyslog with mutual TLS:
 * Application Start, the route's messages and Application Stop arrive, in order, each a valid A.5.1 message in an
 * RFC 5424 frame with PRI 85 and MSGID DICOM+RFC3881.
 */
class DicomAuditSyslogIT {

    private static Peers peers;
    private static SyslogPki pki;
    private static Rsyslog rsyslog;

    @BeforeAll
    static void startRsyslog() throws Exception {
        peers = Peers.forTest(DicomAuditSyslogIT.class);
        pki = new SyslogPki(Rsyslog.newDir("audit-component-pki-"));
        rsyslog = Rsyslog.startTls(peers, Rsyslog.newDir("audit-component-rsyslog-"), pki.ca.certPem(),
                pki.server.certPem(), pki.server.keyPem(), "x509/name", List.of(SyslogPki.CLIENT_NAME));
    }

    @AfterAll
    static void stopRsyslog() throws Exception {
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    @Test
    void componentOptionsDeliverToRsyslogOverMutualTls() throws Exception {
        DicomAuditComponent audit = new DicomAuditComponent();
        audit.setSyslogHost("127.0.0.1");
        audit.setSyslogPort(rsyslog.port());
        audit.setSyslogCertificate(pki.client.certPem().toString());
        audit.setSyslogPrivateKey(pki.client.keyPem().toString());
        audit.setSyslogTrustedCertificates(pki.ca.certPem().toString());
        audit.setSpoolDirectory(Rsyslog.newDir("audit-component-spool-").toString());
        audit.setAuditSourceId("SYSLOG-IT");
        int before = rsyslog.messages().size();
        int n = 50;
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("dicomaudit", audit);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:record").to("dicomaudit:PatientRecord?action=R");
                }
            });
            camel.start();
            for (int i = 0; i < n; i++) {
                camel.createProducerTemplate().sendBodyAndHeader("direct:record", "ADT^A08",
                        "CamelDicomAuditPatientId", "PID-" + i);
            }
        } // graceful stop: Application Stop, then the trail drains
        List<byte[]> got = rsyslog.awaitMessages(before + n + 2, 20_000);
        List<String> ours = new ArrayList<>();
        for (byte[] m : got.subList(before, got.size())) {
            ours.add(new String(m, StandardCharsets.UTF_8));
        }
        assertEquals(n + 2, ours.size(), "Application Start, " + n + " Patient Records, Application Stop");
        AuditSchemaValidation schema = new AuditSchemaValidation();
        for (int i = 0; i < ours.size(); i++) {
            String m = ours.get(i);
            assertTrue(m.startsWith("<85>1 "), m);
            assertTrue(m.contains(" camel-dicom-secure ") && m.contains(" DICOM+RFC3881 [meta sequenceId=\""), m);
            int bom = m.indexOf('\uFEFF');
            assertTrue(bom > 0, "a BOM before the message");
            String xml = m.substring(bom + 1);
            schema.assertValid(xml);
            assertTrue(xml.contains("AuditSourceID=\"SYSLOG-IT\""), xml);
        }
        assertTrue(ours.get(0).contains("csd-code=\"110120\""), "Application Start first");
        for (int i = 0; i < n; i++) {
            assertTrue(ours.get(i + 1).contains("ParticipantObjectID=\"PID-" + i + "\""), "in order");
        }
        assertTrue(ours.get(n + 1).contains("csd-code=\"110121\""), "Application Stop last");
    }
}
