package io.twinworks.cli.app;

import io.twinworks.cli.TwinworksCommand;
import picocli.CommandLine;

/** Entry point of the {@code twinworks} command: builds the command tree and runs it. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(TwinworksCommand.commandLine().execute(args));
    }
}
