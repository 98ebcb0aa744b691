package io.twinworks.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code twinworks bench}: measurements printed next to a baseline measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print their figures next to a baseline measured in the same run.",
        subcommands = {BenchDesCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
