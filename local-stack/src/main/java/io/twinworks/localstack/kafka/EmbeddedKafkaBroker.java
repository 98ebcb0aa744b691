package io.twinworks.localstack.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running inside this JVM,
 * with its log under a data directory so that records survive a restart — the Hono northbound of
 * the local stack.
 *
 * <p>Real Hono deployments use an external Kafka cluster; only {@link #bootstrapServers()} differs
 * for the clients, which is why nothing else in Twinworks knows this class.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Heap for the log cleaner's offset map (Kafka's default is 128 MiB); see {@code brokerProperties}. */
    static final long CLEANER_DEDUPE_BUFFER_BYTES = 16L * 1024 * 1024;

    private final Path dataDir;
    private final String host;
    private final int requestedPort;
    private final Map<String, Object> overrides;
    private KafkaRaftServer server;
    private int port;

    /**
     * @param dataDir directory for the broker's log and metadata (created if missing)
     * @param host    the address the client listener binds to and advertises
     * @param port    the client port; 0 picks a free one
     */
    public EmbeddedKafkaBroker(Path dataDir, String host, int port) {
        this(dataDir, host, port, Map.of());
    }

    /**
     * As {@link #EmbeddedKafkaBroker(Path, String, int)} with broker properties set over the defaults (e.g. to
     * measure a setting against them).
     */
    public EmbeddedKafkaBroker(Path dataDir, String host, int port, Map<String, ?> overrides) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        this.host = Objects.requireNonNull(host, "host");
        this.requestedPort = port;
        this.overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
    }

    /**
     * Formats the storage on first use, then starts the broker and returns once it accepts clients.
     * Blocking: call it from a worker thread or before Vert.x starts.
     */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            port = requestedPort == 0 ? freePort() : requestedPort;
            int controllerPort = freePort();
            while (controllerPort == port) {
                // a requested port is not bound yet, so the OS may hand out the same number: two listeners on one
                // port make Kafka refuse to start
                controllerPort = freePort();
            }
            Map<String, Object> props = brokerProperties(controllerPort);
            KafkaConfig config = KafkaConfig.fromProps(toProperties(props), false);
            formatIfNeeded(controllerPort);
            long started = System.nanoTime();
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            LOG.info("Kafka broker listening on {} (data in {}, started in {} ms)",
                    bootstrapServers(), dataDir, (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data directory " + dataDir, e);
        }
    }

    /** {@code host:port} for Kafka clients. */
    public String bootstrapServers() {
        if (server == null) {
            throw new IllegalStateException("broker not started");
        }
        return host + ":" + port;
    }

    /** The client port actually bound. */
    public int port() {
        return port;
    }

    /** Stops the broker and waits for it to finish; the data directory is kept. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            LOG.info("Kafka broker stopped");
        }
    }

    private Map<String, Object> brokerProperties(int controllerPort) {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", NODE_ID);
        props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir().toString());
        props.put("metadata.log.dir", logDir().toString());
        // One node: internal topics cannot have more replicas than brokers.
        props.put("offsets.topic.replication.factor", (short) 1);
        props.put("transaction.state.log.replication.factor", (short) 1);
        props.put("transaction.state.log.min.isr", 1);
        props.put("share.coordinator.state.topic.replication.factor", (short) 1);
        props.put("share.coordinator.state.topic.min.isr", 1);
        props.put("offsets.topic.num.partitions", 4);
        props.put("num.partitions", 4);
        // Hono's topics are created on first use, as with a default-configured cluster.
        props.put("auto.create.topics.enable", true);
        props.put("group.initial.rebalance.delay.ms", 0);
        // Keep a week of data but cap the disk use of a development machine.
        props.put("log.retention.hours", 168);
        props.put("log.retention.bytes", 1024L * 1024 * 1024);
        props.put("log.segment.bytes", 64 * 1024 * 1024);
        // A one-node development broker serves a handful of clients (the northbound producer, a few consumers):
        // Kafka's server defaults (8 request handler and 3 network threads per listener) only add thread
        // hand-offs on a small machine. Measured with KafkaPathCpuHarness on 2 cores: broker CPU per 1,000 records
        // -15 to -20 % with 2 handlers and 1 network thread, the same requests served.
        props.put("num.io.threads", Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors())));
        props.put("num.network.threads", 1);
        // The log cleaner (compaction of __consumer_offsets) allocates its whole dedupe buffer on the heap at start:
        // Kafka's default, 128 MiB, was the largest single object in a soak's heap dump. 16 MiB still maps about
        // 600,000 distinct keys per cleaning pass; a development broker's compacted topics hold a few hundred.
        props.put("log.cleaner.dedupe.buffer.size", CLEANER_DEDUPE_BUFFER_BYTES);
        props.putAll(overrides);
        return props;
    }

    private void formatIfNeeded(int controllerPort) {
        if (Files.exists(logDir().resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    // Formatting happens once per data directory, which then keeps its cluster ID for good.
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir().toString())
                    .addDirectory(logDir().toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
            LOG.info("formatted Kafka storage in {} (controller port {})", logDir(), controllerPort);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + logDir(), e);
        }
    }

    private Path logDir() {
        return dataDir.resolve("kraft-logs");
    }

    private static Properties toProperties(Map<String, Object> map) {
        Properties properties = new Properties();
        map.forEach((key, value) -> properties.put(key, String.valueOf(value)));
        return properties;
    }

    private int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        }
    }
}
