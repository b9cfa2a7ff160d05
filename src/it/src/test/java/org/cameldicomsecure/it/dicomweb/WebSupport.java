package org.cameldicomsecure.it.dicomweb;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLContext;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.cameldicomsecure.component.dicomweb.DicomWebConstants;

/**
 * What the DICOMweb ITs share: ports, Camel contexts, a recorder of what reached a route, and a plain JDK HTTP client
 * for the requests a well-behaved DICOMweb client would not send (refusals). The multipart bodies built here are test
 * input only; the product never builds or parses HTTP by hand.
 */
public final class WebSupport {

    /** The media type of a STOW-RS request body, PS3.18 10.5.1.1 (boundary appended). */
    public static final String STOW_TYPE = "multipart/related; type=\"application/dicom\"; boundary=";

    private WebSupport() {
    }

    public static int freePort() {
        return AvailablePortFinder.getNextAvailable();
    }

    /** A started Camel context with {@code beans} in its registry and the routes of {@code routes}. */
    public static CamelContext camel(Map<String, Object> beans, RouteBuilder routes) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        beans.forEach((k, v) -> ctx.getRegistry().bind(k, v));
        ctx.addRoutes(routes);
        ctx.start();
        return ctx;
    }

    public static void await(BooleanSupplier condition, long timeoutMillis, String what) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + timeoutMillis + " ms waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The first step of a route: a copy of the headers (and the body as bytes) of every exchange that reaches it. */
    public static final class Recorder implements Processor {

        public final List<Map<String, Object>> headers = new CopyOnWriteArrayList<>();
        public final List<byte[]> bodies = new CopyOnWriteArrayList<>();
        private final boolean keepBodies;

        public Recorder(boolean keepBodies) {
            this.keepBodies = keepBodies;
        }

        @Override
        public void process(Exchange exchange) {
            headers.add(Collections.unmodifiableMap(new HashMap<>(exchange.getIn().getHeaders())));
            if (keepBodies) {
                bodies.add(exchange.getIn().getBody(byte[].class));
            }
        }

        public int count() {
            return headers.size();
        }

        public List<String> sopInstanceUids() {
            return headers.stream().map(h -> (String) h.get(DicomWebConstants.SOP_INSTANCE_UID)).toList();
        }

        public void clear() {
            headers.clear();
            bodies.clear();
        }
    }

    // ------------------------------------------------------------------ raw HTTP

    public static HttpClient httpClient(SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            b.sslContext(tls);
        }
        return b.build();
    }

    /** One part of a multipart/related body. */
    public record Part(String contentType, byte[] body) {
    }

    /** A multipart/related body (RFC 2387) and its Content-Type header. */
    public record Multipart(String contentType, byte[] body) {
    }

    /** {@code parts} as one multipart/related; type="application/dicom" body. */
    public static Multipart multipart(List<Part> parts) {
        String boundary = "it-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Part p : parts) {
                out.write(("\r\n--" + boundary + "\r\nContent-Type: " + p.contentType() + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(p.body());
            }
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return new Multipart(STOW_TYPE + boundary, out.toByteArray());
    }

    /** Part 10 files as application/dicom parts. */
    public static Multipart dicomMultipart(List<byte[]> files) {
        List<Part> parts = new ArrayList<>();
        for (byte[] f : files) {
            parts.add(new Part("application/dicom", f));
        }
        return multipart(parts);
    }

    /** POSTs a STOW-RS body to {@code uri}; {@code token} null for none. Never throws on a non-2xx status. */
    public static HttpResponse<String> post(HttpClient client, URI uri, Multipart body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", body.contentType()).header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.body()));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs {@code uri} with {@code accept}; {@code token} null for none. */
    public static HttpResponse<byte[]> get(HttpClient client, URI uri, String accept, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Accept", accept)
                .GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
