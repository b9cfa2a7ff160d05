package org.cameldicomsecure.it.dicomtls;

import static org.cameldicomsecure.it.dicomtls.ItSupport.GATEWAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.net.assoc.AssociationRejectedException;
import org.cameldicomsecure.net.pdu.AAssociateRJ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User Identity Negotiation (PS3.7 D.3.3.7) both ways, over TLS (default profile).
 *
 * <p>Our consumer with {@code userIdentity=REQUIRED}, an htpasswd file made by Apache's {@code htpasswd -nbB} and a
 * JWT public key: {@code storescu --user/--password} (also with {@code -rsp}) and {@code storescu --jwt} with a token
 * we sign are accepted and the route sees CamelDicomUsername; a wrong password, no identity, a JWT signed by another
 * key and an expired JWT are rejected with A-ASSOCIATE-RJ rejected-permanent, source 2 (service-provider, ACSE), and
 * nothing reaches the route. Our producer with username/passcode and with a JWT against our consumer likewise. DCMTK's
 * {@code storescp} does not check identities: against it, we check that it accepts an association carrying one (and
 * that our producer fails when it asked for a positive response, which storescp never sends).
 */
class UserIdentityIT {

    static final String USER = "alice";
    static final String PASSWORD = "Corr3ct-Horse";

    @TempDir
    static Path dir;
    static Peers peers;
    static ItPki pki;
    static Path users;
    static Path jwtKey;
    static PrivateKey jwtSigningKey;
    static PrivateKey otherSigningKey;
    static List<ItData.Instance> instances;
    static int port;
    static Path out;
    static final ItSupport.Recorder RECORDER = new ItSupport.Recorder();
    static final ItSupport.Events EVENTS = new ItSupport.Events();
    static CamelContext camel;

    @BeforeAll
    static void setUp() throws Exception {
        ItSupport.requireDcmtkAndOpenssl();
        Peers.require("htpasswd", "apache2-utils");
        peers = Peers.forTest(UserIdentityIT.class);
        pki = ItPki.create(dir.resolve("pki"));
        instances = ItData.write(dir.resolve("in"), "identity", 0, 16);

        // the password file: Apache's own tool, bcrypt (-B)
        Peers.Result htpasswd = peers.run("htpasswd", dir, Peers.cmd("htpasswd", "-nbB", USER, PASSWORD))
                .assertSuccess();
        assertTrue(htpasswd.out().startsWith(USER + ":$2y$"), htpasswd.out());
        users = Files.writeString(dir.resolve("users.htpasswd"), htpasswd.out().strip() + "\n");

        KeyPair jwtPair = rsa();
        jwtSigningKey = jwtPair.getPrivate();
        otherSigningKey = rsa().getPrivate();
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(jwtPair.getPublic());
        }
        jwtKey = Files.writeString(dir.resolve("jwt-public.pem"), pem.toString());

