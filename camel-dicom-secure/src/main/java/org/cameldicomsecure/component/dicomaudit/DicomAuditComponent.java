package org.cameldicomsecure.component.dicomaudit;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.cameldicomsecure.audit.AuditEventType;
import org.cameldicomsecure.audit.dimse.DimseAuditor;
import org.cameldicomsecure.audit.web.WebAuditor;

/**
 * The {@code dicomaudit} component: {@code dicomaudit:<EventName>} builds the PS3.15 A.5.3 audit message of that event
 * from the exchange and hands it to the sinks configured here (syslog over TLS, TCP or UDP; Kafka; a file), through a
 * durable local spool. Once any sink is configured, {@code dicomtls} endpoints are audited automatically
 * ({@link #isAutoAudit()}).
 *
 * <p>The sinks and the spool are shared by all endpoints; they start with the component and stop with it, after an
 * Application Activity message with the Application Stop type code.
 */
@Component("dicomaudit")
public class DicomAuditComponent extends DefaultComponent {

    @Metadata(label = "syslog", description = "Host name or address of the audit record repository's syslog receiver. Setting it turns the syslog sink on.")
    private String syslogHost;
    @Metadata(label = "syslog", defaultValue = "6514", description = "Port of the syslog receiver (6514 for TLS per RFC 5425, 514 is usual for UDP).")
    private int syslogPort = 6514;
    @Metadata(label = "syslog", defaultValue = "TLS", description = "Transport: TLS (RFC 5425, PS3.15 A.6), TCP (RFC 6587 octet counting) or UDP (RFC 5426, PS3.15 A.7).", enums = "TLS,TCP,UDP")
    private String syslogProtocol = "TLS";
    @Metadata(label = "syslog,security", description = "PEM file of this client's certificate chain (mutual TLS).")
    private String syslogCertificate;
    @Metadata(label = "syslog,security", description = "PEM file of this client's private key (PKCS#8 or PKCS#1, optionally encrypted).")
    private String syslogPrivateKey;
    @Metadata(label = "syslog,security", description = "Password of an encrypted syslogPrivateKey.", secret = true)
    private String syslogPrivateKeyPassword;
    @Metadata(label = "syslog,security", description = "PKCS12 key store with this client's key and certificate chain (instead of the PEM files).")
    private String syslogKeyStore;
    @Metadata(label = "syslog,security", description = "Password of syslogKeyStore.", secret = true)
    private String syslogKeyStorePassword;
    @Metadata(label = "syslog,security", description = "PEM file of the CA certificates that the syslog receiver's certificate must chain to.")
    private String syslogTrustedCertificates;
    @Metadata(label = "syslog,security", description = "PKCS12 trust store (instead of syslogTrustedCertificates).")
    private String syslogTrustStore;
    @Metadata(label = "syslog,security", description = "Password of syslogTrustStore.", secret = true)
    private String syslogTrustStorePassword;
    @Metadata(label = "syslog,security", defaultValue = "true", description = "Check the receiver's certificate against syslogHost (RFC 5425 5.2).")
    private boolean syslogVerifyHostname = true;
    @Metadata(label = "syslog,security", defaultValue = "BCP195_RFC8996", description = "The TLS profile for syslog-TLS (A.6 asks for TLS 1.2 or later).")
    private String syslogTlsProfile = "BCP195_RFC8996";
    @Metadata(label = "syslog", defaultValue = "10", description = "RFC 5424 facility (10: security/authorization, as PS3.15 A.6 says).")
    private int syslogFacility = 10;
    @Metadata(label = "syslog", defaultValue = "5", description = "RFC 5424 severity (5: notice, as PS3.15 A.6 says).")
    private int syslogSeverity = 5;
    @Metadata(label = "syslog", defaultValue = "camel-dicom-secure", description = "RFC 5424 APP-NAME.")
    private String syslogAppName = "camel-dicom-secure";
    @Metadata(label = "syslog", defaultValue = "DICOM+RFC3881", description = "RFC 5424 MSGID (PS3.15 A.6: DICOM+RFC3881).")
    private String syslogMsgId = "DICOM+RFC3881";
    @Metadata(label = "syslog", description = "RFC 5424 HOSTNAME (default: this machine's name).")
    private String syslogHostname;
    @Metadata(label = "syslog", defaultValue = "0", description = "Largest message sent over TLS or TCP, in bytes (0: the sink's default, 8 MiB; at least 32768 as A.6 requires).")
    private int syslogMaxMessageSize = 0;
    @Metadata(label = "syslog", defaultValue = "1000", description = "Milliseconds a record must stay on a healthy TLS/TCP connection before it counts as delivered; after a lost connection everything not yet confirmed is sent again (at least once, duplicates carry the same meta sequenceId).")
    private long syslogConfirmDelay = 1000L;
    @Metadata(label = "kafka", description = "Kafka bootstrap servers (host:port,...). Setting it turns the Kafka sink on; needs the kafka-audit module on the classpath.")
    private String kafkaBootstrapServers;
    @Metadata(label = "kafka", defaultValue = "dicom-audit", description = "Kafka topic of the audit records.")
    private String kafkaTopic = "dicom-audit";
    @Metadata(label = "kafka", defaultValue = "PATIENT", description = "Record key: PATIENT (a SHA-256 of the Patient ID, so one patient's events stay in one partition, in order; the event type when the message has no patient) or EVENT_TYPE.", enums = "PATIENT,EVENT_TYPE")
    private String kafkaKey = "PATIENT";
    @Metadata(label = "kafka", description = "More Kafka producer properties, as key=value pairs separated by commas or new lines (e.g. security.protocol=SSL,ssl.truststore.location=...).")
    private String kafkaProperties;
    @Metadata(label = "kafka", defaultValue = "20000", description = "Records the Kafka sink may have in flight before it waits for their acknowledgements (batches overlap; the idempotent producer keeps them exactly once and in order). 0 waits for each batch.")
    private int kafkaMaxUnconfirmed = 20000;
    @Metadata(label = "fhir", description = "Base URL of a FHIR audit record repository (http or https): every message is sent as a FHIR R4 AuditEvent (needs format=FHIR_AUDITEVENT_JSON). Setting it turns the FHIR sink on.")
    private String fhirRepositoryUrl;
    @Metadata(label = "fhir", defaultValue = "POST", enums = "POST,PUT", description = "POST [base]/AuditEvent, or PUT [base]/AuditEvent/<message ID>, which makes a re-delivery idempotent where the repository accepts client-assigned IDs.")
    private String fhirRepositoryMethod = "POST";
    @Metadata(label = "fhir,security", secret = true, description = "OAuth bearer token sent to the FHIR repository.")
    private String fhirRepositoryToken;
    @Metadata(label = "fhir,security", description = "PEM file of this client's certificate chain for https (mutual TLS).")
    private String fhirRepositoryCertificate;
    @Metadata(label = "fhir,security", description = "PEM file of this client's private key for https.")
    private String fhirRepositoryPrivateKey;
    @Metadata(label = "fhir,security", description = "PEM file of the CA certificates the FHIR repository's certificate must chain to (default: the JDK's trusted CAs).")
    private String fhirRepositoryTrustedCertificates;
    @Metadata(label = "file", description = "Path of the file sink: one message per line, rotated by size. Setting it turns the file sink on. When no sink at all is configured, messages go to the file audit/dicom-audit.log (and automatic auditing stays off).")
    private String file;
    @Metadata(label = "file", defaultValue = "104857600", description = "Rotate the file sink's file before it grows past this many bytes (0: never).")
    private long fileMaxBytes = 104857600L;
    @Metadata(label = "file", defaultValue = "0", description = "Rotated files to keep (file.1 ... file.N); 0 keeps all, so no audit record is ever deleted by rotation.")
    private int fileMaxFiles = 0;
    @Metadata(label = "spool", defaultValue = "audit-spool", description = "Directory of the durable spool every sink reads from (fsync'd; survives restarts and crashes). One JVM per directory.")
    private String spoolDirectory = "audit-spool";
    @Metadata(label = "spool", defaultValue = "1073741824", description = "Largest size of the spool; what happens when it is full is spoolOverflowPolicy.")
    private long spoolMaxBytes = 1073741824L;
    @Metadata(label = "spool", defaultValue = "REJECT", description = "When the spool is full: REJECT (the exchange fails with an error and the message is not accepted, nothing is dropped), BLOCK (the route waits up to spoolBlockTimeout for space, then REJECT) or DROP_OLDEST (the oldest undelivered records are deleted and counted). Every episode raises an alarm and a Security Alert.", enums = "REJECT,BLOCK,DROP_OLDEST")
    private String spoolOverflowPolicy = "REJECT";
    @Metadata(label = "spool", defaultValue = "30000", description = "Milliseconds the BLOCK policy waits for space.")
    private long spoolBlockTimeout = 30000L;
    @Metadata(label = "spool", defaultValue = "false", description = "Wait for the fsync of each message before the route goes on (else the route waits only while the bounded buffer is full, and the fsync follows within milliseconds).")
    private boolean spoolSync = false;
    @Metadata(label = "spool", defaultValue = "10000", description = "Messages buffered in memory ahead of the spool's writer.")
    private int spoolBufferCapacity = 10000;
    @Metadata(label = "common", defaultValue = "DICOM_XML", description = "DICOM_XML (PS3.15 A.5.1) or FHIR_AUDITEVENT_JSON (FHIR R4 AuditEvent, IHE BALP).", enums = "DICOM_XML,FHIR_AUDITEVENT_JSON")
    private String format = "DICOM_XML";
    @Metadata(label = "common", description = "AuditSourceID of every message (default: this machine's host name).")
    private String auditSourceId;
    @Metadata(label = "common", description = "AuditEnterpriseSiteID of every message.")
    private String auditEnterpriseSiteId;
    @Metadata(label = "common", defaultValue = "4", description = "AuditSourceTypeCode (A.5.1.2.1; 4: application server process tier).")
    private String auditSourceTypeCode = "4";
    @Metadata(label = "common", defaultValue = "true", description = "Audit dicomtls, dicomweb and dicommail endpoints automatically (associations, transfers, authentication, exports and imports by email, security alerts, Application Start and Stop) once any sink is configured.")
    private boolean autoAudit = true;
    @Metadata(label = "common", defaultValue = "false", description = "List the SOP Instance UIDs in DICOM Instances Transferred messages (A.5.2: usually omitted).")
    private boolean includeInstanceUids = false;

