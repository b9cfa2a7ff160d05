package org.cameldicomsecure.audit.trail;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

import io.netty.channel.EventLoopGroup;

import org.cameldicomsecure.tls.TlsSettings;

/**
 * How a {@link SyslogSink} reaches its receiver and writes its messages. Build with {@link #builder()}; {@code build()}
 * checks everything and refuses bad values with an {@link IllegalArgumentException} that names the option.
 *
 * @param name            the sink's name in the trail ([a-z0-9-]+, default "syslog")
 * @param host            the receiver's host name or IP address (required); with TLS, what the receiver's certificate
 *                        is checked against unless {@code verifyHostname} is off in {@code tls}
 * @param port            the receiver's port (default: {@link SyslogProtocol#defaultPort()}, 6514 for TLS, 514 for
 *                        UDP and TCP)
 * @param protocol        TLS (default), TCP or UDP
 * @param tls             key, trust and profile for TLS (required for TLS, refused otherwise): the same PEM and
 *                        PKCS12 options as {@code dicomtls}; the profile must not enable anything older than TLS 1.2
 * @param connectTimeout  how long a TCP connect plus TLS handshake may take (default 10 s)
 * @param confirmDelay    how long a connection must stay healthy after a record was written before the record
 *                        counts as delivered (TCP and TLS; default 1 s). Syslog has no acknowledgements: a receiver
 *                        that dies drops what it had not processed, so records written in the last
 *                        {@code confirmDelay} before a failure are sent again
 * @param writeTimeout    how long a send may wait for a receiver that does not read (default 30 s); then the
 *                        connection counts as failed
 * @param maxMessageSize  the largest message sent over TCP or TLS, in octets without framing (default 8 MiB,
 *                        at least 32768 as PS3.15 A.6 requires); larger records are refused
 *                        ({@link RecordRejectedException})
 * @param maxDatagramSize the largest UDP datagram (default 65507, the largest UDP payload over IPv4; at least 480,
 *                        RFC 5426 3.2); larger messages are refused, never truncated
 * @param facility        RFC 5424 facility, 0..23 (default 10, security/authorization)
 * @param severity        RFC 5424 severity, 0..7 (default 5, notice)
 * @param hostname        HOSTNAME (default: {@link Rfc5424#defaultHostname()})
 * @param appName         APP-NAME (default "camel-dicom-secure")
 * @param procId          PROCID (default: this process's ID)
 * @param msgId           MSGID (default "DICOM+RFC3881")
 * @param zone            the zone whose offset TIMESTAMP shows (default: the system's)
 * @param eventLoopGroup  a Netty event loop group to run on (not shut down by the sink); {@code null}: the sink makes
 *                        a one-thread NIO group of its own
 */
