package org.cameldicomsecure.it.dicomtls;

import static org.cameldicomsecure.it.dicomtls.ItSupport.GATEWAY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.net.assoc.AssociationInfo;
import org.cameldicomsecure.tls.TlsProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code storescu} (DCMTK) sends to our consumer {@code from("dicomtls:GATEWAY@127.0.0.1:PORT?...").to("file:...")}
 * under each DCMTK TLS profile against the matching one of ours, and in plain TCP against {@code tlsProfile=NONE}.
 *
 * <p>What the route wrote is compared with what DCMTK's own {@code storescp +B} wrote when it received the same files
 * from the same {@code storescu} (shared/PEERS.md: storescu normalises value padding, so the source files are not the
 * reference): the data sets after the File Meta Information must be byte-identical. The headers of every exchange
 * and the negotiated TLS version are checked too.
 */
class ConsumerInteropIT {

    @TempDir
    static Path dir;
    static Peers peers;
    static ItPki pki;
    static List<ItData.Instance> instances;
    static Map<String, byte[]> reference;

    @BeforeAll
    static void setUp() throws Exception {
        ItSupport.requireDcmtkAndOpenssl();
        peers = Peers.forTest(ConsumerInteropIT.class);
        pki = ItPki.create(dir.resolve("pki"));
        instances = ItData.write(dir.resolve("in"), "consumer", 3, 4);
        // the reference: DCMTK receiving from DCMTK, bit-preserving
        int port = ItSupport.freePort();
        Path ref = dir.resolve("reference");
        try (Peers.Daemon scp = ItSupport.storescp(peers, "storescp-reference", ref, port, List.of())) {
            peers.run("storescu-reference", dir, Peers.cmd("storescu", "-v", "-aec", "STORESCP", "127.0.0.1", port,
                    files())).assertSuccess();
        }
        reference = ItData.dataSetsByInstanceUid(ref);
        assertEquals(uids(), reference.keySet(), "storescp +B received every instance");
    }

    static List<Path> files() {
        return instances.stream().map(ItData.Instance::file).toList();
    }

    static Set<String> uids() {
        return instances.stream().map(ItData.Instance::sopInstanceUid).collect(Collectors.toSet());
    }

    static Stream<Arguments> profiles() {
        return Stream.of(
                Arguments.of("--profile-bcp195-nd", "BCP195_ND", "TLSv1.3"),
                // no tlsProfile option: our default, BCP195_RFC8996
                Arguments.of("--profile-bcp195-nd", null, "TLSv1.3"),
                Arguments.of("--profile-bcp195", "BCP195", "TLSv1.3"),
                Arguments.of("--profile-bcp195-ex", "BCP195_EX", "TLSv1.2"),
                Arguments.of(null, "NONE", null));
    }

