package org.cameldicomsecure.springboot;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.cameldicomsecure.audit.trail.AuditTrailStats;
import org.cameldicomsecure.component.dicom.EndpointOptions;
import org.cameldicomsecure.component.dicom.TlsOptions;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.cameldicomsecure.component.dicomtls.DicomTlsEndpoint;
import org.cameldicomsecure.component.dicomweb.DicomWebEndpoint;
import org.cameldicomsecure.tls.PemFiles;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health of the secure DICOM routes of one Camel context:
 * <ul>
 * <li>{@code certificates}: the own certificate of every {@code dicomtls} and {@code dicomweb} consumer (route input):
 * endpoint (base URI, no options), route, file, subject, issuer, notAfter, days left and a status: VALID,
 * EXPIRES_SOON (a warning, still UP), EXPIRED or NOT_YET_VALID (DOWN), UNREADABLE (DOWN: the consumer could not load
 * it at its next key reload either). Read from {@code certificate} (PEM, the first certificate of the file) or
 * {@code keyStore} (PKCS12, the first certificate of each key entry);</li>
 * <li>{@code audit}: whether the {@code dicomaudit} component has a sink (syslog, Kafka, FHIR repository, file), which,
 * and the spool's state where the component exposes it: DOWN while the spool overflows (audit messages are refused
 * or dropped), a warning while a sink fails.</li>
 * </ul>
 * Never reports key material, passwords or patient data.
 */
public class DicomSecureHealthIndicator implements HealthIndicator {

    private final CamelContext camelContext;
    private final Duration warning;
    private final Clock clock;

    public DicomSecureHealthIndicator(CamelContext camelContext, Duration certificateWarning, Clock clock) {
        this.camelContext = camelContext;
        this.warning = certificateWarning;
        this.clock = clock;
    }

