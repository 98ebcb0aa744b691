package io.twinworks.cli.bench;

import java.util.List;
import java.util.Objects;

/**
 * One row of the ingest benchmark: what the publishers did and what the receiver got.
 *
 * @param name          the row's name
 * @param publishing    the publishers' figures (PUBACKs)
 * @param deliveries    the receiver's figures (delivered, lost, latency)
 * @param stateChecked  whether the final state was checked (only a twin has one)
 * @param stateProblems devices whose final state does not hold their last sequence number
 */
public record IngestRunResult(String name, MqttLoad.Publishing publishing, DeliveryRecorder.Deliveries deliveries,
                              boolean stateChecked, List<String> stateProblems) {

    public IngestRunResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(publishing, "publishing");
        Objects.requireNonNull(deliveries, "deliveries");
        stateProblems = List.copyOf(stateProblems);
    }

    /** Distinct messages received per second, from the first publish to the last reception. */
    public double endToEndRate() {
        return MqttLoad.rate(deliveries.delivered(), publishing.startedAtNanos(), deliveries.lastReceivedAtNanos());
    }

    /** Whether nothing was lost, every publish was acknowledged and the final state is right. */
    public boolean clean() {
        return deliveries.lost() == 0 && publishing.failed() == 0 && stateProblems.isEmpty();
    }
}
