package org.cameldicomsecure.web.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;

import org.cameldicomsecure.web.DicomWebException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client credentials grant against a token endpoint in the test (the JDK's HTTP server). */
class ClientCredentialsTokenSourceTest {

    private static final String CLIENT_ID = "dicom client+1";
    private static final String SECRET = "s3cr3t:&=/%pw";

    private WebTestSupport.Server server;
    private final AtomicInteger issued = new AtomicInteger();
    private final ConcurrentLinkedQueue<Map<String, String>> requests = new ConcurrentLinkedQueue<>();
    private volatile String responseTemplate = "{\"access_token\":\"tok-%d\",\"token_type\":\"Bearer\","
            + "\"expires_in\":3600,\"scope\":\"ignored\"}";
    private volatile long delayMillis;

    @BeforeEach
    void start() throws IOException {
        server = new WebTestSupport.Server(null).handle("/token", this::token);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void token(HttpExchange x) throws IOException {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("method", x.getRequestMethod());
        r.put("content-type", x.getRequestHeaders().getFirst("Content-Type"));
        r.put("authorization", x.getRequestHeaders().getFirst("Authorization"));
        String body = new String(WebTestSupport.readAll(x), StandardCharsets.US_ASCII);
        r.put("body", body);
        requests.add(r);
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String auth = r.get("authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                ("dicom+client%2B1:" + "s3cr3t%3A%26%3D%2F%25pw").getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(auth)) {
            WebTestSupport.respond(x, 401, "application/json", "{\"error\":\"invalid_client\","
                    + "\"error_description\":\"client authentication failed\"}");
            return;
        }
        WebTestSupport.respond(x, 200, "application/json;charset=UTF-8",
                String.format(responseTemplate, issued.incrementAndGet()));
    }

    private ClientCredentialsTokenSource.Builder source() {
        return ClientCredentialsTokenSource.builder(server.uri("/token"), CLIENT_ID, SECRET);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : body.split("&")) {
            String[] p = kv.split("=", 2);
            m.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), URLDecoder.decode(p[1], StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void requestIsRfc6749ClientCredentialsWithBasicAuthAndScope() throws IOException {
        ClientCredentialsTokenSource s = source().scopes("user/*.write system/ImagingStudy.read").build();
        assertEquals("tok-1", s.token());
        Map<String, String> r = requests.poll();
        assertEquals("POST", r.get("method"));
        assertEquals("application/x-www-form-urlencoded", r.get("content-type"));
        assertEquals(Map.of("grant_type", "client_credentials", "scope",
                "user/*.write system/ImagingStudy.read"), form(r.get("body")));
        assertTrue(s.refreshable());
        assertFalse(s.toString().contains(SECRET));
    }

    @Test
    void withoutScopeOnlyTheGrantType() throws IOException {
        source().build().token();
        assertEquals("grant_type=client_credentials", requests.poll().get("body"));
    }

    @Test
    void cachesUntilShortlyBeforeExpiryThenRefreshes() throws IOException {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        responseTemplate = "{\"access_token\":\"tok-%d\",\"token_type\":\"bearer\",\"expires_in\":100}";
        ClientCredentialsTokenSource s = source().refreshBefore(Duration.ofSeconds(10)).nanoClock(now::get).build();
        assertEquals("tok-1", s.token());
        now.addAndGet(Duration.ofSeconds(89).toNanos());
        assertEquals("tok-1", s.token());
        assertEquals(1, s.fetchCount());
        now.addAndGet(Duration.ofSeconds(1).toNanos()); // 90 s: 10 s before expiry
        assertEquals("tok-2", s.token());
        assertEquals("tok-2", s.token());
        assertEquals(2, s.fetchCount());
    }

    @Test
    void shortLifetimeIsRefreshedAtHalfOfIt() throws IOException {
        AtomicLong now = new AtomicLong();
        responseTemplate = "{\"access_token\":\"tok-%d\",\"token_type\":\"Bearer\",\"expires_in\":\"20\"}";
        ClientCredentialsTokenSource s = source().nanoClock(now::get).build(); // refreshBefore 30 s > lifetime
        assertEquals("tok-1", s.token());
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertEquals("tok-1", s.token());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals("tok-2", s.token());
    }

    @Test
    void withoutExpiresInTheDefaultLifetime() throws IOException {
        AtomicLong now = new AtomicLong();
        responseTemplate = "{\"access_token\":\"tok-%d\",\"token_type\":\"Bearer\"}";
        ClientCredentialsTokenSource s = source().defaultLifetime(Duration.ofSeconds(100))
                .refreshBefore(Duration.ZERO).nanoClock(now::get).build();
        assertEquals("tok-1", s.token());
        now.addAndGet(Duration.ofSeconds(99).toNanos());
        assertEquals("tok-1", s.token());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals("tok-2", s.token());
    }

    @Test
    void realClockExpiry() throws Exception {
        // a lifetime long enough that a slow first fetch on a busy machine is not already half of it
        responseTemplate = "{\"access_token\":\"tok-%d\",\"token_type\":\"Bearer\",\"expires_in\":4}";
        ClientCredentialsTokenSource s = source().build();
        assertEquals("tok-1", s.token());
        assertEquals("tok-1", s.token());
        Thread.sleep(2200); // refreshed half-way through the 4 s lifetime
        assertEquals("tok-2", s.token());
    }

    @Test
    void invalidateFetchesANewOneButIgnoresAStaleToken() throws IOException {
        ClientCredentialsTokenSource s = source().build();
        assertEquals("tok-1", s.token());
        s.invalidate("tok-1");
        assertEquals("tok-2", s.token());
        s.invalidate("tok-1"); // another thread's late 401 for the old token
        assertEquals("tok-2", s.token());
        assertEquals(2, s.fetchCount());
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        delayMillis = 300;
        ClientCredentialsTokenSource s = source().build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit((Callable<String>) () -> {
                    go.await();
                    return s.token();
                }));
            }
            go.countDown();
            Set<String> tokens = new HashSet<>();
            for (Future<String> f : results) {
                tokens.add(f.get(10, TimeUnit.SECONDS));
            }
            assertEquals(Set.of("tok-1"), tokens);
            assertEquals(1, s.fetchCount());
            assertEquals(1, requests.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wrongSecretIsNamedWithoutTheSecret() {
        ClientCredentialsTokenSource s = ClientCredentialsTokenSource.builder(server.uri("/token"), CLIENT_ID,
                "wrong-secret").build();
        DicomWebException e = assertThrows(DicomWebException.class, s::token);
        assertEquals(401, e.httpStatus());
        assertTrue(e.getMessage().contains("invalid_client"), e.getMessage());
        assertTrue(e.getMessage().contains("client authentication failed"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-secret"));
    }

    @Test
    void notBearerIsRefused() {
        responseTemplate = "{\"access_token\":\"tok-%d\",\"token_type\":\"mac\",\"expires_in\":60}";
        DicomWebException e = assertThrows(DicomWebException.class, () -> source().build().token());
        assertTrue(e.getMessage().contains("'mac', not Bearer"), e.getMessage());
        assertFalse(e.getMessage().contains("tok-1"));
    }

    @Test
    void malformedResponsesAreNamed() {
        responseTemplate = "{\"token_type\":\"Bearer\"}%n";
        assertTrue(assertThrows(DicomWebException.class, () -> source().build().token()).getMessage()
                .contains("without access_token"));
        responseTemplate = "{\"access_token\":\"tok-%d\" \"token_type\"}";
        assertTrue(assertThrows(DicomWebException.class, () -> source().build().token()).getMessage()
                .contains("not valid JSON"));
        responseTemplate = "{\"access_token\":\"tok %d\",\"token_type\":\"Bearer\"}";
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> source().build().token());
        assertTrue(bad.getMessage().contains("cannot carry"));
        assertFalse(bad.getMessage().contains("tok "));
    }

    @Test
    void unreachableEndpointIsNamed() {
        int port = server.port();
        server.close();
        DicomWebException e = assertThrows(DicomWebException.class,
                () -> ClientCredentialsTokenSource.builder(URI.create("http://127.0.0.1:" + port + "/token"),
                        CLIENT_ID, SECRET).build().token());
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET));
    }

    @Test
    void builderChecks() {
        assertThrows(IllegalArgumentException.class,
                () -> ClientCredentialsTokenSource.builder(URI.create("ftp://x/token"), "a", "b"));
        assertThrows(IllegalArgumentException.class, () -> source().scopes("a\"b"));
        assertThrows(IllegalArgumentException.class, () -> new StaticTokenSource("a b"));
        assertThrows(IllegalArgumentException.class, () -> new StaticTokenSource(""));
        assertEquals("abc.DEF-_~+/==", new StaticTokenSource("abc.DEF-_~+/==").token());
        assertFalse(new StaticTokenSource("abc").refreshable());
        assertNotEquals("abc", new StaticTokenSource("abc").toString());
    }
}
