package org.cameldicomsecure.it.peers;

import java.time.Duration;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Kafka broker of the ITs where a Docker engine answers: Testcontainers' {@link KafkaContainer} with the
 * {@code apache/kafka} image of the client's release (a single-node KRaft broker). An outage is a paused container
 * ({@code docker pause}: the broker stops answering, its data and its mapped port stay, which a stopped container's
 * random host port would not), {@link #start()} unpauses it.
 *
 * <p>Not exercised on this project's CI machines, which have no Docker engine ({@link KafkaKraftProcess} runs there).
 */
public final class KafkaTestcontainer implements KafkaBroker {

    /** The broker release of the Kafka client the project uses. */
    public static final String IMAGE = "apache/kafka:" + org.apache.kafka.common.utils.AppInfoParser.getVersion();

    private final KafkaContainer container;
    private boolean paused;

    private KafkaTestcontainer(KafkaContainer container) {
        this.container = container;
    }

    /** Whether Testcontainers finds a Docker engine (false also when Testcontainers is not on the class path). */
    public static boolean dockerAvailable() {
        if (!dockerHinted()) {
            return false; // spares the machines without Docker Testcontainers' search and its error log
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    /** Whether anything points at a Docker engine: DOCKER_HOST, a known socket, a Testcontainers configuration. */
    private static boolean dockerHinted() {
        if (System.getenv("DOCKER_HOST") != null) {
            return true;
        }
        String home = System.getProperty("user.home", "");
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        java.util.List<java.nio.file.Path> hints = new java.util.ArrayList<>(java.util.List.of(
                java.nio.file.Paths.get("/var/run/docker.sock"), java.nio.file.Paths.get(home, ".docker", "run",
                        "docker.sock"), java.nio.file.Paths.get(home, ".testcontainers.properties")));
        if (runtime != null) {
            hints.add(java.nio.file.Paths.get(runtime, "docker.sock"));
        }
        return hints.stream().anyMatch(java.nio.file.Files::exists);
    }

    public static KafkaTestcontainer launch() {
        KafkaContainer c = new KafkaContainer(DockerImageName.parse(IMAGE))
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "1")
                .withStartupTimeout(Duration.ofMinutes(2));
        c.start();
        return new KafkaTestcontainer(c);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers().replaceFirst("^PLAINTEXT://", "");
    }

    @Override
    public synchronized void stop(boolean kill) {
        if (!paused) {
            container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
            paused = true;
        }
    }

    @Override
    public synchronized void start() throws InterruptedException {
        if (paused) {
            container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
            paused = false;
        }
        KafkaBroker.awaitReady(bootstrapServers(), Duration.ofSeconds(60), container::isRunning, this::log);
    }

    @Override
    public synchronized void freeze() {
        if (!paused) {
            container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
            paused = true;
        }
    }

    @Override
    public synchronized void thaw() {
        if (paused) {
            container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
            paused = false;
        }
    }

    @Override
    public String log() {
        return container.getLogs();
    }

    @Override
    public String kind() {
        return "testcontainers";
    }

    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return "Kafka container " + IMAGE + " at " + bootstrapServers();
    }
}
