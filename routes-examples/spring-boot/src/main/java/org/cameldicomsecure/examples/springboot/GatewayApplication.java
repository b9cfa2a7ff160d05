package org.cameldicomsecure.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application on camel-dicom-secure-starter: {@link TlsReceiverRoute} receives DICOM over TLS and
 * writes every instance to a folder. The key material is configured with {@code camel.component.dicomtls.*}
 * properties (application.properties); the actuator's {@code /actuator/health} shows the "dicomSecure" indicator
 * (certificate expiry, audit sink).
 */
@SpringBootApplication
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
