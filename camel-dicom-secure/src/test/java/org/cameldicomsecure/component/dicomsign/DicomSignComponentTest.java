package org.cameldicomsecure.component.dicomsign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.sign.DicomSigner;
import org.cameldicomsecure.sign.SignTestData;
import org.cameldicomsecure.sign.SignatureProfile;
import org.cameldicomsecure.sign.SignerCredentials;
import org.cameldicomsecure.sign.SigningOptions;
import org.cameldicomsecure.sign.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dicomsign in routes: sign then verify, tampering, requirements, remove, encrypt and decrypt, and the errors of bad
 * input and bad configuration. The signature engine itself is tested in {@code org.cameldicomsecure.sign}.
 */
class DicomSignComponentTest extends CamelTestSupport {

    @TempDir
    static Path dir;
    private static Path caPem;
    private static Path certPem;
    private static Path keyPem;
    private static Path ecCertPem;
    private static Path archiveCertPem;
    private static Path rotatingCertPem;
    private static Path rotatingKeyPem;
    private static Path archiveKeyPem;
    private static Path ecKeyPem;
    /** The CT instances SR reports reference: 2.25.6001 unsigned, 2.25.6002 with a CREATOR signature. */
    private static Path evidence;
    /** A copy of them for checkReferencedInstances. */
    private static Path evidenceCheck;

    private static synchronized void pki() throws IOException {
        if (caPem != null) {
            return;
        }
        caPem = write(dir.resolve("ca.pem"), TestPki.ca().cert());
        TestPki.Signer modality = TestPki.rsa("component-modality");
        certPem = write(dir.resolve("modality.pem"), modality.cert());
        keyPem = write(dir.resolve("modality.key"), modality.key()); // throw-away test key, made here
        rotatingCertPem = write(dir.resolve("rotating.pem"), modality.cert());
        rotatingKeyPem = write(dir.resolve("rotating.key"), modality.key()); // throw-away test key, made here
        TestPki.Signer archive = TestPki.recipient("component-archive");
        archiveCertPem = write(dir.resolve("archive.pem"), archive.cert());
        archiveKeyPem = write(dir.resolve("archive.key"), archive.key()); // throw-away test key, made here
        TestPki.Signer ec = TestPki.ec("component-ec");
        ecCertPem = write(dir.resolve("ec.pem"), ec.cert());
        ecKeyPem = write(dir.resolve("ec.key"), ec.key()); // throw-away test key, made here
        evidence = Files.createDirectories(dir.resolve("evidence"));
        evidenceCheck = Files.createDirectories(dir.resolve("evidence-check"));
        Files.createDirectories(evidence.resolve("series"));
        writeCt(evidence.resolve("ct1.dcm"), "2.25.6001", false);
        writeCt(evidence.resolve("series").resolve("ct2.dcm"), "2.25.6002", true);
        Files.writeString(evidence.resolve("README.txt"), "not DICOM");
        Files.copy(evidence.resolve("ct1.dcm"), evidenceCheck.resolve("ct1.dcm"));
        Files.copy(evidence.resolve("series").resolve("ct2.dcm"), evidenceCheck.resolve("ct2.dcm"));
    }

    private static void writeCt(Path file, String uid, boolean signed) throws IOException {
        Dataset ct = SignTestData.ct(false);
        ct.setString(Tag.SOPInstanceUID, VR.UI, uid);
        if (signed) {
            TestPki.Signer modality = TestPki.rsa("component-modality");
            try {
                new DicomSigner().sign(ct, SignerCredentials.of(modality.key(), modality.cert()),
                        SigningOptions.builder().profile(SignatureProfile.CREATOR).build());
            } catch (org.cameldicomsecure.sign.SignatureException e) {
                throw new IOException(e);
            }
        }
        new DicomWriter().write(SignTestData.part10(ct, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), file);
    }