public record SyslogOptions(
        String name,
        String host,
        int port,
        SyslogProtocol protocol,
        TlsSettings tls,
        Duration connectTimeout,
        Duration confirmDelay,
        Duration writeTimeout,
        int maxMessageSize,
        int maxDatagramSize,
        int facility,
        int severity,
        String hostname,
        String appName,
        String procId,
        String msgId,
        ZoneId zone,
        EventLoopGroup eventLoopGroup) {

    public static final String DEFAULT_NAME = "syslog";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONFIRM_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 8 * 1024 * 1024;
    /** PS3.15 A.6: messages of at least 32768 octets shall be supported. */
    public static final int MIN_MAX_MESSAGE_SIZE = 32768;
    /** 65535 - 20 (IPv4 header) - 8 (UDP header). */
    public static final int DEFAULT_MAX_DATAGRAM_SIZE = 65507;
    /** RFC 5426 3.2: every IPv4 receiver takes 480 octets. */
    public static final int MIN_MAX_DATAGRAM_SIZE = 480;

    public SyslogOptions {
        Objects.requireNonNull(protocol, "protocol");
        if (name == null || !name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("syslog sink name must match [a-z0-9-]+, not '" + name + "'");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("syslogHost is required: the host name or IP address of the syslog "
                    + "receiver");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("syslogPort must be 1..65535, not " + port);
        }
        if (protocol == SyslogProtocol.TLS && tls == null) {
            throw new IllegalArgumentException("syslogProtocol TLS needs TLS settings: the trusted CA certificates "
                    + "(syslogTrustedCertificates) and, for mutual TLS, syslogCertificate and syslogPrivateKey");
        }
        if (protocol != SyslogProtocol.TLS && tls != null) {
            throw new IllegalArgumentException("TLS settings are given but syslogProtocol is " + protocol
                    + ": they would be ignored; use syslogProtocol TLS or drop them");
        }
        connectTimeout = positive("connectTimeout", connectTimeout);
        writeTimeout = positive("writeTimeout", writeTimeout);
        Objects.requireNonNull(confirmDelay, "confirmDelay");
        if (confirmDelay.isNegative()) {
            throw new IllegalArgumentException("confirmDelay must not be negative, not " + confirmDelay);
        }
        if (maxMessageSize < MIN_MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("maxMessageSize must be at least " + MIN_MAX_MESSAGE_SIZE
                    + " octets (PS3.15 A.6), not " + maxMessageSize);
        }
        if (maxDatagramSize < MIN_MAX_DATAGRAM_SIZE || maxDatagramSize > DEFAULT_MAX_DATAGRAM_SIZE) {
            throw new IllegalArgumentException("maxDatagramSize must be " + MIN_MAX_DATAGRAM_SIZE + ".."
                    + DEFAULT_MAX_DATAGRAM_SIZE + " octets (RFC 5426 3.2; the largest UDP payload), not "
                    + maxDatagramSize);
        }
        // the header fields: the same checks the formatter makes, so that a bad option fails here, by name
        new Rfc5424(facility, severity, hostname, appName, procId, msgId, zone);
    }

    private static Duration positive(String option, Duration d) {
        Objects.requireNonNull(d, option);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, not " + d);
        }
        return d;
    }

    /** The RFC 5424 writer these options describe. */
    public Rfc5424 rfc5424() {
        return new Rfc5424(facility, severity, hostname, appName, procId, msgId, zone);
    }

    /** Never shows passwords (TlsSettings masks them). */
    @Override
    public String toString() {
        return "SyslogOptions[" + name + ": " + protocol + " " + host + ":" + port + ", tls=" + tls
                + ", connectTimeout=" + connectTimeout + ", confirmDelay=" + confirmDelay + ", writeTimeout="
                + writeTimeout + ", maxMessageSize=" + maxMessageSize + ", maxDatagramSize=" + maxDatagramSize
                + ", facility=" + facility + ", severity=" + severity + ", hostname=" + hostname + ", appName="
                + appName + ", procId=" + procId + ", msgId=" + msgId + ", zone=" + zone
                + ", eventLoopGroup=" + (eventLoopGroup == null ? "own" : "given") + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().name(name).host(host).port(port).protocol(protocol).tls(tls)
                .connectTimeout(connectTimeout).confirmDelay(confirmDelay).writeTimeout(writeTimeout)
                .maxMessageSize(maxMessageSize).maxDatagramSize(maxDatagramSize).facility(facility)
                .severity(severity).hostname(hostname).appName(appName).procId(procId).msgId(msgId).zone(zone)
                .eventLoopGroup(eventLoopGroup);
    }

    /** Builds {@link SyslogOptions}; see the record's parameters for the defaults. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private String host;
        private int port;
        private SyslogProtocol protocol = SyslogProtocol.TLS;
        private TlsSettings tls;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration confirmDelay = DEFAULT_CONFIRM_DELAY;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxDatagramSize = DEFAULT_MAX_DATAGRAM_SIZE;
        private int facility = Rfc5424.DEFAULT_FACILITY;
        private int severity = Rfc5424.DEFAULT_SEVERITY;
        private String hostname;
        private String appName = Rfc5424.DEFAULT_APP_NAME;
        private String procId;
        private String msgId = Rfc5424.DEFAULT_MSG_ID;
        private ZoneId zone;
        private EventLoopGroup eventLoopGroup;

        private Builder() {
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        /** 0: the protocol's default port. */
        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder protocol(SyslogProtocol v) {
            protocol = v;
            return this;
        }

        public Builder tls(TlsSettings v) {
            tls = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder confirmDelay(Duration v) {
            confirmDelay = v;
            return this;
        }

        public Builder writeTimeout(Duration v) {
            writeTimeout = v;
            return this;
        }

        public Builder maxMessageSize(int v) {
            maxMessageSize = v;
            return this;
        }

        public Builder maxDatagramSize(int v) {
            maxDatagramSize = v;
            return this;
        }

        public Builder facility(int v) {
            facility = v;
            return this;
        }

        public Builder severity(int v) {
            severity = v;
            return this;
        }

        /** {@code null}: {@link Rfc5424#defaultHostname()}. */
        public Builder hostname(String v) {
            hostname = v;
            return this;
        }

        public Builder appName(String v) {
            appName = v;
            return this;
        }

        /** {@code null}: this process's ID. */
        public Builder procId(String v) {
            procId = v;
            return this;
        }

        public Builder msgId(String v) {
            msgId = v;
            return this;
        }

        /** {@code null}: the system's default zone. */
        public Builder zone(ZoneId v) {
            zone = v;
            return this;
        }

        /** {@code null}: a one-thread NIO group of the sink's own. */
        public Builder eventLoopGroup(EventLoopGroup v) {
            eventLoopGroup = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the option that is wrong
         */
        public SyslogOptions build() {
            Objects.requireNonNull(protocol, "protocol");
            String h = hostname == null ? Rfc5424.defaultHostname() : hostname;
            String p = procId == null ? Long.toString(ProcessHandle.current().pid()) : procId;
            ZoneId z = zone == null ? ZoneId.systemDefault() : zone;
            return new SyslogOptions(name, host, port == 0 ? protocol.defaultPort() : port, protocol, tls,
                    connectTimeout, confirmDelay, writeTimeout, maxMessageSize, maxDatagramSize, facility, severity,
                    h, appName, p, msgId, z, eventLoopGroup);
        }
    }
}