    @Override
    public Health health() {
        boolean down = false;
        List<String> warnings = new ArrayList<>();
        List<Map<String, Object>> certificates = new ArrayList<>();
        Instant now = clock.instant();
        for (Route route : camelContext.getRoutes()) {
            Endpoint endpoint = route.getEndpoint();
            TlsOptions options = endpoint instanceof DicomTlsEndpoint t ? t.getConfiguration()
                    : endpoint instanceof DicomWebEndpoint w ? w.getConfiguration() : null;
            if (options == null) {
                continue;
            }
            for (Map<String, Object> c : certificates(options, now)) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("endpoint", endpoint.getEndpointBaseUri());
                entry.put("route", route.getRouteId());
                entry.putAll(c);
                certificates.add(entry);
                String status = (String) c.get("status");
                switch (status) {
                    case "EXPIRED", "NOT_YET_VALID", "UNREADABLE" -> {
                        down = true;
                        warnings.add(route.getRouteId() + ": certificate " + status
                                + (c.containsKey("subject") ? " (" + c.get("subject") + ")" : ""));
                    }
                    case "EXPIRES_SOON" -> warnings.add(route.getRouteId() + ": certificate " + c.get("subject")
                            + " expires in " + c.get("daysLeft") + " days (" + c.get("notAfter") + ")");
                    default -> {
                    }
                }
            }
        }
        Map<String, Object> audit = new LinkedHashMap<>();
        Component component = camelContext.hasComponent("dicomaudit");
        if (component instanceof DicomAuditComponent a) {
            down |= audit(a, audit, warnings);
        } else {
            audit.put("sinkConfigured", false);
            audit.put("component", "absent");
        }
        Health.Builder b = down ? Health.down() : Health.up();
        b.withDetail("certificates", certificates);
        b.withDetail("audit", audit);
        if (!warnings.isEmpty()) {
            b.withDetail("warnings", warnings);
        }
        return b.build();
    }

    /** The certificate entries of one consumer's own key material (none configured: none). */
    List<Map<String, Object>> certificates(TlsOptions o, Instant now) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (o.getCertificate() != null) {
            Path file = EndpointOptions.path(o.getCertificate());
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("file", file.toString());
            try {
                describe(PemFiles.readCertificates("certificate", file).get(0), now, e);
            } catch (RuntimeException ex) {
                unreadable(e, ex);
            }
            out.add(e);
        } else if (o.getKeyStore() != null) {
            Path file = EndpointOptions.path(o.getKeyStore());
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                String password = o.getKeyStorePassword();
                ks.load(in, password == null ? null : password.toCharArray());
                for (Enumeration<String> aliases = ks.aliases(); aliases.hasMoreElements();) {
                    String alias = aliases.nextElement();
                    Certificate c = ks.isKeyEntry(alias) ? ks.getCertificate(alias) : null;
                    if (c instanceof X509Certificate x) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("file", file.toString());
                        e.put("alias", alias);
                        describe(x, now, e);
                        out.add(e);
                    }
                }
            } catch (Exception ex) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("file", file.toString());
                unreadable(e, ex);
                out.add(e);
            }
        }
        return out;
    }

    private void describe(X509Certificate c, Instant now, Map<String, Object> e) {
        Instant notAfter = c.getNotAfter().toInstant();
        Instant notBefore = c.getNotBefore().toInstant();
        e.put("subject", c.getSubjectX500Principal().getName());
        e.put("issuer", c.getIssuerX500Principal().getName());
        e.put("notBefore", notBefore.toString());
        e.put("notAfter", notAfter.toString());
        e.put("daysLeft", Duration.between(now, notAfter).toDays());
        String status;
        if (now.isAfter(notAfter)) {
            status = "EXPIRED";
        } else if (now.isBefore(notBefore)) {
            status = "NOT_YET_VALID";
        } else if (now.plus(warning).isAfter(notAfter)) {
            status = "EXPIRES_SOON";
        } else {
            status = "VALID";
        }
        e.put("status", status);
    }

    private static void unreadable(Map<String, Object> e, Exception ex) {
        e.put("status", "UNREADABLE");
        // the message names the option and the file, never the content
        e.put("error", ex.getMessage());
    }

    /** Fills {@code audit}; true when the audit trail is DOWN. */
    private static boolean audit(DicomAuditComponent a, Map<String, Object> audit, List<String> warnings) {
        audit.put("sinkConfigured", a.hasSink());
        audit.put("autoAudit", a.isAutoAudit());
        List<String> sinks = new ArrayList<>();
        if (a.getSyslogHost() != null) {
            sinks.add("syslog " + a.getSyslogProtocol() + " " + a.getSyslogHost() + ":" + a.getSyslogPort());
        }
        if (a.getKafkaBootstrapServers() != null) {
            sinks.add("kafka " + a.getKafkaTopic());
        }
        if (a.getFhirRepositoryUrl() != null) {
            sinks.add("fhir " + a.getFhirRepositoryUrl());
        }
        if (a.getFile() != null) {
            sinks.add("file " + a.getFile());
        }
        audit.put("sinks", sinks);
        if (!a.hasSink()) {
            warnings.add("audit: no dicomaudit sink is configured; nothing is audited automatically");
            return false;
        }
        AuditTrailStats stats = trailStats(a);
        if (stats == null) {
            audit.put("spool", "not running or not exposed by the component");
            return false;
        }
        Map<String, Object> spool = new LinkedHashMap<>();
        spool.put("overflowing", stats.overflowing());
        spool.put("bytes", stats.spoolBytes());
        spool.put("maxBytes", stats.maxSpoolBytes());
        spool.put("rejectedEmits", stats.rejectedEmits());
        spool.put("droppedRecords", stats.droppedRecords());
        List<Map<String, Object>> perSink = new ArrayList<>();
        for (AuditTrailStats.Sink s : stats.sinks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("up", s.up());
            m.put("pending", s.pending());
            m.put("failures", s.failures());
            if (s.lastError() != null) {
                m.put("lastError", s.lastError());
            }
            perSink.add(m);
            if (!s.up()) {
                warnings.add("audit: sink " + s.name() + " fails, " + s.pending() + " records wait in the spool");
            }
        }
        spool.put("sinks", perSink);
        audit.put("spool", spool);
        if (stats.overflowing()) {
            warnings.add("audit: the spool is full (overflow policy applies)");
            return true;
        }
        return false;
    }

    /** The running trail's statistics, or null while no trail runs. */
    private static AuditTrailStats trailStats(DicomAuditComponent a) {
        return a.auditTrailStats();
    }
}
