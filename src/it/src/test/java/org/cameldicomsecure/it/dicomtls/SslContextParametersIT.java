package org.cameldicomsecure.it.dicomtls;

import static org.cameldicomsecure.it.dicomtls.ItSupport.GATEWAY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.CipherSuitesParameters;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.cameldicomsecure.component.dicomtls.DicomTlsComponent;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.net.assoc.AssociationInfo;
import org.cameldicomsecure.net.assoc.DicomNetworkException;
import org.cameldicomsecure.tls.TlsProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key material from outside the PEM options, against DCMTK: Camel's {@link SSLContextParameters} (PKCS12 key and
 * trust stores made by the test from {@link ItPki}'s keys) bound in the registry and referenced as
 * {@code sslContextParameters=#name}, the same as the Camel context's global parameters with the component's
 * {@code useGlobalSslContextParameters=true}, and the component's own {@code keyStore}/{@code keyStorePassword}/
 * {@code trustStore}/{@code trustStorePassword} options. Each way, {@code storescu +tls} delivers to our consumer and
 * our producer stores into {@code storescp +tls}.
 *
 * <p>The profile still decides: the consumer's parameters are given their own protocol (TLS 1.2) and suite
 * (TLS_RSA_WITH_AES_128_CBC_SHA) lists, which the default profile (B.12) overrides: storescu negotiates a suite of
 * B.12, an {@code openssl s_client} limited to TLS 1.1 or to AES128-SHA is refused, a client without a certificate is
 * refused (clientAuth=REQUIRE), and a B.12 suite over TLS 1.2 is accepted. The producer still checks the server's
 * name (verifyHostname) with a given context.
 */
class SslContextParametersIT {

    static final String PASSWORD = "it-pkcs12-pass";

    @TempDir
    static Path dir;
    static Peers peers;
    static ItPki pki;
    static List<ItData.Instance> instances;
    static Path serverP12;
    static Path gatewayP12;
    static Path trustP12;
    static int next;

    @BeforeAll
    static void setUp() throws Exception {
        ItSupport.requireDcmtkAndOpenssl();
        peers = Peers.forTest(SslContextParametersIT.class);
        pki = ItPki.create(dir.resolve("pki"));
        instances = ItData.write(dir.resolve("in"), "sslparams", 2, 14);
        serverP12 = keyStore("server.p12", pki.server);
        gatewayP12 = keyStore("gateway.p12", pki.gateway);
        trustP12 = dir.resolve("trust.p12");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca.cert());
        try (OutputStream out = Files.newOutputStream(trustP12)) {
            trust.store(out, PASSWORD.toCharArray());
        }
    }

    /** A PKCS12 file with {@code own}'s key and its chain up to the CA. */
    static Path keyStore(String name, ItPki.Issued own) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", own.key(), PASSWORD.toCharArray(), new Certificate[] {own.cert(), pki.ca.cert()});
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    /** Camel's parameters over a PKCS12 key store and the PKCS12 trust store. */
    static SSLContextParameters sslParameters(Path keyStore) {
        KeyStoreParameters keys = new KeyStoreParameters();
        keys.setResource("file:" + keyStore);
        keys.setPassword(PASSWORD);
        keys.setType("PKCS12");
        KeyManagersParameters kmp = new KeyManagersParameters();
        kmp.setKeyStore(keys);
        kmp.setKeyPassword(PASSWORD);
        KeyStoreParameters trust = new KeyStoreParameters();
        trust.setResource("file:" + trustP12);
        trust.setPassword(PASSWORD);
        trust.setType("PKCS12");
        TrustManagersParameters tmp = new TrustManagersParameters();
        tmp.setKeyStore(trust);
        SSLContextParameters p = new SSLContextParameters();
        p.setKeyManagers(kmp);
        p.setTrustManagers(tmp);
        return p;
    }

    static ItData.Instance nextInstance() {
        return instances.get(next++);
    }

    // ------------------------------------------------------------------ sslContextParameters=#name

    @Test
    void consumerWithSslContextParameters() throws Exception {
        SSLContextParameters params = sslParameters(serverP12);
        // lists of its own, which the profile must override
        SecureSocketProtocolsParameters protocols = new SecureSocketProtocolsParameters();
        protocols.setSecureSocketProtocol(List.of("TLSv1.2"));
        params.setSecureSocketProtocols(protocols);
        CipherSuitesParameters suites = new CipherSuitesParameters();
        suites.setCipherSuite(List.of("TLS_RSA_WITH_AES_128_CBC_SHA"));
        params.setCipherSuites(suites);

        int port = ItSupport.freePort();
        Receiver r = new Receiver(port);
        try (CamelContext camel = ItSupport.camel(Map.of("serverParams", params, "events", r.events),
                r.routes("sslContextParameters=#serverParams"))) {
            r.storescuDelivers("storescu-params");

            List<String> client = Peers.cmd("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-CAfile",
                    pki.ca.certPem(), "-verify_return_error");
            List<String> withCert = Peers.cmd(client, "-cert", pki.storescu.certPem(), "-key",
                    pki.storescu.keyPem());
            Peers.Result tls11 = peers.run("s_client-tls1_1", dir,
                    Peers.cmd(withCert, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"), 30);
            assertRefused(tls11, r, "TLSv1.1");
            assertTrue((tls11.out() + tls11.err()).contains("alert protocol version"), tls11.out() + tls11.err());

            Peers.Result cbc = peers.run("s_client-aes128-sha", dir,
                    Peers.cmd(withCert, "-tls1_2", "-cipher", "AES128-SHA"), 30);
            assertRefused(cbc, r, "no cipher suites in common");

            Peers.Result anonymous = peers.run("s_client-no-client-cert", dir, Peers.cmd(client, "-tls1_2"), 30);
            assertRefused(anonymous, r, "Empty client certificate chain");

            Peers.Result good = peers.run("s_client-ecdhe-rsa-aes128-gcm", dir,
                    Peers.cmd(withCert, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"), 30);
            assertEquals(0, good.exitCode(), good.out() + good.err());
            assertTrue(good.out().contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256"), good.out());
            assertTrue(good.out().contains("Protocol  : TLSv1.2"), good.out());
        }
    }

    @Test
    void producerWithSslContextParameters() throws Exception {
        SSLContextParameters params = sslParameters(gatewayP12);
        Map<String, Object> beans = Map.of("clientParams", params);
        storeIntoStorescp("params", beans, camel -> { }, "sslContextParameters=#clientParams");

        // verifyHostname still applies: storescp presenting CN=GATEWAY (no SAN) is not 127.0.0.1
        int port = ItSupport.freePort();
        Path out = dir.resolve("out-storescp-wrong-name");
        RouteBuilder route = producerRoute(port, "sslContextParameters=#clientParams");
        try (Peers.Daemon scp = ItSupport.storescp(peers, "storescp-wrong-name", out, port,
                ItSupport.tls(pki, pki.gateway, null));
                CamelContext camel = ItSupport.camel(beans, route)) {
            CamelExecutionException e = assertThrows(CamelExecutionException.class,
                    () -> camel.createProducerTemplate().sendBody("direct:store", nextInstance().file().toFile()));
            assertInstanceOf(DicomNetworkException.class, e.getCause());
            assertTrue(String.valueOf(e.getCause().getMessage()).contains("TLS handshake failed"),
                    e.getCause().getMessage());
            assertEquals(List.of(), ItSupport.list(out));
        }
    }

    // ------------------------------------------------------------------ the context's global parameters

    @Test
    void globalSslContextParameters() throws Exception {
        int port = ItSupport.freePort();
        Receiver r = new Receiver(port);
        Consumer<CamelContext> global = camel -> {
            camel.setSSLContextParameters(sslParameters(serverP12));
            camel.getComponent("dicomtls", DicomTlsComponent.class).setUseGlobalSslContextParameters(true);
        };
        try (CamelContext camel = camel(Map.of("events", r.events), global, r.routes(null))) {
            r.storescuDelivers("storescu-global");
        }
        // the producer presents the global key (CN=localhost) as its client certificate: storescp trusts our CA
        storeIntoStorescp("global", Map.of(), global, null);
    }

    // ------------------------------------------------------------------ keyStore and trustStore options

    @Test
    void pkcs12KeyStoreAndTrustStoreOptions() throws Exception {
        int port = ItSupport.freePort();
        Receiver r = new Receiver(port);
        try (CamelContext camel = ItSupport.camel(Map.of("events", r.events), r.routes(pkcs12Options(serverP12)))) {
            r.storescuDelivers("storescu-pkcs12");
        }
        storeIntoStorescp("pkcs12", Map.of(), camel -> { }, pkcs12Options(gatewayP12));
    }

    static String pkcs12Options(Path keyStore) {
        return "keyStore=" + keyStore + "&keyStorePassword=" + PASSWORD + "&trustStore=" + trustP12
                + "&trustStorePassword=" + PASSWORD;
    }

    // ------------------------------------------------------------------ helpers

    /** Our consumer: a route that records the headers and writes each instance to a file. */
    static final class Receiver {
        final int port;
        final Path out;
        final ItSupport.Recorder recorder = new ItSupport.Recorder();
        final ItSupport.Events events = new ItSupport.Events();

        Receiver(int port) {
            this.port = port;
            this.out = dir.resolve("out-consumer-" + port);
        }

        RouteBuilder routes(String options) {
            String uri = "dicomtls:" + GATEWAY + "@127.0.0.1:" + port + "?associationListener=#events"
                    + (options == null ? "" : "&" + options);
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).process(recorder)
                            .to("file:" + out + "?fileName=${header.CamelDicomSopInstanceUid}.dcm");
                }
            };
        }

        /**
         * storescu +tls (DCMTK's default profile) sends two instances: both arrive as sent, with the client
         * certificate's subject, over a protocol and a suite of the default profile.
         */
        void storescuDelivers(String name) throws Exception {
            List<ItData.Instance> sent = List.of(nextInstance(), nextInstance());
            peers.run(name, dir, ItSupport.storescu(port, ItSupport.tls(pki, pki.storescu, null),
                    sent.stream().map(ItData.Instance::file).toList())).assertSuccess();
            assertEquals(sent.stream().map(ItData.Instance::sopInstanceUid).toList(), recorder.sopInstanceUids());
            for (Map<String, Object> h : recorder.headers) {
                assertEquals(pki.storescu.subject(), h.get("CamelDicomRemoteCertificateSubject"));
            }
            Map<String, byte[]> received = ItData.dataSetsByInstanceUid(out);
            for (ItData.Instance i : sent) {
                assertArrayEquals(ItData.split(i.file()).dataSet(), received.get(i.sopInstanceUid()));
            }
            assertEquals(1, events.accepted.size());
            AssociationInfo.TlsInfo tls = events.accepted.get(0).tls();
            TlsProfile profile = TlsProfile.DEFAULT;
            assertTrue(profile.protocols().contains(tls.protocol()), tls.protocol());
            assertTrue(profile.cipherSuiteNames().contains(tls.cipherSuite()),
                    tls.cipherSuite() + " is one of " + profile + "'s suites");
            recorder.clear();
            events.clear();
        }
    }

    /** s_client failed, no association was established, and the consumer's TLS failure event says why. */
    static void assertRefused(Peers.Result r, Receiver receiver, String reason) throws Exception {
        String log = r.out() + r.err();
        assertNotEquals(0, r.exitCode(), log);
        assertTrue(log.contains("Cipher is (NONE)") || log.contains("alert"), log);
        ItSupport.await(() -> !receiver.events.tlsFailures.isEmpty(), 2000, "a TLS failure event");
        String why = receiver.events.tlsFailures.get(0);
        assertTrue(why.toLowerCase(Locale.ROOT).contains(reason.toLowerCase(Locale.ROOT)),
                "TLS failure '" + why + "' names " + reason);
        assertEquals(0, receiver.recorder.count());
        assertTrue(receiver.events.accepted.isEmpty());
        receiver.events.clear();
    }

    static RouteBuilder producerRoute(int port, String options) {
        String uri = "dicomtls:STORESCP@127.0.0.1:" + port + "?callingAet=GATEWAY" + (options == null ? "" : "&"
                + options);
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:store").to(uri);
            }
        };
    }

    /** Our producer stores two instances into {@code storescp +tls +B}: Success, and exactly our data sets. */
    static void storeIntoStorescp(String name, Map<String, Object> beans, Consumer<CamelContext> customize,
            String options) throws Exception {
        int port = ItSupport.freePort();
        Path out = dir.resolve("out-storescp-" + name);
        List<ItData.Instance> sent = List.of(nextInstance(), nextInstance());
        try (Peers.Daemon scp = ItSupport.storescp(peers, "storescp-" + name, out, port,
                ItSupport.tls(pki, pki.server, null));
                CamelContext camel = camel(beans, customize, producerRoute(port, options))) {
            for (ItData.Instance i : sent) {
                Exchange ex = camel.createProducerTemplate().request("direct:store",
                        e -> e.getIn().setBody(i.file().toFile()));
                assertNull(ex.getException(), () -> name + ": " + ex.getException() + "\n" + scp.log());
                assertEquals(0, ex.getMessage().getHeader("CamelDicomStatus"));
            }
        }
        Map<String, byte[]> received = ItData.dataSetsByInstanceUid(out);
        assertEquals(sent.stream().map(ItData.Instance::sopInstanceUid).collect(Collectors.toSet()),
                received.keySet());
        for (ItData.Instance i : sent) {
            assertArrayEquals(ItData.split(i.file()).dataSet(), received.get(i.sopInstanceUid()));
        }
    }

    /** Like {@link ItSupport#camel}, with {@code customize} run before the routes are added. */
    static CamelContext camel(Map<String, Object> beans, Consumer<CamelContext> customize, RouteBuilder routes)
            throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        beans.forEach((k, v) -> ctx.getRegistry().bind(k, v));
        customize.accept(ctx);
        ctx.addRoutes(routes);
        ctx.start();
        return ctx;
    }
}
