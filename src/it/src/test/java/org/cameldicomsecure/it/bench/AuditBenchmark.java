package org.cameldicomsecure.it.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.security.auth.x500.X500Principal;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.cameldicomsecure.audit.AuditFormat;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditMessages;
import org.cameldicomsecure.audit.AuditXml;
import org.cameldicomsecure.audit.EventActionCode;
import org.cameldicomsecure.audit.EventOutcome;
import org.cameldicomsecure.audit.Participants;
import org.cameldicomsecure.audit.Patient;
import org.cameldicomsecure.audit.Study;
import org.cameldicomsecure.audit.kafka.KafkaAuditSink;
import org.cameldicomsecure.audit.trail.AuditRecord;
import org.cameldicomsecure.audit.trail.AuditSink;
import org.cameldicomsecure.audit.trail.AuditTrail;
import org.cameldicomsecure.audit.trail.AuditTrailOptions;
import org.cameldicomsecure.audit.trail.AuditTrailStats;
import org.cameldicomsecure.audit.trail.SpooledRecord;
import org.cameldicomsecure.audit.trail.SyslogOptions;
import org.cameldicomsecure.audit.trail.SyslogProtocol;
import org.cameldicomsecure.audit.trail.SyslogSink;
import org.cameldicomsecure.component.dicomaudit.DicomAuditComponent;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.TransferSyntax;
import org.cameldicomsecure.dicom.VR;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.it.ItUids;
import org.cameldicomsecure.it.Peers;
import org.cameldicomsecure.it.peers.KafkaBroker;
import org.cameldicomsecure.it.peers.Rsyslog;
import org.cameldicomsecure.tls.TlsSettings;

/**
 * The audit trail benchmark of issue #6, run by hand with {@code bench/run-audit.sh} (not a test: nothing here is run
 * by surefire or failsafe). In one JVM, against real peers on loopback:
 * <ol>
 * <li>Kafka: a real single-node KRaft broker ({@link KafkaBroker}); an {@link AuditTrail} (spool on disk, the trail's
 *     default options except the spool limit, see below) with a {@link KafkaAuditSink}; N events emitted as fast as
 *     possible from 1 and from 2 threads with {@code sync=false}, and with {@code sync=true} from 2 threads. Timed
 *     from the first emit until the last emit returned (emit rate) and until {@link AuditTrail#drain} confirmed
 *     the last event (end to end: acknowledged by the broker with acks=all). The topic's offsets are checked to
 *     hold exactly the events sent.</li>
 * <li>syslog-TLS: a real rsyslogd with GnuTLS and mutual TLS ({@link Rsyslog}); the same with a {@link SyslogSink};
 *     end to end = when rsyslog's output file holds every event (one line per message in its header file).</li>
 * <li>C-STORE: {@code storescu} (DCMTK, TCP_NODELAY=1) sends M instances of 512 KiB in one association to a
 *     {@code dicomtls} consumer route that discards them, over plain TCP and over TLS (BCP195_RFC8996 on our side,
 *     {@code --profile-bcp195-nd} on DCMTK's); two Camel contexts side by side, one without the dicomaudit
 *     component and one with it (Kafka and syslog-TLS sinks, automatic auditing on), used alternately R times.</li>
 * </ol>
 * Then a summary with the goals of the issue (at least 20,000 events/s into Kafka; audited C-STORE at least 0.95 of
 * plain) and the machine. Settings are system properties {@code bench.*} (see {@code bench/run-audit.sh}).
 *
 * <p>The audit messages are PS3.15 A.5.3.7 DICOM Instances Transferred built with {@link AuditMessages} (a study with
 * its instances, a made-up patient), ~2 KB of XML each, built before the clock starts: the figures are those of the
 * trail and its sinks, not of the message builder (whose rate is printed separately).
 */
public final class AuditBenchmark {

    private static final int EVENTS = intProp("bench.events", 200_000);
    private static final int SYNC_EVENTS = intProp("bench.syncEvents", 10_000);
    private static final int SYSLOG_EVENTS = intProp("bench.syslogEvents", 100_000);
    private static final int WARMUP_EVENTS = intProp("bench.warmupEvents", 20_000);
    private static final int FILES = intProp("bench.files", 300);
    private static final int REPS = intProp("bench.reps", 5);
    private static final int WARMUP_ASSOCIATIONS = intProp("bench.warmupAssociations", 3);
    private static final int PDU = intProp("bench.pdu", 131072);
    private static final String PARTS = System.getProperty("bench.parts", "kafka,syslog,cstore");
    /** A control run: the second context gets no dicomaudit component either (shows the noise between two contexts). */
    private static final boolean CONTROL = Boolean.getBoolean("bench.control");
    /** 0: the trail's default batch size (500). */
    private static final int BATCH_SIZE = intProp("bench.batchSize", 0);
    /** The dicomaudit component's default spool limit (spoolMaxBytes), so that a whole run fits in the spool. */
    private static final long SPOOL_MAX_BYTES = 1L << 30;
    private static final double KAFKA_GOAL = 20_000;
    private static final double CSTORE_GOAL = 0.95;
    private static final String GATEWAY = "GATEWAY";
    private static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";

    private final Path work;
    private final Peers peers;
    private final List<String[]> eventRows = new ArrayList<>();
    private final List<String[]> storeRows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Pki pki;
    private KafkaBroker broker;
    private Rsyslog rsyslog;
    private int runCounter;

