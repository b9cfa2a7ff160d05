package org.cameldicomsecure.component.dicomtls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Predicate;


import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.component.dicom.EndpointOptions;
import org.cameldicomsecure.component.dicom.TlsOptions;
import org.cameldicomsecure.net.DefaultAcceptorPolicy;
import org.cameldicomsecure.net.SslEngineFactory;
import org.cameldicomsecure.net.assoc.AcceptorPolicy;
import org.cameldicomsecure.net.assoc.AssociationConfig;
import org.cameldicomsecure.net.assoc.AssociationListener;
import org.cameldicomsecure.net.assoc.PeerInfo;
import org.cameldicomsecure.net.auth.AuthenticationPeer;
import org.cameldicomsecure.net.auth.CompositeValidator;
import org.cameldicomsecure.net.auth.HtpasswdValidator;
import org.cameldicomsecure.net.auth.JwtValidator;
import org.cameldicomsecure.net.auth.UserIdentityDecision;
import org.cameldicomsecure.net.auth.UserIdentityMode;
import org.cameldicomsecure.net.auth.UserIdentityPolicy;
import org.cameldicomsecure.net.auth.UserIdentityValidator;
import org.cameldicomsecure.net.pdu.AAssociateRQ;
import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.cameldicomsecure.net.pdu.UserIdentityType;
import org.cameldicomsecure.net.pdu.UserInformation;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.tls.TlsProfile;

