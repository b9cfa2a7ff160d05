package org.cameldicomsecure.it.sign;

import static org.cameldicomsecure.it.Peers.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.it.peers.OpenSslTsa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * dicomsign routes end to end against real peers: a CREATOR signature with a certified timestamp from a real TSA
 * (OpenSSL's {@code openssl ts -reply}), verified by our verify endpoint, by {@code dcmsign --verify} (signature and
 * timestamp), and its token by
 * {@code openssl ts -verify}; and a TSA that is down fails the exchange instead of passing an unstamped instance on.
 */
class DicomSignRouteIT extends CamelTestSupport {

    private static Peers peers;
    private static OpenSslTsa tsa;
    private static SigningPki pki;
    private static Path work;

    private static synchronized void peers() throws Exception {
        if (peers != null) {
            return;
        }
        peers = Peers.forTest(DicomSignRouteIT.class);
        tsa = OpenSslTsa.start(peers);
        work = Files.createDirectories(tsa.dir().resolve("route-it"));
        pki = SigningPki.create(work.resolve("pki"));
    }

    @AfterAll
    static void stop() {
        if (tsa != null) {
            tsa.close();
        }
    }

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        peers();
        String signer = "certificate=" + pki.rsa.certPem() + "&privateKey=" + pki.rsa.keyPem();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:sign").to("dicomsign:sign?profile=CREATOR&" + signer + "&timestampUrl=" + tsa.url())
                        .to("dicomsign:verify?trustedCertificates=" + pki.ca.certPem() + "&timestampTrustedCertificates="
                                + tsa.caCertificatePem() + "&require=CREATOR")
                        .convertBodyTo(byte[].class).to("mock:signed");
                from("direct:unstamped-tsa-down").to("dicomsign:sign?profile=CREATOR&" + signer
                        + "&timestampUrl=http://127.0.0.1:9/tsa").to("mock:never");
            }
        };
    }

    private static byte[] instance() throws Exception {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.3141592653");
        ds.setString(Tag.StudyInstanceUID, VR.UI, "2.25.3141592654");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.3141592655");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.Manufacturer, VR.LO, "ACME");
        ds.setString(Tag.PatientName, VR.PN, "Test^Patient");
        ds.setInt(Tag.Rows, VR.US, 64);
        ds.setInt(Tag.Columns, VR.US, 64);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 16);
        ds.setInt(Tag.HighBit, VR.US, 15);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] px = new byte[64 * 64 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31);
        }
        ds.setBytes(Tag.PixelData, VR.OW, px);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, UID.CTImageStorage);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, "2.25.3141592653");
        meta.setString(Tag.TransferSyntaxUID, VR.UI, UID.ExplicitVRLittleEndian);
        meta.setString(Tag.ImplementationClassUID, VR.UI, "2.25.1");
        return new DicomWriter().toBytes(new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }

    @Test
    void timestampedCreatorSignaturePassesOursDcmsignAndOpenSsl() throws Exception {
        MockEndpoint mock = getMockEndpoint("mock:signed");
        mock.expectedMessageCount(1);
        int before = tsa.requestCount();
        template.sendBody("direct:sign", instance());
        mock.assertIsSatisfied();
        assertEquals(before + 1, tsa.requestCount(), "one request to the TSA per signature");
        var in = mock.getExchanges().get(0).getIn();
        assertEquals("VALID", in.getHeader("CamelDicomSignatureStatus"));
        @SuppressWarnings("unchecked")
        Map<String, Object> sig = ((List<Map<String, Object>>) in.getHeader("CamelDicomSignatures")).get(0);
        assertEquals(Boolean.TRUE, sig.get("timestamped"));
        assertNotNull(sig.get("timestampTime"), "the certified time was checked");

        byte[] signed = in.getBody(byte[].class);
        Path file = Files.write(work.resolve("signed.dcm"), signed);
        Path dcmsign = Peers.require("dcmsign", "dcmtk");
        // dcmsign checks the certified timestamp too (+tv, the default; +tr requires one): it needs the TSA's CA
        Peers.Result verify = peers.run("dcmsign-verify", work, cmd(dcmsign, "-v", "--verify", "+cf", pki.ca.certPem(),
                "+cf", tsa.caCertificatePem(), "+tr", file));
        verify.assertSuccess();
        String log = new String(verify.stdout()) + new String(verify.stderr());
        assertTrue(log.matches("(?s).*Timestamp Verification +: OK.*"), log);
        assertTrue(log.matches("(?s).*Signature Verification +: OK.*"), log);

        Dataset item = new DicomReader().read(signed).dataset().getSequence(Tag.DigitalSignaturesSequence).get(0);
        assertEquals("CMS_TSP", item.getString(Tag.CertifiedTimestampType));
        Path signature = Files.write(work.resolve("signature.bin"), item.getBytes(Tag.Signature));
        Path token = Files.write(work.resolve("token.der"), item.getBytes(Tag.CertifiedTimestamp));
        Path openssl = Peers.require("openssl", "openssl");
        peers.run("ts-verify", work, cmd(openssl, "ts", "-verify", "-data", signature, "-in", token, "-token_in",
                "-CAfile", tsa.caCertificatePem(), "-untrusted", tsa.tsaCertificatePem())).assertSuccess();
    }

    @Test
    void aTsaThatIsDownFailsTheExchange() throws Exception {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:unstamped-tsa-down", instance()));
        assertTrue(e.getCause().getMessage().contains("certified timestamp"), e.getCause().getMessage());
        assertEquals(0, getMockEndpoint("mock:never").getReceivedCounter());
    }
}
