/**
 * The durable audit trail: audit records are appended to a local spool (fsync'd, bounded), and one delivery thread per
 * sink sends them, in order, to syslog (RFC 5424 over TLS, TCP or UDP), Kafka (module {@code kafka-audit}) or a file.
 * While a receiver is down, records wait on disk and go out when it returns; a full spool follows a documented
 * overflow policy and raises an alarm, never a silent drop.
 *
 * <p>JDK, Netty and the project's lower layers only: no Camel types.
 */
package org.cameldicomsecure.audit.trail;
