package io.twinworks.localstack.ditto.service;

import io.twinworks.definitions.ThingPayloadValidator;
import io.twinworks.localstack.ditto.model.FeatureHistoryEntry;
import io.twinworks.localstack.ditto.model.HistoryRange;
import io.twinworks.localstack.ditto.model.ThingHistory;
import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.model.TwinChange;
import io.twinworks.localstack.ditto.store.TwinStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.eclipse.ditto.base.model.signals.commands.Command;
import org.eclipse.ditto.base.model.signals.commands.CommandNotSupportedException;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.signals.commands.PolicyCommand;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThings;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The single command handler of the local Ditto side: every entry point (HTTP API now; WebSocket,
 * SSE and the Hono Kafka consumer later) translates its input into Ditto's own command signals
 * ({@link ThingCommand}, {@link PolicyCommand}, {@link RetrieveThings}) with the caller's
 * authorization context in the {@code DittoHeaders}, and gets Ditto's response signal back.
 *
 * <p>Per command: enforce the policy ({@code PolicyEnforcers.defaultEvaluator}), check
 * {@code If-Match}/{@code If-None-Match}, apply, validate with Ditto's model, bump the revision,
 * commit to the {@link TwinStore} (durable before the future completes), then publish the
 * resulting {@code ThingEvent} to the {@link TwinEventPublisher}.
 *
 * <p>Failures are Ditto's exceptions ({@code DittoRuntimeException} subclasses carrying status and
 * error code). Commands run one at a time on a dedicated worker thread, which makes each
 * read-check-write atomic and keeps events in revision order; the event loop is never blocked.
 */
public final class TwinService implements AutoCloseable {

    private final TwinStore store;
    private final TwinEventPublisher events;
    private final WorkerExecutor worker;
    private final ThingCommandProcessor things;
    private final PolicyCommandProcessor policies;

    /**
     * @param vertx          the Vert.x instance whose worker pool runs the commands
     * @param store          the open twin store (owned by the caller, who closes it after this service)
     * @param events         where persisted thing changes are published
     * @param maxEntityBytes the largest thing or policy JSON accepted (Ditto's default: 100 kB)
     */
    public TwinService(Vertx vertx, TwinStore store, TwinEventPublisher events, int maxEntityBytes) {
        this(vertx, store, events, maxEntityBytes, Clock.systemUTC());
    }

    /** As {@link #TwinService(Vertx, TwinStore, TwinEventPublisher, int)} with a given clock (for tests). */
    public TwinService(Vertx vertx, TwinStore store, TwinEventPublisher events, int maxEntityBytes, Clock clock) {
        this(vertx, store, events, maxEntityBytes, clock, null);
    }

    /**
     * As {@link #TwinService(Vertx, TwinStore, TwinEventPublisher, int, Clock)}, validating every
     * created or changed thing whose {@code definition} the validator's catalog knows (Ditto 3.6+ WoT
     * validation: 400 {@code wot:payload.validation.error}).
     *
     * @param wotValidator the validator, or {@code null} for no WoT validation
     */
    public TwinService(Vertx vertx, TwinStore store, TwinEventPublisher events, int maxEntityBytes, Clock clock,
                       ThingPayloadValidator wotValidator) {
        this.store = Objects.requireNonNull(store, "store");
        this.events = Objects.requireNonNull(events, "events");
        // one thread: commands are serialized, so checks and writes of one command never interleave with another's
        this.worker = Objects.requireNonNull(vertx, "vertx").createSharedWorkerExecutor("ditto-twin-service", 1);
        this.things = new ThingCommandProcessor(store, clock, maxEntityBytes, wotValidator);
        this.policies = new PolicyCommandProcessor(store, clock, maxEntityBytes);
    }

    /**
     * Handles a thing command, a policy command or {@code RetrieveThings}.
     *
     * @return Ditto's response signal (e.g. {@code ModifyFeaturePropertyResponse} with status 201 or 204
     *         and an {@code ETag} header), or a future failed with a {@code DittoRuntimeException}
     */
    public Future<CommandResponse<?>> handle(Command<?> command) {
        Objects.requireNonNull(command, "command");
        return worker.executeBlocking(() -> {
            CommandOutcome outcome = process(command);
            if (!outcome.storeChanges().isEmpty()) {
                store.commit(outcome.storeChanges());
            }
            for (TwinChange change : outcome.published()) {
                events.publish(change);
            }
            return outcome.response();
        }, true);
    }

    private CommandOutcome process(Command<?> command) {
        if (command instanceof ThingCommand<?> thingCommand) {
            return things.process(thingCommand);
        }
        if (command instanceof PolicyCommand<?> policyCommand) {
            return policies.process(policyCommand);
        }
        if (command instanceof RetrieveThings retrieveThings) {
            return CommandOutcome.readOnly(things.retrieveThings(retrieveThings));
        }
        throw CommandNotSupportedException.newBuilder(command.getImplementedSchemaVersion().toInt())
                .message("The command '" + command.getType() + "' is not supported by the local twin service.")
                .dittoHeaders(command.getDittoHeaders())
                .build();
    }

    /** The newest {@code limit} recorded property states of a feature, newest first (not subject to a policy: internal use). */
    public Future<List<FeatureHistoryEntry>> featureHistory(ThingId thingId, String featureId, int limit) {
        return worker.executeBlocking(() -> store.featureHistory(thingId, featureId, limit), true);
    }

    /**
     * The recorded feature states of a thing within the range, with its current policy; empty when the thing
     * (or its policy) does not exist. Not subject to a policy: the caller enforces it on what it hands out.
     */
    public Future<Optional<ThingHistory>> thingHistory(ThingId thingId, HistoryRange range) {
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(range, "range");
        return worker.executeBlocking(() -> store.findThing(thingId)
                .filter(thing -> !thing.deleted())
                .flatMap(thing -> thing.toThing().getPolicyEntityId()
                        .flatMap(store::findPolicy)
                        .filter(policy -> !policy.deleted())
                        .map(policy -> new ThingHistory(policy.toPolicy(), thing.revision(),
                                store.thingHistory(thingId, range.firstRevision(thing.revision()),
                                        range.lastRevision(thing.revision()), range.fromTimestamp(),
                                        range.toTimestamp())))), true);
    }

    /**
     * The current policy of a thing, or empty when the thing (or its policy) does not exist. Not subject
     * to a policy (internal use): live messages and live commands are routed, not applied, and their
     * entry points enforce this policy themselves as Ditto's live signal enforcement does.
     */
    public Future<Optional<Policy>> thingPolicy(ThingId thingId) {
        Objects.requireNonNull(thingId, "thingId");
        return worker.executeBlocking(() -> store.findThing(thingId)
                .filter(thing -> !thing.deleted())
                .flatMap(thing -> thing.toThing().getPolicyEntityId())
                .flatMap(store::findPolicy)
                .filter(policy -> !policy.deleted())
                .map(StoredPolicy::toPolicy), true);
    }

    /** The publisher subscribers register with. */
    public TwinEventPublisher events() {
        return events;
    }

    /** Releases the worker thread; the store stays open (its owner closes it). */
    @Override
    public void close() {
        worker.close();
    }
}
