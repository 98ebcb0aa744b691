package io.twinworks.localstack.ditto.service;

import io.twinworks.definitions.ThingPayloadValidator;
import io.twinworks.localstack.ditto.model.HistoryRange;
import io.twinworks.localstack.ditto.model.ThingHistory;
import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.model.TwinChange;
import io.twinworks.localstack.ditto.store.TwinStore;
import io.twinworks.localstack.ditto.store.TwinStoreException;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.eclipse.ditto.base.model.signals.commands.Command;
import org.eclipse.ditto.base.model.signals.commands.CommandNotSupportedException;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.signals.commands.PolicyCommand;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThings;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The single command handler of the local Ditto side: every entry point (HTTP API, WebSocket, the Hono
 * Kafka consumer) translates its input into Ditto's own command signals ({@link ThingCommand},
 * {@link PolicyCommand}, {@link RetrieveThings}) with the caller's authorization context in the
 * {@code DittoHeaders}, and gets Ditto's response signal back.
 *
 * <p>Per command: enforce the policy ({@code PolicyEnforcers.defaultEvaluator}), check
 * {@code If-Match}/{@code If-None-Match}, apply, validate with Ditto's model, bump the revision,
 * stage the changes in the {@link TwinStore}; then, once the transaction is durable, release the
 * response and publish the resulting {@code ThingEvent} to the {@link TwinEventPublisher}.
 *
 * <p><b>Group commit.</b> Commands run one at a time on a dedicated worker thread (each read-check-write
 * is atomic, events leave in revision order). Commands that queue up while the worker is busy — from all
 * callers — are applied together, in submission order, in ONE store transaction with one fsync (at most
 * {@value #MAX_COMMANDS_PER_TRANSACTION} commands): a command sees what the commands before it changed,
 * and no response is released and no event published before the transaction is committed. A command
 * refused by Ditto's rules changes nothing and does not affect the others; a store failure fails every
 * command of the transaction (none of them is kept).
 *
 * <p>Failures are Ditto's exceptions ({@code DittoRuntimeException} subclasses carrying status and
 * error code). The event loop is never blocked.
 */
public final class TwinService implements AutoCloseable {

    /** The name (prefix) of the thread that applies every command: benchmarks read its CPU time by it. */
    public static final String THREAD_NAME = "ditto-twin-service";

    /** The most commands committed in one store transaction (bounds the latency one fsync adds to a response). */
    public static final int MAX_COMMANDS_PER_TRANSACTION = 200;

    private final Vertx vertx;
    private final TwinStore store;
    private final TwinEventPublisher events;
    private final WorkerExecutor worker;
    private final ThingCommandProcessor things;
    private final PolicyCommandProcessor policies;
    private final Queue<Submission> submissions = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

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
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.events = Objects.requireNonNull(events, "events");
        // one thread: commands are serialized, so checks and writes of one command never interleave with another's
        this.worker = vertx.createSharedWorkerExecutor(THREAD_NAME, 1);
        ParsedPolicies parsedPolicies = new ParsedPolicies();
        this.things = new ThingCommandProcessor(store, parsedPolicies, clock, maxEntityBytes, wotValidator);
        this.policies = new PolicyCommandProcessor(store, parsedPolicies, clock, maxEntityBytes);
    }

    /**
     * Handles a thing command, a policy command or {@code RetrieveThings}.
     *
     * @return Ditto's response signal (e.g. {@code ModifyFeaturePropertyResponse} with status 201 or 204
     *         and an {@code ETag} header) once its change is durable, or a future failed with a
     *         {@code DittoRuntimeException} (or a {@link io.twinworks.localstack.ditto.store.TwinStoreException})
     */
    public Future<CommandResponse<?>> handle(Command<?> command) {
        Objects.requireNonNull(command, "command");
        return submit(List.of(command), true).compose(results -> {
            CommandResult result = results.get(0);
            return result.failure() == null
                    ? Future.<CommandResponse<?>>succeededFuture(result.response())
                    : Future.failedFuture(result.failure());
        });
    }

    /**
     * Handles commands strictly in the given order, all in the same store transaction (group commit).
     * A command refused by Ditto's rules ({@link CommandResult#refused()}: a {@code DittoRuntimeException}
     * with a 4xx status) changes nothing, and the next commands go on. Any other failure of a command stops
     * there: the result list ends with that command's failure, and the commands after it are not attempted.
     *
     * <p>A merge's response is built when it is first asked for ({@link CommandResult#response()}), on the
     * asking thread.
     *
     * @return the results of the commands attempted (a prefix of {@code commands}, in order), once every
     *         change among them is durable; a failed future (nothing kept) when the store fails
     */
    public Future<List<CommandResult>> handleInOrder(List<? extends Command<?>> commands) {
        return submit(commands, false);
    }

    /**
     * @param responsesNow whether the responses are built on the service's thread before the results are
     *                     released (a caller on an event loop then only hands them on)
     */
    private Future<List<CommandResult>> submit(List<? extends Command<?>> commands, boolean responsesNow) {
        List<Command<?>> copy = List.copyOf(commands);
        if (copy.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        // complete on the caller's context, as executeBlocking does, not on the worker thread
        Context context = vertx.getOrCreateContext();
        Promise<List<CommandResult>> promise = Promise.promise();
        submissions.add(new Submission(copy, responsesNow, context, promise));
        scheduleDrain();
        return promise.future();
    }

    private void scheduleDrain() {
        if (!drainScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.executeBlocking(() -> {
                try {
                    applyOneTransaction();
                } finally {
                    drainScheduled.set(false);
                    // a submission may have arrived after the take and before the flag was cleared
                    if (!submissions.isEmpty()) {
                        scheduleDrain();
                    }
                }
                return null;
            }, false).onFailure(rejected -> {
                // the task did not run (e.g. the worker executor was closed meanwhile): release the flag too
                drainScheduled.set(false);
                failQueued(rejected);
            });
        } catch (RuntimeException closed) {
            // the worker executor is closed (the service was closed): nobody will apply what is queued
            drainScheduled.set(false);
            failQueued(closed);
        }
    }

    private void failQueued(Throwable failure) {
        List<Submission> queued = new ArrayList<>();
        Submission next;
        while ((next = submissions.poll()) != null) {
            queued.add(next);
        }
        failAll(queued, failure);
    }

    /** Takes queued submissions up to the bound, applies them in one transaction, then answers and publishes. */
    private void applyOneTransaction() {
        List<Submission> batch = new ArrayList<>();
        int commandCount = 0;
        Submission next;
        while (commandCount < MAX_COMMANDS_PER_TRANSACTION && (next = submissions.poll()) != null) {
            batch.add(next);
            commandCount += next.commands().size();
        }
        if (batch.isEmpty()) {
            return;
        }
        List<List<CommandResult>> results = new ArrayList<>(batch.size());
        List<TwinChange> published = new ArrayList<>();
        try {
            store.transaction(() -> {
                for (Submission submission : batch) {
                    results.add(applyStaged(submission, published));
                }
                return null;
            });
        } catch (RuntimeException | Error storeFailure) {
            failAll(batch, storeFailure);
            return;
        }
        // durable now: publish in commit order, then release the responses
        events.publishAll(published);
        for (int i = 0; i < batch.size(); i++) {
            Submission submission = batch.get(i);
            List<CommandResult> submissionResults = results.get(i);
            submission.context().runOnContext(v -> submission.promise().tryComplete(submissionResults));
        }
    }

    /** Processes and stages the commands of one submission; a store failure propagates and fails the transaction. */
    private List<CommandResult> applyStaged(Submission submission, List<TwinChange> published) {
        List<CommandResult> results = new ArrayList<>(submission.commands().size());
        for (Command<?> command : submission.commands()) {
            CommandOutcome outcome;
            CommandResult result;
            try {
                outcome = process(command);
                result = CommandResult.succeeded(outcome.response());
                if (submission.responsesNow()) {
                    // built here, as part of the command: should it fail, the command fails and changes nothing
                    result.response();
                }
            } catch (TwinStoreException storeFailure) {
                throw storeFailure;
            } catch (RuntimeException failure) {
                CommandResult failed = CommandResult.failed(failure);
                results.add(failed);
                if (failed.refused()) {
                    continue;
                }
                break;
            }
            if (!outcome.storeChanges().isEmpty()) {
                store.stage(outcome.storeChanges());
            }
            published.addAll(outcome.published());
            results.add(result);
        }
        return results;
    }

    private static void failAll(List<Submission> batch, Throwable failure) {
        for (Submission submission : batch) {
            submission.context().runOnContext(v -> submission.promise().tryFail(failure));
        }
    }

    /** Commands of one caller, applied in order, and where their results go. */
    private record Submission(List<Command<?>> commands, boolean responsesNow, Context context,
                              Promise<List<CommandResult>> promise) {
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

    /** A policy by its ID, or empty when it does not exist. Not subject to a policy (internal use, as {@link #thingPolicy}). */
    public Future<Optional<Policy>> policy(PolicyId policyId) {
        Objects.requireNonNull(policyId, "policyId");
        return worker.executeBlocking(() -> store.findPolicy(policyId)
                .filter(policy -> !policy.deleted())
                .map(StoredPolicy::toPolicy), true);
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
