package io.twinworks.cli;

import io.twinworks.core.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code twinworks} command; every piece of the product is a subcommand. */
@Command(
        name = "twinworks",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Digital twins with predictive maintenance on Eclipse Ditto and Eclipse Hono.",
        subcommands = {UpCommand.class, ProvisionCommand.class, AdapterCommand.class, SimulateCommand.class,
                AnalyzeCommand.class, TrainCommand.class, PredictRulCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class TwinworksCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with the shared error handling: configuration problems are listed, not stack-traced. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TwinworksCommand());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof ConfigException) {
                cmd.getErr().println("twinworks: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        CommandSummaries.install(commandLine);
        return commandLine;
    }
}
