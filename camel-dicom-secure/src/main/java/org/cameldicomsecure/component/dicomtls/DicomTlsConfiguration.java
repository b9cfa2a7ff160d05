package org.cameldicomsecure.component.dicomtls;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import org.cameldicomsecure.component.dicom.TlsEndpointOptions;
import org.cameldicomsecure.net.assoc.AssociationListener;
import org.cameldicomsecure.net.auth.UserIdentityValidator;

/**
 * Options of the {@code dicomtls} component. The component keeps one; each endpoint gets a {@link #copy()}. Plain
 * fields only: {@link DicomTlsEndpoint} translates them into the network and TLS layers' own settings.
 */
@UriParams
public class DicomTlsConfiguration extends TlsEndpointOptions implements Cloneable {

    @UriPath(description = "The AE title: the consumer's own (the called AE title it answers to), the producer's peer (the called AE title)")
    @Metadata(required = true)
    private String aeTitle;
    @UriPath(description = "The consumer's bind address, or the producer's peer host")
    @Metadata(required = true)
    private String host;
    @UriPath(description = "The TCP port", defaultValue = "11112")
    private int port = 11112;

    @UriParam(label = "consumer,security", defaultValue = "REQUIRE", enums = "REQUIRE,WANT,NONE", description = "Whether the consumer requires a client certificate: REQUIRE, WANT or NONE.")
    private String clientAuth = "REQUIRE";

    @UriParam(label = "consumer,security", defaultValue = "NONE", enums = "NONE,OPTIONAL,REQUIRED", description = "User Identity Negotiation (PS3.7 D.3.3.7): NONE ignores any identity, OPTIONAL checks one if sent, REQUIRED rejects associations without a valid one.")
    private String userIdentity = "NONE";

    @UriParam(label = "consumer,security", description = "A bean that checks user identities (all five types); used instead of users/jwt options.")
    private UserIdentityValidator userIdentityValidator;

    @UriParam(label = "consumer,security", description = "Apache htpasswd file of bcrypt entries (htpasswd -B) for username and passcode identities.")
    private String users;

    @UriParam(label = "consumer,security", description = "PEM public key (RSA or EC) that signs accepted JWT identities.")
    private String jwtPublicKey;

    @UriParam(label = "consumer,security", description = "JWKS URI (https: or file:) with the keys that sign accepted JWT identities.")
    private String jwksUri;

    @UriParam(label = "consumer,security", description = "Required JWT issuer (iss).")
    private String jwtIssuer;

    @UriParam(label = "consumer,security", description = "Required JWT audience (aud).")
    private String jwtAudience;

    @UriParam(label = "producer,security", description = "User identity to send: the username (type 1, or type 2 with passcode).")
    private String username;

    @UriParam(label = "producer,security", secret = true, description = "Passcode sent with the username (type 2).")
    private String passcode;

    @UriParam(label = "producer,security", secret = true, description = "JWT to send as user identity (type 5): the token, or file: and a path.")
    private String jwt;

    @UriParam(label = "producer,security", secret = true, description = "SAML assertion to send as user identity (type 4): the XML, or file: and a path.")
    private String samlAssertion;

    @UriParam(label = "producer,security", secret = true, description = "Kerberos service ticket to send as user identity (type 3): a file: path or base64.")
    private String kerberosTicket;

    @UriParam(label = "producer,security", defaultValue = "false", description = "Ask the acceptor to confirm the user identity; the association fails if it does not.")
    private boolean positiveResponseRequested = false;

    @UriParam(label = "consumer,security", description = "Comma-separated calling AE titles allowed to associate; empty allows any.")
    private String allowedCallingAets;

    @UriParam(label = "consumer,security", defaultValue = "false", description = "Require the client certificate's subject CN or a DNS SAN to equal the calling AE title.")
    private boolean aetCertificateBinding = false;

    @UriParam(label = "producer", defaultValue = "CAMEL", description = "This node's AE title when it requests associations.")
    private String callingAet = "CAMEL";

    @UriParam(label = "producer", defaultValue = "store", enums = "store,echo", description = "What the producer does: store (C-STORE the body) or echo (C-ECHO).")
    private String operation = "store";

    @UriParam(label = "producer,advanced", defaultValue = "0", description = "C-STORE priority: 0 medium, 1 high, 2 low.")
    private int priority = 0;

    @UriParam(label = "consumer", description = "Comma-separated SOP Class UIDs accepted; by default every Storage SOP Class and Verification.")
    private String sopClasses;

    @UriParam(label = "consumer", description = "Comma-separated transfer syntax UIDs accepted, in order of preference; by default any the requestor proposes.")
    private String transferSyntaxes;

    @UriParam(label = "advanced", defaultValue = "16384", description = "Largest P-DATA-TF PDU received (the Maximum Length announced).")
    private long maxPduLength = 16384;

    @UriParam(label = "advanced", defaultValue = "131072", description = "Largest P-DATA-TF PDU sent when the peer announces no limit.")
    private int maxSendPduLength = 131072;

    @UriParam(label = "producer", defaultValue = "10000", javaType = "java.time.Duration", description = "How long to wait for the TCP connection.")
    private long connectTimeout = 10000;

    @UriParam(label = "advanced", defaultValue = "60000", javaType = "java.time.Duration", description = "How long to wait for association, release and DIMSE responses.")
    private long responseTimeout = 60000;

    @UriParam(label = "consumer,advanced", defaultValue = "30000", javaType = "java.time.Duration", description = "ARTIM timer (PS3.8 9.1.5): how long a new connection may stay silent.")
    private long artimTimeout = 30000;

    @UriParam(label = "producer", defaultValue = "30000", javaType = "java.time.Duration", description = "How long an unused association stays open for reuse.")
    private long idleTimeout = 30000;

