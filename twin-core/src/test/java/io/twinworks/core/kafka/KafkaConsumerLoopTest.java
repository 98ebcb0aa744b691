package io.twinworks.core.kafka;

import io.twinworks.core.retry.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The shared poll loop against Kafka's own {@link MockConsumer}: commit after processing, reading a record
 * again, hand-off and back-pressure, rebalance hand-over, restart and stop.
 */
class KafkaConsumerLoopTest {

    private static final String TOPIC = "twin-events";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final List<MockConsumer<String, String>> created = new CopyOnWriteArrayList<>();
    private KafkaConsumerLoop<String, String> loop;

    @AfterEach
    void stop() throws Exception {
        if (loop != null) {
            loop.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private final List<Map<TopicPartition, OffsetAndMetadata>> syncCommits = new CopyOnWriteArrayList<>();
    private final List<Map<TopicPartition, OffsetAndMetadata>> asyncCommits = new CopyOnWriteArrayList<>();
    /** How many of the next asynchronous commits fail (as when the group coordinator moved). */
    private final AtomicInteger failingAsyncCommits = new AtomicInteger();
    /** The group's committed offsets, which outlive a consumer: a new one starts from them. */
    private final Map<TopicPartition, OffsetAndMetadata> groupOffsets = new ConcurrentHashMap<>();

    /** Kafka's mock consumer, recording its commits and keeping the group's committed offsets. */
    private final class RecordingConsumer extends MockConsumer<String, String> {

        private boolean inCommitSync;

        RecordingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            syncCommits.add(Map.copyOf(offsets));
            inCommitSync = true;
            try {
                super.commitSync(offsets);   // MockConsumer's commitSync calls commitAsync
            } finally {
                inCommitSync = false;
            }
            groupOffsets.putAll(offsets);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            if (inCommitSync) {
                super.commitAsync(offsets, callback);
                return;
            }
            asyncCommits.add(Map.copyOf(offsets));
            if (failingAsyncCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                callback.onComplete(offsets, new RetriableCommitFailedException("the group coordinator moved"));
                return;
            }
            super.commitAsync(offsets, callback);
            groupOffsets.putAll(offsets);
        }

        /** Starts from the group's committed offsets, as a new member does (no commit of its own: not recorded). */
        void resumeFrom(Map<TopicPartition, OffsetAndMetadata> committed) {
            super.commitAsync(Map.copyOf(committed), null);
        }
    }

    private MockConsumer<String, String> newConsumer() {
        RecordingConsumer consumer = new RecordingConsumer();
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.resumeFrom(groupOffsets);
        // the group assigns both partitions at the first poll, as a real group coordinator would
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
        created.add(consumer);
        return consumer;
    }

    private KafkaConsumerLoop.Builder<String, String> builder(KafkaConsumerLoop.RecordsHandler<String, String> handler) {
        return KafkaConsumerLoop.builder("test-loop", this::newConsumer,
                        KafkaConsumerLoop.<String, String>subscribe(Pattern.compile(TOPIC)), handler)
                .pollTimeout(Duration.ofMillis(20))
                .retryBackoff(Backoff.exponential(50, 50))
                .restartBackoff(Backoff.exponential(50, 50));
    }

    private static <T> T complete(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ConsumerRecord<String, String> record(TopicPartition partition, long offset, String value) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "key", value);
    }