    private AuditService service;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String name = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        // dicomaudit:forward takes records already made (by the Kafka forwarder of kafka-audit) to this component's sinks
        AuditEventType type = DicomAuditEndpoint.FORWARD.equals(name) ? null : AuditEventType.ofName(name);
        DicomAuditEndpoint endpoint = new DicomAuditEndpoint(uri, this, type);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The running audit service (started with the component, or on first use). */
    synchronized AuditService service() throws Exception {
        if (service == null) {
            service = AuditService.start(this);
        }
        return service;
    }

    /**
     * The auditor for {@code dicomtls} endpoints of {@code context}, or null when automatic auditing is off (no
     * dicomaudit component, no sink configured, or {@code autoAudit=false}).
     */
    public static DimseAuditor autoAuditor(org.apache.camel.CamelContext context) throws Exception {
        org.apache.camel.Component c = context.hasComponent("dicomaudit");
        if (c instanceof DicomAuditComponent a && a.isAutoAudit() && a.hasSink()) {
            return a.service().dimseAuditor();
        }
        return null;
    }

    /**
     * The auditor for {@code dicomweb} endpoints of {@code context} (the origin server's listener and the user
     * agent's events), or null when automatic auditing is off, as for {@link #autoAuditor}.
     */
    public static WebAuditor autoWebAuditor(org.apache.camel.CamelContext context) throws Exception {
        org.apache.camel.Component c = context.hasComponent("dicomaudit");
        if (c instanceof DicomAuditComponent a && a.isAutoAudit() && a.hasSink()) {
            return a.service().webAuditor();
        }
        return null;
    }

