package org.cameldicomsecure.component.dicomdeid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.sign.cms.TestRecipients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dicomdeid in routes: deidentify with encryptTo, then reidentify with the recipient's key, headers in and out, bad
 * input and the burned-in annotation rule. The engine itself is tested in {@code org.cameldicomsecure.deid}.
 */
class DicomDeidComponentTest extends CamelTestSupport {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    @TempDir
    static Path dir;
    private static Path certPem;
    private static Path keyPem;

    private static synchronized void pki() throws IOException {
        if (certPem != null) {
            return;
        }
        TestRecipients.Recipient r = TestRecipients.rsa("research-office", 2048);
        certPem = write(dir.resolve("research-office.pem"), r.cert());
        keyPem = write(dir.resolve("research-office.key"), r.key()); // a throw-away test key, made here
    }

    private static Path write(Path file, Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return Files.writeString(file, sw.toString());
    }

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        pki();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:deid").to("dicomdeid:deidentify?uidSecret=research-secret-2026&encryptTo=" + certPem)
                        .process(DicomDeidComponentTest::capture).to("mock:deidentified");
                from("direct:deid-modified").to("dicomdeid:deidentify?uidSecret=research-secret-2026"
                        + "&retainLongitudinalTemporal=MODIFIED&cleanDescriptors=true")
                        .process(DicomDeidComponentTest::capture).to("mock:modified");
                from("direct:deid-again").to("dicomdeid:deidentify?uidSecret=research-secret-2026")
                        .process(DicomDeidComponentTest::capture).to("mock:again");
                from("direct:deid-allow").to("dicomdeid:deidentify?uidSecret=research-secret-2026&burnedInAnnotation=ALLOW")
                        .process(DicomDeidComponentTest::capture).to("mock:allowed");
                from("direct:reid").to("dicomdeid:reidentify?privateKey=" + keyPem + "&certificate=" + certPem)
                        .process(DicomDeidComponentTest::capture).to("mock:reidentified");
            }
        };
    }

    private static DicomFile instance(String sop) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, CT);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, "20240315");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC123");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.Manufacturer, VR.LO, "ACME");
        ds.setString(Tag.InstitutionName, VR.LO, "St. Elsewhere");
        ds.setString(Tag.StudyDescription, VR.LO, "CT HEAD");
        ds.setString(Tag.PatientName, VR.PN, "Doe^Jane");
        ds.setString(Tag.PatientID, VR.LO, "MRN-4711");
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "F");
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1143.100");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1143.100.1");
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setInt(Tag.SeriesNumber, VR.IS, 1);
        ds.setInt(Tag.InstanceNumber, VR.IS, 1);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 4);
        ds.setInt(Tag.Columns, VR.US, 4);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[32];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        Dataset meta = new Dataset();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, CT);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sop);
        meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, "1.2.826.0.1.3680043.2.1143.999");
        meta.setString(Tag.SourceApplicationEntityTitle, VR.AE, "MODALITY");
        return new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static byte[] bytes(DicomFile f) throws IOException {
        return new DicomWriter().toBytes(f);
    }

    /** What the next step sees: the body's type and file, and its bytes (the file is gone once the exchange is done). */
    private static void capture(Exchange e) {
        Object body = e.getIn().getBody();
        e.getIn().setHeader("resultType", body.getClass().getName());
        if (body instanceof File f) {
            e.getIn().setHeader("resultFile", f.getPath());
        }
        e.getIn().setBody(e.getIn().getBody(byte[].class));
    }

    private static DicomFile received(MockEndpoint mock, int index) throws IOException {
        Exchange e = mock.getExchanges().get(index);
        return new DicomReader().read(e.getIn().getBody(byte[].class));
    }

    @Test
    void deidentifyThenReidentifyGivesTheOriginalValuesBack() throws Exception {
        String sop = "1.2.826.0.1.3680043.2.1143.100.1.1";
        DicomFile original = instance(sop);
        MockEndpoint deidentified = getMockEndpoint("mock:deidentified");
        deidentified.expectedMessageCount(1);
        template.sendBody("direct:deid", bytes(original));
        deidentified.assertIsSatisfied();

        Exchange e = deidentified.getExchanges().get(0);
        assertEquals(File.class.getName(), e.getIn().getHeader("resultType"), "the result is a file written streaming");
        assertFalse(Files.exists(Path.of((String) e.getIn().getHeader("resultFile"))),
                "the result file is deleted when the exchange completes");
        Map<String, Object> h = e.getIn().getHeaders();
        assertEquals(sop, h.get("CamelDicomOriginalSopInstanceUid"));
        assertEquals("1.2.826.0.1.3680043.2.1143.100", h.get("CamelDicomOriginalStudyInstanceUid"));
        assertEquals("1.2.826.0.1.3680043.2.1143.100.1", h.get("CamelDicomOriginalSeriesInstanceUid"));
        String newSop = (String) h.get("CamelDicomSopInstanceUid");
        assertTrue(newSop.startsWith("2.25."), newSop);
        assertTrue(((String) h.get("CamelDicomStudyInstanceUid")).startsWith("2.25."));
        assertTrue(((String) h.get("CamelDicomSeriesInstanceUid")).startsWith("2.25."));
        assertEquals(CT, h.get("CamelDicomSopClassUid"));
        assertTrue(((String) h.get("CamelDicomDeidentificationMethodCodes")).startsWith("113100"));

        DicomFile d = received(deidentified, 0);
        Dataset ds = d.dataset();
        assertEquals(newSop, ds.getString(Tag.SOPInstanceUID));
        assertEquals(newSop, d.fileMeta().getString(Tag.MediaStorageSOPInstanceUID));
        assertNotEquals("Doe^Jane", ds.getString(Tag.PatientName));
        assertNotEquals("MRN-4711", ds.getString(Tag.PatientID));
        assertFalse(ds.contains(Tag.InstitutionName));
        assertEquals("YES", ds.getString(Tag.PatientIdentityRemoved));
        assertEquals("ACME", ds.getString(Tag.Manufacturer), "attributes the table does not list are kept");
        assertArrayEquals(original.dataset().getBytes(Tag.PixelData), ds.getBytes(Tag.PixelData));
        assertTrue(ds.contains(Tag.EncryptedAttributesSequence));
        assertNull(d.fileMeta().getString(Tag.SourceApplicationEntityTitle), "File Meta Information replaced");

        MockEndpoint reidentified = getMockEndpoint("mock:reidentified");
        reidentified.expectedMessageCount(1);
        template.sendBody("direct:reid", e.getIn().getBody(byte[].class));
        reidentified.assertIsSatisfied();
        Exchange r = reidentified.getExchanges().get(0);
        assertEquals(sop, r.getIn().getHeader("CamelDicomSopInstanceUid"));
        Dataset back = received(reidentified, 0).dataset();
        for (int tag : new int[] {Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.InstitutionName,
                Tag.StudyDate, Tag.AccessionNumber, Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.SOPInstanceUID,
                Tag.StudyDescription}) {
            assertEquals(original.dataset().getString(tag), back.getString(tag), "tag " + Integer.toHexString(tag));
        }
        assertEquals("NO", back.getString(Tag.PatientIdentityRemoved));
        assertFalse(back.contains(Tag.DeidentificationMethod));
        assertFalse(back.contains(Tag.DeidentificationMethodCodeSequence));
    }

    @Test
    void theSameSecretGivesTheSameUidsOnEveryEndpoint() throws Exception {
        String sop = "1.2.826.0.1.3680043.2.1143.100.1.2";
        MockEndpoint a = getMockEndpoint("mock:deidentified");
        MockEndpoint b = getMockEndpoint("mock:again");
        a.expectedMessageCount(1);
        b.expectedMessageCount(1);
        template.sendBody("direct:deid", bytes(instance(sop)));
        template.sendBody("direct:deid-again", bytes(instance(sop)));
        a.assertIsSatisfied();
        b.assertIsSatisfied();
        for (String header : List.of("CamelDicomSopInstanceUid", "CamelDicomStudyInstanceUid",
                "CamelDicomSeriesInstanceUid")) {
            assertEquals(a.getExchanges().get(0).getIn().getHeader(header),
                    b.getExchanges().get(0).getIn().getHeader(header), header);
        }
        // the option sets differ (encryptTo is no Table E.1-1 option, so the codes are the same)
        assertEquals(a.getExchanges().get(0).getIn().getHeader("CamelDicomDeidentificationMethodCodes"),
                b.getExchanges().get(0).getIn().getHeader("CamelDicomDeidentificationMethodCodes"));
    }

    @Test
    void modifiedDatesAreShiftedAndDescriptorsCleaned() throws Exception {
        MockEndpoint m = getMockEndpoint("mock:modified");
        m.expectedMessageCount(1);
        template.sendBody("direct:deid-modified", bytes(instance("1.2.826.0.1.3680043.2.1143.100.1.3")));
        m.assertIsSatisfied();
        Dataset ds = received(m, 0).dataset();
        assertEquals("MODIFIED", ds.getString(Tag.LongitudinalTemporalInformationModified));
        String date = ds.getString(Tag.StudyDate);
        assertNotNull(date);
        assertNotEquals("20240315", date);
        assertTrue(date.matches("\\d{8}"), date);
        String codes = (String) m.getExchanges().get(0).getIn().getHeader("CamelDicomDeidentificationMethodCodes");
        assertTrue(codes.contains("113105") && codes.contains("113107"), codes);
    }

    @Test
    void aBodyThatIsNotDicomFailsWithAClearMessageAndNothingGoesOn() throws Exception {
        MockEndpoint m = getMockEndpoint("mock:deidentified");
        m.expectedMessageCount(0);
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:deid", "this is not DICOM".getBytes()));
        assertTrue(e.getCause().getMessage().contains("dicomdeid: the body is not a readable DICOM instance"),
                e.getCause().getMessage());
        m.assertIsSatisfied();
    }

    @Test
    void anInstanceWithoutSopInstanceUidIsRefused() throws Exception {
        DicomFile f = instance("1.2.826.0.1.3680043.2.1143.100.1.4");
        f.dataset().remove(Tag.SOPInstanceUID);
        MockEndpoint m = getMockEndpoint("mock:deidentified");
        m.expectedMessageCount(0);
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:deid", bytes(f)));
        assertTrue(e.getCause().getMessage().contains("SOP Instance UID"), e.getCause().getMessage());
        m.assertIsSatisfied();
    }

    @Test
    void burnedInAnnotationFailsUnlessAllowed() throws Exception {
        DicomFile f = instance("1.2.826.0.1.3680043.2.1143.100.1.5");
        f.dataset().setString(Tag.BurnedInAnnotation, VR.CS, "YES");
        byte[] b = bytes(f);
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:deid", b));
        assertTrue(e.getCause().getMessage().contains("Burned In Annotation"), e.getCause().getMessage());
        MockEndpoint allowed = getMockEndpoint("mock:allowed");
        allowed.expectedMessageCount(1);
        template.sendBody("direct:deid-allow", b);
        allowed.assertIsSatisfied();
    }

    @Test
    void reidentifyWithoutAnEncryptedAttributesSequenceFails() throws Exception {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:reid", bytes(instance("1.2.826.0.1.3680043.2.1143.100.1.6"))));
        assertTrue(e.getCause().getMessage().contains("0400,0500"), e.getCause().getMessage());
    }

    @Test
    void unknownOperationAndMissingMasksAreConfigurationErrors() {
        Exception e = assertThrows(Exception.class, () -> context.getEndpoint("dicomdeid:scramble"));
        assertTrue(rootMessage(e).contains("dicomdeid:deidentify or dicomdeid:reidentify"), rootMessage(e));
        Exception masks = assertThrows(Exception.class,
                () -> context.getEndpoint("dicomdeid:deidentify?cleanPixelData=true").createProducer().start());
        assertTrue(rootMessage(masks).contains("need pixelMasks"), rootMessage(masks));
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }
}
