package org.cameldicomsecure.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.cameldicomsecure.component.dicomweb.DicomWebConstants;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dicomweb-to-dimse example route, as the runner loads it, against a real PACS: DCMTK's {@code storescp} over
 * TLS. An instance stored with STOW-RS (bearer token) arrives in the PACS and is reported stored; with the PACS
 * stopped the same request is reported failed, not stored.
 */
class DicomWebToDimseIT {

    @TempDir
    Path tmp;

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void stowRsInCStoreOut() throws Exception {
        Path pki = tmp.resolve("pki");
        new GatewayPki(pki).ensure();
        KeyPair jwtKey = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Path jwks = Files.writeString(tmp.resolve("jwks.json"), new JWKSet(new RSAKey.Builder(
                (RSAPublicKey) jwtKey.getPublic()).keyID("k1").build()).toString());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(JOSEObjectType.JWT)
                .build(), new JWTClaimsSet.Builder().issuer("https://idp.test").subject("viewer-7").audience("gateway")
                        .expirationTime(Date.from(Instant.now().plusSeconds(600))).claim("scope", "dicom.write")
                        .build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) jwtKey.getPrivate()));

        int pacsPort = freePort();
        Path pacsDir = Files.createDirectories(tmp.resolve("pacs"));
        ProcessBuilder spb = new ProcessBuilder("storescp", "+tls", pki.resolve(GatewayPki.SERVER_KEY).toString(),
                pki.resolve(GatewayPki.SERVER).toString(), "+cf", pki.resolve(GatewayPki.CA).toString(),
                "-aet", "PACS", "-od", pacsDir.toString(), Integer.toString(pacsPort))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("storescp.log").toFile());
        spb.environment().put("TCP_NODELAY", "1");
        Process storescp = spb.start();

        int webPort = freePort();
        String p = pki.toString();
        Main main = RunnerMain.newMain();
        main.addInitialProperty("camel.main.routes-include-pattern", "classpath:routes/dicomweb-to-dimse.yaml");
        main.addInitialProperty("bridge.host", "127.0.0.1");
        main.addInitialProperty("bridge.port", Integer.toString(webPort));
        main.addInitialProperty("bridge.certificate", p + "/" + GatewayPki.SERVER);
        main.addInitialProperty("bridge.private-key", p + "/" + GatewayPki.SERVER_KEY);
        main.addInitialProperty("bridge.jwks", jwks.toUri().toString());
        main.addInitialProperty("bridge.issuer", "https://idp.test");
        main.addInitialProperty("bridge.audience", "gateway");
        main.addInitialProperty("bridge.pacs-aet", "PACS");
        main.addInitialProperty("bridge.pacs-host", "127.0.0.1");
        main.addInitialProperty("bridge.pacs-port", Integer.toString(pacsPort));
        main.addInitialProperty("bridge.client-certificate", p + "/" + GatewayPki.CLIENT);
        main.addInitialProperty("bridge.client-key", p + "/" + GatewayPki.CLIENT_KEY);
        main.addInitialProperty("bridge.pacs-ca", p + "/" + GatewayPki.CA);
        main.start();
        try {
            String client = "dicomweb:https://127.0.0.1:" + webPort + "/dicom-web?trustedCertificates=" + p + "/"
                    + GatewayPki.CA + "&accessToken=" + jwt.serialize();
            ProducerTemplate template = main.getCamelContext().createProducerTemplate();
            String uid = TestDicom.newUid();
            Dataset ds = TestDicom.dataset(uid, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            ds.setString(Tag.SeriesInstanceUID, VR.UI, TestDicom.newUid());
            byte[] part10 = TestDicom.encode(TestDicom.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            Exchange stored = template.request(client, e -> e.getIn().setBody(part10));
            assertNull(stored.getException(), () -> "STOW-RS failed: " + stored.getException());
            assertEquals(200, stored.getMessage().getHeader(DicomWebConstants.HTTP_STATUS));
            List<Path> inPacs;
            try (Stream<Path> s = Files.list(pacsDir)) {
                inPacs = s.filter(Files::isRegularFile).toList();
            }
            assertEquals(1, inPacs.size(), "the PACS holds the instance when STOW-RS reports it stored");
            assertEquals(uid, new DicomReader().read(inPacs.get(0)).dataset().getString(Tag.SOPInstanceUID));

            // the PACS goes away: the instance is reported failed, not stored
            storescp.destroy();
            assertTrue(storescp.waitFor(10, TimeUnit.SECONDS));
            String uid2 = TestDicom.newUid();
            Dataset ds2 = TestDicom.dataset(uid2, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            ds2.setString(Tag.SeriesInstanceUID, VR.UI, TestDicom.newUid());
            byte[] second = TestDicom.encode(TestDicom.part10(ds2, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            Exchange failed = template.request(client, e -> e.getIn().setBody(second));
            assertNotNull(failed.getException(), "not reported stored while the PACS is down");
            assertEquals(409, failed.getMessage().getHeader(DicomWebConstants.HTTP_STATUS));
        } finally {
            main.stop();
            storescp.destroy();
            storescp.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
