package org.cameldicomsecure.it.peers;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.cameldicomsecure.it.Peers;

/**
 * A real single-node Apache Kafka broker for the Kafka ITs, the same test code wherever they run:
 * <ul>
 * <li>where a Docker engine answers ({@code DockerClientFactory.isDockerAvailable()}), Testcontainers' Kafka module
 *     with the {@code apache/kafka} image of the client's release ({@link KafkaTestcontainer});</li>
 * <li>otherwise (as on this project's CI machines) a KRaft broker in a child JVM started from Apache Kafka's own
 *     Maven artifacts ({@code org.apache.kafka:kafka_2.13}, {@code kafka.Kafka server.properties},
 *     {@link KafkaKraftProcess}).</li>
 * </ul>
 * System property {@code it.kafka.broker} = {@code kraft} or {@code docker} forces one (default {@code auto}).
 *
 * <p>{@link #stop()} makes the broker unreachable (the child process is ended by its PID; the container is paused) and
 * {@link #start()} brings it back with the same data and the same address, for outage tests.
 */
public interface KafkaBroker extends AutoCloseable {

    /** {@code host:port} for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** The broker goes away (gracefully, or at once when {@code kill}), keeping its data. */
    void stop(boolean kill) throws IOException, InterruptedException;

    /** The broker comes back after {@link #stop}, same address, same data; returns when it answers. */
    void start() throws IOException, InterruptedException;

    /**
     * The broker stops answering but keeps its sockets open (its clients' requests wait, unanswered), until
     * {@link #thaw()}: the process is stopped by SIGSTOP, the container paused.
     */
    void freeze() throws IOException, InterruptedException;

    /** The broker goes on after {@link #freeze()}, answering the requests that waited. */
    void thaw() throws IOException, InterruptedException;

    /** What the broker printed so far (for failure messages), or a note where that is. */
    String log();

    /** "kraft-process" or "testcontainers". */
    String kind();

    @Override
    void close();

    /** Starts a broker of the kind the machine allows (see the class comment), logs under {@code peers}. */
    static KafkaBroker start(Peers peers) throws IOException, InterruptedException {
        String choice = System.getProperty("it.kafka.broker", "auto");
        switch (choice) {
            case "kraft":
                return KafkaKraftProcess.launch(peers);
            case "docker":
                return KafkaTestcontainer.launch();
            case "auto":
                return KafkaTestcontainer.dockerAvailable() ? KafkaTestcontainer.launch() : KafkaKraftProcess.launch(peers);
            default:
                throw new IllegalArgumentException("it.kafka.broker must be auto, kraft or docker, not " + choice);
        }
    }

    /** An admin client for this broker (close it). */
    default Admin admin() {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(p);
    }

    /** Creates {@code topic} with {@code partitions} partitions (replication 1) and topic configs. */
    default void createTopic(String topic, int partitions, Map<String, String> configs)
            throws InterruptedException, ExecutionException {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ExecutionException("creating topic " + topic + " took over 30 s", e);
        }
    }

    /** Waits until the broker answers a describeCluster with one node, or fails after {@code timeout}. */
    static void awaitReady(String bootstrapServers, Duration timeout, java.util.function.BooleanSupplier alive,
            java.util.function.Supplier<String> log) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        p.setProperty(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                if (!alive.getAsBoolean()) {
                    throw new AssertionError("the Kafka broker exited while starting:\n" + tail(log.get()));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the Kafka broker at " + bootstrapServers + " did not answer within " + timeout
                + " (last: " + last + "):\n" + tail(log.get()));
    }

    /** The last 4000 characters of {@code s}. */
    static String tail(String s) {
        return s.length() <= 4000 ? s : "…" + s.substring(s.length() - 4000);
    }
}
