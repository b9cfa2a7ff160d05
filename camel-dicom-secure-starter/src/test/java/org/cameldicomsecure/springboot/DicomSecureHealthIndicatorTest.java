package org.cameldicomsecure.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameldicomsecure.component.dicomtls.DicomTlsConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** Certificate expiry and audit sink state as the "dicomSecure" indicator reports them. */
class DicomSecureHealthIndicatorTest {

    @TempDir
    static Path dir;
    static Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static Path valid;

    @BeforeAll
    static void certificates() throws Exception {
        // valid from yesterday for 60 days
        valid = TestCertificates.selfSigned(dir, "gateway", "CN=GATEWAY,O=health test",
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(60)));
    }

    private static String status(Instant at, Path certificate) {
        DicomTlsConfiguration o = new DicomTlsConfiguration();
        o.setCertificate(certificate.toString());
        var indicator = new DicomSecureHealthIndicator(new DefaultCamelContext(), Duration.ofDays(30),
                Clock.fixed(at, ZoneOffset.UTC));
        List<Map<String, Object>> l = indicator.certificates(o, at);
        assertEquals(1, l.size());
        return (String) l.get(0).get("status");
    }

    @Test
    void statusFollowsTheClock() {
        assertEquals("VALID", status(now, valid));
        assertEquals("EXPIRES_SOON", status(now.plus(Duration.ofDays(40)), valid));
        assertEquals("EXPIRED", status(now.plus(Duration.ofDays(61)), valid));
        assertEquals("NOT_YET_VALID", status(now.minus(Duration.ofDays(2)), valid));
        assertEquals("UNREADABLE", status(now, dir.resolve("missing.pem")));
    }

    @Test
    void consumersAndAuditSinkOfARunningContext() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path key = dir.resolve("gateway.key.pem");
        int free = port;
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("dicomtls:GATEWAY@127.0.0.1:" + free + "?clientAuth=NONE&certificate=" + valid
                            + "&privateKey=" + key).routeId("gateway").process(e -> { });
                }
            });
            var audit = camel.getComponent("dicomaudit",
                    org.cameldicomsecure.component.dicomaudit.DicomAuditComponent.class);
            audit.setFile(dir.resolve("audit.log").toString());
            audit.setSpoolDirectory(dir.resolve("spool").toString());
            camel.start();

            Health ok = new DicomSecureHealthIndicator(camel, Duration.ofDays(30), Clock.systemUTC()).health();
            assertEquals(Status.UP, ok.getStatus(), ok.toString());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> certs = (List<Map<String, Object>>) ok.getDetails().get("certificates");
            assertEquals(1, certs.size(), ok.toString());
            Map<String, Object> c = certs.get(0);
            assertEquals("gateway", c.get("route"));
            assertEquals("CN=GATEWAY,O=health test", c.get("subject"));
            assertEquals(now.plus(Duration.ofDays(60)).toString(), c.get("notAfter"));
            assertEquals("VALID", c.get("status"));
            assertTrue(String.valueOf(c.get("endpoint")).startsWith("dicomtls://GATEWAY@127.0.0.1:"), ok.toString());
            assertTrue(!String.valueOf(c.get("endpoint")).contains("privateKey"), "no options in the endpoint");
            @SuppressWarnings("unchecked")
            Map<String, Object> a = (Map<String, Object>) ok.getDetails().get("audit");
            assertEquals(true, a.get("sinkConfigured"));
            assertEquals(List.of("file " + dir.resolve("audit.log")), a.get("sinks"));
            boolean exposed = java.util.Arrays.stream(audit.getClass().getMethods())
                    .anyMatch(m -> m.getName().equals("auditTrailStats"));
            if (exposed) {
                // with DicomAuditComponent.auditTrailStats(): the spool and its file sink
                @SuppressWarnings("unchecked")
                Map<String, Object> spool = (Map<String, Object>) a.get("spool");
                assertEquals(false, spool.get("overflowing"), ok.toString());
                assertTrue(spool.get("sinks").toString().contains("name=file"), ok.toString());
            }

            Health soon = new DicomSecureHealthIndicator(camel, Duration.ofDays(30),
                    Clock.fixed(now.plus(Duration.ofDays(45)), ZoneOffset.UTC)).health();
            assertEquals(Status.UP, soon.getStatus());
            assertTrue(soon.getDetails().get("warnings").toString().contains("expires in 15 days"), soon.toString());

            Health expired = new DicomSecureHealthIndicator(camel, Duration.ofDays(30),
                    Clock.fixed(now.plus(Duration.ofDays(90)), ZoneOffset.UTC)).health();
            assertEquals(Status.DOWN, expired.getStatus());
            assertTrue(expired.getDetails().get("warnings").toString().contains("EXPIRED"), expired.toString());
        }
    }

    @Test
    void noAuditSinkIsAWarning() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            Health h = new DicomSecureHealthIndicator(camel, Duration.ofDays(30), Clock.systemUTC()).health();
            assertEquals(Status.UP, h.getStatus());
            @SuppressWarnings("unchecked")
            Map<String, Object> a = (Map<String, Object>) h.getDetails().get("audit");
            assertEquals(false, a.get("sinkConfigured"));
        }
    }
}
