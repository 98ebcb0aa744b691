package io.twinworks.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandSummariesTest {

    @Test
    void everyCommandListedInHelpIsSummarisedByACompleteSentence() {
        List<String> incomplete = new ArrayList<>();
        collect(TwinworksCommand.commandLine(), incomplete);
        assertThat(incomplete).as("summaries that do not end a sentence").isEmpty();
    }

    @Test
    void helpListsASentenceThatWrapsOverSeveralDescriptionLinesInFull() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = TwinworksCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.execute("bench", "--help");
        String joined = out.toString().replaceAll("\\s+", " ");
        assertThat(joined).contains("des Runs an M/M/1 and an M/M/3 queue (rho 0.9) in Twinworks' discrete-event engine"
                + " and in SimPy 2 (Debian python3-simpy) in one run;");
    }

    @Test
    void summaryStopsAtTheFirstSentenceAndIgnoresDotsInsideWords() {
        CommandSpec spec = CommandSpec.create();
        spec.usageMessage().description("Scores a CSV with the v1.0 method", "of NAB. Writes a file.");
        assertThat(CommandSummaries.summary(spec)).isEqualTo("Scores a CSV with the v1.0 method of NAB.");
    }

    @Test
    void anAbbreviationSuchAsEgDoesNotEndTheSentence() {
        CommandSpec spec = CommandSpec.create();
        spec.usageMessage().description("Runs a line file, e.g.", "  stations: [feed]", "and prints i.e. the throughput.",
                "Then more.");
        assertThat(CommandSummaries.summary(spec)).isEqualTo("Runs a line file, e.g. stations: [feed] and prints i.e. the throughput.");
    }

    @Test
    void summaryOfADescriptionWithoutAFullStopIsTheWholeDescription() {
        CommandSpec spec = CommandSpec.create();
        spec.usageMessage().description("Trains the models", "of the service");
        assertThat(CommandSummaries.summary(spec)).isEqualTo("Trains the models of the service");
    }

    private static void collect(CommandLine commandLine, List<String> incomplete) {
        commandLine.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
                return;
            }
            String summary = CommandSummaries.summary(sub.getCommandSpec());
            if (!summary.endsWith(".") || summary.endsWith("e.g.") || summary.endsWith("i.e.")) {
                incomplete.add(sub.getCommandSpec().qualifiedName() + ": " + summary);
            }
            collect(sub, incomplete);
        });
    }
}
