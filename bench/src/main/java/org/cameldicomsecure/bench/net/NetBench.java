package org.cameldicomsecure.bench.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.UID;
import org.cameldicomsecure.net.SslEngineFactory;
import org.cameldicomsecure.net.assoc.AssociationConfig;
import org.cameldicomsecure.net.pdu.AAssociateRQ;
import org.cameldicomsecure.net.pdu.PresentationContextRQ;
import org.cameldicomsecure.net.pdu.UserInformation;
import org.cameldicomsecure.tls.ClientAuth;
import org.cameldicomsecure.tls.TlsContextFactory;
import org.cameldicomsecure.tls.TlsProfile;
import org.cameldicomsecure.tls.TlsEngine;
import org.cameldicomsecure.tls.TlsSettings;

/**
 * What the network benchmark mains share: the TLS material of the test PKI that run-net-vs-dcmtk.sh makes with
 * openssl ({@code ca.pem}, {@code server.pem}/{@code server.key} for CN=localhost with SAN IP 127.0.0.1,
 * {@code client.pem}/{@code client.key}), engine factories as the dicomtls component makes them, the association
 * request of our sender, and option parsing.
 */
final class NetBench {

    private NetBench() {
    }

    /** The profile of a spec {@code PROFILE[@ENGINE]}, e.g. {@code BCP195_ND@OPENSSL}. */
    static TlsProfile profile(String spec) {
        return TlsProfile.fromName(spec.split("@")[0]);
    }

    /** The TLS engine of a spec {@code PROFILE[@ENGINE]} (AUTO, the component's default, if none is given). */
    static TlsEngine engine(String spec) {
        String[] p = spec.split("@");
        return p.length > 1 ? TlsEngine.valueOf(p[1]) : TlsEngine.AUTO;
    }

    /**
     * A TLS context factory of our own for a spec {@code PROFILE[@ENGINE]}, as a dicomtls endpoint builds it
     * (client authentication required).
     */
    static TlsContextFactory tls(String spec, Path pki, boolean server) {
        TlsProfile profile = profile(spec);
        if (!profile.isTls()) {
            return null;
        }
        String own = server ? "server" : "client";
        return TlsContextFactory.create(TlsSettings.builder().profile(profile).engine(engine(spec))
                .certificate(pki.resolve(own + ".pem")).privateKey(pki.resolve(own + ".key"))
                .trustedCertificates(pki.resolve("ca.pem")).clientAuth(ClientAuth.REQUIRE).verifyHostname(true)
                .build());
    }

    private static final AtomicInteger FAKE_PORTS = new AtomicInteger(1);

    /**
     * Engines as {@code DicomTlsEndpoint.engines(...)} makes them (a reload check of the key and trust files, then a
     * new engine). With {@code fullHandshakes}, every client engine gets another peer port for SunJSSE's session cache
     * (which is keyed by host and port; the port has no other use in the engine), so no TLS session is resumed and
     * every association pays a full handshake, as a new echoscu process does.
     */
    static SslEngineFactory engines(TlsContextFactory tls, boolean fullHandshakes) {
        if (tls == null) {
            return null;
        }
        return (client, host, port) -> {
            tls.reloadIfChanged();
            if (!client) {
                return tls.newServerEngine();
            }
            return tls.newClientEngine(host, fullHandshakes ? 100_000 + FAKE_PORTS.getAndIncrement() : port);
        };
    }

    /** Our requestor's proposal: Verification, and CT Image Storage in Explicit then Implicit VR Little Endian. */
    static AAssociateRQ request(String calling, String called, long maxPdu) {
        return new AAssociateRQ(1, called, calling, AAssociateRQ.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextRQ(1, UID.Verification,
                                List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid())),
                        new PresentationContextRQ(3, UID.CTImageStorage,
                                List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
                                        TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid()))),
                UserInformation.of(maxPdu, AssociationConfig.IMPLEMENTATION_CLASS_UID,
                        AssociationConfig.IMPLEMENTATION_VERSION));
    }

    /** {@code --name value} options and the remaining positional arguments. */
    static final class Args {
        final Map<String, String> options = new HashMap<>();
        final List<String> positional = new ArrayList<>();

        Args(String[] args) {
            for (int i = 0; i < args.length; i++) {
                if (args[i].startsWith("--")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value of " + args[i]);
                    }
                    options.put(args[i].substring(2), args[++i]);
                } else {
                    positional.add(args[i]);
                }
            }
        }

        String get(String name) {
            String v = options.get(name);
            if (v == null) {
                throw new IllegalArgumentException("missing --" + name);
            }
            return v;
        }

        String get(String name, String dflt) {
            return options.getOrDefault(name, dflt);
        }

        int getInt(String name, int dflt) {
            return Integer.parseInt(get(name, Integer.toString(dflt)));
        }
    }

    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
