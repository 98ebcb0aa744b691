package io.twinworks.adapters.outbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the adapter's event loop reads from the outbox (its gauges, the readiness check's size, age
 * and writability) never waits for the outbox's lock, which writers hold across SQLite commits (an
 * fsync each with {@code sync: FULL}). Proven deterministically: the lock is held by another thread
 * while an event loop reads; a read that took the lock would never return.
 */
class OutboxReadsWithoutLockTest {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private record Reading(int size, long oldestAgeMillis, int deadLetters, boolean writable, double gaugeMessages,
                           double gaugeOldestAge, double gaugeDeadLetters) {
    }

    @Test
    void gaugesAndHealthReadsAnswerOnAnEventLoopWhileAWriterHoldsTheOutboxLockAtFullSync() throws Exception {
        try (Outbox outbox = Outbox.open(dir.resolve("outbox.db"), 100, OverflowPolicy.REJECT_NEW,
                Outbox.SyncMode.FULL, meters)) {
            OutboxMessage first = outbox.append("ns:a", "telemetry", 1, seq -> bytes("1"));
            outbox.append("ns:a", "telemetry", 1, seq -> bytes("2"));
            outbox.deadLetter(first.id(), "refused by Hono");
            Thread.sleep(20);   // the oldest waiting message gets a measurable age

            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                synchronized (outbox) {
                    locked.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "outbox-lock-holder");
            writer.start();
            assertThat(locked.await(5, TimeUnit.SECONDS)).isTrue();
            try {
                CompletableFuture<Reading> reading = new CompletableFuture<>();
                vertx.runOnContext(v -> reading.complete(new Reading(outbox.size(), outbox.oldestAgeMillis(),
                        outbox.deadLetterCount(), outbox.writable(),
                        meters.get("adapter.outbox.messages").gauge().value(),
                        meters.get("adapter.outbox.oldest.age").gauge().value(),
                        meters.get("adapter.outbox.dead.letters").gauge().value())));

                Reading read = reading.get(5, TimeUnit.SECONDS);

                assertThat(read.size()).isEqualTo(1);
                assertThat(read.deadLetters()).isEqualTo(1);
                assertThat(read.oldestAgeMillis()).isGreaterThanOrEqualTo(20);
                assertThat(read.writable()).isTrue();
                assertThat(read.gaugeMessages()).isEqualTo(1.0);
                assertThat(read.gaugeDeadLetters()).isEqualTo(1.0);
                assertThat(read.gaugeOldestAge()).isGreaterThanOrEqualTo(0.02);
            } finally {
                release.countDown();
                writer.join(5_000);
            }
        }
    }

    @Test
    void oldestAgeFollowsTheOldestStillWaitingMessageAndIsZeroWhenEmpty() throws Exception {
        try (Outbox outbox = Outbox.open(dir.resolve("outbox.db"), 100, OverflowPolicy.REJECT_NEW,
                Outbox.SyncMode.NORMAL, meters)) {
            assertThat(outbox.oldestAgeMillis()).isZero();
            OutboxMessage first = outbox.append("ns:a", "telemetry", 1, seq -> bytes("1"));
            long afterFirst = System.currentTimeMillis();
            Thread.sleep(50);
            long beforeSecond = System.currentTimeMillis();
            OutboxMessage second = outbox.append("ns:a", "telemetry", 1, seq -> bytes("2"));
            long beforeRead = System.currentTimeMillis();
            // at least the first message's age: stored no later than afterFirst
            assertThat(outbox.oldestAgeMillis()).isGreaterThanOrEqualTo(beforeRead - afterFirst);

            outbox.remove(List.of(first.id()));
            long age = outbox.oldestAgeMillis();
            // at most the second message's age: stored no earlier than beforeSecond
            assertThat(age).isLessThanOrEqualTo(System.currentTimeMillis() - beforeSecond);

            outbox.remove(List.of(second.id()));
            assertThat(outbox.oldestAgeMillis()).isZero();
            assertThat(outbox.size()).isZero();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
