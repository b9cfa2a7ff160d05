package org.cameldicomsecure.sign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;
import org.cameldicomsecure.sign.TimestampException.Reason;

/**
 * Obtains RFC 3161 timestamp tokens from a TSA over HTTP (RFC 3161 §3.4): the certified timestamp of PS3.3
 * C.12.1.1.3.1.3, stored in Certified Timestamp (0400,0310) with Certified Timestamp Type (0400,0305)
 * {@value TimestampVerifier#CERTIFIED_TIMESTAMP_TYPE}; the data to timestamp is the value of Signature (0400,0120).
 *
 * <p>{@link #timestamp(byte[])} hashes the data (SHA-256 unless configured otherwise), POSTs a TimeStampReq with a
 * random 64-bit nonce, {@code certReq} true and the optional policy as {@code application/timestamp-query}, and
 * accepts only HTTP 200 with {@code application/timestamp-reply}. The reply must be granted (or grantedWithMods), and
 * its token must carry our nonce, our message imprint, the requested policy (when one was requested) and the TSA
 * certificate, whose signature over the token verifies and which is fit to sign timestamps (the checks of
 * {@link TimestampVerifier} except the trust in the TSA, which the verifying side decides). The return value is the
 * DER encoding of the TimeStampToken (a CMS ContentInfo of SignedData), exactly the bytes that were checked.
 *
 * <p>Only {@code http} and {@code https} URIs; no redirects are followed; a connect timeout and a timeout for the whole
 * answer; answers larger than {@value #MAX_RESPONSE_BYTES} bytes are refused. Error messages name the URI without user
 * information, query or fragment (they may carry credentials). Instances are immutable and thread-safe.
 */
public final class TimestampClient {

    /** Default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default timeout for the TSA's whole answer, from sending the request. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** Default message imprint hash. */
    public static final String DEFAULT_DIGEST_ALGORITHM = "SHA-256";
    /** The largest reply accepted; a token with a certificate chain is a few KiB. */
    public static final int MAX_RESPONSE_BYTES = 1 << 20;

    static final String QUERY_TYPE = "application/timestamp-query";
    static final String REPLY_TYPE = "application/timestamp-reply";

    /** Hashes a TimeStampReq may use: JCA name to OID. */
    private static final Map<String, ASN1ObjectIdentifier> REQUEST_HASHES = new LinkedHashMap<>();

