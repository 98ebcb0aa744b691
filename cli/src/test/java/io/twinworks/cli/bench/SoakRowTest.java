package io.twinworks.cli.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SoakRowTest {

    private static final long MB = 1024 * 1024;

    @Test
    void lineShowsTheIntervalsCpuInCoresAndPerThousandAppliedReadings() {
        SoakRow first = new SoakRow(10, 10_000, 10_000, 0, 8_000, 0, 0, 100 * MB, 900 * MB, 15_000_000_000L, 1.2, 0, -1);
        SoakRow second = new SoakRow(20, 20_000, 20_000, 0, 18_000, 0, 0, 100 * MB, 900 * MB, 35_000_000_000L, 3.0, 0, -1);

        // 20 s of CPU over 10 s = 2 cores; 20,000 ms for 10,000 readings = 2,000 ms per 1,000
        assertThat(second.format(first)).endsWith("| JVM CPU 2.00 cores, 2,000 ms per 1,000 applied, load 3.0");
        // the first line counts from the fleet's start: 15 s over 10 s, 15,000 ms for 8,000 readings
        assertThat(first.format(null)).endsWith("| JVM CPU 1.50 cores, 1,875 ms per 1,000 applied, load 1.2");
    }

    @Test
    void intervalWithoutAppliedReadingsHasNoCostPerReading() {
        SoakRow first = new SoakRow(10, 10_000, 10_000, 0, 8_000, 0, 0, 100 * MB, 900 * MB, 15_000_000_000L, 1.0, 0, -1);
        SoakRow stalled = new SoakRow(20, 20_000, 20_000, 0, 8_000, 0, 0, 100 * MB, 900 * MB, 25_000_000_000L, 1.0, 0, -1);

        assertThat(stalled.format(first)).contains("0 applied/s").endsWith("| JVM CPU 1.00 cores, - ms per 1,000 applied, load 1.0");
    }

    @Test
    void unknownLoadAverageIsShownAsUnknown() {
        SoakRow row = new SoakRow(10, 10_000, 10_000, 0, 10_000, 0, 0, -1, -1, 10_000_000_000L, Double.NaN, 0, -1);

        assertThat(row.format(null)).contains("heap after GC ? MB, RSS ? MB").endsWith("load ?");
    }

    @Test
    void lineShowsTheTwinThreadsShareOfACoreAndTheBytesWrittenPerAppliedReading() {
        SoakRow first = new SoakRow(10, 10_000, 10_000, 0, 8_000, 0, 0, 100 * MB, 900 * MB, 15_000_000_000L, 1.2,
                4_000_000_000L, 8_000 * 1024L);
        SoakRow second = new SoakRow(20, 20_000, 20_000, 0, 18_000, 0, 0, 100 * MB, 900 * MB, 35_000_000_000L, 3.0,
                11_500_000_000L, 23_000 * 1024L);

        assertThat(first.format(null)).contains("| twin thread 40 % of a core, disk 1.00 KB written per applied |");
        assertThat(second.format(first)).contains("| twin thread 75 % of a core, disk 1.50 KB written per applied |");
    }

    @Test
    void unknownBytesWrittenOrNoReadingAppliedIsShownAsUnknown() {
        SoakRow first = new SoakRow(10, 10_000, 10_000, 0, 8_000, 0, 0, 100 * MB, 900 * MB, 15_000_000_000L, 1.2, 0, -1);
        SoakRow stalled = new SoakRow(20, 20_000, 20_000, 0, 8_000, 0, 0, 100 * MB, 900 * MB, 25_000_000_000L, 1.0, 0,
                5_000);

        assertThat(first.format(null)).contains("disk ? KB written per applied");
        assertThat(stalled.format(first)).contains("disk ? KB written per applied");
    }
}
