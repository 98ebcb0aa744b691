package io.twinworks.analytics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.analytics.ditto.WriteFailures;
import io.twinworks.analytics.model.HealthState;
import io.twinworks.analytics.model.Prediction;
import io.twinworks.core.retry.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.eclipse.ditto.base.model.signals.acks.AcknowledgementRequestTimeoutException;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.exceptions.FeaturePropertiesNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryingPredictionWriterTest {

    private static final Prediction PREDICTION = new Prediction(0.1, HealthState.OK, OptionalDouble.empty(), "m", "1", 3, Instant.EPOCH);
    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger attempts = new AtomicInteger();
    private final Deque<Throwable> failures = new ArrayDeque<>();
    private final PredictionWriter flaky = (thingId, prediction) -> {
        attempts.incrementAndGet();
        Throwable next = failures.poll();
        return next == null ? Future.succeededFuture() : Future.failedFuture(new CompletionException(next));
    };
    private final RetryingPredictionWriter writer = new RetryingPredictionWriter(vertx, flaky, WriteFailures::isTransient, 3,
            Backoff.exponential(1, 1_000), meters);

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void a503AndAnAcknowledgementTimeoutAreRetriedUntilTheWriteSucceeds() throws Exception {
        failures.add(ThingUnavailableException.newBuilder(ThingId.of("a:b")).build());
        failures.add(AcknowledgementRequestTimeoutException.newBuilder(java.time.Duration.ofSeconds(1)).build());
        write();
        assertThat(attempts).hasValue(3);
        assertThat(meters.counter("twinworks_analytics_write_retries_total").count()).isEqualTo(2.0);
    }

    @Test
    void aRefusalIsNotRetried() {
        failures.add(FeaturePropertiesNotModifiableException.newBuilder(ThingId.of("a:b"), "predictions").build());
        assertThatThrownBy(this::write).hasRootCauseInstanceOf(FeaturePropertiesNotModifiableException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void transientFailuresBeyondTheRetryBudgetFailWithTheLastCause() {
        for (int i = 0; i < 5; i++) {
            failures.add(ThingUnavailableException.newBuilder(ThingId.of("a:b")).build());
        }
        assertThatThrownBy(this::write).hasRootCauseInstanceOf(ThingUnavailableException.class);
        assertThat(attempts).hasValue(4);
    }

    @Test
    void onlyDittoAnswers408And5xxAndTimeoutsCountAsTransient() {
        assertThat(WriteFailures.isTransient(new CompletionException(ThingUnavailableException.newBuilder(ThingId.of("a:b")).build()))).isTrue();
        assertThat(WriteFailures.isTransient(new java.util.concurrent.TimeoutException())).isTrue();
        assertThat(WriteFailures.isTransient(FeaturePropertiesNotModifiableException.newBuilder(ThingId.of("a:b"), "p").build())).isFalse();
        assertThat(WriteFailures.isTransient(new IllegalStateException("bug"))).isFalse();
        assertThat(WriteFailures.status(ThingUnavailableException.newBuilder(ThingId.of("a:b")).build())).isEqualTo(503);
    }

    private void write() throws Exception {
        writer.write("a:b", PREDICTION).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
