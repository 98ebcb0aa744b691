package io.twinworks.analytics.ml;

import java.util.ArrayList;
import java.util.List;

/** Predicts each unit's remaining useful life at its last recorded cycle, as NASA's test files are scored. */
public final class RulPrediction {

    private RulPrediction() {
    }

    /** One unit's prediction. */
    public record UnitRul(int unit, double rul) {
    }

    /** Predicts, in one batch, the RUL of every unit at its last cycle. */
    public static List<UnitRul> atLastCycle(RulModel model, List<CmapssData.Unit> units) {
        List<double[][]> histories = new ArrayList<>();
        for (CmapssData.Unit unit : units) {
            histories.add(RulTraining.history(model, unit, unit.cycles() - 1));
        }
        double[] rul = model.predict(histories);
        List<UnitRul> out = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            out.add(new UnitRul(units.get(i).id(), rul[i]));
        }
        return out;
    }
}
