package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.StoreChange;
import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.model.TwinChange;
import io.twinworks.localstack.ditto.store.TwinStore;
import io.twinworks.localstack.ditto.store.TwinStoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.Command;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.PolicyEntry;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.signals.commands.modify.ModifyPolicyEntry;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThing;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Group commit: many commands in one durable transaction, answered and published only after it; the
 * caches of parsed things and policies follow every change, including one rolled back.
 */
class TwinServiceGroupCommitTest {

    private static final DittoHeaders OWNER = DittoHeaders.newBuilder()
            .authorizationContext(AuthorizationContext.newInstance(DittoAuthorizationContextType.UNSPECIFIED,
                    AuthorizationSubject.newInstance("test:owner")))
            .build();
    private static final ThingId PUMP = ThingId.of("plant.a:pump-1");

    @TempDir
    Path stateDir;

    private Vertx vertx;
    private TwinStore store;
    private TwinStore observer;
    private TwinEventPublisher events;
    private TwinService twins;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        store = TwinStore.open(stateDir);
        // a second connection to the same database sees committed transactions only
        observer = TwinStore.open(stateDir);
        events = new TwinEventPublisher();
        twins = new TwinService(vertx, store, events, 100_000);
        await(twins.handle(CreateThing.of(ThingsModelFactory.newThing("{\"thingId\":\"" + PUMP + "\"}"), null, OWNER)));
    }

    @AfterEach
    void stop() throws Exception {
        twins.close();
        observer.close();
        store.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static MergeThing mergeSeq(ThingId thingId, int seq) {
        return MergeThing.of(thingId, JsonPointer.of("/attributes/seq"), JsonValue.of(seq), OWNER);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void commandsOfOneCallAreAppliedInOrderAndARefusedOneDoesNotStopTheOthers() throws Exception {
        List<CommandResult> results = await(twins.handleInOrder(List.of(
                mergeSeq(PUMP, 1), mergeSeq(ThingId.of("plant.a:ghost"), 7), mergeSeq(PUMP, 2))));

        assertThat(results).hasSize(3);
        assertThat(results.get(0).failure()).isNull();
        assertThat(results.get(1).refused()).isTrue();
        assertThat(((DittoRuntimeException) results.get(1).failure()).getErrorCode()).isEqualTo("things:thing.notfound");
        assertThat(results.get(2).failure()).isNull();
        StoredThing stored = observer.findThing(PUMP).orElseThrow();
        assertThat(stored.revision()).isEqualTo(3);
        assertThat(stored.json().getValue("attributes/seq")).contains(JsonValue.of(2));
        assertThat(observer.findThing(ThingId.of("plant.a:ghost"))).isEmpty();
    }

    @Test
    void eventsArePublishedInOrderAndOnlyOnceTheirChangeIsDurable() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        events.subscribe((TwinChange change) -> {
            // read through the other connection: the change must be committed when its event leaves
            long committedRevision = observer.findThing(PUMP).orElseThrow().revision();
            seen.add(change.event().getRevision() + "<=" + committedRevision);
        });
        List<Command<?>> commands = new ArrayList<>();
        for (int seq = 1; seq <= 50; seq++) {
            commands.add(mergeSeq(PUMP, seq));
        }

        List<CommandResult> results = await(twins.handleInOrder(commands));

        assertThat(results).hasSize(50).allSatisfy(result -> assertThat(result.failure()).isNull());
        assertThat(seen).hasSize(50);
        for (int i = 0; i < 50; i++) {
            // one transaction for all 50: every event sees the final revision committed, and they come in order
            assertThat(seen.get(i)).isEqualTo((i + 2) + "<=51");
        }
    }

    @Test
    void aBatchSubscriberGetsTheEventsOfOneTransactionAsOneOrderedListOnceTheyAreDurable() throws Exception {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        List<String> single = new CopyOnWriteArrayList<>();
        events.subscribe((TwinChange change) -> single.add(String.valueOf(change.event().getRevision())));
        events.subscribeBatches(changes -> {
            long committedRevision = observer.findThing(PUMP).orElseThrow().revision();
            batches.add(changes.stream().map(change -> change.event().getRevision() + "<=" + committedRevision).toList());
        });
        events.subscribeBatches(changes -> {
            throw new IllegalStateException("a failing subscriber must not affect the others");
        });
        List<Command<?>> commands = new ArrayList<>();
        for (int seq = 1; seq <= 30; seq++) {
            commands.add(mergeSeq(PUMP, seq));
        }

        await(twins.handleInOrder(commands));

        assertThat(batches).singleElement().satisfies(batch -> {
            assertThat(batch).hasSize(30);
            for (int i = 0; i < 30; i++) {
                assertThat(batch.get(i)).isEqualTo((i + 2) + "<=31");
            }
        });
        assertThat(single).hasSize(30).first().isEqualTo("2");
    }

    @Test
    void theThingModelPublishedAfterFeatureChangesIsWhatParsingTheStoredThingGives() throws Exception {
        List<TwinChange> published = new CopyOnWriteArrayList<>();
        events.subscribe((TwinChange change) -> published.add(change));
        // changes below one feature check only that feature and build the model when asked; the others parse the whole thing
        List<MergeThing> merges = List.of(
                MergeThing.of(PUMP, JsonPointer.of("/features"), JsonObject.of(
                        "{\"vibration\":{\"properties\":{\"rms\":1.5,\"seq\":1}},\"flow\":{\"properties\":{\"value\":3}}}"), OWNER),
                MergeThing.of(PUMP, JsonPointer.of("/features/vibration/properties"), JsonObject.of("{\"rms\":2.5,\"seq\":2}"), OWNER),
                MergeThing.of(PUMP, JsonPointer.of("/features/vibration/properties/seq"), JsonValue.of(3), OWNER),
                MergeThing.of(PUMP, JsonPointer.of("/features/vibration/properties"), JsonObject.of("{\"rms\":null}"), OWNER),
                MergeThing.of(PUMP, JsonPointer.of("/features/temperature"), JsonObject.of("{\"properties\":{\"value\":40}}"), OWNER),
                MergeThing.of(PUMP, JsonPointer.of("/features/flow"), JsonValue.nullLiteral(), OWNER),
                MergeThing.of(PUMP, JsonPointer.of("/attributes/location"), JsonValue.of("hall 2"), OWNER),
                MergeThing.of(PUMP, JsonPointer.of("/features/vibration/desiredProperties/rms"), JsonValue.of(1.0), OWNER));

        for (MergeThing merge : merges) {
            await(twins.handle(merge));

            TwinChange change = published.get(published.size() - 1);
            // the service's own store (the observer's read cache does not see later commits of another connection)
            StoredThing stored = store.findThing(PUMP).orElseThrow();
            assertThat(change.event().getRevision()).isEqualTo(stored.revision());
            assertThat(change.thingAfter().toJson(org.eclipse.ditto.base.model.json.JsonSchemaVersion.V_2,
                    org.eclipse.ditto.base.model.json.FieldType.regularOrSpecial()))
                    .as("after " + merge.getPath())
                    .isEqualTo(stored.toThing().toJson(org.eclipse.ditto.base.model.json.JsonSchemaVersion.V_2,
                            org.eclipse.ditto.base.model.json.FieldType.regularOrSpecial()));
        }
        assertThat(published).hasSize(merges.size());
    }

    @Test
    void aFeatureChangeDittosModelRefusesIsRefusedAndChangesNothing() throws Exception {
        await(twins.handle(MergeThing.of(PUMP, JsonPointer.of("/features/vibration/properties/rms"), JsonValue.of(1.5), OWNER)));
        long revision = store.findThing(PUMP).orElseThrow().revision();

        // a feature's definition must be an array of "namespace:name:version" identifiers in Ditto's model
        assertThatThrownBy(() -> await(twins.handle(MergeThing.of(PUMP, JsonPointer.of("/features/vibration"),
                JsonObject.of("{\"definition\":[\"not a definition\"]}"), OWNER))))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(DittoRuntimeException.class);

        assertThat(store.findThing(PUMP).orElseThrow().revision()).isEqualTo(revision);
    }

    @Test
    void aPropertiesChangeDittosFeatureModelRefusesFailsAndChangesNothing() throws Exception {
        await(twins.handle(MergeThing.of(PUMP, JsonPointer.of("/features/vibration"), JsonObject.of(
                "{\"definition\":[\"plant:vibration:1.0.0\"],\"properties\":{\"rms\":1.5}}"), OWNER)));
        long revision = store.findThing(PUMP).orElseThrow().revision();

        // a feature's (desired) properties must be a JSON object in Ditto's model; only that part is checked
        for (JsonPointer path : List.of(JsonPointer.of("/features/vibration/properties"),
                JsonPointer.of("/features/vibration/desiredProperties"))) {
            assertThatThrownBy(() -> await(twins.handle(MergeThing.of(PUMP, path, JsonValue.of(5), OWNER))))
                    .as(path.toString())
                    .isInstanceOf(ExecutionException.class);
        }

        assertThat(store.findThing(PUMP).orElseThrow().revision()).isEqualTo(revision);
        assertThat(await(twins.handle(mergeSeq(PUMP, 1)))).isNotNull();
    }

    @Test
    void theEventAndResponseCarryTheHeadersDittosOwnConstructorsGiveThem() throws Exception {
        List<TwinChange> published = new CopyOnWriteArrayList<>();
        events.subscribe((TwinChange change) -> published.add(change));
        DittoHeaders headers = OWNER.toBuilder().correlationId("c-42").responseRequired(true)
                .putHeader("x-custom", "kept").build();
        MergeThing merge = MergeThing.of(PUMP, JsonPointer.of("/attributes/seq"), JsonValue.of(9), headers);

        org.eclipse.ditto.base.model.signals.commands.CommandResponse<?> response = await(twins.handle(merge));

        ThingEvent<?> event = published.get(published.size() - 1).event();
        ThingEvent<?> dittos = ThingMerged.of(PUMP, merge.getPath(), merge.getValue(), event.getRevision(),
                event.getTimestamp().orElseThrow(), headers, null);
        assertThat(event.getDittoHeaders()).isEqualTo(dittos.getDittoHeaders());
        assertThat(event.getDittoHeaders().isResponseRequired()).isFalse();
        assertThat(response.getDittoHeaders().getCorrelationId()).contains("c-42");
        assertThat(response.getDittoHeaders().get("x-custom")).isEqualTo("kept");
        assertThat(response.getDittoHeaders().isResponseRequired()).isFalse();
        assertThat(response.getDittoHeaders().getETag()).isPresent();
    }

    @Test
    void mergeResponsesBuiltWhenAskedForEqualTheGeneralPathsForSeededRandomMerges() throws Exception {
        java.util.Random random = new java.util.Random(1607);
        String[] paths = {"/attributes", "/attributes/seq", "/features", "/features/vibration",
                "/features/vibration/properties", "/features/vibration/properties/rms", ""};
        for (int i = 0; i < 200; i++) {
            String path = paths[random.nextInt(paths.length)];
            JsonValue patch = switch (path) {
                case "" -> JsonObject.of("{\"attributes\":{\"n\":" + i + "}}");
                case "/features" -> JsonObject.of("{\"vibration\":{\"properties\":{\"rms\":" + i + "}}}");
                case "/features/vibration" -> JsonObject.of("{\"properties\":{\"seq\":" + i + "}}");
                case "/attributes/seq", "/features/vibration/properties/rms" -> random.nextBoolean() ? JsonValue.of(i)
                        : JsonObject.of("{\"k" + random.nextInt(5) + "\":" + (random.nextBoolean() ? "null" : i) + "}");
                default -> JsonObject.of("{\"k" + random.nextInt(5) + "\":" + (random.nextBoolean() ? "null" : i) + "}");
            };
            var builder = OWNER.toBuilder().correlationId("c-" + i).putHeader("x-" + random.nextInt(3), "v");
            if (random.nextBoolean()) {
                builder.responseRequired(random.nextBoolean());
            }
            DittoHeaders headers = builder.build();
            MergeThing merge = MergeThing.of(PUMP, JsonPointer.of(path), patch, headers);

            List<CommandResult> results = await(twins.handleInOrder(List.of(merge)));
            // the general path: Ditto's builder for both headers, the entity tag of the value at the path now
            StoredThing after = store.findThing(PUMP).orElseThrow();
            java.util.Optional<org.eclipse.ditto.base.model.headers.entitytag.EntityTag> tag = path.isEmpty()
                    ? org.eclipse.ditto.base.model.headers.entitytag.EntityTag.fromEntity(after.toThing())
                    : ThingResources.valueAt(after, JsonPointer.of(path))
                    .flatMap(org.eclipse.ditto.base.model.headers.entitytag.EntityTag::fromEntity);
            var expected = org.eclipse.ditto.things.model.signals.commands.modify.MergeThingResponse.of(PUMP,
                    JsonPointer.of(path), SettledHeaders.viaBuilder(headers, tag).response());

            assertThat(results).singleElement().satisfies(result -> assertThat(result.failure()).isNull());
            var response = results.get(0).response();
            assertThat(response).as(path).isEqualTo(expected);
            assertThat(response.toJson()).isEqualTo(expected.toJson());
            assertThat(new ArrayList<>(response.getDittoHeaders().asCaseSensitiveMap().entrySet()))
                    .containsExactlyElementsOf(expected.getDittoHeaders().asCaseSensitiveMap().entrySet());
            assertThat(results.get(0).response()).isSameAs(response);
        }
    }

    @Test
    void aFailedCommandHasNoResponseToBuild() throws Exception {
        List<CommandResult> results = await(twins.handleInOrder(List.of(mergeSeq(ThingId.of("plant.a:ghost"), 1))));

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.response()).isNull();
            assertThat(result.refused()).isTrue();
        });
    }

    @Test
    void concurrentCallersShareTransactionsAndEachGetsItsOwnAnswerAfterTheCommit() throws Exception {
        List<Future<?>> answers = new ArrayList<>();
        for (int seq = 1; seq <= 100; seq++) {
            answers.add(twins.handle(mergeSeq(PUMP, seq)));
        }
        answers.add(twins.handle(mergeSeq(ThingId.of("plant.a:ghost"), 1)));

        for (int i = 0; i < 100; i++) {
            assertThat(await(answers.get(i))).isNotNull();
        }
        assertThatThrownBy(() -> await(answers.get(100))).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(DittoRuntimeException.class);
        StoredThing stored = observer.findThing(PUMP).orElseThrow();
        assertThat(stored.revision()).isEqualTo(101);
        assertThat(stored.json().getValue("attributes/seq")).contains(JsonValue.of(100));
    }

    @Test
    void aStoreFailureFailsTheWholeCallAndNothingIsPublished() throws Exception {
        List<TwinChange> published = new CopyOnWriteArrayList<>();
        events.subscribe(published::add);
        store.close();

        assertThatThrownBy(() -> await(twins.handleInOrder(List.of(mergeSeq(PUMP, 1), mergeSeq(PUMP, 2)))))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TwinStoreException.class);
        assertThat(published).isEmpty();
        assertThat(observer.findThing(PUMP).orElseThrow().revision()).isEqualTo(1);
        store = TwinStore.open(stateDir);   // for stop()
    }

    @Test
    void aSubjectWithoutAGrantIsRefusedEveryTimeBetweenTheRememberedWritesOfOneWithIt() throws Exception {
        DittoHeaders stranger = DittoHeaders.newBuilder()
                .authorizationContext(AuthorizationContext.newInstance(DittoAuthorizationContextType.UNSPECIFIED,
                        AuthorizationSubject.newInstance("test:stranger")))
                .build();
        List<Command<?>> commands = new ArrayList<>();
        for (int seq = 1; seq <= 6; seq++) {
            commands.add(seq % 2 == 1 ? mergeSeq(PUMP, seq)
                    : MergeThing.of(PUMP, JsonPointer.of("/attributes/seq"), JsonValue.of(seq), stranger));
        }

        List<CommandResult> results = await(twins.handleInOrder(commands));

        assertThat(results).hasSize(6);
        for (int i = 0; i < 6; i++) {
            if (i % 2 == 0) {
                assertThat(results.get(i).failure()).as("owner's merge %d", i).isNull();
            } else {
                assertThat(results.get(i).refused()).as("stranger's merge %d", i).isTrue();
                // the stranger cannot even see the thing: Ditto answers "not found", not "not modifiable"
                assertThat(((DittoRuntimeException) results.get(i).failure()).getErrorCode())
                        .isEqualTo("things:thing.notfound");
            }
        }
        assertThat(observer.findThing(PUMP).orElseThrow().json().getValue("attributes/seq")).contains(JsonValue.of(5));
    }

    @Test
    void aPolicyChangeTakesEffectForTheVeryNextCommandOfTheSameTransaction() throws Exception {
        // the thing's default policy grants test:owner READ+WRITE; the change leaves it READ on the thing
        PolicyEntry readOnly = PoliciesModelFactory.newPolicyEntry("DEFAULT", JsonObject.of("""
                {"subjects":{"test:owner":{"type":"generated"}},
                 "resources":{"thing:/":{"grant":["READ"],"revoke":[]},
                              "policy:/":{"grant":["READ","WRITE"],"revoke":[]}}}"""));

        List<CommandResult> results = await(twins.handleInOrder(List.of(mergeSeq(PUMP, 1),
                ModifyPolicyEntry.of(PolicyId.of(PUMP), readOnly, OWNER), mergeSeq(PUMP, 2))));

        assertThat(results).hasSize(3);
        assertThat(results.get(0).failure()).isNull();
        assertThat(results.get(1).failure()).isNull();
        assertThat(results.get(2).refused()).isTrue();
        assertThat(((DittoRuntimeException) results.get(2).failure()).getHttpStatus().getCode()).isEqualTo(403);
        assertThat(observer.findThing(PUMP).orElseThrow().json().getValue("attributes/seq")).contains(JsonValue.of(1));
    }

    @Test
    void aTransactionThatFailsLeavesNoTraceInWhatTheStoreAnswersAfterwards() {
        StoredThing before = store.findThing(PUMP).orElseThrow();
        StoredThing changed = new StoredThing(PUMP, before.json().setValue("attributes/x", 1), before.revision() + 1,
                before.created(), before.modified(), false);

        assertThatThrownBy(() -> store.transaction(() -> {
            store.stage(List.of(new StoreChange.PutThing(changed)));
            assertThat(store.findThing(PUMP)).contains(changed);   // the transaction sees what it staged
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(store.findThing(PUMP)).contains(before);
        assertThat(observer.findThing(PUMP)).contains(before);
    }

    @Test
    void aClosedServiceFailsNewCommandsInsteadOfLeavingThemWaiting() throws Exception {
        twins.close();

        assertThatThrownBy(() -> await(twins.handle(mergeSeq(PUMP, 1)))).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> await(twins.handle(mergeSeq(PUMP, 2)))).isInstanceOf(ExecutionException.class);
    }
}
