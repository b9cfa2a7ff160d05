package org.cameldicomsecure.web.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import org.cameldicomsecure.tls.HttpClientTls;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.web.DicomWebException;

/**
 * Access tokens from an OAuth 2.0 authorization server with the client credentials grant (RFC 6749 §4.4).
 *
 * <p><b>Request</b> (§4.4.2): {@code POST} to the token endpoint, {@code Content-Type:
 * application/x-www-form-urlencoded}, body {@code grant_type=client_credentials} and {@code scope=...} when scopes are
 * set; the client authenticates with {@code client_secret_basic} (§2.3.1: HTTP Basic with the form-urlencoded client
 * id and secret). <b>Response</b> (§5.1): JSON with {@code access_token}, {@code token_type} (must be {@code Bearer},
 * any case) and {@code expires_in} (seconds); an error response (§5.2) becomes an exception naming its {@code error}
 * code and, shortened, its {@code error_description}.
 *
 * <p><b>Caching.</b> The token is kept and handed out until shortly before it expires: {@link Builder#refreshBefore}
 * (default 30 s) before {@code expires_in} runs out, but at most half its lifetime before; without {@code expires_in},
 * for {@link Builder#defaultLifetime} (default 5 min). Then, or after {@link #invalidate} (the resource server
 * answered 401), the next {@link #token()} fetches a new one. Thread-safe: while a valid token is cached no caller
 * waits; when a new one is needed, one caller fetches it and the others wait for that one (one request at a time).
 *
 * <p>Neither the secret nor a token appear in messages, logs or {@link #toString()}.
 */
public final class ClientCredentialsTokenSource implements TokenSource {

    /** RFC 6750 §2.1 b64token, what an Authorization: Bearer header carries. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final int MAX_RESPONSE = 64 * 1024;
    private static final int MAX_DESCRIPTION = 200;
    private static final JsonFactory JSON = new JsonFactory();

    private final URI tokenEndpoint;
    private final String authorization;
    private final String clientId;
    private final String scope;
    private final Duration refreshBefore;
    private final Duration defaultLifetime;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final LongSupplier nanoClock;
    private final ReentrantLock fetching = new ReentrantLock();

    private final AtomicReference<Cached> cached = new AtomicReference<>();
    private volatile long fetches;

    private record Cached(String token, long refreshAtNanos) {
    }

    private ClientCredentialsTokenSource(Builder b) {
        this.tokenEndpoint = b.tokenEndpoint;
        this.clientId = b.clientId;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (form(b.clientId) + ":" + form(b.clientSecret)).getBytes(StandardCharsets.UTF_8));
        this.scope = b.scopes == null || b.scopes.isBlank() ? null : b.scopes.strip();
        this.refreshBefore = b.refreshBefore;
        this.defaultLifetime = b.defaultLifetime;
        this.requestTimeout = b.requestTimeout;
        this.nanoClock = b.nanoClock;
        this.http = HttpClientTls.newClient(b.connectTimeout, b.tls);
    }

    /**
     * A builder for the token endpoint {@code tokenEndpoint} ({@code https}, or {@code http} for tests on loopback)
     * and the client's credentials.
     */
    public static Builder builder(URI tokenEndpoint, String clientId, String clientSecret) {
        return new Builder(tokenEndpoint, clientId, clientSecret);
    }

    @Override
    public String token() throws IOException {
        Cached c = cached.get();
        if (c != null && nanoClock.getAsLong() - c.refreshAtNanos < 0) {
            return c.token;
        }
        try {
            fetching.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an access token from " + tokenEndpoint);
        }
        try {
            c = cached.get();
            if (c != null && nanoClock.getAsLong() - c.refreshAtNanos < 0) {
                return c.token;
            }
            cached.set(null);
            Cached fresh = fetch();
            cached.set(fresh);
            return fresh.token;
        } finally {
            fetching.unlock();
        }
    }

    @Override
    public void invalidate(String token) {
        Cached c = cached.get();
        if (c != null && c.token.equals(token)) {
            cached.compareAndSet(c, null);
        }
    }

    @Override
    public boolean refreshable() {
        return true;
    }

