package org.cameldicomsecure.it.dicomtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.net.assoc.AssociationRejectedException;
import org.cameldicomsecure.net.assoc.DicomNetworkException;
import org.cameldicomsecure.net.dimse.DimseStatusException;
import org.cameldicomsecure.net.dimse.Status;
import org.cameldicomsecure.net.pdu.AAssociateRJ;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our producer {@code to("dicomtls:STORESCP@127.0.0.1:PORT?callingAet=GATEWAY&...")} sends to DCMTK's
 * {@code storescp +tls ... +B -od DIR} under each DCMTK profile against the matching one of ours, and in plain TCP:
 * every exchange ends with CamelDicomStatus 0, the files storescp wrote hold exactly the data sets of our files
 * (bit-preserving mode writes what arrived), and a C-ECHO (operation=echo) succeeds too. Then the exchange failures
 * a real storescp causes: a rejected association ({@code --refuse}), a failure status (it cannot write), and a server
 * certificate that does not name the host (verifyHostname).
 */
class ProducerInteropIT {

    @TempDir
    static Path dir;
    static Peers peers;
    static ItPki pki;
    static List<ItData.Instance> instances;

    @BeforeAll
    static void setUp() throws Exception {
        ItSupport.requireDcmtkAndOpenssl();
        peers = Peers.forTest(ProducerInteropIT.class);
        pki = ItPki.create(dir.resolve("pki"));
        instances = ItData.write(dir.resolve("in"), "producer", 3, 4);
    }

    static Stream<Arguments> profiles() {
        return Stream.of(
                Arguments.of("--profile-bcp195-nd", "BCP195_ND"),
                Arguments.of("--profile-bcp195-nd", null),
                Arguments.of("--profile-bcp195", "BCP195"),
                Arguments.of("--profile-bcp195-ex", "BCP195_EX"),
                Arguments.of(null, "NONE"));
    }

    @ParameterizedTest(name = "dicomtls tlsProfile={1} -> storescp {0}")
    @MethodSource("profiles")
    void ourProducerToStorescp(String dcmtkProfile, String ourProfile) throws Exception {
        String name = (dcmtkProfile == null ? "plain" : dcmtkProfile.substring(2)) + "-"
                + (ourProfile == null ? "default" : ourProfile);
        boolean tls = dcmtkProfile != null;
        int port = ItSupport.freePort();
        Path out = dir.resolve("out-" + name);
        List<String> scpOptions = tls ? ItSupport.tls(pki, pki.server, dcmtkProfile) : List.of();
        try (Peers.Daemon scp = ItSupport.storescp(peers, "storescp-" + name, out, port, scpOptions)) {
            String uri = "dicomtls:STORESCP@127.0.0.1:" + port + "?callingAet=GATEWAY"
                    + (ourProfile == null ? "" : "&tlsProfile=" + ourProfile)
                    + (tls ? "&" + ItSupport.keyOptions(pki, pki.gateway) : "");
            CamelContext camel = ItSupport.camel(Map.of(), new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:store").routeId("store").to(uri);
                    from("direct:echo").routeId("echo").to(uri + "&operation=echo");
                }
            });
            try {
                ProducerTemplate template = camel.createProducerTemplate();
                for (int i = 0; i < instances.size(); i++) {
                    ItData.Instance inst = instances.get(i);
                    // bodies as the file (large ones) or its bytes (small ones), both converted to a DicomFile
                    Object body = i < 3 ? inst.file().toFile() : Files.readAllBytes(inst.file());
                    Exchange ex = template.request("direct:store", e -> e.getIn().setBody(body));
                    assertNull(ex.getException(), () -> "store " + inst.file() + ": " + ex.getException()
                            + "\n" + scp.log());
                    assertEquals(0, ex.getMessage().getHeader("CamelDicomStatus"));
                }
                // storescp serves one association at a time: stopping the route releases the producer's association
                camel.getRouteController().stopRoute("store");
                Exchange echo = template.request("direct:echo", e -> { });
                assertNull(echo.getException(), () -> "echo: " + echo.getException());
                assertEquals(0, echo.getMessage().getHeader("CamelDicomStatus"));
            } finally {
                camel.close();
            }

