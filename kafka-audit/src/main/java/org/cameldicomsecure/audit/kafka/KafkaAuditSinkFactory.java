package org.cameldicomsecure.audit.kafka;

import java.util.Map;

import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.AuditSinkFactory;

/**
 * Makes {@link KafkaAuditSink}s (type {@value #TYPE}), found by {@link java.util.ServiceLoader}; the settings are those
 * of {@link KafkaAuditSettings}. Nothing connects before the first send.
 */
public final class KafkaAuditSinkFactory implements AuditSinkFactory {

    public static final String TYPE = "kafka";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public AuditSink create(Map<String, String> settings) {
        return KafkaAuditSettings.sink(settings);
    }
}
