package io.twinworks.cli.provision;

import java.util.Objects;

/**
 * What provisioning did (or, in a dry run, would do) to one resource.
 *
 * @param resource what it is about ({@code Hono device plant.a:pump-1})
 * @param outcome  created, updated, unchanged or skipped
 * @param detail   why, in a few words
 */
public record ProvisionStep(String resource, Outcome outcome, String detail) {

    /** The outcome of a step. */
    public enum Outcome { CREATE, UPDATE, UNCHANGED, SKIPPED }

    public ProvisionStep {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }

    /** True when the step changes (or would change) something. */
    public boolean changes() {
        return outcome == Outcome.CREATE || outcome == Outcome.UPDATE;
    }

    /** One line for the console. */
    public String line(boolean dryRun) {
        String verb = switch (outcome) {
            case CREATE -> dryRun ? "would create" : "created";
            case UPDATE -> dryRun ? "would update" : "updated";
            case UNCHANGED -> "unchanged";
            case SKIPPED -> "skipped";
        };
        return String.format("%-13s %s%s", verb, resource, detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
