package org.cameldicomsecure.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class StowResponseTest {

    private static StowResponse sample() {
        return StowResponse.builder()
                .retrieveUrl("https://h/dicom-web/studies/1.2")
                .stored("1.2.840.10008.5.1.4.1.1.2", "1.2.3.1", "https://h/dicom-web/studies/1.2/series/1.3/instances/1.2.3.1")
                .stored("1.2.840.10008.5.1.4.1.1.2", "1.2.3.2", null, StowResponse.WARNING_COERCION_OF_DATA_ELEMENTS)
                .failed("1.2.840.10008.3.1.2.3.1", "1.2.3.3", StowResponse.SOP_CLASS_NOT_SUPPORTED)
                .otherFailure(StowResponse.PROCESSING_FAILURE)
                .build();
    }

    private static void assertSample(StowResponse r) {
        assertEquals("https://h/dicom-web/studies/1.2", r.retrieveUrl());
        assertEquals(List.of(
                new StowResponse.Stored("1.2.840.10008.5.1.4.1.1.2", "1.2.3.1",
                        "https://h/dicom-web/studies/1.2/series/1.3/instances/1.2.3.1", null),
                new StowResponse.Stored("1.2.840.10008.5.1.4.1.1.2", "1.2.3.2", null, 0xB000)), r.stored());
        assertEquals(List.of(new StowResponse.Failed("1.2.840.10008.3.1.2.3.1", "1.2.3.3", 0x0122)), r.failed());
        assertEquals(List.of(0x0110), r.otherFailures());
        assertTrue(r.hasWarnings());
    }

    @Test
    void constantsAreThoseOfPs3_18TablesI21AndI22() {
        assertEquals(42752, StowResponse.OUT_OF_RESOURCES);
        assertEquals(43264, StowResponse.DATA_SET_DOES_NOT_MATCH_SOP_CLASS);
        assertEquals(49152, StowResponse.CANNOT_UNDERSTAND);
        assertEquals(49442, StowResponse.TRANSFER_SYNTAX_NOT_SUPPORTED);
        assertEquals(272, StowResponse.PROCESSING_FAILURE);
        assertEquals(290, StowResponse.SOP_CLASS_NOT_SUPPORTED);
        assertEquals(45056, StowResponse.WARNING_COERCION_OF_DATA_ELEMENTS);
        assertEquals(45062, StowResponse.WARNING_ELEMENTS_DISCARDED);
        assertEquals(45063, StowResponse.WARNING_DATA_SET_DOES_NOT_MATCH_SOP_CLASS);
    }

    @Test
    void jsonRoundTrip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sample().toJson(out);
        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"00081197\":{\"vr\":\"US\",\"Value\":[290]}"), json);
        assertTrue(json.contains("\"00081196\":{\"vr\":\"US\",\"Value\":[45056]}"), json);
        assertTrue(json.contains("\"00081190\":{\"vr\":\"UR\"}"), json); // Type 2: present, empty
        assertSample(StowResponse.parse("application/dicom+json; charset=utf-8",
                new ByteArrayInputStream(out.toByteArray())));
    }

    @Test
    void xmlRoundTrip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sample().toXml(out);
        String xml = out.toString(StandardCharsets.UTF_8);
        assertTrue(xml.contains("<NativeDicomModel xmlns=\"http://dicom.nema.org/PS3.19/models/NativeDICOM\">"), xml);
        assertTrue(xml.contains("<DicomAttribute tag=\"00081197\" vr=\"US\" keyword=\"FailureReason\">"
                + "<Value number=\"1\">290</Value></DicomAttribute>"), xml);
        assertSample(StowResponse.parse("application/dicom+xml", new ByteArrayInputStream(out.toByteArray())));
    }

    /** The example of PS3.18 I.3 (2 failed, 1 stored, 1 stored with a warning). */
    @Test
    void parsesTheXmlExampleOfPs3_18_I3() throws IOException {
        String xml = """
                <?xml version="1.0" encoding="utf-8" xml:space="preserve"?>
                <NativeDicomModel xmlns="http://dicom.nema.org/PS3.19/models/NativeDICOM"
                xsi:schemaLocation="http://dicom.nema.org/PS3.19/models/NativeDICOM"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                  <DicomAttribute tag="00081198" vr="SQ" keyword="FailedSOPSequence">
                    <Item number="1">
                      <DicomAttribute tag="00081150" vr="UI" keyword="ReferencedSOPClassUID">
                        <Value number="1">1.2.840.10008.3.1.2.3.1</Value>
                      </DicomAttribute>
                      <DicomAttribute tag="00081155" vr="UI"
                      keyword="ReferencedSOPInstanceUID">
                        <Value number="1">
                        2.16.124.113543.6003.1011758472.49886.19426.2085542308</Value>
                      </DicomAttribute>
                      <DicomAttribute tag="00081197" vr="US" keyword="FailureReason">
                        <Value number="1">290</Value>
                      </DicomAttribute>
                    </Item>
                    <Item number="2">
                      <DicomAttribute tag="00081150" vr="UI" keyword="ReferencedSOPClassUID">
                        <Value number="1">1.2.840.10008.3.1.2.3.1</Value>
                      </DicomAttribute>
                      <DicomAttribute tag="00081155" vr="UI"
                      keyword="ReferencedSOPInstanceUID">
                        <Value number="1">
                        2.16.124.113543.6003.1011758472.49886.19426.2085542309</Value>
                      </DicomAttribute>
                      <DicomAttribute tag="00081197" vr="US" keyword="FailureReason">
                        <Value number="1">290</Value>
                      </DicomAttribute>
                    </Item>
                  </DicomAttribute>
                  <DicomAttribute tag="00081199" vr="SQ" keyword="ReferencedSOPSequence">
                    <Item number="1">
                      <DicomAttribute tag="00081150" vr="UI" keyword="ReferencedSOPClassUID">
                        <Value number="1">1.2.840.10008.5.1.4.1.1.2</Value>
                      </DicomAttribute>
                      <DicomAttribute tag="00081155" vr="UI"
                      keyword="ReferencedSOPInstanceUID">
                        <Value number="1">
                        2.16.124.113543.6003.189642796.63084.16748.2599092903</Value>
                      </DicomAttribute>
                      <DicomAttribute tag="00081190" vr="UR" keyword="RetrieveURL">
                        <Value number="1">https://wadors.hospital.com/studies/2.16/series/2.17/instances/2.18</Value>
                      </DicomAttribute>
                    </Item>
                    <Item number="2">
                      <DicomAttribute tag="00081150" vr="UI" keyword="ReferencedSOPClassUID">
                        <Value number="1">1.2.840.10008.5.1.4.1.1.2</Value>
                      </DicomAttribute>
                      <DicomAttribute tag="00081155" vr="UI"
                      keyword="ReferencedSOPInstanceUID">
                        <Value number="1">
                        2.16.124.113543.6003.189642796.63084.16748.2599092905</Value>
                      </DicomAttribute>
                      <DicomAttribute tag="00081196" vr="US" keyword="WarningReason">
                        <Value number="1">45056</Value>
                      </DicomAttribute>
                    </Item>
                  </DicomAttribute>
                  <DicomAttribute tag="00081190" vr="UR" keyword="RetrieveURL">
                    <Value number="1">https://wadors.hospital.com/studies/2.16</Value>
                  </DicomAttribute>
                </NativeDicomModel>
                """;
        StowResponse r = StowResponse.parse("application/dicom+xml",
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, r.failed().size());
        assertEquals(new StowResponse.Failed("1.2.840.10008.3.1.2.3.1",
                "2.16.124.113543.6003.1011758472.49886.19426.2085542309", 290), r.failed().get(1));
        assertEquals(2, r.stored().size());
        assertEquals("https://wadors.hospital.com/studies/2.16/series/2.17/instances/2.18",
                r.stored().get(0).retrieveUrl());
        assertEquals(45056, r.stored().get(1).warningReason());
        assertEquals("https://wadors.hospital.com/studies/2.16", r.retrieveUrl());
    }

    /** As the Orthanc DICOMweb plugin answers (JsonCpp sorts "Value" before "vr"; character set first). */
    @Test
    void parsesAnOrthancShapedJsonResponse() throws IOException {
        String json = "{\n   \"00080005\" : {\n      \"Value\" : [ \"ISO_IR 192\" ],\n      \"vr\" : \"CS\"\n   },\n"
                + "   \"00081190\" : {\n      \"Value\" : [ \"http://127.0.0.1:8042/dicom-web/studies/1.2.3\" ],\n"
                + "      \"vr\" : \"UR\"\n   },\n"
                + "   \"00081198\" : {\n      \"Value\" : [ { \"00081150\" : { \"Value\" : [ \"1.2.840.10008.5.1.4.1.1.7\" ],"
                + " \"vr\" : \"UI\" }, \"00081155\" : { \"Value\" : [ \"1.2.3.9\" ], \"vr\" : \"UI\" },"
                + " \"00081197\" : { \"Value\" : [ 272 ], \"vr\" : \"US\" } } ],\n      \"vr\" : \"SQ\"\n   },\n"
                + "   \"00081199\" : {\n      \"Value\" : [\n         {\n            \"00081150\" : {\n"
                + "               \"Value\" : [ \"1.2.840.10008.5.1.4.1.1.7\" ],\n               \"vr\" : \"UI\"\n"
                + "            },\n            \"00081155\" : {\n               \"Value\" : [ \"1.2.3.4\" ],\n"
                + "               \"vr\" : \"UI\"\n            },\n            \"00081190\" : {\n"
                + "               \"Value\" : [ \"http://127.0.0.1:8042/dicom-web/studies/1.2.3/series/1.2.3.1/instances/1.2.3.4\" ],\n"
                + "               \"vr\" : \"UR\"\n            }\n         }\n      ],\n      \"vr\" : \"SQ\"\n   }\n}\n";
        StowResponse r = StowResponse.parse("application/dicom+json",
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals("http://127.0.0.1:8042/dicom-web/studies/1.2.3", r.retrieveUrl());
        assertEquals(List.of(new StowResponse.Stored("1.2.840.10008.5.1.4.1.1.7", "1.2.3.4",
                "http://127.0.0.1:8042/dicom-web/studies/1.2.3/series/1.2.3.1/instances/1.2.3.4", null)), r.stored());
        assertEquals(List.of(new StowResponse.Failed("1.2.840.10008.5.1.4.1.1.7", "1.2.3.9", 0x0110)), r.failed());
    }

    @Test
    void errors() {
        DicomWebException e = assertThrows(DicomWebException.class, () -> StowResponse.parse("text/html",
                new ByteArrayInputStream("<html>".getBytes(StandardCharsets.UTF_8))));
        assertEquals("STOW-RS response has media type text/html; application/dicom+json or application/dicom+xml "
                + "is expected", e.getMessage());
        e = assertThrows(DicomWebException.class, () -> StowResponse.parse("application/dicom+json",
                new ByteArrayInputStream("{\"00081198\":{\"vr\":\"SQ\",\"Value\":[{}]}}".getBytes(StandardCharsets.UTF_8))));
        assertEquals("STOW-RS response: Failed SOP Sequence item 1 has no Failure Reason (0008,1197)", e.getMessage());
        e = assertThrows(DicomWebException.class, () -> StowResponse.parse("application/dicom+json",
                new ByteArrayInputStream("{\"00081198\"".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().startsWith("STOW-RS response is not valid DICOM JSON"), e.getMessage());
        e = assertThrows(DicomWebException.class, () -> StowResponse.parse("application/dicom+xml",
                new ByteArrayInputStream("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><NativeDicomModel>&e;</NativeDicomModel>"
                        .getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().startsWith("STOW-RS response"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StowResponse.builder().failed("1", "2", 0x10000));
    }

    @Test
    void emptyBodyIsAnEmptyResponse() throws IOException {
        StowResponse r = StowResponse.parse("application/dicom+json", new ByteArrayInputStream(new byte[0]));
        assertTrue(r.stored().isEmpty() && r.failed().isEmpty());
    }
}