            Map<String, byte[]> received = ItData.dataSetsByInstanceUid(out);
            assertEquals(instances.stream().map(ItData.Instance::sopInstanceUid).collect(Collectors.toSet()),
                    received.keySet(), "storescp wrote each instance once");
            for (ItData.Instance i : instances) {
                assertArrayEquals(ItData.split(i.file()).dataSet(), received.get(i.sopInstanceUid()),
                        "storescp received exactly our data set of " + i.file().getFileName());
            }
            String log = scp.log();
            // the store producer kept one association for all its instances; the echo endpoint had its own
            assertEquals(2, count(log, "I: Association Received"), "associations storescp received:\n" + log);
            assertEquals(2, count(log, "I: Association Release"), log);
            assertEquals(instances.size(), count(log, "I: Received Store Request"));
            assertEquals(1, count(log, "I: Received Echo Request"));
        }
    }

    private static CamelContext producer(String uri) throws Exception {
        return ItSupport.camel(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:store").to(uri);
            }
        });
    }

    private static String tlsUri(int port, String options) {
        return "dicomtls:STORESCP@127.0.0.1:" + port + "?callingAet=GATEWAY&" + ItSupport.keyOptions(pki, pki.gateway)
                + options;
    }

    /** storescp --refuse: the association is rejected, and the exchange fails with the A-ASSOCIATE-RJ. */
    @Test
    void rejectedAssociationFailsTheExchange() throws Exception {
        int port = ItSupport.freePort();
        try (Peers.Daemon scp = ItSupport.storescp(peers, "storescp-refuse", dir.resolve("out-refuse"), port,
                Peers.cmd("--refuse", ItSupport.tls(pki, pki.server, null)))) {
            CamelContext camel = producer(tlsUri(port, ""));
            try {
                CamelExecutionException e = assertThrows(CamelExecutionException.class,
                        () -> camel.createProducerTemplate().sendBody("direct:store",
                                instances.get(3).file().toFile()));
                AssociationRejectedException rj = assertInstanceOf(AssociationRejectedException.class, e.getCause());
                assertEquals(AAssociateRJ.REJECTED_PERMANENT, rj.reject().result(), rj.getMessage());
            } finally {
                camel.close();
            }
            assertTrue(scp.log().contains("Refusing Association (forced via command line)"), scp.log());
        }
    }

    /**
     * storescp cannot write what it receives (its output folder was removed after it started): it answers with a
     * failure status, which the producer puts in CamelDicomStatus and raises as a DimseStatusException.
     */
    @Test
    void failureStatusFailsTheExchange() throws Exception {
        int port = ItSupport.freePort();
        Path gone = dir.resolve("out-gone");
        try (Peers.Daemon scp = ItSupport.storescp(peers, "storescp-unwritable", gone, port,
                ItSupport.tls(pki, pki.server, null))) {
            Files.delete(gone);
            CamelContext camel = producer(tlsUri(port, ""));
            try {
                Exchange ex = camel.createProducerTemplate().request("direct:store",
                        e -> e.getIn().setBody(instances.get(3).file().toFile()));
                DimseStatusException failure = assertInstanceOf(DimseStatusException.class, ex.getException(),
                        () -> String.valueOf(ex.getException()) + "\n" + scp.log());
                assertTrue(Status.isFailure(failure.status()), Status.toHex(failure.status()));
                assertEquals(failure.status(), ex.getMessage().getHeader("CamelDicomStatus"));
            } finally {
                camel.close();
            }
        }
    }

    /**
     * verifyHostname (on by default): storescp presenting a certificate that names neither 127.0.0.1 nor localhost
     * (CN=GATEWAY, no SAN) is refused before any association; with verifyHostname=false the same peer is used.
     */
    @Test
    void serverCertificateMustNameTheHost() throws Exception {
        int port = ItSupport.freePort();
        Path scpOut = dir.resolve("out-hostname");
        try (Peers.Daemon scp = ItSupport.storescp(peers, "storescp-wrong-name", scpOut, port,
                ItSupport.tls(pki, pki.gateway, null))) {
            CamelContext strict = producer(tlsUri(port, ""));
            try {
                CamelExecutionException e = assertThrows(CamelExecutionException.class,
                        () -> strict.createProducerTemplate().sendBody("direct:store",
                                instances.get(4).file().toFile()));
                assertInstanceOf(DicomNetworkException.class, e.getCause());
                assertTrue(String.valueOf(e.getCause().getMessage()).contains("TLS handshake failed"),
                        e.getCause().getMessage());
            } finally {
                strict.close();
            }
            assertEquals(List.of(), ItSupport.list(scpOut));
            CamelContext lax = producer(tlsUri(port, "&verifyHostname=false"));
            try {
                Exchange ex = lax.createProducerTemplate().request("direct:store",
                        e -> e.getIn().setBody(instances.get(4).file().toFile()));
                assertNull(ex.getException(), () -> ex.getException() + "\n" + scp.log());
            } finally {
                lax.close();
            }
            assertEquals(1, ItSupport.list(scpOut).size());
        }
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