    private AuditBenchmark(Path work, Peers peers) {
        this.work = work;
        this.peers = peers;
    }

    public static void main(String[] args) throws Exception {
        Path work = Paths.get(System.getProperty("it.work.dir", "target/bench-audit")).toAbsolutePath();
        Files.createDirectories(work);
        String load0 = loadAverage();
        System.out.println("# Audit trail benchmark (issue #6), " + ZonedDateTime.now(ZoneOffset.UTC)
                .withNano(0));
        System.out.println("work folder " + work + ", load average at start " + load0);
        System.out.printf(Locale.ROOT, "settings: events %,d (sync %,d, syslog %,d, warm-up %,d), C-STORE %d files x "
                + "%d repetitions (+%d warm-up associations), max PDU %d, parts %s%n", EVENTS, SYNC_EVENTS,
                SYSLOG_EVENTS, WARMUP_EVENTS, FILES, REPS, WARMUP_ASSOCIATIONS, PDU, PARTS);
        AuditBenchmark b = new AuditBenchmark(work, Peers.forTest(AuditBenchmark.class));
        long t0 = System.nanoTime();
        try {
            b.run();
        } finally {
            b.stopPeers();
        }
        System.out.println();
        b.summary(load0, loadAverage(), (System.nanoTime() - t0) / 1e9);
        System.exit(0); // Kafka and Netty leave non-daemon threads behind
    }

    private void run() throws Exception {
        pki = new Pki(work.resolve("pki"));
        buildRate();
        boolean kafka = PARTS.contains("kafka");
        boolean syslog = PARTS.contains("syslog");
        boolean cstore = PARTS.contains("cstore");
        if (kafka || cstore) {
            long t = System.nanoTime();
            broker = KafkaBroker.start(peers);
            System.out.printf(Locale.ROOT, "Kafka broker (%s) at %s, ready after %.1f s%n", broker.kind(),
                    broker.bootstrapServers(), (System.nanoTime() - t) / 1e9);
        }
        if (syslog || cstore) {
            rsyslog = Rsyslog.startTls(peers, Files.createDirectories(work.resolve("rsyslog")), pki.ca.certPem(),
                    pki.server.certPem(), pki.server.keyPem(), "x509/name", List.of(Pki.AUDIT_CLIENT));
            System.out.println("rsyslogd (GnuTLS, mutual TLS, x509/name) on 127.0.0.1:" + rsyslog.port());
        }
        if (kafka) {
            kafkaRuns();
        }
        if (syslog) {
            syslogRuns();
        }
        if (cstore) {
            cstoreRuns();
        }
    }

    private void stopPeers() {
        try {
            if (rsyslog != null) {
                rsyslog.close();
            }
        } catch (Exception e) {
            System.err.println("stopping rsyslogd: " + e);
        }
        if (broker != null) {
            broker.close();
        }
    }

    // ------------------------------------------------------------------ messages

