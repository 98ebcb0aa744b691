package io.twinworks.core.kafka;

import io.twinworks.core.retry.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The one Kafka poll loop of the services: a {@link Consumer} on its own thread (Kafka's consumer is not
 * thread-safe and blocks, so it never runs on a Vert.x event loop), with
 * <ul>
 *   <li><b>start/stop/wakeup</b>: {@link #start(Context)} completes on the caller's context once the consumer
 *       is subscribed or assigned; {@link #close()} stops after the poll in progress, wakes a blocked poll up,
 *       commits what was processed and waits for the thread;</li>
 *   <li><b>commit after processing</b> (group consumers): an offset is committed only once its record was
 *       {@linkplain Batch#done processed} or {@linkplain Batch#handOff handed off and run} — asynchronously
 *       after a poll once the {@linkplain Builder#commitInterval commit interval} passed since the last commit (or
 *       when a poll found nothing new, so a pause in the stream commits at once), synchronously when partitions
 *       are revoked and on stop. A failed asynchronous commit is tried again with the next one. A crash reads
 *       the records processed since the last commit again (at least once);</li>
 *   <li><b>retry</b>: a record that {@linkplain Batch#readAgain must be read again} sets its partition back, and
 *       the next poll waits with growing back-off (reset by the next poll without a set-back);</li>
 *   <li><b>rebalance hand-off</b>: revoked partitions get their processed offsets committed, then the
 *       {@link PartitionListener} hears of them (lost partitions: nothing committed, since another member
 *       owns them already);</li>
 *   <li><b>back-pressure</b>: while more than {@code maxInFlight} handed-off records wait for their context,
 *       the assigned partitions are paused (the consumer keeps polling, so it stays in its group) and resumed
 *       below half of it;</li>
 *   <li><b>restart</b>: a consumer that fails after it started is closed and replaced (from the committed
 *       offsets, as Ditto restarts a source stream) with growing back-off; one that cannot start fails
 *       {@link #start(Context)} and the loop ends.</li>
 * </ul>
 *
 * @param <K> record key type
 * @param <V> record value type
 */
public final class KafkaConsumerLoop<K, V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConsumerLoop.class);

    /** What the consumer reads: subscribes or assigns each consumer the loop creates. */
    public interface Topics<K, V> {

        /**
         * Subscribes (with {@code rebalance} as listener) or assigns a new consumer, on the poll thread,
         * before its first poll; {@link #start(Context)} completes after this returns.
         */
        void open(Consumer<K, V> consumer, ConsumerRebalanceListener rebalance);

        /**
         * Called on the poll thread before each poll, e.g. to assign topics created since.
         *
         * @return false when there is nothing to poll yet (the loop waits one poll timeout instead)
         */
        default boolean beforePoll(Consumer<K, V> consumer) {
            return true;
        }

        /** Whether the consumer is in a consumer group whose offsets the loop commits after processing. */
        boolean commitsOffsets();
    }

    /** A group subscription to the topics matching {@code pattern}; offsets committed after processing. */
    public static <K, V> Topics<K, V> subscribe(Pattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        return new Topics<>() {
            @Override
            public void open(Consumer<K, V> consumer, ConsumerRebalanceListener rebalance) {
                consumer.subscribe(pattern, rebalance);
            }

            @Override
            public boolean commitsOffsets() {
                return true;
            }
        };
    }

    /** A group subscription to {@code topics}; offsets committed after processing. */
    public static <K, V> Topics<K, V> subscribe(Collection<String> topics) {
        List<String> names = List.copyOf(topics);
        return new Topics<>() {
            @Override
            public void open(Consumer<K, V> consumer, ConsumerRebalanceListener rebalance) {
                consumer.subscribe(names, rebalance);
            }

            @Override
            public boolean commitsOffsets() {
                return true;
            }
        };
    }

    /** Processes the records of one poll, on the poll thread; called after every poll, also an empty one. */
    @FunctionalInterface
    public interface RecordsHandler<K, V> {
        void handle(Batch<K, V> batch);
    }

    /** Hears of partitions that come to this consumer and leave it (group consumers), on the poll thread. */
    public interface PartitionListener {

        /** Partitions assigned by a rebalance (possibly none: more members than partitions). */
        default void assigned(Collection<TopicPartition> partitions) {
        }

        /**
         * Partitions this consumer no longer reads (revoked by a rebalance, lost, or given up on close); never
         * empty. The processed offsets of revoked partitions are committed before this is called.
         */
        default void revoked(Collection<TopicPartition> partitions) {
        }
    }

    /**
     * The records of one poll and what became of them. A record not marked {@link #done}, not
     * {@linkplain #handOff handed off} and not {@linkplain #readAgain read again} is passed over uncommitted:
     * its offset is committed with the next done record of its partition.
     */
    public static final class Batch<K, V> {

        private final Consumer<K, V> consumer;
        private final ConsumerRecords<K, V> records;
        private final HandOffs handOffs;
        private final Map<TopicPartition, Long> done = new HashMap<>();
        private final Set<TopicPartition> setBack = new HashSet<>();

        Batch(Consumer<K, V> consumer, ConsumerRecords<K, V> records, HandOffs handOffs) {
            this.consumer = consumer;
            this.records = records;
            this.handOffs = handOffs;
        }

        /** The records of this poll. */
        public ConsumerRecords<K, V> records() {
            return records;
        }

        /** The consumer, for reading its metrics and lag; positions and commits belong to the loop. */
        public Consumer<K, V> consumer() {
            return consumer;
        }

        /** {@code record} was processed for good (applied or refused): its offset may be committed. */
        public void done(ConsumerRecord<K, V> record) {
            TopicPartition partition = partitionOf(record);
            if (!setBack.contains(partition)) {
                done.merge(partition, record.offset() + 1, Math::max);
            }
        }

        /**
         * {@code record} failed for a reason that may pass: its partition is read again from it (the records
         * after it in this batch are ignored), after a back-off.
         */
        public void readAgain(ConsumerRecord<K, V> record) {
            TopicPartition partition = partitionOf(record);
            if (setBack.add(partition)) {
                consumer.seek(partition, record.offset());
            }
        }

        /** Whether a record of {@code partition} was set back in this batch (later ones must wait for it). */
        public boolean isSetBack(TopicPartition partition) {
            return setBack.contains(partition);
        }

        /**
         * Runs {@code work} for {@code record} on {@code context}; the record counts as done (its offset
         * committable) once the work ran, and counts towards the back-pressure limit until then. Work handed
         * to one context runs in hand-off order.
         */
        public void handOff(ConsumerRecord<K, V> record, Context context, Runnable work) {
            handOffs.handOff(partitionOf(record), record.offset() + 1, context, work);
        }

        boolean anySetBack() {
            return !setBack.isEmpty();
        }

        Map<TopicPartition, Long> doneOffsets() {
            return done;
        }

        private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    /**
     * Records handed to a context: how many are waiting, and — for a consumer that commits — the offsets of
     * those that ran (kept until the poll thread collects them; not kept at all without commits).
     */
    static final class HandOffs {

        private final boolean keepOffsets;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final Queue<Map.Entry<TopicPartition, Long>> ran = new ConcurrentLinkedQueue<>();

        HandOffs(boolean keepOffsets) {
            this.keepOffsets = keepOffsets;
        }

        void handOff(TopicPartition partition, long nextOffset, Context context, Runnable work) {
            inFlight.incrementAndGet();
            context.runOnContext(v -> {
                try {
                    work.run();
                } finally {
                    if (keepOffsets) {
                        ran.add(Map.entry(partition, nextOffset));
                    }
                    inFlight.decrementAndGet();
                }
            });
        }

        /** Offsets of work that ran and were not collected yet. */
        int uncollected() {
            return ran.size();
        }

        int inFlight() {
            return inFlight.get();
        }

        /** Moves the offsets of the work that ran since the last call into {@code offsets} (highest per partition). */
        void drainInto(Map<TopicPartition, Long> offsets) {
            Map.Entry<TopicPartition, Long> entry;
            while ((entry = ran.poll()) != null) {
                offsets.merge(entry.getKey(), entry.getValue(), Math::max);
            }
        }
    }

    private final String name;
    private final Supplier<? extends Consumer<K, V>> consumers;
    private final Topics<K, V> topics;
    private final RecordsHandler<K, V> handler;
    private final PartitionListener partitionListener;
    private final Duration pollTimeout;
    private final Backoff retryBackoff;
    private final Backoff restartBackoff;
    private final int maxInFlight;
    private final Duration stopTimeout;
    private final long commitIntervalNanos;
    private final HandOffs handOffs;
    private volatile boolean running;
    private volatile @Nullable Consumer<K, V> consumer;
    private @Nullable Thread pollThread;

    private KafkaConsumerLoop(Builder<K, V> builder) {
        this.name = builder.name;
        this.consumers = builder.consumers;
        this.topics = builder.topics;
        this.handler = builder.handler;
        this.partitionListener = builder.partitionListener;
        this.pollTimeout = builder.pollTimeout;
        this.retryBackoff = builder.retryBackoff;
        this.restartBackoff = builder.restartBackoff;
        this.maxInFlight = builder.maxInFlight;
        this.stopTimeout = builder.stopTimeout;
        this.commitIntervalNanos = builder.commitInterval.toNanos();
        this.handOffs = new HandOffs(topics.commitsOffsets());
    }

    /**
     * A loop named {@code name} (its thread's name and its log lines' prefix) that reads {@code topics} with
     * the consumers {@code consumers} creates (one per (re)start; group consumers must not auto-commit) and
     * hands each poll's records to {@code handler}.
     */
    public static <K, V> Builder<K, V> builder(String name, Supplier<? extends Consumer<K, V>> consumers,
                                               Topics<K, V> topics, RecordsHandler<K, V> handler) {
        return new Builder<>(name, consumers, topics, handler);
    }

    /**
     * Starts the poll thread (again, after {@link #close()}); completes on {@code context} once the consumer
     * is subscribed or assigned, fails if it cannot be.
     */
    public synchronized Future<Void> start(Context context) {
        if (running) {
            return Future.succeededFuture();
        }
        Promise<Void> ready = Promise.promise();
        running = true;
        Thread thread = new Thread(() -> run(context, ready), name);
        thread.setDaemon(true);
        pollThread = thread;
        thread.start();
        return ready.future();
    }

    /** Records handed off and not yet run (the back-pressure measure). */
    public int inFlight() {
        return handOffs.inFlight();
    }

    /** Offsets of handed-off records that ran and wait for the poll thread's commit (none without commits). */
    int uncollectedOffsets() {
        return handOffs.uncollected();
    }

    /**
     * Stops after the poll (and its processing) in progress, commits the processed offsets and closes the
     * consumer; waits up to the stop timeout for the thread. Blocking: not on an event loop.
     */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            running = false;
            thread = pollThread;
            pollThread = null;
        }
        Consumer<K, V> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(stopTimeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("{}: still running {} after the stop", name, stopTimeout);
            }
        }
    }

    private void run(Context context, Promise<Void> ready) {
        Backoff.Delays restarts = restartBackoff.delays();
        boolean[] opened = {false};
        while (running) {
            try {
                consume(context, ready, opened);
            } catch (WakeupException e) {
                // close() woke a blocking call up
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!opened[0]) {
                    LOG.error("{}: the Kafka consumer cannot start: {}", name, e.toString(), e);
                    running = false;
                    context.runOnContext(v -> ready.tryFail(e));
                    return;
                }
                long delay = restarts.next();
                // a KafkaException says what went wrong; anything else is a bug and gets its stack trace
                LOG.error("{}: the Kafka consumer failed, a new one starts from the committed offsets in {} ms: {}",
                        name, delay, e.toString(), e instanceof KafkaException ? null : e);
                sleepWhileRunning(delay);
            }
        }
        context.runOnContext(v -> ready.tryFail("stopped before the Kafka consumer started"));
    }

    private void consume(Context context, Promise<Void> ready, boolean[] opened) {
        Offsets offsets = new Offsets();
        try (Consumer<K, V> kafka = consumers.get()) {
            consumer = kafka;
            try {
                topics.open(kafka, new CommitOnRevocation(kafka, offsets));
                opened[0] = true;
                context.runOnContext(v -> ready.tryComplete());
                pollUntilStopped(kafka, offsets);
                if (topics.commitsOffsets()) {
                    collectRan(kafka, offsets);
                    commitSync(kafka, offsets, offsets.processed.keySet());
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void pollUntilStopped(Consumer<K, V> kafka, Offsets offsets) {
        Backoff.Delays retries = retryBackoff.delays();
        while (running) {
            applyBackPressure(kafka);
            if (!topics.beforePoll(kafka)) {
                sleepWhileRunning(pollTimeout.toMillis());
                continue;
            }
            ConsumerRecords<K, V> records;
            try {
                records = kafka.poll(pollTimeout);
            } catch (WakeupException e) {
                continue;   // close() woke the poll up: running is false now
            }
            if (!running) {
                break;   // records polled while stopping stay uncommitted: the next start reads them
            }
            Batch<K, V> batch = new Batch<>(kafka, records, handOffs);
            handler.handle(batch);
            if (topics.commitsOffsets()) {
                Map<TopicPartition, Long> done = new HashMap<>(batch.doneOffsets());
                handOffs.drainInto(done);
                offsets.addDone(kafka.assignment(), done);
                long now = System.nanoTime();
                if (records.isEmpty() || now - offsets.lastCommitNanos >= commitIntervalNanos) {
                    commitAsync(kafka, offsets, now);
                }
            }
            if (batch.anySetBack()) {
                sleepWhileRunning(retries.next());
            } else if (!records.isEmpty()) {
                retries.reset();
            }
        }
    }

    private void applyBackPressure(Consumer<K, V> kafka) {
        int waiting = handOffs.inFlight();
        if (waiting >= maxInFlight) {
            Set<TopicPartition> assigned = kafka.assignment();
            if (!kafka.paused().containsAll(assigned)) {
                LOG.debug("{}: {} records wait for their context, pausing {}", name, waiting, assigned);
                kafka.pause(assigned);
            }
        } else if (waiting <= maxInFlight / 2 && !kafka.paused().isEmpty()) {
            LOG.debug("{}: {} records wait for their context, resuming", name, waiting);
            kafka.resume(kafka.paused());
        }
    }

    /** Adds the offsets of handed-off work that ran to {@code offsets}, for the partitions still assigned. */
    private void collectRan(Consumer<K, V> kafka, Offsets offsets) {
        Map<TopicPartition, Long> ran = new HashMap<>();
        handOffs.drainInto(ran);
        offsets.addDone(kafka.assignment(), ran);
    }

    /** Commits the offsets processed since the last commit, if any, for the partitions still assigned. */
    private void commitAsync(Consumer<K, V> kafka, Offsets offsets, long now) {
        Set<TopicPartition> assigned = kafka.assignment();
        Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
        offsets.uncommitted.forEach((partition, offset) -> {
            if (assigned.contains(partition)) {
                toCommit.put(partition, offset);
            }
        });
        offsets.uncommitted.clear();
        if (toCommit.isEmpty()) {
            return;
        }
        offsets.lastCommitNanos = now;
        kafka.commitAsync(toCommit, (committed, failure) -> {
            if (failure != null) {
                // called on the poll thread (inside a later poll): the next commit takes these offsets along
                LOG.debug("{}: asynchronous offset commit failed, the next commit tries again: {}", name, failure.toString());
                offsets.commitFailed(toCommit.keySet());
            }
        });
    }

    /**
     * Offsets of processed records, per partition (the next offset to read), confined to the poll thread:
     * all of them since the assignment, kept for the synchronous commits of a revocation or a stop, and those
     * not committed asynchronously yet.
     */
    private static final class Offsets {

        final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
        final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
        long lastCommitNanos = System.nanoTime();

        /** Adds the offsets of records processed in a poll, for the partitions still {@code assigned}. */
        void addDone(Set<TopicPartition> assigned, Map<TopicPartition, Long> done) {
            done.forEach((partition, offset) -> {
                if (assigned.contains(partition)) {
                    OffsetAndMetadata next = new OffsetAndMetadata(offset);
                    processed.merge(partition, next, Offsets::later);
                    addUncommitted(partition, next);
                }
            });
        }

        void addUncommitted(TopicPartition partition, OffsetAndMetadata offset) {
            uncommitted.merge(partition, offset, Offsets::later);
        }

        /**
         * An asynchronous commit of {@code partitions} failed: the next commit takes their newest processed
         * offsets (never the failed, possibly older ones, which a later commit may have passed already);
         * partitions given up since are not this consumer's to commit.
         */
        void commitFailed(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> {
                OffsetAndMetadata newest = processed.get(partition);
                if (newest != null) {
                    addUncommitted(partition, newest);
                }
            });
        }

        /** The partitions are no longer this consumer's: their offsets are committed or not its to commit. */
        void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> {
                processed.remove(partition);
                uncommitted.remove(partition);
            });
        }

        static OffsetAndMetadata later(OffsetAndMetadata a, OffsetAndMetadata b) {
            return a.offset() >= b.offset() ? a : b;
        }
    }

    /** Commits the processed offsets of {@code partitions} and forgets them; a failure means they are read again. */
    private void commitSync(Consumer<K, V> kafka, Offsets processed, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<TopicPartition> given = List.copyOf(partitions);
        for (TopicPartition partition : given) {
            OffsetAndMetadata offset = processed.processed.get(partition);
            if (offset != null) {
                offsets.put(partition, offset);
            }
        }
        processed.forget(given);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            try {
                kafka.commitSync(offsets);
            } catch (WakeupException e) {
                kafka.commitSync(offsets);   // close()'s wake-up was meant for a poll; it is used up now
            }
        } catch (KafkaException e) {
            // the asynchronous commits may have covered them; if not, their records are read again
            LOG.warn("{}: cannot commit the offsets of processed records {}: {}", name, offsets, e.toString());
        }
    }

    private void sleepWhileRunning(long millis) {
        long until = System.currentTimeMillis() + millis;
        while (running && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(50, Math.max(1, until - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Commits the processed offsets of partitions before another member (or a restart) takes them over. */
    private final class CommitOnRevocation implements ConsumerRebalanceListener {

        private final Consumer<K, V> kafka;
        private final Offsets processed;

        CommitOnRevocation(Consumer<K, V> kafka, Offsets processed) {
            this.kafka = kafka;
            this.processed = processed;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            if (topics.commitsOffsets()) {
                collectRan(kafka, processed);
                commitSync(kafka, processed, partitions);
            }
            partitionListener.revoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // another member owns them already: a commit would fail, and it resumes from the last commit
            processed.forget(partitions);
            partitionListener.revoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitionListener.assigned(partitions);
        }
    }

    /** Settings of a {@link KafkaConsumerLoop}; each has a default. */
    public static final class Builder<K, V> {

        private final String name;
        private final Supplier<? extends Consumer<K, V>> consumers;
        private final Topics<K, V> topics;
        private final RecordsHandler<K, V> handler;
        private PartitionListener partitionListener = new PartitionListener() { };
        private Duration pollTimeout = Duration.ofMillis(200);
        private Backoff retryBackoff = Backoff.exponential(200, 10_000);
        private Backoff restartBackoff = Backoff.exponential(200, 10_000);
        private int maxInFlight = 10_000;
        private Duration stopTimeout = Duration.ofSeconds(10);
        private Duration commitInterval = Duration.ZERO;

        private Builder(String name, Supplier<? extends Consumer<K, V>> consumers, Topics<K, V> topics,
                        RecordsHandler<K, V> handler) {
            this.name = Objects.requireNonNull(name, "name");
            this.consumers = Objects.requireNonNull(consumers, "consumers");
            this.topics = Objects.requireNonNull(topics, "topics");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** Hears of assigned and revoked partitions (default: nobody). */
        public Builder<K, V> partitionListener(PartitionListener listener) {
            this.partitionListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** How long one poll waits for records (default 200 ms); also how soon a stop is noticed without a wake-up. */
        public Builder<K, V> pollTimeout(Duration timeout) {
            this.pollTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Waits before reading set-back records again (default 200 ms doubling to 10 s). */
        public Builder<K, V> retryBackoff(Backoff backoff) {
            this.retryBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Waits before replacing a failed consumer (default 200 ms doubling to 10 s). */
        public Builder<K, V> restartBackoff(Backoff backoff) {
            this.restartBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Handed-off records waiting for their context above which the partitions are paused (default 10,000). */
        public Builder<K, V> maxInFlight(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, was " + records);
            }
            this.maxInFlight = records;
            return this;
        }

        /** How long {@link #close()} waits for the poll thread, i.e. for the processing in progress (default 10 s). */
        public Builder<K, V> stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The least time between two asynchronous offset commits (default zero: after every poll that processed
         * something). Each commit is a request the group coordinator writes to its log, so a consumer reading
         * many small polls commits far less often with an interval; a crash then reads at most the records
         * processed during one interval (plus one poll) again. A poll that finds nothing new commits at once,
         * so a stream that pauses is committed within one poll timeout. Revocations and stops commit
         * synchronously regardless.
         */
        public Builder<K, V> commitInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("commitInterval must not be negative, was " + interval);
            }
            this.commitInterval = interval;
            return this;
        }

        public KafkaConsumerLoop<K, V> build() {
            return new KafkaConsumerLoop<>(this);
        }
    }
}
