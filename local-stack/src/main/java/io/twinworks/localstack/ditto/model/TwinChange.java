package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;

import java.util.Objects;

/**
 * What the twin service publishes after each persisted thing change: Ditto's own event plus what
 * a subscriber needs to deliver it faithfully without reading the store again — the policy to
 * decide which subscriber may see which part, and the thing after the change (for
 * {@code extraFields} and RQL filters of WebSocket/SSE subscriptions).
 *
 * @param event        the Ditto event (e.g. {@code FeaturePropertyModified}, {@code ThingMerged}), with revision
 *                     and timestamp
 * @param storedPolicy the thing's policy at the time of the change, as stored (as Ditto's model on demand:
 *                     {@link #policy()})
 * @param modelAfter   the thing after the change, as Ditto's model on demand ({@code null} after a delete); see
 *                     {@link #thingAfter()}
 * @param decisions    the remembered yes/no answers of Ditto's enforcer of the policy's entries, shared with the twin
 *                     service's policy cache and every policy of equal entries: building the enforcer per change cost
 *                     a third of the stack's CPU under load, and asking it the same question per event and subscriber
 *                     a sixth of the event fan-out's (immutable enforcer, thread-safe answers, so sharing is safe)
 */
public record TwinChange(ThingEvent<?> event, StoredPolicy storedPolicy, ThingModelOnDemand modelAfter,
                         PolicyDecisions decisions) {

    public TwinChange {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(storedPolicy, "storedPolicy");
        Objects.requireNonNull(decisions, "decisions");
    }

    /**
     * The thing's policy as Ditto's model, parsed on each call: delivering an event needs only
     * {@link #decisions()}, and keeping a parsed policy per thing held about 26 KB per device.
     */
    public Policy policy() {
        return storedPolicy.toPolicy();
    }

    /** Ditto's enforcer of {@link #policy()} (for JSON views; yes/no questions go to {@link #decisions()}). */
    public Enforcer enforcer() {
        return decisions.enforcer();
    }

    /**
     * The thing after the change, with revision and timestamps ({@code null} after a delete); built on the first
     * call (subscribers that select {@code extraFields} ask for it), then shared by every caller.
     */
    public Thing thingAfter() {
        return modelAfter == null ? null : modelAfter.get();
    }
}
