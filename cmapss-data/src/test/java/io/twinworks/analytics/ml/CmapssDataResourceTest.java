package io.twinworks.analytics.ml;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CmapssDataResourceTest {

    @Test
    void aClasspathFileIsReadIntoUnitsInOrderOfFirstAppearance() throws IOException {
        List<CmapssData.Unit> units = CmapssData.readResource("/cmapss/two-units.txt");
        assertThat(units).extracting(CmapssData.Unit::id).containsExactly(3, 1);
        assertThat(units.get(0).cycles()).isEqualTo(3);
        assertThat(units.get(1).cycles()).isEqualTo(2);
        assertThat(units.get(0).values(2, List.of("cycle", "s2", "s21"))).containsExactly(3.0, 642.5, 23.3);
    }

    @Test
    void aMissingResourceIsAnErrorNamingIt() {
        assertThatThrownBy(() -> CmapssData.readResource("/cmapss/nope.txt"))
                .isInstanceOf(IOException.class).hasMessage("no resource /cmapss/nope.txt on the classpath");
    }

    @Test
    void aMalformedResourceRowIsAnErrorNamingTheResourceAndLine() {
        assertThatThrownBy(() -> CmapssData.readResource("/cmapss/short-row.txt"))
                .isInstanceOf(IOException.class).hasMessage("/cmapss/short-row.txt:2: expected 26 numbers, found 4");
    }

    @Test
    void sensorColumnsHaveTheirPhysicalNames() {
        assertThat(CmapssData.sensorName("s2")).isEqualTo("T24");
        assertThat(CmapssData.sensorName("s21")).isEqualTo("W32");
        assertThat(CmapssData.sensorName("s22")).isNull();
        assertThat(CmapssData.sensorName("cycle")).isNull();
    }
}