        // the producer reads its token when it starts
        jwtFile("producer", jwt(jwtSigningKey, "carol", Instant.now().plus(Duration.ofMinutes(10))));
        port = ItSupport.freePort();
        out = dir.resolve("out");
        String uri = "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?" + ItSupport.keyOptions(pki, pki.server)
                + "&userIdentity=REQUIRED&users=" + users + "&jwtPublicKey=" + jwtKey
                + "&associationListener=#events";
        camel = ItSupport.camel(Map.of("events", EVENTS), new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(RECORDER).to("file:" + out + "?fileName=${header.CamelDicomSopInstanceUid}.dcm");
                String producer = "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?callingAet=MODALITY&"
                        + ItSupport.keyOptions(pki, pki.modality);
                from("direct:good").to(producer + "&username=" + USER + "&passcode=" + PASSWORD);
                from("direct:goodPositive").to(producer + "&username=" + USER + "&passcode=" + PASSWORD
                        + "&positiveResponseRequested=true");
                from("direct:wrong").to(producer + "&username=" + USER + "&passcode=Wrong-Horse");
                from("direct:jwt").to(producer + "&jwt=file:" + dir.resolve("producer.jwt")
                        + "&positiveResponseRequested=true");
            }
        });
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    @BeforeEach
    void clear() {
        RECORDER.clear();
        EVENTS.clear();
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String jwt(PrivateKey key, String subject, Instant expires) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).issueTime(new Date())
                .expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static Path jwtFile(String name, String token) throws Exception {
        return Files.writeString(dir.resolve(name + ".jwt"), token, StandardCharsets.US_ASCII);
    }

    private static int next;

    /** A small instance no earlier test sent. */
    private static ItData.Instance nextInstance() {
        return instances.get(next++);
    }

    private static Peers.Result storescu(String name, ItData.Instance instance, List<String> identity)
            throws Exception {
        List<String> options = new ArrayList<>(ItSupport.tls(pki, pki.storescu, null));
        options.addAll(identity);
        return peers.run(name, dir, ItSupport.storescu(port, options, List.of(instance.file())));
    }

    private static void assertAccepted(Peers.Result r, ItData.Instance instance, String username) {
        r.assertSuccess();
        assertEquals(1, RECORDER.count());
        assertEquals(instance.sopInstanceUid(), RECORDER.headers.get(0).get("CamelDicomSopInstanceUid"));
        assertEquals(username, RECORDER.headers.get(0).get("CamelDicomUsername"));
        assertTrue(Files.exists(out.resolve(instance.sopInstanceUid() + ".dcm")));
    }

    /** storescu failed on an A-ASSOCIATE-RJ 1/2 (rejected-permanent, service-provider ACSE), and nothing arrived. */
    private static void assertRejected(Peers.Result r, ItData.Instance instance) throws Exception {
        assertNotEquals(0, r.exitCode(), r.out() + r.err());
        String log = r.out() + r.err();
        assertTrue(log.contains("Association Rejected"), log);
        // DCMTK's wording of result 1, source 2, reason 1
        assertTrue(log.contains("Result: Rejected Permanent, Source: Service Provider (ACSE Related)"), log);
        assertTrue(log.contains("Reason: No Reason"), log);
        assertEquals(List.of(new AAssociateRJ(AAssociateRJ.REJECTED_PERMANENT,
                AAssociateRJ.SOURCE_SERVICE_PROVIDER_ACSE, AAssociateRJ.ACSE_NO_REASON_GIVEN)), EVENTS.rejected);
        assertEquals(1, EVENTS.authFailures.size(), EVENTS.authFailures.toString());
        assertNothingReachedTheRoute(instance);
    }

    private static void assertNothingReachedTheRoute(ItData.Instance instance) throws Exception {
        Thread.sleep(200);
        assertEquals(0, RECORDER.count(), "nothing of the association reaches the route");
        assertTrue(Files.notExists(out.resolve(instance.sopInstanceUid() + ".dcm")));
    }

    // ------------------------------------------------------------------ storescu -> our consumer

    @Test
    void storescuUsernameAndPasswordAccepted() throws Exception {
        ItData.Instance i = nextInstance();
        assertAccepted(storescu("storescu-password", i, List.of("--user", USER, "--password", PASSWORD)), i, USER);
        assertTrue(EVENTS.authFailures.isEmpty());
    }

    @Test
    void storescuUsernameAndPasswordWithPositiveResponseAccepted() throws Exception {
        ItData.Instance i = nextInstance();
        Peers.Result r = storescu("storescu-password-rsp", i,
                List.of("--user", USER, "--password", PASSWORD, "-rsp"));
        assertAccepted(r, i, USER);
    }

    @Test
    void storescuWrongPasswordRejected() throws Exception {
        ItData.Instance i = nextInstance();
        assertRejected(storescu("storescu-wrong-password", i, List.of("--user", USER, "--password", "Wrong-Horse")),
                i);
    }

    @Test
    void storescuUnknownUserRejected() throws Exception {
        ItData.Instance i = nextInstance();
        assertRejected(storescu("storescu-unknown-user", i, List.of("--user", "mallory", "--password", PASSWORD)), i);
    }

    @Test
    void storescuWithoutIdentityRejected() throws Exception {
        ItData.Instance i = nextInstance();
        assertRejected(storescu("storescu-no-identity", i, List.of()), i);
    }

    @Test
    void storescuJwtAccepted() throws Exception {
        ItData.Instance i = nextInstance();
        Path token = jwtFile("good", jwt(jwtSigningKey, "bob", Instant.now().plus(Duration.ofMinutes(5))));
        assertAccepted(storescu("storescu-jwt", i, List.of("--jwt", token.toString(), "-rsp")), i, "bob");
    }

    @Test
    void storescuJwtWithBadSignatureRejected() throws Exception {
        ItData.Instance i = nextInstance();
        Path token = jwtFile("bad-signature", jwt(otherSigningKey, "bob", Instant.now().plus(Duration.ofMinutes(5))));
        assertRejected(storescu("storescu-jwt-bad-signature", i, List.of("--jwt", token.toString())), i);
        assertTrue(EVENTS.authFailures.get(0).contains("signature"), EVENTS.authFailures.toString());
    }

    @Test
    void storescuExpiredJwtRejected() throws Exception {
        ItData.Instance i = nextInstance();
        // well past the validator's 60 s clock skew
        Path token = jwtFile("expired", jwt(jwtSigningKey, "bob", Instant.now().minus(Duration.ofMinutes(10))));
        assertRejected(storescu("storescu-jwt-expired", i, List.of("--jwt", token.toString())), i);
        assertTrue(EVENTS.authFailures.get(0).contains("expired"), EVENTS.authFailures.toString());
    }

    // ------------------------------------------------------------------ our producer -> our consumer

    @Test
    void ourProducerUsernameAndPasscode() throws Exception {
        ItData.Instance i = nextInstance();
        Exchange ex = camel.createProducerTemplate().request("direct:good",
                e -> e.getIn().setBody(i.file().toFile()));
        assertNull(ex.getException());
        assertEquals(0, ex.getMessage().getHeader("CamelDicomStatus"));
        assertEquals(USER, RECORDER.headers.get(0).get("CamelDicomUsername"));
        assertEquals("MODALITY", RECORDER.headers.get(0).get("CamelDicomCallingAet"));
        assertEquals(pki.modality.subject(), RECORDER.headers.get(0).get("CamelDicomRemoteCertificateSubject"));

        ItData.Instance j = nextInstance();
        Exchange positive = camel.createProducerTemplate().request("direct:goodPositive",
                e -> e.getIn().setBody(j.file().toFile()));
        assertNull(positive.getException(), "our acceptor confirms a username/passcode identity (empty response)");
        assertEquals(2, RECORDER.count());
    }

    @Test
    void ourProducerWrongPasscodeRejected() throws Exception {
        ItData.Instance i = nextInstance();
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> camel.createProducerTemplate().sendBody("direct:wrong", i.file().toFile()));
        AssociationRejectedException rj = assertInstanceOf(AssociationRejectedException.class, e.getCause());
        assertEquals(AAssociateRJ.REJECTED_PERMANENT, rj.reject().result());
        assertEquals(AAssociateRJ.SOURCE_SERVICE_PROVIDER_ACSE, rj.reject().source());
        assertNothingReachedTheRoute(i);
    }

    @Test
    void ourProducerJwt() throws Exception {
        ItData.Instance i = nextInstance();
        Exchange ex = camel.createProducerTemplate().request("direct:jwt", e -> e.getIn().setBody(i.file().toFile()));
        assertNull(ex.getException());
        assertEquals("carol", RECORDER.headers.get(0).get("CamelDicomUsername"));
    }

    // ------------------------------------------------------------------ our producer -> storescp

    @Test
    void storescpAcceptsAnAssociationCarryingOurIdentity() throws Exception {
        int scpPort = ItSupport.freePort();
        Path scpOut = dir.resolve("storescp-out");
        ItData.Instance i = nextInstance();
        try (Peers.Daemon scp = ItSupport.storescp(peers, "storescp-identity", scpOut, scpPort,
                ItSupport.tls(pki, pki.server, null))) {
            String uri = "dicomtls:STORESCP@127.0.0.1:" + scpPort + "?callingAet=GATEWAY&"
                    + ItSupport.keyOptions(pki, pki.gateway) + "&username=" + USER + "&passcode=" + PASSWORD;
            CamelContext c = ItSupport.camel(Map.of(), new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:store").routeId("store").to(uri);
                    from("direct:confirm").routeId("confirm").to(uri + "&positiveResponseRequested=true");
                }
            });
            try {
                Exchange ex = c.createProducerTemplate().request("direct:store",
                        e -> e.getIn().setBody(i.file().toFile()));
                assertNull(ex.getException(), () -> ex.getException() + "\n" + scp.log());
                assertEquals(0, ex.getMessage().getHeader("CamelDicomStatus"));
                // storescp serves one association at a time: release the first
                c.getRouteController().stopRoute("store");
                // storescp never confirms an identity: asking for a positive response fails the exchange
                CamelExecutionException e = assertThrows(CamelExecutionException.class,
                        () -> c.createProducerTemplate().sendBody("direct:confirm", nextInstance().file().toFile()));
                assertTrue(e.getCause().getMessage().contains("did not confirm the user identity"),
                        e.getCause().getMessage());
            } finally {
                c.close();
            }
            String log = scp.log();
            // storescp -d lists the user identity sub-item of the A-ASSOCIATE-RQ it accepted
            assertTrue(log.contains("Authentication mode 2: Username/Password"), log);
            assertTrue(log.contains("Username: [" + USER + "]"), log);
            assertTrue(log.contains("Positive Response requested: No"), log);
            assertTrue(log.contains("Positive Response requested: Yes"), log);
            assertEquals(1, ItSupport.list(scpOut).size(), "only the first instance was sent");
        }
    }
}