    /**
     * The auditor for {@code dicommail} endpoints of {@code context} (Data Export, Data Import, Security Alert), or
     * null when automatic auditing is off, as for {@link #autoAuditor}.
     */
    public static org.cameldicomsecure.audit.mail.MailAuditor autoMailAuditor(org.apache.camel.CamelContext context)
            throws Exception {
        org.apache.camel.Component c = context.hasComponent("dicomaudit");
        if (c instanceof DicomAuditComponent a && a.isAutoAudit() && a.hasSink()) {
            return a.service().mailAuditor();
        }
        return null;
    }

    /** Whether a sink is configured (syslogHost, kafkaBootstrapServers, fhirRepositoryUrl or file). */
    public boolean hasSink() {
        return syslogHost != null || kafkaBootstrapServers != null || fhirRepositoryUrl != null || file != null;
    }

    /**
     * A snapshot of the running audit trail (spool use, overflow episode, each sink's pending records and last error),
     * or null while no trail runs (no sink configured, not started yet, or stopped). For health checks.
     */
    public synchronized org.cameldicomsecure.audit.trail.AuditTrailStats auditTrailStats() {
        return service == null ? null : service.stats();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (hasSink()) {
            service();
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (service != null) {
            service.stop();
            service = null;
        }
        super.doStop();
    }

    public String getSyslogHost() {
        return syslogHost;
    }

    public void setSyslogHost(String syslogHost) {
        this.syslogHost = syslogHost;
    }

    public int getSyslogPort() {
        return syslogPort;
    }

    public void setSyslogPort(int syslogPort) {
        this.syslogPort = syslogPort;
    }

    public String getSyslogProtocol() {
        return syslogProtocol;
    }

    public void setSyslogProtocol(String syslogProtocol) {
        this.syslogProtocol = syslogProtocol;
    }

    public String getSyslogCertificate() {
        return syslogCertificate;
    }

    public void setSyslogCertificate(String syslogCertificate) {
        this.syslogCertificate = syslogCertificate;
    }

    public String getSyslogPrivateKey() {
        return syslogPrivateKey;
    }

    public void setSyslogPrivateKey(String syslogPrivateKey) {
        this.syslogPrivateKey = syslogPrivateKey;
    }

    public String getSyslogPrivateKeyPassword() {
        return syslogPrivateKeyPassword;
    }

    public void setSyslogPrivateKeyPassword(String syslogPrivateKeyPassword) {
        this.syslogPrivateKeyPassword = syslogPrivateKeyPassword;
    }

    public String getSyslogKeyStore() {
        return syslogKeyStore;
    }

    public void setSyslogKeyStore(String syslogKeyStore) {
        this.syslogKeyStore = syslogKeyStore;
    }

    public String getSyslogKeyStorePassword() {
        return syslogKeyStorePassword;
    }

    public void setSyslogKeyStorePassword(String syslogKeyStorePassword) {
        this.syslogKeyStorePassword = syslogKeyStorePassword;
    }

    public String getSyslogTrustedCertificates() {
        return syslogTrustedCertificates;
    }

    public void setSyslogTrustedCertificates(String syslogTrustedCertificates) {
        this.syslogTrustedCertificates = syslogTrustedCertificates;
    }

    public String getSyslogTrustStore() {
        return syslogTrustStore;
    }

    public void setSyslogTrustStore(String syslogTrustStore) {
        this.syslogTrustStore = syslogTrustStore;
    }

    public String getSyslogTrustStorePassword() {
        return syslogTrustStorePassword;
    }

    public void setSyslogTrustStorePassword(String syslogTrustStorePassword) {
        this.syslogTrustStorePassword = syslogTrustStorePassword;
    }

    public boolean isSyslogVerifyHostname() {
        return syslogVerifyHostname;
    }

    public void setSyslogVerifyHostname(boolean syslogVerifyHostname) {
        this.syslogVerifyHostname = syslogVerifyHostname;
    }

    public String getSyslogTlsProfile() {
        return syslogTlsProfile;
    }

    public void setSyslogTlsProfile(String syslogTlsProfile) {
        this.syslogTlsProfile = syslogTlsProfile;
    }

    public int getSyslogFacility() {
        return syslogFacility;
    }

    public void setSyslogFacility(int syslogFacility) {
        this.syslogFacility = syslogFacility;
    }

    public int getSyslogSeverity() {
        return syslogSeverity;
    }

    public void setSyslogSeverity(int syslogSeverity) {
        this.syslogSeverity = syslogSeverity;
    }

    public String getSyslogAppName() {
        return syslogAppName;
    }

    public void setSyslogAppName(String syslogAppName) {
        this.syslogAppName = syslogAppName;
    }

    public String getSyslogMsgId() {
        return syslogMsgId;
    }

    public void setSyslogMsgId(String syslogMsgId) {
        this.syslogMsgId = syslogMsgId;
    }

    public String getSyslogHostname() {
        return syslogHostname;
    }

    public void setSyslogHostname(String syslogHostname) {
        this.syslogHostname = syslogHostname;
    }

    public int getSyslogMaxMessageSize() {
        return syslogMaxMessageSize;
    }

    public void setSyslogMaxMessageSize(int syslogMaxMessageSize) {
        this.syslogMaxMessageSize = syslogMaxMessageSize;
    }

    public long getSyslogConfirmDelay() {
        return syslogConfirmDelay;
    }

    public void setSyslogConfirmDelay(long syslogConfirmDelay) {
        this.syslogConfirmDelay = syslogConfirmDelay;
    }

    public String getKafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    public void setKafkaBootstrapServers(String kafkaBootstrapServers) {
        this.kafkaBootstrapServers = kafkaBootstrapServers;
    }

    public String getKafkaTopic() {
        return kafkaTopic;
    }

    public void setKafkaTopic(String kafkaTopic) {
        this.kafkaTopic = kafkaTopic;
    }

    public String getKafkaKey() {
        return kafkaKey;
    }

    public void setKafkaKey(String kafkaKey) {
        this.kafkaKey = kafkaKey;
    }

    public String getKafkaProperties() {
        return kafkaProperties;
    }

    public void setKafkaProperties(String kafkaProperties) {
        this.kafkaProperties = kafkaProperties;
    }

    public int getKafkaMaxUnconfirmed() {
        return kafkaMaxUnconfirmed;
    }

    public void setKafkaMaxUnconfirmed(int kafkaMaxUnconfirmed) {
        this.kafkaMaxUnconfirmed = kafkaMaxUnconfirmed;
    }

    public String getFhirRepositoryUrl() {
        return fhirRepositoryUrl;
    }

    public void setFhirRepositoryUrl(String fhirRepositoryUrl) {
        this.fhirRepositoryUrl = fhirRepositoryUrl;
    }

    public String getFhirRepositoryMethod() {
        return fhirRepositoryMethod;
    }

    public void setFhirRepositoryMethod(String fhirRepositoryMethod) {
        this.fhirRepositoryMethod = fhirRepositoryMethod;
    }

    public String getFhirRepositoryToken() {
        return fhirRepositoryToken;
    }

    public void setFhirRepositoryToken(String fhirRepositoryToken) {
        this.fhirRepositoryToken = fhirRepositoryToken;
    }

    public String getFhirRepositoryCertificate() {
        return fhirRepositoryCertificate;
    }

    public void setFhirRepositoryCertificate(String fhirRepositoryCertificate) {
        this.fhirRepositoryCertificate = fhirRepositoryCertificate;
    }

    public String getFhirRepositoryPrivateKey() {
        return fhirRepositoryPrivateKey;
    }

    public void setFhirRepositoryPrivateKey(String fhirRepositoryPrivateKey) {
        this.fhirRepositoryPrivateKey = fhirRepositoryPrivateKey;
    }

    public String getFhirRepositoryTrustedCertificates() {
        return fhirRepositoryTrustedCertificates;
    }

    public void setFhirRepositoryTrustedCertificates(String fhirRepositoryTrustedCertificates) {
        this.fhirRepositoryTrustedCertificates = fhirRepositoryTrustedCertificates;
    }

    public String getFile() {
        return file;
    }

    public void setFile(String file) {
        this.file = file;
    }

    public long getFileMaxBytes() {
        return fileMaxBytes;
    }

    public void setFileMaxBytes(long fileMaxBytes) {
        this.fileMaxBytes = fileMaxBytes;
    }

    public int getFileMaxFiles() {
        return fileMaxFiles;
    }

    public void setFileMaxFiles(int fileMaxFiles) {
        this.fileMaxFiles = fileMaxFiles;
    }

    public String getSpoolDirectory() {
        return spoolDirectory;
    }

    public void setSpoolDirectory(String spoolDirectory) {
        this.spoolDirectory = spoolDirectory;
    }

    public long getSpoolMaxBytes() {
        return spoolMaxBytes;
    }

    public void setSpoolMaxBytes(long spoolMaxBytes) {
        this.spoolMaxBytes = spoolMaxBytes;
    }

    public String getSpoolOverflowPolicy() {
        return spoolOverflowPolicy;
    }

    public void setSpoolOverflowPolicy(String spoolOverflowPolicy) {
        this.spoolOverflowPolicy = spoolOverflowPolicy;
    }

    public long getSpoolBlockTimeout() {
        return spoolBlockTimeout;
    }

    public void setSpoolBlockTimeout(long spoolBlockTimeout) {
        this.spoolBlockTimeout = spoolBlockTimeout;
    }

    public boolean isSpoolSync() {
        return spoolSync;
    }

    public void setSpoolSync(boolean spoolSync) {
        this.spoolSync = spoolSync;
    }

    public int getSpoolBufferCapacity() {
        return spoolBufferCapacity;
    }

    public void setSpoolBufferCapacity(int spoolBufferCapacity) {
        this.spoolBufferCapacity = spoolBufferCapacity;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public String getAuditSourceId() {
        return auditSourceId;
    }

    public void setAuditSourceId(String auditSourceId) {
        this.auditSourceId = auditSourceId;
    }

    public String getAuditEnterpriseSiteId() {
        return auditEnterpriseSiteId;
    }

    public void setAuditEnterpriseSiteId(String auditEnterpriseSiteId) {
        this.auditEnterpriseSiteId = auditEnterpriseSiteId;
    }

    public String getAuditSourceTypeCode() {
        return auditSourceTypeCode;
    }

    public void setAuditSourceTypeCode(String auditSourceTypeCode) {
        this.auditSourceTypeCode = auditSourceTypeCode;
    }

    public boolean isAutoAudit() {
        return autoAudit;
    }

    public void setAutoAudit(boolean autoAudit) {
        this.autoAudit = autoAudit;
    }

    public boolean isIncludeInstanceUids() {
        return includeInstanceUids;
    }

    public void setIncludeInstanceUids(boolean includeInstanceUids) {
        this.includeInstanceUids = includeInstanceUids;
    }
}
