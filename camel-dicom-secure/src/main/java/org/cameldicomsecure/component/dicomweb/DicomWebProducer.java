package org.cameldicomsecure.component.dicomweb;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import org.cameldicomsecure.audit.dimse.DimseAuditor.InstanceFacts;
import org.cameldicomsecure.audit.web.WebAuditor;
import org.cameldicomsecure.component.dicom.DicomBinding;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.cameldicomsecure.component.dicom.DicomConverter;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.web.DicomWebException;
import org.cameldicomsecure.web.InstanceSource;
import org.cameldicomsecure.web.QidoLevel;
import org.cameldicomsecure.web.StowResponse;
import org.cameldicomsecure.web.client.ClientCredentialsTokenSource;
import org.cameldicomsecure.web.client.DicomWebClient;
import org.cameldicomsecure.web.client.StaticTokenSource;
import org.cameldicomsecure.web.client.TokenSource;
import org.cameldicomsecure.web.server.StowInstance;

/**
 * The DICOMweb client side of a route.
 * <ul>
 * <li>{@code operation=stow}: the body (a DicomFile, byte[], Path or File, or a collection of them) is stored with one
 * STOW-RS request to {@code {base}/studies}; the headers {@code CamelDicomWebHttpStatus} and
 * {@code CamelDicomWebStowResponse} tell the outcome, and the exchange fails if the server stored not every
 * instance. The body is left as it was.</li>
 * <li>{@code operation=wado}: retrieves the study, series or instance of the headers {@code CamelDicomStudyInstanceUid}
 * [{@code CamelDicomSeriesInstanceUid} [{@code CamelDicomSopInstanceUid}]]; the body becomes a
 * {@code List<DicomFile>} (bulk data larger than 64 KiB stays in temporary files).</li>
 * <li>{@code operation=qido}: searches at the level of {@code queryLevel} (or the header) with the parameters of the
 * header {@code CamelDicomWebQuery}; the body becomes a {@code List<Dataset>}.</li>
 * </ul>
 */
public class DicomWebProducer extends DefaultProducer {

    private DicomWebClient client;
    private DicomWebEndpoint.Operation operation;
    private WebAuditor auditor;

    public DicomWebProducer(DicomWebEndpoint endpoint) {
        super(endpoint);
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
        operation = ep.operation();
        TlsContextFactory tls = ep.createTls(true);
        client = DicomWebClient.builder(ep.address().uri())
                .tls(tls)
                .tokens(tokens(c, tls))
                .connectTimeout(c.getConnectTimeout())
                .requestTimeout(c.getRequestTimeout())
                .wadoTransferSyntax(c.getTransferSyntax())
                .build();
        auditor = DicomAuditComponent.autoWebAuditor(ep.getCamelContext());
    }

    /** The access tokens of the options: a fixed token (or file), the client-credentials grant, or none. */
    static TokenSource tokens(DicomWebConfiguration c, TlsContextFactory tls) {
        if (c.getAccessToken() != null && c.getTokenEndpoint() != null) {
            throw new IllegalArgumentException("set accessToken or tokenEndpoint, not both");
        }
        if (c.getAccessToken() != null) {
            String v = c.getAccessToken();
            if (v.startsWith("file:")) {
                Path file = Path.of(v.substring(5));
                return () -> {
                    String t;
                    try {
                        t = Files.readString(file, StandardCharsets.US_ASCII).strip();
                    } catch (IOException e) {
                        throw new IOException("cannot read the accessToken file " + file + ": " + e.getMessage(), e);
                    }
                    if (t.isEmpty()) {
                        throw new IOException("the accessToken file " + file + " is empty");
                    }
                    return t;
                };
            }
            return StaticTokenSource.of(v.strip());
        }
        if (c.getTokenEndpoint() != null) {
            if (c.getClientId() == null || c.getClientSecret() == null) {
                throw new IllegalArgumentException("tokenEndpoint needs clientId and clientSecret");
            }
            URI endpoint = URI.create(c.getTokenEndpoint());
            ClientCredentialsTokenSource.Builder b = ClientCredentialsTokenSource.builder(endpoint, c.getClientId(),
                    c.getClientSecret()).connectTimeout(c.getConnectTimeout());
            if (c.getScope() != null) {
                b.scopes(c.getScope());
            }
            if (endpoint.getScheme() != null && endpoint.getScheme().equalsIgnoreCase("https") && tls != null) {
                b.tls(tls);
            }
            return b.build();
        }
        if (c.getClientId() != null || c.getClientSecret() != null) {
            throw new IllegalArgumentException("clientId and clientSecret need tokenEndpoint");
        }
        return null;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        switch (operation) {
            case STOW -> stow(exchange);
            case WADO -> wado(exchange);
            case QIDO -> qido(exchange);
            default -> throw new IllegalStateException(operation.name());
        }
    }

