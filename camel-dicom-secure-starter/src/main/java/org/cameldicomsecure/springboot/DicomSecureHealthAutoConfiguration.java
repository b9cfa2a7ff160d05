package org.cameldicomsecure.springboot;

import java.time.Clock;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The "dicomSecure" health indicator (bean {@code dicomSecureHealthIndicator}, shown by the actuator's health
 * endpoint as {@code dicomSecure}) when the application has Spring Boot's actuator; off with
 * {@code management.health.dicom-secure.enabled=false}.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(CamelContext.class)
@ConditionalOnProperty(prefix = "management.health.dicom-secure", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(DicomSecureHealthProperties.class)
public class DicomSecureHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "dicomSecureHealthIndicator")
    public DicomSecureHealthIndicator dicomSecureHealthIndicator(CamelContext camelContext,
            DicomSecureHealthProperties properties) {
        return new DicomSecureHealthIndicator(camelContext, properties.getCertificateWarning(), Clock.systemUTC());
    }
}
