package io.twinworks.localstack.ditto.store;

import io.twinworks.localstack.ditto.model.StoreChange;
import io.twinworks.localstack.ditto.model.StoredThing;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The twin store's whole-thing history: every stored revision of a thing is readable by revision and by time, in the
 * same transaction as the thing, bounded to the newest N revisions per thing, durable across a reopen.
 */
class ThingHistoryStoreTest {

    private static final ThingId THING = ThingId.of("plant.h:pump-1");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    private static StoredThing revision(long revision, boolean deleted) {
        Instant modified = T0.plusSeconds(revision * 10);
        return new StoredThing(THING, JsonFactory.newObject("{\"thingId\":\"" + THING + "\",\"policyId\":\"" + THING
                + "\",\"attributes\":{\"n\":" + revision + "}}"), revision, T0, modified, deleted);
    }

    private static void write(TwinStore store, long from, long to) {
        for (long revision = from; revision <= to; revision++) {
            store.commit(List.of(new StoreChange.PutThing(revision(revision, false))));
        }
    }

    private static long attributeN(Optional<StoredThing> thing) {
        return thing.orElseThrow().json().getValue("attributes/n").orElseThrow().asLong();
    }

    @Test
    void everyRevisionIsReadableWithItsOwnStateAndTimes() {
        try (TwinStore store = TwinStore.open(stateDir, 100)) {
            write(store, 1, 5);

            for (long revision = 1; revision <= 5; revision++) {
                Optional<StoredThing> state = store.thingAt(THING, revision, null);
                assertThat(attributeN(state)).isEqualTo(revision);
                assertThat(state.get().revision()).isEqualTo(revision);
                assertThat(state.get().modified()).isEqualTo(T0.plusSeconds(revision * 10));
                assertThat(state.get().created()).isEqualTo(T0);
            }
        }
    }

    @Test
    void aTimestampAnswersTheNewestRevisionModifiedStrictlyBeforeIt() {
        try (TwinStore store = TwinStore.open(stateDir, 100)) {
            write(store, 1, 5);

            assertThat(attributeN(store.thingAt(THING, null, T0.plusSeconds(30)))).as("modified at 30 s is not before 30 s")
                    .isEqualTo(2);
            assertThat(attributeN(store.thingAt(THING, null, T0.plusSeconds(31)))).isEqualTo(3);
            assertThat(attributeN(store.thingAt(THING, null, T0.plusSeconds(3600)))).isEqualTo(5);
            assertThat(store.thingAt(THING, null, T0.plusSeconds(10))).as("before the first revision").isEmpty();
        }
    }

    @Test
    void revisionAndTimestampTogetherAnswerTheNewestStateSatisfyingBoth() {
        try (TwinStore store = TwinStore.open(stateDir, 100)) {
            write(store, 1, 5);

            assertThat(attributeN(store.thingAt(THING, 4L, T0.plusSeconds(3600)))).isEqualTo(4);
            assertThat(attributeN(store.thingAt(THING, 4L, T0.plusSeconds(25)))).isEqualTo(2);
            assertThat(store.thingAt(THING, 4L, T0.plusSeconds(5))).isEmpty();
        }
    }

    @Test
    void revisionsNeverWrittenAreEmpty() {
        try (TwinStore store = TwinStore.open(stateDir, 100)) {
            write(store, 1, 3);

            assertThat(store.thingAt(THING, 0L, null)).isEmpty();
            assertThat(store.thingAt(THING, -1L, null)).isEmpty();
            assertThat(store.thingAt(THING, 4L, null)).isEmpty();
            assertThat(store.thingAt(ThingId.of("plant.h:never"), 1L, null)).isEmpty();
        }
    }

    @Test
    void onlyTheNewestDepthRevisionsPerThingAreKept() {
        try (TwinStore store = TwinStore.open(stateDir, 3)) {
            write(store, 1, 6);

            assertThat(store.thingAt(THING, 3L, null)).as("fell out of the depth").isEmpty();
            assertThat(store.thingAt(THING, 1L, null)).isEmpty();
            assertThat(attributeN(store.thingAt(THING, 4L, null))).isEqualTo(4);
            assertThat(attributeN(store.thingAt(THING, 6L, null))).isEqualTo(6);
            assertThat(store.thingAt(THING, null, T0.plusSeconds(35))).as("time of a pruned revision").isEmpty();
            assertThat(attributeN(store.thingAt(THING, null, T0.plusSeconds(45)))).isEqualTo(4);
            assertThat(store.thingAt(THING, 5L, T0.plusSeconds(35))).as("walks back into pruned revisions").isEmpty();
        }
    }

    @Test
    void depthZeroKeepsNoHistory() {
        try (TwinStore store = TwinStore.open(stateDir, 0)) {
            write(store, 1, 2);

            assertThat(store.thingAt(THING, 2L, null)).isEmpty();
            assertThat(store.findThing(THING)).hasValueSatisfying(thing -> assertThat(thing.revision()).isEqualTo(2));
        }
    }

    @Test
    void aDeletionIsRecordedAsATombstoneAtItsRevision() {
        try (TwinStore store = TwinStore.open(stateDir, 100)) {
            write(store, 1, 2);
            store.commit(List.of(new StoreChange.PutThing(revision(3, true))));

            assertThat(store.thingAt(THING, 3L, null)).hasValueSatisfying(state -> assertThat(state.deleted()).isTrue());
            assertThat(store.thingAt(THING, 2L, null)).hasValueSatisfying(state -> assertThat(state.deleted()).isFalse());
        }
    }

    @Test
    void aRolledBackTransactionLeavesNoHistory() {
        try (TwinStore store = TwinStore.open(stateDir, 100)) {
            write(store, 1, 1);
            assertThatThrownBy(() -> store.transaction(() -> {
                store.stage(List.of(new StoreChange.PutThing(revision(2, false))));
                throw new IllegalStateException("refused after staging");
            })).hasMessage("refused after staging");

            assertThat(store.thingAt(THING, 2L, null)).isEmpty();
            assertThat(attributeN(store.thingAt(THING, 1L, null))).isEqualTo(1);
        }
    }

    @Test
    void historySurvivesReopeningTheStore() {
        try (TwinStore store = TwinStore.open(stateDir, 100)) {
            write(store, 1, 3);
        }
        try (TwinStore reopened = TwinStore.open(stateDir, 100)) {
            assertThat(attributeN(reopened.thingAt(THING, 2L, null))).isEqualTo(2);
        }
    }

    @Test
    void aNegativeDepthIsRefused() {
        assertThatThrownBy(() -> TwinStore.open(stateDir, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
