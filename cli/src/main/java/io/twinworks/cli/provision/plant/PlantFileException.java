package io.twinworks.cli.provision.plant;

import java.nio.file.Path;
import java.util.List;

/** A plant file that cannot be provisioned, with every problem found. */
public final class PlantFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public PlantFileException(Path file, List<String> problems) {
        super("plant file " + file + " has " + problems.size() + " problem(s):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, each naming where it is. */
    public List<String> problems() {
        return problems;
    }
}
