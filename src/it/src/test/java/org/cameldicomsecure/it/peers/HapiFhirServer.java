package org.cameldicomsecure.it.peers;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.interceptor.RequestValidatingInterceptor;
import ca.uhn.fhir.validation.ResultSeverityEnum;

/**
 * A FHIR R4 audit record repository for the ITs: HAPI FHIR's own {@link RestfulServer} in an in-process Jetty 12 on a
 * loopback port, with an AuditEvent resource provider (create, update, read, search-all) that keeps resources in
 * memory, and HAPI's {@link RequestValidatingInterceptor} running the HL7 {@link FhirInstanceValidator} (R4 core
 * profiles and terminology, as in FhirAuditEventIT), so that an AuditEvent with errors is answered 422 with an
 * OperationOutcome and unparseable JSON 400. The store survives {@link #stop()} and {@link #start()} (same port), so
 * tests can take the server down mid-run. Over https when given a key store (and, for mutual TLS, a trust store).
 */
public final class HapiFhirServer implements AutoCloseable {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static volatile FhirInstanceValidator validator;

    private final Store store = new Store();
    private final KeyStore keyStore;
    private final KeyStore trustStore;
    private final char[] password;
    private final int port;
    private Server jetty;

    /** Plain http on a free loopback port. */
    public HapiFhirServer() throws Exception {
        this(null, null, null);
    }

    /**
     * @param keyStore   the server's key and chain (https), or null for http
     * @param password   its password
     * @param trustStore client CAs: mutual TLS is required when given
     */
    public HapiFhirServer(KeyStore keyStore, char[] password, KeyStore trustStore) throws Exception {
        this.keyStore = keyStore;
        this.password = password;
        this.trustStore = trustStore;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
        start();
    }

    /** The R4 validator, loaded once per JVM (loading the core package takes seconds). */
    private static FhirInstanceValidator validator() {
        FhirInstanceValidator v = validator;
        if (v == null) {
            synchronized (HapiFhirServer.class) {
                v = validator;
                if (v == null) {
                    ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(FHIR),
                            new InMemoryTerminologyServerValidationSupport(FHIR),
                            new CommonCodeSystemsTerminologyService(FHIR));
                    validator = v = new FhirInstanceValidator(chain);
                }
            }
        }
        return v;
    }

    /** Starts (again) on the same port. */
    public synchronized void start() throws Exception {
        if (jetty != null) {
            return;
        }
        RestfulServer fhir = new RestfulServer(FHIR);
        fhir.setResourceProviders(store);
        RequestValidatingInterceptor validating = new RequestValidatingInterceptor();
        validating.addValidatorModule(validator());
        validating.setFailOnSeverity(ResultSeverityEnum.ERROR);
        validating.setAddResponseHeaderOnSeverity(null);
        fhir.registerInterceptor(new ParseFirst());
        fhir.registerInterceptor(validating);

        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        ServerConnector connector;
        if (keyStore != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(keyStore);
            ssl.setKeyStorePassword(new String(password));
            if (trustStore != null) {
                ssl.setTrustStore(trustStore);
                ssl.setNeedClientAuth(true);
            }
            http.addCustomizer(new SecureRequestCustomizer(false));
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setReuseAddress(true);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(fhir), "/fhir/*");
        server.setHandler(context);
        server.start();
        jetty = server;
    }

    /** Stops the server; the store stays. */
    public synchronized void stop() throws Exception {
        if (jetty != null) {
            Server s = jetty;
            jetty = null;
            s.stop();
            s.join();
        }
    }

    public int port() {
        return port;
    }

    /** The FHIR base URL. */
    public String baseUrl() {
        return (keyStore != null ? "https" : "http") + "://127.0.0.1:" + port + "/fhir";
    }

    /** The stored AuditEvents, in the order first stored. */
    public List<AuditEvent> stored() {
        return store.all();
    }

    /** Creates (POST) and updates (PUT) since the start or the last {@link #clear()}. */
    public long writes() {
        return store.writes.get();
    }

    public void clear() {
        store.clear();
    }

    public static FhirContext fhirContext() {
        return FHIR;
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /**
     * How long the validator takes per request body, in ms (the mean of {@code times} validations of {@code json}):
     * what bounds the server's throughput.
     */
    public static double validationMillis(String json, int times) {
        FhirValidator v = FHIR.newValidator().registerValidatorModule(validator());
        v.validateWithResult(json);
        long t0 = System.nanoTime();
        for (int i = 0; i < times; i++) {
            v.validateWithResult(json);
        }
        return (System.nanoTime() - t0) / 1e6 / times;
    }

    /**
     * Answers a body that is no JSON resource with 400, as HAPI does without the validator: the
     * RequestValidatingInterceptor (which runs before the parser) would answer 500 (HAPI-0331, a gson syntax error).
     */
    @Interceptor
    public static final class ParseFirst {
        @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = -100)
        public boolean parse(RequestDetails request) {
            byte[] body = request.loadRequestContents();
            if (body != null && body.length > 0) {
                try {
                    FHIR.newJsonParser().parseResource(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                } catch (DataFormatException e) {
                    throw new InvalidRequestException("Failed to parse request body as JSON resource: "
                            + e.getMessage());
                }
            }
            return true;
        }
    }

    /** The AuditEvent provider: an in-memory map by ID. */
    public static final class Store implements IResourceProvider {
        private final Map<String, AuditEvent> byId = new LinkedHashMap<>();
        private final AtomicLong nextId = new AtomicLong(1);
        private final AtomicLong writes = new AtomicLong();

        @Override
        public Class<? extends IBaseResource> getResourceType() {
            return AuditEvent.class;
        }

        @Create
        public MethodOutcome create(@ResourceParam AuditEvent event) {
            String id = "srv-" + nextId.getAndIncrement();
            IdType idType = new IdType("AuditEvent", id, "1");
            event.setId(idType);
            synchronized (byId) {
                byId.put(id, event);
            }
            writes.incrementAndGet();
            MethodOutcome o = new MethodOutcome(idType);
            o.setCreated(true);
            return o;
        }

        @Update
        public MethodOutcome update(@IdParam IdType id, @ResourceParam AuditEvent event) {
            String key = id.getIdPart();
            boolean created;
            synchronized (byId) {
                created = byId.put(key, event) == null;
            }
            writes.incrementAndGet();
            IdType idType = new IdType("AuditEvent", key, "1");
            event.setId(idType);
            MethodOutcome o = new MethodOutcome(idType);
            o.setCreated(created);
            return o;
        }

        @Read
        public AuditEvent read(@IdParam IdType id) {
            synchronized (byId) {
                AuditEvent e = byId.get(id.getIdPart());
                if (e == null) {
                    throw new ResourceNotFoundException(id);
                }
                return e;
            }
        }

        @Search
        public List<AuditEvent> all() {
            synchronized (byId) {
                return new ArrayList<>(byId.values());
            }
        }

        void clear() {
            synchronized (byId) {
                byId.clear();
            }
            writes.set(0);
        }
    }
}
