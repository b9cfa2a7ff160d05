package org.cameldicomsecure.component.dicomweb;

import java.time.Duration;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import org.cameldicomsecure.component.dicom.TlsEndpointOptions;

/** The options of a {@code dicomweb:} endpoint. */
@UriParams
public class DicomWebConfiguration extends TlsEndpointOptions implements Cloneable {

    @UriPath(description = "The DICOMweb base URI: http: or https:, host (the address to listen on, for a consumer), port and path, e.g. https://0.0.0.0:8443/dicom-web")
    @Metadata(required = true)
    private String baseUri;

    @UriParam(label = "common", defaultValue = "stow", enums = "stow,wado,qido", description = "What the endpoint does: stow (STOW-RS: the consumer receives stored instances, the producer stores the body), wado (WADO-RS: the consumer serves retrievals from the route, the producer retrieves instances) or qido (QIDO-RS: the consumer answers searches from the route, the producer searches).")
    private String operation = "stow";

    @UriParam(label = "consumer,security", defaultValue = "NONE", enums = "REQUIRE,WANT,NONE", description = "Whether the consumer asks for a client certificate: NONE (the default: access tokens authenticate), WANT or REQUIRE.")
    private String clientAuth = "NONE";

    @UriParam(label = "consumer,security", description = "JWKS URI (https: or file:) with the keys that sign accepted access tokens. With neither jwksUri nor jwtPublicKey the consumer requires no token.")
    private String jwksUri;

    @UriParam(label = "consumer,security", description = "PEM public key (RSA or EC) that signs accepted access tokens.")
    private String jwtPublicKey;

    @UriParam(label = "consumer,security", description = "Required access token issuer (iss).")
    private String jwtIssuer;

    @UriParam(label = "consumer,security", description = "Required access token audience (aud).")
    private String jwtAudience;

    @UriParam(label = "consumer,security", defaultValue = "sub", description = "The access token claim that names the principal.")
    private String jwtPrincipalClaim = "sub";

    @UriParam(label = "consumer,security", description = "Comma-separated scopes an access token must grant for this endpoint's operation (as in IHE IUA); a token without them is answered 403 insufficient_scope.")
    private String requiredScopes;

    @UriParam(label = "consumer,security", defaultValue = "dicomweb", description = "The realm of the WWW-Authenticate challenge.")
    private String authRealm = "dicomweb";

    @UriParam(label = "consumer", defaultValue = "10", description = "Threads that run the route for received instances and requests.")
    private int concurrentConsumers = 10;

    @UriParam(label = "consumer,advanced", defaultValue = "1048576", description = "Received instances up to this many bytes stay in memory; larger ones are spilled to temporary files.")
    private int partMemoryThreshold = 1048576;

    @UriParam(label = "consumer", defaultValue = "4294967296", description = "Largest STOW-RS request body accepted, in bytes (default 4 GiB); larger requests are answered 413.")
    private long maxRequestSize = 4294967296L;

    @UriParam(label = "consumer,advanced", defaultValue = "true", description = "Delete the temporary file of a received instance when its exchange is done. Set false when the route keeps the file.")
    private boolean deleteReceivedFiles = true;

    @UriParam(label = "producer,security", secret = true, description = "The OAuth 2.0 bearer token to send: the token, or file: and a path (read for every request, so a rotated file is picked up).")
    private String accessToken;

    @UriParam(label = "producer,security", description = "OAuth 2.0 token endpoint: the producer obtains and refreshes its access token with the client-credentials grant.")
    private String tokenEndpoint;

    @UriParam(label = "producer,security", description = "Client ID for the client-credentials grant.")
    private String clientId;

    @UriParam(label = "producer,security", secret = true, description = "Client secret for the client-credentials grant (sent with HTTP Basic authentication).")
    private String clientSecret;

    @UriParam(label = "producer,security", description = "Space-separated scopes asked for in the client-credentials grant.")
    private String scope;

