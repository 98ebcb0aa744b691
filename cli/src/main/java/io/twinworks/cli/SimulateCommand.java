package io.twinworks.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code twinworks simulate}: the simulation service's commands. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulation: virtual fleets of devices with physics-based asset models; production-line runs.",
        subcommands = {SimulateFleetCommand.class, SimulateLineCommand.class})
public final class SimulateCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
