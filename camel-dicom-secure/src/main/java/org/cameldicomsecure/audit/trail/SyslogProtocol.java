package org.cameldicomsecure.audit.trail;

/** How a {@link SyslogSink} carries RFC 5424 messages. */
public enum SyslogProtocol {
    /**
     * RFC 5425 syslog over TLS (PS3.15 A.6 SYSLOG-TLS): octet-counting framing ({@code LEN SP MSG}), TLS 1.2 or later,
     * mutual authentication. Default port 6514.
     */
    TLS(6514),
    /**
     * The same framing over plain TCP (RFC 6587 octet counting), for receivers inside a protected network. Default
     * port 514, the customary one (RFC 6587 assigns none).
     */
    TCP(514),
    /**
     * RFC 5426 syslog over UDP (PS3.15 A.7 SYSLOG-UDP): one message per datagram, no acknowledgement, no security.
     * Default port 514.
     */
    UDP(514);

    private final int defaultPort;

    SyslogProtocol(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** The port used when none is configured. */
    public int defaultPort() {
        return defaultPort;
    }
}
