package io.twinworks.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.analytics.detect.AssetState;
import io.twinworks.analytics.model.HealthState;
import io.twinworks.analytics.model.Prediction;
import io.twinworks.analytics.model.Reading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Keeps per-asset streaming state, scores every reading, and writes the asset's prediction back to
 * its twin: at most once per write interval, but at once when the health state changes.
 *
 * <p>Not thread-safe by design: all readings are handed in on one Vert.x context, in order.
 */
public final class TwinAnalytics {

    /** Name of the detector written as {@code predictions.model}. */
    public static final String MODEL = "twinworks-zscore";
    /** Its version, written as {@code predictions.modelVersion}. */
    public static final String MODEL_VERSION = "1";

    private static final Logger LOG = LoggerFactory.getLogger(TwinAnalytics.class);

    private final AnalyticsConfig config;
    private final PredictionWriter writer;
    private final Clock clock;
    private final Map<String, Asset> assets = new HashMap<>();
    private final Counter readingsUsed;
    private final Counter readingsDropped;
    private final Counter predictionsWritten;
    private final Counter writeFailures;

    /**
     * @param config the service configuration (detector settings, write interval)
     * @param writer writes predictions into twins
     * @param meters receives the service's counters
     * @param clock  the time source for {@code computedAt} and the write interval
     */
    public TwinAnalytics(AnalyticsConfig config, PredictionWriter writer, MeterRegistry meters, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.readingsUsed = meters.counter("twinworks_analytics_readings_total", "outcome", "used");
        this.readingsDropped = meters.counter("twinworks_analytics_readings_total", "outcome", "dropped");
        this.predictionsWritten = meters.counter("twinworks_analytics_predictions_written_total");
        this.writeFailures = meters.counter("twinworks_analytics_write_failures_total");
        meters.gaugeMapSize("twinworks_analytics_assets", List.of(), assets);
    }

    /** Takes the readings of one twin change (one thing, one revision) and writes a prediction if due. */
    public void onReadings(List<Reading> readings) {
        if (readings.isEmpty()) {
            return;
        }
        String thingId = readings.get(0).thingId();
        Asset asset = assets.computeIfAbsent(thingId, id -> new Asset(new AssetState(config.warmupSamples(), config.smoothing())));
        for (Reading reading : readings) {
            if (asset.state.update(reading.signal(), reading.value(), reading.revision())) {
                readingsUsed.increment();
            } else {
                readingsDropped.increment();
            }
        }
        writeIfDue(thingId, asset);
    }

    /** The current state of an asset, or {@code null} if none was seen. */
    public AssetState assetState(String thingId) {
        Asset asset = assets.get(thingId);
        return asset == null ? null : asset.state;
    }

    private void writeIfDue(String thingId, Asset asset) {
        HealthState health = asset.state.healthState();
        if (health == HealthState.LEARNING || asset.writeInFlight) {
            return;
        }
        Instant now = clock.instant();
        boolean healthChanged = health != asset.lastWrittenHealth;
        boolean intervalPassed = asset.lastWriteAt == null
                || now.toEpochMilli() - asset.lastWriteAt.toEpochMilli() >= config.writeIntervalMillis();
        if (!healthChanged && !intervalPassed) {
            return;
        }
        Prediction prediction = new Prediction(asset.state.anomalyScore(), health, OptionalDouble.empty(),
                MODEL, MODEL_VERSION, asset.state.lastRevision(), now);
        asset.writeInFlight = true;
        LOG.debug("writing predictions of {}: {}", thingId, prediction);
        writer.write(thingId, prediction).onComplete(result -> {
            asset.writeInFlight = false;
            if (result.succeeded()) {
                predictionsWritten.increment();
                if (health.isWorseThan(asset.lastWrittenHealth == null ? HealthState.OK : asset.lastWrittenHealth)) {
                    LOG.info("{} health {} (anomaly score {}, worst signal {})", thingId, health.wireName(),
                            String.format("%.3f", prediction.anomalyScore()), asset.state.worstSignal());
                }
                asset.lastWrittenHealth = health;
                asset.lastWriteAt = now;
                // readings that came in while this write was in flight may have changed the health (a burst
                // of changes arrives within one write's round trip): write that now, not at the next reading
                writeIfDue(thingId, asset);
            } else {
                writeFailures.increment();
                LOG.warn("writing predictions of {} failed: {}", thingId, result.cause().toString());
            }
        });
    }

    /** Mutable bookkeeping of one asset, confined to the analytics context. */
    private static final class Asset {
        final AssetState state;
        HealthState lastWrittenHealth;
        Instant lastWriteAt;
        boolean writeInFlight;

        Asset(AssetState state) {
            this.state = state;
        }
    }
}
