package org.cameldicomsecure.component.dicomweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic auditing of dicomweb through dicomaudit (a file sink), with nothing in the routes: a STOW-RS request from
 * our producer to our consumer is audited on both sides, a request without a token is a failed User Authentication.
 */
class DicomWebAuditTest extends CamelTestSupport {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    @TempDir
    static Path dir;

    private final int port = AvailablePortFinder.getNextAvailable();
    private Path auditFile;
    private String token;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        DicomAuditComponent audit = new DicomAuditComponent();
        auditFile = dir.resolve("audit-" + port + ".log");
        audit.setFile(auditFile.toString());
        audit.setSpoolDirectory(dir.resolve("spool-" + port).toString());
        audit.setAuditSourceId("WEB-GATEWAY-TEST");
        ctx.addComponent("dicomaudit", audit);
        return ctx;
    }

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair key = g.generateKeyPair();
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(key.getPublic());
        }
        Path publicKey = Files.writeString(dir.resolve("jwt-" + port + ".pem"), w.toString());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().issuer("https://idp.test").subject("radiographer-9").audience("gateway")
                        .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) key.getPrivate()));
        token = jwt.serialize();
        String base = "dicomweb:http://127.0.0.1:" + port + "/dicom-web";
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(base + "?jwtPublicKey=" + publicKey + "&jwtIssuer=https://idp.test&jwtAudience=gateway")
                        .to("mock:stored");
                from("direct:stow").to(base + "?accessToken=" + token);
                from("direct:anonymous").to(base);
            }
        };
    }

    private static byte[] instance(String uid) throws Exception {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, CT);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3.700");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3.700.1");
        ds.setString(Tag.PatientID, VR.LO, "PID-700");
        ds.setString(Tag.PatientName, VR.PN, "Audit^Patient");
        ds.setBytes(Tag.PixelData, VR.OW, new byte[2048]);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, CT);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomWriter().toBytes(new DicomFile(new byte[128], meta, ds,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }

    private List<String> events(String code, int atLeast) throws Exception {
        long end = System.nanoTime() + 20_000_000_000L;
        List<String> found = new ArrayList<>();
        while (System.nanoTime() < end) {
            found.clear();
            if (Files.exists(auditFile)) {
                for (String l : Files.readAllLines(auditFile, StandardCharsets.UTF_8)) {
                    if (l.contains("<EventID csd-code=\"" + code + "\"")) {
                        found.add(l);
                    }
                }
            }
            if (found.size() >= atLeast) {
                return found;
            }
            Thread.sleep(50);
        }
        return found;
    }

    @Test
    void stowAndARefusedTokenAreAuditedWithNothingInTheRoutes() throws Exception {
        Exchange out = template.request("direct:stow", e -> e.getIn().setBody(instance("1.2.3.700.1.1")));
        assertNull(out.getException());
        Exchange refused = template.request("direct:anonymous", e -> e.getIn().setBody(instance("1.2.3.700.1.2")));
        assertNotNull(refused.getException());

        // both sides of the stored transfer (our producer the source, our consumer the destination), and the
        // producer's refused attempt (begun, then not transferred: outcome 8)
        List<String> begun = events(AuditCodes.EVENT_BEGIN_TRANSFERRING_DICOM_INSTANCES.code(), 3);
        assertEquals(3, begun.size(), "Begin Transferring: producer twice, consumer once: " + begun.size());
        List<String> transferred = events(AuditCodes.EVENT_DICOM_INSTANCES_TRANSFERRED.code(), 3);
        assertEquals(3, transferred.size(), "Instances Transferred: " + transferred.size());
        List<String> ok = transferred.stream().filter(t -> t.contains("EventOutcomeIndicator=\"0\"")).toList();
        assertEquals(2, ok.size(), "stored: audited by the producer and by the consumer");
        for (String t : ok) {
            assertTrue(t.contains("PID-700"), "the patient of the study");
            assertTrue(t.contains("ParticipantObjectID=\"1.2.3.700\""), "the study");
        }
        assertTrue(ok.stream().anyMatch(t -> t.contains("UserID=\"radiographer-9\"")), "the token's principal");
        assertEquals(1, transferred.stream().filter(t -> t.contains("EventOutcomeIndicator=\"8\"")).count(),
                "the refused attempt");
        // the request without a token: a failed User Authentication (outcome 4)
        List<String> auth = events(AuditCodes.EVENT_USER_AUTHENTICATION.code(), 1);
        assertTrue(auth.stream().anyMatch(a -> a.contains("EventOutcomeIndicator=\"4\"")), "failed login: " + auth);
        assertFalse(Files.readString(auditFile).contains(token), "no token in the audit trail");
    }
}
