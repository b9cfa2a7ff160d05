package org.cameldicomsecure.web.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.web.multipart.MultipartRelatedWriter;

/** Test material generated at run time: a CA and server certificate, a JWT signing key, instances, bodies. */
final class WebTestSupport {

    static final String ISSUER = "https://idp.test";
    static final String AUDIENCE = "dicomweb-test";
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xFFFFFFL);

    final Path dir;
    final X509Certificate caCert;
    final Path caPem;
    final Path serverCertPem;
    final Path serverKeyPem;
    final KeyPair jwtKeys;
    final Path jwtPublicKeyPem;

    WebTestSupport(Path dir) throws Exception {
        this.dir = dir;
        Instant now = Instant.now();
        KeyPair caKeys = rsa();
        X500Principal caName = new X500Principal("CN=Web Test CA");
        X509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minusSeconds(3600)),
                Date.from(now.plus(Duration.ofDays(2))), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        caCert = sign(cb, caKeys.getPrivate());
        caPem = pem(dir.resolve("ca.pem"), caCert);
        KeyPair serverKeys = rsa();
        X509v3CertificateBuilder sb = new JcaX509v3CertificateBuilder(caCert, serial(),
                Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(2))),
                new X500Principal("CN=localhost"), serverKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        serverCertPem = pem(dir.resolve("server.pem"), sign(sb, caKeys.getPrivate()));
        serverKeyPem = pem(dir.resolve("server.key"), serverKeys.getPrivate());
        jwtKeys = rsa();
        jwtPublicKeyPem = pem(dir.resolve("jwt-public.pem"), jwtKeys.getPublic());
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    }

    private static Path pem(Path file, Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return Files.writeString(file, sw.toString(), StandardCharsets.US_ASCII);
    }

    /** A JDK client context trusting the test CA. */
    SSLContext clientContext(String protocol) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", caCert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance(protocol);
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A signed access token. */
    String token(String subject, String audience, Instant expires, String scope) throws Exception {
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().subject(subject).issuer(ISSUER).audience(audience)
                .expirationTime(Date.from(expires)).issueTime(new Date());
        if (scope != null) {
            c.claim("scope", scope);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt"))
                .build(), c.build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) jwtKeys.getPrivate()));
        return jwt.serialize();
    }

    String token(String scope) throws Exception {
        return token("alice", AUDIENCE, Instant.now().plusSeconds(600), scope);
    }

    /** A PS3.10 Secondary Capture instance with {@code pixelBytes} of pixel data. */
    static byte[] instance(String study, String series, String sop, int pixelBytes) throws IOException {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.PatientName, VR.PN, "Test^Web");
        ds.setString(Tag.Modality, VR.CS, "OT");
        byte[] px = new byte[pixelBytes];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31 + 7);
        }
        ds.setBytes(Tag.PixelData, VR.OB, px);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sop);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomWriter().toBytes(new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }

    /** A multipart/related body; returns {content type, body}. */
    static Object[] multipart(List<byte[]> parts, List<String> types) throws IOException {
        String boundary = MultipartRelatedWriter.newBoundary();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultipartRelatedWriter w = new MultipartRelatedWriter(out, boundary);
        for (int i = 0; i < parts.size(); i++) {
            w.part(types == null ? "application/dicom" : types.get(i), Map.of(), parts.get(i));
        }
        w.finish();
        return new Object[] {MultipartRelatedWriter.contentType("application/dicom", boundary), out.toByteArray()};
    }
}
