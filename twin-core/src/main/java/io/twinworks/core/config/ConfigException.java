package io.twinworks.core.config;

import java.util.List;

/** Start-up failure listing every invalid configuration value at once. */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    /** Creates the exception from the collected problems. */
    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** The individual problems, one per invalid variable or rule. */
    public List<String> problems() {
        return problems;
    }
}
