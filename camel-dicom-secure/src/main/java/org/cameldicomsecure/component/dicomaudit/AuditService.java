package org.cameldicomsecure.component.dicomaudit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditMessages;
import org.cameldicomsecure.audit.AuditSourceIdentification;
import org.cameldicomsecure.audit.AuditXml;
import org.cameldicomsecure.audit.CodedValue;
import org.cameldicomsecure.audit.ParticipantObjectIdentification;
import org.cameldicomsecure.audit.Participants;
import org.cameldicomsecure.audit.dimse.DimseAuditor;
import org.cameldicomsecure.audit.mail.MailAuditor;
import org.cameldicomsecure.audit.web.WebAuditor;
import org.cameldicomsecure.audit.fhir.FhirAuditEventWriter;
import org.cameldicomsecure.audit.trail.AuditAlarm;
import org.cameldicomsecure.audit.trail.AuditRecord;
import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.AuditSinkFactory;
import org.cameldicomsecure.audit.trail.AuditTrail;
import org.cameldicomsecure.audit.trail.AuditTrailOptions;
import org.cameldicomsecure.audit.trail.AuditTrailStats;
import org.cameldicomsecure.audit.trail.FhirRepositoryOptions;
import org.cameldicomsecure.audit.trail.FhirRepositorySink;
import org.cameldicomsecure.audit.trail.FileSink;
import org.cameldicomsecure.audit.trail.OverflowPolicy;
import org.cameldicomsecure.audit.trail.SpooledRecord;
import org.cameldicomsecure.audit.trail.SyslogOptions;
import org.cameldicomsecure.audit.trail.SyslogProtocol;
import org.cameldicomsecure.audit.trail.SyslogSink;
import org.cameldicomsecure.component.dicom.EndpointOptions;
import org.cameldicomsecure.component.dicomtls.DicomTlsEndpoint;
import org.cameldicomsecure.tls.TlsProfile;
import org.cameldicomsecure.tls.TlsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a configured {@link DicomAuditComponent} runs: the sinks, the durable {@link AuditTrail} in front of them, the
 * automatic {@link DimseAuditor} for dicomtls, and the Application Activity messages at start and stop. A spool alarm
 * (overflow, a record refused by a sink, a torn spool after a crash) is logged and also becomes a Security Alert
 * message, written into the spool's reserved headroom so that it is never lost to the overflow it reports.
 */
final class AuditService {

    private static final Logger LOG = LoggerFactory.getLogger(AuditService.class);

    /** The file sink when nothing is configured. */
    static final String DEFAULT_FILE = "audit/dicom-audit.log";

    private static final FhirAuditEventWriter FHIR = new FhirAuditEventWriter();

    private final DicomAuditComponent component;
    private final AuditFormat format;
    private final AuditSourceIdentification source;
    private final ZoneId zone = ZoneId.systemDefault();
    private final String processName;
    private final String localHost;
    private final boolean keyByPatient;
    private final DimseAuditor dimse;
    private final WebAuditor web;
    private final MailAuditor mail;
    /** Messages automatic auditing may queue ahead of the spool before it raises an alarm. */
    static final int AUTO_QUEUE = 10_000;

    private final java.util.concurrent.ExecutorService auto;
    private volatile AuditTrail trail;
    private volatile boolean started;

    private AuditService(DicomAuditComponent c) throws Exception {
        this.component = c;
        this.format = EndpointOptions.choice("format", c.getFormat(), AuditFormat.class);
        String host = localHostName();
        this.localHost = host;
        this.processName = c.getCamelContext().getName();
        CodedValue sourceType = sourceTypeCode(c.getAuditSourceTypeCode());
        this.source = new AuditSourceIdentification(c.getAuditSourceId() != null ? c.getAuditSourceId() : host,
                c.getAuditEnterpriseSiteId(), sourceType == null ? List.of() : List.of(sourceType));
        String key = c.getKafkaKey() == null ? "PATIENT" : c.getKafkaKey().trim().toUpperCase(Locale.ROOT);
        if (!key.equals("PATIENT") && !key.equals("EVENT_TYPE")) {
            throw new IllegalArgumentException("kafkaKey must be PATIENT or EVENT_TYPE, not '" + c.getKafkaKey() + "'");
        }
        this.keyByPatient = key.equals("PATIENT");
        ThreadPoolProfile profile = new ThreadPoolProfile("dicomaudit-auto");
        profile.setPoolSize(1);
        profile.setMaxPoolSize(1);
        profile.setMaxQueueSize(AUTO_QUEUE);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        this.auto = c.getCamelContext().getExecutorServiceManager().newThreadPool(this, "dicomaudit-auto", profile);
        this.dimse = new DimseAuditor(source, processName, host, zone, c.isIncludeInstanceUids(), this::emitQuietly,
                e -> LOG.warn("an automatic audit message could not be made: {}", e.getMessage()));
        this.web = new WebAuditor(source, processName, host, zone, c.isIncludeInstanceUids(), this::emitQuietly,
                e -> LOG.warn("an automatic audit message could not be made: {}", e.getMessage()));
        this.mail = new MailAuditor(source, processName, host, zone, c.isIncludeInstanceUids(), this::emitQuietly,
                e -> LOG.warn("an automatic audit message could not be made: {}", e.getMessage()));
    }