    static {
        for (String n : List.of("SHA-256", "SHA-384", "SHA-512", "SHA3-256", "SHA3-384", "SHA3-512")) {
            REQUEST_HASHES.put(n, TimestampVerifier.hashOid(n));
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI url;
    private final String safeUrl;
    private final String digestAlgorithm;
    private final ASN1ObjectIdentifier digestOid;
    private final ASN1ObjectIdentifier policy;
    private final Duration readTimeout;
    private final HttpClient http;

    /** A client of {@code url} with SHA-256, no policy and the default timeouts. */
    public TimestampClient(URI url) {
        this(url, DEFAULT_DIGEST_ALGORITHM, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    /**
     * @param url             the TSA, {@code http} or {@code https}
     * @param digestAlgorithm the message imprint hash: {@code SHA-256}, {@code SHA-384}, {@code SHA-512},
     *                        {@code SHA3-256}, {@code SHA3-384} or {@code SHA3-512} (case and '-' ignored)
     * @param policyOid       the TSA policy to request (dotted OID), or null for the TSA's default
     * @param connectTimeout  positive
     * @param readTimeout     positive: the time for the whole answer, from sending the request
     * @throws IllegalArgumentException naming the bad argument
     */
    public TimestampClient(URI url, String digestAlgorithm, String policyOid, Duration connectTimeout,
            Duration readTimeout) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("TSA URL must be http or https, not '"
                    + (url.getScheme() == null ? "(no scheme)" : url.getScheme()) + "'");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("TSA URL has no host: " + redact(url));
        }
        try {
            HttpRequest.newBuilder(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TSA URL cannot be used for HTTP: " + redact(url), e);
        }
        this.url = url;
        this.safeUrl = redact(url);
        ASN1ObjectIdentifier oid = TimestampVerifier.hashOid(digestAlgorithm);
        String name = oid == null ? null : TimestampVerifier.hashName(oid);
        if (name == null || !REQUEST_HASHES.containsKey(name)) {
            throw new IllegalArgumentException("unsupported timestamp digest algorithm '" + digestAlgorithm
                    + "'; use one of " + String.join(", ", REQUEST_HASHES.keySet()));
        }
        this.digestAlgorithm = name;
        this.digestOid = oid;
        if (policyOid != null) {
            try {
                this.policy = new ASN1ObjectIdentifier(policyOid.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("TSA policy '" + policyOid + "' is not a dotted OID", e);
            }
        } else {
            this.policy = null;
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
        }
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("readTimeout must be positive: " + readTimeout);
        }
        this.readTimeout = readTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public URI url() {
        return url;
    }

    /** The message imprint hash, as a JCA name. */
    public String digestAlgorithm() {
        return digestAlgorithm;
    }

    /** The requested policy, or null. */
    public String policyOid() {
        return policy == null ? null : policy.getId();
    }

    /**
     * Timestamps {@code data}: returns the DER TimeStampToken to store in Certified Timestamp (0400,0310).
     *
     * @throws TimestampException {@link Reason#CONNECTION}, {@link Reason#BAD_RESPONSE}, {@link Reason#REJECTED},
     *                            {@link Reason#RESPONSE_MISMATCH}, or a reason of {@link TimestampVerifier}'s token
     *                            checks
     */
    public byte[] timestamp(byte[] data) throws TimestampException {
        Objects.requireNonNull(data, "data");
        byte[] digest;
        try {
            digest = MessageDigest.getInstance(digestAlgorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new TimestampException(Reason.UNSUPPORTED_ALGORITHM, "no JCA implementation of " + digestAlgorithm,
                    e);
        }
        BigInteger nonce = new BigInteger(64, RANDOM);
        TimeStampRequestGenerator gen = new TimeStampRequestGenerator();
        gen.setCertReq(true);
        if (policy != null) {
            gen.setReqPolicy(policy);
        }
        TimeStampRequest request = gen.generate(digestOid, digest, nonce);
        byte[] body;
        try {
            body = request.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a TimeStampReq", e);
        }
        byte[] reply = post(body);
        TimeStampResponse response;
        try {
            response = new TimeStampResponse(reply);
        } catch (TSPException | IOException | RuntimeException e) {
            throw new TimestampException(Reason.BAD_RESPONSE, "the TSA " + safeUrl
                    + " did not answer with an RFC 3161 TimeStampResp (" + e.getMessage() + ")", e);
        }
        int status = response.getStatus();
        if (status != PKIStatus.GRANTED && status != PKIStatus.GRANTED_WITH_MODS) {
            throw new TimestampException(Reason.REJECTED, "the TSA " + safeUrl + " refused the request: status "
                    + statusName(status) + failureText(response.getFailInfo()) + statusText(response));
        }
        TimeStampToken received = response.getTimeStampToken();
        if (received == null) {
            throw new TimestampException(Reason.REJECTED, "the TSA " + safeUrl + " answered status "
                    + statusName(status) + " but sent no timestamp token");
        }
        byte[] der;
        try {
            der = received.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new TimestampException(Reason.NOT_A_TOKEN, "the TSA " + safeUrl
                    + " sent a timestamp token that cannot be DER encoded", e);
        }
        // check exactly the bytes that will be stored
        TimeStampToken token = TimestampVerifier.parse(der);
        checkAnswers(token, digest, nonce);
        if (token.getCertificates().getMatches(token.getSID()).isEmpty()) {
            throw new TimestampException(Reason.SIGNER_CERTIFICATE_MISSING, "the TSA " + safeUrl + " sent a token "
                    + "without its certificate although the request asked for it (certReq=true)");
        }
        TimestampVerifier.checkSignedByTsa(token, List.of());
        return der;
    }

    private void checkAnswers(TimeStampToken token, byte[] digest, BigInteger nonce) throws TimestampException {
        TimeStampTokenInfo info = token.getTimeStampInfo();
        if (info.getNonce() == null) {
            throw new TimestampException(Reason.RESPONSE_MISMATCH, "the TSA " + safeUrl
                    + " sent a token without the nonce of the request");
        }
        if (!nonce.equals(info.getNonce())) {
            throw new TimestampException(Reason.RESPONSE_MISMATCH, "the TSA " + safeUrl
                    + " sent a token with another nonce than the request's (a replayed or misrouted reply)");
        }
        if (!digestOid.equals(info.getMessageImprintAlgOID())) {
            throw new TimestampException(Reason.RESPONSE_MISMATCH, "the TSA " + safeUrl + " sent a token whose "
                    + "message imprint uses " + info.getMessageImprintAlgOID().getId() + " instead of the requested "
                    + digestAlgorithm + " (" + digestOid.getId() + ")");
        }
        if (!MessageDigest.isEqual(digest, info.getMessageImprintDigest())) {
            throw new TimestampException(Reason.RESPONSE_MISMATCH, "the TSA " + safeUrl
                    + " sent a token for other data than the request's message imprint");
        }
        if (policy != null && !policy.equals(info.getPolicy())) {
            throw new TimestampException(Reason.RESPONSE_MISMATCH, "the TSA " + safeUrl + " sent a token under policy "
                    + info.getPolicy().getId() + " instead of the requested " + policy.getId());
        }
    }

    private byte[] post(byte[] body) throws TimestampException {
        HttpRequest req = HttpRequest.newBuilder(url)
                .timeout(readTimeout)
                .header("Content-Type", QUERY_TYPE)
                .header("Accept", REPLY_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(req, info -> limited());
        HttpResponse<byte[]> response;
        try {
            response = future.get(readTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new TimestampException(Reason.CONNECTION, "interrupted while waiting for the TSA " + safeUrl, e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TimestampException(Reason.CONNECTION, "the TSA " + safeUrl + " did not answer within "
                    + readTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof TooLargeException) {
                throw new TimestampException(Reason.BAD_RESPONSE, "the TSA " + safeUrl + " sent more than "
                        + MAX_RESPONSE_BYTES + " bytes", c);
            }
            if (c instanceof HttpConnectTimeoutException) {
                throw new TimestampException(Reason.CONNECTION, "cannot connect to the TSA " + safeUrl
                        + ": connect timed out", c);
            }
            if (c instanceof HttpTimeoutException) {
                throw new TimestampException(Reason.CONNECTION, "the TSA " + safeUrl + " did not answer within "
                        + readTimeout.toMillis() + " ms", c);
            }
            if (c instanceof ConnectException) {
                throw new TimestampException(Reason.CONNECTION, "cannot connect to the TSA " + safeUrl + ": "
                        + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()), c);
            }
            throw new TimestampException(Reason.CONNECTION, "exchange with the TSA " + safeUrl + " failed: "
                    + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()), c);
        }
        if (response.statusCode() != 200) {
            throw new TimestampException(Reason.BAD_RESPONSE, "the TSA " + safeUrl + " answered HTTP "
                    + response.statusCode() + " instead of 200");
        }
        String type = response.headers().firstValue("Content-Type").orElse(null);
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(REPLY_TYPE)) {
            throw new TimestampException(Reason.BAD_RESPONSE, "the TSA " + safeUrl + " answered with content type "
                    + (type == null ? "(none)" : "'" + printable(type) + "'") + " instead of " + REPLY_TYPE);
        }
        return response.body();
    }

    /** A body subscriber that collects at most MAX_RESPONSE_BYTES. */
    private static HttpResponse.BodySubscriber<byte[]> limited() {
        return new HttpResponse.BodySubscriber<>() {
            private final CompletableFuture<byte[]> result = new CompletableFuture<>();
            private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            private Flow.Subscription subscription;

            @Override
            public CompletionStage<byte[]> getBody() {
                return result;
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                if (result.isDone()) {
                    return;
                }
                for (ByteBuffer b : items) {
                    if (buffer.size() + b.remaining() > MAX_RESPONSE_BYTES) {
                        subscription.cancel();
                        result.completeExceptionally(new TooLargeException());
                        return;
                    }
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    buffer.write(chunk, 0, chunk.length);
                }
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                result.complete(buffer.toByteArray());
            }
        };
    }

    private static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super("response too large");
        }
    }

    static String statusName(int status) {
        return switch (status) {
            case PKIStatus.GRANTED -> "granted (0)";
            case PKIStatus.GRANTED_WITH_MODS -> "grantedWithMods (1)";
            case PKIStatus.REJECTION -> "rejection (2)";
            case PKIStatus.WAITING -> "waiting (3)";
            case PKIStatus.REVOCATION_WARNING -> "revocationWarning (4)";
            case PKIStatus.REVOCATION_NOTIFICATION -> "revocationNotification (5)";
            default -> "unknown (" + status + ")";
        };
    }

    private static final Object[][] FAILURES = {
        {PKIFailureInfo.badAlg, "badAlg"},
        {PKIFailureInfo.badMessageCheck, "badMessageCheck"},
        {PKIFailureInfo.badRequest, "badRequest"},
        {PKIFailureInfo.badTime, "badTime"},
        {PKIFailureInfo.badCertId, "badCertId"},
        {PKIFailureInfo.badDataFormat, "badDataFormat"},
        {PKIFailureInfo.wrongAuthority, "wrongAuthority"},
        {PKIFailureInfo.incorrectData, "incorrectData"},
        {PKIFailureInfo.missingTimeStamp, "missingTimeStamp"},
        {PKIFailureInfo.badPOP, "badPOP"},
        {PKIFailureInfo.timeNotAvailable, "timeNotAvailable"},
        {PKIFailureInfo.unacceptedPolicy, "unacceptedPolicy"},
        {PKIFailureInfo.unacceptedExtension, "unacceptedExtension"},
        {PKIFailureInfo.addInfoNotAvailable, "addInfoNotAvailable"},
        {PKIFailureInfo.systemFailure, "systemFailure"},
        {PKIFailureInfo.systemUnavail, "systemUnavail"},
    };

    /** ", failure info badAlg, unacceptedPolicy" or "". */
    static String failureText(PKIFailureInfo info) {
        if (info == null) {
            return "";
        }
        int bits = info.intValue();
        List<String> names = new ArrayList<>();
        int known = 0;
        for (Object[] f : FAILURES) {
            int bit = (Integer) f[0];
            known |= bit;
            if ((bits & bit) != 0) {
                names.add((String) f[1]);
            }
        }
        if ((bits & ~known) != 0) {
            names.add("other bits 0x" + Integer.toHexString(bits & ~known));
        }
        return names.isEmpty() ? "" : ", failure info " + String.join(", ", names);
    }

    private static String statusText(TimeStampResponse response) {
        String s = response.getStatusString();
        return s == null || s.isBlank() ? "" : ", status text '" + printable(s) + "'";
    }

    /** At most 200 printable ASCII characters of text the TSA sent. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    /** scheme://host[:port]/path, without user information, query or fragment. */
    static String redact(URI u) {
        StringBuilder b = new StringBuilder();
        b.append(u.getScheme()).append("://").append(u.getHost() == null ? "" : u.getHost());
        if (u.getPort() >= 0) {
            b.append(':').append(u.getPort());
        }
        if (u.getRawPath() != null) {
            b.append(u.getRawPath());
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "TimestampClient[" + safeUrl + ", " + digestAlgorithm + (policy == null ? "" : ", policy "
                + policy.getId()) + "]";
    }
}
