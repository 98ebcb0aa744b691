package io.twinworks.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.analytics.model.Prediction;
import io.twinworks.core.retry.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Retries a predictions write that failed transiently (Ditto's 408 and 5xx, no answer), with
 * exponential back-off; permanent refusals (403, 400, 404) fail at once. The write is a merge of
 * the whole prediction, so repeating it is idempotent.
 */
public final class RetryingPredictionWriter implements PredictionWriter {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingPredictionWriter.class);

    private final Vertx vertx;
    private final PredictionWriter delegate;
    private final Predicate<Throwable> isTransient;
    private final int retries;
    private final Backoff backoff;
    private final Counter retried;

    /**
     * @param isTransient   which failures are retried
     * @param retries       retries after the first attempt
     * @param backoff       delays before the retries
     */
    public RetryingPredictionWriter(Vertx vertx, PredictionWriter delegate, Predicate<Throwable> isTransient,
                                    int retries, Backoff backoff, MeterRegistry meters) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.isTransient = Objects.requireNonNull(isTransient, "isTransient");
        this.retries = retries;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.retried = meters.counter("twinworks_analytics_write_retries_total");
    }

    @Override
    public Future<Void> write(String thingId, Prediction prediction) {
        Promise<Void> result = Promise.promise();
        attempt(thingId, prediction, 0, result);
        return result.future();
    }

    private void attempt(String thingId, Prediction prediction, int attempt, Promise<Void> result) {
        delegate.write(thingId, prediction).onComplete(done -> {
            if (done.succeeded()) {
                result.complete();
            } else if (attempt < retries && isTransient.test(done.cause())) {
                long delay = backoff.jitteredDelayMillis(attempt, () -> ThreadLocalRandom.current().nextDouble());
                retried.increment();
                LOG.debug("write of {} failed transiently ({}), retry {} in {} ms", thingId, done.cause().toString(), attempt + 1, delay);
                vertx.setTimer(delay, t -> attempt(thingId, prediction, attempt + 1, result));
            } else {
                result.fail(done.cause());
            }
        });
    }
}