/**
 * Receive (consumer: Storage and Verification SCP) and send (producer: Storage SCU, C-ECHO) DICOM over the PS3.15
 * secure transport profiles, with User Identity Negotiation.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "dicomtls", title = "DICOM TLS",
             syntax = "dicomtls:aeTitle@host:port", category = { Category.NETWORKING, Category.SECURITY },
             headersClass = DicomTlsConstants.class)
public class DicomTlsEndpoint extends DefaultEndpoint {

    private static final String VERIFICATION = "1.2.840.10008.1.1";

    @UriParam
    private DicomTlsConfiguration configuration;

    public DicomTlsEndpoint(String uri, DicomTlsComponent component, DicomTlsConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public DicomTlsComponent getComponent() {
        return (DicomTlsComponent) super.getComponent();
    }

    public DicomTlsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DicomTlsConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new DicomTlsProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        DicomTlsConsumer consumer = new DicomTlsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    // ------------------------------------------------------------------ translation to the lower layers

    TlsProfile tlsProfile() {
        return TlsOptions.profile(configuration);
    }

    /** The TLS context factory, or null for tlsProfile=NONE. Validates the key material now (fails fast). */
    TlsContextFactory createTls() throws Exception {
        return TlsOptions.createTls(configuration, getCamelContext(), getComponent().globalSslContextParameters());
    }

    static SslEngineFactory engines(TlsContextFactory tls) {
        if (tls == null) {
            return null;
        }
        return (client, host, port) -> {
            tls.reloadIfChanged();
            return client ? tls.newClientEngine(host, port) : tls.newServerEngine();
        };
    }

    AssociationConfig associationConfig(Executor blocking, AssociationListener listener) {
        DicomTlsConfiguration c = configuration;
        return new AssociationConfig(c.getMaxPduLength(), c.getMaxSendPduLength(), 1 << 20, c.getArtimTimeout(),
                c.getResponseTimeout(), c.getDataSetMemoryThreshold(), null, AssociationConfig.IMPLEMENTATION_CLASS_UID,
                AssociationConfig.IMPLEMENTATION_VERSION, listener, blocking);
    }

    /** The consumer's acceptor policy: AE titles, contexts, access control and user identity. */
    AcceptorPolicy acceptorPolicy() throws IOException {
        DicomTlsConfiguration c = configuration;
        List<String> sopClasses = split(c.getSopClasses());
        Set<String> storage = UID.storageSopClasses();
        Predicate<String> accepted = sopClasses.isEmpty()
                ? uid -> uid.equals(VERIFICATION) || storage.contains(uid)
                : uid -> uid.equals(VERIFICATION) || sopClasses.contains(uid);
        UserIdentityPolicy identity = identityPolicy();
        DefaultAcceptorPolicy.IdentityCheck check = (rq, peer, calling) -> {
            UserIdentityDecision d = identity.decide(rq, AuthenticationPeer.of(calling, c.getAeTitle(),
                    peer.remote(), peer.tls() == null ? null : peer.tls().peerCertificates()));
            return new DefaultAcceptorPolicy.IdentityDecision(d.isAccepted(), d.principal().orElse(null),
                    d.userIdentityAC().orElse(null), d.reason().orElse(null));
        };
        DefaultAcceptorPolicy.PeerCheck binding = c.isAetCertificateBinding() ? DicomTlsEndpoint::checkBinding : null;
        long maxPdu = c.getMaxPduLength();
        return new DefaultAcceptorPolicy(c.getAeTitle(), accepted, split(c.getTransferSyntaxes()),
                Set.copyOf(split(c.getAllowedCallingAets())), check, binding,
                UserInformation.of(maxPdu, AssociationConfig.IMPLEMENTATION_CLASS_UID,
                        AssociationConfig.IMPLEMENTATION_VERSION));
    }

    /** aetCertificateBinding: the client certificate's subject CN or one of its DNS SANs must be the calling AE title. */
    static String checkBinding(AAssociateRQ rq, PeerInfo peer) {
        if (peer.tls() == null || peer.tls().peerCertificates() == null || peer.tls().peerCertificates().length == 0) {
            return "calling AE title '" + rq.callingAet() + "' needs a client certificate (aetCertificateBinding)";
        }
        java.security.cert.X509Certificate cert = peer.tls().peerCertificates()[0];
        List<String> names = new ArrayList<>();
        try {
            javax.naming.ldap.LdapName dn = new javax.naming.ldap.LdapName(cert.getSubjectX500Principal().getName());
            for (javax.naming.ldap.Rdn rdn : dn.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(String.valueOf(rdn.getValue()));
                }
            }
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (Exception e) {
            return "cannot read the client certificate's names";
        }
        return names.contains(rq.callingAet()) ? null
                : "calling AE title '" + rq.callingAet() + "' is not bound to the client certificate";
    }

    private UserIdentityPolicy identityPolicy() throws IOException {
        DicomTlsConfiguration c = configuration;
        UserIdentityMode mode = EndpointOptions.choice("userIdentity", c.getUserIdentity(), UserIdentityMode.class);
        if (mode == UserIdentityMode.NONE) {
            return UserIdentityPolicy.none();
        }
        UserIdentityValidator validator = c.getUserIdentityValidator();
        if (validator == null) {
            CompositeValidator.Builder b = CompositeValidator.builder();
            boolean any = false;
            if (c.getUsers() != null) {
                b.on(UserIdentityType.USERNAME_AND_PASSCODE, HtpasswdValidator.load(Path.of(c.getUsers())));
                any = true;
            }
            if (c.getJwtPublicKey() != null || c.getJwksUri() != null) {
                JwtValidator.Builder jb = JwtValidator.builder();
                if (c.getJwtPublicKey() != null) {
                    jb.publicKey(Path.of(c.getJwtPublicKey()));
                } else {
                    jb.jwksUri(URI.create(c.getJwksUri()));
                }
                if (c.getJwtIssuer() != null) {
                    jb.issuer(c.getJwtIssuer());
                }
                if (c.getJwtAudience() != null) {
                    jb.audience(c.getJwtAudience());
                }
                b.on(UserIdentityType.JWT, jb.build());
                any = true;
            }
            if (!any) {
                throw new IllegalArgumentException("userIdentity=" + mode
                        + " needs userIdentityValidator, users, jwtPublicKey or jwksUri");
            }
            validator = b.build();
        }
        return new UserIdentityPolicy(mode, validator);
    }

    /** The user identity sub-item the producer sends, or null. */
    UserIdentityRQ userIdentityRQ() throws IOException {
        DicomTlsConfiguration c = configuration;
        boolean pos = c.isPositiveResponseRequested();
        if (c.getJwt() != null) {
            return new UserIdentityRQ(UserIdentityType.JWT, pos, text(c.getJwt()).trim().getBytes(StandardCharsets.US_ASCII),
                    null);
        }
        if (c.getSamlAssertion() != null) {
            return new UserIdentityRQ(UserIdentityType.SAML, pos,
                    text(c.getSamlAssertion()).getBytes(StandardCharsets.UTF_8), null);
        }
        if (c.getKerberosTicket() != null) {
            String v = c.getKerberosTicket();
            byte[] ticket = v.startsWith("file:") ? Files.readAllBytes(Path.of(v.substring(5)))
                    : Base64.getDecoder().decode(v.trim());
            return new UserIdentityRQ(UserIdentityType.KERBEROS, pos, ticket, null);
        }
        if (c.getUsername() != null) {
            return c.getPasscode() != null ? UserIdentityRQ.usernamePasscode(c.getUsername(), c.getPasscode(), pos)
                    : UserIdentityRQ.username(c.getUsername(), pos);
        }
        return null;
    }

    InetSocketAddress remoteAddress() {
        return new InetSocketAddress(configuration.getHost(), configuration.getPort());
    }

    private static String text(String v) throws IOException {
        return v.startsWith("file:") ? Files.readString(Path.of(v.substring(5))) : v;
    }

    private static Path path(String p) {
        return EndpointOptions.path(p);
    }

    static List<String> split(String csv) {
        return EndpointOptions.split(csv);
    }

    /** The association summary lines, at INFO on the logger of {@link AssociationSummaryLog}. */
    static AssociationSummaryLog summaryLog() {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AssociationSummaryLog.class);
        return new AssociationSummaryLog(log::info);
    }
}
