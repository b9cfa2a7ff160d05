package org.cameldicomsecure.component.dicomweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.tls.TestPki;
import org.cameldicomsecure.web.StowResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dicomweb consumers (STOW-RS, WADO-RS, QIDO-RS on one HTTPS port, bearer tokens) and producers in one Camel
 * context, over loopback with the default profile BCP195_RFC8996.
 */
class DicomWebComponentTest extends CamelTestSupport {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String STUDY = "1.2.3.100";
    private static final String SERIES = "1.2.3.100.1";
    private static Path dir;
    private static TestPki pki;
    private static KeyPair jwtKey;
    private static Path jwtPublicKey;

    private final int port = AvailablePortFinder.getNextAvailable();
    /** The token endpoint of the client-credentials test (the JDK's HTTP server as the authorization server). */
    private static com.sun.net.httpserver.HttpServer tokenServer;
    private static final List<String> tokenRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What the STOW route stored, by SOP Instance UID; the WADO route serves it. */
    private final Map<String, byte[]> archive = new ConcurrentHashMap<>();

    @BeforeAll
    static void keys() throws Exception {
        dir = Files.createTempDirectory("dicomweb-component-test");
        pki = TestPki.create(dir);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        jwtKey = g.generateKeyPair();
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(jwtKey.getPublic());
        }
        jwtPublicKey = Files.writeString(dir.resolve("jwt-public.pem"), w.toString());
    }

    @BeforeAll
    static void tokenEndpoint() throws Exception {
        tokenServer = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        tokenServer.createContext("/token", x -> {
            String form = new String(x.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            tokenRequests.add(x.getRequestHeaders().getFirst("Authorization") + " " + form);
            byte[] body;
            try {
                body = ("{\"access_token\":\"" + token("gateway", "dicom.write", Instant.now().plusSeconds(300))
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":300}").getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII);
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        tokenServer.start();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (tokenServer != null) {
            tokenServer.stop(0);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static String token(String audience, String scope, Instant expires) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://idp.test").subject("modality-7")
                .audience(audience).expirationTime(Date.from(expires)).issueTime(new Date()).claim("scope", scope)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                claims);
        jwt.sign(new RSASSASigner((RSAPrivateKey) jwtKey.getPrivate()));
        return jwt.serialize();
    }

    private String server(String operation, String scopes) {
        return "dicomweb:https://127.0.0.1:" + port + "/dicom-web?operation=" + operation + "&certificate="
                + pki.serverRsa.certPem() + "&privateKey=" + pki.serverRsa.keyPem() + "&jwtPublicKey=" + jwtPublicKey
                + "&jwtIssuer=https://idp.test&jwtAudience=gateway&requiredScopes=" + scopes;
    }

    private String client(String operation, String token) {
        return "dicomweb:https://127.0.0.1:" + port + "/dicom-web?operation=" + operation + "&trustedCertificates="
                + pki.ca.certPem() + (token == null ? "" : "&accessToken=" + token);
    }

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        String good = token("gateway", "dicom.read dicom.write", Instant.now().plusSeconds(600));
        String readOnly = token("gateway", "dicom.read", Instant.now().plusSeconds(600));
        return new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                from(server("stow", "dicom.write"))
                        .choice()
                            .when(header(DicomWebConstants.SOP_INSTANCE_UID).endsWith(".666"))
                                .throwException(new IllegalStateException("archive down"))
                        .end()
                        .process(e -> archive.put(e.getIn().getHeader(DicomWebConstants.SOP_INSTANCE_UID,
                                String.class), e.getIn().getBody(byte[].class)))
                        .to("mock:stored");
                from(server("wado", "dicom.read"))
                        .process(e -> {
                            String uid = e.getIn().getHeader(DicomWebConstants.SOP_INSTANCE_UID, String.class);
                            List<byte[]> out = new ArrayList<>();
                            archive.forEach((k, v) -> {
                                if (uid == null || uid.equals(k)) {
                                    out.add(v);
                                }
                            });
                            e.getMessage().setBody(out);
                        });
                from(server("qido", "dicom.read"))
                        .to("mock:query")
                        .process(e -> {
                            List<Dataset> matches = new ArrayList<>();
                            for (String uid : archive.keySet()) {
                                Dataset d = new Dataset();
                                d.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
                                d.setString(Tag.SOPInstanceUID, VR.UI, uid);
                                d.setString(Tag.PatientID, VR.LO, "PID-1");
                                matches.add(d);
                            }
                            e.getMessage().setBody(matches);
                        });
                from("direct:stow").to(client("stow", good));
                from("direct:stowReadOnly").to(client("stow", readOnly));
                from("direct:stowNoToken").to(client("stow", null));
                from("direct:stowWrongAudience").to(client("stow",
                        token("elsewhere", "dicom.write", Instant.now().plusSeconds(600))));
                from("direct:stowExpired").to(client("stow",
                        token("gateway", "dicom.write", Instant.now().minusSeconds(600))));
                from("direct:wado").to(client("wado", good));
                from("direct:wadoJpeg").to(client("wado", good) + "&transferSyntax=1.2.840.10008.1.2.4.50");
                from("direct:wadoExplicit").to(client("wado", good) + "&transferSyntax=1.2.840.10008.1.2.1");
                from("direct:stowClientCredentials").to(client("stow", null) + "&tokenEndpoint=http://127.0.0.1:"
                        + tokenServer.getAddress().getPort() + "/token&clientId=gateway-7&clientSecret=s3cr3t"
                        + "&scope=dicom.write");
                from("direct:qido").to(client("qido", good) + "&queryLevel=INSTANCE");
            }
        };
    }

    private static DicomFile instance(String uid) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, CT);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, SERIES);
        ds.setString(Tag.PatientName, VR.PN, "Doe^Jane");
        ds.setString(Tag.PatientID, VR.LO, "PID-1");
        byte[] pixels = new byte[200_000];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31 + uid.hashCode());
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, CT);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomFile(new byte[128], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void storeRetrieveAndSearchWithTokens() throws Exception {
        MockEndpoint stored = getMockEndpoint("mock:stored");
        stored.expectedMessageCount(2);
        byte[] one = new DicomWriter().toBytes(instance("1.2.3.100.1.1"));
        byte[] two = new DicomWriter().toBytes(instance("1.2.3.100.1.2"));
        Exchange out = template.request("direct:stow", e -> e.getIn().setBody(List.of(one, two)));
        assertNull(out.getException());
        assertEquals(200, out.getMessage().getHeader(DicomWebConstants.HTTP_STATUS));
        StowResponse r = out.getMessage().getHeader(DicomWebConstants.STOW_RESPONSE, StowResponse.class);
        assertEquals(2, r.stored().size());
        assertEquals(0, r.failed().size());
        stored.assertIsSatisfied();
        Exchange first = stored.getReceivedExchanges().get(0);
        assertEquals("modality-7", first.getIn().getHeader(DicomWebConstants.USERNAME));
        assertEquals(Set.of("dicom.read", "dicom.write"), first.getIn().getHeader(DicomWebConstants.SCOPES));
        assertEquals(CT, first.getIn().getHeader(DicomWebConstants.SOP_CLASS_UID));
        assertEquals(STUDY, first.getIn().getHeader(DicomWebConstants.STUDY_INSTANCE_UID));
        assertEquals("127.0.0.1", first.getIn().getHeader(DicomWebConstants.REMOTE_HOST));
        assertInstanceOf(DicomFile.class, first.getIn().getBody(DicomFile.class));
        assertArrayEquals(one, archive.get("1.2.3.100.1.1"), "the route got the instance byte for byte");
        assertArrayEquals(two, archive.get("1.2.3.100.1.2"));

        // WADO-RS of one instance, served by the wado route
        Exchange w = template.request("direct:wado", e -> {
            e.getIn().setHeader(DicomWebConstants.STUDY_INSTANCE_UID, STUDY);
            e.getIn().setHeader(DicomWebConstants.SERIES_INSTANCE_UID, SERIES);
            e.getIn().setHeader(DicomWebConstants.SOP_INSTANCE_UID, "1.2.3.100.1.2");
        });
        assertNull(w.getException());
        List<?> files = w.getMessage().getBody(List.class);
        assertEquals(1, files.size());
        assertArrayEquals(two, new DicomWriter().toBytes((DicomFile) files.get(0)));

        // QIDO-RS, answered by the qido route
        MockEndpoint query = getMockEndpoint("mock:query");
        query.expectedMessageCount(1);
        Exchange q = template.request("direct:qido", e -> {
            e.getIn().setHeader(DicomWebConstants.QUERY, "PatientID=PID-1&includefield=all");
        });
        assertNull(q.getException());
        List<?> matches = q.getMessage().getBody(List.class);
        assertEquals(2, matches.size());
        assertEquals("PID-1", ((Dataset) matches.get(0)).getString(Tag.PatientID));
        query.assertIsSatisfied();
        Exchange asked = query.getReceivedExchanges().get(0);
        assertEquals("INSTANCE", asked.getIn().getHeader(DicomWebConstants.QUERY_LEVEL));
        Map<?, ?> params = asked.getIn().getHeader(DicomWebConstants.QUERY, Map.class);
        assertEquals(List.of("PID-1"), params.get("PatientID"));
    }

    @Test
    void aFailedExchangeIsReportedFailedNeverStored() throws Exception {
        byte[] ok = new DicomWriter().toBytes(instance("1.2.3.100.1.10"));
        byte[] bad = new DicomWriter().toBytes(instance("1.2.3.100.1.666"));
        Exchange out = template.request("direct:stow", e -> e.getIn().setBody(List.of(ok, bad)));
        assertNotNull(out.getException());
        assertTrue(out.getException().getMessage().contains("1 of 2 instances not stored"),
                out.getException().getMessage());
        assertTrue(out.getException().getMessage().contains("0110"), out.getException().getMessage());
        StowResponse r = out.getMessage().getHeader(DicomWebConstants.STOW_RESPONSE, StowResponse.class);
        assertEquals(1, r.stored().size());
        assertEquals(1, r.failed().size());
        assertEquals("1.2.3.100.1.666", r.failed().get(0).sopInstanceUid());
        assertEquals(202, out.getMessage().getHeader(DicomWebConstants.HTTP_STATUS), "PS3.18 Table 10.5.3-1: some stored");
        assertNull(archive.get("1.2.3.100.1.666"));
    }

    @Test
    void refusedTokensNeverReachTheRoute() throws Exception {
        MockEndpoint stored = getMockEndpoint("mock:stored");
        stored.expectedMessageCount(0);
        byte[] one = new DicomWriter().toBytes(instance("1.2.3.100.1.20"));
        for (String[] c : new String[][] {{"direct:stowNoToken", "401"}, {"direct:stowExpired", "401"},
                {"direct:stowWrongAudience", "401"}, {"direct:stowReadOnly", "403"}}) {
            Exchange out = template.request(c[0], e -> e.getIn().setBody(one));
            assertNotNull(out.getException(), c[0]);
            assertEquals(Integer.parseInt(c[1]), out.getMessage().getHeader(DicomWebConstants.HTTP_STATUS), c[0]);
        }
        stored.assertIsSatisfied();
        assertTrue(archive.isEmpty());
    }

    @Test
    void implicitVrLittleEndianIsSentAndServedAsExplicitVrLittleEndian() throws Exception {
        // PS3.18 8.7.3: Implicit VR Little Endian shall not be used with Web Services (a C-STORE often brings it)
        DicomFile implicit = instance("1.2.3.100.1.30").withTransferSyntax(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        byte[] implicitBytes = new DicomWriter().toBytes(implicit);
        MockEndpoint stored = getMockEndpoint("mock:stored");
        stored.expectedMessageCount(1);
        Exchange out = template.request("direct:stow", e -> e.getIn().setBody(implicitBytes));
        assertNull(out.getException());
        stored.assertIsSatisfied();
        Exchange got = stored.getReceivedExchanges().get(0);
        assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
                got.getIn().getHeader(DicomWebConstants.TRANSFER_SYNTAX_UID));
        byte[] received = archive.get("1.2.3.100.1.30");
        assertArrayEquals(new DicomWriter().toBytes(implicit.withTransferSyntax(
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)), received, "the same data set, re-encoded");

        // the WADO route serves what it has in Implicit VR Little Endian: the client gets Explicit VR Little Endian
        archive.put("1.2.3.100.1.30", implicitBytes);
        Exchange w = template.request("direct:wado", e -> {
            e.getIn().setHeader(DicomWebConstants.STUDY_INSTANCE_UID, STUDY);
            e.getIn().setHeader(DicomWebConstants.SERIES_INSTANCE_UID, SERIES);
            e.getIn().setHeader(DicomWebConstants.SOP_INSTANCE_UID, "1.2.3.100.1.30");
        });
        assertNull(w.getException());
        DicomFile back = (DicomFile) w.getMessage().getBody(List.class).get(0);
        assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, back.transferSyntax());
        assertArrayEquals(received, new DicomWriter().toBytes(back));
    }

    @Test
    void theProducerObtainsItsTokenWithTheClientCredentialsGrant() throws Exception {
        byte[] one = new DicomWriter().toBytes(instance("1.2.3.100.1.40"));
        byte[] two = new DicomWriter().toBytes(instance("1.2.3.100.1.41"));
        tokenRequests.clear();
        for (byte[] b : List.of(one, two)) {
            Exchange out = template.request("direct:stowClientCredentials", e -> e.getIn().setBody(b));
            assertNull(out.getException());
            assertEquals(200, out.getMessage().getHeader(DicomWebConstants.HTTP_STATUS));
        }
        assertArrayEquals(two, archive.get("1.2.3.100.1.41"));
        assertEquals(1, tokenRequests.size(), "the token is cached: " + tokenRequests);
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                "gateway-7:s3cr3t".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(tokenRequests.get(0).startsWith(basic + " "), "client_secret_basic");
        assertTrue(tokenRequests.get(0).contains("grant_type=client_credentials"), tokenRequests.get(0));
        assertTrue(tokenRequests.get(0).contains("scope=dicom.write"), tokenRequests.get(0));
    }

    @Test
    void wadoHonoursTheTransferSyntaxAskedFor() throws Exception {
        byte[] one = new DicomWriter().toBytes(instance("1.2.3.100.1.50")); // Explicit VR Little Endian
        archive.put("1.2.3.100.1.50", one);
        java.util.function.Consumer<Exchange> uids = e -> {
            e.getIn().setHeader(DicomWebConstants.STUDY_INSTANCE_UID, STUDY);
            e.getIn().setHeader(DicomWebConstants.SERIES_INSTANCE_UID, SERIES);
            e.getIn().setHeader(DicomWebConstants.SOP_INSTANCE_UID, "1.2.3.100.1.50");
        };
        Exchange explicit = template.request("direct:wadoExplicit", uids::accept);
        assertNull(explicit.getException());
        assertArrayEquals(one, new DicomWriter().toBytes((DicomFile) explicit.getMessage().getBody(List.class).get(0)));
        // JPEG Baseline asked for, the instance is Explicit VR Little Endian, and this server does not transcode
        Exchange jpeg = template.request("direct:wadoJpeg", uids::accept);
        assertNotNull(jpeg.getException());
        assertEquals(406, jpeg.getMessage().getHeader(DicomWebConstants.HTTP_STATUS));
        assertTrue(jpeg.getException().getMessage().contains("does not transcode"), jpeg.getException().getMessage());
    }
}