    /** How many tokens were fetched from the token endpoint so far (for monitoring and tests). */
    public long fetchCount() {
        return fetches;
    }

    /** The token endpoint. */
    public URI tokenEndpoint() {
        return tokenEndpoint;
    }

    private Cached fetch() throws IOException {
        StringBuilder body = new StringBuilder("grant_type=client_credentials");
        if (scope != null) {
            body.append("&scope=").append(form(scope));
        }
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.US_ASCII))
                .build();
        String where = "the token endpoint " + tokenEndpoint;
        HttpResponse<InputStream> response;
        long started = nanoClock.getAsLong();
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new DicomWebException(where + " did not answer within " + requestTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException x = new InterruptedIOException("interrupted while asking " + where);
            x.initCause(e);
            throw x;
        } catch (IOException e) {
            throw new DicomWebException("cannot get an access token from " + where + ": "
                    + Messages.describe(e), e);
        }
        fetches++;
        byte[] json;
        try (InputStream in = response.body()) {
            json = in.readNBytes(MAX_RESPONSE + 1);
        }
        int status = response.statusCode();
        if (status != 200) {
            throw new DicomWebException(status, where + " answered " + status + " for client " + clientId
                    + errorDetail(json));
        }
        if (json.length > MAX_RESPONSE) {
            throw new DicomWebException(where + " sent a token response larger than " + MAX_RESPONSE + " bytes");
        }
        String mediaType = response.headers().firstValue("Content-Type").orElse("")
                .split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new DicomWebException(where + " answered 200 with Content-Type '"
                    + (mediaType.isEmpty() ? "(none)" : mediaType) + "', not application/json (RFC 6749 5.1)");
        }
        TokenResponse t = parse(json, where);
        if (t.accessToken == null) {
            throw new DicomWebException(where + " answered without access_token");
        }
        if (t.tokenType == null || !t.tokenType.equalsIgnoreCase("Bearer")) {
            throw new DicomWebException(where + " issued a token of type '" + (t.tokenType == null ? "(none)"
                    : printable(t.tokenType)) + "', not Bearer");
        }
        checkToken(t.accessToken, "the access_token of " + where);
        Duration lifetime = t.expiresIn != null ? Duration.ofSeconds(Math.max(0, t.expiresIn)) : defaultLifetime;
        Duration margin = refreshBefore.compareTo(lifetime.dividedBy(2)) > 0 ? lifetime.dividedBy(2) : refreshBefore;
        long refreshAt = started + lifetime.minus(margin).toNanos();
        return new Cached(t.accessToken, refreshAt);
    }

    private static final class TokenResponse {
        String accessToken;
        String tokenType;
        Long expiresIn;
        String error;
        String errorDescription;
    }

    private static TokenResponse parse(byte[] json, String where) throws DicomWebException {
        TokenResponse t = new TokenResponse();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DicomWebException(where + " sent a token response that is not a JSON object");
            }
            JsonToken tok;
            while ((tok = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "access_token" -> t.accessToken = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "token_type" -> t.tokenType = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "expires_in" -> t.expiresIn = expiresIn(p, v, where);
                    case "error" -> t.error = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "error_description" -> t.errorDescription = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> p.skipChildren();
                }
            }
            if (tok != JsonToken.END_OBJECT) {
                throw new DicomWebException(where + " sent a token response that is not a JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new DicomWebException(where + " sent a token response that is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (DicomWebException e) {
            throw e;
        } catch (IOException e) {
            throw new DicomWebException(where + " sent an unreadable token response", e);
        }
        return t;
    }

    private static Long expiresIn(JsonParser p, JsonToken v, String where) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            return (long) p.getDoubleValue();
        }
        if (v == JsonToken.VALUE_STRING && p.getText().strip().matches("[0-9]{1,12}")) {
            return Long.parseLong(p.getText().strip()); // some servers quote it
        }
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new DicomWebException(where + " sent an expires_in that is not a number of seconds");
    }

    /** ": error X (description)" from an RFC 6749 §5.2 error response, or "" when there is none. */
    private static String errorDetail(byte[] json) {
        if (json.length == 0 || json.length > MAX_RESPONSE) {
            return "";
        }
        TokenResponse t;
        try {
            t = parse(json, "");
        } catch (DicomWebException e) {
            return "";
        }
        if (t.error == null) {
            return "";
        }
        String s = ": error " + printable(t.error);
        if (t.errorDescription != null && !t.errorDescription.isBlank()) {
            String d = printable(t.errorDescription.strip());
            s += " (" + (d.length() > MAX_DESCRIPTION ? d.substring(0, MAX_DESCRIPTION) + "..." : d) + ")";
        }
        if (t.error.equals("invalid_client")) {
            s += " (check the client id and secret)";
        }
        return s;
    }

    private static String printable(String s) {
        return Messages.printable(s);
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Checks that {@code token} can go into an Authorization: Bearer header (RFC 6750 §2.1) without naming it. */
    static void checkToken(String token, String what) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (!B64TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException(what + " has characters a Bearer header cannot carry (RFC 6750 2.1: "
                    + "letters, digits, -._~+/ and trailing =)");
        }
    }

    @Override
    public String toString() {
        return "ClientCredentialsTokenSource[" + tokenEndpoint + ", client " + clientId
                + (scope == null ? "" : ", scope " + scope) + "]";
    }

    /** Builds a {@link ClientCredentialsTokenSource}. */
    public static final class Builder {
        private final URI tokenEndpoint;
        private final String clientId;
        private final String clientSecret;
        private String scopes;
        private TlsContextFactory tls;
        private Duration refreshBefore = Duration.ofSeconds(30);
        private Duration defaultLifetime = Duration.ofMinutes(5);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private LongSupplier nanoClock = System::nanoTime;

        private Builder(URI tokenEndpoint, String clientId, String clientSecret) {
            this.tokenEndpoint = Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
            String scheme = tokenEndpoint.getScheme() == null ? "" : tokenEndpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException("the token endpoint must be an https (or http) URL, not "
                        + tokenEndpoint);
            }
            if (tokenEndpoint.getRawFragment() != null) {
                throw new IllegalArgumentException("the token endpoint must not have a fragment (RFC 6749 3.2)");
            }
            if (clientId.isEmpty()) {
                throw new IllegalArgumentException("the client id is empty");
            }
        }

        /** Space-separated scopes to ask for (RFC 6749 §3.3); none by default (the server's default scope). */
        public Builder scopes(String v) {
            if (v != null) {
                for (String s : v.strip().split(" +")) {
                    if (!s.isEmpty() && !SCOPE_TOKEN.matcher(s).matches()) {
                        throw new IllegalArgumentException("scope '" + s + "' has characters RFC 6749 3.3 does not "
                                + "allow");
                    }
                }
            }
            scopes = v;
            return this;
        }

        /** TLS for an https token endpoint (our profiles); {@code null} = the JDK's default context. */
        public Builder tls(TlsContextFactory v) {
            tls = v;
            return this;
        }

        /** How long before {@code expires_in} runs out a new token is fetched (at most half the lifetime). */
        public Builder refreshBefore(Duration v) {
            if (v.isNegative()) {
                throw new IllegalArgumentException("refreshBefore must not be negative");
            }
            refreshBefore = v;
            return this;
        }

        /** How long a token without {@code expires_in} is used. */
        public Builder defaultLifetime(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("defaultLifetime must be positive");
            }
            defaultLifetime = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = Objects.requireNonNull(v);
            return this;
        }

        public Builder requestTimeout(Duration v) {
            requestTimeout = Objects.requireNonNull(v);
            return this;
        }

        /** The clock (System.nanoTime by default), for tests. */
        Builder nanoClock(LongSupplier v) {
            nanoClock = v;
            return this;
        }

        public ClientCredentialsTokenSource build() {
            if (tokenEndpoint.getScheme().equalsIgnoreCase("https") || tls == null) {
                return new ClientCredentialsTokenSource(this);
            }
            throw new IllegalArgumentException("tls is set but the token endpoint " + tokenEndpoint + " is http");
        }
    }
}
