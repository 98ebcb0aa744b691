package io.twinworks.analytics;

import io.twinworks.analytics.model.Prediction;
import io.vertx.core.Future;

/** Writes a prediction into a twin's {@code predictions} feature (merge, never a full replace). */
public interface PredictionWriter {

    /** Completes when the twin service acknowledged the write; fails with the service's error. */
    Future<Void> write(String thingId, Prediction prediction);
}
