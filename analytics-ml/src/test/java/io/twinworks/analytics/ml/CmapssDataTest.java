package io.twinworks.analytics.ml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CmapssDataTest {

    @TempDir
    Path dir;

    @Test
    void readsUnitsWithContiguousCyclesAndNamedColumns() throws Exception {
        List<CmapssData.Unit> units = CmapssData.read(MlTestData.excerpt());
        assertThat(units).extracting(CmapssData.Unit::id).containsExactly(1, 2, 3, 4);
        CmapssData.Unit first = units.get(0);
        assertThat(first.cycles()).isEqualTo(192);
        assertThat(first.values(0, List.of("cycle", "s2", "s21"))).containsExactly(1.0, 641.82, 23.4190);
    }

    @Test
    void aRowWithTheWrongNumberOfColumnsIsRefusedWithItsLine() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.txt"), row(1, 1) + "\n1 2 3\n");
        assertThatThrownBy(() -> CmapssData.read(file)).isInstanceOf(IOException.class).hasMessageContaining(":2: expected 26 numbers, found 3");
    }

    @Test
    void aNonNumberIsRefusedNamingTheColumn() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.txt"), row(1, 1).replace(" 641.82 ", " x "));
        assertThatThrownBy(() -> CmapssData.read(file)).isInstanceOf(IOException.class).hasMessageContaining(":1: column s2 'x' is not a number");
    }

    @Test
    void cyclesGoingBackwardsAreRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.txt"), row(1, 2) + "\n" + row(1, 1) + "\n");
        assertThatThrownBy(() -> CmapssData.read(file)).isInstanceOf(IOException.class).hasMessageContaining("cycle 1 of unit 1 does not follow cycle 2");
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.txt"), "\n");
        assertThatThrownBy(() -> CmapssData.read(file)).isInstanceOf(IOException.class).hasMessageContaining("no rows");
    }

    static String row(int unit, int cycle) {
        return unit + " " + cycle + " -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62 21.61 554.36 2388.06 9046.19 1.30 "
                + "47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 23.4190  ";
    }
}
