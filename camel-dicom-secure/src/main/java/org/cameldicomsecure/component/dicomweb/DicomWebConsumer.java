package org.cameldicomsecure.component.dicomweb;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.cameldicomsecure.audit.web.WebAuditor;
import org.cameldicomsecure.component.dicom.EndpointOptions;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.web.InstanceSource;
import org.cameldicomsecure.web.auth.BearerAuthenticator;
import org.cameldicomsecure.web.server.Binding;
import org.cameldicomsecure.web.server.DicomWebOperation;
import org.cameldicomsecure.web.server.DicomWebStatusException;
import org.cameldicomsecure.web.server.InstanceOutcome;
import org.cameldicomsecure.web.server.QidoQuery;
import org.cameldicomsecure.web.server.StowInstance;
import org.cameldicomsecure.web.server.WadoQuery;
import org.cameldicomsecure.web.server.WebRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOMweb origin server side of a route.
 * <ul>
 * <li>{@code operation=stow}: each instance of a STOW-RS request becomes one exchange, run off the event loop, once
 * every part of the request was received and validated; the body is the {@link StowInstance}, which converts to a
 * DicomFile (as parsed), to byte[] and InputStream (exactly the bytes received); the response reports the instance stored only if its
 * exchange completed, failed with Failure Reason 0110 (Processing failure) if it failed.</li>
 * <li>{@code operation=wado}: a WADO-RS retrieval becomes one exchange with the UIDs of the URL in the headers; the
 * route sets the body to the instances to return (a DicomFile, byte[], Path or File, or a collection of them); none
 * is answered 404.</li>
 * <li>{@code operation=qido}: a QIDO-RS search becomes one exchange with the level and parameters in the headers; the
 * route sets the body to the matches (Datasets or DicomFiles, or a collection of them); none is answered 204.</li>
 * </ul>
 * Consumers on the same host and port share one server (the component's), each serving its operation.
 */
public class DicomWebConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(DicomWebConsumer.class);

    private ExecutorService executor;
    private WebAuditor auditor;
    private SharedServer server;
    private DicomWebOperation operation;

    public DicomWebConsumer(DicomWebEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public DicomWebEndpoint getEndpoint() {
        return (DicomWebEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        DicomWebEndpoint ep = getEndpoint();
        DicomWebConfiguration c = ep.getConfiguration();
        operation = switch (ep.operation()) {
            case STOW -> DicomWebOperation.STOW;
            case WADO -> DicomWebOperation.WADO;
            case QIDO -> DicomWebOperation.QIDO;
        };
        executor = ep.getCamelContext().getExecutorServiceManager().newFixedThreadPool(this,
                "dicomweb-consumer-" + operation.name().toLowerCase(java.util.Locale.ROOT), c.getConcurrentConsumers());
        BearerAuthenticator auth = authenticator(c);
        Set<String> scopes = new LinkedHashSet<>(EndpointOptions.split(c.getRequiredScopes()));
        if (auth == null) {
            if (!scopes.isEmpty()) {
                throw new IllegalArgumentException("requiredScopes needs jwksUri or jwtPublicKey (the keys that sign "
                        + "the access tokens)");
            }
            LOG.warn("dicomweb {} {}: no jwksUri or jwtPublicKey, so requests need no access token", operation,
                    ep.address().uri());
        }
        Binding binding = switch (operation) {
            case STOW -> Binding.stow(this::store, auth, scopes);
            case WADO -> Binding.wado(this::retrieve, auth, scopes);
            case QIDO -> Binding.qido(this::search, auth, scopes);
        };
        auditor = DicomAuditComponent.autoWebAuditor(ep.getCamelContext());
        server = SharedServer.acquire(ep, new LoggingListener(auditor));
        try {
            server.serve(operation, binding);
        } catch (RuntimeException e) {
            server.release();
            server = null;
            throw e;
        }
        LOG.info("dicomweb {} on {} ({}; {})", operation, server.localUri(),
                server.tls() == null ? "plain HTTP" : "TLS " + server.tls().profile().name(),
                auth == null ? "no access token required" : "bearer tokens" + (scopes.isEmpty() ? "" : ", scopes "
                        + scopes));
    }

    /** The server's bound address (the actual port when configured with port 0). */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    /** The base URI clients use (with the bound port). */
    public URI localUri() {
        return server.localUri();
    }

    static BearerAuthenticator authenticator(DicomWebConfiguration c) throws java.io.IOException {
        if (c.getJwksUri() == null && c.getJwtPublicKey() == null) {
            return null;
        }
        if (c.getJwksUri() != null && c.getJwtPublicKey() != null) {
            throw new IllegalArgumentException("set jwksUri or jwtPublicKey, not both");
        }
        BearerAuthenticator.Builder b = BearerAuthenticator.builder();
        if (c.getJwtPublicKey() != null) {
            b.publicKey(Path.of(c.getJwtPublicKey()));
        } else {
            b.jwksUri(URI.create(c.getJwksUri()));
        }
        if (c.getJwtIssuer() != null) {
            b.issuer(c.getJwtIssuer());
        }
        if (c.getJwtAudience() != null) {
            b.audience(c.getJwtAudience());
        }
        if (c.getJwtPrincipalClaim() != null) {
            b.principalClaim(c.getJwtPrincipalClaim());
        }
        if (c.getAuthRealm() != null) {
            b.realm(c.getAuthRealm());
        }
        return b.build();
    }

    // ------------------------------------------------------------------ STOW-RS

    private CompletionStage<InstanceOutcome> store(WebRequest request, StowInstance instance) {
        CompletableFuture<InstanceOutcome> result = new CompletableFuture<>();
        try {
            executor.execute(() -> process(request, instance, result));
        } catch (RejectedExecutionException e) {
            result.complete(InstanceOutcome.failed(InstanceOutcome.PROCESSING_FAILURE)); // stopping
        }
        return result;
    }

    private void process(WebRequest request, StowInstance instance, CompletableFuture<InstanceOutcome> result) {
        Exchange exchange;
        try {
            exchange = createExchange(false);
            Message in = exchange.getIn();
            in.setBody(instance);
            in.setHeader(DicomWebConstants.SOP_CLASS_UID, instance.sopClassUid());
            in.setHeader(DicomWebConstants.SOP_INSTANCE_UID, instance.sopInstanceUid());
            in.setHeader(DicomWebConstants.STUDY_INSTANCE_UID, instance.studyInstanceUid());
            if (instance.seriesInstanceUid() != null) {
                in.setHeader(DicomWebConstants.SERIES_INSTANCE_UID, instance.seriesInstanceUid());
            }
            in.setHeader(DicomWebConstants.TRANSFER_SYNTAX_UID, instance.transferSyntaxUid());
            requestHeaders(in, request);
        } catch (RuntimeException e) {
            LOG.warn("dicomweb STOW: cannot make an exchange of part {}: {}", instance.partNumber(), e.toString());
            result.complete(InstanceOutcome.failed(InstanceOutcome.PROCESSING_FAILURE));
            return;
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            InstanceOutcome outcome;
            if (exchange.isFailed()) {
                Exception e = exchange.getException();
                if (e != null) {
                    getExceptionHandler().handleException("route failed for a received instance", exchange, e);
                }
                outcome = InstanceOutcome.failed(InstanceOutcome.PROCESSING_FAILURE);
            } else {
                outcome = InstanceOutcome.stored();
            }
            releaseExchange(exchange, false);
            if (!getEndpoint().getConfiguration().isDeleteReceivedFiles()) {
                instance.detach();
            }
            result.complete(outcome);
        });
    }

    private static void requestHeaders(Message in, WebRequest request) {
        if (request.remoteAddress() != null && request.remoteAddress().getAddress() != null) {
            in.setHeader(DicomWebConstants.REMOTE_HOST, request.remoteAddress().getAddress().getHostAddress());
        }
        if (request.tlsPeerSubject() != null) {
            in.setHeader(DicomWebConstants.REMOTE_CERTIFICATE_SUBJECT, request.tlsPeerSubject());
        }
        if (request.principal() != null) {
            in.setHeader(DicomWebConstants.USERNAME, request.principal());
            in.setHeader(DicomWebConstants.SCOPES, request.scopes());
        }
    }

    // ------------------------------------------------------------------ WADO-RS

    private CompletionStage<List<InstanceSource>> retrieve(WebRequest request, WadoQuery query) {
        return runRoute(request, in -> {
            put(in, DicomWebConstants.STUDY_INSTANCE_UID, query.studyInstanceUid());
            put(in, DicomWebConstants.SERIES_INSTANCE_UID, query.seriesInstanceUid());
            put(in, DicomWebConstants.SOP_INSTANCE_UID, query.sopInstanceUid());
        }, body -> {
            List<InstanceSource> out = instances(body);
            if (auditor != null && !out.isEmpty()) {
                auditor.serving(request, AuditFacts.of(elements(body)));
            }
            return out;
        });
    }

    /** The body the route set, as instances to send: one or a collection of DicomFile, byte[], Path or File. */
    static List<InstanceSource> instances(Object body) {
        List<InstanceSource> out = new ArrayList<>();
        for (Object o : elements(body)) {
            InstanceSource source;
            try {
                source = WebBodies.source(o);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("instance " + (out.size() + 1) + " the WADO-RS route returned is "
                        + "not a readable DICOM instance: " + e.getMessage(), e);
            }
            if (source == null) {
                throw new IllegalArgumentException("a WADO-RS route must set the body to DicomFile, byte[], Path "
                        + "or File instances (or a collection of them), not " + o.getClass().getName());
            }
            out.add(source);
        }
        return out;
    }

    // ------------------------------------------------------------------ QIDO-RS

    private CompletionStage<List<Dataset>> search(WebRequest request, QidoQuery query) {
        return runRoute(request, in -> {
            in.setHeader(DicomWebConstants.QUERY_LEVEL, query.level().name());
            in.setHeader(DicomWebConstants.QUERY, query.parameters());
            put(in, DicomWebConstants.STUDY_INSTANCE_UID, query.studyInstanceUid());
            put(in, DicomWebConstants.SERIES_INSTANCE_UID, query.seriesInstanceUid());
        }, DicomWebConsumer::matches);
    }

    /** The body the route set, as matches: one or a collection of Dataset or DicomFile. */
    static List<Dataset> matches(Object body) {
        List<Dataset> out = new ArrayList<>();
        for (Object o : elements(body)) {
            if (o instanceof Dataset d) {
                out.add(d);
            } else if (o instanceof DicomFile f) {
                out.add(f.dataset());
            } else {
                throw new IllegalArgumentException("a QIDO-RS route must set the body to Dataset or DicomFile matches "
                        + "(or a collection of them), not " + o.getClass().getName());
            }
        }
        return out;
    }

    private static List<?> elements(Object body) {
        if (body == null) {
            return List.of();
        }
        if (body instanceof Collection<?> c) {
            for (Object o : c) {
                if (o == null) {
                    throw new IllegalArgumentException("the body holds a null element");
                }
            }
            return new ArrayList<>(c);
        }
        if (body instanceof Object[] a) {
            return elements(List.of(a));
        }
        return List.of(body);
    }

    // ------------------------------------------------------------------ common

    private interface HeaderSetter {
        void set(Message in);
    }

    private interface BodyReader<T> {
        T read(Object body);
    }

    /** Runs the route for one request; the stage completes with what the route's body becomes. */
    private <T> CompletionStage<T> runRoute(WebRequest request, HeaderSetter headers, BodyReader<T> reader) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable run = () -> {
            Exchange exchange = createExchange(false);
            try {
                Message in = exchange.getIn();
                requestHeaders(in, request);
                headers.set(in);
            } catch (RuntimeException e) {
                releaseExchange(exchange, false);
                result.completeExceptionally(e);
                return;
            }
            getAsyncProcessor().process(exchange, doneSync -> {
                try {
                    if (exchange.isFailed()) {
                        Exception e = exchange.getException();
                        if (e != null) {
                            getExceptionHandler().handleException("route failed for a DICOMweb request", exchange, e);
                        }
                        result.completeExceptionally(e instanceof DicomWebStatusException s ? s
                                : new DicomWebStatusException(500, "the route failed"));
                    } else {
                        result.complete(reader.read(exchange.getMessage().getBody()));
                    }
                } catch (RuntimeException e) {
                    LOG.warn("dicomweb {}: {}", operation, e.getMessage());
                    result.completeExceptionally(new DicomWebStatusException(500, e.getMessage()));
                } finally {
                    releaseExchange(exchange, false);
                }
            });
        };
        try {
            executor.execute(run);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new DicomWebStatusException(503, "the server is stopping"));
        }
        return result;
    }

    private static void put(Message in, String name, String value) {
        if (value != null) {
            in.setHeader(name, value);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.unserve(operation);
            server.release();
            server = null;
        }
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        super.doStop();
    }
}
