package org.cameldicomsecure.component.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.TypeConversionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.TypeConverterLoader;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.dicom.io.DicomParseException;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DicomConverter} and {@link DicomBinding} inside a running CamelContext, loaded through the generated loader. */
class DicomConverterTest extends CamelTestSupport {

    @TempDir
    static Path dir;

    private static Path inGood() {
        return dir.resolve("in-good");
    }

    private static Path inBad() {
        return dir.resolve("in-bad");
    }

    private static Path inBinding() {
        return dir.resolve("in-binding");
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).handled(true).to("mock:failed");

                // the body is a GenericFile: camel-file's fallback converter hands its File to DicomConverter
                from(fileUri(inGood())).routeId("good")
                        .process(e -> e.getMessage().setHeader("sopInstanceUid",
                                e.getMessage().getBody(Dataset.class).getString(Tag.SOPInstanceUID)))
                        .to("mock:good");

                from(fileUri(inBad())).routeId("bad")
                        .process(e -> e.getMessage().getBody(Dataset.class))
                        .to("mock:unexpected");

                from(fileUri(inBinding())).routeId("binding")
                        .bean(DicomBinding.class, "parseBody")
                        .to("mock:bound");

                from("direct:convert").convertBodyTo(DicomFile.class).to("mock:converted");
            }
        };
    }

    private static String fileUri(Path p) {
        return "file:" + p + "?initialDelay=0&delay=20&moveFailed=.error";
    }

    /** Writes into the folder under a hidden name, then renames, so the consumer never sees half a file. */
    private static Path drop(Path folder, String name, byte[] content) throws IOException {
        Files.createDirectories(folder);
        Path tmp = folder.resolve(".tmp-" + name);
        Files.write(tmp, content);
        return Files.move(tmp, folder.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void loaderIsGeneratedAndRegistered() throws Exception {
        List<String> loaders;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("META-INF/services/org/apache/camel/TypeConverterLoader")) {
            assertNotNull(in, "no TypeConverterLoader service file");
            loaders = Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\s+"));
        }
        String loader = DicomConverter.class.getName() + "Loader";
        assertTrue(loaders.contains(loader), "service file lists " + loaders);
        assertTrue(TypeConverterLoader.class.isAssignableFrom(Class.forName(loader)));
        for (Class<?> from : List.of(byte[].class, InputStream.class, File.class, Path.class)) {
            assertNotNull(context.getTypeConverterRegistry().lookup(DicomFile.class, from), "DicomFile from " + from);
            assertNotNull(context.getTypeConverterRegistry().lookup(Dataset.class, from), "Dataset from " + from);
        }
        assertNotNull(context.getTypeConverterRegistry().lookup(byte[].class, DicomFile.class));
        assertNotNull(context.getTypeConverterRegistry().lookup(InputStream.class, DicomFile.class));
    }

    @Test
    void fileConsumerBodyReadsAsDataset() throws Exception {
        String uid = TestObjects.newUid();
        MockEndpoint good = getMockEndpoint("mock:good");
        good.expectedMessageCount(1);
        good.expectedHeaderReceived("sopInstanceUid", uid);
        drop(inGood(), "a.dcm", new DicomWriter().toBytes(
                TestObjects.secondaryCapture(uid, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
        good.assertIsSatisfied(10_000);
        getMockEndpoint("mock:failed").expectedMessageCount(0);
        getMockEndpoint("mock:failed").assertIsSatisfied();
    }

    @Test
    void corruptFileFailsTheExchangeWithTheParseMessage() throws Exception {
        DicomFile f = TestObjects.secondaryCapture(TestObjects.newUid(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] full = new DicomWriter().toBytes(f);
        byte[] truncated = Arrays.copyOf(full, full.length - 7);
        String expected = assertThrows(DicomParseException.class, () -> new DicomReader().read(truncated))
                .getMessage();

        MockEndpoint failed = getMockEndpoint("mock:failed");
        failed.expectedMessageCount(1);
        getMockEndpoint("mock:unexpected").expectedMessageCount(0);
        drop(inBad(), "truncated.dcm", truncated);
        failed.assertIsSatisfied(10_000);
        getMockEndpoint("mock:unexpected").assertIsSatisfied();

        Exception caught = failed.getExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertInstanceOf(TypeConversionException.class, caught);
        DicomParseException dpe = assertInstanceOf(DicomParseException.class, caught.getCause());
        assertEquals(expected, dpe.getMessage());
        assertTrue(caught.getMessage().contains(expected), caught.getMessage());
        assertFalse(caught.getMessage().contains("Secret"), "patient data in " + caught.getMessage());
    }

    @Test
    void bindingSetsHeadersAndRaisesTheReaderException() throws Exception {
        String uid = TestObjects.newUid();
        DicomFile f = TestObjects.secondaryCapture(uid, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        MockEndpoint bound = getMockEndpoint("mock:bound");
        bound.expectedMessageCount(1);
        MockEndpoint failed = getMockEndpoint("mock:failed");
        failed.expectedMessageCount(1);

        drop(inBinding(), "good.dcm", new DicomWriter().toBytes(f));
        bound.assertIsSatisfied(10_000);
        Exchange ok = bound.getExchanges().get(0);
        DicomFile body = assertInstanceOf(DicomFile.class, ok.getMessage().getBody());
        assertEquals(f.dataset().size(), body.dataset().size());
        Map<String, Object> h = ok.getMessage().getHeaders();
        assertEquals(UID.SecondaryCaptureImageStorage, h.get(DicomHeaders.SOP_CLASS_UID));
        assertEquals(uid, h.get(DicomHeaders.SOP_INSTANCE_UID));
        assertEquals(f.dataset().getString(Tag.StudyInstanceUID), h.get(DicomHeaders.STUDY_INSTANCE_UID));
        assertEquals(UID.ImplicitVRLittleEndian, h.get(DicomHeaders.TRANSFER_SYNTAX_UID));
        for (Object v : h.values()) {
            assertFalse(String.valueOf(v).contains("Secret"), "patient data in a header: " + h);
        }

        byte[] garbage = "this is not DICOM at all, just text".getBytes(StandardCharsets.US_ASCII);
        String expected = assertThrows(DicomParseException.class, () -> new DicomReader().read(garbage))
                .getMessage();
        drop(inBinding(), "garbage.dcm", garbage);
        failed.assertIsSatisfied(10_000);
        Exception caught = failed.getExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertInstanceOf(DicomParseException.class, caught);
        assertEquals(expected, caught.getMessage());
    }

    @Test
    void roundTripThroughByteArrayAndStream() throws Exception {
        DicomFile f = TestObjects.secondaryCapture(TestObjects.newUid(), TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        byte[] encoded = new DicomWriter().toBytes(f);

        MockEndpoint converted = getMockEndpoint("mock:converted");
        converted.expectedMessageCount(2);
        template.sendBody("direct:convert", encoded);
        template.sendBody("direct:convert", new ByteArrayInputStream(encoded));
        converted.assertIsSatisfied();
        for (Exchange e : converted.getExchanges()) {
            DicomFile body = assertInstanceOf(DicomFile.class, e.getMessage().getBody());
            assertTrue(body.isPart10());
            assertEquals(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, body.transferSyntax());
            assertArrayEquals(encoded, e.getMessage().getBody(byte[].class), "re-encoded bit for bit");
            assertArrayEquals(encoded, e.getMessage().getBody(InputStream.class).readAllBytes());
            assertEquals(f.dataset().describeTags(), e.getMessage().getBody(Dataset.class).describeTags());
        }
    }

    @Test
    void pathAndFileConvertDirectly() throws Exception {
        DicomFile f = TestObjects.secondaryCapture(TestObjects.newUid(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Path p = dir.resolve("direct.dcm");
        new DicomWriter().write(f, p);
        Dataset fromPath = context.getTypeConverter().mandatoryConvertTo(Dataset.class, p);
        Dataset fromFile = context.getTypeConverter().mandatoryConvertTo(Dataset.class, p.toFile());
        assertEquals(f.dataset().describeTags(), fromPath.describeTags());
        assertEquals(f.dataset().describeTags(), fromFile.describeTags());
        assertEquals(f.dataset().getString(Tag.SOPInstanceUID), fromFile.getString(Tag.SOPInstanceUID));
    }

    @Test
    void conversionFailureIsAnExceptionNeverNull() {
        byte[] empty = new byte[3];
        TypeConversionException e = assertThrows(TypeConversionException.class,
                () -> context.getTypeConverter().convertTo(DicomFile.class, empty));
        DicomParseException dpe = assertInstanceOf(DicomParseException.class, e.getCause());
        assertTrue(dpe.getMessage().contains("not DICOM"), dpe.getMessage());
        assertThrows(TypeConversionException.class,
                () -> context.getTypeConverter().convertTo(Dataset.class, new ByteArrayInputStream(empty)));
    }
}
