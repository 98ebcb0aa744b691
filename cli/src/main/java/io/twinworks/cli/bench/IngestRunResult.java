package io.twinworks.cli.bench;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the ingest benchmark: what the publishers did and what the receiver got, in the
 * throughput phase and in the paced latency phase that follows it.
 *
 * @param name          the row's name
 * @param publishing    the publishers' figures (PUBACKs) of the throughput phase
 * @param deliveries    the receiver's figures (delivered, lost, latency) of the throughput phase
 * @param stateChecked  whether the final state was checked (only a twin has one)
 * @param stateProblems devices whose final state does not hold their last sequence number
 * @param paced         the paced phase, or {@code null} when none ran
 * @param memory        memory of the benchmark JVM while the row ran, or {@code null} when the row runs
 *                      in another process (the baseline broker)
 */
public record IngestRunResult(String name, MqttLoad.Publishing publishing, DeliveryRecorder.Deliveries deliveries,
                              boolean stateChecked, List<String> stateProblems, Phase paced,
                              MemorySampler.Figures memory) {

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

    /** The paced phase, when one ran. */
    public Optional<Phase> pacedPhase() {
        return Optional.ofNullable(paced);
    }

    /** Whether nothing was lost, every publish was acknowledged and the final state is right, in both phases. */
    public boolean clean() {
        return deliveries.lost() == 0 && publishing.failed() == 0 && stateProblems.isEmpty()
                && pacedPhase().map(Phase::clean).orElse(true);
    }

    /**
     * One publishing phase of a row.
     *
     * @param publishing the publishers' figures
     * @param deliveries the receiver's figures
     */
    public record Phase(MqttLoad.Publishing publishing, DeliveryRecorder.Deliveries deliveries) {

        public Phase {
            Objects.requireNonNull(publishing, "publishing");
            Objects.requireNonNull(deliveries, "deliveries");
        }

        /** Whether nothing was lost and every publish was acknowledged. */
        public boolean clean() {
            return deliveries.lost() == 0 && publishing.failed() == 0;
        }
    }
}
