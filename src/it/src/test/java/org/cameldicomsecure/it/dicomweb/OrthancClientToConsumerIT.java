package org.cameldicomsecure.it.dicomweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.util.JSONArrayUtils;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.it.dicomtls.ItPki;
import org.cameldicomsecure.component.dicomweb.DicomWebConstants;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.it.peers.OrthancPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orthanc's own DICOMweb client (plugin 1.7, libcurl) against our consumers over HTTPS with bearer tokens: Orthanc is
 * configured with {@code DicomWeb.Servers} entries whose {@code Url} is our consumer and whose {@code HttpHeaders}
 * carry {@code Authorization: Bearer <JWT>} (RS256, signed by a key made for this test, published as a JWKS file),
 * trusting our test CA ({@code HttpsVerifyPeers}, {@code HttpsCACertificates}). Three routes share one HTTPS port:
 * <ul>
 * <li>STOW-RS: Orthanc's {@code POST /dicom-web/servers/{name}/stow} pushes a study it holds; every instance reaches
 *     the route once, byte-identical, with the token's subject and scopes in the headers. A server entry without the
 *     token is refused and nothing reaches the route.</li>
 * <li>WADO-RS: {@code POST /dicom-web/servers/{name}/retrieve} makes Orthanc fetch a study that only our route has;
 *     Orthanc's stored files are byte-identical to ours.</li>
 * <li>QIDO-RS: {@code POST /dicom-web/servers/{name}/get} with {@code Uri} and {@code Arguments}: Orthanc relays our
 *     route's DICOM JSON answer.</li>
 * </ul>
 */
class OrthancClientToConsumerIT {

    static final String SUBJECT = "orthanc-client";
    static final String WRITE = "dicom.write";
    static final String READ = "dicom.read";

    @TempDir
    static Path dir;
    static ItPki pki;
    static Tokens tokens;
    static OrthancPeer orthanc;
    static CamelContext camel;
    static int port;
    static WebData.Study pushed;
    static WebData.Study served;
    static final WebSupport.Recorder stowed = new WebSupport.Recorder(true);
    static final WebSupport.Recorder wadoAsked = new WebSupport.Recorder(false);
    static final WebSupport.Recorder qidoAsked = new WebSupport.Recorder(false);

