package io.twinworks.analytics.kafka;

import org.jspecify.annotations.Nullable;
import io.twinworks.core.logging.FirstThenSummaryLog;
import io.twinworks.core.ops.HealthCheck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.analytics.ditto.ProtocolEventReadings;
import io.twinworks.analytics.ditto.ThingChangeReadings;
import io.twinworks.analytics.model.Reading;
import io.twinworks.analytics.model.TwinSnapshot;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.twinworks.core.kafka.KafkaConsumerLoop;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The scale-out transport: twin events from a Ditto connection's Kafka target (Ditto Protocol JSON,
 * record key = thing ID, e.g. target address {@code twinworks.twin-events/{{ thing:id }}}), read by a
 * consumer group, so an asset's events all go to the one replica that owns its partition.
 *
 * <p>The shared {@link KafkaConsumerLoop} polls on its own thread; each record's readings are handed to the
 * analytics context in partition order, the same path the WebSocket transport feeds, and its offset is
 * committed once the context took them (the loop pauses the partitions while too many wait). When partitions
 * are revoked (a replica joined or left), the assets seen on them are handed to {@code onRevoked} so
 * that their state leaves this replica; the new owner continues each from the snapshot in its twin
 * ({@code predictions.baselines}, last health state and revision) before its first reading. A consumer that
 * fails is replaced from the committed offsets.
 */
