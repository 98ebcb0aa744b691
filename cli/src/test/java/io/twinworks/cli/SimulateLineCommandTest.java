package io.twinworks.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateLineCommandTest {

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = TwinworksCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    private Path line(String yaml) throws Exception {
        return Files.writeString(dir.resolve("line.yaml"), yaml);
    }

    @Test
    void theSlowestStationOfALineFileIsNamedTheBottleneck() throws Exception {
        Path file = line("""
                stations:
                  - {name: feed, ratePerHour: 60}
                  - {name: slow, ratePerHour: 30}
                  - {name: fill, ratePerHour: 50}
                buffers: [5, 5]
                """);

        assertThat(run("simulate", "line", "--file", file.toString(), "--hours", "500")).as(err.toString()).isZero();

        assertThat(out.toString()).contains("bottleneck slow").contains("throughput 30.00 parts/h");
    }

    @Test
    void theJsonResultIsTheSimulationFeaturesShapeAndTheSameForTheSameSeed() throws Exception {
        Path file = line("""
                stations:
                  - {name: a, ratePerHour: 40, mttfHours: 10, mttrHours: 1}
                  - {name: b, ratePerHour: 40, cycleTime: exponential}
                buffers: [3]
                """);
        assertThat(run("simulate", "line", "--file", file.toString(), "--hours", "300", "--seed", "7", "--json")).isZero();
        JsonObject first = new JsonObject(out.toString());
        out.getBuffer().setLength(0);
        assertThat(run("simulate", "line", "--file", file.toString(), "--hours", "300", "--seed", "7", "--json")).isZero();

        assertThat(new JsonObject(out.toString())).isEqualTo(first);
        assertThat(first.getString("model")).isEqualTo("production-line-des");
        assertThat(first.getJsonArray("stations")).hasSize(2);
        assertThat(first.getDouble("throughputPerHour")).isLessThan(40.0 * 10 / 11 + 0.5);
    }

    @Test
    void aLineWithTheWrongNumberOfBuffersIsRefusedWithTheReason() throws Exception {
        Path file = line("""
                stations: [{name: a, ratePerHour: 40}, {name: b, ratePerHour: 40}]
                buffers: [3, 4]
                """);
        assertThat(run("simulate", "line", "--file", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("2 stations need 1 buffers, got 2");
    }

    @Test
    void aFileThatIsNoMappingOrMissingIsRefused() throws Exception {
        assertThat(run("simulate", "line", "--file", line("- just a list").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("must be a mapping with stations and buffers");
        assertThat(run("simulate", "line", "--file", dir.resolve("nope.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read");
    }

    @Test
    void aNegativeHorizonIsRefused() throws Exception {
        Path file = line("stations: [{name: a, ratePerHour: 40}]\nbuffers: []\n");
        assertThat(run("simulate", "line", "--file", file.toString(), "--hours", "-5")).isEqualTo(2);
        assertThat(err.toString()).contains("horizonHours must be within");
    }
}
