package io.twinworks.localstack.ditto.connectivity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.core.kafka.KafkaConsumerLoop;
import io.twinworks.core.retry.Backoff;
import io.twinworks.localstack.ditto.service.CommandResult;
import io.twinworks.localstack.ditto.service.TwinService;
import io.twinworks.localstack.ditto.service.WotPayloadValidationException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.signals.commands.Command;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The Ditto side's Hono connection: consumes Hono's northbound telemetry and event topics of all
 * tenants and applies each record, a Ditto Protocol twin command (see {@link HonoRecordMapper}), to the
 * twins through the {@link TwinService} — as a real Ditto connection of type {@code hono} with the
 * {@code Ditto} payload mapping, source enforcement on {@code device_id} and {@code qos: 1} does.
 *
 * <p><b>Delivery.</b> The shared {@link KafkaConsumerLoop} in consumer group {@code consumerGroupId},
 * subscribed by pattern {@value #TOPIC_PATTERN} (topics of tenants created later are picked up
 * within seconds and read from their beginning). The records of one poll (at most
 * {@link TwinService#MAX_COMMANDS_PER_TRANSACTION}) are applied as one group commit: their commands go to
 * the twin service together, in offset order per partition — hence in order per device, since the key is
 * the device ID — and are persisted in one transaction (one fsync), after which their change events are
 * published. A record's offset is committed only once the twin service has persisted its command (or
 * refused it for good), so a restart resumes after the last applied record: nothing is lost, and after a clean
 * stop nothing is applied twice. Offsets are committed at most once per
 * {@linkplain HonoConnectionSettings#commitIntervalMs commit interval} while records keep coming (and at once when
 * the stream pauses); as with Ditto's at-least-once sources, a crash re-applies the commands persisted since
 * the last commit — at most one interval's records plus the poll in progress.
 *
 * <p><b>Failures.</b> A bad record (not JSON, not Ditto Protocol, another device's thing, refused by the
 * policy, unknown thing, ...) is counted in {@code twinworks.ditto.hono.ingest.refused} by {@code tenant}
 * and {@code reason}, logged with tenant and device ID (the first per device and reason; later ones in a
 * summary every 10 s, so a flood of identical refusals costs no throughput), and passed over; Hono notifications and expired
 * messages are counted in {@code ...skipped}. A failure that may pass (5xx of the twin service, timeout)
 * is retried from the same record with growing back-off ({@code ...retries}), never skipped.
 * {@code ...applied} counts applied commands.
 *
 * <p>Lifecycle: construct, {@link #start()}, and {@link #stop()} (or {@link #close()}) before the twin
 * service is closed. A consumer that fails after the start is replaced from the committed offsets (as Ditto
 * restarts its source stream) with growing back-off.
 */
public final class HonoTwinIngest implements AutoCloseable {

    /** The topics consumed: telemetry and events of every tenant. */
    public static final String TOPIC_PATTERN = "hono\\.(telemetry|event)\\..+";

    private static final Logger LOG = LoggerFactory.getLogger(HonoTwinIngest.class);
    private static final Pattern TOPICS = Pattern.compile(TOPIC_PATTERN);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final long COMMAND_TIMEOUT_MILLIS = 30_000;
    private static final long MIN_BACKOFF_MILLIS = 200;
    private static final long MAX_BACKOFF_MILLIS = 10_000;
    private static final String METRIC_PREFIX = "twinworks.ditto.hono.ingest.";

    private final Vertx vertx;
    private final TwinService twins;
    private final HonoConnectionSettings settings;
    private final MeterRegistry metrics;
    private final HonoRecordMapper mapper;
    private final RefusalLog refusalLog = new RefusalLog(LOG, TimeUnit.SECONDS.toNanos(10), System::nanoTime);
    private final KafkaConsumerLoop<String, byte[]> loop;
    /** The counters by name, tenant and reason, so that a record costs no registry lookup. */
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();

    /**
     * @param vertx    the Vert.x instance whose context completes {@link #start()} and {@link #stop()}
     * @param twins    the command handler the consumed commands go to
     * @param settings Kafka, consumer group and the connection's authorization subjects
     * @param metrics  where the applied/refused/skipped/retry counters go
     */
    public HonoTwinIngest(Vertx vertx, TwinService twins, HonoConnectionSettings settings, MeterRegistry metrics) {
        this(vertx, twins, settings, metrics, Clock.systemUTC());
    }

    /** As {@link #HonoTwinIngest(Vertx, TwinService, HonoConnectionSettings, MeterRegistry)}, expiry checked against {@code clock}. */
    public HonoTwinIngest(Vertx vertx, TwinService twins, HonoConnectionSettings settings, MeterRegistry metrics,
                          Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.twins = Objects.requireNonNull(twins, "twins");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.mapper = new HonoRecordMapper(settings.authorizationContext(), clock);
        this.loop = KafkaConsumerLoop.<String, byte[]>builder("twinworks-ditto-hono-connection", this::newConsumer,
                        new LoggedSubscription(KafkaConsumerLoop.subscribe(TOPICS)), this::applyPoll)
                .partitionListener(new KafkaConsumerLoop.PartitionListener() {
                    @Override
                    public void assigned(Collection<TopicPartition> partitions) {
                        if (!partitions.isEmpty()) {
                            LOG.info("Hono connection assigned {}", partitions);
                        }
                    }
                })
                .pollTimeout(POLL_TIMEOUT)
                .retryBackoff(Backoff.exponential(MIN_BACKOFF_MILLIS, MAX_BACKOFF_MILLIS))
                .restartBackoff(Backoff.exponential(MIN_BACKOFF_MILLIS, MAX_BACKOFF_MILLIS))
                // the thread notices within one poll timeout, or after its current command (bounded by its timeout)
                .stopTimeout(Duration.ofMillis(COMMAND_TIMEOUT_MILLIS + 10_000))
                // an offset commit per poll was a coordinator write per ~10-50 records under load
                .commitInterval(Duration.ofMillis(settings.commitIntervalMs()))
                .build();
    }

    /**
     * Starts the consumer thread; completes once the consumer is subscribed (records written before are
     * read too). Fails if the consumer cannot be created.
     */
    public Future<Void> start() {
        return loop.start(vertx.getOrCreateContext());
    }

    /** Stops consuming after the record in progress, commits what was applied, and closes the consumer. */
    public Future<Void> stop() {
        return vertx.executeBlocking(() -> {
            close();
            return null;
        }, false);
    }

    /** Blocking form of {@link #stop()}; waits up to 40 s for the consumer thread. */
    @Override
    public void close() {
        loop.close();
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The pattern subscription, logged once per consumer. */
    private final class LoggedSubscription implements KafkaConsumerLoop.Topics<String, byte[]> {

        private final KafkaConsumerLoop.Topics<String, byte[]> subscription;

        LoggedSubscription(KafkaConsumerLoop.Topics<String, byte[]> subscription) {
            this.subscription = subscription;
        }

        @Override
        public void open(Consumer<String, byte[]> consumer, ConsumerRebalanceListener rebalance) {
            subscription.open(consumer, rebalance);
            LOG.info("Hono connection consuming {} in group {} as {}", TOPIC_PATTERN, settings.consumerGroupId(),
                    settings.authorizationSubjects());
        }

        @Override
        public boolean commitsOffsets() {
            return subscription.commitsOffsets();
        }
    }

    private Map<String, Object> consumerProperties() {
        return Map.ofEntries(
                Map.entry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()),
                Map.entry(ConsumerConfig.GROUP_ID_CONFIG, settings.consumerGroupId()),
                Map.entry(ConsumerConfig.CLIENT_ID_CONFIG, settings.consumerGroupId() + "-consumer"),
                Map.entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                // a group's first start (or a tenant's new topic) reads everything Hono kept: nothing is lost
                Map.entry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                Map.entry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, TwinService.MAX_COMMANDS_PER_TRANSACTION),
                // larger fetches under load: fewer fetch requests, polls and group commits per record
                Map.entry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, settings.fetchMinBytes()),
                Map.entry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, settings.fetchMaxWaitMs()),
                // the pattern subscription notices topics of new tenants at the next metadata refresh
                Map.entry(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2_000),
                Map.entry(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000),
                Map.entry(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000));
    }

    /**
     * Applies the records of one poll as one group commit: the commands of all its records go to the twin
     * service in one {@link TwinService#handleInOrder} call (partition by partition, each in offset order),
     * so they are persisted with one transaction; then refusals are counted and the records marked done (the
     * loop commits their offsets). Records the twin service did not get through (a failure that may pass)
     * are read again: their partitions are set back to the first such record.
     */
    private void applyPoll(KafkaConsumerLoop.Batch<String, byte[]> batch) {
        refusalLog.summarizeIfDue();
        ConsumerRecords<String, byte[]> records = batch.records();
        if (records.isEmpty()) {
            return;
        }
        List<MappedRecord> mapped = new ArrayList<>(records.count());
        List<Command<?>> commands = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                RecordMapping mapping = mapper.map(record);
                mapped.add(new MappedRecord(partition, record, mapping));
                if (mapping instanceof RecordMapping.Apply apply) {
                    commands.add(apply.command());
                }
            }
        }
        List<CommandResult> results;
        try {
            results = commands.isEmpty() ? List.of() : twins.handleInOrder(commands).toCompletionStage()
                    .toCompletableFuture().get(COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            retryPoll(batch, mapped, e.getCause() == null ? e : e.getCause());
            return;
        } catch (TimeoutException e) {
            retryPoll(batch, mapped, e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retryPoll(batch, mapped, e);
            return;
        } catch (RuntimeException e) {
            // e.g. the twin service is closed
            retryPoll(batch, mapped, e);
            return;
        }
        int commandIndex = 0;
        for (MappedRecord entry : mapped) {
            if (batch.isSetBack(entry.partition())) {
                continue;   // behind a record of its partition that must be applied first
            }
            if (entry.mapping() instanceof RecordMapping.NotApplied notApplied) {
                notApplied(notApplied.origin(), notApplied.reason(), notApplied.detail());
            } else {
                RecordOrigin origin = entry.mapping().origin();
                CommandResult result = commandIndex < results.size() ? results.get(commandIndex) : null;
                commandIndex++;
                if (result != null && result.failure() == null) {
                    counter("applied", origin.tenant(), null).increment();
                    if (LOG.isDebugEnabled()) {
                        // the response is built on demand: only for this line, and only when it is logged
                        LOG.debug("applied {} from {}", result.response().getType(), origin);
                    }
                } else if (result != null && result.refused()
                        && result.failure() instanceof DittoRuntimeException refusal) {
                    notApplied(origin, classify(refusal), refusal.getErrorCode() + ": " + refusal.getMessage()
                            + refusal.getDescription().map(description -> " " + description).orElse(""));
                } else {
                    // failed for a reason that may pass, or not attempted after such a failure: read again from here
                    if (result != null && result.failure() != null) {
                        retry(origin, result.failure());
                    }
                    batch.readAgain(entry.record());
                    continue;
                }
            }
            batch.done(entry.record());
        }
    }

    /** The whole poll failed (nothing of it was kept): read all its records again. */
    private void retryPoll(KafkaConsumerLoop.Batch<String, byte[]> batch, List<MappedRecord> mapped, Throwable failure) {
        for (MappedRecord entry : mapped) {
            if (!batch.isSetBack(entry.partition())) {
                batch.readAgain(entry.record());
                retry(entry.mapping().origin(), failure);
            }
        }
    }

    /** A record of a poll with its mapping, in the order they are applied. */
    private record MappedRecord(TopicPartition partition, ConsumerRecord<String, byte[]> record,
                                RecordMapping mapping) {
    }

    private void retry(RecordOrigin origin, Throwable failure) {
        counter("retries", origin.tenant(), null).increment();
        LOG.warn("applying {} failed, will retry: {}", origin, failure.toString());
    }

    private static IngestRefusal classify(DittoRuntimeException refusal) {
        if ("things:thing.notfound".equals(refusal.getErrorCode())) {
            return IngestRefusal.THING_NOT_FOUND;
        }
        if (WotPayloadValidationException.ERROR_CODE.equals(refusal.getErrorCode())) {
            return IngestRefusal.INVALID_PAYLOAD;
        }
        if (refusal.getHttpStatus().getCode() == 403) {
            return IngestRefusal.NOT_AUTHORIZED;
        }
        return IngestRefusal.COMMAND_REJECTED;
    }

    /** A counter of this connection: {@code twinworks.ditto.hono.ingest.<name>}, tagged by tenant (and reason). */
    private Counter counter(String name, String tenant, @Nullable IngestRefusal reason) {
        return counters.computeIfAbsent(new CounterKey(name, tenant, reason), key -> reason == null
                ? metrics.counter(METRIC_PREFIX + name, "tenant", tenant)
                : metrics.counter(METRIC_PREFIX + name, "tenant", tenant, "reason", reason.tag()));
    }

    private record CounterKey(String name, String tenant, @Nullable IngestRefusal reason) {
    }

    private void notApplied(RecordOrigin origin, IngestRefusal reason, String detail) {
        if (reason.isBad()) {
            counter("refused", origin.tenant(), reason).increment();
            refusalLog.refused(origin, reason, detail);
        } else {
            counter("skipped", origin.tenant(), reason).increment();
            LOG.debug("skipped Hono record {}: {}: {}", origin, reason.tag(), detail);
        }
    }
}
