package io.twinworks.cli;

import io.twinworks.cli.bench.AdapterBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code twinworks bench ...}: measurements that print figures against a baseline taken in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks with a baseline measured in the same run.",
        subcommands = {BenchCommand.Adapters.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code twinworks bench adapters}. */
    @Command(name = "adapters", mixinStandardHelpOptions = true,
            description = {"Readings/s from serial lines (socat pty) and from the plant broker (mosquitto) to PUBACK,",
                    "outbox on, against the raw Paho publish rate to the same local-stack endpoint."})
    static final class Adapters implements Callable<Integer> {

        @Option(names = "--readings", defaultValue = "20000", description = "Readings per measurement (default: ${DEFAULT-VALUE}).")
        int readings;

        @Option(names = "--in-flight", defaultValue = "4", description = "Publishes awaiting PUBACK, adapter and baseline alike (default: ${DEFAULT-VALUE}).")
        int inFlight;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return new AdapterBench(readings, inFlight, spec.commandLine().getOut()).run();
        }
    }
}
