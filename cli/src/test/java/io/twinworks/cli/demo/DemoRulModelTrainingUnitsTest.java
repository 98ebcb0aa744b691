package io.twinworks.cli.demo;

import io.twinworks.analytics.ml.CmapssData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoRulModelTrainingUnitsTest {

    @Test
    void theDemoTrainsOnEveryRecordedUnitButTheReplayedOneInUnitOrder() throws Exception {
        List<CmapssData.Unit> units = DemoRulModel.trainingUnits(7);

        assertThat(units).hasSize(99);
        assertThat(units).extracting(CmapssData.Unit::id).doesNotContain(7).isSorted();
        assertThat(units.get(0).id()).isEqualTo(1);
        assertThat(units.get(0).cycles()).isEqualTo(192);
    }
}
