package io.twinworks.localstack.hono.kafka;

import io.twinworks.core.kafka.KafkaConsumerLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
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
 * Reads the command topics {@code hono.command.<tenant>} of all tenants with the shared
 * {@link KafkaConsumerLoop} and hands each record to a handler on the Vert.x context that {@link #start()}
 * was called on (back-pressure: the loop pauses the topics while too many records wait for that context).
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
    private final KafkaConsumerLoop<String, byte[]> loop;
    /** The context {@link #start()} ran on, where records are handed. */
    private volatile @Nullable Context context;

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
        this.loop = KafkaConsumerLoop.<String, byte[]>builder("twinworks-kafka-" + clientId, this::newConsumer,
                        new CommandTopics(), this::handOff)
                .pollTimeout(POLL_TIMEOUT)
                .stopTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * Starts the poll thread; completes once the consumer sits at the end of the command topics that
     * exist now (so a command written after this completes is delivered).
     */
    public Future<Void> start() {
        Context current = vertx.getOrCreateContext();
        context = current;
        return loop.start(current);
    }

    private void handOff(KafkaConsumerLoop.Batch<String, byte[]> batch) {
        Context target = Objects.requireNonNull(context, "started");
        batch.records().forEach(record -> batch.handOff(record, target, () -> recordHandler.handle(record)));
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Direct assignment of the matching topics (no group): those that exist when a consumer opens are read
     * from their end, those found by the scan before a later poll from their beginning.
     */
    private final class CommandTopics implements KafkaConsumerLoop.Topics<String, byte[]> {

        private final Set<String> assignedTopics = new HashSet<>();
        private long nextScan;

        @Override
        public void open(Consumer<String, byte[]> consumer, ConsumerRebalanceListener rebalance) {
            assignedTopics.clear();
            assignNewCommandTopics(consumer, true);
            nextScan = System.currentTimeMillis() + TOPIC_SCAN_INTERVAL_MILLIS;
        }

        @Override
        public boolean beforePoll(Consumer<String, byte[]> consumer) {
            if (System.currentTimeMillis() >= nextScan) {
                assignNewCommandTopics(consumer, false);
                nextScan = System.currentTimeMillis() + TOPIC_SCAN_INTERVAL_MILLIS;
            }
            return !assignedTopics.isEmpty();
        }

        @Override
        public boolean commitsOffsets() {
            return false;
        }

        private void assignNewCommandTopics(Consumer<String, byte[]> kafka, boolean initial) {
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
            LOG.info("{}: reading {} ({})", clientId, newTopics,
                    initial ? "from their end" : "new topics, from their beginning");
        }
    }

    /** Stops polling and closes the consumer; waits up to 5 s for the poll thread. Blocking. */
    @Override
    public void close() {
        loop.close();
    }
}