    @UriParam(label = "producer", defaultValue = "*", description = "WADO-RS: the transfer syntax to ask for (the transfer-syntax parameter of the Accept header): * (the default) takes the instances as the origin server has them, a transfer syntax UID asks for that one (a server that cannot provide it answers 406).")
    private String transferSyntax = "*";
    @UriParam(label = "producer", defaultValue = "STUDY", enums = "STUDY,SERIES,INSTANCE", description = "QIDO-RS level searched by the producer: STUDY, SERIES or INSTANCE (the header CamelDicomWebQueryLevel overrides it).")
    private String queryLevel = "STUDY";

    @UriParam(label = "producer", defaultValue = "10000", javaType = "java.time.Duration", description = "How long the producer waits for a connection.")
    private Duration connectTimeout = Duration.ofMillis(10000);

    @UriParam(label = "advanced", defaultValue = "300000", javaType = "java.time.Duration", description = "How long a request may take (producer: until the response; consumer: until the request body is received).")
    private Duration requestTimeout = Duration.ofMillis(300000);

    public String getBaseUri() {
        return baseUri;
    }

    public void setBaseUri(String baseUri) {
        this.baseUri = baseUri;
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    public String getClientAuth() {
        return clientAuth;
    }

    public void setClientAuth(String clientAuth) {
        this.clientAuth = clientAuth;
    }

    public String getJwksUri() {
        return jwksUri;
    }

    public void setJwksUri(String jwksUri) {
        this.jwksUri = jwksUri;
    }

    public String getJwtPublicKey() {
        return jwtPublicKey;
    }

    public void setJwtPublicKey(String jwtPublicKey) {
        this.jwtPublicKey = jwtPublicKey;
    }

    public String getJwtIssuer() {
        return jwtIssuer;
    }

    public void setJwtIssuer(String jwtIssuer) {
        this.jwtIssuer = jwtIssuer;
    }

    public String getJwtAudience() {
        return jwtAudience;
    }

    public void setJwtAudience(String jwtAudience) {
        this.jwtAudience = jwtAudience;
    }

    public String getJwtPrincipalClaim() {
        return jwtPrincipalClaim;
    }

    public void setJwtPrincipalClaim(String jwtPrincipalClaim) {
        this.jwtPrincipalClaim = jwtPrincipalClaim;
    }

    public String getRequiredScopes() {
        return requiredScopes;
    }

    public void setRequiredScopes(String requiredScopes) {
        this.requiredScopes = requiredScopes;
    }

    public String getAuthRealm() {
        return authRealm;
    }

    public void setAuthRealm(String authRealm) {
        this.authRealm = authRealm;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }

    public int getPartMemoryThreshold() {
        return partMemoryThreshold;
    }

    public void setPartMemoryThreshold(int partMemoryThreshold) {
        this.partMemoryThreshold = partMemoryThreshold;
    }

    public long getMaxRequestSize() {
        return maxRequestSize;
    }

    public void setMaxRequestSize(long maxRequestSize) {
        this.maxRequestSize = maxRequestSize;
    }

    public boolean isDeleteReceivedFiles() {
        return deleteReceivedFiles;
    }

    public void setDeleteReceivedFiles(boolean deleteReceivedFiles) {
        this.deleteReceivedFiles = deleteReceivedFiles;
    }

    public String getAccessToken() {
        return accessToken;
    }

    public void setAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    public String getTokenEndpoint() {
        return tokenEndpoint;
    }

    public void setTokenEndpoint(String tokenEndpoint) {
        this.tokenEndpoint = tokenEndpoint;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getScope() {
        return scope;
    }

    public void setScope(String scope) {
        this.scope = scope;
    }

    public String getTransferSyntax() {
        return transferSyntax;
    }

    public void setTransferSyntax(String transferSyntax) {
        this.transferSyntax = transferSyntax;
    }

    public String getQueryLevel() {
        return queryLevel;
    }

    public void setQueryLevel(String queryLevel) {
        this.queryLevel = queryLevel;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public DicomWebConfiguration copy() {
        try {
            return (DicomWebConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
