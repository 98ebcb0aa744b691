package io.twinworks.cli.demo;

import io.twinworks.analytics.ml.CmapssData;
import io.twinworks.analytics.ml.RulTraining;
import io.twinworks.sim.fleet.ReplayedEngine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's RUL model when the model directory has none: the same DL4J training as {@code twinworks
 * train rul}, on the C-MAPSS FD001 units committed with the simulation service, minus the unit the
 * demo engine replays (it is never a training unit), with the default model's inputs (smoothing, age, slope,
 * baseline) but the quick configuration: one MLP with few epochs, so it is ready within a minute (a model trained with {@code twinworks train rul --out
 * <model dir>} replaces it, the newest model wins). Blocking: run it on a worker.
 */
public final class DemoRulModel {

    /** Epochs of the demo's quick MLP (the full training uses {@link RulTraining.Settings#defaults()}). */
    public static final int EPOCHS = 5;
    /** The name of the demo's model directory entries ({@code rul-demo-<n>}). */
    public static final String NAME = "rul-demo";

    private DemoRulModel() {
    }

    /** The committed FD001 units except {@code excludedUnit}, in unit order. */
    public static List<CmapssData.Unit> trainingUnits(int excludedUnit) throws IOException {
        return CmapssData.readResource(ReplayedEngine.FD001_RESOURCE).stream()
                .filter(unit -> unit.id() != excludedUnit)
                .sorted(java.util.Comparator.comparingInt(CmapssData.Unit::id))
                .toList();
    }

    /**
     * Trains the demo model into {@code modelDir} (a new {@code rul-demo-<n>}).
     *
     * @param epochs passes over the training windows ({@link #EPOCHS} for the demo)
     */
    public static RulTraining.Result train(Path modelDir, int excludedUnit, int epochs) throws IOException {
        // the full training's model (inputs, smoothing, summary features) with one network and few epochs, so the
        // demo's twins get the RUL that `train rul` would serve, only less trained
        RulTraining.Settings settings = RulTraining.Settings.defaults().with(RulTraining.Architecture.MLP, epochs, 1);
        return new RulTraining(settings, CmapssData.FD001_SENSORS).train(trainingUnits(excludedUnit), NAME, modelDir,
                new RulTraining.Progress() {
                    @Override
                    public void batch(int epoch, int epochs, int batch, int batches) {
                    }

                    @Override
                    public void epoch(int epoch, int epochs, double trainingLoss, double validationRmse) {
                    }
                });
    }
}
