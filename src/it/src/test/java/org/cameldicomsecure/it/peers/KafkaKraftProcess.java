package org.cameldicomsecure.it.peers;

import static org.cameldicomsecure.it.Peers.cmd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;
import org.cameldicomsecure.it.Peers;

/**
 * A real single-node KRaft broker (combined {@code process.roles=broker,controller}) in a child JVM, started from
 * Apache Kafka's own artifacts on the test class path ({@code org.apache.kafka:kafka_2.13}, the release of the client):
 * a cluster ID ({@code Uuid.randomUuid()}, what {@code StorageTool random-uuid} prints), {@code kafka.tools.StorageTool
 * format -t ID -c server.properties}, then {@code kafka.Kafka server.properties}, PLAINTEXT and CONTROLLER listeners
 * on two free 127.0.0.1 ports, its log directory in a new folder under {@code it.work.dir}. Ready when an admin client's
 * {@code describeCluster} answers. {@link #stop} ends the child by its PID (SIGTERM, or SIGKILL when {@code kill});
 * {@link #start()} runs it again on the same folder and ports: the data stays.
 *
 * <p>Every run (format, each start) leaves its command line and output in the test's log folder ({@link Peers}).
 */
public final class KafkaKraftProcess implements KafkaBroker {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Peers peers;
    private final Path dir;
    private final Path config;
    private final int port;
    private final int controllerPort;
    private final KafkaTlsPki tls;
    private final int tlsPort;
    private final List<String> javaCommand;
    private Peers.Daemon process;

    private KafkaKraftProcess(Peers peers, Path dir, int port, int controllerPort, KafkaTlsPki tls, int tlsPort) {
        this.peers = peers;
        this.tls = tls;
        this.tlsPort = tlsPort;
        this.dir = dir;
        this.config = dir.resolve("server.properties");
        this.port = port;
        this.controllerPort = controllerPort;
        this.javaCommand = cmd(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", System.getProperty("java.class.path"));
    }

    /** Formats a new log directory and starts the broker. */
    public static KafkaKraftProcess launch(Peers peers) throws IOException, InterruptedException {
        return launch(peers, false);
    }

    /**
     * As {@link #launch(Peers)}; with {@code tls} also an SSL listener on a third port that requires a client
     * certificate ({@code ssl.client.auth=required}), with a {@link KafkaTlsPki} made in the broker's folder.
     */
    public static KafkaKraftProcess launch(Peers peers, boolean tls) throws IOException, InterruptedException {
        Path work = Paths.get(System.getProperty("it.work.dir", "target/it-work")).toAbsolutePath();
        Files.createDirectories(work);
        Path dir = Files.createTempDirectory(work, "kafka-");
        int[] ports = freePorts(3);
        KafkaTlsPki pki;
        try {
            pki = tls ? KafkaTlsPki.create(dir.resolve("pki")) : null;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot make the Kafka TLS PKI: " + e, e);
        }
        KafkaKraftProcess k = new KafkaKraftProcess(peers, dir, ports[0], ports[1], pki, ports[2]);
        k.writeConfig();
        k.format();
        k.start();
        return k;
    }

    private void writeConfig() throws IOException {
        String ssl = tls == null ? "" : ",SSL://127.0.0.1:" + tlsPort;
        String tlsProps = tls == null ? "" : String.join("\n",
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + tls.brokerKeyStore(),
                "ssl.keystore.password=" + tls.password(),
                "ssl.key.password=" + tls.password(),
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.location=" + tls.trustStore(),
                "ssl.truststore.password=" + tls.password(),
                "ssl.client.auth=required",
                "");
        String props = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + ssl,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ssl,
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL",
                tlsProps,
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "num.network.threads=2",
                "num.io.threads=4",
                "log.segment.bytes=67108864",
                "") + "\n";
        Files.writeString(config, props);
    }

    private void format() throws IOException, InterruptedException {
        String clusterId = Uuid.randomUuid().toString();
        peers.run("kafka-storage-format", dir, cmd(javaCommand, "kafka.tools.StorageTool", "format", "-t",
                clusterId, "-c", config), 120).assertSuccess();
    }

    @Override
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the Kafka broker is running");
        }
        Peers.Daemon d = peers.start("kafka", dir, cmd(javaCommand, "kafka.Kafka", config));
        process = d;
        KafkaBroker.awaitReady(bootstrapServers(), START_TIMEOUT, d::isAlive, d::log);
    }

    @Override
    public synchronized void stop(boolean kill) throws InterruptedException {
        Peers.Daemon d = process;
        if (d == null || !d.isAlive()) {
            return;
        }
        ProcessHandle h = ProcessHandle.of(d.pid()).orElse(null);
        if (h != null) {
            if (kill) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e2) {
                    throw new AssertionError("the Kafka broker (pid " + d.pid() + ") did not stop", e2);
                }
            }
        }
    }

    @Override
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    @Override
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private synchronized void signal(String name) throws IOException, InterruptedException {
        Peers.Daemon d = process;
        if (d == null || !d.isAlive()) {
            throw new IllegalStateException("the Kafka broker is not running");
        }
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(d.pid())).redirectErrorStream(true)
                .start();
        String out = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + d.pid() + " failed: " + out.strip());
        }
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:port} of the SSL listener (mutual TLS), when launched with TLS. */
    public String tlsBootstrapServers() {
        if (tls == null) {
            throw new IllegalStateException("the broker was launched without TLS");
        }
        return "127.0.0.1:" + tlsPort;
    }

    /** The PKI of the SSL listener, when launched with TLS. */
    public KafkaTlsPki tlsPki() {
        return tls;
    }

    /** The broker's folder: server.properties and data/. */
    public Path dir() {
        return dir;
    }

    @Override
    public String log() {
        Peers.Daemon d = process;
        return d == null ? "(not started)" : d.log();
    }

    @Override
    public String kind() {
        return "kraft-process";
    }

    @Override
    public void close() {
        try {
            stop(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Peers.Daemon d = process;
            if (d != null) {
                d.close();
            }
        }
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }

    @Override
    public String toString() {
        Peers.Daemon d = process;
        return "KRaft broker " + bootstrapServers() + (d == null ? "" : " (pid " + d.pid() + ")") + " in " + dir;
    }
}
