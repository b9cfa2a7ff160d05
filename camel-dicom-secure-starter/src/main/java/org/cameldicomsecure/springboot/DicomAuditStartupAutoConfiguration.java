package org.cameldicomsecure.springboot;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.cameldicomsecure.component.dicomaudit.springboot.DicomAuditComponentAutoConfiguration;
import org.cameldicomsecure.component.dicomaudit.springboot.DicomAuditComponentConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * Creates the {@code dicomaudit} component before the Camel context starts when a sink is configured
 * ({@code camel.component.dicomaudit.syslog-host}, {@code .kafka-bootstrap-servers}, {@code .fhir-repository-url} or
 * {@code .file}), as Camel Main does for configured components. Camel creates components on first use, and no route
 * needs to name {@code dicomaudit} for the automatic auditing of dicomtls, dicomweb and dicommail endpoints, which
 * looks the component up when they start: without this, sink properties alone would audit nothing.
 */
@AutoConfiguration(after = { CamelAutoConfiguration.class, DicomAuditComponentAutoConfiguration.class })
@ConditionalOnBean({ CamelContext.class, DicomAuditComponentConfiguration.class })
public class DicomAuditStartupAutoConfiguration {

    @Bean
    public CamelContextConfiguration dicomAuditStartup(DicomAuditComponentConfiguration audit) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                if (audit.getSyslogHost() != null || audit.getKafkaBootstrapServers() != null
                        || audit.getFhirRepositoryUrl() != null || audit.getFile() != null) {
                    camelContext.getComponent("dicomaudit", true);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
            }
        };
    }
}
