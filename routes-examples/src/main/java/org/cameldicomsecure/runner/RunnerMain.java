package org.cameldicomsecure.runner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.cameldicomsecure.tls.PemFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code dicom-secure-runner.jar}: Camel Main with every component of this project on the class path.
 *
 * <p>The routes come from Camel Main's standard property {@code camel.main.routes-include-pattern}, given as a system
 * property ({@code -Dcamel.main.routes-include-pattern=file:my-routes.yaml}) or an environment variable
 * ({@code CAMEL_MAIN_ROUTESINCLUDEPATTERN}); YAML, XML and Java DSL files are understood. Without it the runner runs
 * the secure gateway, {@value #GATEWAY_ROUTES}: its key material is made under {@code ./gateway-pki} on first start,
 * its audit trail goes to {@code ./gateway-audit} (and to Kafka with {@code KAFKA_BOOTSTRAP_SERVERS}), its health
 * checks and metrics are served on the management port, and it prints the {@code storescu} command that sends it a
 * file.
 */
public final class RunnerMain {

    /** The routes run when {@code camel.main.routes-include-pattern} is not set: the secure gateway. */
    public static final String GATEWAY_ROUTES = "classpath:routes/secure-gateway.yaml";

    private static final Logger LOG = LoggerFactory.getLogger(RunnerMain.class);

    private RunnerMain() {
    }

    public static void main(String[] args) throws Exception {
        int status = newMain().run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * A Camel Main configured as the runner: {@link #GATEWAY_ROUTES} is only the default of the routes include
     * pattern, which Camel Main's property sources (system properties, environment) override.
     */
    public static Main newMain() {
        Main main = new Main();
        main.configure().withName("dicom-secure-runner").withRoutesIncludePattern(GATEWAY_ROUTES);
        main.addMainListener(new MainListenerSupport() {
            private Gateway gateway;

            @Override
            public void beforeInitialize(BaseMainSupport m) {
                // the gateway is the job only when nothing chose other routes (code, system property, environment)
                if (!routesGiven() && !inInitialProperties(main) && GATEWAY_ROUTES.equals(
                        m.configure().getRoutesIncludePattern())) {
                    try {
                        gateway = Gateway.prepare(main);
                    } catch (Exception e) {
                        throw new IllegalStateException("the secure gateway cannot start: " + e.getMessage(), e);
                    }
                }
            }

            @Override
            public void afterConfigure(BaseMainSupport m) {
                LOG.info("Routes from {}", m.configure().getRoutesIncludePattern());
            }

            @Override
            public void afterStart(BaseMainSupport m) {
                if (gateway != null) {
                    gateway.announce();
                }
            }
        });
        return main;
    }

    /** Whether routes are chosen by a system property or the environment (then the gateway is not the job). */
    private static boolean routesGiven() {
        return System.getProperty("camel.main.routes-include-pattern") != null
                || System.getProperty("camel.main.routesIncludePattern") != null
                || System.getenv("CAMEL_MAIN_ROUTESINCLUDEPATTERN") != null;
    }

    /** Whether the embedding code chose routes through Camel Main's initial properties. */
    private static boolean inInitialProperties(Main main) {
        for (String k : main.getInitialProperties().stringPropertyNames()) {
            String n = k.replace("-", "").toLowerCase(Locale.ROOT);
            if (n.equals("camel.main.routesincludepattern")) {
                return true;
            }
        }
        return false;
    }

    /** A setting of the gateway: the system property {@code name}, else its environment variable, else the default. */
    static String setting(String name, String defaultValue) {
        String v = System.getProperty(name);
        if (v == null) {
            v = System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    /** The secure gateway's settings, key material and start-up announcement. */
    static final class Gateway {
        final Path pki;
        final String aet;
        final String port;
        final String managementPort;

        private Gateway(Path pki, String aet, String port, String managementPort) {
            this.pki = pki;
            this.aet = aet;
            this.port = port;
            this.managementPort = managementPort;
        }

        static Gateway prepare(Main main) throws Exception {
            Path pki = Path.of(setting("gateway.pki", "gateway-pki")).toAbsolutePath().normalize();
            Path audit = Path.of(setting("gateway.audit", "gateway-audit")).toAbsolutePath().normalize();
            Path out = Path.of(setting("gateway.out", "gateway-out")).toAbsolutePath().normalize();
            String aet = setting("gateway.aet", "GATEWAY");
            String port = setting("gateway.port", "11112");
            String mgmt = setting("gateway.managementPort", "9876");
            List<String> made = new GatewayPki(pki).ensure();
            if (!made.isEmpty()) {
                LOG.info("made development key material in {}: {} (development only: put your PKI's files there "
                        + "under the same names for real use)", pki, made);
            }
            // the route's placeholders; system properties and environment variables override them
            defaultProperty(main, "gateway.aet", aet);
            defaultProperty(main, "gateway.host", setting("gateway.host", "0.0.0.0"));
            defaultProperty(main, "gateway.port", port);
            defaultProperty(main, "gateway.tlsProfile", setting("gateway.tlsProfile", "BCP195_RFC8996"));
            defaultProperty(main, "gateway.pki", pki.toString());
            defaultProperty(main, "gateway.out", out.toString());
            defaultProperty(main, "gateway.signatureTrust",
                    setting("gateway.signatureTrust", pki.resolve(GatewayPki.CA).toString()));
            // the UID secret stays out of every URI (and so out of logs and message histories)
            defaultProperty(main, "camel.component.dicomdeid.configuration.uidSecret",
                    Files.readString(pki.resolve(GatewayPki.UID_SECRET), StandardCharsets.US_ASCII).trim());
            // the audit trail: a file, and Kafka when KAFKA_BOOTSTRAP_SERVERS is set
            Files.createDirectories(audit);
            defaultProperty(main, "camel.component.dicomaudit.file", audit.resolve("audit.log").toString());
            defaultProperty(main, "camel.component.dicomaudit.spoolDirectory", audit.resolve("spool").toString());
            defaultProperty(main, "camel.component.dicomaudit.auditSourceId", setting("gateway.auditSourceId",
                    aet));
            String kafka = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            if (kafka != null && !kafka.isBlank()) {
                defaultProperty(main, "camel.component.dicomaudit.kafkaBootstrapServers", kafka.trim());
            }
            // what an operator sees: health checks and Prometheus metrics on the management port (loopback only)
            defaultProperty(main, "camel.management.enabled", "true");
            defaultProperty(main, "camel.management.host", setting("gateway.managementHost", "127.0.0.1"));
            defaultProperty(main, "camel.management.port", mgmt);
            defaultProperty(main, "camel.management.healthCheckEnabled", "true");
            defaultProperty(main, "camel.management.metricsEnabled", "true");
            defaultProperty(main, "camel.metrics.enabled", "true");
            defaultProperty(main, "camel.metrics.enableRoutePolicy", "true");
            return new Gateway(pki, aet, port, mgmt);
        }

        /**
         * Sets {@code key} unless the initial properties already hold it (in either spelling: {@code kafka-topic} or
         * {@code kafkaTopic}): what the embedding code set wins, and system properties and the environment override
         * both.
         */
        private static void defaultProperty(Main main, String key, String value) {
            String norm = key.replace("-", "").toLowerCase(Locale.ROOT);
            for (String k : main.getInitialProperties().stringPropertyNames()) {
                if (k.replace("-", "").toLowerCase(Locale.ROOT).equals(norm)) {
                    return;
                }
            }
            main.addInitialProperty(key, value);
        }

        /** Prints what the operator needs: the certificates in use and the command that sends the gateway a file. */
        void announce() {
            StringBuilder b = new StringBuilder();
            b.append(System.lineSeparator()).append("secure gateway ").append(aet).append(" listening on port ")
                    .append(port).append(" (DICOM over TLS)").append(System.lineSeparator());
            for (String f : List.of(GatewayPki.SERVER, GatewayPki.SIGNER)) {
                try {
                    X509Certificate c = PemFiles.readCertificates(f, pki.resolve(f)).get(0);
                    b.append("  ").append(f.equals(GatewayPki.SERVER) ? "TLS certificate:     " : "signing certificate: ")
                            .append(c.getSubjectX500Principal().getName()).append(", issued by ")
                            .append(c.getIssuerX500Principal().getName()).append(", valid until ")
                            .append(c.getNotAfter().toInstant()).append(System.lineSeparator());
                } catch (RuntimeException e) {
                    b.append("  ").append(f).append(": ").append(e.getMessage()).append(System.lineSeparator());
                }
            }
            b.append("  health: http://127.0.0.1:").append(managementPort).append("/observe/health, metrics: "
                    + "http://127.0.0.1:").append(managementPort).append("/observe/metrics")
                    .append(System.lineSeparator());
            b.append("send it a DICOM file with DCMTK:").append(System.lineSeparator()).append("  ")
                    .append(storescuCommand()).append(System.lineSeparator());
            System.out.print(b);
            System.out.flush();
        }

        String storescuCommand() {
            return "storescu +tls " + pki.resolve(GatewayPki.CLIENT_KEY) + " " + pki.resolve(GatewayPki.CLIENT)
                    + " +cf " + pki.resolve(GatewayPki.CA) + " -aec " + aet + " 127.0.0.1 " + port + " FILE.dcm";
        }
    }
}
