package org.cameldicomsecure.audit.trail;

import java.io.IOException;
import java.util.Map;

/**
 * Makes sinks that live in other modules (the Kafka sink of {@code kafka-audit}), found with
 * {@link java.util.ServiceLoader}: a module lists its factory in
 * {@code META-INF/services/org.cameldicomsecure.audit.trail.AuditSinkFactory}.
 */
public interface AuditSinkFactory {

    /** The sink type this factory makes ("kafka"). */
    String type();

    /**
     * A new sink. {@code settings} are the sink's options by name (for Kafka: {@code bootstrapServers}, {@code topic},
     * and any Kafka producer property prefixed with {@code kafka.}); unknown or invalid settings are refused with an
     * {@link IllegalArgumentException} naming them.
     */
    AuditSink create(Map<String, String> settings) throws IOException;
}