    private void stow(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        List<Object> items = items(exchange);
        List<InstanceSource> sources = sources(items, exchange);
        List<InstanceFacts> facts = auditor == null ? null : AuditFacts.of(items);
        if (auditor != null) {
            auditor.stowBeginning(client.baseUri(), facts);
        }
        StowResponse r;
        try {
            r = client.stow(sources, null);
        } catch (DicomWebException e) {
            setStatus(in, e.httpStatus());
            if (auditor != null) {
                auditor.stowSent(client.baseUri(), List.of(), facts, e.httpStatus() > 0 ? "HTTP " + e.httpStatus()
                        : "the request failed");
            }
            throw new CamelExchangeException("dicomweb: STOW-RS to " + client.baseUri() + " failed: "
                    + e.getMessage(), exchange, e);
        }
        in.setHeader(DicomWebConstants.STOW_RESPONSE, r);
        // PS3.18 Table 10.5.3-1: 200 all stored, 202 some failed or with warnings, 409 none stored
        in.setHeader(DicomWebConstants.HTTP_STATUS, r.failed().isEmpty() && !r.hasWarnings() ? 200
                : r.stored().isEmpty() ? 409 : 202);
        Map<String, Integer> reasons = new TreeMap<>();
        for (StowResponse.Failed f : r.failed()) {
            reasons.merge(String.format("%04X", f.failureReason()), 1, Integer::sum);
        }
        int notStored = sources.size() - r.stored().size();
        if (auditor != null) {
            Set<String> storedUids = new HashSet<>();
            r.stored().forEach(st -> storedUids.add(st.sopInstanceUid()));
            List<InstanceFacts> ok = new ArrayList<>();
            List<InstanceFacts> failed = new ArrayList<>();
            for (InstanceFacts f : facts) {
                (storedUids.contains(f.sopInstanceUid()) ? ok : failed).add(f);
            }
            auditor.stowSent(client.baseUri(), ok, failed, reasons.isEmpty() ? null : "Failure Reason " + String.join(
                    ", ", reasons.keySet()));
        }
        if (notStored > 0) {
            throw new CamelExchangeException("dicomweb: STOW-RS to " + client.baseUri() + ": " + notStored
                    + " of " + sources.size() + " instances not stored (Failure Reason: count " + reasons + ")",
                    exchange);
        }
    }

    /** The body's elements: a collection's, or the body itself. */
    private static List<Object> items(Exchange exchange) throws CamelExchangeException {
        Object body = exchange.getIn().getBody();
        List<Object> items = new ArrayList<>();
        if (body instanceof Collection<?> c) {
            items.addAll(c);
        } else if (body != null) {
            items.add(body);
        }
        if (items.isEmpty()) {
            throw new CamelExchangeException("dicomweb: STOW-RS needs a body: a DICOM instance or a list of them",
                    exchange);
        }
        if (items.size() == 1 && !(items.get(0) instanceof InstanceSource || items.get(0) instanceof StowInstance
                || items.get(0) instanceof DicomFile
                || items.get(0) instanceof byte[] || items.get(0) instanceof Path || items.get(0) instanceof File)) {
            items.set(0, DicomBinding.readableInstance(exchange, "dicomweb"));
        }
        return items;
    }

    /** The body's elements as instances to send: DicomFile, byte[], Path or File. */
    private static List<InstanceSource> sources(List<Object> items, Exchange exchange)
            throws CamelExchangeException {
        List<InstanceSource> out = new ArrayList<>(items.size());
        for (Object o : items) {
            InstanceSource source;
            try {
                source = WebBodies.source(o);
            } catch (IOException e) {
                throw new CamelExchangeException("dicomweb: STOW-RS list element " + (out.size() + 1)
                        + " is not a readable DICOM instance: " + e.getMessage(), exchange, e);
            }
            if (source == null) {
                throw new CamelExchangeException("dicomweb: STOW-RS list element " + (out.size() + 1) + " is "
                        + (o == null ? "null" : "a " + o.getClass().getName()) + ", not a DicomFile, byte[], Path "
                        + "or File", exchange);
            }
            out.add(source);
        }
        return out;
    }