    static AuditService start(DicomAuditComponent c) throws Exception {
        AuditService s = new AuditService(c);
        s.open();
        return s;
    }

    private void open() throws Exception {
        List<AuditSink> sinks = sinks();
        DicomAuditComponent c = component;
        AuditTrailOptions options = AuditTrailOptions.builder(Path.of(c.getSpoolDirectory()))
                .maxSpoolBytes(c.getSpoolMaxBytes())
                .bufferCapacity(c.getSpoolBufferCapacity())
                .sync(c.isSpoolSync())
                .overflowPolicy(EndpointOptions.choice("spoolOverflowPolicy", c.getSpoolOverflowPolicy(),
                        OverflowPolicy.class))
                .blockTimeout(Duration.ofMillis(c.getSpoolBlockTimeout()))
                .alarmHandler(this::alarm)
                .build();
        try {
            trail = AuditTrail.open(options, sinks);
        } catch (IOException | RuntimeException e) {
            for (AuditSink s : sinks) {
                closeQuietly(s);
            }
            throw e;
        }
        LOG.info("audit trail open: spool {}, sinks {}, format {}", trail.spoolDirectory(),
                sinks.stream().map(AuditSink::name).toList(), format);
        CamelContext ctx = c.getCamelContext();
        if (ctx.isStarted()) {
            applicationActivity(true);
        } else {
            ctx.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                    applicationActivity(true);
                }
            });
        }
    }

    private List<AuditSink> sinks() throws Exception {
        DicomAuditComponent c = component;
        List<AuditSink> sinks = new ArrayList<>();
        try {
            if (c.getSyslogHost() != null) {
                sinks.add(new SyslogSink(syslogOptions()));
            }
            if (c.getKafkaBootstrapServers() != null) {
                sinks.add(kafkaSink());
            }
            if (c.getFhirRepositoryUrl() != null) {
                sinks.add(new FhirRepositorySink(fhirOptions()));
            }
            if (c.getFile() != null || sinks.isEmpty()) {
                String f = c.getFile() != null ? c.getFile() : DEFAULT_FILE;
                sinks.add(new FileSink("file", Path.of(f), c.getFileMaxBytes(), c.getFileMaxFiles()));
            }
        } catch (Exception e) {
            for (AuditSink s : sinks) {
                closeQuietly(s);
            }
            throw e;
        }
        return sinks;
    }

    private SyslogOptions syslogOptions() {
        DicomAuditComponent c = component;
        SyslogProtocol protocol = EndpointOptions.choice("syslogProtocol", c.getSyslogProtocol(), SyslogProtocol.class);
        SyslogOptions.Builder b = SyslogOptions.builder().host(c.getSyslogHost()).port(c.getSyslogPort())
                .protocol(protocol).facility(c.getSyslogFacility()).severity(c.getSyslogSeverity())
                .appName(c.getSyslogAppName()).msgId(c.getSyslogMsgId())
                .confirmDelay(Duration.ofMillis(c.getSyslogConfirmDelay())).zone(zone);
        if (c.getSyslogHostname() != null) {
            b.hostname(c.getSyslogHostname());
        }
        if (c.getSyslogMaxMessageSize() > 0) {
            b.maxMessageSize(c.getSyslogMaxMessageSize());
        }
        if (protocol == SyslogProtocol.TLS) {
            b.tls(TlsSettings.builder()
                    .profile(EndpointOptions.choice("syslogTlsProfile", c.getSyslogTlsProfile(), TlsProfile.class))
                    .certificate(path(c.getSyslogCertificate()))
                    .privateKey(path(c.getSyslogPrivateKey()))
                    .privateKeyPassword(c.getSyslogPrivateKeyPassword())
                    .keyStore(path(c.getSyslogKeyStore()))
                    .keyStorePassword(c.getSyslogKeyStorePassword())
                    .trustedCertificates(path(c.getSyslogTrustedCertificates()))
                    .trustStore(path(c.getSyslogTrustStore()))
                    .trustStorePassword(c.getSyslogTrustStorePassword())
                    .verifyHostname(c.isSyslogVerifyHostname())
                    .build());
        }
        return b.build();
    }

    private FhirRepositoryOptions fhirOptions() {
        DicomAuditComponent c = component;
        if (format != AuditFormat.FHIR_AUDITEVENT_JSON) {
            throw new IllegalArgumentException("fhirRepositoryUrl needs format=FHIR_AUDITEVENT_JSON (the spool holds "
                    + "one format for every sink), not " + format);
        }
        FhirRepositoryOptions.Builder b = FhirRepositoryOptions.builder().baseUrl(c.getFhirRepositoryUrl())
                .method(EndpointOptions.choice("fhirRepositoryMethod", c.getFhirRepositoryMethod(),
                        FhirRepositoryOptions.Method.class))
                .bearerToken(c.getFhirRepositoryToken());
        if (c.getFhirRepositoryTrustedCertificates() != null || c.getFhirRepositoryCertificate() != null) {
            b.tls(TlsSettings.builder().profile(TlsProfile.BCP195_RFC8996)
                    .certificate(path(c.getFhirRepositoryCertificate()))
                    .privateKey(path(c.getFhirRepositoryPrivateKey()))
                    .trustedCertificates(path(c.getFhirRepositoryTrustedCertificates()))
                    .build());
        }
        return b.build();
    }

    private AuditSink kafkaSink() throws IOException {
        DicomAuditComponent c = component;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrapServers", c.getKafkaBootstrapServers());
        settings.put("topic", c.getKafkaTopic());
        if (c.getKafkaMaxUnconfirmed() > 0) {
            settings.put("maxUnconfirmed", Integer.toString(c.getKafkaMaxUnconfirmed()));
        }
        if (c.getKafkaProperties() != null) {
            for (String pair : c.getKafkaProperties().split("[,\\n]")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("kafkaProperties: '" + pair.strip()
                            + "' is not key=value");
                }
                settings.put("kafka." + pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        for (AuditSinkFactory f : ServiceLoader.load(AuditSinkFactory.class, DicomAuditComponent.class.getClassLoader())) {
            if (f.type().equals("kafka")) {
                return f.create(settings);
            }
        }
        throw new IllegalStateException("kafkaBootstrapServers is set but the Kafka audit sink is not on the "
                + "classpath: add the org.cameldicomsecure:kafka-audit module");
    }

    private static Path path(String s) {
        return EndpointOptions.path(s);
    }

    DimseAuditor dimseAuditor() {
        return dimse;
    }

    WebAuditor webAuditor() {
        return web;
    }

    MailAuditor mailAuditor() {
        return mail;
    }

    AuditSourceIdentification source() {
        return source;
    }

    String processName() {
        return processName;
    }

    String localHost() {
        return localHost;
    }

    ZoneId zone() {
        return zone;
    }

    /** A snapshot of the spool and of every sink, or null once the trail is closed. */
    AuditTrailStats stats() {
        AuditTrail t = trail;
        return t == null ? null : t.stats();
    }

    /** Appends a record made elsewhere (forwarded from Kafka) to the spool as it is. */
    SpooledRecord emit(AuditRecord r) throws IOException {
        return trail().emit(r);
    }

    /** Writes {@code m} in the configured format and appends it to the spool. */
    SpooledRecord emit(AuditMessage m) throws IOException {
        return trail().emit(record(m));
    }

    private AuditTrail trail() throws IOException {
        AuditTrail t = trail;
        if (t == null) {
            throw new IOException("the dicomaudit component is stopped");
        }
        return t;
    }

    AuditRecord record(AuditMessage m) {
        byte[] payload = format == AuditFormat.DICOM_XML ? AuditXml.toBytes(m) : FHIR.write(m);
        return new AuditRecord(UUID.randomUUID().toString(), m.event().dateTime().toInstant(), m.eventType().name(),
                m.outcome(), key(m), format, payload);
    }

    /**
     * The record key: a SHA-256 (hex) of the Patient ID, so that a patient's events keep their order in one Kafka
     * partition without the key disclosing the ID; the event type for messages without a patient (or kafkaKey
     * EVENT_TYPE).
     */
    String key(AuditMessage m) {
        if (keyByPatient) {
            List<ParticipantObjectIdentification> patients = m.patients();
            if (!patients.isEmpty()) {
                return sha256(patients.get(0).objectId());
            }
        }
        return m.eventType().name();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For automatic auditing: never throws into the network layer; a message that cannot be spooled is logged. */
    /**
     * For automatic auditing: called on Netty event loops, which must not block (a full buffer, or the BLOCK overflow
     * policy, would stall every association of that loop); the message is written and spooled on the auditor's own
     * thread, in order. Never throws into the network layer: a message that cannot be queued or spooled raises an
     * alarm (an ERROR line), never silence.
     */
    private void emitQuietly(AuditMessage m) {
        try {
            auto.execute(() -> {
                try {
                    emit(m);
                } catch (IOException | RuntimeException e) {
                    LOG.error("AUDIT ALARM: an automatic {} audit message was not accepted: {}", m.eventType(),
                            e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.error("AUDIT ALARM: an automatic {} audit message was not accepted: {} automatic messages wait for "
                    + "the spool already", m.eventType(), AUTO_QUEUE);
        }
    }

    private void alarm(AuditAlarm a) {
        LOG.error("AUDIT ALARM {}: {}", a.kind(), a.message());
        if (a.kind() == AuditAlarm.Kind.SPOOL_WRITE_FAILED) {
            return; // the spool itself cannot take the alert now; the log line is the alarm
        }
        try {
            AuditMessage alert = AuditMessages.securityAlert()
                    .eventTypeCode(a.kind() == AuditAlarm.Kind.SPOOL_RECOVERED ? AuditCodes.TYPE_AUDIT_RECORDING_STARTED
                            : AuditCodes.TYPE_AUDIT_RECORDING_STOPPED)
                    .user(Participants.application(processName, List.of(), localHost).requestor(false))
                    .alertSubjectUri(trailUri(a), a.kind() + ": " + a.message())
                    .eventDateTime(java.time.OffsetDateTime.ofInstant(a.time(), zone))
                    .outcome(a.kind() == AuditAlarm.Kind.SPOOL_RECOVERED ? 0 : 8)
                    .auditSource(source).build();
            AuditTrail t = trail;
            if (t != null) {
                t.emitReserved(record(alert));
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("AUDIT ALARM: the Security Alert for {} could not be spooled: {}", a.kind(), e.getMessage());
        }
    }

    private String trailUri(AuditAlarm a) {
        Path dir = Path.of(component.getSpoolDirectory()).toAbsolutePath();
        return dir.toUri().toString() + (a.sink() != null ? "#" + a.sink() : "");
    }

    /** Application Activity (A.5.3.1) with the Application Start or Stop type code. */
    void applicationActivity(boolean start) {
        if (start && started) {
            return;
        }
        started = true;
        try {
            AuditMessages.Builder b = AuditMessages.applicationActivity();
            if (start) {
                b.applicationStart();
            } else {
                b.applicationStop();
            }
            b.application(Participants.application(processName, aeTitles(), localHost).requestor(false))
                    .eventDateTime(java.time.OffsetDateTime.now(zone)).outcome(0).auditSource(source);
            emit(b.build());
        } catch (IOException | RuntimeException e) {
            LOG.error("AUDIT ALARM: the Application {} message was not accepted: {}", start ? "Start" : "Stop",
                    e.getMessage());
        }
    }

    /** The AE titles this application listens with (its dicomtls consumers). */
    private Set<String> aeTitles() {
        Set<String> aes = new LinkedHashSet<>();
        for (Route r : component.getCamelContext().getRoutes()) {
            if (r.getEndpoint() instanceof DicomTlsEndpoint e) {
                aes.add(e.getConfiguration().getAeTitle());
            }
        }
        return aes;
    }

    /** Application Stop, then a graceful close of the trail (flush, bounded drain, threads stopped). */
    void stop() {
        // the automatic messages already queued go first, then Application Stop
        component.getCamelContext().getExecutorServiceManager().shutdownGraceful(auto, 10_000);
        applicationActivity(false);
        AuditTrail t = trail;
        trail = null;
        if (t != null) {
            t.close();
        }
    }

    AuditTrail auditTrail() {
        return trail;
    }

    private static CodedValue sourceTypeCode(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        String c = code.strip();
        if (c.length() == 1 && c.charAt(0) >= '1' && c.charAt(0) <= '9') {
            return CodedValue.bare(c);
        }
        throw new IllegalArgumentException("auditSourceTypeCode must be one of the codes 1 to 9 of PS3.15 A.5.1.2.1, "
                + "not '" + code + "'");
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static void closeQuietly(AuditSink s) {
        try {
            s.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing audit sink {}: {}", s.name(), e.toString());
        }
    }
}
