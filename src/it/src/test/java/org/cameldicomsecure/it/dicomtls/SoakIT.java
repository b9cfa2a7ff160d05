package org.cameldicomsecure.it.dicomtls;

import static org.cameldicomsecure.it.dicomtls.ItSupport.GATEWAY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.cameldicomsecure.it.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short soak for CI: {@value #ASSOCIATIONS} {@code storescu} processes at once, each on its own TLS association
 * (default profile) with its own calling AE title, each sending {@value #PER_ASSOCIATION} distinct instances
 * (2 of 512 KiB, the rest small) into one consumer with its default 10 concurrent route threads. Every instance
 * arrives exactly once: one exchange and one file per SOP Instance UID, 400 in all, each data set as sent.
 *
 * <p>Scaled down to 20 x 20 (400 instances, about 20 MiB) to keep CI short; raise the two constants for a longer run.
 */
class SoakIT {

    static final int ASSOCIATIONS = 20;
    static final int PER_ASSOCIATION = 20;

    @TempDir
    static Path dir;

    @Test
    void concurrentAssociationsDeliverEveryInstanceExactlyOnce() throws Exception {
        ItSupport.requireDcmtkAndOpenssl();
        Peers peers = Peers.forTest(SoakIT.class);
        ItPki pki = ItPki.create(dir.resolve("pki"));
        List<List<ItData.Instance>> batches = new ArrayList<>();
        for (int a = 0; a < ASSOCIATIONS; a++) {
            batches.add(ItData.write(dir.resolve("in-" + a), "soak" + a, 2, PER_ASSOCIATION - 2));
        }
        Map<String, ItData.Instance> sent = batches.stream().flatMap(List::stream)
                .collect(Collectors.toMap(ItData.Instance::sopInstanceUid, Function.identity()));
        assertEquals(ASSOCIATIONS * PER_ASSOCIATION, sent.size());

        int port = ItSupport.freePort();
        Path out = dir.resolve("out");
        ItSupport.Recorder recorder = new ItSupport.Recorder();
        ItSupport.Events events = new ItSupport.Events();
        String uri = "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?" + ItSupport.keyOptions(pki, pki.server)
                + "&associationListener=#events";
        CamelContext camel = ItSupport.camel(Map.of("events", events), new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(recorder).to("file:" + out + "?fileName=${header.CamelDicomSopInstanceUid}.dcm");
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(ASSOCIATIONS);
        try {
            List<Future<Peers.Result>> runs = new ArrayList<>();
            for (int a = 0; a < ASSOCIATIONS; a++) {
                List<String> options = new ArrayList<>(List.of("-aet", String.format("SOAK%02d", a)));
                options.addAll(ItSupport.tls(pki, pki.storescu, null));
                List<String> command = ItSupport.storescu(port, options,
                        batches.get(a).stream().map(ItData.Instance::file).toList());
                String name = "storescu-soak" + a;
                runs.add(pool.submit(() -> peers.run(name, dir, command, 120)));
            }
            for (Future<Peers.Result> f : runs) {
                f.get().assertSuccess();
            }
        } finally {
            pool.shutdownNow();
            camel.close();
        }

        assertEquals(ASSOCIATIONS, events.accepted.size(), "one association per storescu");
        List<String> uids = recorder.sopInstanceUids();
        assertEquals(sent.size(), uids.size(), "one exchange per instance");
        assertEquals(sent.keySet(), new HashSet<>(uids), "every instance exactly once");
        Map<Object, Long> perAet = recorder.headers.stream()
                .collect(Collectors.groupingBy(h -> h.get("CamelDicomCallingAet"), Collectors.counting()));
        Map<Object, Long> expected = new HashMap<>();
        for (int a = 0; a < ASSOCIATIONS; a++) {
            expected.put(String.format("SOAK%02d", a), (long) PER_ASSOCIATION);
        }
        assertEquals(expected, perAet, "instances per calling AE title");

        Map<String, byte[]> written = ItData.dataSetsByInstanceUid(out);
        assertEquals(sent.keySet(), written.keySet(), "one file per SOP Instance UID");
        Set<String> checked = new HashSet<>();
        for (Map.Entry<String, byte[]> e : written.entrySet()) {
            assertArrayEquals(ItData.split(sent.get(e.getKey()).file()).dataSet(), e.getValue(),
                    "data set of " + e.getKey());
            checked.add(e.getKey());
        }
        assertEquals(sent.size(), checked.size());
    }
}