    @ParameterizedTest(name = "storescu {0} -> dicomtls tlsProfile={1}")
    @MethodSource("profiles")
    void storescuToOurConsumer(String dcmtkProfile, String ourProfile, String expectedProtocol) throws Exception {
        String name = (dcmtkProfile == null ? "plain" : dcmtkProfile.substring(2)) + "-"
                + (ourProfile == null ? "default" : ourProfile);
        boolean tls = dcmtkProfile != null;
        int port = ItSupport.freePort();
        Path out = dir.resolve("out-" + name);
        ItSupport.Recorder recorder = new ItSupport.Recorder();
        ItSupport.Events events = new ItSupport.Events();
        String uri = "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?associationListener=#events"
                + (ourProfile == null ? "" : "&tlsProfile=" + ourProfile)
                + (tls ? "&" + ItSupport.keyOptions(pki, pki.server) : "");
        CamelContext camel = ItSupport.camel(Map.of("events", events), new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(recorder).to("file:" + out + "?fileName=${header.CamelDicomSopInstanceUid}.dcm");
            }
        });
        try {
            List<String> options = tls ? ItSupport.tls(pki, pki.storescu, dcmtkProfile) : List.of();
            peers.run("storescu-" + name, dir, ItSupport.storescu(port, options, files())).assertSuccess();

            // storescu gets each C-STORE-RSP only once the route is done: all is written by now
            assertEquals(instances.size(), recorder.count(), "one exchange per instance");
            assertEquals(uids(), Set.copyOf(recorder.sopInstanceUids()));
            Map<String, byte[]> received = ItData.dataSetsByInstanceUid(out);
            assertEquals(uids(), received.keySet());
            for (ItData.Instance i : instances) {
                assertArrayEquals(reference.get(i.sopInstanceUid()), received.get(i.sopInstanceUid()),
                        "data set of " + i.file().getFileName() + " as storescp +B received it");
                assertEquals(ItData.EXPLICIT_LE, ItData.split(out.resolve(i.sopInstanceUid() + ".dcm"))
                        .transferSyntaxUid());
            }

            for (Map<String, Object> h : recorder.headers) {
                assertEquals("STORESCU", h.get("CamelDicomCallingAet"));
                assertEquals(GATEWAY, h.get("CamelDicomCalledAet"));
                assertEquals("127.0.0.1", h.get("CamelDicomRemoteHost"));
                assertEquals(ItData.SC, h.get("CamelDicomSopClassUid"));
                assertEquals(instances.get(0).studyInstanceUid(), h.get("CamelDicomStudyInstanceUid"));
                assertEquals(ItData.EXPLICIT_LE, h.get("CamelDicomTransferSyntaxUid"));
                assertNull(h.get("CamelDicomUsername"), "no user identity was sent");
                if (tls) {
                    assertEquals(pki.storescu.subject(), h.get("CamelDicomRemoteCertificateSubject"));
                } else {
                    assertFalse(h.containsKey("CamelDicomRemoteCertificateSubject"));
                }
            }

            assertEquals(1, events.accepted.size(), "storescu sends all files on one association");
            AssociationInfo a = events.accepted.get(0);
            if (tls) {
                assertNotNull(a.tls());
                assertEquals(expectedProtocol, a.tls().protocol());
                TlsProfile profile = ourProfile == null ? TlsProfile.DEFAULT : TlsProfile.valueOf(ourProfile);
                assertTrue(profile.cipherSuiteNames().contains(a.tls().cipherSuite()),
                        a.tls().cipherSuite() + " is one of " + profile + "'s suites");
            } else {
                assertNull(a.tls());
            }
            assertTrue(events.tlsFailures.isEmpty(), events.tlsFailures.toString());
        } finally {
            camel.close();
        }
    }

    /** clientAuth=WANT: storescu without a certificate ({@code +tla}) is served, and no subject header is set. */
    @Test
    void anonymousTlsClientWithClientAuthWant() throws Exception {
        int port = ItSupport.freePort();
        Path out = dir.resolve("out-anonymous");
        ItSupport.Recorder recorder = new ItSupport.Recorder();
        String uri = "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?clientAuth=WANT&"
                + ItSupport.keyOptions(pki, pki.server);
        CamelContext camel = ItSupport.camel(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(recorder).to("file:" + out + "?fileName=${header.CamelDicomSopInstanceUid}.dcm");
            }
        });
        try {
            ItData.Instance i = instances.get(instances.size() - 1);
            peers.run("storescu-anonymous", dir, ItSupport.storescu(port,
                    List.of("+tla", "+cf", pki.ca.certPem().toString()), List.of(i.file()))).assertSuccess();
            assertEquals(List.of(i.sopInstanceUid()), recorder.sopInstanceUids());
            assertFalse(recorder.headers.get(0).containsKey("CamelDicomRemoteCertificateSubject"));
            assertArrayEquals(reference.get(i.sopInstanceUid()),
                    ItData.split(out.resolve(i.sopInstanceUid() + ".dcm")).dataSet());
        } finally {
            camel.close();
        }
    }
}
