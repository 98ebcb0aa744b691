package io.twinworks.analytics.learn;

import io.twinworks.analytics.ml.ForecastModel;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The shared learned forecasters as versioned artefacts in the model directory, in the convention of
 * the RUL models ({@code RulModel}): one directory per artefact, {@code learned-forecast-<n>}, holding
 * the network ({@value #NETWORK_FILE}, DL4J {@code ModelSerializer}) and its metadata
 * ({@value #METADATA_FILE}: signal, window, hidden units, training readings and windows, the normal
 * error, the standardisation convention, created time, version). {@code n} is the next free number
 * over all learned forecasters; the newest readable artefact of a signal is the one used. The RUL
 * watcher ignores these directories (they hold no {@code model.properties}).
 *
 * <p>Blocking (disk, DL4J): call from worker threads only.
 */
public final class ForecastArtefacts {

    /** Directory name prefix of a learned forecaster artefact. */
    public static final String PREFIX = "learned-forecast-";
    static final String NETWORK_FILE = "model.zip";
    static final String METADATA_FILE = "forecast.json";
    /** Format of {@value #METADATA_FILE}; a reader refuses other formats. */
    static final int FORMAT = 1;
    /**
     * How inputs and output are scaled: the network's units are this convention, so a model saved under
     * another one would score nonsense and is refused.
     */
    public static final String STANDARDISATION = "per-asset probation mean/sd (floor max(1e-6, 1% of |mean|)), clipped to +-"
            + ForecastModel.CLIP;

    private ForecastArtefacts() {
    }

    /**
     * The metadata of one artefact.
     *
     * @param signal           {@code featureId/property} the model forecasts
     * @param version          the {@code n} of its directory
     * @param window           values one forecast looks at
     * @param hidden           hidden units
     * @param trainingReadings probation readings it was trained on (all assets)
     * @param trainingWindows  training windows made of them
     * @param assets           assets whose probation it was trained on
     * @param residualRmse     its error on the training windows, standardised (the scale of the learned score)
     * @param standardisation  {@link #STANDARDISATION} when it was written
     * @param createdAt        when it was written
     */
    public record Metadata(String signal, int version, int window, int hidden, int trainingReadings, int trainingWindows,
                           int assets, double residualRmse, String standardisation, Instant createdAt) {
        JsonObject toJson() {
            return new JsonObject().put("format", FORMAT).put("signal", signal).put("version", version).put("window", window)
                    .put("hidden", hidden).put("trainingReadings", trainingReadings).put("trainingWindows", trainingWindows)
                    .put("assets", assets).put("residualRmse", residualRmse).put("standardisation", standardisation)
                    .put("createdAt", createdAt.toString());
        }

        static Metadata fromJson(JsonObject json) {
            if (!Integer.valueOf(FORMAT).equals(json.getInteger("format"))) {
                throw new IllegalArgumentException("format " + json.getValue("format") + " (expected " + FORMAT + ")");
            }
            return new Metadata(required(json.getString("signal"), "signal"), required(json.getInteger("version"), "version"),
                    required(json.getInteger("window"), "window"), required(json.getInteger("hidden"), "hidden"),
                    required(json.getInteger("trainingReadings"), "trainingReadings"),
                    required(json.getInteger("trainingWindows"), "trainingWindows"), required(json.getInteger("assets"), "assets"),
                    required(json.getDouble("residualRmse"), "residualRmse"), required(json.getString("standardisation"), "standardisation"),
                    Instant.parse(required(json.getString("createdAt"), "createdAt")));
        }

        private static <T> T required(T value, String key) {
            if (value == null) {
                throw new IllegalArgumentException("lacks '" + key + "'");
            }
            return value;
        }
    }

    /** A forecaster read back from its artefact. */
    public record Loaded(ForecastModel model, Metadata metadata, Path directory) {
    }

    /** An artefact that could not be used, and why. */
    public record Refused(Path directory, String reason) {
    }

    /** What {@link #loadNewest} found: per signal the newest usable forecaster, and every artefact refused on the way. */
    public record Found(Map<String, Loaded> bySignal, List<Refused> refused) {
    }

    /**
     * Writes a forecaster as the next version. The files go into a hidden temporary directory that is
     * renamed at the end, so a reader never sees a half-written artefact.
     *
     * @return the metadata written
     */
    public static synchronized Metadata save(Path modelDir, String signal, ForecastModel model, ForecastModel.Settings settings,
                                             int trainingReadings, int assets, Instant now) throws IOException {
        Objects.requireNonNull(signal, "signal");
        Files.createDirectories(modelDir);
        Path staging = Files.createTempDirectory(modelDir, "." + PREFIX);
        try {
            model.writeNetwork(staging.resolve(NETWORK_FILE));
            // another replica sharing the directory may take the same number meanwhile: then the next one
            for (int attempt = 0; ; attempt++) {
                int version = versions(modelDir).stream().mapToInt(Map.Entry::getValue).max().orElse(0) + 1;
                Metadata metadata = new Metadata(signal, version, model.window(), settings.hidden(), trainingReadings,
                        model.trainingWindows(), assets, model.residualRmse(), STANDARDISATION, now);
                Files.writeString(staging.resolve(METADATA_FILE), metadata.toJson().encodePrettily());
                Path target = modelDir.resolve(PREFIX + version);
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                    return metadata;
                } catch (java.nio.file.FileSystemException taken) {
                    if (attempt >= 4 || !Files.exists(target)) {
                        throw taken;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
    }

    /**
     * Reads, per signal, the newest artefact that loads and fits {@code settings}; an artefact that
     * does not (unreadable metadata or network, other window/hidden units/standardisation) is refused
     * and the next older one of that signal is tried. Never throws for a bad artefact.
     */
    public static Found loadNewest(Path modelDir, ForecastModel.Settings settings) throws IOException {
        Map<String, Loaded> bySignal = new HashMap<>();
        List<Refused> refused = new ArrayList<>();
        List<Map.Entry<Path, Integer>> newestFirst = versions(modelDir);
        newestFirst.sort(Map.Entry.<Path, Integer>comparingByValue(Comparator.reverseOrder()));
        for (Map.Entry<Path, Integer> entry : newestFirst) {
            Path directory = entry.getKey();
            Metadata metadata;
            try {
                metadata = Metadata.fromJson(new JsonObject(Files.readString(directory.resolve(METADATA_FILE))));
            } catch (IOException | RuntimeException e) {
                refused.add(new Refused(directory, "metadata " + METADATA_FILE + " unreadable: " + e.getMessage()));
                continue;
            }
            if (bySignal.containsKey(metadata.signal())) {
                continue;
            }
            if (metadata.window() != settings.window() || metadata.hidden() != settings.hidden()
                    || !STANDARDISATION.equals(metadata.standardisation())) {
                refused.add(new Refused(directory, "made for window " + metadata.window() + ", " + metadata.hidden()
                        + " hidden units, standardisation '" + metadata.standardisation() + "'; this service uses window "
                        + settings.window() + ", " + settings.hidden() + " hidden units, '" + STANDARDISATION + "'"));
                continue;
            }
            try {
                ForecastModel model = ForecastModel.readNetwork(directory.resolve(NETWORK_FILE), metadata.residualRmse(),
                        metadata.trainingWindows(), settings);
                bySignal.put(metadata.signal(), new Loaded(model, metadata, directory));
            } catch (IOException | RuntimeException e) {
                refused.add(new Refused(directory, "network " + NETWORK_FILE + " unreadable: " + e.getMessage()));
            }
        }
        return new Found(bySignal, refused);
    }

    /** The artefact directories {@code learned-forecast-<n>} with their {@code n}. */
    private static List<Map.Entry<Path, Integer>> versions(Path modelDir) throws IOException {
        List<Map.Entry<Path, Integer>> found = new ArrayList<>();
        if (!Files.isDirectory(modelDir)) {
            return found;
        }
        try (Stream<Path> entries = Files.list(modelDir)) {
            entries.filter(Files::isDirectory).forEach(p -> {
                String name = p.getFileName().toString();
                if (name.startsWith(PREFIX) && name.substring(PREFIX.length()).matches("\\d{1,9}")) {
                    found.add(Map.entry(p, Integer.parseInt(name.substring(PREFIX.length()))));
                }
            });
        }
        return found;
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort: a leftover hidden staging directory is never read
        }
    }
}
