package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.policies.model.Policy;

import java.util.List;
import java.util.Objects;

/**
 * The recorded feature states of one thing within a {@link HistoryRange}, oldest first, with the thing's
 * current policy (which decides what a reader may see of them).
 *
 * @param policy          the thing's current policy
 * @param currentRevision the thing's revision now
 * @param entries         one entry per feature and revision, ordered by revision, then feature ID
 */
public record ThingHistory(Policy policy, long currentRevision, List<FeatureHistoryEntry> entries) {

    public ThingHistory {
        Objects.requireNonNull(policy, "policy");
        entries = List.copyOf(entries);
    }
}
