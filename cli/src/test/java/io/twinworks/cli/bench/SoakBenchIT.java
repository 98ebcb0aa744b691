package io.twinworks.cli.bench;

import io.twinworks.analytics.AnalyticsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

/**
 * The soak at a tiny size, end to end (local stack, analytics service, gateways, /ws/2 subscriber):
 * its accounting finds 0 lost on a healthy run and finds the readings a subscriber really misses.
 * Whether the stack keeps up on a shared CI machine is not asserted; {@code twinworks bench soak}
 * prints it.
 */
class SoakBenchIT {

    @TempDir
    Path models;

    private SoakVerdict soak(Duration duration, String subscriberFilter, List<String> lines) throws Exception {
        SoakOptions options = new SoakOptions(200, 1, 4, duration, Duration.ofSeconds(5), Duration.ofSeconds(20), 60,
                Duration.ofMinutes(3));
        AnalyticsConfig analytics = AnalyticsConfig.fromEnv(Map.of()).withHttpPort(0).withModelDir(models);
        return new SoakBench(options, analytics, subscriberFilter, lines::add).run();
    }

    @Test
    void aHealthyRunAccountsEveryPublishedReadingAsAppliedInOrder() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());

        SoakVerdict verdict = soak(Duration.ofSeconds(20), null, lines);

        assertThat(verdict.delivery().lost()).as(String.join("\n", lines)).isZero();
        assertThat(verdict.delivery().exact()).as(String.join("\n", lines)).isTrue();
        assertThat(verdict.delivery().missing()).isZero();
        assertThat(verdict.outOfOrder()).isZero();
        assertThat(verdict.subscriberDrops()).isZero();
        assertThat(verdict.heap().judged()).isTrue();
        assertThat(verdict.exitCode()).isNotEqualTo(SoakVerdict.FAILED);
        assertThat(lines).filteredOn(line -> line.startsWith("soak: t=")).hasSize(4)
                .allSatisfy(line -> assertThat(line).contains("heap after GC", "RSS", "reconnects 0"));
        assertThat(lines).anyMatch(line -> line.contains("analytics service on"));
        assertThat(lines).filteredOn(line -> line.startsWith("soak: Hono endpoint: ")).singleElement(as(STRING))
                .contains(" 0 refused messages", " 0 refused connections", " 0 Kafka write failures");
    }

    @Test
    void aSubscriberThatMissesOneThingsEventsMakesTheSoakFailWithItsReadingsNamed() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());

        // the stack really withholds pump-7's change events from this session (Ditto's RQL filter on START-SEND-EVENTS)
        SoakVerdict verdict = soak(Duration.ofSeconds(10), "not(eq(thingId,\"plant.a:pump-7\"))", lines);

        assertThat(verdict.delivery().exact()).as(String.join("\n", lines)).isTrue();
        // 10 s at 1 reading/s: pump-7 (device index 6) published at least 9, every one of them missing
        assertThat(verdict.delivery().lost()).as(String.join("\n", lines)).isGreaterThanOrEqualTo(9);
        assertThat(verdict.delivery().sample()).contains("6#1", "6#2", "6#3", "6#4", "6#5", "6#6", "6#7", "6#8", "6#9");
        assertThat(verdict.exitCode()).isEqualTo(SoakVerdict.FAILED);
        assertThat(lines).anyMatch(line -> line.startsWith("soak: delivery: LOST"));
        assertThat(lines).anyMatch(line -> line.startsWith("soak: verdict: FAILED"));
    }
}
