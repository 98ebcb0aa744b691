package io.twinworks.cli.bench;

import org.eclipse.ditto.client.changes.ThingChange;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a Ditto subscriber sees of one thing, in arrival order, stamped with the reception time: the
 * vibration readings (by sequence number, with the twin revision that applied them) and the health
 * state the analytics service wrote into {@code /features/predictions} (with the revision of the newest
 * reading it was based on). Fed by the subscriber's change handler; read by the trial loop.
 */
final class AlarmObservations implements Consumer<ThingChange> {

    private static final JsonPointer SEQ = JsonPointer.of(BenchMessage.PROPERTIES_PATH + "/seq");
    private static final JsonPointer HEALTH_STATE = JsonPointer.of("/features/predictions/properties/healthState");
    private static final JsonPointer BASED_ON_REVISION = JsonPointer.of("/features/predictions/properties/basedOnRevision");

    /** Something the subscriber saw of the thing. */
    sealed interface Observation {
        /** {@link System#nanoTime()} when the subscriber's handler got it. */
        long receivedAtNanos();
    }

    /**
     * A vibration reading applied to the twin.
     *
     * @param seq      the reading's sequence number
     * @param revision the twin revision of the change
     */
    record Reading(long seq, long revision, long receivedAtNanos) implements Observation {
    }

    /**
     * A write of the predictions feature.
     *
     * @param state           its {@code healthState} ({@code ok}, {@code warning}, ...)
     * @param basedOnRevision the twin revision of the newest reading the prediction used (-1 when absent)
     */
    record Health(String state, long basedOnRevision, long receivedAtNanos) implements Observation {
    }

    private final String thingId;
    private final BlockingQueue<Observation> seen = new LinkedBlockingQueue<>();

    /** Observes the changes of {@code thingId} only. */
    AlarmObservations(String thingId) {
        this.thingId = Objects.requireNonNull(thingId, "thingId");
    }

    @Override
    public void accept(ThingChange change) {
        long receivedAt = System.nanoTime();
        if (!thingId.equals(change.getEntityId().toString())) {
            return;
        }
        ChangeValues.at(change, SEQ).filter(JsonValue::isNumber)
                .ifPresent(seq -> seen.add(new Reading(seq.asLong(), change.getRevision(), receivedAt)));
        Optional<JsonValue> health = ChangeValues.at(change, HEALTH_STATE).filter(JsonValue::isString);
        if (health.isPresent()) {
            long basedOn = ChangeValues.at(change, BASED_ON_REVISION).filter(JsonValue::isNumber).map(JsonValue::asLong).orElse(-1L);
            seen.add(new Health(health.get().asString(), basedOn, receivedAt));
        }
    }

    /** Hands an observation in (what {@link #accept} does for a change). */
    void add(Observation observation) {
        seen.add(Objects.requireNonNull(observation, "observation"));
    }

    /** The next observation, waiting until {@code deadlineNanos} ({@link System#nanoTime()}); {@code null} when none came. */
    Observation next(long deadlineNanos) throws InterruptedException {
        return seen.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