    @BeforeAll
    static void setUp() throws Exception {
        pki = ItPki.create(dir.resolve("pki"));
        tokens = Tokens.create(dir.resolve("idp"), "it");
        pushed = WebData.study(dir.resolve("pushed"), "pushed", 2, 2, 64);
        served = WebData.study(dir.resolve("served"), "served", 1, 3, 64);
        port = WebSupport.freePort();
        String uri = "dicomweb:https://127.0.0.1:" + port + "/dicom-web?tlsProfile=BCP195_RFC8996&"
                + pki.serverOptions() + "&" + tokens.consumerOptions();
        camel = WebSupport.camel(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                from(uri + "&operation=stow&requiredScopes=" + WRITE).routeId("stow").process(stowed);
                from(uri + "&operation=wado&requiredScopes=" + READ).routeId("wado").process(wadoAsked)
                        .process(OrthancClientToConsumerIT::serveWado);
                from(uri + "&operation=qido&requiredScopes=" + READ).routeId("qido").process(qidoAsked)
                        .process(OrthancClientToConsumerIT::serveQido);
            }
        });
        String token = tokens.token(SUBJECT, WRITE, READ);
        String url = "https://127.0.0.1:" + port + "/dicom-web/";
        Map<String, Object> withToken = new LinkedHashMap<>();
        withToken.put("Url", url);
        withToken.put("HttpHeaders", Map.of("Authorization", "Bearer " + token));
        orthanc = OrthancPeer.builder().forTest(OrthancClientToConsumerIT.class)
                .dicomWebServer("ours", withToken)
                .dicomWebServer("ours-without-token", Map.of("Url", url))
                .config("HttpsVerifyPeers", true)
                .config("HttpsCACertificates", pki.ca.certPem().toAbsolutePath().toString())
                .config("HttpTimeout", 30)
                .start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (orthanc != null) {
            orthanc.close();
        }
        if (camel != null) {
            camel.close();
        }
    }

    @BeforeEach
    void clear() {
        stowed.clear();
        wadoAsked.clear();
        qidoAsked.clear();
    }

    /** The WADO-RS route: the instances of {@link #served} that the URL names, as byte[]. */
    static void serveWado(Exchange e) {
        String study = e.getIn().getHeader(DicomWebConstants.STUDY_INSTANCE_UID, String.class);
        String series = e.getIn().getHeader(DicomWebConstants.SERIES_INSTANCE_UID, String.class);
        String instance = e.getIn().getHeader(DicomWebConstants.SOP_INSTANCE_UID, String.class);
        List<byte[]> out = new ArrayList<>();
        for (WebData.Instance i : served.instances()) {
            if (i.studyInstanceUid().equals(study) && (series == null || i.seriesInstanceUid().equals(series))
                    && (instance == null || i.sopInstanceUid().equals(instance))) {
                out.add(i.bytes());
            }
        }
        e.getMessage().setBody(out);
    }

    /** The QIDO-RS route: study-level results for {@link #served}, matched on PatientID only. */
    static void serveQido(Exchange e) {
        @SuppressWarnings("unchecked")
        Map<String, List<String>> q = e.getIn().getHeader(DicomWebConstants.QUERY, Map.class);
        List<Dataset> results = new ArrayList<>();
        List<String> pid = q == null ? null : q.get("PatientID");
        if (pid == null || pid.contains(served.patientId())) {
            Dataset d = new Dataset();
            d.setString(Tag.StudyInstanceUID, VR.UI, served.studyInstanceUid());
            d.setString(Tag.PatientID, VR.LO, served.patientId());
            d.setString(Tag.PatientName, VR.PN, served.patientName());
            d.setString(Tag.AccessionNumber, VR.SH, served.accession());
            d.setString(Tag.StudyDate, VR.DA, "20240102");
            d.setInt(Tag.NumberOfStudyRelatedInstances, VR.IS, served.instances().size());
            results.add(d);
        }
        e.getMessage().setBody(results);
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static OrthancPeer.Response orthancPost(String path, String body) throws Exception {
        return orthanc.send("POST", path, body.getBytes(StandardCharsets.UTF_8), "application/json",
                "application/json");
    }

    @Test
    void orthancStowsAStudyToOurConsumer() throws Exception {
        String orthancStudy = null;
        for (WebData.Instance i : pushed.instances()) {
            orthancStudy = (String) orthanc.uploadDetailed(i.bytes()).get("ParentStudy");
        }
        assertNotNull(orthancStudy);
        orthancPost("/dicom-web/servers/ours/stow", "{\"Resources\":[" + json(orthancStudy) + "]}");

        assertEquals(pushed.instances().size(), stowed.count(), "one exchange per instance");
        Set<String> uids = new HashSet<>();
        for (int k = 0; k < stowed.count(); k++) {
            Map<String, Object> h = stowed.headers.get(k);
            String uid = (String) h.get(DicomWebConstants.SOP_INSTANCE_UID);
            assertTrue(uids.add(uid), "each instance once: " + uid);
            WebData.Instance want = pushed.instance(uid);
            assertArrayEquals(want.bytes(), stowed.bodies.get(k), want.file().getFileName() + " byte for byte");
            assertEquals(WebData.SC, h.get(DicomWebConstants.SOP_CLASS_UID));
            assertEquals(pushed.studyInstanceUid(), h.get(DicomWebConstants.STUDY_INSTANCE_UID));
            assertEquals(WebData.EXPLICIT_LE, h.get(DicomWebConstants.TRANSFER_SYNTAX_UID));
            assertEquals("127.0.0.1", h.get(DicomWebConstants.REMOTE_HOST));
            assertEquals(SUBJECT, h.get(DicomWebConstants.USERNAME));
            Object scopes = h.get(DicomWebConstants.SCOPES);
            assertTrue(scopes instanceof Collection<?> c && c.contains(WRITE) && c.contains(READ),
                    "scopes header: " + scopes);
        }
    }

    @Test
    void orthancWithoutTheTokenIsRefused() throws Exception {
        String id = (String) orthanc.uploadDetailed(pushed.instances().get(0).bytes()).get("ID");
        OrthancPeer.OrthancHttpException e = assertThrows(OrthancPeer.OrthancHttpException.class,
                () -> orthancPost("/dicom-web/servers/ours-without-token/stow", "{\"Resources\":[" + json(id)
                        + "]}"));
        assertTrue(e.status() >= 400, "Orthanc reports the failed STOW-RS: " + e.getMessage());
        assertEquals(0, stowed.count(), "nothing reached the route");
    }

    @Test
    void orthancRetrievesAStudyFromOurWadoRoute() throws Exception {
        orthancPost("/dicom-web/servers/ours/retrieve", "{\"Resources\":[{\"Study\":"
                + json(served.studyInstanceUid()) + "}]}");
        assertTrue(wadoAsked.count() >= 1, "the WADO-RS route was asked");
        for (Map<String, Object> h : wadoAsked.headers) {
            assertEquals(served.studyInstanceUid(), h.get(DicomWebConstants.STUDY_INSTANCE_UID));
            assertEquals(SUBJECT, h.get(DicomWebConstants.USERNAME));
        }
        Map<String, byte[]> stored = new HashMap<>();
        for (String id : orthanc.instances()) {
            Map<String, Object> tags = orthanc.getJsonObject("/instances/" + id + "/simplified-tags");
            stored.put((String) tags.get("SOPInstanceUID"), orthanc.download(id));
        }
        for (WebData.Instance i : served.instances()) {
            assertArrayEquals(i.bytes(), stored.get(i.sopInstanceUid()),
                    "Orthanc retrieved " + i.file().getFileName() + " byte for byte");
        }
    }

    @Test
    void orthancSearchesOurQidoRoute() throws Exception {
        OrthancPeer.Response r = orthancPost("/dicom-web/servers/ours/get", "{\"Uri\":\"/studies\","
                + "\"Arguments\":{\"PatientID\":" + json(served.patientId()) + "}}");
        List<Object> answer = JSONArrayUtils.parse(r.text());
        assertEquals(1, answer.size(), "one study: " + r.text());
        @SuppressWarnings("unchecked")
        Map<String, Object> study = (Map<String, Object>) answer.get(0);
        assertEquals(List.of(served.studyInstanceUid()), value(study, "0020000D"));
        assertEquals(List.of(served.patientId()), value(study, "00100020"));
        assertEquals(1, qidoAsked.count());
        Map<String, Object> h = qidoAsked.headers.get(0);
        assertEquals("STUDY", String.valueOf(h.get(DicomWebConstants.QUERY_LEVEL)));
        @SuppressWarnings("unchecked")
        Map<String, List<String>> q = (Map<String, List<String>>) h.get(DicomWebConstants.QUERY);
        assertEquals(List.of(served.patientId()), q.get("PatientID"));

        // no match: an empty answer (HTTP 200 with [] or 204, Orthanc relays either as no study)
        OrthancPeer.Response none = orthancPost("/dicom-web/servers/ours/get", "{\"Uri\":\"/studies\","
                + "\"Arguments\":{\"PatientID\":\"NOBODY\"}}");
        assertTrue(none.text().isBlank() || JSONArrayUtils.parse(none.text()).isEmpty(), none.text());
    }

    @SuppressWarnings("unchecked")
    static List<Object> value(Map<String, Object> attrs, String tag) {
        Map<String, Object> a = (Map<String, Object>) attrs.get(tag);
        assertNotNull(a, "attribute " + tag + " in " + attrs);
        return (List<Object>) a.get("Value");
    }
}
