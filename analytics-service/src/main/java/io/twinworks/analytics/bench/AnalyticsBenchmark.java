package io.twinworks.analytics.bench;

import io.twinworks.analytics.detect.LearnedSignal;
import io.twinworks.analytics.ml.ForecastModel;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.analytics.TwinAnalytics;
import io.twinworks.analytics.detect.SignalDetector;
import io.twinworks.analytics.ml.RulModel;
import io.twinworks.analytics.model.Reading;
import io.vertx.core.Future;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code twinworks bench analytics}: throughput of the full per-asset path, memory per asset, and
 * DL4J batched inference, each with a baseline measured in the same run.
 */
public final class AnalyticsBenchmark {

    /** Signals per asset: the centrifugal pump's four. */
    static final List<String> SIGNALS = List.of("vibration/rms", "temperature/value", "flow/value", "pressure/value");

    /** Each inference variant runs at least this long. */
    static final long MIN_NANOS = 3_000_000_000L;

    private AnalyticsBenchmark() {
    }

    /**
     * Readings per second through {@link TwinAnalytics} on one thread, and through bare detectors;
     * the readings are stationary noise, so {@code assetsNotOk} at the end are false alarms.
     */
    public record Throughput(int assets, long readings, double readingsPerSecond, double bareDetectorPerSecond, int assetsNotOk) {
        /** Share of the bare detector's rate that the full path keeps. */
        public double ratio() {
            return readingsPerSecond / bareDetectorPerSecond;
        }
    }

    /** Heap per asset after every asset is past warm-up. */
    /**
     * Heap per asset: the full statistical path, 4 bare statistical detectors, and the learned
     * detector's per-asset state for 4 signals past probation (the shared forecaster is not per asset).
     */
    public record Memory(int assets, double bytesPerAsset, double bareDetectorBytesPerAsset, double learnedBytesPerAsset) {
    }

    /** Predictions per second with batch size 1 and with {@code batchSize}. */
    public record Inference(String model, int batchSize, double singlePerSecond, double batchedPerSecond) {
        public double ratio() {
            return batchedPerSecond / singlePerSecond;
        }
    }

