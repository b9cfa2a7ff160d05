package org.cameldicomsecure.component.dicomtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.net.assoc.AssociationRejectedException;
import org.cameldicomsecure.net.dimse.DimseStatusException;
import org.cameldicomsecure.net.dimse.ReceivedInstance;
import org.cameldicomsecure.net.dimse.Status;
import org.junit.jupiter.api.Test;

/** A dicomtls consumer and producer in one Camel context, over loopback (plain TCP: tlsProfile=NONE). */
class DicomTlsComponentTest extends CamelTestSupport {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private final int port = AvailablePortFinder.getNextAvailable();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("dicomtls:GATEWAY@127.0.0.1:" + port + "?tlsProfile=NONE&allowedCallingAets=MODALITY,CAMEL&deleteReceivedFiles=false")
                        .choice()
                            .when(header("CamelDicomSopInstanceUid").endsWith(".666"))
                                .throwException(new IllegalStateException("archive down"))
                        .end()
                        .to("mock:received");
                from("direct:store").to("dicomtls:GATEWAY@127.0.0.1:" + port + "?tlsProfile=NONE&callingAet=MODALITY");
                from("direct:echo").to("dicomtls:GATEWAY@127.0.0.1:" + port + "?tlsProfile=NONE&operation=echo");
                from("direct:intruder").to("dicomtls:GATEWAY@127.0.0.1:" + port + "?tlsProfile=NONE&callingAet=INTRUDER");
            }
        };
    }

    private static DicomFile instance(String uid) {
        Dataset ds = new Dataset();
        ds.setString(Tag.SOPClassUID, VR.UI, CT);
        ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3.100");
        ds.setString(Tag.PatientName, VR.PN, "Doe^Jane");
        ds.setBytes(Tag.PixelData, VR.OW, new byte[4096]);
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
    void storeArrivesWithHeadersAndBytes() throws Exception {
        MockEndpoint mock = getMockEndpoint("mock:received");
        mock.expectedMessageCount(2);
        DicomFile one = instance("1.2.3.1");
        byte[] part10 = new DicomWriter().toBytes(one);
        Exchange out = template.request("direct:store", e -> e.getIn().setBody(part10));
        assertNull(out.getException());
        assertEquals(Status.SUCCESS, out.getMessage().getHeader("CamelDicomStatus"));
        template.requestBody("direct:store", instance("1.2.3.2"));
        mock.assertIsSatisfied();

        Exchange got = mock.getExchanges().get(0);
        assertEquals("MODALITY", got.getIn().getHeader("CamelDicomCallingAet"));
        assertEquals("GATEWAY", got.getIn().getHeader("CamelDicomCalledAet"));
        assertEquals("127.0.0.1", got.getIn().getHeader("CamelDicomRemoteHost"));
        assertEquals(CT, got.getIn().getHeader("CamelDicomSopClassUid"));
        assertEquals("1.2.3.1", got.getIn().getHeader("CamelDicomSopInstanceUid"));
        assertEquals("1.2.3.100", got.getIn().getHeader("CamelDicomStudyInstanceUid"));
        assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), got.getIn().getHeader("CamelDicomTransferSyntaxUid"));
        assertNull(got.getIn().getHeader("CamelDicomUsername"));
        // the body converts to a data set, bytes and a stream; the data set bytes are those sent
        assertInstanceOf(ReceivedInstance.class, got.getIn().getBody());
        Dataset ds = got.getIn().getBody(Dataset.class);
        assertEquals("Doe^Jane", ds.getString(Tag.PatientName));
        byte[] bytes = got.getIn().getBody(byte[].class);
        DicomFile back = new DicomReader().read(bytes);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        new DicomWriter().writeDataset(one.dataset(), one.transferSyntax(), sent);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        new DicomWriter().writeDataset(back.dataset(), back.transferSyntax(), received);
        assertArrayEquals(sent.toByteArray(), received.toByteArray());
    }

    @Test
    void routeFailureIsAFailureStatusForTheSender() throws Exception {
        MockEndpoint mock = getMockEndpoint("mock:received");
        mock.expectedMessageCount(0);
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("direct:store", instance("1.2.3.666")));
        DimseStatusException status = assertInstanceOf(DimseStatusException.class, e.getCause());
        assertEquals(Status.OUT_OF_RESOURCES, status.status());
        mock.assertIsSatisfied();
    }

    @Test
    void echoAndRejectedAssociation() {
        Exchange echo = template.request("direct:echo", e -> { });
        assertNull(echo.getException());
        assertEquals(0, echo.getMessage().getHeader("CamelDicomStatus"));
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("direct:intruder", instance("1.2.3.3")));
        assertInstanceOf(AssociationRejectedException.class, e.getCause());
    }

    @Test
    void badUrisAreClearErrors() {
        Exception e = assertThrows(Exception.class, () -> context.getEndpoint("dicomtls:NOAET"));
        assertTrue(rootMessage(e).contains("dicomtls:AET@host:port"), rootMessage(e));
        Exception e2 = assertThrows(Exception.class, () -> context.getEndpoint("dicomtls:A@host:99999"));
        assertTrue(rootMessage(e2).contains("invalid port"), rootMessage(e2));
        Exception e3 = assertThrows(Exception.class,
                () -> context.getEndpoint("dicomtls:A@host:1?tlsProfile=SUPERSECURE").createProducer().start());
        assertTrue(rootMessage(e3).contains("unknown tlsProfile 'SUPERSECURE'"), rootMessage(e3));
        assertEquals(List.of("a", "b"), DicomTlsEndpoint.split(" a, ,b "));
    }

    private static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" / ");
        }
        return sb.toString();
    }
}