    /** Event {@code n}: DICOM Instances Transferred of a study of 6 CT images of a made-up patient (~2 KB). */
    static byte[] message(long n) {
        Instant time = Instant.parse("2024-05-17T07:31:02.123456Z").plusMillis(n * 7);
        String study = "1.2.826.0.1.3680043.8.498." + (1_000_000_000L + n);
        Study.Builder s = Study.builder(study).accessionNumber("ACC" + (100_000 + n));
        for (int i = 1; i <= 6; i++) {
            s.addInstance(CT_IMAGE, study + "." + i);
        }
        AuditMessage m = AuditMessages.dicomInstancesTransferred()
                .eventDateTime(time, ZoneOffset.ofHours(2))
                .outcome(EventOutcome.SUCCESS)
                .action(EventActionCode.CREATE)
                .source(Participants.application("STORESCU", "192.0.2.10").requestor(true))
                .destination(Participants.application("gateway", List.of(GATEWAY), "pacs.example.org"))
                .auditSource("gateway")
                .study(s.build(), true)
                .patient(new Patient("PID-" + (500_000 + n), "DOE^JANE^" + (char) ('A' + n % 26)))
                .build();
        return AuditXml.toXml(m).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code n} records over a pool of distinct payloads, each with its own ID, made before any clock starts. */
    static List<AuditRecord> records(int n) throws Exception {
        int pool = Math.min(n, 1024);
        byte[][] payloads = new byte[pool][];
        String[] keys = new String[pool];
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < pool; i++) {
            payloads[i] = message(i);
            keys[i] = HexFormat.of().formatHex(sha.digest(("PID-" + (500_000 + i)).getBytes(StandardCharsets.UTF_8)));
        }
        List<AuditRecord> out = new ArrayList<>(n);
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            out.add(new AuditRecord(UUID.randomUUID().toString(), now, "DicomInstancesTransferred", 0, keys[i % pool],
                    AuditFormat.DICOM_XML, payloads[i % pool]));
        }
        return out;
    }

    private void buildRate() {
        int n = 20_000;
        long bytes = 0;
        for (int i = 0; i < 2_000; i++) {
            bytes += message(i).length; // warm-up
        }
        long t = System.nanoTime();
        bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += message(i).length;
        }
        double s = (System.nanoTime() - t) / 1e9;
        System.out.printf(Locale.ROOT, "message: DICOM Instances Transferred, %d bytes of XML on average; building "
                + "it (AuditMessages + AuditXml, 1 thread): %,.0f messages/s%n", bytes / n, n / s);
        notes.add(String.format(Locale.ROOT, "message %d bytes of XML; built at %,.0f messages/s on 1 thread",
                bytes / n, n / s));
    }

    // ------------------------------------------------------------------ trail runs

    /** The outcome of one trail run. */
    record TrailRun(int events, double emitSeconds, double endSeconds, AuditTrailStats stats) {
        double emitRate() {
            return events / emitSeconds;
        }

        double endRate() {
            return events / endSeconds;
        }
    }

    /**
     * Opens a trail on a new spool with {@code sink}, emits {@code records} from {@code threads} threads, waits for
     * {@code delivered} (or {@code drain}) and closes the trail.
     *
     * @param delivered when not null, end to end is when it returns (polled after the emits), else when drain returns
     */
    private TrailRun trailRun(String what, AuditSink sink, List<AuditRecord> records, int threads, boolean sync,
            DeliveredCheck delivered) throws Exception {
        Path spool = work.resolve("spool-" + (++runCounter));
        AuditTrailOptions.Builder ob = AuditTrailOptions.builder(spool).sync(sync).maxSpoolBytes(SPOOL_MAX_BYTES)
                .alarmHandler(a -> System.err.println("ALARM " + a));
        if (BATCH_SIZE > 0) {
            ob.batchSize(BATCH_SIZE);
        }
        AuditTrailOptions options = ob.build();
        AuditTrail trail = AuditTrail.open(options, List.of(sink));
        try {
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                        for (int i = first; i < records.size(); i += threads) {
                            trail.emit(records.get(i));
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "bench-producer-" + t);
                th.start();
                producers.add(th);
            }
            Thread.sleep(50);
            long t0 = System.nanoTime();
            go.countDown();
            for (Thread th : producers) {
                th.join();
            }
            long emitted = System.nanoTime();
            if (failure.get() != null) {
                throw new IllegalStateException(what + ": an emit failed", failure.get());
            }
            long end;
            if (delivered != null) {
                delivered.await(Duration.ofMinutes(5));
                end = System.nanoTime();
                if (!trail.drain(Duration.ofMinutes(2))) {
                    throw new IllegalStateException(what + ": not drained: " + trail.stats());
                }
            } else {
                if (!trail.drain(Duration.ofMinutes(5))) {
                    throw new IllegalStateException(what + ": not drained within 5 minutes: " + trail.stats());
                }
                end = System.nanoTime();
            }
            AuditTrailStats stats = trail.stats();
            if (stats.rejectedEmits() != 0 || stats.droppedRecords() != 0) {
                throw new IllegalStateException(what + ": the spool refused or dropped records: " + stats);
            }
            return new TrailRun(records.size(), (emitted - t0) / 1e9, (end - t0) / 1e9, stats);
        } finally {
            trail.close();
            deleteTree(spool);
        }
    }

    @FunctionalInterface
    interface DeliveredCheck {
        void await(Duration timeout) throws Exception;
    }

    private void kafkaRuns() throws Exception {
        System.out.println();
        System.out.println("## 1. Kafka: AuditTrail -> KafkaAuditSink -> broker (acks=all, idempotent)");
        List<AuditRecord> all = records(Math.max(EVENTS, WARMUP_EVENTS));
        List<AuditRecord> warm = all.subList(0, WARMUP_EVENTS);
        record Case(String label, String topic, int threads, boolean sync, List<AuditRecord> records,
                String compression) {
            Case(String label, String topic, int threads, boolean sync, List<AuditRecord> records) {
                this(label, topic, threads, sync, records, null);
            }
        }
        List<Case> cases = List.of(
                new Case("warm-up (not counted)", "bench-warmup", 2, false, warm),
                new Case("no-op sink, 2 threads", null, 2, false, all.subList(0, EVENTS)),
                new Case("raw KafkaProducer", "bench-raw", 1, false, all.subList(0, EVENTS)),
                new Case("sync=false, 1 thread", "bench-1t", 1, false, all.subList(0, EVENTS)),
                new Case("sync=false, 2 threads", "bench-2t", 2, false, all.subList(0, EVENTS)),
                new Case("sync=false, 2 threads, lz4", "bench-2t-lz4", 2, false, all.subList(0, EVENTS), "lz4"),
                new Case("sync=true, 2 threads", "bench-sync", 2, true, all.subList(0, Math.min(SYNC_EVENTS,
                        all.size()))));
        for (Case c : cases) {
            if (c.records().isEmpty()) {
                continue;
            }
            if (c.topic() == null) {
                TrailRun r = trailRun("spool alone " + c.label(), new NoOpSink(), c.records(), c.threads(), c.sync(),
                        null);
                System.out.printf(Locale.ROOT, "%-27s %,8d events: emit %,9.0f events/s (%.2f s), end to end %,9.0f "
                        + "events/s (%.2f s)%n", c.label(), r.events(), r.emitRate(), r.emitSeconds(), r.endRate(),
                        r.endSeconds());
                eventRows.add(new String[] {"(none: spool alone)", c.label(), String.format(Locale.ROOT, "%,d",
                        r.events()), String.format(Locale.ROOT, "%,.0f", r.emitRate()),
                        String.format(Locale.ROOT, "%,.0f", r.endRate()), "(the trail's own ceiling)"});
                continue;
            }
            broker.createTopic(c.topic(), 1, Map.of());
            Properties p = new Properties();
            p.setProperty("bootstrap.servers", broker.bootstrapServers());
            if (c.compression() != null) {
                p.setProperty("compression.type", c.compression());
            }
            if (c.label().startsWith("raw")) {
                double[] r = rawProducer(c.topic(), c.records());
                long inTopic = topicCount(c.topic());
                System.out.printf(Locale.ROOT, "%-27s %,8d events: send %,9.0f events/s, end to end %,9.0f "
                        + "events/s (%.2f s); topic %s holds %,d records%n", c.label(), c.records().size(),
                        c.records().size() / r[0], c.records().size() / r[1], r[1], c.topic(), inTopic);
                eventRows.add(new String[] {"(Kafka client alone)", "raw KafkaProducer, sink's settings, 1 thread",
                        String.format(Locale.ROOT, "%,d", c.records().size()),
                        String.format(Locale.ROOT, "%,.0f", c.records().size() / r[0]),
                        String.format(Locale.ROOT, "%,.0f", c.records().size() / r[1]), "(the broker's ceiling here)"});
                continue;
            }
            KafkaAuditSink sink = new KafkaAuditSink("kafka", c.topic(), p, Duration.ofSeconds(10));
            TrailRun r = trailRun("Kafka " + c.label(), sink, c.records(), c.threads(), c.sync(), null);
            long inTopic = topicCount(c.topic());
            boolean exact = inTopic == c.records().size();
            System.out.printf(Locale.ROOT, "%-27s %,8d events: emit %,9.0f events/s (%.2f s), end to end %,9.0f "
                    + "events/s (%.2f s); topic %s holds %,d records%s%n", c.label(), r.events(), r.emitRate(),
                    r.emitSeconds(), r.endRate(), r.endSeconds(), c.topic(), inTopic, exact ? " (exact)"
                            : " -- MISMATCH");
            if (!exact) {
                throw new IllegalStateException("topic " + c.topic() + " holds " + inTopic + " records, "
                        + c.records().size() + " were emitted");
            }
            if (!c.label().startsWith("warm-up")) {
                eventRows.add(new String[] {"Kafka", c.label(), String.format(Locale.ROOT, "%,d", r.events()),
                        String.format(Locale.ROOT, "%,.0f", r.emitRate()),
                        String.format(Locale.ROOT, "%,.0f", r.endRate()),
                        c.sync() ? "(none)" : (r.endRate() >= KAFKA_GOAL ? "≥ 20,000: met" : "≥ 20,000: NOT met")});
            }
        }
    }

    /**
     * The Kafka client alone, with the sink's producer settings (idempotent, acks=all, linger.ms=5, batch.size=65536,
     * 5 in flight), no spool: every record sent asynchronously, then flush. Returns {send seconds, end seconds}.
     */
    private double[] rawProducer(String topic, List<AuditRecord> records) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", broker.bootstrapServers());
        p.setProperty("enable.idempotence", "true");
        p.setProperty("acks", "all");
        p.setProperty("linger.ms", "5");
        p.setProperty("batch.size", "65536");
        p.setProperty("max.in.flight.requests.per.connection", "5");
        p.setProperty("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        p.setProperty("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.partitionsFor(topic); // metadata before the clock starts
            long t0 = System.nanoTime();
            for (AuditRecord r : records) {
                producer.send(new ProducerRecord<>(topic, null, r.time().toEpochMilli(),
                        r.key().getBytes(StandardCharsets.UTF_8), r.payload()));
            }
            long sent = System.nanoTime();
            producer.flush();
            long end = System.nanoTime();
            return new double[] {(sent - t0) / 1e9, (end - t0) / 1e9};
        }
    }

    /** A sink that holds every record at once: what the spool and its delivery thread cost alone. */
    static final class NoOpSink implements AuditSink {
        private volatile long confirmed;

        @Override
        public String name() {
            return "none";
        }

        @Override
        public void send(List<SpooledRecord> batch) {
            confirmed = batch.get(batch.size() - 1).sequence();
        }

        @Override
        public long confirmed() {
            return confirmed;
        }

        @Override
        public void close() {
        }
    }

    /** Records in {@code topic}: the sum over its partitions of the latest minus the earliest offset. */
    private long topicCount(String topic) throws Exception {
        try (Admin admin = broker.admin()) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic);
            List<TopicPartition> parts = d.partitions().stream().map(pi -> new TopicPartition(topic, pi.partition()))
                    .toList();
            var latest = admin.listOffsets(parts.stream().collect(Collectors.toMap(Function.identity(),
                    tp -> OffsetSpec.latest()))).all().get(30, TimeUnit.SECONDS);
            var earliest = admin.listOffsets(parts.stream().collect(Collectors.toMap(Function.identity(),
                    tp -> OffsetSpec.earliest()))).all().get(30, TimeUnit.SECONDS);
            long n = 0;
            for (TopicPartition tp : parts) {
                n += latest.get(tp).offset() - earliest.get(tp).offset();
            }
            return n;
        }
    }

    private SyslogSink syslogSink() {
        TlsSettings tls = TlsSettings.builder().trustedCertificates(pki.ca.certPem())
                .certificate(pki.auditClient.certPem()).privateKey(pki.auditClient.keyPem()).build();
        return new SyslogSink(SyslogOptions.builder().protocol(SyslogProtocol.TLS).host("127.0.0.1")
                .port(rsyslog.port()).tls(tls).build());
    }

    private void syslogRuns() throws Exception {
        System.out.println();
        System.out.println("## 2. syslog-TLS: AuditTrail -> SyslogSink (RFC 5425, mutual TLS) -> rsyslogd -> file");
        List<AuditRecord> all = records(Math.max(SYSLOG_EVENTS, WARMUP_EVENTS));
        record Case(String label, int threads, boolean sync, List<AuditRecord> records) {
        }
        List<Case> cases = List.of(
                new Case("warm-up (not counted)", 2, false, all.subList(0, WARMUP_EVENTS)),
                new Case("sync=false, 1 thread", 1, false, all.subList(0, SYSLOG_EVENTS)),
                new Case("sync=false, 2 threads", 2, false, all.subList(0, SYSLOG_EVENTS)),
                new Case("sync=true, 2 threads", 2, true, all.subList(0, Math.min(SYNC_EVENTS, all.size()))));
        LineCounter lines = new LineCounter(rsyslog.headerFile());
        for (Case c : cases) {
            if (c.records().isEmpty()) {
                continue;
            }
            long before = lines.count();
            long target = before + c.records().size();
            TrailRun r = trailRun("syslog " + c.label(), syslogSink(), c.records(), c.threads(), c.sync(),
                    timeout -> lines.await(target, timeout));
            Thread.sleep(300); // anything beyond the target (a duplicate) would show now
            long got = lines.count() - before;
            boolean exact = got == c.records().size();
            System.out.printf(Locale.ROOT, "%-27s %,8d events: emit %,9.0f events/s (%.2f s), end to end %,9.0f "
                    + "events/s (%.2f s); rsyslog wrote %,d messages%s%n", c.label(), r.events(), r.emitRate(),
                    r.emitSeconds(), r.endRate(), r.endSeconds(), got, exact ? " (exact)" : " -- MISMATCH");
            if (got < c.records().size()) {
                throw new IllegalStateException("rsyslog wrote " + got + " messages, " + c.records().size()
                        + " were emitted");
            }
            if (!c.label().startsWith("warm-up")) {
                eventRows.add(new String[] {"syslog-TLS", c.label(), String.format(Locale.ROOT, "%,d", r.events()),
                        String.format(Locale.ROOT, "%,.0f", r.emitRate()),
                        String.format(Locale.ROOT, "%,.0f", r.endRate()), "(none)"});
            }
        }
        // rsyslog's file is large by now: start the C-STORE phase's count afresh
    }

    /** Counts the lines of a file that only grows, reading only what was appended since the last call. */
    static final class LineCounter {
        private final Path file;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        private long position;
        private long lines;

        LineCounter(Path file) {
            this.file = file;
        }

        synchronized long count() throws IOException {
            if (!Files.exists(file)) {
                return 0;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                while (true) {
                    buf.clear();
                    int n = ch.read(buf, position);
                    if (n <= 0) {
                        break;
                    }
                    position += n;
                    for (int i = 0; i < n; i++) {
                        if (buf.get(i) == '\n') {
                            lines++;
                        }
                    }
                }
            }
            return lines;
        }

        void await(long target, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count() < target) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("rsyslog wrote " + count() + " of " + target + " lines in "
                            + timeout);
                }
                Thread.sleep(5);
            }
        }
    }

    // ------------------------------------------------------------------ C-STORE

    /** What the route saw of one association: first and last arrival. */
    static final class Arrivals {
        final AtomicLong count = new AtomicLong();
        final AtomicLong first = new AtomicLong();
        final AtomicLong last = new AtomicLong();

        void arrived() {
            long now = System.nanoTime();
            if (count.getAndIncrement() == 0) {
                first.set(now);
            }
            last.set(now);
        }

        void reset() {
            count.set(0);
        }
    }

    private void cstoreRuns() throws Exception {
        System.out.println();
        System.out.println("## 3. C-STORE: storescu -> dicomtls route (discards), without and with automatic auditing");
        Path in = Files.createDirectories(work.resolve("files"));
        List<Path> files = writeFiles(in, FILES);
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf(Locale.ROOT, "%d files, %,d bytes (%,d each), one study, one patient%n", files.size(),
                bytes, bytes / files.size());

        Arrivals arrivals = new Arrivals();
        int[] ports = {freePort(), freePort(), freePort(), freePort()};
        String tlsKeys = "certificate=" + pki.server.certPem() + "&privateKey=" + pki.server.keyPem()
                + "&trustedCertificates=" + pki.ca.certPem();
        String common = "&maxPduLength=" + PDU + "&deleteReceivedFiles=true";
        Function<Integer, String> plainUri = port -> "dicomtls:" + GATEWAY + "@127.0.0.1:" + port
                + "?tlsProfile=NONE" + common;
        Function<Integer, String> tlsUri = port -> "dicomtls:" + GATEWAY + "@127.0.0.1:" + port
                + "?tlsProfile=BCP195_RFC8996&" + tlsKeys + common;

        CamelContext plain = context("bench-no-audit", null, plainUri.apply(ports[0]), tlsUri.apply(ports[1]),
                arrivals);
        String kafkaTopic = "bench-cstore";
        broker.createTopic(kafkaTopic, 1, Map.of());
        LineCounter lines = new LineCounter(rsyslog.headerFile());
        long syslogBefore = lines.count();
        DicomAuditComponent audit = new DicomAuditComponent();
        audit.setSyslogHost("127.0.0.1");
        audit.setSyslogPort(rsyslog.port());
        audit.setSyslogProtocol("TLS");
        audit.setSyslogCertificate(pki.auditClient.certPem().toString());
        audit.setSyslogPrivateKey(pki.auditClient.keyPem().toString());
        audit.setSyslogTrustedCertificates(pki.ca.certPem().toString());
        audit.setKafkaBootstrapServers(broker.bootstrapServers());
        audit.setKafkaTopic(kafkaTopic);
        Path spool = work.resolve("cstore-spool");
        audit.setSpoolDirectory(spool.toString());
        audit.setAutoAudit(true);
        audit.setAuditSourceId("bench-gateway");
        if (CONTROL) {
            System.out.println("CONTROL RUN: the \"audited\" context has no dicomaudit component (A/A comparison)");
            notes.add("CONTROL RUN: both contexts without the dicomaudit component");
        }
        CamelContext audited = context("bench-audit", CONTROL ? null : audit, plainUri.apply(ports[2]),
                tlsUri.apply(ports[3]), arrivals);
        try {
            record Target(String transport, boolean tls, int plainPort, int auditPort) {
            }
            List<Target> targets = List.of(new Target("plain TCP", false, ports[0], ports[2]),
                    new Target("TLS (BCP195_RFC8996 / --profile-bcp195-nd)", true, ports[1], ports[3]));
            for (Target t : targets) {
                for (int w = 0; w < WARMUP_ASSOCIATIONS; w++) {
                    storescu(t.plainPort(), t.tls(), files, arrivals, "warm-up");
                    storescu(t.auditPort(), t.tls(), files, arrivals, "warm-up");
                }
            }
            // the event runs left ~1 GB of garbage (records, Kafka buffers): collect it now, not during a timed run
            System.gc();
            for (Target t : targets) {
                List<double[]> plainRuns = new ArrayList<>();
                List<double[]> auditRuns = new ArrayList<>();
                List<double[]> pairRatios = new ArrayList<>();
                StringBuilder order = new StringBuilder();
                for (int rep = 0; rep < REPS; rep++) {
                    boolean auditFirst = rep % 2 == 1;
                    double[][] pair = new double[2][];
                    for (int k = 0; k < 2; k++) {
                        boolean a = (k == 0) == auditFirst;
                        double[] r = storescu(a ? t.auditPort() : t.plainPort(), t.tls(), files, arrivals,
                                a ? "audit" : "plain");
                        double wall = bytes / r[0] / 1e6;
                        double recv = (files.size() - 1) * (double) (bytes / files.size()) / r[1] / 1e6;
                        pair[a ? 1 : 0] = new double[] {wall, recv, r[2] * 1000};
                        (a ? auditRuns : plainRuns).add(pair[a ? 1 : 0]);
                        order.append(String.format(Locale.ROOT, " %s %.0f", a ? "A" : "P", wall));
                    }
                    pairRatios.add(new double[] {pair[1][0] / pair[0][0], pair[1][1] / pair[0][1],
                            pair[1][2] / pair[0][2]});
                    order.append(" |");
                }
                double pWall = median(plainRuns, 0);
                double aWall = median(auditRuns, 0);
                double pRecv = median(plainRuns, 1);
                double aRecv = median(auditRuns, 1);
                double ratio = median(pairRatios, 0);
                double ratioRecv = median(pairRatios, 1);
                double pCpu = median(plainRuns, 2);
                double aCpu = median(auditRuns, 2);
                double ratioCpu = median(pairRatios, 2);
                double[] sorted = pairRatios.stream().mapToDouble(r -> r[0]).sorted().toArray();
                System.out.printf(Locale.ROOT, "%s: MB/s per association, pairs (P = no audit, A = audited):%s%n",
                        t.transport(), order);
                System.out.printf(Locale.ROOT, "%s: median MB/s no audit %.0f, audited %.0f; audited/no audit: "
                        + "median of the %d pairs %.3f (pairs %.3f..%.3f), ratio of the medians %.3f; at the route "
                        + "(2nd to last instance): %.0f / %.0f MB/s, median pair ratio %.3f%n", t.transport(), pWall,
                        aWall, REPS, ratio, sorted[0], sorted[sorted.length - 1], aWall / pWall, pRecv, aRecv,
                        ratioRecv);
                System.out.printf(Locale.ROOT, "%s: CPU time of this JVM per association, median: no audit %.0f ms, "
                        + "audited %.0f ms; audited/no audit, median of the pairs %.3f%n", t.transport(), pCpu, aCpu,
                        ratioCpu);
                storeRows.add(new String[] {t.transport(), String.format(Locale.ROOT, "%.0f", pWall),
                        String.format(Locale.ROOT, "%.0f", aWall),
                        String.format(Locale.ROOT, "%.3f (%.3f..%.3f)", ratio, sorted[0], sorted[sorted.length - 1]),
                        String.format(Locale.ROOT, "%.3f", aWall / pWall),
                        String.format(Locale.ROOT, "%.0f / %.0f (%.3f)", pRecv, aRecv, ratioRecv),
                        String.format(Locale.ROOT, "%.0f / %.0f (%.3f)", pCpu, aCpu, ratioCpu),
                        ratio >= CSTORE_GOAL ? "≥ 0.95: met" : "≥ 0.95: NOT met"});
            }
        } finally {
            plain.close();
            audited.close(); // graceful: drains the sinks, emits Application Stop
        }
        // what automatic auditing produced, as the two receivers hold it
        long syslogGot = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long kafkaGot = topicCount(kafkaTopic);
        while (System.nanoTime() < deadline) {
            syslogGot = lines.count() - syslogBefore;
            if (syslogGot >= kafkaGot) {
                break;
            }
            Thread.sleep(50);
        }
        int audits = REPS * 2 + WARMUP_ASSOCIATIONS * 2;
        String n = String.format(Locale.ROOT, "automatic auditing during the C-STORE runs (%d audited associations of "
                + "%d instances): %,d messages reached Kafka, %,d reached rsyslog", audits, files.size(), kafkaGot,
                syslogGot);
        System.out.println(n);
        notes.add(n);
        if (!CONTROL && (kafkaGot == 0 || syslogGot == 0)) {
            throw new IllegalStateException("automatic auditing delivered nothing: " + n);
        }
        deleteTree(spool);
        deleteTree(in);
    }

    private static CamelContext context(String name, DicomAuditComponent audit, String plainUri, String tlsUri,
            Arrivals arrivals) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        ctx.getCamelContextExtension().setName(name);
        if (audit != null) {
            ctx.addComponent("dicomaudit", audit);
        }
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(plainUri).routeId(name + "-plain").process(e -> arrivals.arrived());
                from(tlsUri).routeId(name + "-tls").process(e -> arrivals.arrived());
            }
        });
        ctx.start();
        return ctx;
    }

    /** One storescu association of all files; returns {wall seconds, route seconds from 1st to last arrival}. */
    private double[] storescu(int port, boolean tls, List<Path> files, Arrivals arrivals, String label)
            throws Exception {
        List<String> options = new ArrayList<>(List.of("-aec", GATEWAY, "-pdu", Integer.toString(PDU)));
        if (tls) {
            options.addAll(List.of("+tls", pki.storescu.keyPem().toString(), pki.storescu.certPem().toString(), "+cf",
                    pki.ca.certPem().toString(), "--profile-bcp195-nd"));
        }
        arrivals.reset();
        long cpu0 = processCpuNanos();
        long t = System.nanoTime();
        Peers.Result r = peers.run("storescu-" + label, work, Peers.cmd("storescu", options, "127.0.0.1", port,
                files), 300);
        double wall = (System.nanoTime() - t) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        r.assertSuccess();
        if (!r.dcmtkWarningsAndErrors().isEmpty()) {
            throw new IllegalStateException("storescu reported problems: " + r.dcmtkWarningsAndErrors());
        }
        long got = arrivals.count.get();
        if (got != files.size()) {
            throw new IllegalStateException("the route got " + got + " of " + files.size() + " instances");
        }
        return new double[] {wall, (arrivals.last.get() - arrivals.first.get()) / 1e9, cpu};
    }

    /** CPU time of this JVM (every thread: the route, Netty, the audit trail and its sinks, GC, JIT). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<double[]> runs, int index) {
        double[] v = runs.stream().mapToDouble(r -> r[index]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** {@code n} CT images of 512 x 512 x 16 bits (512 KiB of pixel data), one study, one patient. */
    private static List<Path> writeFiles(Path dir, int n) throws IOException {
        DicomWriter writer = new DicomWriter();
        String study = uid();
        String series = uid();
        Random random = new Random(6);
        byte[] pixels = new byte[512 * 512 * 2];
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String uid = uid();
            random.nextBytes(pixels);
            for (int j = 1; j < pixels.length; j += 2) {
                pixels[j] &= 0x0F;
            }
            Dataset ds = new Dataset();
            ds.setString(Tag.SOPClassUID, VR.UI, CT_IMAGE);
            ds.setString(Tag.SOPInstanceUID, VR.UI, uid);
            ds.setString(Tag.StudyDate, VR.DA, "20240517");
            ds.setString(Tag.AccessionNumber, VR.SH, "ACC0001234");
            ds.setString(Tag.Modality, VR.CS, "CT");
            ds.setString(Tag.PatientName, VR.PN, "Bench^Audit");
            ds.setString(Tag.PatientID, VR.LO, "BENCH-0001");
            ds.setString(Tag.StudyInstanceUID, VR.UI, study);
            ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
            ds.setInt(Tag.InstanceNumber, VR.IS, i + 1);
            ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
            ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
            ds.setInt(Tag.Rows, VR.US, 512);
            ds.setInt(Tag.Columns, VR.US, 512);
            ds.setInt(Tag.BitsAllocated, VR.US, 16);
            ds.setInt(Tag.BitsStored, VR.US, 12);
            ds.setInt(Tag.HighBit, VR.US, 11);
            ds.setInt(Tag.PixelRepresentation, VR.US, 0);
            ds.setBytes(Tag.PixelData, VR.OW, pixels.clone());
            Dataset meta = new Dataset();
            meta.setBytes(Tag.FileMetaInformationGroupLength, VR.UL, new byte[4]);
            meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
            meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, CT_IMAGE);
            meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, uid);
            meta.setString(Tag.TransferSyntaxUID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
            meta.setString(Tag.ImplementationClassUID, VR.UI, ItUids.IMPLEMENTATION_CLASS_UID);
            meta.setString(Tag.ImplementationVersionName, VR.SH, ItUids.IMPLEMENTATION_VERSION_NAME);
            Path f = dir.resolve(String.format(Locale.ROOT, "ct-%03d.dcm", i));
            writer.write(new DicomFile(new byte[DicomFile.PREAMBLE_LENGTH], meta, ds,
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), f);
            out.add(f);
        }
        return out;
    }

    private static String uid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ------------------------------------------------------------------ summary

    private void summary(String load0, String load1, double seconds) throws IOException {
        System.out.println("## Summary");
        System.out.println();
        System.out.println("| sink | run | events | emit events/s | end-to-end events/s | goal |");
        System.out.println("|---|---|---:|---:|---:|---|");
        for (String[] r : eventRows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "C-STORE, %d x 512 KiB per association, median of %d, MB/s (10^6 bytes/s):%n",
                FILES, REPS);
        System.out.println();
        System.out.println("| transport | no audit | audited | audited / no audit, median of the pairs (range) | "
                + "ratio of the medians | at the route: no audit / audited (pair ratio) | JVM CPU ms per association: "
                + "no audit / audited (pair ratio) | goal |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|");
        for (String[] r : storeRows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
        System.out.println();
        for (String n : notes) {
            System.out.println("- " + n);
        }
        System.out.println();
        System.out.println("Machine: " + machine());
        System.out.printf(Locale.ROOT, "Load average: %s at the start, %s at the end; %.0f s in all%n", load0, load1,
                seconds);
    }

    static String machine() throws IOException {
        String cpu = "?";
        for (String l : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
            if (l.startsWith("model name")) {
                cpu = l.substring(l.indexOf(':') + 1).trim();
                break;
            }
        }
        String mem = "?";
        for (String l : Files.readAllLines(Paths.get("/proc/meminfo"))) {
            if (l.startsWith("MemTotal:")) {
                long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                mem = String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                break;
            }
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), " + mem + " RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static int intProp(String name, int def) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative whole number, not '" + v + "'");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ------------------------------------------------------------------ PKI

    /**
     * A throw-away PKI made with Bouncy Castle in the work folder: a CA, a server certificate for localhost and
     * 127.0.0.1 (our dicomtls consumer and rsyslogd), storescu's client certificate (CN=STORESCU) and the audit
     * client's ({@value #AUDIT_CLIENT}, the name rsyslog permits). RSA 2048, SHA-256, unencrypted PKCS#8 keys.
     */
    static final class Pki {
        static final String AUDIT_CLIENT = "audit-client.camel-dicom-secure.test";
        private static final AtomicLong SERIAL = new AtomicLong(new SecureRandom().nextInt(1 << 20) + 1000L);

        record Issued(X509Certificate cert, PrivateKey key, Path certPem, Path keyPem) {
        }

        final Path dir;
        final Issued ca;
        final Issued server;
        final Issued storescu;
        final Issued auditClient;

        Pki(Path dir) throws Exception {
            this.dir = Files.createDirectories(dir);
            Instant from = Instant.now().minus(Duration.ofDays(1));
            Instant to = Instant.now().plus(Duration.ofDays(7));
            KeyPair caKey = rsa();
            X500Principal caName = new X500Principal("CN=audit benchmark CA,O=camel-dicom-secure bench");
            X509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(from),
                    Date.from(to), caName, caKey.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKey.getPublic()));
            ca = write("ca", sign(cb, caKey.getPrivate()), caKey.getPrivate());
            server = issue("server", "CN=localhost,O=audit benchmark", List.of(
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            storescu = issue("storescu", "CN=STORESCU,O=audit benchmark", List.of());
            auditClient = issue("audit-client", "CN=" + AUDIT_CLIENT + ",O=audit benchmark",
                    List.of(new GeneralName(GeneralName.dNSName, AUDIT_CLIENT)));
        }

        private static KeyPair rsa() throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        }

        private static BigInteger serial() {
            return BigInteger.valueOf(SERIAL.incrementAndGet());
        }

        private Issued issue(String name, String dn, List<GeneralName> sans) throws Exception {
            KeyPair kp = rsa();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            Instant from = Instant.now().minus(Duration.ofDays(1));
            Instant to = Instant.now().plus(Duration.ofDays(7));
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(), serial(), Date.from(from),
                    Date.from(to), new X500Principal(dn), kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                            KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.cert()))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(new GeneralName[0])));
            }
            return write(name, sign(b, ca.key()), kp.getPrivate());
        }

        private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
        }

        private Issued write(String name, X509Certificate cert, PrivateKey key) throws IOException {
            return new Issued(cert, key, pem(dir.resolve(name + ".crt.pem"), cert),
                    pem(dir.resolve(name + ".key.pem"), new JcaPKCS8Generator(key, null)));
        }

        private static Path pem(Path file, Object o) throws IOException {
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                if (o instanceof PemObjectGenerator g) {
                    w.writeObject(g);
                } else {
                    w.writeObject(o);
                }
            }
            return Files.writeString(file, sw.toString(), StandardCharsets.US_ASCII);
        }
    }
}
