package io.twinworks.analytics.ditto;

import io.twinworks.analytics.AnalyticsConfig;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A micro harness, not a test of behaviour and not a benchmark: thread CPU per frame of the event mapping, through
 * Ditto's adapter (the general path) and through the fast path, on frames as the twin service publishes the virtual
 * fleet's merges (all features of a pump at {@code /features}) plus one of the service's own predictions writes per
 * five; printed (the answers must be equal; the times are not asserted). Surefire does not pick it up by name; run it
 * with {@code -Dtest=ProtocolEventReadingsCpuHarness}.
 */
class ProtocolEventReadingsCpuHarness {

    private static final Instant AT = Instant.parse("2026-12-07T11:00:00.123Z");

    static List<String> fleetFrames(int count) {
        List<String> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String thing = "plant.a/pump-" + (i % 100);
            String ts = AT.plusMillis(i).toString();
            if (i % 5 == 4) {
                frames.add("{\"topic\":\"" + thing + "/things/twin/events/merged\",\"headers\":{\"correlation-id\":\"c-" + i
                        + "\",\"content-type\":\"application/merge-patch+json\",\"response-required\":false},"
                        + "\"path\":\"/features/predictions/properties\",\"value\":{\"anomalyScore\":0.0123,\"healthState\":\"ok\","
                        + "\"model\":\"streaming-zscore\",\"modelVersion\":\"4\",\"basedOnRevision\":" + i + ",\"computedAt\":\"" + ts
                        + "\",\"rulCycles\":null},\"revision\":" + (i + 1) + ",\"timestamp\":\"" + ts + "\"}");
                continue;
            }
            frames.add("{\"topic\":\"" + thing + "/things/twin/events/merged\",\"headers\":{\"correlation-id\":\"pump-" + (i % 100)
                    + "-" + i + "\",\"content-type\":\"application/merge-patch+json\",\"response-required\":false},"
                    + "\"path\":\"/features\",\"value\":{\"vibration\":{\"properties\":{\"rms\":" + (2.0 + i % 50 / 1000.0)
                    + ",\"seq\":" + i + ",\"ts\":\"" + ts + "\"}},\"temperature\":{\"properties\":{\"value\":" + (61.25 + i % 7)
                    + ",\"ts\":\"" + ts + "\"}},\"flow\":{\"properties\":{\"value\":" + (120.5 + i % 3) + ",\"ts\":\"" + ts + "\"}},"
                    + "\"pressure\":{\"properties\":{\"value\":" + (4.125 + i % 11 / 100.0) + ",\"ts\":\"" + ts + "\"}},"
                    + "\"drive\":{\"properties\":{\"running\":true,\"speed\":2950,\"alarmActive\":false,\"ts\":\"" + ts + "\"}}},"
                    + "\"revision\":" + (i + 1) + ",\"timestamp\":\"" + ts + "\"}");
        }
        return frames;
    }

    @Test
    void printsTheThreadCpuPerFrameOfDittosAdapterAndOfTheFastPath() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Set<String> signals = new HashSet<>(List.of(AnalyticsConfig.DEFAULT_SIGNALS.split(",")));
        ThingChangeReadings extractor = new ThingChangeReadings(signals);
        List<String> frames = fleetFrames(1_000);
        ProtocolEventReadings mapping = new ProtocolEventReadings();
        for (int round = 0; round < 5; round++) {
            long general = 0;
            long fast = 0;
            for (int repeat = 0; repeat < 20; repeat++) {
                long start = threads.getCurrentThreadCpuTime();
                List<Optional<ProtocolEventReadings.Event>> viaAdapter = new ArrayList<>(frames.size());
                for (String frame : frames) {
                    viaAdapter.add(ProtocolEventReadings.readGeneral(frame, extractor));
                }
                long middle = threads.getCurrentThreadCpuTime();
                List<Optional<ProtocolEventReadings.Event>> viaFastPath = new ArrayList<>(frames.size());
                for (String frame : frames) {
                    viaFastPath.add(mapping.read(frame, extractor));
                }
                long end = threads.getCurrentThreadCpuTime();
                assertThat(viaFastPath).isEqualTo(viaAdapter);
                general += middle - start;
                fast += end - middle;
            }
            System.out.printf(Locale.ROOT, "round %d: Ditto's adapter %.2f us/frame, fast path %.2f us/frame%n",
                    round, general / 20_000.0 / 1_000, fast / 20_000.0 / 1_000);
        }
        assertThat(mapping.generalDecisions()).isZero();
    }
}