    /**
     * Feeds {@code rounds} readings of every signal of {@code assets} assets through the full path
     * (revision ordering, detectors, combined score, health state, write policy; writes complete at
     * once) on this thread, after one untimed warm-up pass.
     */
    public static Throughput throughput(int assets, int rounds) {
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "5000"));
        TwinAnalytics analytics = new TwinAnalytics(config, (id, p) -> Future.succeededFuture(), new SimpleMeterRegistry(), Clock.systemUTC());
        String[] ids = thingIds(assets);
        Random random = new Random(1);
        long revision = 0;
        for (int r = 0; r < config.warmupSamples() + 5; r++) {
            revision++;
            for (String id : ids) {
                analytics.onReadings(readings(id, revision, random));
            }
        }
        long started = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            revision++;
            for (String id : ids) {
                analytics.onReadings(readings(id, revision, random));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long readings = (long) rounds * assets * SIGNALS.size();

        SignalDetector[] bare = new SignalDetector[assets * SIGNALS.size()];
        for (int i = 0; i < bare.length; i++) {
            bare[i] = new SignalDetector(config.warmupSamples(), config.smoothing());
        }
        double sink = 0;
        for (int r = 0; r < config.warmupSamples() + 5; r++) {
            for (SignalDetector detector : bare) {
                sink += detector.update(1 + 0.01 * random.nextGaussian());
            }
        }
        long bareStarted = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (SignalDetector detector : bare) {
                sink += detector.update(1 + 0.01 * random.nextGaussian());
            }
        }
        double bareSeconds = (System.nanoTime() - bareStarted) / 1e9;
        if (sink == 42) {
            System.out.print("");
        }
        int notOk = 0;
        for (String id : ids) {
            if (analytics.assetState(id).healthState() != io.twinworks.analytics.model.HealthState.OK) {
                notOk++;
            }
        }
        return new Throughput(assets, readings, readings / seconds, readings / bareSeconds, notOk);
    }

    /** Heap growth per asset for {@code assets} assets with four learned signals each. */
    public static Memory memory(int assets) {
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of());
        Random random = new Random(2);
        long before = usedHeap();
        TwinAnalytics analytics = new TwinAnalytics(config, (id, p) -> Future.succeededFuture(), new SimpleMeterRegistry(), Clock.systemUTC());
        String[] ids = thingIds(assets);
        for (int r = 1; r <= config.warmupSamples() + 2; r++) {
            for (String id : ids) {
                analytics.onReadings(readings(id, r, random));
            }
        }
        long after = usedHeap();
        double perAsset = (after - before) / (double) assets;
        if (analytics.assetCount() != assets) {
            throw new IllegalStateException("expected " + assets + " assets, have " + analytics.assetCount());
        }
        ids = null;
        analytics = null;
        long bareBefore = usedHeap();
        SignalDetector[] bare = new SignalDetector[assets * SIGNALS.size()];
        for (int i = 0; i < bare.length; i++) {
            bare[i] = new SignalDetector(2, 0.2);
        }
        long bareAfter = usedHeap();
        double barePerAsset = (bareAfter - bareBefore) / (double) assets;
        if (bare.length == 0) {
            throw new IllegalStateException();
        }
        bare = null;
        // the learned detector is off by default; its state is measured as it is when turned on (probation 100)
        int probation = 100;
        int window = io.twinworks.analytics.ml.ForecastModel.Settings.DEFAULTS.window();
        long learnedBefore = usedHeap();
        LearnedSignal[] learned = new LearnedSignal[assets * SIGNALS.size()];
        for (int i = 0; i < learned.length; i++) {
            learned[i] = new LearnedSignal(probation, window);
            for (int r = 0; r <= probation + window; r++) {
                learned[i].push(1 + 0.01 * random.nextGaussian(), false);
            }
            learned[i].score(0.0, 1.0, 0.5);
        }
        long learnedAfter = usedHeap();
        if (learned[learned.length - 1].inProbation()) {
            throw new IllegalStateException("learned state still in probation");
        }
        return new Memory(assets, perAsset, barePerAsset, (learnedAfter - learnedBefore) / (double) assets);
    }

    /** Predictions per second of a RUL model, one history at a time versus batches of {@code batchSize}. */
    public static Inference inference(RulModel model, int batchSize, int predictions) {
        Random random = new Random(3);
        List<double[][]> histories = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            double[][] history = new double[model.window()][model.inputs().size()];
            for (double[] cycle : history) {
                for (int f = 0; f < cycle.length; f++) {
                    cycle[f] = random.nextGaussian();
                }
            }
            histories.add(history);
        }
        // warm-up (JIT, ND4J workspaces), then each variant runs for at least MIN_SECONDS: one short
        // burst on a shared, loaded machine says more about the neighbours than about DL4J
        for (int i = 0; i < 20; i++) {
            model.predict(histories);
            model.predict(histories.subList(i % batchSize, i % batchSize + 1));
        }
        long singles = 0;
        long started = System.nanoTime();
        while (singles < predictions / 20 || System.nanoTime() - started < MIN_NANOS) {
            model.predict(histories.subList((int) (singles % batchSize), (int) (singles % batchSize) + 1));
            singles++;
        }
        double single = singles / ((System.nanoTime() - started) / 1e9);
        long batches = 0;
        started = System.nanoTime();
        while (batches * batchSize < predictions || System.nanoTime() - started < MIN_NANOS) {
            model.predict(histories);
            batches++;
        }
        double batched = (double) batches * batchSize / ((System.nanoTime() - started) / 1e9);
        return new Inference(model.name() + " v" + model.version(), batchSize, single, batched);
    }

    /**
     * Forecasts per second of the learned detector's DL4J forecaster (trained here on a noisy sine,
     * the default settings), one window at a time versus batches of {@code batchSize} (as
     * {@code LearnedForecasts} batches the readings of one context turn).
     */
    public static Inference forecastInference(int batchSize, int forecasts) {
        ForecastModel.Settings settings = ForecastModel.Settings.DEFAULTS;
        Random random = new Random(4);
        double[] series = new double[600];
        for (int i = 0; i < series.length; i++) {
            series[i] = Math.sin(2 * Math.PI * i / 24) + 0.05 * random.nextGaussian();
        }
        double[][][] training = ForecastModel.trainingSet(series, settings.window());
        ForecastModel model = ForecastModel.train(training[0], training[1][0], settings);
        double[][] windows = java.util.Arrays.copyOf(training[0], batchSize);
        for (int i = 0; i < batchSize; i++) {
            windows[i] = training[0][i % training[0].length];
        }
        for (int i = 0; i < 20; i++) {
            model.predict(windows);
            model.predict(new double[][] {windows[i % batchSize]});
        }
        long singles = 0;
        long started = System.nanoTime();
        while (singles < forecasts / 20 || System.nanoTime() - started < MIN_NANOS) {
            model.predict(new double[][] {windows[(int) (singles % batchSize)]});
            singles++;
        }
        double single = singles / ((System.nanoTime() - started) / 1e9);
        long batches = 0;
        started = System.nanoTime();
        while (batches * batchSize < forecasts || System.nanoTime() - started < MIN_NANOS) {
            model.predict(windows);
            batches++;
        }
        double batched = (double) batches * batchSize / ((System.nanoTime() - started) / 1e9);
        return new Inference("learned forecaster (window " + settings.window() + ", " + settings.hidden() + " hidden)",
                batchSize, single, batched);
    }

    private static String[] thingIds(int assets) {
        String[] ids = new String[assets];
        for (int i = 0; i < assets; i++) {
            ids[i] = "bench:asset-" + i;
        }
        return ids;
    }

    private static List<Reading> readings(String id, long revision, Random random) {
        List<Reading> readings = new ArrayList<>(SIGNALS.size());
        for (String signal : SIGNALS) {
            readings.add(new Reading(id, signal, 1.0 + 0.02 * random.nextGaussian(), revision));
        }
        return readings;
    }

    private static long usedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