    @UriParam(label = "consumer,advanced", defaultValue = "1048576", description = "Received data sets larger than this many bytes are held in a temporary file, not in the heap.")
    private int dataSetMemoryThreshold = 1048576;

    @UriParam(label = "advanced", description = "A bean receiving association, security and transfer events (for auditing).")
    private AssociationListener associationListener;
    @UriParam(label = "common", defaultValue = "false", description = "Log one INFO line per association (logger org.cameldicomsecure.component.dicomtls.AssociationSummaryLog): AE titles, peer, TLS protocol and cipher suite, user, instances, bytes, failures, duration and how it ended; and one per refused association or failed TLS handshake. Never patient data.")
    private boolean associationSummary;

    @UriParam(label = "consumer,advanced", defaultValue = "true", description = "Delete the temporary file of a received instance (one larger than dataSetMemoryThreshold) when its exchange is done. Set false when the route keeps the body beyond its exchange (an aggregator, a seda queue): the file is then deleted once the body is no longer reachable.")
    private boolean deleteReceivedFiles = true;
    @UriParam(label = "consumer", defaultValue = "10", description = "Threads that run the route for received instances.")
    private int concurrentConsumers = 10;

    /** A copy for one endpoint. */
    public DicomTlsConfiguration copy() {
        try {
            return (DicomTlsConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getAeTitle() {
        return aeTitle;
    }

    public void setAeTitle(String aeTitle) {
        this.aeTitle = aeTitle;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getClientAuth() {
        return clientAuth;
    }

    public void setClientAuth(String clientAuth) {
        this.clientAuth = clientAuth;
    }

    public String getUserIdentity() {
        return userIdentity;
    }

    public void setUserIdentity(String userIdentity) {
        this.userIdentity = userIdentity;
    }

    public UserIdentityValidator getUserIdentityValidator() {
        return userIdentityValidator;
    }

    public void setUserIdentityValidator(UserIdentityValidator userIdentityValidator) {
        this.userIdentityValidator = userIdentityValidator;
    }

    public String getUsers() {
        return users;
    }

    public void setUsers(String users) {
        this.users = users;
    }

    public String getJwtPublicKey() {
        return jwtPublicKey;
    }

    public void setJwtPublicKey(String jwtPublicKey) {
        this.jwtPublicKey = jwtPublicKey;
    }

    public String getJwksUri() {
        return jwksUri;
    }

    public void setJwksUri(String jwksUri) {
        this.jwksUri = jwksUri;
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

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPasscode() {
        return passcode;
    }

    public void setPasscode(String passcode) {
        this.passcode = passcode;
    }

    public String getJwt() {
        return jwt;
    }

    public void setJwt(String jwt) {
        this.jwt = jwt;
    }

    public String getSamlAssertion() {
        return samlAssertion;
    }

    public void setSamlAssertion(String samlAssertion) {
        this.samlAssertion = samlAssertion;
    }

    public String getKerberosTicket() {
        return kerberosTicket;
    }

    public void setKerberosTicket(String kerberosTicket) {
        this.kerberosTicket = kerberosTicket;
    }

    public boolean isPositiveResponseRequested() {
        return positiveResponseRequested;
    }

    public void setPositiveResponseRequested(boolean positiveResponseRequested) {
        this.positiveResponseRequested = positiveResponseRequested;
    }

    public String getAllowedCallingAets() {
        return allowedCallingAets;
    }

    public void setAllowedCallingAets(String allowedCallingAets) {
        this.allowedCallingAets = allowedCallingAets;
    }

    public boolean isAetCertificateBinding() {
        return aetCertificateBinding;
    }

    public void setAetCertificateBinding(boolean aetCertificateBinding) {
        this.aetCertificateBinding = aetCertificateBinding;
    }

    public String getCallingAet() {
        return callingAet;
    }

    public void setCallingAet(String callingAet) {
        this.callingAet = callingAet;
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    public int getPriority() {
        return priority;
    }

    public void setPriority(int priority) {
        this.priority = priority;
    }

    public String getSopClasses() {
        return sopClasses;
    }

    public void setSopClasses(String sopClasses) {
        this.sopClasses = sopClasses;
    }

    public String getTransferSyntaxes() {
        return transferSyntaxes;
    }

    public void setTransferSyntaxes(String transferSyntaxes) {
        this.transferSyntaxes = transferSyntaxes;
    }

    public long getMaxPduLength() {
        return maxPduLength;
    }

    public void setMaxPduLength(long maxPduLength) {
        this.maxPduLength = maxPduLength;
    }

    public int getMaxSendPduLength() {
        return maxSendPduLength;
    }

    public void setMaxSendPduLength(int maxSendPduLength) {
        this.maxSendPduLength = maxSendPduLength;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(long responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    public long getArtimTimeout() {
        return artimTimeout;
    }

    public void setArtimTimeout(long artimTimeout) {
        this.artimTimeout = artimTimeout;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public int getDataSetMemoryThreshold() {
        return dataSetMemoryThreshold;
    }

    public void setDataSetMemoryThreshold(int dataSetMemoryThreshold) {
        this.dataSetMemoryThreshold = dataSetMemoryThreshold;
    }

    public boolean isAssociationSummary() {
        return associationSummary;
    }

    public void setAssociationSummary(boolean associationSummary) {
        this.associationSummary = associationSummary;
    }

    public AssociationListener getAssociationListener() {
        return associationListener;
    }

    public void setAssociationListener(AssociationListener associationListener) {
        this.associationListener = associationListener;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }
    public boolean isDeleteReceivedFiles() {
        return deleteReceivedFiles;
    }

    public void setDeleteReceivedFiles(boolean deleteReceivedFiles) {
        this.deleteReceivedFiles = deleteReceivedFiles;
    }
}