    private static void addWhenAssigned(MockConsumer<String, String> consumer, ConsumerRecord<String, String> record) {
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.assignment().contains(
                new TopicPartition(record.topic(), record.partition())));
        consumer.addRecord(record);
    }

    private static long committed(MockConsumer<String, String> consumer, TopicPartition partition) {
        OffsetAndMetadata offset = consumer.committed(Set.of(partition)).get(partition);
        return offset == null ? -1 : offset.offset();
    }

    @Test
    void offsetsOfDoneRecordsAreCommittedButNotOfRecordsPassedOver() throws Exception {
        loop = builder(batch -> batch.records().forEach(record -> {
            if (!record.value().equals("pass-over")) {
                batch.done(record);
            }
        })).build();
        complete(loop.start(context));
        MockConsumer<String, String> consumer = created.get(0);

        addWhenAssigned(consumer, record(P0, 0, "a"));
        addWhenAssigned(consumer, record(P0, 1, "b"));
        addWhenAssigned(consumer, record(P1, 0, "pass-over"));

        await().atMost(Duration.ofSeconds(10)).until(() -> committed(consumer, P0) == 2);
        assertThat(committed(consumer, P1)).as("nothing done on P1").isEqualTo(-1);
    }

    @Test
    void recordToReadAgainIsPolledAgainAfterTheBackoffAndLaterRecordsOfItsPartitionWait() throws Exception {
        // MockConsumer keeps no log: after a seek back, the records from the position sought are added again
        List<ConsumerRecord<String, String>> log = List.of(record(P0, 0, "flaky"), record(P0, 1, "after"));
        AtomicInteger attempts = new AtomicInteger();
        List<String> doneValues = new CopyOnWriteArrayList<>();
        List<Long> pollTimes = new CopyOnWriteArrayList<>();
        loop = builder(batch -> {
            for (ConsumerRecord<String, String> record : batch.records()) {
                if (batch.isSetBack(new TopicPartition(record.topic(), record.partition()))) {
                    continue;
                }
                if (record.value().equals("flaky") && attempts.incrementAndGet() < 3) {
                    pollTimes.add(System.nanoTime());
                    batch.readAgain(record);
                    MockConsumer<String, String> consumer = created.get(0);
                    consumer.schedulePollTask(() -> log.stream()
                            .filter(logged -> logged.offset() >= consumer.position(P0)).forEach(consumer::addRecord));
                } else {
                    batch.done(record);
                    doneValues.add(record.value());
                }
            }
        }).build();
        complete(loop.start(context));
        MockConsumer<String, String> consumer = created.get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.assignment().contains(P0));
        consumer.schedulePollTask(() -> log.forEach(consumer::addRecord));

        await().atMost(Duration.ofSeconds(10)).until(() -> doneValues.size() == 2);
        assertThat(doneValues).containsExactly("flaky", "after");
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(Duration.ofNanos(pollTimes.get(1) - pollTimes.get(0))).as("back-off between the attempts")
                .isGreaterThanOrEqualTo(Duration.ofMillis(50));
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(consumer, P0) == 2);
    }

    @Test
    void handedOffRecordIsCommittedOnlyAfterItsWorkRanOnTheContext() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        loop = builder(batch -> batch.records().forEach(record -> batch.handOff(record, context, () -> {
            awaitQuietly(release);
            ran.add(record.value());
        }))).build();
        complete(loop.start(context));
        MockConsumer<String, String> consumer = created.get(0);

        addWhenAssigned(consumer, record(P0, 0, "a"));
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.inFlight() == 1);
        Thread.sleep(200);
        assertThat(committed(consumer, P0)).as("not committed while its work waits").isEqualTo(-1);

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(consumer, P0) == 1);
        assertThat(ran).containsExactly("a");
        assertThat(loop.inFlight()).isZero();
    }

    @Test
    void aConsumerWithoutCommitsKeepsNoOffsetsOfHandedOffRecords() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        KafkaConsumerLoop.Topics<String, String> assigned = new KafkaConsumerLoop.Topics<>() {
            @Override
            public void open(org.apache.kafka.clients.consumer.Consumer<String, String> consumer,
                             org.apache.kafka.clients.consumer.ConsumerRebalanceListener rebalance) {
                consumer.assign(List.of(P0));
                ((MockConsumer<String, String>) consumer).updateBeginningOffsets(Map.of(P0, 0L));
            }

            @Override
            public boolean commitsOffsets() {
                return false;
            }
        };
        loop = KafkaConsumerLoop.<String, String>builder("test-loop", () -> {
                    MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
                    created.add(consumer);
                    return consumer;
                }, assigned, batch -> batch.records().forEach(record -> batch.handOff(record, context,
                        () -> ran.add(record.value()))))
                .pollTimeout(Duration.ofMillis(20)).build();
        complete(loop.start(context));
        MockConsumer<String, String> consumer = created.get(0);
        for (int offset = 0; offset < 100; offset++) {
            consumer.addRecord(record(P0, offset, "command-" + offset));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 100);
        assertThat(loop.uncollectedOffsets()).as("a command consumer runs for days: nothing may pile up").isZero();
        assertThat(loop.inFlight()).isZero();
    }

    @Test
    void partitionsArePausedWhileTooManyHandedOffRecordsWaitAndResumedOnceHalfRan() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        loop = builder(batch -> batch.records().forEach(record -> batch.handOff(record, context,
                () -> awaitQuietly(release)))).maxInFlight(2).build();
        complete(loop.start(context));
        MockConsumer<String, String> consumer = created.get(0);

        addWhenAssigned(consumer, record(P0, 0, "a"));
        addWhenAssigned(consumer, record(P1, 0, "b"));
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.paused().containsAll(Set.of(P0, P1)));

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.paused().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(consumer, P0) == 1 && committed(consumer, P1) == 1);
    }

    @Test
    void revokedPartitionsHaveTheirProcessedOffsetsCommittedBeforeTheListenerHearsOfThem() throws Exception {
        List<Long> committedWhenRevoked = new CopyOnWriteArrayList<>();
        List<Collection<TopicPartition>> revoked = new CopyOnWriteArrayList<>();
        loop = builder(batch -> batch.records().forEach(batch::done))
                .partitionListener(new KafkaConsumerLoop.PartitionListener() {
                    @Override
                    public void revoked(Collection<TopicPartition> partitions) {
                        committedWhenRevoked.add(committed(created.get(0), P1));
                        revoked.add(List.copyOf(partitions));
                    }
                }).build();
        complete(loop.start(context));
        MockConsumer<String, String> consumer = created.get(0);
        addWhenAssigned(consumer, record(P1, 0, "a"));
        addWhenAssigned(consumer, record(P1, 1, "b"));
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.position(P1) == 2);

        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0)));

        await().atMost(Duration.ofSeconds(10)).until(() -> !revoked.isEmpty());
        assertThat(revoked.get(0)).containsExactly(P1);
        assertThat(committedWhenRevoked.get(0)).isEqualTo(2);
    }

    /**
     * A handler for a continuous stream on P0: it marks each record done and adds the next one of {@code log}
     * (so every poll finds one new record and none finds nothing) until the log ends, or {@code stopAfter}
     * says to stop adding.
     */
    private static KafkaConsumerLoop.RecordsHandler<String, String> continuousStream(
            List<ConsumerRecord<String, String>> log, List<Long> seen,
            java.util.function.Predicate<MockConsumer<String, String>> stopAfter) {
        return batch -> {
            for (ConsumerRecord<String, String> record : batch.records()) {
                seen.add(record.offset());
                batch.done(record);
            }
            if (batch.records().isEmpty()) {
                return;
            }
            MockConsumer<String, String> consumer = (MockConsumer<String, String>) batch.consumer();
            long next = consumer.position(P0);
            if (!stopAfter.test(consumer) && next < log.size()) {
                consumer.addRecord(log.get((int) next));
            }
        };
    }

    private static List<ConsumerRecord<String, String>> log(int records) {
        return java.util.stream.IntStream.range(0, records).mapToObj(offset -> record(P0, offset, "r" + offset)).toList();
    }

    @Test
    void aCrashBeforeTheIntervalsCommitReadsTheRecordsProcessedSinceTheLastCommitAgain() throws Exception {
        List<ConsumerRecord<String, String>> log = log(10);
        List<Long> seen = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean crashed = new java.util.concurrent.atomic.AtomicBoolean();
        loop = builder(continuousStream(log, seen, consumer -> {
            if (consumer.position(P0) == 5 && !crashed.getAndSet(true)) {
                consumer.setPollException(new KafkaException("the process died"));
                return true;
            }
            return false;
        })).commitInterval(Duration.ofHours(1)).build();
        complete(loop.start(context));
        addWhenAssigned(created.get(0), log.get(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> created.size() == 2);
        assertThat(asyncCommits).as("nothing committed before the crash: the interval had not passed").isEmpty();
        assertThat(groupOffsets).isEmpty();

        addWhenAssigned(created.get(1), log.get(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> groupOffsets.containsKey(P0)
                && groupOffsets.get(P0).offset() == 10);
        assertThat(seen).as("the five records processed before the crash are read again, then the rest")
                .containsExactly(0L, 1L, 2L, 3L, 4L, 0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void aFailedAsynchronousCommitIsTriedAgainWithoutWaitingForNewRecords() throws Exception {
        failingAsyncCommits.set(1);
        loop = builder(batch -> batch.records().forEach(batch::done)).commitInterval(Duration.ofHours(1)).build();
        complete(loop.start(context));
        MockConsumer<String, String> consumer = created.get(0);

        addWhenAssigned(consumer, record(P0, 0, "a"));

        await().atMost(Duration.ofSeconds(10)).until(() -> committed(consumer, P0) == 1);
        assertThat(asyncCommits).as("the failed commit, then its retry at the next poll").hasSize(2)
                .allSatisfy(offsets -> assertThat(offsets).isEqualTo(Map.of(P0, new OffsetAndMetadata(1))));
        assertThat(syncCommits).isEmpty();
    }

    @Test
    void revokedPartitionsAreCommittedSynchronouslyWhileTheIntervalsCommitsFail() throws Exception {
        failingAsyncCommits.set(Integer.MAX_VALUE);
        List<Long> committedWhenRevoked = new CopyOnWriteArrayList<>();
        loop = builder(batch -> batch.records().forEach(batch::done))
                .commitInterval(Duration.ofHours(1))
                .partitionListener(new KafkaConsumerLoop.PartitionListener() {
                    @Override
                    public void revoked(Collection<TopicPartition> partitions) {
                        committedWhenRevoked.add(committed(created.get(0), P1));
                    }
                }).build();
        complete(loop.start(context));
        MockConsumer<String, String> consumer = created.get(0);
        addWhenAssigned(consumer, record(P1, 0, "a"));
        addWhenAssigned(consumer, record(P1, 1, "b"));
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.position(P1) == 2);
        assertThat(committed(consumer, P1)).isEqualTo(-1);

        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0)));

        await().atMost(Duration.ofSeconds(10)).until(() -> !committedWhenRevoked.isEmpty());
        assertThat(committedWhenRevoked).containsExactly(2L);
        assertThat(syncCommits).containsExactly(Map.of(P1, new OffsetAndMetadata(2)));
    }

    @Test
    void withACommitIntervalAContinuousStreamIsCommittedOnceWhenItPausesNotAfterEveryPoll() throws Exception {
        List<ConsumerRecord<String, String>> log = log(50);
        List<Long> seen = new CopyOnWriteArrayList<>();
        loop = builder(continuousStream(log, seen, consumer -> false)).commitInterval(Duration.ofHours(1)).build();
        complete(loop.start(context));

        addWhenAssigned(created.get(0), log.get(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> committed(created.get(0), P0) == 50);
        assertThat(seen).hasSize(50);
        assertThat(asyncCommits).containsExactly(Map.of(P0, new OffsetAndMetadata(50)));
    }

    @Test
    void withoutACommitIntervalEveryPollThatProcessedRecordsCommits() throws Exception {
        List<ConsumerRecord<String, String>> log = log(50);
        loop = builder(continuousStream(log, new CopyOnWriteArrayList<>(), consumer -> false)).build();
        complete(loop.start(context));

        addWhenAssigned(created.get(0), log.get(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> committed(created.get(0), P0) == 50);
        assertThat(asyncCommits).hasSize(50);
        assertThat(asyncCommits.get(49)).isEqualTo(Map.of(P0, new OffsetAndMetadata(50)));
    }

    @Test
    void onceTheIntervalPassedAPollCommitsEvenWhileRecordsKeepComing() throws Exception {
        List<ConsumerRecord<String, String>> log = log(5);
        KafkaConsumerLoop.RecordsHandler<String, String> stream = continuousStream(log, new CopyOnWriteArrayList<>(),
                consumer -> false);
        // each poll takes longer than the interval: each one commits
        loop = builder(batch -> {
            if (!batch.records().isEmpty()) {
                sleepQuietly(25);
            }
            stream.handle(batch);
        }).commitInterval(Duration.ofMillis(20)).build();
        complete(loop.start(context));

        addWhenAssigned(created.get(0), log.get(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> committed(created.get(0), P0) == 5);
        assertThat(asyncCommits).extracting(offsets -> offsets.get(P0).offset()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aNegativeCommitIntervalIsRefused() {
        assertThatThrownBy(() -> builder(batch -> { }).commitInterval(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commitInterval");
    }

    @Test
    void consumerThatCannotStartFailsStartAndLeavesNoThreadRetrying() {
        AtomicInteger attempts = new AtomicInteger();
        loop = KafkaConsumerLoop.<String, String>builder("test-loop", () -> {
                    attempts.incrementAndGet();
                    throw new KafkaException("no broker");
                }, KafkaConsumerLoop.subscribe(List.of(TOPIC)), batch -> { })
                .restartBackoff(Backoff.exponential(10, 10)).build();

        assertThatThrownBy(() -> complete(loop.start(context))).hasRootCauseMessage("no broker");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> attempts.get() == 1);
    }

    @Test
    void consumerThatFailsAfterStartingIsClosedAndReplacedByANewOne() throws Exception {
        List<String> values = new CopyOnWriteArrayList<>();
        loop = builder(batch -> batch.records().forEach(record -> {
            values.add(record.value());
            batch.done(record);
        })).build();
        complete(loop.start(context));
        MockConsumer<String, String> first = created.get(0);
        addWhenAssigned(first, record(P0, 0, "before"));
        await().atMost(Duration.ofSeconds(10)).until(() -> values.contains("before"));

        first.setPollException(new KafkaException("broker gone"));

        await().atMost(Duration.ofSeconds(10)).until(() -> created.size() == 2);
        assertThat(first.closed()).isTrue();
        MockConsumer<String, String> second = created.get(1);
        addWhenAssigned(second, record(P0, 1, "after"));
        await().atMost(Duration.ofSeconds(10)).until(() -> values.contains("after"));
    }

    @Test
    void closeCommitsWhatWasProcessedAndClosesTheConsumer() throws Exception {
        loop = builder(batch -> batch.records().forEach(batch::done)).pollTimeout(Duration.ofSeconds(30)).build();
        complete(loop.start(context));
        MockConsumer<String, String> consumer = created.get(0);
        addWhenAssigned(consumer, record(P0, 0, "a"));
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.position(P0) == 1);

        long started = System.nanoTime();
        loop.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(consumer.closed()).isTrue();
        assertThat(syncCommits).as("committed synchronously on close").containsExactly(Map.of(P0, new OffsetAndMetadata(1)));
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