    private void wado(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        String study = in.getHeader(DicomWebConstants.STUDY_INSTANCE_UID, String.class);
        String series = in.getHeader(DicomWebConstants.SERIES_INSTANCE_UID, String.class);
        String instance = in.getHeader(DicomWebConstants.SOP_INSTANCE_UID, String.class);
        if (study == null) {
            throw new CamelExchangeException("dicomweb: WADO-RS needs the header "
                    + DicomWebConstants.STUDY_INSTANCE_UID, exchange);
        }
        if (instance != null && series == null) {
            throw new CamelExchangeException("dicomweb: WADO-RS of an instance needs the header "
                    + DicomWebConstants.SERIES_INSTANCE_UID + " too", exchange);
        }
        List<DicomFile> files;
        try {
            files = client.wadoDicomFiles(study, series, instance,
                    DicomReaderOptions.DEFAULT.withBulkDataThreshold(DicomConverter.FILE_BULK_DATA_THRESHOLD));
        } catch (DicomWebException e) {
            setStatus(in, e.httpStatus());
            if (auditor != null && e.httpStatus() != 404) {
                auditor.retrieved(client.baseUri(), List.of(), e.httpStatus() > 0 ? "HTTP " + e.httpStatus()
                        : "the retrieve broke off");
            }
            throw new CamelExchangeException("dicomweb: WADO-RS from " + client.baseUri() + " failed: "
                    + e.getMessage(), exchange, e);
        }
        if (auditor != null) {
            auditor.retrieved(client.baseUri(), AuditFacts.of(new ArrayList<>(files)), null);
        }
        in.setHeader(DicomWebConstants.HTTP_STATUS, files.isEmpty() ? 204 : 200);
        in.setBody(files);
    }

    private void qido(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        String levelName = in.getHeader(DicomWebConstants.QUERY_LEVEL, String.class);
        if (levelName == null) {
            levelName = getEndpoint().getConfiguration().getQueryLevel();
        }
        QidoLevel level;
        try {
            level = QidoLevel.valueOf(levelName.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CamelExchangeException("dicomweb: QIDO-RS level must be STUDY, SERIES or INSTANCE, not '"
                    + levelName + "'", exchange);
        }
        Map<String, List<String>> params = params(in.getHeader(DicomWebConstants.QUERY), exchange);
        String study = in.getHeader(DicomWebConstants.STUDY_INSTANCE_UID, String.class);
        String series = in.getHeader(DicomWebConstants.SERIES_INSTANCE_UID, String.class);
        List<org.cameldicomsecure.dicom.Dataset> matches;
        try {
            matches = client.qido(level, study, series, params);
        } catch (DicomWebException e) {
            setStatus(in, e.httpStatus());
            if (auditor != null) {
                auditor.queried(client.baseUri(), level, study, series, params, e.httpStatus() > 0
                        ? "HTTP " + e.httpStatus() : "the search failed");
            }
            throw new CamelExchangeException("dicomweb: QIDO-RS at " + client.baseUri() + " failed: "
                    + e.getMessage(), exchange, e);
        } catch (IllegalArgumentException e) {
            throw new CamelExchangeException("dicomweb: QIDO-RS: " + e.getMessage(), exchange, e);
        }
        if (auditor != null) {
            auditor.queried(client.baseUri(), level, study, series, params, null);
        }
        in.setHeader(DicomWebConstants.HTTP_STATUS, matches.isEmpty() ? 204 : 200);
        in.setBody(matches);
    }

    /** The QIDO-RS parameters of the header: a Map (values a String or a collection) or a query string. */
    static Map<String, List<String>> params(Object header, Exchange exchange) throws CamelExchangeException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (header == null) {
            return out;
        }
        if (header instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                List<String> vs = out.computeIfAbsent(k, x -> new ArrayList<>());
                if (e.getValue() instanceof Collection<?> c) {
                    c.forEach(v -> vs.add(String.valueOf(v)));
                } else if (e.getValue() != null) {
                    vs.add(String.valueOf(e.getValue()));
                }
            }
            return out;
        }
        if (header instanceof String s) {
            String q = s.startsWith("?") ? s.substring(1) : s;
            for (String pair : q.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
            return out;
        }
        throw new CamelExchangeException("dicomweb: the header " + DicomWebConstants.QUERY + " must be a Map or a "
                + "query string, not " + header.getClass().getName(), exchange);
    }

    private static void setStatus(Message in, int status) {
        if (status > 0) {
            in.setHeader(DicomWebConstants.HTTP_STATUS, status);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (client != null) {
            client.close();
            client = null;
        }
        super.doStop();
    }
}