    private static Path write(Path file, Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            // keys as PKCS#8 "PRIVATE KEY", as openssl genpkey writes them
            w.writeObject(o instanceof PrivateKey k ? new JcaPKCS8Generator(k, null) : o);
        }
        return Files.writeString(file, sw.toString());
    }

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        pki();
        String signer = "certificate=" + certPem + "&privateKey=" + keyPem;
        String trust = "trustedCertificates=" + caPem;
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:sign").to("dicomsign:sign?profile=CREATOR&" + signer + "&macAlgorithm=SHA384")
                        .process(x -> x.getIn().setHeader("resultType", x.getIn().getBody().getClass().getName()))
                        .convertBodyTo(byte[].class).to("mock:signed");
                from("direct:sign-verify").to("dicomsign:sign?profile=CREATOR&" + signer)
                        .to("dicomsign:verify?" + trust + "&require=CREATOR").convertBodyTo(byte[].class).to("mock:verified");
                from("direct:verify").to("dicomsign:verify?" + trust + "&require=ANY").convertBodyTo(byte[].class).to("mock:verify");
                from("direct:verify-lenient").to("dicomsign:verify?" + trust + "&failOnInvalid=false")
                        .convertBodyTo(byte[].class).to("mock:lenient");
                from("direct:ecdsa").to("dicomsign:sign?profile=NONE&certificate=" + ecCertPem + "&privateKey=" + ecKeyPem
                        + "&tags=SOPInstanceUID,00280010,PixelData").convertBodyTo(byte[].class).to("mock:ecdsa");
                from("direct:rotating").to("dicomsign:sign?profile=CREATOR&certificate=" + rotatingCertPem
                        + "&privateKey=" + rotatingKeyPem).convertBodyTo(byte[].class).to("mock:rotating");
                from("direct:remove").to("dicomsign:remove").convertBodyTo(byte[].class).to("mock:removed");
                from("direct:encrypt").to("dicomsign:encrypt?recipients=" + archiveCertPem + "&contentEncryption=AES256")
                        .convertBodyTo(byte[].class).to("mock:encrypted");
                from("direct:decrypt").to("dicomsign:decrypt?certificate=" + archiveCertPem + "&privateKey=" + archiveKeyPem).convertBodyTo(byte[].class).to("mock:decrypted");
                from("direct:sr-sign").to("dicomsign:sign?profile=SR&purpose=AUTHOR&" + signer
                        + "&referencedInstances=" + evidence).convertBodyTo(byte[].class).to("mock:sr-signed");
                from("direct:sr-verify").to("dicomsign:verify?" + trust + "&require=SR&failOnInvalid=false"
                        + "&checkReferencedInstances=" + evidenceCheck).convertBodyTo(byte[].class).to("mock:sr-verified");
                from("direct:encrypt-password").to("dicomsign:encrypt?password=RAW:correct horse battery")
                        .to("dicomsign:decrypt?password=RAW:correct horse battery").convertBodyTo(byte[].class).to("mock:password");
            }
        };
    }

    private static byte[] instance() throws IOException {
        return new DicomWriter().toBytes(SignTestData.part10(SignTestData.ct(false), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }

    private static DicomFile read(Object body) throws IOException {
        return new DicomReader().read(bytes(body));
    }

    /** The routes turn the result file (deleted when the exchange completes) into bytes before the mock. */
    private static byte[] bytes(Object body) {
        return assertInstanceOf(byte[].class, body);
    }

    @Test
    void signThenVerifyInOneRoute() throws Exception {
        MockEndpoint mock = getMockEndpoint("mock:verified");
        mock.expectedMessageCount(1);
        template.sendBody("direct:sign-verify", instance());
        mock.assertIsSatisfied();
        Exchange e = mock.getExchanges().get(0);
        assertEquals("VALID", e.getIn().getHeader(DicomSignConstants.SIGNATURE_STATUS));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sigs = e.getIn().getHeader(DicomSignConstants.SIGNATURES, List.class);
        assertEquals(1, sigs.size());
        Map<String, Object> s = sigs.get(0);
        assertEquals(Boolean.TRUE, s.get("valid"));
        assertTrue(((List<?>) s.get("profiles")).contains("CREATOR"));
        assertEquals("SHA256", s.get("macAlgorithm"));
        assertTrue(((String) s.get("signerSubject")).contains("CN=component-modality"));
        assertTrue(((List<?>) s.get("signedTags")).contains("7FE00010"));
        assertEquals("2.25.1001", e.getIn().getHeader(DicomSignConstants.SOP_INSTANCE_UID));
    }

    /** A Basic Text SR report whose Current Requested Procedure Evidence references the CT instances {@code uids}. */
    private static byte[] report(String... uids) throws IOException {
        Dataset sr = new Dataset();
        sr.setString(Tag.SOPClassUID, VR.UI, UID.BasicTextSRStorage);
        sr.setString(Tag.SOPInstanceUID, VR.UI, "2.25.6100");
        sr.setString(Tag.StudyInstanceUID, VR.UI, "2.25.1002");
        sr.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.6101");
        sr.setString(Tag.ValueType, VR.CS, "CONTAINER");
        sr.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        Dataset study = sr.newSequence(Tag.CurrentRequestedProcedureEvidenceSequence).addItem();
        study.setString(Tag.StudyInstanceUID, VR.UI, "2.25.1002");
        Dataset series = study.newSequence(Tag.ReferencedSeriesSequence).addItem();
        series.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.1003");
        Sequence sops = series.newSequence(Tag.ReferencedSOPSequence);
        for (String uid : uids) {
            Dataset sop = sops.addItem();
            sop.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
            sop.setString(Tag.ReferencedSOPInstanceUID, VR.UI, uid);
        }
        Dataset content = sr.newSequence(Tag.ContentSequence).addItem();
        content.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
        content.setString(Tag.ValueType, VR.CS, "TEXT");
        content.setString(Tag.TextValue, VR.UT, "No findings.");
        return new DicomWriter().toBytes(SignTestData.part10(sr, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }

    @Test
    void srSignaturesCompleteAndVerifyTheEvidenceReferences() throws Exception {
        MockEndpoint signed = getMockEndpoint("mock:sr-signed");
        signed.expectedMessageCount(1);
        template.sendBody("direct:sr-sign", report("2.25.6001", "2.25.6002"));
        signed.assertIsSatisfied();
        byte[] report = bytes(signed.getExchanges().get(0).getIn().getBody());
        Sequence sops = read(report).dataset().getSequence(Tag.CurrentRequestedProcedureEvidenceSequence).get(0)
                .getSequence(Tag.ReferencedSeriesSequence).get(0).getSequence(Tag.ReferencedSOPSequence);
        for (Dataset sop : sops) {
            Dataset mac = sop.getSequence(Tag.ReferencedSOPInstanceMACSequence).get(0);
            assertEquals("SHA256", mac.getString(Tag.MACAlgorithm));
            assertEquals(32, mac.getBytes(Tag.MAC).length);
        }
        assertFalse(sops.get(0).contains(Tag.ReferencedDigitalSignatureSequence), "2.25.6001 is not signed");
        assertEquals(1, sops.get(1).getSequence(Tag.ReferencedDigitalSignatureSequence).size());

        MockEndpoint verified = getMockEndpoint("mock:sr-verified");
        verified.expectedMessageCount(2);
        template.sendBody("direct:sr-verify", report);
        // one pixel byte of the unsigned CT changes: the report's signature stays valid, its reference does not
        DicomFile ct = new DicomReader().read(Files.readAllBytes(evidenceCheck.resolve("ct1.dcm")));
        byte[] px = ct.dataset().getBytes(Tag.PixelData).clone();
        px[7] ^= 1;
        ct.dataset().setBytes(Tag.PixelData, VR.OW, px);
        Files.write(evidenceCheck.resolve("ct1.dcm"), new DicomWriter().toBytes(ct));
        template.sendBody("direct:sr-verify", report);
        verified.assertIsSatisfied();
        assertEquals("VALID", verified.getExchanges().get(0).getIn().getHeader(DicomSignConstants.SIGNATURE_STATUS));
        Exchange changed = verified.getExchanges().get(1);
        assertEquals("INVALID", changed.getIn().getHeader(DicomSignConstants.SIGNATURE_STATUS));
        String why = changed.getIn().getHeader(DicomSignConstants.SIGNATURE_FAILURE, String.class);
        assertTrue(why.contains("referenced instance 2.25.6001 ") && why.contains("does not match"), why);
        assertFalse(why.contains("2.25.6002"), why);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sigs = changed.getIn().getHeader(DicomSignConstants.SIGNATURES, List.class);
        assertEquals(Boolean.TRUE, sigs.get(0).get("valid"));

        CamelExecutionException missing = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:sr-sign", report("2.25.6001", "2.25.6999")));
        assertTrue(missing.getCause().getMessage().contains("no instance with SOP Instance UID 2.25.6999"),
                missing.getCause().getMessage());
        assertEquals(1, signed.getReceivedCounter(), "nothing unsigned or half-referenced goes on");

        IllegalArgumentException notSr = assertThrows(IllegalArgumentException.class, () -> startProducer(
                "dicomsign:sign?profile=CREATOR&referencedInstances=" + evidence + "&certificate=" + certPem
                        + "&privateKey=" + keyPem));
        assertTrue(notSr.getMessage().contains("profile=SR"), notSr.getMessage());
        IllegalArgumentException noFolder = assertThrows(IllegalArgumentException.class, () -> startProducer(
                "dicomsign:verify?" + "trustedCertificates=" + caPem + "&checkReferencedInstances=" + dir.resolve("none")));
        assertTrue(noFolder.getMessage().contains("checkReferencedInstances") && noFolder.getMessage()
                .contains("is not a folder"), noFolder.getMessage());
    }

    @Test
    void signedOutputIsAFileThatKeepsEverythingElse() throws Exception {
        MockEndpoint mock = getMockEndpoint("mock:signed");
        mock.expectedMessageCount(1);
        template.sendBody("direct:sign", instance());
        mock.assertIsSatisfied();
        Exchange e = mock.getExchanges().get(0);
        assertEquals("java.io.File", e.getIn().getHeader("resultType"), "streamed to a temporary file");
        DicomFile signed = read(e.getIn().getBody());
        Dataset original = SignTestData.ct(false);
        for (int i = 0; i < original.size(); i++) {
            int tag = original.tagAt(i);
            if (original.valueAt(i) instanceof byte[] b) {
                assertArrayEquals(b, signed.dataset().getBytes(tag), Tag.toString(tag));
            }
        }
        assertTrue(signed.dataset().contains(Tag.DigitalSignaturesSequence));
        assertEquals("SHA384", signed.dataset().getSequence(Tag.MACParametersSequence).get(0).getString(Tag.MACAlgorithm));
        assertTrue(e.getIn().getHeader(DicomSignConstants.SIGNATURE_UID, String.class).startsWith("2.25."));
    }

    @Test
    void tamperedInstancesFailAndLenientVerificationTells() throws Exception {
        MockEndpoint signed = getMockEndpoint("mock:signed");
        signed.expectedMessageCount(1);
        template.sendBody("direct:sign", instance());
        signed.assertIsSatisfied();
        DicomFile f = read(signed.getExchanges().get(0).getIn().getBody());
        byte[] px = f.dataset().getBytes(Tag.PixelData).clone();
        px[3] ^= 0x10;
        f.dataset().setBytes(Tag.PixelData, VR.OW, px);
        byte[] tampered = new DicomWriter().toBytes(f);

        CamelExecutionException ex = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:verify", tampered));
        assertTrue(ex.getCause().getMessage().contains("INVALID"), ex.getCause().getMessage());
        assertTrue(ex.getCause().getMessage().contains("does not match"), ex.getCause().getMessage());
        assertEquals(0, getMockEndpoint("mock:verify").getReceivedCounter(), "nothing invalid goes on");

        MockEndpoint lenient = getMockEndpoint("mock:lenient");
        lenient.expectedMessageCount(1);
        template.sendBody("direct:verify-lenient", tampered);
        lenient.assertIsSatisfied();
        assertEquals("INVALID", lenient.getExchanges().get(0).getIn().getHeader(DicomSignConstants.SIGNATURE_STATUS));
        assertTrue(lenient.getExchanges().get(0).getIn().getHeader(DicomSignConstants.SIGNATURE_FAILURE, String.class)
                .contains("does not match"));
    }

    @Test
    void unsignedInstancesFailOnlyWhenASignatureIsRequired() throws Exception {
        CamelExecutionException ex = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:verify", instance()));
        assertTrue(ex.getCause().getMessage().contains("ABSENT"), ex.getCause().getMessage());
        MockEndpoint lenient = getMockEndpoint("mock:lenient");
        lenient.expectedMessageCount(1);
        template.sendBody("direct:verify-lenient", instance());
        lenient.assertIsSatisfied();
        assertEquals("ABSENT", lenient.getExchanges().get(0).getIn().getHeader(DicomSignConstants.SIGNATURE_STATUS));
    }

    @Test
    void ecdsaWithTagsVerifiesAsAny() throws Exception {
        MockEndpoint mock = getMockEndpoint("mock:ecdsa");
        mock.expectedMessageCount(1);
        template.sendBody("direct:ecdsa", instance());
        mock.assertIsSatisfied();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sigs = mock.getExchanges().get(0).getIn().getHeader(DicomSignConstants.SIGNATURES,
                List.class);
        assertEquals(List.of("00080018", "00280010", "7FE00010"), sigs.get(0).get("signedTags"));
        MockEndpoint verify = getMockEndpoint("mock:verify");
        verify.expectedMessageCount(1);
        template.sendBody("direct:verify", mock.getExchanges().get(0).getIn().getBody());
        verify.assertIsSatisfied();
        assertEquals("VALID", verify.getExchanges().get(0).getIn().getHeader(DicomSignConstants.SIGNATURE_STATUS));
    }

    @Test
    void removeTakesAllSignaturesOut() throws Exception {
        MockEndpoint signed = getMockEndpoint("mock:signed");
        signed.expectedMessageCount(1);
        template.sendBody("direct:sign", instance());
        signed.assertIsSatisfied();
        MockEndpoint removed = getMockEndpoint("mock:removed");
        removed.expectedMessageCount(1);
        template.sendBody("direct:remove", signed.getExchanges().get(0).getIn().getBody());
        removed.assertIsSatisfied();
        assertEquals(1, removed.getExchanges().get(0).getIn().getHeader(DicomSignConstants.SIGNATURES_REMOVED));
        DicomFile f = read(removed.getExchanges().get(0).getIn().getBody());
        assertFalse(f.dataset().contains(Tag.DigitalSignaturesSequence));
        assertFalse(f.dataset().contains(Tag.MACParametersSequence));
    }

    @Test
    void encryptThenDecryptGivesTheSameBytes() throws Exception {
        byte[] original = instance();
        MockEndpoint enc = getMockEndpoint("mock:encrypted");
        enc.expectedMessageCount(1);
        template.sendBody("direct:encrypt", original);
        enc.assertIsSatisfied();
        Exchange e = enc.getExchanges().get(0);
        byte[] cms = bytes(e.getIn().getBody());
        assertEquals(0x30, cms[0] & 0xFF, "a DER CMS ContentInfo");
        assertEquals("AES-256-CBC", e.getIn().getHeader(DicomSignConstants.CONTENT_CIPHER));
        MockEndpoint dec = getMockEndpoint("mock:decrypted");
        dec.expectedMessageCount(1);
        template.sendBody("direct:decrypt", cms);
        dec.assertIsSatisfied();
        assertArrayEquals(original, bytes(dec.getExchanges().get(0).getIn().getBody()));
        assertEquals("DATA", dec.getExchanges().get(0).getIn().getHeader(DicomSignConstants.INNER_CONTENT));

        byte[] broken = cms.clone();
        broken[broken.length - 20] ^= 1;
        CamelExecutionException ex = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:decrypt", broken));
        assertTrue(ex.getCause().getMessage().startsWith("dicomsign:decrypt: "), ex.getCause().getMessage());
        assertEquals(1, dec.getReceivedCounter(), "no partial output goes on");

        MockEndpoint pw = getMockEndpoint("mock:password");
        pw.expectedMessageCount(1);
        template.sendBody("direct:encrypt-password", original);
        pw.assertIsSatisfied();
        assertArrayEquals(original, bytes(pw.getExchanges().get(0).getIn().getBody()));
    }

    @Test
    void badBodiesAndBadOptionsAreNamed() throws Exception {
        CamelExecutionException ex = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:sign", "not a DICOM file".getBytes()));
        assertTrue(ex.getCause().getMessage().contains("not a readable DICOM instance"), ex.getCause().getMessage());

        IllegalArgumentException profile = assertThrows(IllegalArgumentException.class, () -> startProducer(
                "dicomsign:sign?profile=CREATOR&certificate=" + ecCertPem + "&privateKey=" + ecKeyPem));
        assertTrue(profile.getMessage().contains("RSA profile"), profile.getMessage());
        IllegalArgumentException mac = assertThrows(IllegalArgumentException.class, () -> startProducer(
                "dicomsign:sign?macAlgorithm=RIPEMD160&certificate=" + certPem + "&privateKey=" + keyPem));
        assertTrue(mac.getMessage().contains("only when verifying"), mac.getMessage());
        IllegalArgumentException tag = assertThrows(IllegalArgumentException.class, () -> startProducer(
                "dicomsign:sign?tags=NoSuchThing&certificate=" + certPem + "&privateKey=" + keyPem));
        assertTrue(tag.getMessage().contains("tags:"), tag.getMessage());
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> startProducer("dicomsign:sign"));
        assertTrue(noKey.getMessage().contains("privateKey"), noKey.getMessage());
        IllegalArgumentException noRecipient = assertThrows(IllegalArgumentException.class,
                () -> startProducer("dicomsign:encrypt"));
        assertTrue(noRecipient.getMessage().contains("recipients"), noRecipient.getMessage());
        Exception op = assertThrows(Exception.class, () -> context.getEndpoint("dicomsign:seal"));
        assertTrue(rootMessage(op).contains("dicomsign:sign, verify, remove, encrypt or decrypt"), rootMessage(op));
    }

    @Test
    void aTruncatedSignatureSequenceIsNamed() throws Exception {
        MockEndpoint signed = getMockEndpoint("mock:signed");
        signed.expectedMessageCount(1);
        template.sendBody("direct:sign", instance());
        signed.assertIsSatisfied();
        byte[] whole = bytes(signed.getExchanges().get(0).getIn().getBody());
        // the Digital Signatures Sequence (FFFA,FFFA) is the last element: cut the file inside it
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 40);
        CamelExecutionException ex = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:verify", cut));
        String why = rootMessage(ex);
        assertTrue(ex.getCause().getMessage().contains("not a readable DICOM instance"), ex.getCause().getMessage());
        assertTrue(why.contains("(0400,0120)") && why.contains("exceeds"), why); // names the cut Signature element
        assertEquals(0, getMockEndpoint("mock:verify").getReceivedCounter());
    }

    @Test
    void aRenewedSignerCertificateIsUsedWithoutARestart() throws Exception {
        MockEndpoint mock = getMockEndpoint("mock:rotating");
        mock.expectedMessageCount(2);
        template.sendBody("direct:rotating", instance());
        // renewal: new key and certificate written beside the old ones and moved over them, as certbot-like tools do
        TestPki.Signer renewed = TestPki.rsa("component-renewed");
        Path newCert = write(dir.resolve("rotating.pem.new"), renewed.cert());
        Path newKey = write(dir.resolve("rotating.key.new"), renewed.key());
        Files.move(newKey, rotatingKeyPem, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(newCert, rotatingCertPem, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        template.sendBody("direct:rotating", instance());
        mock.assertIsSatisfied();
        List<String> signers = new java.util.ArrayList<>();
        for (Exchange e : mock.getExchanges()) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> sigs = e.getIn().getHeader(DicomSignConstants.SIGNATURES, List.class);
            signers.add((String) sigs.get(0).get("signerSubject"));
        }
        assertTrue(signers.get(0).contains("CN=component-modality"), signers.toString());
        assertTrue(signers.get(1).contains("CN=component-renewed"), signers.toString());
    }

    private void startProducer(String uri) throws Exception {
        Producer p = context.getEndpoint(uri).createProducer();
        try {
            p.start();
        } catch (RuntimeException e) {
            Throwable t = e;
            while (t.getCause() != null && !(t instanceof IllegalArgumentException)) {
                t = t.getCause();
            }
            if (t instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw e;
        } finally {
            p.stop();
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }
}
