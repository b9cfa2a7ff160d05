package org.cameldicomsecure.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.cameldicomsecure.component.dicomaudit.springboot.DicomAuditComponentAutoConfiguration;
import org.cameldicomsecure.component.dicomdeid.springboot.DicomDeidComponentAutoConfiguration;
import org.cameldicomsecure.component.dicommail.springboot.DicomMailComponentAutoConfiguration;
import org.cameldicomsecure.component.dicommail.springboot.DicomMailComponentConverter;
import org.cameldicomsecure.component.dicomsign.springboot.DicomSignComponentAutoConfiguration;
import org.cameldicomsecure.component.dicomsign.springboot.DicomSignComponentConverter;
import org.cameldicomsecure.component.dicomdeid.springboot.DicomDeidComponentConverter;
import org.cameldicomsecure.component.dicomtls.springboot.DicomTlsComponentAutoConfiguration;
import org.cameldicomsecure.component.dicomtls.springboot.DicomTlsComponentConverter;
import org.cameldicomsecure.component.dicomweb.springboot.DicomWebComponentAutoConfiguration;
import org.cameldicomsecure.component.dicomweb.springboot.DicomWebComponentConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** camel.component.SCHEME.* properties reach each component through the generated auto-configuration. */
class ComponentAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                    DicomTlsComponentConverter.class, DicomTlsComponentAutoConfiguration.class,
                    DicomSignComponentConverter.class, DicomSignComponentAutoConfiguration.class,
                    DicomDeidComponentConverter.class, DicomDeidComponentAutoConfiguration.class,
                    DicomAuditComponentAutoConfiguration.class,
                    DicomWebComponentConverter.class, DicomWebComponentAutoConfiguration.class,
                    DicomMailComponentConverter.class, DicomMailComponentAutoConfiguration.class,
                    DicomAuditStartupAutoConfiguration.class));

    @TempDir
    Path dir;

    @Test
    void aConfiguredAuditSinkCreatesTheAuditComponentAtStart() {
        runner.withPropertyValues("camel.component.dicomaudit.file=" + dir.resolve("audit.log"),
                "camel.component.dicomaudit.spool-directory=" + dir.resolve("spool"))
                .run(ctx -> {
                    Component c = ctx.getBean(CamelContext.class).hasComponent("dicomaudit");
                    assertNotNull(c, "dicomaudit created before any route named it");
                    assertEquals(true, ((org.cameldicomsecure.component.dicomaudit.DicomAuditComponent) c).hasSink());
                });
        runner.run(ctx -> assertEquals(null, ctx.getBean(CamelContext.class).hasComponent("dicomaudit"),
                "no sink configured: the component is left to be created on use"));
    }

    @Test
    void propertiesConfigureEveryComponent() {
        runner.withPropertyValues(
                "camel.component.dicomtls.calling-aet=SPRINGAE",
                "camel.component.dicomtls.max-pdu-length=32768",
                "camel.component.dicomtls.tls-profile=BCP195_ND",
                "camel.component.dicomtls.artim-timeout=5000",
                "camel.component.dicomsign.profile=BASE",
                "camel.component.dicomdeid.retain-uids=true",
                "camel.component.dicomaudit.syslog-port=1514",
                "camel.component.dicomaudit.format=FHIR_AUDITEVENT_JSON",
                "camel.component.dicomweb.connect-timeout=7s",
                "camel.component.dicomweb.jwt-issuer=https://issuer.test",
                "camel.component.dicommail.max-instances=7")
                .run(ctx -> {
                    CamelContext camel = ctx.getBean(CamelContext.class);
                    assertEquals("SPRINGAE", option(camel, "dicomtls", "callingAet"));
                    assertEquals(32768L, option(camel, "dicomtls", "maxPduLength"));
                    assertEquals("BCP195_ND", option(camel, "dicomtls", "tlsProfile"));
                    assertEquals(5000L, option(camel, "dicomtls", "artimTimeout"));
                    assertEquals("BASE", option(camel, "dicomsign", "profile"));
                    assertEquals(true, option(camel, "dicomdeid", "retainUids"));
                    assertEquals(1514, option(camel, "dicomaudit", "syslogPort"));
                    assertEquals("FHIR_AUDITEVENT_JSON", option(camel, "dicomaudit", "format"));
                    assertEquals(Duration.ofSeconds(7), option(camel, "dicomweb", "connectTimeout"));
                    assertEquals("https://issuer.test", option(camel, "dicomweb", "jwtIssuer"));
                    assertEquals(7, option(camel, "dicommail", "maxInstances"));
                    // untouched options keep the component's defaults
                    assertEquals("SHA256", option(camel, "dicomsign", "macAlgorithm"));
                    assertEquals("REQUIRE", option(camel, "dicomtls", "clientAuth"));
                });
    }

    @Test
    void objectOptionsTakeBeanReferences() {
        SSLContextParameters params = new SSLContextParameters();
        runner.withBean("mySsl", SSLContextParameters.class, () -> params)
                .withPropertyValues("camel.component.dicomtls.ssl-context-parameters=#mySsl")
                .run(ctx -> {
                    assertSame(params, option(ctx.getBean(CamelContext.class), "dicomtls", "sslContextParameters"));
                });
    }

    @Test
    void customizerCanBeSwitchedOff() {
        runner.withPropertyValues("camel.component.dicomtls.calling-aet=SPRINGAE",
                "camel.component.dicomtls.customizer.enabled=false")
                .run(ctx -> assertEquals("CAMEL", option(ctx.getBean(CamelContext.class), "dicomtls", "callingAet")));
    }

    @Test
    void componentsWithoutPropertiesStillResolve() {
        runner.run(ctx -> {
            CamelContext camel = ctx.getBean(CamelContext.class);
            for (String s : new String[] { "dicomtls", "dicomsign", "dicomdeid", "dicomaudit", "dicomweb",
                    "dicommail" }) {
                assertNotNull(camel.getComponent(s), s);
            }
            assertFalse((Boolean) option(camel, "dicomaudit", "includeInstanceUids"));
        });
    }

    static Object option(CamelContext camel, String scheme, String name) {
        Component c = camel.getComponent(scheme);
        PropertyConfigurerGetter g = (PropertyConfigurerGetter) c.getComponentPropertyConfigurer();
        return g.getOptionValue(c, name, true);
    }
}
