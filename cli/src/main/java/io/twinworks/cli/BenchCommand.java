package io.twinworks.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code twinworks bench}: the benchmarks. Each subcommand prints its figures next to a baseline
 * measured in the same run on the same machine, and their ratio.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks, each against a baseline measured in the same run.",
        subcommands = {BenchIngestCommand.class, BenchDesCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
