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
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * A trained remaining-useful-life model: a DL4J network over the last {@code window} cycles of the
 * named inputs, plus everything needed to use it (input order, normalisation, RUL cap) and the
 * metrics it was trained to. Stored as a versioned directory: {@code model.zip} (DL4J) and
 * {@code model.properties} (metadata and metrics, human readable).
 *
 * <p>Thread-safe for {@link #predict}: DL4J's {@code output} is synchronised per network.
 */
public final class RulModel {

    static final String NETWORK_FILE = "model.zip";
    static final String METADATA_FILE = "model.properties";

    private final MultiLayerNetwork network;
    private final Properties metadata;
    private final List<String> inputs;
    private final int window;
    private final double[] means;
    private final double[] scales;
    private final double rulCap;

    RulModel(MultiLayerNetwork network, Properties metadata) {
        this.network = Objects.requireNonNull(network, "network");
        this.metadata = metadata;
        this.inputs = List.of(metadata.getProperty("inputs").split(","));
        this.window = Integer.parseInt(metadata.getProperty("window"));
        this.means = parse(metadata.getProperty("inputMeans"));
        this.scales = parse(metadata.getProperty("inputScales"));
        this.rulCap = Double.parseDouble(metadata.getProperty("rulCap"));
        if (means.length != inputs.size() || scales.length != inputs.size()) {
            throw new IllegalArgumentException("normalisation does not match the " + inputs.size() + " inputs");
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
        MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(directory.resolve(NETWORK_FILE).toFile(), false);
        try {
            return new RulModel(network, metadata);
        } catch (IllegalArgumentException e) {
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
        ModelSerializer.writeModel(network, directory.resolve(NETWORK_FILE).toFile(), false);
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

    /** Cycles of history one prediction looks at; shorter histories are padded with their first cycle. */
    public int window() {
        return window;
    }

    /** A metadata or metric value (e.g. {@code validationRmse}), or {@code null}. */
    public String property(String key) {
        return metadata.getProperty(key);
    }

    /**
     * Predicts the remaining useful life, in cycles, for each history.
     *
     * @param histories per asset the cycles so far (oldest first), each cycle the values of
     *                  {@link #inputs()} in order; only the last {@link #window()} are used
     */
    public double[] predict(List<double[][]> histories) {
        if (histories.isEmpty()) {
            return new double[0];
        }
        int width = inputs.size() * window;
        double[] flat = new double[histories.size() * width];
        for (int i = 0; i < histories.size(); i++) {
            System.arraycopy(flatten(histories.get(i)), 0, flat, i * width, width);
        }
        INDArray features = Nd4j.create(flat, new long[] {histories.size(), width}, 'c');
        INDArray output = network.output(features, false);
        double[] rul = new double[histories.size()];
        for (int i = 0; i < rul.length; i++) {
            rul[i] = Math.max(0.0, output.getDouble(i, 0) * rulCap);
        }
        return rul;
    }

    /** The normalised, padded, flattened last-window input of one history. */
    double[] flatten(double[][] history) {
        if (history.length == 0) {
            throw new IllegalArgumentException("a history needs at least one cycle");
        }
        double[] flat = new double[inputs.size() * window];
        for (int t = 0; t < window; t++) {
            int source = history.length - window + t;
            double[] cycle = history[Math.max(0, source)];
            if (cycle.length != inputs.size()) {
                throw new IllegalArgumentException("a cycle needs " + inputs.size() + " values, got " + cycle.length);
            }
            for (int f = 0; f < cycle.length; f++) {
                flat[t * inputs.size() + f] = (cycle[f] - means[f]) / scales[f];
            }
        }
        return flat;
    }

    /** The cap of the training target: the model never predicts more. */
    public double rulCapValue() {
        return rulCap;
    }

    MultiLayerNetwork network() {
        return network;
    }

    static double[] parse(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
