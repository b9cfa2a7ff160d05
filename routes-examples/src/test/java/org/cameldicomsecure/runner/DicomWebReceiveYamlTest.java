package org.cameldicomsecure.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;

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
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cameldicomsecure.component.dicomweb.DicomWebConstants;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled example {@code routes/dicomweb-receive.yaml} run by Camel Main as the runner runs it: an instance
 * stored with STOW-RS over HTTPS with a bearer token lands byte for byte in the output folder; without a token
 * nothing does.
 */
class DicomWebReceiveYamlTest {

    @TempDir
    Path tmp;

    @Test
    void theYamlRouteStoresWhatItReceives() throws Exception {
        KeyPair tlsKey = rsa();
        X509Certificate cert = selfSigned(tlsKey);
        Path certPem = pem(tmp.resolve("server.pem"), cert);
        Path keyPem = pem(tmp.resolve("server.key"), tlsKey.getPrivate());
        KeyPair jwtKey = rsa();
        Path jwks = Files.writeString(tmp.resolve("jwks.json"), new JWKSet(new RSAKey.Builder(
                (RSAPublicKey) jwtKey.getPublic()).keyID("k1").build()).toString());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = tmp.resolve("out");

        Main main = RunnerMain.newMain();
        main.addInitialProperty("camel.main.routes-include-pattern", "classpath:routes/dicomweb-receive.yaml");
        main.addInitialProperty("dicomweb.host", "127.0.0.1");
        main.addInitialProperty("dicomweb.port", String.valueOf(port));
        main.addInitialProperty("dicomweb.certificate", certPem.toString());
        main.addInitialProperty("dicomweb.private-key", keyPem.toString());
        main.addInitialProperty("dicomweb.jwks", jwks.toUri().toString());
        main.addInitialProperty("dicomweb.issuer", "https://idp.test");
        main.addInitialProperty("dicomweb.audience", "gateway");
        main.addInitialProperty("dicomweb.out", out.toString());
        String token = token(jwtKey, "dicom.write");
        String client = "dicomweb:https://127.0.0.1:" + port + "/dicom-web?trustedCertificates=" + certPem;
        main.start();
        try {
            Dataset ds = TestDicom.dataset("2.25.7001", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3.4.5.6");
            ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3.4.5.6.1");
            byte[] part10 = TestDicom.encode(TestDicom.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            ProducerTemplate template = main.getCamelContext().createProducerTemplate();
            Exchange refused = template.request(client, e -> e.getIn().setBody(part10));
            assertNotNull(refused.getException());
            assertEquals(401, refused.getMessage().getHeader(DicomWebConstants.HTTP_STATUS));
            assertFalse(Files.exists(out), "nothing written for a request without a token");

            Exchange stored = template.request(client + "&accessToken=" + token, e -> e.getIn().setBody(part10));
            assertNull(stored.getException());
            assertEquals(200, stored.getMessage().getHeader(DicomWebConstants.HTTP_STATUS));
            Path file = out.resolve("1.2.3.4.5.6").resolve("2.25.7001.dcm");
            assertArrayEquals(part10, Files.readAllBytes(file), "stored exactly as received");
            try (var files = Files.list(out.resolve("1.2.3.4.5.6"))) {
                assertEquals(List.of(file), files.toList(), "no temporary file left");
            }
        } finally {
            main.stop();
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair kp) throws Exception {
        X500Name name = new X500Name("CN=localhost,O=runner test");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86400)), name, kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
    }

    private static Path pem(Path file, Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return Files.writeString(file, w.toString());
    }

    private static String token(KeyPair key, String scope) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://idp.test").subject("modality-3")
                .audience("gateway").expirationTime(Date.from(Instant.now().plusSeconds(600))).claim("scope", scope)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(JOSEObjectType.JWT)
                .build(), claims);
        jwt.sign(new RSASSASigner((RSAPrivateKey) key.getPrivate()));
        return jwt.serialize();
    }
}