public final class KafkaTwinEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTwinEvents.class);
    /** Timer of event age on arrival (Kafka record time, Ditto event timestamp): the service's lag. */
    public static final String EVENT_LAG_METER = "twinworks_analytics_event_lag";
    /** Gauge: records behind the end of the owned partitions after the last poll. */
    public static final String CONSUMER_LAG_METER = "twinworks_analytics_kafka_consumer_lag_records";

    private final Context context;
    private final Properties consumerConfig;
    private final String topic;
    private final java.util.function.Supplier<ThingChangeReadings> extractor;
    private final java.util.function.Consumer<List<Reading>> onReadings;
    private final java.util.function.Consumer<Collection<String>> onRevoked;
    private final SnapshotSource snapshots;
    private final java.util.function.BiConsumer<String, TwinSnapshot> onRestored;
    private final Counter restoreFailures;
    private final Counter eventsReceived;
    private final Counter eventsRefused;
    private final Counter rebalances;
    private final io.micrometer.core.instrument.Timer lag;
    private final java.util.concurrent.atomic.AtomicLong consumerLag = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Set<TopicPartition> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Read by the readiness check (any thread); written by the poll thread after each poll. */
    private volatile boolean joinedGroup;
    private volatile long lastPollMillis;
    private volatile int brokerConnections;
    private org.apache.kafka.common.@Nullable Metric connectionCountMetric;
    /** The consumer {@link #connectionCountMetric} belongs to (a failed consumer is replaced). */
    private @Nullable Consumer<String, String> connectionCountOf;
    /** A poll loop silent this long is stuck (polls return every 200 ms). */
    private static final long POLL_SILENCE_LIMIT_MILLIS = 30_000;
    /** Poll thread only: the partition each asset's events came from, to hand assets over with their partitions. */
    private final Map<String, TopicPartition> partitionOfThing = new HashMap<>();
    private final KafkaConsumerLoop<String, String> loop;
    /** Poll thread only: the mapping of event text to readings, shared with the WebSocket transport. */
    private final ProtocolEventReadings events = new ProtocolEventReadings();
    /** Refused records: the first of each kind logged in full, then a summary every 10 s (checked per poll). */
    private final FirstThenSummaryLog refusals = new FirstThenSummaryLog(java.util.concurrent.TimeUnit.SECONDS.toNanos(10),
            System::nanoTime, (seconds, counts) -> LOG.warn("refused {} more record(s) in the last {} s (the first of each"
            + " kind was logged before): {}", FirstThenSummaryLog.total(counts), seconds, counts));

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param groupId          the consumer group all replicas share
     * @param topic            the Ditto connection target's topic
     * @param extractor        the current monitored-signal extractor (changes when a RUL model is reloaded)
     * @param onReadings       receives each event's readings on {@code context}
     * @param onRevoked        receives, on {@code context}, the thing IDs whose partitions left this replica
     * @param snapshots        reads an asset's hand-over snapshot from its twin (blocking, on the poll thread)
     * @param onRestored       receives, on {@code context} and before the asset's first readings here, its snapshot
     */
    public KafkaTwinEvents(Context context, String bootstrapServers, String groupId, String topic,
                           java.util.function.Supplier<ThingChangeReadings> extractor, java.util.function.Consumer<List<Reading>> onReadings,
                           java.util.function.Consumer<Collection<String>> onRevoked, SnapshotSource snapshots,
                           java.util.function.BiConsumer<String, TwinSnapshot> onRestored, MeterRegistry meters) {
        this.context = Objects.requireNonNull(context, "context");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        this.onReadings = Objects.requireNonNull(onReadings, "onReadings");
        this.onRevoked = Objects.requireNonNull(onRevoked, "onRevoked");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.onRestored = Objects.requireNonNull(onRestored, "onRestored");
        this.restoreFailures = meters.counter("twinworks_analytics_restore_failures_total");
        consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // the loop commits an offset once the analytics context took the record's readings
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Cooperative rebalancing revokes only the partitions that move, so assets that stay keep their state.
        consumerConfig.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.eventsReceived = meters.counter("twinworks_analytics_kafka_events_total", "outcome", "used");
        this.eventsRefused = meters.counter("twinworks_analytics_kafka_events_total", "outcome", "refused");
        this.rebalances = meters.counter("twinworks_analytics_kafka_partitions_revoked_total");
        this.lag = io.micrometer.core.instrument.Timer.builder(EVENT_LAG_METER)
                .description("age of a twin event when the analytics service takes it").register(meters);
        io.micrometer.core.instrument.Gauge.builder(CONSUMER_LAG_METER, consumerLag, java.util.concurrent.atomic.AtomicLong::get)
                .description("records behind the end of this replica's partitions after its last poll").register(meters);
        this.loop = KafkaConsumerLoop.<String, String>builder("twinworks-analytics-kafka",
                        () -> new KafkaConsumer<>(consumerConfig), KafkaConsumerLoop.subscribe(List.of(topic)), this::take)
                .partitionListener(new KafkaConsumerLoop.PartitionListener() {
                    @Override
                    public void assigned(Collection<TopicPartition> partitions) {
                        joinedGroup = true;
                        owned.addAll(partitions);
                        LOG.info("analytics now owns {} (added {})", owned, partitions);
                    }

                    @Override
                    public void revoked(Collection<TopicPartition> partitions) {
                        handOver(partitions);
                    }
                })
                .build();
    }

    /** Starts polling; completes once the consumer has subscribed. */
    public Future<Void> start() {
        return loop.start(context);
    }

    /** One poll's records: their readings go to the analytics context in partition order. */
    private void take(KafkaConsumerLoop.Batch<String, String> batch) {
        Consumer<String, String> kafka = batch.consumer();
        lastPollMillis = System.currentTimeMillis();
        refusals.summarizeIfDue();
        brokerConnections = connectionCount(kafka);
        recordLag(kafka);
        for (ConsumerRecord<String, String> record : batch.records()) {
            List<Reading> readings = readingsOrNothing(record);
            if (!readings.isEmpty()) {
                String thingId = readings.get(0).thingId();
                if (partitionOfThing.put(thingId, new TopicPartition(record.topic(), record.partition())) == null) {
                    restore(thingId);
                }
            }
            // every record goes through the context, so that an offset is committed only after those before it
            batch.handOff(record, context, () -> {
                if (!readings.isEmpty()) {
                    onReadings.accept(readings);
                }
            });
        }
    }

    /** The record's readings; none for a record that is not a thing event (counted and logged). */
    private List<Reading> readingsOrNothing(ConsumerRecord<String, String> record) {
        Optional<ProtocolEventReadings.Event> event;
        try {
            event = events.read(record.value(), extractor.get());
        } catch (RuntimeException e) {
            // a bug in reading a valid event: loud (stack trace), but one record must not stop the group
            eventsRefused.increment();
            if (refusals.first("failed " + e.getClass().getName(), "failed")) {
                LOG.error("cannot read record {}-{}@{} (key {}) (further failures like it are only counted in a periodic"
                        + " summary)", record.topic(), record.partition(), record.offset(), record.key(), e);
            }
            return List.of();
        }
        if (event.isEmpty()) {
            eventsRefused.increment();
            if (refusals.first("refused", "not a Ditto Protocol thing event")) {
                LOG.warn("ignored record {}-{}@{} (key {}): not a Ditto Protocol thing event (further ones are only counted"
                        + " in a periodic summary)", record.topic(), record.partition(), record.offset(), record.key());
            }
            return List.of();
        }
        eventsReceived.increment();
        lag.record(Math.max(0, System.currentTimeMillis() - record.timestamp()), java.util.concurrent.TimeUnit.MILLISECONDS);
        return event.get().readings();
    }

    /**
     * Readiness: the consumer joined its group (partitions assigned, possibly none when there are more
     * replicas than partitions), its poll loop runs, and it holds a connection to a broker (the
     * consumer's own {@code connection-count} metric, read after each poll: no broker round trip).
     */
    public HealthCheck check() {
        return () -> {
            long silence = System.currentTimeMillis() - lastPollMillis;
            if (!joinedGroup) {
                return HealthCheck.Result.down("Kafka consumer of " + topic + " has not joined its group yet");
            }
            if (silence > POLL_SILENCE_LIMIT_MILLIS) {
                return HealthCheck.Result.down("Kafka consumer of " + topic + " has not polled for " + silence + " ms");
            }
            if (brokerConnections == 0) {
                return HealthCheck.Result.down("Kafka consumer of " + topic + " has no broker connection");
            }
            return HealthCheck.Result.up("Kafka consumer of " + topic + " owns " + owned.size() + " partition(s)");
        };
    }

    /** The consumer's live {@code connection-count} metric, looked up once per consumer (poll thread only). */
    private int connectionCount(Consumer<String, String> kafka) {
        if (connectionCountOf != kafka) {
            connectionCountOf = kafka;
            connectionCountMetric = null;
            for (var metric : kafka.metrics().entrySet()) {
                if ("connection-count".equals(metric.getKey().name()) && "consumer-metrics".equals(metric.getKey().group())) {
                    connectionCountMetric = metric.getValue();
                }
            }
        }
        org.apache.kafka.common.Metric connections = connectionCountMetric;
        return connections != null && connections.metricValue() instanceof Number count
                ? count.intValue() : 0;
    }

    /**
     * Consumer lag in records over the partitions this replica owns: the last fetched end offset minus
     * the position, as the consumer knows it from its fetches (no broker round trip; a partition
     * without a fetch yet counts 0).
     */
    private void recordLag(Consumer<String, String> kafka) {
        long total = 0;
        for (TopicPartition partition : kafka.assignment()) {
            java.util.OptionalLong partitionLag = kafka.currentLag(partition);
            if (partitionLag.isPresent()) {
                total += partitionLag.getAsLong();
            }
        }
        consumerLag.set(total);
    }

    /** The consumer lag in records after the last poll (the {@value #CONSUMER_LAG_METER} gauge). */
    public long consumerLag() {
        return consumerLag.get();
    }

    /**
     * An asset new to this replica (start, rebalance) continues from its twin's snapshot. Waiting
     * here keeps its readings behind the snapshot; a twin that cannot be read costs a re-learn, not
     * the readings.
     */
    private void restore(String thingId) {
        try {
            Optional<TwinSnapshot> snapshot = snapshots.load(thingId);
            snapshot.ifPresent(s -> context.runOnContext(v -> onRestored.accept(thingId, s)));
        } catch (Exception e) {
            restoreFailures.increment();
            LOG.warn("state of {} cannot be restored from its twin, it learns afresh: {}", thingId, e.toString());
        }
    }

    /** Reads an asset's hand-over snapshot from its twin; blocking. */
    @FunctionalInterface
    public interface SnapshotSource {
        Optional<TwinSnapshot> load(String thingId) throws Exception;
    }

    private void handOver(Collection<TopicPartition> partitions) {
        owned.removeAll(partitions);
        rebalances.increment(partitions.size());
        Set<TopicPartition> gone = Set.copyOf(partitions);
        List<String> things = new ArrayList<>();
        partitionOfThing.entrySet().removeIf(entry -> {
            if (gone.contains(entry.getValue())) {
                things.add(entry.getKey());
                return true;
            }
            return false;
        });
        LOG.info("analytics hands over {} (assets: {})", partitions, things.size());
        context.runOnContext(v -> onRevoked.accept(things));
    }

    /** The partitions this replica owns now. */
    public java.util.Set<TopicPartition> ownedPartitions() {
        return java.util.Set.copyOf(owned);
    }

    /** Stops polling and leaves the consumer group (its partitions move to the other replicas). Blocking. */
    @Override
    public void close() {
        loop.close();
    }
}
