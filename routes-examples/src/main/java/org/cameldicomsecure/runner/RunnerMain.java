package org.cameldicomsecure.runner;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code dicom-secure-runner.jar}: Camel Main with every component of this project on the class path.
 *
 * <p>The routes come from Camel Main's standard property {@code camel.main.routes-include-pattern}, given as a system
 * property ({@code -Dcamel.main.routes-include-pattern=file:my-routes.yaml}), an environment variable
 * ({@code CAMEL_MAIN_ROUTESINCLUDEPATTERN}) or an {@code application.properties}; YAML, XML and Java DSL files are
 * understood. Without it the runner runs {@value #DEFAULT_ROUTES}, the example bundled in the jar.
 */
public final class RunnerMain {

    /** The routes run when {@code camel.main.routes-include-pattern} is not set. */
    public static final String DEFAULT_ROUTES = "classpath:routes/dicom-normalize.yaml";

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
     * A Camel Main configured as the runner: {@link #DEFAULT_ROUTES} is only the default of the routes include
     * pattern, which Camel Main's property sources (system properties, environment, properties files) override.
     */
    public static Main newMain() {
        Main main = new Main();
        main.configure()
                .withName("dicom-secure-runner")
                .withRoutesIncludePattern(DEFAULT_ROUTES);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                LOG.info("Routes from {}", m.configure().getRoutesIncludePattern());
            }
        });
        return main;
    }
}
