package io.twinworks.cli;

import io.twinworks.analytics.ml.CmapssData;
import io.twinworks.analytics.ml.RulModel;
import io.twinworks.analytics.ml.RulPrediction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code twinworks predict-rul}: a trained RUL model over a C-MAPSS-layout file. */
@Command(name = "predict-rul", mixinStandardHelpOptions = true,
        description = "Prints unit,rul: each unit's predicted remaining useful life at its last cycle in the file.")
public final class PredictRulCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model directory written by 'train rul'.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Trajectories in C-MAPSS layout (e.g. test_FD001.txt).")
    Path data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isReadable(model.resolve("model.properties"))) {
            err.println("twinworks predict-rul: " + model + " is not a model directory (no model.properties)");
            return 2;
        }
        if (!Files.isReadable(data)) {
            err.println("twinworks predict-rul: cannot read " + data);
            return 2;
        }
        try {
            RulModel loaded = RulModel.load(model);
            out.println("unit,rul");
            for (RulPrediction.UnitRul prediction : RulPrediction.atLastCycle(loaded, CmapssData.read(data))) {
                out.printf(Locale.ROOT, "%d,%.1f%n", prediction.unit(), prediction.rul());
            }
            out.flush();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("twinworks predict-rul: " + e.getMessage());
            return 2;
        }
    }
}
