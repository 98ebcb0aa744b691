package io.twinworks.cli;

import picocli.CommandLine;

/** Reports the version from the jar manifest (the Maven project version). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = TwinworksCommand.class.getPackage().getImplementationVersion();
        return new String[] {"twinworks " + (version == null ? "development build" : version)};
    }
}
