package io.twinworks.localstack.hono.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the command topics {@code hono.command.<tenant>} of all tenants with a plain
 * {@link KafkaConsumer} on its own thread and hands each record to a handler on the Vert.x context
 * that {@link #start()} was called on.
 *
 * <p>Commands are delivered only to devices connected now, so the consumer starts at the end of every
 * command topic that exists when it starts. Topics are matched by pattern and assigned directly (no
 * consumer group, no rebalancing: one MQTT endpoint consumes all commands, and a rebalance would
 * reset positions). A command topic created later (by the first command of a new tenant) is read
 * from its beginning, since everything in it was written after the endpoint started: otherwise the
 * first command of a tenant would be lost.
 *
 * <p>The same reading suits the other side of Command &amp; Control: an application (Ditto's Hono connection)
 * reads the {@code hono.command_response.<tenant>} topics this way, since only responses to commands it
 * sent after it started can concern it.
 */
public final class CommandConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final long TOPIC_SCAN_INTERVAL_MILLIS = 500;

    private final Vertx vertx;
    private final String bootstrapServers;
    private final Pattern topicPattern;
    private final String clientId;
    private final Handler<ConsumerRecord<String, byte[]>> recordHandler;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread pollThread;

    /**
     * @param vertx            the Vert.x instance
     * @param bootstrapServers Kafka's {@code host:port} list
     * @param recordHandler    receives each command record on the context {@link #start()} ran on
     */
    public CommandConsumer(Vertx vertx, String bootstrapServers, Handler<ConsumerRecord<String, byte[]>> recordHandler) {
        this(vertx, bootstrapServers, HonoTopic.ALL_COMMAND_TOPICS, "twinworks-hono-mqtt-commands", recordHandler);
    }

    /**
     * Reads the topics matching {@code topics} (e.g. {@code hono\.command_response\..+}) the same way.
     *
     * @param clientId the Kafka client ID (for the broker's logs and quotas)
     */
    public CommandConsumer(Vertx vertx, String bootstrapServers, Pattern topics, String clientId,
                           Handler<ConsumerRecord<String, byte[]>> recordHandler) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.topicPattern = Objects.requireNonNull(topics, "topics");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.recordHandler = Objects.requireNonNull(recordHandler, "recordHandler");
    }

    /**
     * Starts the poll thread; completes once the consumer sits at the end of the command topics that
     * exist now (so a command written after this completes is delivered).
     */
    public synchronized Future<Void> start() {
        if (running) {
            return Future.succeededFuture();
        }
        Context context = vertx.getOrCreateContext();
        Promise<Void> ready = Promise.promise();
        running = true;
        pollThread = new Thread(() -> pollLoop(context, ready), "twinworks-kafka-" + clientId);
        pollThread.setDaemon(true);
        pollThread.start();
        return ready.future();
    }

    private void pollLoop(Context context, Promise<Void> ready) {
        Set<String> assignedTopics = new HashSet<>();
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = kafka;
            assignNewCommandTopics(kafka, assignedTopics, true);
            context.runOnContext(v -> ready.tryComplete());
            long nextScan = System.currentTimeMillis() + TOPIC_SCAN_INTERVAL_MILLIS;
            while (running) {
                if (System.currentTimeMillis() >= nextScan) {
                    assignNewCommandTopics(kafka, assignedTopics, false);
                    nextScan = System.currentTimeMillis() + TOPIC_SCAN_INTERVAL_MILLIS;
                }
                if (assignedTopics.isEmpty()) {
                    sleepQuietly(POLL_TIMEOUT.toMillis());
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : kafka.poll(POLL_TIMEOUT)) {
                    context.runOnContext(v -> recordHandler.handle(record));
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("{} stopped: records of {} are no longer read", clientId, topicPattern, e);
            }
            context.runOnContext(v -> ready.tryFail(e));
        } finally {
            consumer = null;
        }
    }

    private void assignNewCommandTopics(KafkaConsumer<String, byte[]> kafka, Set<String> assignedTopics,
                                        boolean initial) {
        Map<String, List<PartitionInfo>> topics;
        try {
            topics = kafka.listTopics(Duration.ofSeconds(initial ? 10 : 2));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            if (initial) {
                throw e;
            }
            LOG.debug("cannot list Kafka topics now: {}", e.toString());
            return;
        }
        List<TopicPartition> newPartitions = topics.entrySet().stream()
                .filter(entry -> topicPattern.matcher(entry.getKey()).matches())
                .filter(entry -> !assignedTopics.contains(entry.getKey()))
                .flatMap(entry -> entry.getValue().stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())))
                .toList();
        if (newPartitions.isEmpty()) {
            return;
        }
        Set<TopicPartition> assignment = new HashSet<>(kafka.assignment());
        assignment.addAll(newPartitions);
        kafka.assign(assignment);
        if (initial) {
            kafka.seekToEnd(newPartitions);
        } else {
            kafka.seekToBeginning(newPartitions);
        }
        // resolve the lazy seeks now, so that "ready" means "positioned"
        newPartitions.forEach(kafka::position);
        Set<String> newTopics = newPartitions.stream().map(TopicPartition::topic).collect(Collectors.toSet());
        assignedTopics.addAll(newTopics);
        LOG.info("{}: reading {} ({})", clientId, newTopics, initial ? "from their end" : "new topics, from their beginning");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling and closes the consumer; waits up to 5 s for the poll thread. Blocking. */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            running = false;
            thread = pollThread;
        }
        KafkaConsumer<String, byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
