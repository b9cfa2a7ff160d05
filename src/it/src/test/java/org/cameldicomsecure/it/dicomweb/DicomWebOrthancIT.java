package org.cameldicomsecure.it.dicomweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.component.dicomweb.DicomWebConstants;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.it.peers.OrthancPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our producer against Orthanc 1.10.1's DICOMweb plugin 1.7 (Debian packages {@code orthanc},
 * {@code orthanc-dicomweb}), started privately on a free loopback port: STOW-RS of two studies, then WADO-RS at study,
 * series and instance level (every instance byte-identical to what was sent, and to the file Orthanc stored), and
 * QIDO-RS at the three levels with attribute matching on PatientID.
 *
 * <p>Plain HTTP only: Orthanc 1.10.1 of Debian 12 crashes (SIGSEGV) on the first HTTPS connection when
 * {@code SslEnabled} is true (observed with RSA keys in PKCS#8 and PKCS#1 form, with and without the DICOMweb plugin),
 * so our producer's TLS is tested against our own consumer and Orthanc's HTTPS client in
 * {@link OrthancClientToConsumerIT} instead.
 */
class DicomWebOrthancIT {

    @TempDir
    static Path dir;
    static OrthancPeer orthanc;
    static CamelContext camel;
    static ProducerTemplate template;
    static WebData.Study studyA;
    static WebData.Study studyB;
    static String base;

    @BeforeAll
    static void setUp() throws Exception {
        orthanc = OrthancPeer.builder().forTest(DicomWebOrthancIT.class).dicomWeb().start();
        base = "dicomweb:http://127.0.0.1:" + orthanc.httpPort() + "/dicom-web";
        studyA = WebData.study(dir.resolve("a"), "orthanc-a", 2, 2, 64);
        studyB = WebData.study(dir.resolve("b"), "orthanc-b", 1, 1, 512);
        camel = WebSupport.camel(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                // no route: the producers are used directly
            }
        });
        template = camel.createProducerTemplate();

        // STOW-RS: study A as a List of Paths in one request, study B as one byte[]
        Exchange a = template.request(base + "?operation=stow", e -> e.getIn().setBody(studyA.files()));
        assertOk(a, "STOW-RS of study A");
        assertEquals(200, a.getMessage().getHeader(DicomWebConstants.HTTP_STATUS, Integer.class));
        assertNotNull(a.getMessage().getHeader(DicomWebConstants.STOW_RESPONSE), "STOW response header");
        Exchange b = template.request(base + "?operation=stow",
                e -> e.getIn().setBody(studyB.instances().get(0).bytes()));
        assertOk(b, "STOW-RS of study B");
        assertEquals(200, b.getMessage().getHeader(DicomWebConstants.HTTP_STATUS, Integer.class));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (orthanc != null) {
            orthanc.close();
        }
    }

    static void assertOk(Exchange e, String what) {
        if (e.getException() != null) {
            throw new AssertionError(what + " failed: " + e.getException(), e.getException());
        }
    }

    static byte[] bytes(Object o) {
        byte[] b = camel.getTypeConverter().convertTo(byte[].class, o);
        assertNotNull(b, "convertible to byte[]: " + (o == null ? null : o.getClass()));
        return b;
    }

    /** Orthanc's stored files by SOP Instance UID. */
    static Map<String, byte[]> orthancFiles() throws Exception {
        Map<String, byte[]> files = new HashMap<>();
        for (String id : orthanc.instances()) {
            Map<String, Object> tags = orthanc.getJsonObject("/instances/" + id + "/simplified-tags");
            files.put((String) tags.get("SOPInstanceUID"), orthanc.download(id));
        }
        return files;
    }

    @Test
    void orthancStoredEveryInstanceByteForByte() throws Exception {
        Map<String, byte[]> stored = orthancFiles();
        List<WebData.Instance> all = new ArrayList<>(studyA.instances());
        all.addAll(studyB.instances());
        assertEquals(all.size(), stored.size(), "instances in Orthanc");
        for (WebData.Instance i : all) {
            assertArrayEquals(i.bytes(), stored.get(i.sopInstanceUid()),
                    "Orthanc's stored file of " + i.file().getFileName() + " is the file we sent");
        }
    }

    /** WADO-RS of a study, one series and one instance: each instance byte-identical to what was sent. */
    @Test
    void wadoRetrievesWhatWasStored() throws Exception {
        // study level
        List<DicomFile> study = wado(studyA.studyInstanceUid(), null, null);
        assertEquals(studyA.instances().size(), study.size(), "instances of study A");
        assertSameInstances(studyA.instances(), study);
        // series level
        String series = studyA.series().keySet().iterator().next();
        List<DicomFile> inSeries = wado(studyA.studyInstanceUid(), series, null);
        assertSameInstances(studyA.series().get(series), inSeries);
        // instance level: the 512 KiB instance of study B
        WebData.Instance big = studyB.instances().get(0);
        List<DicomFile> one = wado(big.studyInstanceUid(), big.seriesInstanceUid(), big.sopInstanceUid());
        assertSameInstances(List.of(big), one);
    }

    @SuppressWarnings("unchecked")
    static List<DicomFile> wado(String study, String series, String instance) {
        Exchange e = template.request(base + "?operation=wado", x -> {
            x.getIn().setHeader(DicomWebConstants.STUDY_INSTANCE_UID, study);
            if (series != null) {
                x.getIn().setHeader(DicomWebConstants.SERIES_INSTANCE_UID, series);
            }
            if (instance != null) {
                x.getIn().setHeader(DicomWebConstants.SOP_INSTANCE_UID, instance);
            }
        });
        assertOk(e, "WADO-RS " + study + "/" + series + "/" + instance);
        Object body = e.getMessage().getBody();
        assertTrue(body instanceof List, "WADO-RS body is a List, not " + (body == null ? null : body.getClass()));
        for (Object o : (List<?>) body) {
            assertTrue(o instanceof DicomFile, "a DicomFile, not " + o.getClass());
        }
        return (List<DicomFile>) body;
    }

    static void assertSameInstances(List<WebData.Instance> expected, List<DicomFile> got) {
        assertEquals(expected.size(), got.size(), "number of instances retrieved");
        Set<String> seen = new HashSet<>();
        for (DicomFile f : got) {
            String uid = f.dataset().getString(Tag.SOPInstanceUID);
            WebData.Instance want = expected.stream().filter(i -> i.sopInstanceUid().equals(uid)).findFirst()
                    .orElseThrow(() -> new AssertionError("retrieved an instance that was not asked for: " + uid));
            assertTrue(seen.add(uid), "retrieved twice: " + uid);
            assertArrayEquals(want.bytes(), bytes(f), "retrieved " + want.file().getFileName() + " byte for byte");
        }
    }

    @SuppressWarnings("unchecked")
    static List<Dataset> qido(String level, Object query, String study, String series) {
        Exchange e = template.request(base + "?operation=qido&queryLevel=" + level, x -> {
            if (query != null) {
                x.getIn().setHeader(DicomWebConstants.QUERY, query);
            }
            if (study != null) {
                x.getIn().setHeader(DicomWebConstants.STUDY_INSTANCE_UID, study);
            }
            if (series != null) {
                x.getIn().setHeader(DicomWebConstants.SERIES_INSTANCE_UID, series);
            }
        });
        assertOk(e, "QIDO-RS " + level + " " + query);
        Object body = e.getMessage().getBody();
        assertTrue(body instanceof List, "QIDO-RS body is a List, not " + (body == null ? null : body.getClass()));
        return (List<Dataset>) body;
    }

    @Test
    void qidoStudiesMatchesOnPatientId() {
        List<Dataset> a = qido("STUDY", Map.of("PatientID", studyA.patientId()), null, null);
        assertEquals(1, a.size(), "studies of patient A");
        assertEquals(studyA.studyInstanceUid(), a.get(0).getString(Tag.StudyInstanceUID));
        assertEquals(studyA.patientId(), a.get(0).getString(Tag.PatientID));
        assertEquals(studyA.accession(), a.get(0).getString(Tag.AccessionNumber));
        // the query string form of the header
        List<Dataset> b = qido("STUDY", "PatientID=" + studyB.patientId(), null, null);
        assertEquals(1, b.size(), "studies of patient B");
        assertEquals(studyB.studyInstanceUid(), b.get(0).getString(Tag.StudyInstanceUID));
        // every study
        List<Dataset> all = qido("STUDY", null, null, null);
        assertEquals(Set.of(studyA.studyInstanceUid(), studyB.studyInstanceUid()),
                uids(all, Tag.StudyInstanceUID));
        // no match
        assertEquals(List.of(), qido("STUDY", Map.of("PatientID", "NOBODY-" + System.nanoTime()), null, null));
    }

    @Test
    void qidoSeriesAndInstancesOfAStudy() {
        List<Dataset> series = qido("SERIES", null, studyA.studyInstanceUid(), null);
        assertEquals(studyA.series().keySet(), uids(series, Tag.SeriesInstanceUID), "series of study A");
        for (Dataset d : series) {
            assertEquals("OT", d.getString(Tag.Modality));
        }
        String firstSeries = studyA.series().keySet().iterator().next();
        List<Dataset> instances = qido("INSTANCE", null, studyA.studyInstanceUid(), firstSeries);
        Set<String> expected = new HashSet<>();
        studyA.series().get(firstSeries).forEach(i -> expected.add(i.sopInstanceUid()));
        assertEquals(expected, uids(instances, Tag.SOPInstanceUID), "instances of the first series");
        for (Dataset d : instances) {
            assertEquals(WebData.SC, d.getString(Tag.SOPClassUID));
        }
        // instances of a study, matched on the patient
        List<Dataset> byPatient = qido("INSTANCE", Map.of("PatientID", List.of(studyA.patientId())),
                studyA.studyInstanceUid(), null);
        assertEquals(studyA.instances().size(), byPatient.size());
    }

    static Set<String> uids(List<Dataset> results, int tag) {
        Set<String> s = new HashSet<>();
        for (Dataset d : results) {
            s.add(d.getString(tag));
        }
        return s;
    }
}
