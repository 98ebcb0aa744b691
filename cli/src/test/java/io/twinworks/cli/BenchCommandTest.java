package io.twinworks.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void benchAnalyticsPrintsEveryFigureWithItsBaselineAndSaysWhenNoModelIsThere() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = TwinworksCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        int exit = commandLine.execute("bench", "analytics", "--assets", "200", "--rounds", "3", "--memory-assets", "2000",
                "--models", dir.toString());
        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("feature updates/s per core, full path (200 assets x 4 signals, 2400 readings)")
                .contains("baseline, bare SignalDetector.update")
                .contains("false alarms: ")
                .contains("heap per asset at 2,000 assets")
                .contains("DL4J inference: skipped, no model");
    }
}
