package io.twinworks.cli.bench;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the ingest benchmark: what the publishers did and what the receiver got, in the
 * throughput phase and in the paced latency phase that follows it.
 *
 * @param name          the row's name
 * @param throughput    the throughput phase: publishers' figures (PUBACKs), receiver's figures (delivered, lost,
 *                      latency), CPU used
 * @param stateChecked  whether the final state was checked (only a twin has one)
 * @param stateProblems devices whose final state does not hold their last sequence number
 * @param paced         the paced phase, or {@code null} when none ran
 * @param warmup        the warm-up phase before the throughput phase (in no figure; its loss still makes the
 *                      row unclean), or {@code null} when none ran
 */
public record IngestRunResult(String name, Phase throughput, boolean stateChecked, List<String> stateProblems,
                              Phase paced, Phase warmup) {

    public IngestRunResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(throughput, "throughput");
        stateProblems = List.copyOf(stateProblems);
    }

    /** The publishers' figures of the throughput phase. */
    public MqttLoad.Publishing publishing() {
        return throughput.publishing();
    }

    /** The receiver's figures of the throughput phase. */
    public DeliveryRecorder.Deliveries deliveries() {
        return throughput.deliveries();
    }

    /** Distinct messages received per second in the throughput phase, from the first publish to the last reception. */
    public double endToEndRate() {
        return throughput.endToEndRate();
    }

    /** The paced phase, when one ran. */
    public Optional<Phase> pacedPhase() {
        return Optional.ofNullable(paced);
    }

    /** The warm-up phase, when one ran. */
    public Optional<Phase> warmupPhase() {
        return Optional.ofNullable(warmup);
    }

    /** Whether nothing was lost, every publish was acknowledged and the final state is right, in every phase. */
    public boolean clean() {
        return deliveries().lost() == 0 && publishing().failed() == 0 && stateProblems.isEmpty()
                && pacedPhase().map(Phase::clean).orElse(true) && warmupPhase().map(Phase::clean).orElse(true);
    }

    /**
     * One publishing phase of a row.
     *
     * @param publishing the publishers' figures
     * @param deliveries the receiver's figures
     * @param cpuNanos   CPU time used during the phase by this JVM (publishers, subscriber and, for
     *                   Twinworks, the whole local stack) plus the baseline broker's process
     * @param applyCpuNanos CPU time of the twin service's command thread during the phase (0 for the baseline):
     *                   the apply stage's own cost, which neither idle threads nor other load inflate
     * @param jitNanos   time this JVM's JIT compilers spent compiling during the phase (0 when unknown): part of
     *                   {@code cpuNanos} that a longer-running process would no longer pay
     * @param memory     memory of the benchmark JVM during the phase (from the first publish to the end of the
     *                   drain), or {@code null} when the row's server runs in another process (the baseline broker)
     */
    public record Phase(MqttLoad.Publishing publishing, DeliveryRecorder.Deliveries deliveries, long cpuNanos,
                        long applyCpuNanos, long jitNanos, MemorySampler.Figures memory) {

        public Phase {
            Objects.requireNonNull(publishing, "publishing");
            Objects.requireNonNull(deliveries, "deliveries");
        }

        /** Distinct messages received per second, from the phase's first publish to its last reception. */
        public double endToEndRate() {
            return MqttLoad.rate(deliveries.delivered(), publishing.startedAtNanos(), deliveries.lastReceivedAtNanos());
        }

        /** CPU milliseconds per 1,000 delivered messages (0 when none was delivered). */
        public double cpuMillisPerThousand() {
            return deliveries.delivered() == 0 ? 0 : cpuNanos / 1e6 / deliveries.delivered() * 1000;
        }

        /** Milliseconds of JIT compilation per 1,000 delivered messages (0 when none was delivered). */
        public double jitMillisPerThousand() {
            return deliveries.delivered() == 0 ? 0 : jitNanos / 1e6 / deliveries.delivered() * 1000;
        }

        /** Microseconds of the twin service's command thread per delivered message (0 when none). */
        public double applyCpuMicrosPerMessage() {
            return deliveries.delivered() == 0 ? 0 : applyCpuNanos / 1e3 / deliveries.delivered();
        }

        /** Whether nothing was lost and every publish was acknowledged. */
        public boolean clean() {
            return deliveries.lost() == 0 && publishing.failed() == 0;
        }
    }
}
