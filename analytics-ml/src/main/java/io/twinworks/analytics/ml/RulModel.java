package io.twinworks.analytics.ml;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * A trained remaining-useful-life model: one DL4J network, or an ensemble of networks whose
 * predictions are averaged, over the last {@code window} cycles of the named inputs, plus everything
 * needed to use it (input order, normalisation, RUL cap, how the window is laid out for the network)
 * and the metrics it was trained to. Stored as a versioned directory: {@code model.zip} (DL4J; an
 * ensemble adds {@code model-2.zip} ... {@code model-<n>.zip}) and {@code model.properties}
 * (metadata and metrics, human readable).
 *
 * <p>Thread-safe for {@link #predict}: DL4J's {@code output} is synchronised per network.
 */
public final class RulModel {

    static final String NETWORK_FILE = "model.zip";
    static final String METADATA_FILE = "model.properties";
    /** The number of an engine's first cycle (C-MAPSS and the twins count from 1). */
    public static final double FIRST_CYCLE = 1;

    /**
     * How a window of cycles is handed to the networks. Artefacts written before sequence models
     * existed have no {@code inputLayout} property: they are {@link #FLAT}.
     */
    enum InputLayout {
        /** {@code [n, window * inputs]}, cycle after cycle (the MLP). */
        FLAT("flat"),
        /** {@code [n, inputs, window]}: DL4J's recurrent layout (the LSTM). */
        SEQUENCE("sequence"),
        /** {@code [n, inputs, window, 1]}: channels are the inputs, height is time (the 1-D CNN). */
        IMAGE("image");

        final String property;

        InputLayout(String property) {
            this.property = property;
        }

        static InputLayout of(String property) {
            for (InputLayout layout : values()) {
                if (layout.property.equals(property)) {
                    return layout;
                }
            }
            throw new IllegalArgumentException("unknown inputLayout '" + property + "' (this version reads flat, sequence and image)");
        }
    }

    /**
     * Summary inputs appended to a {@link InputLayout#FLAT} window (the MLP), property {@code features}
     * (comma-separated; artefacts written before them have none: the window alone). A model of a newer
     * version with a feature this one does not know is refused on load, naming it.
     */
    public enum Feature {
        /**
         * The engine's age: the last cycle's value of the input {@link #AGE_INPUT} (the cycle number,
         * which C-MAPSS test files and the turbofan twin carry), z-scored; that input is not windowed.
         */
        AGE("age"),
        /**
         * Per windowed input, the least-squares slope of its smoothed, z-scored values over the
         * networks' window, times the window's span: the change over the window in training
         * deviations (0 for a constant input or a one-cycle window).
         */
        SLOPE("slope"),
        /**
         * Per windowed input, the last smoothed, z-scored value minus the engine's own baseline: the
         * z-scored mean of its first {@link RulModel#baselineCycles()} cycles (of all its cycles while it
         * has fewer). It separates an engine's wear from its unit-to-unit offset, which makes mid-life
         * wear ambiguous. Needs {@link #AGE}: a history whose first cycle is not the engine's first
         * ({@link #AGE_INPUT} above {@link RulModel#FIRST_CYCLE}: its start was not seen) gets the
         * training engines' mean baseline instead (property {@code baselineMeans}).
         */
        BASELINE("baseline");

        /** The input an {@link #AGE} model reads the age from. */
        public static final String AGE_INPUT = "cycle";

        final String property;

        Feature(String property) {
            this.property = property;
        }

        static Feature of(String property) {
            for (Feature feature : values()) {
                if (feature.property.equals(property)) {
                    return feature;
                }
            }
            throw new IllegalArgumentException("unknown feature '" + property + "' (this version reads age, baseline and slope)");
        }

        /** The {@code features} property value of a set of features (empty for none). */
        static String property(java.util.Set<Feature> features) {
            return features.stream().sorted().map(f -> f.property).collect(java.util.stream.Collectors.joining(","));
        }

        /** The features of a {@code features} property value ({@code ""}: none). */
        static java.util.Set<Feature> parse(String property) {
            java.util.Set<Feature> features = java.util.EnumSet.noneOf(Feature.class);
            for (String name : property.split(",")) {
                if (!name.isBlank()) {
                    features.add(of(name.strip()));
                }
            }
            return features;
        }
    }

    private final List<MultiLayerNetwork> members;
    private final Properties metadata;
    private final List<String> inputs;
    private final java.util.Set<Feature> features;
    /** Indices into {@link #inputs} of the windowed inputs (all but the age input of an {@link Feature#AGE} model). */
    private final int[] windowed;
    /** Index into {@link #inputs} of the age input, or -1 without {@link Feature#AGE}. */
    private final int age;
    private final int window;
    private final double smoothingAlpha;
    private final int smoothingCycles;
    /** Cycles the {@link Feature#BASELINE} averages at the start of an engine's life; 0 without it. */
    private final int baselineCycles;
    /**
     * Per windowed input, the z-scored mean baseline of the training engines: the baseline of an engine
     * whose first cycles were not seen; empty without {@link Feature#BASELINE}.
     */
    private final double[] baselineMeans;
    private final double[] means;
    private final double[] scales;
    private final double rulCap;
    private final InputLayout layout;

    RulModel(MultiLayerNetwork network, Properties metadata) {
        this(List.of(Objects.requireNonNull(network, "network")), metadata);
    }

    RulModel(List<MultiLayerNetwork> members, Properties metadata) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one network");
        }
        this.members = List.copyOf(members);
        this.metadata = metadata;
        this.inputs = List.of(metadata.getProperty("inputs").split(","));
        this.window = Integer.parseInt(metadata.getProperty("window"));
        this.means = parse(metadata.getProperty("inputMeans"));
        this.scales = parse(metadata.getProperty("inputScales"));
        this.rulCap = Double.parseDouble(metadata.getProperty("rulCap"));
        this.layout = InputLayout.of(metadata.getProperty("inputLayout", InputLayout.FLAT.property));
        // Artefacts written before smoothing existed have neither property: alpha 1 is the raw input.
        this.smoothingAlpha = Double.parseDouble(metadata.getProperty("smoothingAlpha", "1"));
        this.smoothingCycles = Integer.parseInt(metadata.getProperty("smoothingCycles", "0"));
        if (!(smoothingAlpha > 0 && smoothingAlpha <= 1)) {
            throw new IllegalArgumentException("smoothingAlpha must be within (0, 1], is " + smoothingAlpha);
        }
        if (smoothingCycles < 0 || (smoothingAlpha < 1 && smoothingCycles == 0)) {
            throw new IllegalArgumentException("smoothingCycles must be positive with smoothing (alpha < 1) and not negative, is "
                    + smoothingCycles);
        }
        if (means.length != inputs.size() || scales.length != inputs.size()) {
            throw new IllegalArgumentException("normalisation does not match the " + inputs.size() + " inputs");
        }
        this.features = Feature.parse(metadata.getProperty("features", ""));
        if (!features.isEmpty() && layout != InputLayout.FLAT) {
            throw new IllegalArgumentException("features " + Feature.property(features) + " need the flat input layout, not "
                    + layout.property);
        }
        this.age = features.contains(Feature.AGE) ? inputs.indexOf(Feature.AGE_INPUT) : -1;
        if (features.contains(Feature.AGE) && age < 0) {
            throw new IllegalArgumentException("the age feature needs the input '" + Feature.AGE_INPUT + "', inputs are " + inputs);
        }
        this.windowed = java.util.stream.IntStream.range(0, inputs.size()).filter(i -> i != age).toArray();
        if (features.contains(Feature.BASELINE)) {
            if (age < 0) {
                throw new IllegalArgumentException("the baseline feature needs the age feature (to tell whether a history starts"
                        + " at the engine's first cycle)");
            }
            this.baselineCycles = Integer.parseInt(metadata.getProperty("baselineCycles", "0"));
            if (baselineCycles < 1) {
                throw new IllegalArgumentException("the baseline feature needs baselineCycles of at least 1, is "
                        + metadata.getProperty("baselineCycles"));
            }
            String property = metadata.getProperty("baselineMeans");
            double[] raw = property == null ? new double[0] : parse(property);
            if (raw.length != windowed.length) {
                throw new IllegalArgumentException("the baseline feature needs baselineMeans for the " + windowed.length
                        + " windowed inputs, has " + raw.length);
            }
            this.baselineMeans = new double[windowed.length];
            for (int f = 0; f < windowed.length; f++) {
                baselineMeans[f] = (raw[f] - means[windowed[f]]) / scales[windowed[f]];
            }
        } else {
            this.baselineCycles = 0;
            this.baselineMeans = new double[0];
        }
        if (windowed.length == 0) {
            throw new IllegalArgumentException("a model needs at least one windowed input, inputs are " + inputs);
        }
    }

    /** Loads a model directory written by {@link #save(Path)}. */
    public static RulModel load(Path directory) throws IOException {
        Properties metadata = new Properties();
        try (InputStream in = Files.newInputStream(directory.resolve(METADATA_FILE))) {
            metadata.load(in);
        }
        for (String key : List.of("name", "version", "inputs", "window", "inputMeans", "inputScales", "rulCap")) {
            if (metadata.getProperty(key) == null) {
                throw new IOException(directory.resolve(METADATA_FILE) + " lacks '" + key + "'");
            }
        }
        int count;
        try {
            count = Integer.parseInt(metadata.getProperty("ensembleMembers", "1"));
        } catch (NumberFormatException e) {
            throw new IOException(directory.resolve(METADATA_FILE) + ": ensembleMembers '" + metadata.getProperty("ensembleMembers")
                    + "' is not a number");
        }
        if (count < 1) {
            throw new IOException(directory.resolve(METADATA_FILE) + ": ensembleMembers must be at least 1, is " + count);
        }
        List<MultiLayerNetwork> networks = new ArrayList<>();
        for (int member = 1; member <= count; member++) {
            Path file = directory.resolve(memberFile(member));
            if (!Files.isRegularFile(file)) {
                throw new IOException(directory + " lacks " + file.getFileName() + " (ensemble member " + member + " of " + count + ")");
            }
            networks.add(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false));
        }
        try {
            return new RulModel(networks, metadata);
        } catch (IllegalArgumentException e) { // includes NumberFormatException of a numeric property
            throw new IOException(directory + ": " + e.getMessage(), e);
        }
    }
    /**
     * The newest model in a model directory: of the sub-directories {@code <name>-<n>} holding a
     * {@code model.properties}, the one with the highest {@code n} (any name); empty when none.
     */
    public static java.util.Optional<Path> latest(Path modelsDir) throws IOException {
        if (!Files.isDirectory(modelsDir)) {
            return java.util.Optional.empty();
        }
        try (java.util.stream.Stream<Path> entries = Files.list(modelsDir)) {
            return entries.filter(p -> Files.isRegularFile(p.resolve(METADATA_FILE)))
                    .filter(p -> p.getFileName().toString().matches(".+-\\d+"))
                    .max(java.util.Comparator.comparingInt((Path p) -> {
                        String n = p.getFileName().toString();
                        return Integer.parseInt(n.substring(n.lastIndexOf('-') + 1));
                    }).thenComparing(p -> p.getFileName().toString()));
        }
    }

    /** Writes {@code model.zip} and {@code model.properties} into {@code directory} (created). */
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (int member = 1; member <= members.size(); member++) {
            ModelSerializer.writeModel(members.get(member - 1), directory.resolve(memberFile(member)).toFile(), false);
        }
        try (OutputStream out = Files.newOutputStream(directory.resolve(METADATA_FILE))) {
            metadata.store(out, "Twinworks RUL model: metadata and metrics");
        }
    }

    /** The model's name, e.g. {@code rul-cmapss}. */
    public String name() {
        return metadata.getProperty("name");
    }

    /** Its version (the training run's number in its model directory). */
    public String version() {
        return metadata.getProperty("version");
    }

    /** The input signals, in the order a cycle's values are given. */
    public List<String> inputs() {
        return inputs;
    }

    /**
     * Cycles of history one prediction looks at: the networks' window plus, for a smoothed model,
     * the cycles that run its exponential smoothing in before the window; shorter histories are
     * padded with their first cycle.
     */
    public int window() {
        return window + smoothingCycles;
    }

    /** A metadata or metric value (e.g. {@code validationRmse}), or {@code null}. */
    public String property(String key) {
        return metadata.getProperty(key);
    }

    /**
     * Predicts the remaining useful life, in cycles, for each history: the mean of the ensemble
     * members' predictions (one member unless trained with an ensemble), never negative.
     *
     * @param histories per asset the cycles so far (oldest first), each cycle the values of
     *                  {@link #inputs()} in order; only the last {@link #window()} are used, and, for a
     *                  model with {@link Feature#BASELINE}, the first {@link #baselineCycles()} (the
     *                  cycles between may be left out)
     */
    public double[] predict(List<double[][]> histories) {
        if (histories.isEmpty()) {
            return new double[0];
        }
        List<float[]> encoded = new ArrayList<>(histories.size());
        for (double[][] history : histories) {
            encoded.add(encode(history));
        }
        INDArray features = features(encoded);
        double[] sum = new double[histories.size()];
        for (MultiLayerNetwork member : members) {
            INDArray output = member.output(features, false);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += output.getDouble(i, 0);
            }
        }
        double[] rul = new double[histories.size()];
        for (int i = 0; i < rul.length; i++) {
            rul[i] = Math.max(0.0, sum[i] / members.size() * rulCap);
        }
        return rul;
    }

    /**
     * The normalised last-window input of one history in this model's layout. The last
     * {@link #window()} cycles are taken (a shorter history is padded at the front with its first
     * cycle), each windowed input is smoothed causally by an exponential moving average started at the
     * first of them ({@code s = alpha * x + (1 - alpha) * s}; alpha 1 leaves the values as they are),
     * and the last networks' window of smoothed cycles is z-scored; then the {@link Feature}s follow
     * (age, then one slope per windowed input, then one baseline difference per windowed input). The
     * same code runs in training, in {@code predict-rul} and in the analytics service, so all three see
     * the same input.
     */
    float[] encode(double[][] history) {
        if (history.length == 0) {
            throw new IllegalArgumentException("a history needs at least one cycle");
        }
        int width = windowed.length;
        int span = window + smoothingCycles;
        double[] smoothed = new double[width];
        float[] encoded = new float[encodedSize()];
        for (int t = 0; t < span; t++) {
            int source = history.length - span + t;
            double[] cycle = history[Math.max(0, source)];
            if (cycle.length != inputs.size()) {
                throw new IllegalArgumentException("a cycle needs " + inputs.size() + " values, got " + cycle.length);
            }
            for (int f = 0; f < width; f++) {
                double value = cycle[windowed[f]];
                smoothed[f] = t == 0 ? value : smoothingAlpha * value + (1 - smoothingAlpha) * smoothed[f];
            }
            int step = t - smoothingCycles;
            if (step < 0) {
                continue;
            }
            for (int f = 0; f < width; f++) {
                float value = (float) ((smoothed[f] - means[windowed[f]]) / scales[windowed[f]]);
                encoded[layout == InputLayout.FLAT ? step * width + f : f * window + step] = value;
            }
        }
        int next = width * window;
        if (age >= 0) {
            encoded[next++] = (float) ((history[history.length - 1][age] - means[age]) / scales[age]);
        }
        if (features.contains(Feature.SLOPE)) {
            for (int f = 0; f < width; f++) {
                encoded[next++] = (float) slope(encoded, f, width);
            }
        }
        if (baselineCycles > 0) {
            double[] baseline = baseline(history);
            int last = width * (window - 1);
            for (int f = 0; f < width; f++) {
                encoded[next++] = (float) (encoded[last + f] - baseline[f]);
            }
        }
        return encoded;
    }

    /**
     * The z-scored baseline of each windowed input: the mean of the history's first
     * {@link #baselineCycles()} cycles (all of them when it is shorter), or the training engines' mean
     * baseline when the history does not start at the engine's {@link #FIRST_CYCLE}.
     */
    private double[] baseline(double[][] history) {
        if (history[0].length == inputs.size() && history[0][age] > FIRST_CYCLE) {
            return baselineMeans;
        }
        int seen = Math.min(baselineCycles, history.length);
        double[] baseline = new double[windowed.length];
        for (int c = 0; c < seen; c++) {
            if (history[c].length != inputs.size()) {
                throw new IllegalArgumentException("a cycle needs " + inputs.size() + " values, got " + history[c].length);
            }
        }
        for (int f = 0; f < windowed.length; f++) {
            double sum = 0;
            for (int c = 0; c < seen; c++) {
                sum += history[c][windowed[f]];
            }
            baseline[f] = (sum / seen - means[windowed[f]]) / scales[windowed[f]];
        }
        return baseline;
    }

    /**
     * The least-squares slope of windowed input {@code f} over the flat window in {@code encoded},
     * times the window's span ({@code window - 1} cycles); 0 for a one-cycle window.
     */
    private double slope(float[] encoded, int f, int width) {
        if (window < 2) {
            return 0;
        }
        double centre = (window - 1) / 2.0;
        double covariance = 0;
        double variance = 0;
        for (int step = 0; step < window; step++) {
            covariance += (step - centre) * encoded[step * width + f];
            variance += (step - centre) * (step - centre);
        }
        return covariance / variance * (window - 1);
    }

    /** Values per encoded history: the window of the windowed inputs plus the features. */
    int encodedSize() {
        return windowed.length * window + (age >= 0 ? 1 : 0) + (features.contains(Feature.SLOPE) ? windowed.length : 0)
                + (baselineCycles > 0 ? windowed.length : 0);
    }

    /**
     * Cycles at the start of an engine's life a history must begin with ({@link Feature#BASELINE}; 0
     * without it): a history is then the engine's first {@code baselineCycles()} cycles followed by its
     * last {@link #window()} cycles (the cycles between may be left out; a history shorter than both
     * together must be every cycle so far).
     */
    public int baselineCycles() {
        return baselineCycles;
    }

    /** The summary features appended to the window (none for a model written before them). */
    public java.util.Set<Feature> features() {
        return java.util.Collections.unmodifiableSet(features);
    }

    /** Encoded windows ({@link #encode}) as one mini-batch in the networks' input shape. */
    INDArray features(List<float[]> encoded) {
        int size = encodedSize();
        float[] flat = new float[encoded.size() * size];
        for (int i = 0; i < encoded.size(); i++) {
            System.arraycopy(encoded.get(i), 0, flat, i * size, size);
        }
        long n = encoded.size();
        long[] shape = switch (layout) {
            case FLAT -> new long[] {n, size};
            case SEQUENCE -> new long[] {n, windowed.length, window};
            case IMAGE -> new long[] {n, windowed.length, window, 1};
        };
        return Nd4j.create(flat, shape, 'c');
    }

    /** The cap of the training target: the model never predicts more. */
    public double rulCapValue() {
        return rulCap;
    }

    /** The ensemble's networks (one for a single model). */
    List<MultiLayerNetwork> members() {
        return members;
    }

    /** How many networks are averaged. */
    public int ensembleSize() {
        return members.size();
    }

    static String memberFile(int member) {
        return member == 1 ? NETWORK_FILE : "model-" + member + ".zip";
    }

    static double[] parse(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
