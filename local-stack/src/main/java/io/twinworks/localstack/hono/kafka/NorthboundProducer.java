package io.twinworks.localstack.hono.kafka;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import java.util.HashMap;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one Kafka producer of the MQTT endpoint, configured as Hono's Kafka API requires of an
 * AT LEAST ONCE producer ({@code acks=all}, idempotence on, at most 5 requests in flight), used for
 * both QoS levels so that a device's records stay in order.
 *
 * <p>{@link KafkaProducer#send} may block (while it fetches metadata of a new topic, or when its
 * buffer is full), so it is called on a dedicated single thread — never on the event loop — and the
 * outcome is handed back to the caller's Vert.x context. One thread also keeps the order in which
 * records are handed to Kafka equal to the order in which devices published them.
 *
 * <p>The producer also tracks whether Kafka is reachable: a failed write, or two failed cluster probes in
 * a row (one every 2 s, so an outage shows in readiness within seconds even when no device publishes),
 * mark it unavailable; a successful write or probe marks it available again. The MQTT endpoint refuses
 * new connections while Kafka is unavailable.
 */
public final class NorthboundProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NorthboundProducer.class);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
    private static final Duration MAX_BLOCK = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final ThreadPoolExecutor sendThread;
    private final ScheduledExecutorService probeThread;
    /** Topics created (or found) and with leaders known to the producer; confined to the send thread. */
    private final java.util.Set<String> readyTopics = new java.util.HashSet<>();
    private final Map<Context, ContextOutcomes> outcomesByContext = new java.util.concurrent.ConcurrentHashMap<>();
    /** The outcomes of the context that sent last (nearly always the MQTT endpoint's): no map look-up per record. */
    private volatile ContextOutcomes lastOutcomes;
    private volatile boolean available = true;
    private volatile boolean closed;
    /** Cluster probes failed in a row; confined to the probe thread. */
    private int failedProbes;

    /**
     * Creates the producer; it connects lazily.
     *
     * @param vertx            the Vert.x instance whose contexts receive outcomes
     * @param bootstrapServers Kafka's {@code host:port} list
     * @param maxQueuedRecords how many records may wait for the send thread before writes are refused
     *                         as "busy" (back-pressure instead of unbounded memory)
     * @param batching         how long and up to how many bytes the producer gathers records per partition
     */
    public NorthboundProducer(Vertx vertx, String bootstrapServers, int maxQueuedRecords, Batching batching) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(batching, "batching");
        this.producer = new KafkaProducer<>(Map.<String, Object>ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "twinworks-hono-mqtt-northbound"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                // a device waits for its PUBACK: the batching delay adds to it
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, batching.lingerMs()),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, batching.batchBytes()),
                // fail writes (and so refuse the PUBACK) within seconds when Kafka is gone
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis()),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000),
                Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000)),
                new StringSerializer(), new ByteArraySerializer());
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "twinworks-hono-mqtt-northbound-probe",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000));
        this.sendThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxQueuedRecords),
                runnable -> daemon(runnable, "twinworks-kafka-northbound-send"));
        this.probeThread = Executors.newSingleThreadScheduledExecutor(
                runnable -> daemon(runnable, "twinworks-kafka-northbound-probe"));
        probeThread.scheduleWithFixedDelay(this::probe,
                PROBE_INTERVAL.toMillis(), PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The producer's batching: {@code linger.ms} and {@code batch.size} (per partition).
     *
     * @param lingerMs   how long a record may wait for others to share its produce request (0 = send at once)
     * @param batchBytes the most bytes of records sent to one partition in one request
     */
    public record Batching(int lingerMs, int batchBytes) {

        /**
         * The defaults: Kafka 4's own {@code linger.ms} of 5 ms (KIP-1030) and its 16 kB. Measured against 1 ms
         * (KafkaPathCpuHarness, 5,000 records/s, load 8-15, A/B/B/A): produce requests per 1,000 records 118 -> 34,
         * fetches 66 -> 30, the Kafka path's CPU (broker, producer, consumer threads) 92 -> 44 ms per 1,000
         * records; a device's PUBACK waits up to 4 ms longer.
         */
        public static final Batching DEFAULT = new Batching(5, 16_384);

        public Batching {
            if (lingerMs < 0 || batchBytes < 0) {
                throw new IllegalArgumentException("lingerMs and batchBytes must not be negative");
            }
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Writes a record and completes once Kafka acknowledged it (all in-sync replicas), or failed.
     * Must be called on a Vert.x context; the future completes on that context.
     *
     * @return the record's metadata, or a failed future ({@link NorthboundUnavailableException} when
     *         the write queue is full or the producer is closed, the Kafka exception otherwise)
     */
    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        Objects.requireNonNull(record, "record");
        ContextOutcomes outcomes = outcomesOf(vertx.getOrCreateContext());
        Promise<RecordMetadata> promise = Promise.promise();
        if (closed) {
            return Future.failedFuture(new NorthboundUnavailableException("Kafka producer is closed"));
        }
        try {
            sendThread.execute(() -> sendOnProducerThread(record, outcomes, promise));
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(new NorthboundUnavailableException(
                    "Kafka write queue is full (" + sendThread.getQueue().size() + " records waiting)"));
        }
        return promise.future();
    }

    private void sendOnProducerThread(ProducerRecord<String, byte[]> record, ContextOutcomes outcomes,
                                      Promise<RecordMetadata> promise) {
        try {
            ensureTopicReady(record.topic());
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    available = true;
                    outcomes.add(() -> promise.complete(metadata));
                } else {
                    markUnavailable(record, error);
                    outcomes.add(() -> promise.fail(error));
                }
            });
        } catch (RuntimeException e) {
            // send() throws for metadata timeouts (max.block.ms), serialization errors, a closed producer
            markUnavailable(record, e);
            outcomes.add(() -> promise.fail(e));
        }
    }

    private ContextOutcomes outcomesOf(Context context) {
        ContextOutcomes known = lastOutcomes;
        if (known != null && known.context == context) {
            return known;
        }
        known = outcomesByContext.computeIfAbsent(context, ContextOutcomes::new);
        lastOutcomes = known;
        return known;
    }

    /**
     * The outcomes of one context's writes, handed over in batches: the producer's network thread completes a
     * whole produce response's records in one go, and one task per batch (not one per record) hands them to the
     * context, in the order they came, which is each partition's write order. Per record, the hand-over (a task
     * and, while the event loop sleeps, its wake-up) cost more event-loop CPU than completing the record.
     */
    private static final class ContextOutcomes {
        private final Context context;
        private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> waiting =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.concurrent.atomic.AtomicBoolean handOverScheduled =
                new java.util.concurrent.atomic.AtomicBoolean();

        ContextOutcomes(Context context) {
            this.context = context;
        }

        /** Queues an outcome (any thread); it runs on the context after the ones queued before it. */
        void add(Runnable outcome) {
            waiting.add(outcome);
            if (handOverScheduled.compareAndSet(false, true)) {
                context.runOnContext(v -> handOver());
            }
        }

        private void handOver() {
            // cleared first: an outcome queued from now on schedules a hand-over of its own if this one misses it
            handOverScheduled.set(false);
            Runnable outcome;
            while ((outcome = waiting.poll()) != null) {
                // a caller's failing handler does not stop the loop: Vert.x reports it to the context
                outcome.run();
            }
        }
    }

    /**
     * Creates a tenant's topic before its first record and waits until the producer knows its leaders.
     * Left to auto-creation, the first batches of a new topic can meet {@code NOT_LEADER_OR_FOLLOWER}
     * while the broker elects leaders; the idempotent producer then retries them after later batches
     * were already accepted and the broker refuses the retry with {@code OUT_OF_ORDER_SEQUENCE_NUMBER}:
     * acknowledged-looking order broken, first records lost (seen in HonoUplinkIT and the soak bench).
     */
    private void ensureTopicReady(String topic) {
        if (readyTopics.contains(topic)) {
            return;
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all()
                    .get(MAX_BLOCK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("cannot create topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topic " + topic, e);
        } catch (TimeoutException e) {
            throw new KafkaException("timed out creating topic " + topic, e);
        }
        long deadline = System.nanoTime() + MAX_BLOCK.toNanos();
        while (!partitionsServed(topic)) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("topic " + topic + " has no serving leader for every partition after " + MAX_BLOCK);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while waiting for the leaders of " + topic, e);
            }
        }
        producer.partitionsFor(topic);
        readyTopics.add(topic);
    }

    /**
     * Whether every partition of the topic has a leader that answers for it. Metadata naming a leader is
     * not enough: the broker publishes the new partitions in its metadata before its replica manager
     * serves them, and a produce request in that gap could leave the partition's first batch unanswered
     * until the delivery timeout (measured: 4-5 of 30 new topics under CPU load lost a partition's first
     * ~100 records after 10 s). A ListOffsets request is answered only by the serving leader.
     */
    private boolean partitionsServed(String topic) {
        try {
            List<TopicPartitionInfo> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(MAX_BLOCK.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions();
            if (partitions.stream().anyMatch(partition -> partition.leader() == null)) {
                return false;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(partition -> latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
            admin.listOffsets(latest).all().get(MAX_BLOCK.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while checking the partitions of " + topic, e);
        }
    }

    private void markUnavailable(ProducerRecord<String, byte[]> record, Throwable error) {
        if (available) {
            LOG.warn("Kafka write to {} failed, treating Kafka as unavailable until it answers again: {}",
                    record.topic(), error.toString());
        }
        available = false;
    }

    private void probe() {
        if (closed) {
            return;
        }
        try {
            if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                failedProbes = 0;
                if (!available) {
                    LOG.info("Kafka is reachable again");
                    available = true;
                }
                return;
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debug("Kafka cluster probe failed: {}", e.toString());
        }
        failedProbes++;
        // two in a row: one slow answer of a busy broker is not an outage
        if (failedProbes >= 2 && available) {
            LOG.warn("Kafka did not answer {} cluster probes in a row, treating it as unavailable until it answers again",
                    failedProbes);
            available = false;
        }
    }

    /** Whether the last interaction with Kafka succeeded (writes or probes). */
    public boolean isAvailable() {
        return available && !closed;
    }

    /** Closes the producer after pending writes had up to 5 s to finish. Blocking; call off the event loop. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        probeThread.shutdownNow();
        sendThread.shutdown();
        try {
            sendThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(2));
    }
}
